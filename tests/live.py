"""Live-network helpers: tests marked ``network`` skip themselves when PyPI is unreachable."""

from __future__ import annotations

import socket
from functools import lru_cache

import pytest


@lru_cache(maxsize=1)
def pypi_reachable() -> bool:
    """Whether pypi.org accepts a TCP connection on 443 within 3 s (checked once per run)."""
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


#: Decorator for tests that talk to live PyPI.
live_pypi = pytest.mark.skipif("not __import__('tests.live', fromlist=['pypi_reachable']).pypi_reachable()",
                               reason="PyPI unreachable")
