"""The fold the text index keeps (:mod:`kg.store.lessonindex`) and looks keywords up by
(:mod:`kg.sparql.textsearch`): lower case, accents off.

The index need only find a *superset* of the texts a query's keyword filter keeps. The
query folds with ``LCASE`` and a chain of ``REPLACE`` (à…ü, ç, ñ, curly apostrophes).
:func:`fold` lowers the same way (Python's ``str.lower``) and then maps one character at
a time, more coarsely than the query: every accent off (decomposed, the combining marks
dropped), curly apostrophes straight, case-folded; so it equals a per-character mapping
of the query's fold (the tests check that on random text). Containment survives a
per-character mapping: a text whose SPARQL fold contains the keyword's has a Python fold
that contains the keyword's too. The two ``lower`` agree on every character both Unicode
databases know (the final sigma, written by context, is undone by ``casefold``); a text
with a character this Python's database does not know is kept out of the FTS table and
always offered as a candidate, and such a keyword is not narrowed.

>>> fold("Educación TÉCNICA, ÇA’")
"educacion tecnica, ca'"
>>> folded_text("l\\u0378a") is None  # a character no Unicode version assigns so far
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: The combining marks :func:`fold` drops after decomposing (every accent the query
#: removes is one of them: à = a + U+0300, ç = c + U+0327, ñ = n + U+0303).
_MARKS = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=4096)
def _unknown(char: str) -> bool:
    return unicodedata.category(char) == "Cn"


def known(text: str) -> bool:
    """Whether every character of ``text`` is assigned in this Python's Unicode
    database (so :func:`fold` lowers it as the SPARQL engine does)."""
    if text.isascii():
        return True
    try:
        text.encode("cp1252")  # every character of that code page is assigned
        return True
    except UnicodeEncodeError:
        return not any(_unknown(c) for c in set(text) if c > "\x7f")


def fold(text: str) -> str:
    """``text`` in lower case, its accents off and curly apostrophes straight, case-folded:
    what the text index holds and looks up (coarser than the query's fold)."""
    lower = text.lower()
    if lower.isascii():
        return lower
    plain = _MARKS.sub("", unicodedata.normalize("NFD", lower))
    return plain.replace("’", "'").replace("‘", "'").casefold()


def folded_text(text: str) -> str | None:
    """What the text index keeps of a lesson text: :func:`fold`, or ``None`` when the
    text holds a character :func:`known` does not vouch for (always a candidate)."""
    return fold(text) if known(text) else None
