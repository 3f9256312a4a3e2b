"""Installed environments are read from metadata; no package code ever runs."""

import json

import pytest

from auditor.config import Config
from auditor.errors import SourceError
from auditor.sources.environment import EnvironmentSource
from tests.builders import collect


def test_reads_distributions_edges_and_roots(fake_env):
    fake_env.install("app", "1.0", requires_dist=["lib>=1", 'winonly; sys_platform == "win32"'])
    fake_env.install("lib", "2.0", requires_dist=["base"])
    fake_env.install("base", "3.0")
    fake_env.install("Standalone_Tool", "0.1")
    inv = collect(EnvironmentSource(fake_env.python), Config())
    by = inv.by_name()
    assert set(by) == {"app", "lib", "base", "standalone-tool"}
    assert [e.target for e in by["app"].requires] == ["lib"]
    assert [e.target for e in by["lib"].requires] == ["base"]
    # Roots are the distributions nothing else requires, like pipdeptree's top level.
    assert sorted(e.target for e in inv.root_requires) == ["app", "standalone-tool"]
    assert by["app"].direct and not by["lib"].direct
    assert inv.root_kind == "environment" and inv.resolver == "installed"
    assert inv.interpreter_version.count(".") == 2
    assert inv.target.sys_platform


def test_pth_files_of_audited_packages_are_not_executed(fake_env, tmp_path):
    marker = tmp_path / "pwned"
    fake_env.install("evil", "1.0")
    (fake_env.site / "evil.pth").write_text(f"import os; open({str(marker)!r}, 'w').write('x')\n")
    (fake_env.site / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    inv = collect(EnvironmentSource(fake_env.python), Config())
    assert "evil" in inv.by_name()
    assert not marker.exists()


def test_direct_url_origin(fake_env):
    fake_env.install(
        "mine", "0.1",
        direct_url=json.dumps({"url": "https://github.com/me/mine", "vcs_info": {"vcs": "git", "commit_id": "abc"}}),
    )
    d = collect(EnvironmentSource(fake_env.python), Config()).by_name()["mine"]
    assert d.origin.kind == "vcs" and d.origin.url == "git+https://github.com/me/mine"


def test_missing_interpreter_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such interpreter"):
        collect(EnvironmentSource(str(tmp_path / "nope" / "python")), Config())
