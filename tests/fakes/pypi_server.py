"""Compatibility names for tests not yet ported to :mod:`tests.fakes.server` (tests/test_cli_diff.py).

Delete this module once nothing imports it.
"""

from tests.fakes.server import FakeServer, metadata_text, project_doc

__all__ = ["FakePyPI", "metadata_text", "project_doc"]


def FakePyPI(load_fixtures: bool = True) -> FakeServer:  # noqa: N802 - the old class name
    """The shared fake server, preloaded with the recorded fixtures."""
    return FakeServer(load_fixtures=load_fixtures)
