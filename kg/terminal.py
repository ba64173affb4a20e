r"""Record text on a terminal: what a terminal would act on or hide, shown as escapes.

Record text is hostile until escaped: an ANSI sequence in a lesson could recolour, move
the cursor or retitle the terminal, a bidirectional override reverse what follows. Every
table evalkg prints (``query --format table``, ``metrics``) shows cells through
:func:`terminal_text`; data formats written to files keep the text byte for byte.

>>> print(terminal_text("red \x1b[31mtext\x1b[0m\n\u202eend"))
red \x1b[31mtext\x1b[0m \u202eend
"""

from __future__ import annotations

import re

#: Characters a terminal acts on or hides, shown as escapes by :func:`terminal_text`: C0
#: controls (but the white space a cell flattens: tab, line feed, vertical tab, form feed,
#: carriage return), DEL, C1 controls, zero-width characters, line and paragraph
#: separators, bidirectional embeddings, overrides and isolates.
_INVISIBLE = {
    code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in [
        *range(0x09),
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        *range(0x200B, 0x2010),
        *range(0x2028, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


_ANY_INVISIBLE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")


def terminal_text(text: object, width: int = 0) -> str:
    """Record text for one line of a terminal: each control, zero-width or bidirectional
    character as a visible escape (``\\x1b``, ``\\u202e``; an ANSI sequence then shows
    as text), white space (tabs, line breaks) as one space; cut to ``width`` characters
    with ``…`` (0: whole)."""
    text = str(text)
    if _ANY_INVISIBLE.search(text):  # rare: the scan is 10x faster than the translation
        text = text.translate(_INVISIBLE)
    flat = " ".join(text.split())
    return flat if not width or len(flat) <= width else flat[: width - 1] + "…"
