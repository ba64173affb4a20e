"""A finding as read from an i-eval Discovery page: plain data, no RDF yet.

i-eval Discovery publishes three types of evaluation findings, each on a page of its own:
lessons learned (``/lessons/<id>``), emerging good practices (``/practices/<id>``) and
recommendations with the ILO's management response (``/recommendations/<id>``). They
share the evaluation fields, the themes and the locations; their own fields differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import RecordError

#: The record types, as the site's addresses name them (``/lessons/``, ``/practices/``…).
LESSON, PRACTICE, RECOMMENDATION = "lesson", "practice", "recommendation"
RECORD_TYPES = (LESSON, PRACTICE, RECOMMENDATION)
#: Record type → its name in the plural, for messages.
TYPE_NAMES = {LESSON: "lessons", PRACTICE: "good practices", RECOMMENDATION: "recommendations"}
#: Record type → the path segment of its address on the site.
URL_SEGMENTS = {LESSON: "lessons", PRACTICE: "practices", RECOMMENDATION: "recommendations"}

#: Evaluation-level fields of a page, in page order.
EVALUATION_FIELDS = ("eval_number", "eval_url", "eval_title")
#: Each type's own fields, in the site's page order. A lesson's ``comments`` holds its
#: targeted users; a recommendation's holds management's comments, and its ``title`` the
#: recommendation's own text (the evaluation's title is ``eval_title``).
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    LESSON: (
        "comments",
        "challenges",
        "success",
        "context",
        "description",
        "administrative_issues",
    ),
    PRACTICE: ("replication", "cause_effect", "context", "description", "links", "indicators"),
    RECOMMENDATION: (
        "date",
        "comments",
        "action_plan",
        "management_response",
        "progress",
        "admin_units",
        "title",
        "project_symbols",
        "information_source",
    ),
}
#: Every type's own fields, in one order (a lesson's first).
TEXT_FIELDS = tuple(dict.fromkeys(f for fields in TYPE_FIELDS.values() for f in fields))
#: Record type → its container key (a key with no value of its own).
TYPE_CONTAINERS = {
    LESSON: "lessons_learned",
    PRACTICE: "good_practices",
    RECOMMENDATION: "recommendations",
}
#: Containers: keys with no value of their own.
CONTAINERS = (*TYPE_CONTAINERS.values(), "themes", "location")
#: Keys that open or complete a pair inside a container.
PAIR_FIELDS = ("theme", "category", "country", "region")
#: Every key the reader knows.
KNOWN_FIELDS = frozenset((*EVALUATION_FIELDS, *TEXT_FIELDS, *CONTAINERS, *PAIR_FIELDS, "url"))


@dataclass(slots=True)
class ThemePair:
    """One ``theme``/``category`` pair (either may be missing), verbatim by key."""

    theme: str | None = None
    category: str | None = None


@dataclass(slots=True)
class LocationPair:
    """One ``country``/``region`` pair (either may be missing)."""

    country: str | None = None
    region: str | None = None


@dataclass(slots=True)
class Record:
    """One finding's page. Values are verbatim; ``None`` means the page gave no value.

    ``source`` is the file it came from, ``line`` the line of a JSON Lines record
    (``None`` for a page file), ``sha256`` the digest of the record's bytes, ``kind`` its
    type (:data:`RECORD_TYPES`), ``layout`` ``"dash"``, ``"plain"`` (the site's second
    layout) or ``"json"``. ``placeholders`` keeps, by field, what the page wrote for "no
    value" (``N/A``, ``-``…); ``truncated`` is true when the page stops short.
    """

    source: str
    sha256: str
    line: int | None = None
    kind: str = LESSON
    layout: str = "dash"
    heading: str | None = None
    eval_number: str | None = None
    eval_url: str | None = None
    eval_title: str | None = None
    url: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    themes: list[ThemePair] = field(default_factory=list)
    locations: list[LocationPair] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    placeholders: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def lesson_url(self) -> str | None:
        """The page's own address (``url``), whatever the record's type."""
        return self.url

    @property
    def where(self) -> str:
        """``file`` or ``file:line``, for messages."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    @property
    def title(self) -> str | None:
        """The evaluation title: ``eval_title``, else the page heading."""
        return self.eval_title if self.eval_title is not None else self.heading

    @property
    def fields(self) -> tuple[str, ...]:
        """The own fields of the record's type."""
        return TYPE_FIELDS[self.kind]

    @property
    def unknown_keys(self) -> list[str]:
        """Keys of the record that the reader does not know (kept in ``extra``)."""
        return [key for key, _ in self.extra if key not in KNOWN_FIELDS]


@dataclass(slots=True)
class Rejected:
    """A source that is not a record, with the reason (a :class:`RecordError`)."""

    source: str
    error: RecordError
