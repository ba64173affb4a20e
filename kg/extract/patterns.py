"""Organizations and initiatives that no list knows, found by how their names are built
in English, Spanish and French: a head word ("Municipalidad", "Ministry", "Confédération",
"Vicaría", …) followed by the words of the name, and "Long Name (ACRONYM)" pairs.

English and Spanish names capitalize their words ("Ministerio de Trabajo y Previsión
Social"); French ones often do not ("Agence nationale pour l'emploi"), so in French the
name may run over lower-case words until punctuation or a word that starts a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.textscan import Token, gap


# Folded head word → kind of the organization it starts (refined by org_kind).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_HEAD_KINDS = {
    "Municipality": "municipalidad municipio alcaldia intendencia prefeitura mairie commune "
    "municipalite municipality ayuntamiento comuna city ville communaute",
    "GovernmentBody": "gobierno government gouvernement ministerio ministry ministere "
    "secretaria subsecretaria secretariat superintendencia direccion direction directorate "
    "gobernacion gouvernorat prefecture inspection inspeccion defensoria ombudsman department",
    "TradeUnion": "confederacion confederation federacion federation central centrale "
    "sindicato syndicat union congress camara chamber chambre",
    "CivilSocietyOrganization": "asociacion association fundacion foundation fondation "
    "vicaria corporacion red reseau network caritas iglesia church",
    "OtherOrganization": "servicio service agencia agence agency authority autoridad office "
    "oficina instituto institut institute comision commission consejo conseil council "
    "comite committee universidad university universite cooperativa cooperative caja caisse "
    "bureau board observatorio observatoire organisation organizacion organization "
    "administration hall corporation",
}
ORG_HEADS = {word: kind for kind, words in _HEAD_KINDS.items() for word in words.split()}
INITIATIVE_HEADS = _words(
    "programa programme program proyecto projet project casa centre centro center ruta plan "
    "estrategia strategie strategy iniciativa initiative fondo fonds fund escuela ecole "
    "ventanilla guichet bolsa maison house campana campagne campaign mesa plataforma "
    "plateforme platform politica politique policy"
)
CONNECTORS = _words(
    "de del la las los el y e para of the and for du des le les l d et pour da do dos das aux au"
)
# Connectors that make "X of Y" a part of Y ("Country Office of the ILO").
POSSESSIVE = _words("de del of du des the la l d el")
# Words that make a "Long Name (ACRONYM)" an organization when it has no head word.
ORG_WORDS = _words(
    "group groupe groupement grupo front frente bank banque banco society societe sociedad "
    "company compagnie empresa empresas mission mision movement movimiento mouvement "
    "alliance alianza forum foro coalition coalicion platform plataforma plateforme cell "
    "cellule union authority agency service council institute federation association "
    "centre center workers employers trabajadores travailleurs empleadores employeurs "
    "organization organisation organizacion office national nacional nationale"
)
_AND = _words("y e and et")
# Bodies named by one word, which "and" never joins to another name.
_BODIES = _words("parliament parlamento parlement senate senado senat assembly asamblea assemblee")
_ARTICLES = _words("la el los las the les le l un una a")
# Words that start a clause: a French name never runs over them.
_FR_STOP = _words(
    "a ont est sont qui que dont dans avec afin ainsi mais ou lors selon par sera seront "
    "etait etaient avait avaient peut doit pendant depuis entre vers chez sans sous comme "
    "qu se ce cette ces son sa ses leur leurs il elle ils elles on ne pas plus tres aussi "
    "egalement notamment en sur au"
)
_EMPLOYERS = _words(
    "empleadores employers employeurs patronal empresarios empresas entreprises industria "
    "industrie industry industries comercio commerce produccion business manufacturers "
    "camara chamber chambre empresarial employeur patronat patronale"
)
_WORKERS = _words(
    "trabajadores workers travailleurs sindical syndical syndicale trabalhadores syndicats "
    "sindicatos unions labour labor trade"
)
_CITY = _words(
    "ciudad city ville municipal distrital metropolitana metropolitan urbaine communaute mairie"
)
_NATIONAL = _words("nacional national nationale ministerial publico public publique publica")
_CIVIL = _words("caritas pastoral iglesia church eglise foundation fundacion fondation ong ngo")
# Endings of the French adjectives that follow a head word ("Agence nationale",
# "Commune urbaine", "Gouvernement provincial"); a verb there ("devrait") ends the name.
_FR_ADJECTIVE = (
    "al",
    "ale",
    "aux",
    "ique",
    "ien",
    "ienne",
    "aire",
    "ine",
    "if",
    "ive",
    "el",
    "elle",
    "eur",
    "ain",
    "aine",
    "ais",
    "aise",
    "e",
    "ee",
    "es",
    "ees",
)
_NOT_AFTER_HEAD = _words("y e and et or o ou")
# Heads whose names may list portfolios after commas ("Ministry of Labour, Employment and
# Social Security").
_LISTING_HEADS = _words(
    "ministry ministerio ministere federation federacion secretaria secretariat department"
)
_MAX_TOKENS = 12
#: After "and", a word that starts another body ("… and Parliament", "… and Ministry of …").
_JOINS_NOTHING = _BODIES | _words(
    "ministry ministerio ministere department departamento departement government gobierno "
    "gouvernement municipality municipalidad"
)
# Last words of names that are laws, plans or programmes, not bodies ("Organization
# Registration Law", "Department Strategy").
_NOT_ORG_TAILS = _words(
    "law laws act acts code decree decrees regulation regulations convention conventions "
    "policy policies strategy strategies plan plans programme programmes program programs "
    "project projects framework guidelines manual report declaration agenda"
)
# Heads that may close an English name whose words come first ("Project Steering
# Committee", "Community Child Labour Committees", "Victim Support Unit"); with an "s",
# the plural names several bodies of one kind.
_LAST_HEADS = _words(
    "committee council board commission forum network secretariat society unit team "
    "federation confederation association union congress chamber authority agency office "
    "institute university foundation cooperative alliance coalition platform assembly "
    "taskforce bank company corporation group department branch division municipality"
)
# Capitalized words that start English sentences or phrases and are never the first word
# of a name.
_NOT_FIRST = _words(
    "the a an this that these those its their our his her each every all some any no both "
    "in on at for with by from to of as into under over through during after before when "
    "while where if however also such other another most many several new"
)
# Words that, alone before a head, make a kind of body, not a name ("Trade Unions",
# "Civil Society", "High Commission", "Local Authority").
_GENERIC_MODIFIERS = _words(
    "trade civil high local private public government national international regional "
    "other main key relevant respective sectoral tripartite bipartite technical"
)
_ACRONYM = re.compile(r"\s*\(([A-ZÀ-Ý][A-ZÀ-Ýa-z0-9&-]{1,11})\)")


@dataclass
class Span:
    """Tokens ``first..last`` (inclusive) form a name; ``kind`` an ek: class name."""

    first: int
    last: int
    kind: str


def _joinable(text: str, left: Token, right: Token) -> bool:
    """Two tokens are in one name only when separated by a space, an apostrophe, a hyphen
    or a period of an abbreviation — never a comma, parenthesis, quote or line break."""
    between = gap(text, left, right)
    return between in (" ", "'", "’", "-", " - ")


def extend_name(
    text: str, toks: list[Token], head: int, language: str | None, blocked: set[int]
) -> int:
    """The last token of the name that starts at ``head`` (``head`` if none)."""
    last = head
    j = head + 1
    lowercase_ok = language == "fr"
    listing = toks[head].folded in _LISTING_HEADS
    while j < len(toks) and j - head < _MAX_TOKENS + 6 * listing and j not in blocked:
        tok = toks[j]
        if not _joinable(text, toks[j - 1], tok) and not (
            listing and last == j - 1 and _listed(text, toks[j - 1], tok, lowercase_ok)
        ):
            break
        word = tok.folded
        if (
            word in _AND
            and j + 1 < len(toks)
            and (
                toks[j + 1].folded in _ARTICLES
                or toks[j + 1].all_caps
                or j + 1 in blocked
                or (toks[j + 1].capitalized and toks[j + 1].folded in _JOINS_NOTHING)
            )
        ):
            break  # "Council of Ministers and Parliament": two bodies
        if j == head + 1 and word in _NOT_AFTER_HEAD:
            break
        if tok.capitalized or tok.text[:1].isdigit():
            last = j
        elif word in CONNECTORS or (word == "en" and _capital_not_country(toks, j + 1)):
            pass
        elif (
            lowercase_ok
            and word not in _FR_STOP
            and tok.text.isalpha()
            and (j > head + 1 or word.endswith(_FR_ADJECTIVE))
        ):
            last = j
        else:
            break
        j += 1
    return last


def _capital_not_country(toks: list[Token], j: int) -> bool:
    from kg.extract.geo import resolve_country

    return j < len(toks) and toks[j].capitalized and resolve_country(toks[j].text) is None


def _listed(text: str, left: Token, right: Token, lowercase_ok: bool) -> bool:
    """ ", Employment" or ", de la Formation": the next portfolio of a ministry's name."""
    if gap(text, left, right) != ", " or right.all_caps:
        return False
    return right.capitalized or (lowercase_ok and right.folded not in _ARTICLES | _FR_STOP)


