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
from difflib import SequenceMatcher
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
_SUSPECT = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


@dataclass(frozen=True, slots=True)
class Repaired:
    """``text`` repaired from ``verbatim``; :meth:`original` maps spans back."""

    verbatim: str
    text: str
    # (start in text, start in verbatim) of each run the two texts share, in order
    _anchors: tuple[tuple[int, int, int], ...] = field(default=())

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
        index = bisect_right([a for a, _, _ in anchors], offset) - 1
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
    """``verbatim`` with its mojibake repaired (see the module's docstring)."""
    if not _SUSPECT.search(verbatim):
        return Repaired(verbatim, verbatim)
    text = ftfy.fix_text(verbatim, _CONFIG)
    text = _LONE_A.sub(r"\1", text)
    text = _APOSTROPHE.sub("’", text)
    if text == verbatim:
        return Repaired(verbatim, verbatim)
    matcher = SequenceMatcher(None, text, verbatim, autojunk=False)
    anchors = tuple(
        (block.a, block.b, block.size) for block in matcher.get_matching_blocks() if block.size
    )
    return Repaired(verbatim, text, anchors)


def repaired(verbatim: str) -> str:
    """Just the repaired text."""
    return repair(verbatim).text
