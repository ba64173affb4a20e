"""Text folding and tokens with character offsets into the original text.

:func:`lower_plain` removes accents and case but keeps the length, so a token's offsets
in the folded text are its offsets in the original; :func:`name_key` is the key a name
is looked up by (its folded words, punctuation off).

>>> toks = tokens("La Vicaría de la Pastoral Social Cáritas (CUT).")
>>> [(t.text, t.folded, t.start) for t in toks][:3]
[('La', 'la', 0), ('Vicaría', 'vicaria', 3), ('de', 'de', 11)]
>>> strip_accents("Cáritas") == "Caritas"
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

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


def lower_plain(text: str) -> str:
    """Lower case without accents, same length as ``text`` (so offsets hold).

    >>> lower_plain("Côte d’Ivoire")
    'cote d’ivoire'
    """
    folded = strip_accents(text).lower()
    if len(folded) == len(text):
        return folded
    return "".join((strip_accents(c).lower() or c)[:1] or c for c in text)


class Token(NamedTuple):
    """A word: its text as written, folded, and its offsets (end exclusive). (A named
    tuple: a build makes millions of them.)"""

    text: str
    folded: str
    start: int
    end: int
    capitalized: bool  # starts with a capital
    all_caps: bool  # two or more letters, all capitals (an acronym)


def tokens(text: str) -> list[Token]:
    """The words of ``text`` (runs of letters and digits) with offsets."""
    folded = lower_plain(text)
    out = []
    for m in _WORD.finditer(folded):
        start, end = m.span()
        word = text[start:end]
        caps = end - start >= 2 and word.isupper() and sum(c.isalpha() for c in word) >= 2
        out.append(Token(word, m.group(), start, end, word[:1].isupper(), caps))
    return out


def folded_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, without offsets (for building indexes)."""
    return tuple(_WORD.findall(lower_plain(text)))


def name_key(value: str) -> str:
    """The key a name is looked up by: case-, accent- and punctuation-insensitive.

    >>> name_key("Côte d'Ivoire"), name_key("  Mid-term ")
    ('cote d ivoire', 'mid term')
    """
    return " ".join(folded_words(value))


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens."""
    return text[left.end : right.start]


class PhraseTable(dict):  # type: ignore[type-arg]
    """Folded word tuples → values, with the prefixes of every key, so that the longest
    phrase starting at a token is found in as many look-ups as it has words."""

    def __init__(self) -> None:
        super().__init__()
        self.prefixes: set[tuple[str, ...]] = set()
        self.starts: set[str] = set()  # first words of the keys

    def add(self, words: tuple[str, ...], value: object) -> None:
        self[words] = value
        self.starts.add(words[0])
        for n in range(1, len(words)):
            self.prefixes.add(words[:n])

    def longest(self, toks: list[Token], i: int, accept: object = None) -> tuple[int, object]:
        """``(last token, value)`` of the longest phrase at token ``i`` (``(-1, None)``
        when none); ``accept(value)`` may turn a value down (return ``None``) or map it."""
        best: tuple[int, object] = (-1, None)
        if toks[i].folded not in self.starts:
            return best
        key: tuple[str, ...] = (toks[i].folded,)
        j = i
        while True:
            value = self.get(key)
            if value is not None:
                chosen = accept(value) if callable(accept) else value
                if chosen is not None:
                    best = (j, chosen)
            j += 1
            if key not in self.prefixes or j >= len(toks):
                return best
            key = (*key, toks[j].folded)
