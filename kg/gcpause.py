"""Python's cycle collector, paused while a block builds many objects at once.

A network projection of 100,000 lessons builds millions of small lists, sets and dicts
that hold no reference cycles; while they are made, the cycle collector runs again and
again over everything alive, for nothing: on the actors view of 100,000 synthetic
records, 2-3 s of about 15 s (``benchmarks/bench_view.py``). Reference counting still
frees what the block drops; the collector runs again when the block ends.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector for the block (nested blocks are fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
