"""Known actors: the reference organizations of ``ontology/actors.ttl`` and the lexicon
that finds them in text by any name or acronym.

Names match on word boundaries, tolerant of case, accents and punctuation; acronyms (and
one-word names such as "Sida", which in capitals means AIDS) match as written, so that
"CUT" is never found inside "EXECUTE" nor "SIDA" taken for Sweden's agency. An acronym
that several organizations share (CUT in Chile, Brazil, Colombia) resolves by the
record's countries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .resources import ontology_file
from .textscan import PhraseTable, Token, folded_words, strip_accents
from .textscan import tokens as tokenize
from .vocab import EK, RDF, SKOS

KINDS = (
    "UNAgency",
    "GovernmentBody",
    "Municipality",
    "TradeUnion",
    "EmployersOrganization",
    "CivilSocietyOrganization",
    "Donor",
    "OtherOrganization",
)
#: Kinds of organization that act in one country only.
NATIONAL_KINDS = frozenset(
    ["GovernmentBody", "Municipality", "TradeUnion", "EmployersOrganization"]
)
_REF_BASE = "http://actors.invalid/"


@dataclass(frozen=True, slots=True)
class Actor:
    """An organization: ``key`` is its IRI below the base (``org/ilo``), ``kind`` the
    local name of its ek: class, ``country`` an ISO alpha-3 code for national actors."""

    key: str
    label: str
    kind: str
    country: str | None = None
    reference: bool = True


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
        bucket = self.names.get(key) or []
        if all(a.key != actor.key for a in bucket):
            self.names.add(key, [*bucket, actor])

    def add_acronym(self, actor: Actor, acronym: str) -> None:
        """Index an acronym, matched exactly as written."""
        toks = tokenize(acronym)
        if len(toks) == 1:
            _push(self.acronyms, toks[0].text, actor)
        elif toks:  # "UN-Habitat", "ITC-ILO": several words, matched as a name
            self.add_name(actor, acronym)

    def lookup_name(self, name: str) -> list[Actor]:
        """Actors with exactly this full name (folded)."""
        key = folded_words(name)
        if len(key) == 1:
            return self.words.get(strip_accents(name.strip()), [])
        found: list[Actor] = self.names.get(key, [])
        return found

    def find(self, toks: list[Token], countries: Iterable[str], text: str = "") -> list[Match]:
        """Every known actor named in ``toks``, longest name first, no overlaps."""
        found: list[Match] = []
        wanted = set(countries)

        def accept(actors: object) -> Actor | None:
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
    one of those countries, else the single international one; ``None`` if ambiguous."""
    options = list(candidates)
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


@lru_cache(maxsize=1)
def reference_lexicon() -> Lexicon:
    """The lexicon of ``ontology/actors.ttl`` (cached; copy before adding to it)."""
    import pyoxigraph as ox

    lexicon = Lexicon()
    quads = list(ox.parse(path=ontology_file("actors.ttl"), base_iri=_REF_BASE))
    info: dict[str, dict[str, list[tuple[str, str | None]]]] = {}
    for q in quads:
        subject = q.subject.value
        if not subject.startswith(_REF_BASE + "org/"):
            continue
        slot = info.setdefault(subject[len(_REF_BASE) :], {})
        lang = getattr(q.object, "language", None)
        slot.setdefault(q.predicate.value, []).append((q.object.value, lang))
    for key, props in info.items():
        kinds = [v for v, _ in props.get(RDF + "type", []) if v[len(EK) :] in KINDS]
        kind = kinds[0][len(EK) :] if kinds else "OtherOrganization"
        labels = {lang: v for v, lang in props.get(SKOS + "prefLabel", [])}
        label = labels.get("en") or next(iter(labels.values()), key)
        country = next((v.rsplit("/", 1)[1] for v, _ in props.get(EK + "country", [])), None)
        actor = Actor(key=key, label=label, kind=kind, country=country)
        for name, _ in props.get(SKOS + "prefLabel", []) + props.get(SKOS + "altLabel", []):
            lexicon.add_name(actor, name)
        for acronym, _ in props.get(EK + "acronym", []):
            lexicon.add_acronym(actor, acronym)
    return lexicon


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
        table.add(key, list(value))
    return table
