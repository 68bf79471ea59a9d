"""Python's garbage collector set for rendering: rare collections, warm-up left alone.

Laying out a page makes millions of short-lived objects. With the default
thresholds the collector ran 2,500 times over 20 PDFs, and its 19 full
collections rescanned everything the warm-up had loaded (fonts, templates,
catalogs, stylesheets): 1.7 s of CPU, a sixth of a cold build. While
rendering, what exists is frozen (never scanned again, and not touched in the
forked workers that share it), and the youngest objects are collected every
100,000 allocations rather than every 700. Memory is still reclaimed: most
of a render's objects are freed by reference counting, and the cycles by
the collections that remain. Afterwards the collector is as it was.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator

THRESHOLDS = (100_000, 50, 100)


@contextlib.contextmanager
def set_for_rendering() -> Iterator[None]:
    """Freeze what exists and collect rarely until the block ends."""
    before = gc.get_threshold()
    gc.freeze()  # no collection first: 50 ms before the workers start, for little memory
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
