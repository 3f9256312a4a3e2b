"""Compatibility names for tests not yet ported to :mod:`tests.fakes.server` (tests/test_forges_cli.py).

Delete this module once nothing imports it.
"""

from tests.fakes.server import FakeClock, FakeServer, Reply, Seen

__all__ = ["FakeClock", "FakeServer", "Reply", "Seen"]
