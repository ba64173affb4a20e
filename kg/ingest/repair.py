"""Mojibake: what recognition and labels read, repaired; the verbatim text kept as it is.

Crawled pages carry text decoded with the wrong character set (``employersÂ’`` for
``employers’``, ``rÃ©sultats``) and apostrophes replaced on the way (``ILO¿s``, ``project´s``).
:func:`repair` fixes them with ftfy (the maintained library for this), plus two narrow
rules for what ftfy leaves because the text alone cannot prove it wrong: a lone ``Â``
before a Windows-1252 punctuation mark, and ``¿``/``´`` standing for an apostrophe between
letters. :class:`Repaired` maps offsets in the repaired text back to the verbatim text,
so that evidence still points into the literal the graph keeps.

>>> fixed = repair("the employersÂ’ and ILO¿s role")
>>> fixed.text
'the employers’ and ILO’s role'
>>> start = fixed.text.index("ILO")
>>> begin, end = fixed.original(start, start + 5)
>>> fixed.verbatim[begin:end]
'ILO¿s'
>>> repair("plain text").changed
False
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# "Â" before a punctuation mark of Windows-1252's 0x80-0x9F range: the UTF-8 bytes C2 8x/9x
# of a C1 control read as Windows-1252 (ftfy cannot tell it from a real "Â" in a short text).
_LONE_A = re.compile("Â([‚„…†‡‰‹‘’“”•–—˜™›])")
# "¿" or "´" between letters, where an apostrophe was: "ILO¿s", "project´s".
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[¿´](?=[^\W\d_])")
# What mojibake starts with (the lead byte of a UTF-8 sequence read as Windows-1252 or
# Latin-1, a C1 control, a replacement character) and the stand-ins for an apostrophe:
# text without any of them is left to the plain path (most Spanish and French text).
_TOKEN = re.compile(r"\S+|\s+")
_SUSPECT = re.compile("[\u0080-\u009f\u00c2\u00c3\u00c5\u00e2\u00bf\u00b4\ufffd]")


@dataclass(frozen=True, slots=True)
class Repaired:
    """``text`` repaired from ``verbatim``; :meth:`original` maps spans back."""

    verbatim: str
    text: str
    # (start in text, start in verbatim) of each run the two texts share, in order
    _anchors: tuple[tuple[int, int, int], ...] = field(default=())
    _starts: tuple[int, ...] = field(default=())  # each anchor's start in text

    @property
    def changed(self) -> bool:
        return self.text != self.verbatim

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``verbatim`` that ``text[start:end]`` was repaired from."""
        if not self.changed:
            return start, end
        return self._position(start, left=True), self._position(end, left=False)

    def _position(self, offset: int, *, left: bool) -> int:
        anchors = self._anchors
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return 0
        a, b, size = anchors[index]
        if offset <= a + size:
            return b + (offset - a)
        # inside a repaired stretch: its whole verbatim span
        if left:
            return b + size
        following = anchors[index + 1] if index + 1 < len(anchors) else None
        return following[1] if following is not None else len(self.verbatim)


@lru_cache(maxsize=4096)
def repair(verbatim: str) -> Repaired:
    """``verbatim`` with its mojibake repaired (see the module's docstring).

    Each run of non-space characters that holds a suspect character is repaired on its
    own, so the work and the offset map stay linear in the text's length, and an
    offset inside an unchanged run maps exactly."""
    if not _SUSPECT.search(verbatim):
        return Repaired(verbatim, verbatim)
    parts: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    done = 0  # characters of the repaired text so far
    for token in _TOKEN.finditer(verbatim):
        piece = token.group()
        if _SUSPECT.search(piece):
            fixed = _APOSTROPHE.sub("’", _LONE_A.sub(r"\1", ftfy.fix_text(piece, _CONFIG)))
        else:
            fixed = piece
        if fixed == piece:
            anchors.append((done, token.start(), len(piece)))
        else:  # the ends a repair leaves alone still map exactly
            head = _shared(piece, fixed)
            tail = _shared(piece[head:][::-1], fixed[head:][::-1])
            if head:
                anchors.append((done, token.start(), head))
            if tail:
                anchors.append((done + len(fixed) - tail, token.end() - tail, tail))
        parts.append(fixed)
        done += len(fixed)
    text = "".join(parts)
    if text == verbatim:
        return Repaired(verbatim, verbatim)
    return Repaired(verbatim, text, tuple(anchors), tuple(a for a, _, _ in anchors))


def _shared(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def repaired(verbatim: str) -> str:
    """Just the repaired text."""
    return repair(verbatim).text
