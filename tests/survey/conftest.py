"""A small survey world: four pinned inputs on the fake server, sharing packages and accounts."""

from __future__ import annotations

import pytest

#: Collectors that ask services the shared server does not fake here: off by name, so that worker
#: processes (which do not see the tests' monkeypatch of auditor.pipeline.COLLECTORS) run the same set.
OFF = frozenset({"history", "github", "gitlab", "scorecard", "depsdev", "subdirectory"})


@pytest.fixture
def world(fake_pypi, tmp_path):
    """``(config, folder)``: inputs a/, b/, c/ (requirements) and broken/ (a line that is no requirement)."""
    fake_pypi.add("core", "1.0", roles=(("Owner", "solo"),))
    fake_pypi.add("web", "2.0", requires_dist=("core>=1",), roles=(("Owner", "alice"), ("Maintainer", "bob")),
                  project_urls=(("Source", "https://github.com/o/web"),))
    fake_pypi.add("cli", "3.0", requires_dist=("core",), roles=(("Owner", "solo"),))
    fake_pypi.add("db", "1.5", roles=(("Owner", "carol"),))
    root = tmp_path / "repos"
    for name, text in {"a": "web==2.0\ncore==1.0\n", "b": "cli==3.0\ncore==1.0\n", "c": "db==1.5\nweb==2.0\ncore==1.0\n",
                       "broken": "core==1.0\n!!! not a requirement\n"}.items():
        (root / name).mkdir(parents=True)
        (root / name / "requirements.txt").write_text(text)
    return root