def extend_left(
    text: str,
    toks: list[Token],
    head: int,
    blocked: set[int],
    *,
    closing: bool = False,
) -> int:
    """English names put words before the head ("Bangladesh Employers' Federation"). A
    name the head ``closing`` it may hold other head words ("Project Advisory
    Committee") and start a sentence; otherwise a capital at a sentence's start says
    nothing."""
    first = head
    while first > 0:
        prev = toks[first - 1]
        if (
            first - 1 in blocked
            or not prev.capitalized
            or prev.all_caps
            or prev.folded in CONNECTORS
            or (prev.folded in ORG_HEADS and not closing)
            or not _joinable(text, prev, toks[first])
        ):
            break
        before = text[max(0, prev.start - 2) : prev.start]
        starts = (
            prev.start == 0
            or before.strip()[-1:] in (".", "\n", ":", ";", "!", "?")
            or before.endswith("\n")
        )
        if starts and not closing:
            break
        first -= 1
    return first


def org_kind(head_kind: str, words: list[str]) -> str:
    """Refine the head word's kind with the words of the name."""
    bag = set(words)
    if head_kind in ("GovernmentBody", "OtherOrganization") and bag & _CITY:
        return "Municipality"
    if head_kind == "TradeUnion":
        if bag & _EMPLOYERS:
            return "EmployersOrganization"
        if bag & _WORKERS or words[0] in ("sindicato", "syndicat", "central", "centrale"):
            return "TradeUnion"
        return "OtherOrganization"
    if head_kind == "OtherOrganization":
        if bag & _CIVIL:
            return "CivilSocietyOrganization"
        if bag & _EMPLOYERS and bag & {
            "federation",
            "federacion",
            "association",
            "asociacion",
            "confederation",
        }:
            return "EmployersOrganization"
        if bag & _NATIONAL:
            return "GovernmentBody"
    return head_kind


