"""A lesson record as read from an i-eval Discovery page: plain data, no RDF yet."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Evaluation-level fields of a page, in page order.
EVALUATION_FIELDS = ("eval_number", "eval_url", "eval_title")
#: Free-text fields of a lesson, in page order (``comments`` holds the targeted users).
TEXT_FIELDS = (
    "comments",
    "challenges",
    "success",
    "context",
    "description",
    "administrative_issues",
)
#: Containers: keys with no value of their own.
CONTAINERS = ("lessons_learned", "themes", "location")
#: Keys that open or complete a pair inside a container.
PAIR_FIELDS = ("theme", "category", "country", "region")
#: Every key the reader knows.
KNOWN_FIELDS = frozenset((*EVALUATION_FIELDS, *TEXT_FIELDS, *CONTAINERS, *PAIR_FIELDS, "url"))


@dataclass(slots=True)
class ThemePair:
    """One ``theme``/``category`` pair of a lesson (either may be missing)."""

    theme: str | None = None
    category: str | None = None


@dataclass(slots=True)
class LocationPair:
    """One ``country``/``region`` pair of a lesson (either may be missing)."""

    country: str | None = None
    region: str | None = None


@dataclass(slots=True)
class Record:
    """One lesson page. Values are verbatim; ``None`` means the page gave no value.

    ``source`` is the file it came from, ``line`` the line of a JSON Lines record
    (``None`` for a page file), ``sha256`` the digest of the record's bytes.
    """

    source: str
    sha256: str
    line: int | None = None
    heading: str | None = None
    eval_number: str | None = None
    eval_url: str | None = None
    eval_title: str | None = None
    lesson_url: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    themes: list[ThemePair] = field(default_factory=list)
    locations: list[LocationPair] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """``file`` or ``file:line``, for messages."""
        return self.source if self.line is None else f"{self.source}:{self.line}"

    @property
    def title(self) -> str | None:
        """The evaluation title: ``eval_title``, else the page heading."""
        return self.eval_title if self.eval_title is not None else self.heading

    @property
    def unknown_keys(self) -> list[str]:
        """Keys of the record that the reader does not know (kept in ``extra``)."""
        return [key for key, _ in self.extra if key not in KNOWN_FIELDS]
