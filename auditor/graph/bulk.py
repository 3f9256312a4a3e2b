"""Pausing Python's cyclic garbage collector while a stage builds many objects.

The stages after collection (graph, scoring, the JSON and GraphML writers)
allocate hundreds of thousands of small objects that stay alive (factors,
attribute dicts, records) and make no reference cycles to free.  Python's
collector still runs a full collection, a walk over every live object,
each time the live set has grown by a quarter: on a 10,000-package graph
that was 30-45 % of those stages' time (``benchmarks/bench_scale.py``, issue
14).  Reference counting frees everything as usual while the pause lasts;
only cycles wait for the next collection after it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def bulk() -> Iterator[None]:
    """Run the block with the cyclic collector paused (restored on exit, nested blocks included).

    The collector is process-wide: a block only pauses it, and re-enables it
    on exit only if it was enabled on entry.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