def find_spans(
    text: str, toks: list[Token], language: str | None, blocked: set[int]
) -> tuple[list[Span], list[Span]]:
    """Organization and initiative names built on a head word: ``(orgs, initiatives)``."""
    orgs: list[Span] = []
    initiatives: list[Span] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.folded
        if i in blocked or not tok.capitalized or tok.all_caps:
            i += 1
            continue
        is_org, is_init = word in ORG_HEADS, word in INITIATIVE_HEADS
        if not (is_org or is_init):
            closing = _head_last(text, toks, i, blocked) if language in ("en", None) else None
            if closing is not None:
                orgs.append(closing)
            i += 1
            continue
        last = extend_name(text, toks, i, language, blocked)
        named = [t for t in toks[i + 1 : last + 1] if t.folded not in CONNECTORS]
        english = language in ("en", None)
        if not named or (not any(t.capitalized for t in named) and language != "fr"):
            closing = _head_last(text, toks, i, blocked) if english else None
            if closing is not None:
                orgs.append(closing)
            i += 1
            continue
        first = extend_left(text, toks, i, blocked) if english and is_org else i
        words = [t.folded for t in toks[first : last + 1]]
        closing_head = _head_of(toks[last].folded) if english and last > i else None
        if is_init and closing_head is not None:  # "Project Advisory Committee": a body
            kind = ORG_HEADS.get(closing_head, "OtherOrganization")
            first = extend_left(text, toks, i, blocked)
            words = [t.folded for t in toks[first : last + 1]]
            orgs.append(Span(first, last, org_kind(kind, words)))
        elif is_org and toks[last].folded not in _NOT_ORG_TAILS:
            orgs.append(Span(first, last, org_kind(ORG_HEADS[word], words)))
        elif not is_org:
            initiatives.append(Span(first, last, "Initiative"))
        i = last + 1
    return orgs, initiatives


def _head_of(word: str) -> str | None:
    """The head ``word`` is, singular or plural ("committees"), among :data:`_LAST_HEADS`."""
    if word in _LAST_HEADS:
        return word
    single = word[:-1] if word.endswith("s") else ""
    return single if single in _LAST_HEADS else None


def _head_last(text: str, toks: list[Token], head: int, blocked: set[int]) -> Span | None:
    """An English name whose head closes it: capitalized words before the head, joined
    by spaces (a sentence's first word too, unless it is one of :data:`_NOT_FIRST`)."""
    word = _head_of(toks[head].folded)
    if word is None:
        return None
    first = extend_left(text, toks, head, blocked, closing=True)
    while first < head and toks[first].folded in _NOT_FIRST:
        first += 1
    if first == head or (first == head - 1 and toks[first].folded in _GENERIC_MODIFIERS):
        return None
    kind = ORG_HEADS.get(word) or ORG_HEADS.get(toks[head].folded) or "OtherOrganization"
    return Span(first, head, org_kind(kind, [t.folded for t in toks[first : head + 1]]))


def acronym_after(text: str, end: int) -> tuple[str, int, int] | None:
    """``(ACRONYM, start, end)`` when ``text[end:]`` starts with " (ACRONYM)"."""
    found = _ACRONYM.match(text, end)
    if not found:
        return None
    acronym = found.group(1)
    if sum(1 for c in acronym if c.isupper()) < 2:
        return None
    return acronym, found.start(1), found.end(1)


def initials_span(toks: list[Token], before: int, acronym: str) -> int | None:
    """The first token of a name ending at token ``before`` whose initials spell
    ``acronym`` (connectors may be skipped), else ``None``."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    k = len(letters) - 1
    j = before
    while j >= 0 and k >= 0 and before - j < _MAX_TOKENS:
        tok = toks[j]
        initial = tok.text[:1].upper()
        if initial == letters[k]:
            k -= 1
            if k < 0:
                return j if tok.capitalized else None
        elif tok.folded not in CONNECTORS:
            return None
        j -= 1
    return None
