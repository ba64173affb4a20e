"""Text folding and tokens with character offsets into the original text.

Folding removes accents and case but keeps the length, so a token's offsets in the
folded text are its offsets in the original.

>>> toks = tokens("La Vicaría de la Pastoral Social Cáritas (CUT).")
>>> [(t.text, t.folded, t.start) for t in toks][:3]
[('La', 'la', 0), ('Vicaría', 'vicaria', 3), ('de', 'de', 11)]
>>> strip_accents("Cáritas") == "Caritas"
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _accent_table() -> dict[int, str]:
    """Latin letters with diacritics → their base letter (one character for one)."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != char:
            table[code] = base
    return table


def strip_accents(text: str) -> str:
    """``text`` without diacritics on Latin letters, same length, case kept."""
    return text.translate(_accent_table())


def fold(text: str) -> str:
    """Lower case without accents, same length as ``text``."""
    folded = strip_accents(text).lower()
    if len(folded) == len(text):
        return folded
    return "".join((strip_accents(c).lower() or c)[:1] or c for c in text)


@dataclass(frozen=True, slots=True)
class Token:
    """A word: its text as written, folded, and its offsets (end exclusive)."""

    text: str
    folded: str
    start: int
    end: int

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def all_caps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (runs of letters and digits) with offsets."""
    folded = fold(text)
    return [
        Token(text[m.start() : m.end()], m.group(), m.start(), m.end())
        for m in _WORD.finditer(folded)
    ]


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens."""
    return text[left.end : right.start]
