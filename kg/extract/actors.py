"""Known actors: the reference organizations of ``ontology/actors.ttl``, the ILO's own
units of ``ontology/ilo-units.ttl``, and the lexicon that finds them in text by any name
or acronym.

Names match on word boundaries, tolerant of case, accents and punctuation; acronyms (and
one-word names such as "Sida", which in capitals means AIDS) match as written, so that
"CUT" is never found inside "EXECUTE" nor "SIDA" taken for Sweden's agency; an acronym of
several words ("CO-Dhaka", "ACT/EMP") matches only as written too. An acronym that several
organizations share (CUT in Chile, Brazil, Colombia) resolves by the record's countries.
A unit of an organization is also named by its acronyms after one of that organization's
("ILO ROAP", "ILO-IPEC"), as one name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.extract.textscan import PhraseTable, Token, folded_words, strip_accents
from kg.extract.textscan import tokens as tokenize
from kg.resources import ontology_file
from kg.vocab import DCT, EK, ORG, RDF, SKOS

#: The reference files of known actors in ``ontology/``, read together.
ACTOR_FILES = ("actors.ttl", "ilo-units.ttl", "constituents.ttl")

KINDS = (
    "UNAgency",
    "GovernmentBody",
    "Municipality",
    "TradeUnion",
    "EmployersOrganization",
    "CivilSocietyOrganization",
    "Donor",
    "OtherOrganization",
    "IloUnit",
)
#: Kinds of organization that act in one country only.
NATIONAL_KINDS = frozenset(
    ["GovernmentBody", "Municipality", "TradeUnion", "EmployersOrganization"]
)
_REF_BASE = "http://actors.invalid/"


@dataclass(frozen=True, slots=True)
class Actor:
    """An organization: ``key`` is its IRI below the base (``org/ilo``, ``unit/co-dhaka``),
    ``kind`` the local name of its ek: class, ``country`` an ISO alpha-3 code for national
    actors. ``scope``, when not empty, holds the only countries (ISO alpha-3) whose records
    the name it was found by may mean it in ("ILO Liaison Office": Myanmar)."""

    key: str
    label: str
    kind: str
    country: str | None = None
    reference: bool = True
    scope: frozenset[str] = frozenset()


class _Exact(list):  # type: ignore[type-arg]
    """The actors of a name made of an acronym of several words: it matches only when the
    words are written as in one of ``forms`` ("CO-Dhaka", not "co dhaka")."""

    __slots__ = ("forms",)

    def __init__(self, actors: Iterable[Actor] = (), forms: Iterable[tuple[str, ...]] = ()) -> None:
        super().__init__(actors)
        self.forms: set[tuple[str, ...]] = set(forms)

    def written(self, toks: list[Token], first: int) -> bool:
        """The words from ``first`` on are written as one of the forms."""
        return any(tuple(t.text for t in toks[first : first + len(f)]) == f for f in self.forms)


@dataclass
class Match:
    """Tokens ``first..last`` (inclusive) name ``actor``; ``method`` is the ek: method."""

    first: int
    last: int
    actor: Actor
    method: str


@dataclass
class Lexicon:
    """Names and acronyms → actors."""

    names: PhraseTable = field(default_factory=PhraseTable)
    words: dict[str, list[Actor]] = field(default_factory=dict)
    acronyms: dict[str, list[Actor]] = field(default_factory=dict)

    def add_name(self, actor: Actor, name: str) -> None:
        """Index a full name (matched folded) or a one-word name (matched as written)."""
        toks = tokenize(name)
        if not toks:
            return
        if len(toks) == 1:
            _push(self.words, strip_accents(toks[0].text), actor)
            return
        key = tuple(t.folded for t in toks)
        bucket = list(self.names.get(key) or [])  # a full name: no longer only as written
        if all(a.key != actor.key for a in bucket):
            bucket.append(actor)
        self.names.add(key, bucket)

    def add_acronym(self, actor: Actor, acronym: str) -> None:
        """Index an acronym, matched exactly as written (several words too: "CO-Dhaka")."""
        toks = tokenize(acronym)
        if len(toks) == 1:
            _push(self.acronyms, toks[0].text, actor)
            return
        if not toks:
            return
        key = tuple(t.folded for t in toks)
        bucket = self.names.get(key)
        if bucket is None or isinstance(bucket, _Exact):
            bucket = _Exact(bucket or (), bucket.forms if bucket else ())
            bucket.forms.add(tuple(t.text for t in toks))
        else:
            bucket = list(bucket)
        if all(a.key != actor.key for a in bucket):
            bucket.append(actor)
        self.names.add(key, bucket)

    def lookup_name(self, name: str) -> list[Actor]:
        """Actors with exactly this full name (folded) or acronym of several words."""
        key = folded_words(name)
        if len(key) == 1:
            return self.words.get(strip_accents(name.strip()), [])
        found: list[Actor] = self.names.get(key, [])
        if isinstance(found, _Exact) and not found.written(tokenize(name), 0):
            return []
        return found

    def find(self, toks: list[Token], countries: Iterable[str], text: str = "") -> list[Match]:
        """Every known actor named in ``toks``, longest name first, no overlaps."""
        found: list[Match] = []
        wanted = set(countries)

        def accept(actors: object) -> Actor | None:
            if isinstance(actors, _Exact) and not actors.written(toks, i):
                return None
            return pick(actors, wanted)  # type: ignore[arg-type]

        starts, acronyms, words = self.names.starts, self.acronyms, self.words
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            if tok.folded in starts:
                last, actor = self.names.longest(toks, i, accept)
                if last > i and isinstance(actor, Actor):
                    found.append(Match(i, last, actor, "ReferenceListMethod"))
                    i = last + 1
                    continue
            single = pick(acronyms[tok.text], wanted) if tok.text in acronyms else None
            # a one-word name glued by a slash is not one: "VIH/Sida" is not Sweden's Sida
            if single is None and tok.text in words and not _slashed(text, tok):
                single = pick(words[tok.text], wanted)
            elif single is None and not tok.text.isascii() and not _slashed(text, tok):
                single = pick(words.get(strip_accents(tok.text), ()), wanted)
            if single is not None:
                found.append(Match(i, i, single, "ReferenceListMethod"))
            i += 1
        return found


def _slashed(text: str, tok: Token) -> bool:
    """The token is glued to a neighbour by a slash ("VIH/Sida")."""
    return text[tok.start - 1 : tok.start] == "/" or text[tok.end : tok.end + 1] == "/"


def _push(index: dict, key: object, actor: Actor) -> None:  # type: ignore[type-arg]
    bucket = index.setdefault(key, [])
    if all(a.key != actor.key for a in bucket):
        bucket.append(actor)


def pick(candidates: Iterable[Actor], countries: Collection[str]) -> Actor | None:
    """The one actor a name means in a record about ``countries``: a national actor of
    one of those countries, else the single international one; ``None`` if ambiguous.
    A name with a scope means its actor only in a record about a country of the scope."""
    options = [a for a in candidates if not a.scope or not a.scope.isdisjoint(countries)]
    if len(options) <= 1:
        only = options[0] if options else None
        if (
            only is not None
            and only.kind in NATIONAL_KINDS
            and only.country
            and countries
            and only.country not in countries
        ):
            return None  # Senegal's employers' council is not named in a Burkina Faso record
        return only
    local = [a for a in options if a.country in countries]
    if len(local) == 1:
        return local[0]
    general = [a for a in options if a.country is None]
    return general[0] if len(general) == 1 and not local else None


_Props = dict[str, list[tuple[str, str | None]]]


@lru_cache(maxsize=1)
def _reference() -> dict[str, _Props]:
    """Subject (below the base) → property → ``(value, language)``, of every file of
    :data:`ACTOR_FILES`."""
    import pyoxigraph as ox

    info: dict[str, _Props] = {}
    for name in ACTOR_FILES:
        for q in ox.parse(path=ontology_file(name), base_iri=_REF_BASE):
            subject = q.subject.value
            if not subject.startswith(_REF_BASE):
                continue
            slot = info.setdefault(subject[len(_REF_BASE) :], {})
            lang = getattr(q.object, "language", None)
            slot.setdefault(q.predicate.value, []).append((q.object.value, lang))
    return info


def _values(props: _Props, prop: str) -> list[str]:
    return [v for v, _ in props.get(prop, [])]


def _below_base(props: _Props, prop: str) -> list[str]:
    return [v[len(_REF_BASE) :] for v in _values(props, prop) if v.startswith(_REF_BASE)]


@lru_cache(maxsize=1)
def seat_places() -> frozenset[str]:
    """The place keys (``place/geonames-…``) of the seats of the ILO, its training centre
    and its offices (``org:hasSite``/``schema:containedInPlace``): reports name them
    whatever country a record is about ("ILO Geneva", "the Bangkok office")."""
    contained = "https://schema.org/containedInPlace"
    return frozenset(
        place for props in _reference().values() for place in _below_base(props, contained)
    )


@lru_cache(maxsize=1)
def _reference_actors() -> dict[str, Actor]:
    """Key → actor: every ``org/`` subject, and every subject typed with a kind (units)."""
    actors = {}
    for key, props in _reference().items():
        types = _values(props, RDF + "type")
        kinds = [v[len(EK) :] for v in types if v[len(EK) :] in KINDS]
        if (not kinds and not key.startswith("org/")) or ORG + "Site" in types:
            continue  # a unit's site, a place: not an actor
        kind = kinds[0] if kinds else "OtherOrganization"
        labels = {lang: v for v, lang in props.get(SKOS + "prefLabel", [])}
        label = labels.get("en") or next(iter(labels.values()), key)
        country = next((v.rsplit("/", 1)[1] for v in _values(props, EK + "country")), None)
        actors[key] = Actor(key=key, label=label, kind=kind, country=country)
    return actors


@lru_cache(maxsize=1)
def reference_lexicon() -> Lexicon:
    """The lexicon of the files of :data:`ACTOR_FILES` (cached; copy before adding to it)."""
    lexicon = Lexicon()
    info, actors = _reference(), _reference_actors()
    for key, actor in actors.items():
        props = info[key]
        for name, _ in props.get(SKOS + "prefLabel", []) + props.get(SKOS + "altLabel", []):
            lexicon.add_name(actor, name)
        scope = frozenset(c.rsplit("/", 1)[1] for c in _values(props, DCT + "spatial"))
        for name in _values(props, SKOS + "hiddenLabel") if scope else ():
            lexicon.add_name(replace(actor, scope=scope), name)
        parents = [info.get(p, {}) for p in _below_base(props, ORG + "unitOf")]
        for acronym in _values(props, EK + "acronym"):
            lexicon.add_acronym(actor, acronym)
            for parent in _values_of(parents, EK + "acronym"):  # "ILO ROAP", "ILO-IPEC"
                lexicon.add_acronym(actor, f"{parent} {acronym}")
    return lexicon


def _values_of(subjects: list[_Props], prop: str) -> list[str]:
    return [v for props in subjects for v in _values(props, prop)]


#: Administrative codes read as a name: "RO-Latin America and the Caribbean".
_CODE_NAMES = (("RO-", "ILO Regional Office for "),)
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_AROUND = re.compile(r"\s*([/-])\s*")


def _code_key(value: str) -> str:
    """``value`` compared as a code: no case, accents, dash variants or spaces around
    ``-`` and ``/`` ("CO – Dhaka" is "co-dhaka")."""
    text = strip_accents(unicodedata.normalize("NFC", value)).casefold()
    text = _AROUND.sub(r"\1", _DASHES.sub("-", text))
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _unit_codes() -> dict[str, Actor | None]:
    """Code (:func:`_code_key`) → the ILO unit whose notation or acronym it is (``None``
    for a code that several units share)."""
    codes: dict[str, Actor | None] = {}
    info = _reference()
    for key, actor in _reference_actors().items():
        if actor.kind != "IloUnit":
            continue
        props = info[key]
        for code in _values(props, SKOS + "notation") + _values(props, EK + "acronym"):
            k = _code_key(code)
            codes[k] = actor if codes.get(k, actor) == actor else None
    return codes


def notations(actor: Actor) -> list[str]:
    """The codes (skos:notation) the reference files give ``actor``: a unit's codes as
    ``admin_units`` writes them."""
    return _values(_reference().get(actor.key, {}), SKOS + "notation")


def ilo_unit_starting(words: str) -> Actor | None:
    """The one reference ILO unit whose English name starts with ``words`` ("Evaluation":
    the Evaluation Office; "Labour Law": the Labour Law and Reform Unit), else ``None``;
    for a list of units named by their first words (:mod:`kg.extract.recognize`)."""
    key = " ".join(folded_words(words))
    found = [
        actor
        for actor in _reference_actors().values()
        if actor.kind == "IloUnit"
        and " ".join(folded_words(actor.label.removeprefix("ILO "))).startswith(key + " ")
    ]
    return found[0] if len(found) == 1 and key else None


def ilo_unit(value: str) -> Actor | None:
    """The reference ILO unit an ``admin_units`` value names: by its code (skos:notation or
    ek:acronym: "CO-Dhaka", "FUNDAMENTALS"), else by a name or acronym of the lexicon that
    spans the whole value ("ILO ROAP", "ILO Country Office for Bangladesh", "RO-{region}"
    read as the regional office's name). ``None`` when it names no unit, or several.

    >>> ilo_unit("CO-Dhaka").key
    'unit/co-dhaka'
    >>> ilo_unit("RO-Asia and the Pacific") == ilo_unit("ROAP")
    True
    """
    found = _unit_codes().get(_code_key(value))
    if found is not None:
        return found
    texts = [value] + [
        name + value[len(code) :] for code, name in _CODE_NAMES if value.startswith(code)
    ]
    for text in texts:
        toks = tokenize(text)
        matches = reference_lexicon().find(toks, (), text) if toks else []
        whole = len(matches) == 1 and (matches[0].first, matches[0].last) == (0, len(toks) - 1)
        if whole and matches[0].actor.kind == "IloUnit":
            return _reference_actors()[matches[0].actor.key]
    return None


def copy_lexicon(source: Lexicon) -> Lexicon:
    """A lexicon that can learn new names without changing ``source``."""
    return Lexicon(
        names=_copy_table(source.names),
        words={k: list(v) for k, v in source.words.items()},
        acronyms={k: list(v) for k, v in source.acronyms.items()},
    )


def _copy_table(source: PhraseTable) -> PhraseTable:
    table = PhraseTable()
    for key, value in source.items():
        table.add(key, _Exact(value, value.forms) if isinstance(value, _Exact) else list(value))
    return table
