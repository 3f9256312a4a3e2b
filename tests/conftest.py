"""Shared fixtures: the fake server on 127.0.0.1 (tests/fakes/server.py), configs that point at it, small environments."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.models import TargetEnvironment
from tests.fakes.hub import FakeHub
from tests.builders import publish, uv_lock
from tests.fakes.server import FakeServer, metadata_text


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's tokens, cache or index settings."""
    for var in ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "AUDITOR_PYPI_URL", "AUDITOR_INDEX_URL",
                "AUDITOR_GITHUB_API_URL", "AUDITOR_GITHUB_HOST", "AUDITOR_GITLAB_URL", "AUDITOR_SCORECARD_URL",
                "AUDITOR_DEPSDEV_URL", "AUDITOR_OSV_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "default-cache"))
    # The Hugging Face Hub: never huggingface.co (a closed local port unless a test mounts the fake Hub).
    for var in ("HF_TOKEN", "HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    # Retries keep their count but not their real-world backoff (tests stay fast).
    monkeypatch.setattr("auditor.net.http.BACKOFF_BASE", 0.01)
    # The forge enrichers talk to services the tests fake explicitly; a test
    # that wants them patches auditor.pipeline.COLLECTORS itself.
    from auditor import pipeline

    monkeypatch.setattr("auditor.pipeline.COLLECTORS", tuple(
        row for row in pipeline.COLLECTORS if row[0] not in ("github", "gitlab", "scorecard", "depsdev", "subdirectory")))


@pytest.fixture
def fake_pypi(monkeypatch):
    """The running shared :class:`FakeServer`, preloaded with the recorded PyPI fixtures.

    It also answers the OSV API (no advisories unless a test adds some);
    ``$AUDITOR_OSV_URL`` points at it so that CLI runs never try api.osv.dev.
    """
    with FakeServer(load_fixtures=True, hub=FakeHub()) as server:
        monkeypatch.setenv("AUDITOR_OSV_URL", server.url)
        monkeypatch.setenv("HF_ENDPOINT", server.url)  # the fake Hub (tests/fakes/hub.py), empty unless a test adds to it
        yield server


@pytest.fixture
def config(tmp_path, fake_pypi) -> Config:
    """A Config whose PyPI and index are the fake server and whose cache is per-test."""
    return Config(
        cache_dir=tmp_path / "cache",
        pypi_url=fake_pypi.url,
        index_url=fake_pypi.url + "/simple",
        osv_url=fake_pypi.url,
        target=TargetEnvironment(python_version="3.11", sys_platform="linux", platform_machine="x86_64"),
        concurrency=4,
        timeout=(2.0, 5.0),
        disabled=frozenset({"history"}),  # git history has its own end-to-end tests (tests/people/test_pipeline_history.py)
    )


class FakeEnvironment:
    """A real virtual environment (no pip) whose site-packages the test fills with dist-info folders."""

    def __init__(self, root: Path):
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
        self.root = root
        self.python = str(root / "bin" / "python")
        found = list(root.glob("lib/python*/site-packages"))
        self.site = found[0]

    def install(self, name: str, version: str, requires_dist=(), project_urls=(), author_email=None,
                direct_url: str | None = None) -> Path:
        """Write ``name-version.dist-info`` with METADATA (and direct_url.json when given)."""
        info = self.site / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(metadata_text(name, version, requires_dist, project_urls, author_email))
        (info / "INSTALLER").write_text("pip\n")
        (info / "RECORD").write_text("")
        if direct_url:
            (info / "direct_url.json").write_text(direct_url)
        return info


@pytest.fixture
def fake_env(tmp_path) -> FakeEnvironment:
    """An empty virtual environment to install fake distributions into."""
    return FakeEnvironment(tmp_path / "venv")


@pytest.fixture
def env_args(fake_env, fake_pypi, tmp_path):
    """CLI arguments for the shared two-package environment: app 1.0 (owner alice, a GitHub source
    URL) requiring lib 2.0, installed in :func:`fake_env` and published on :func:`fake_pypi`, with a
    per-test cache and history off."""
    fake_pypi.add("app", "1.0", requires_dist=["lib"], roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0")
    fake_env.install("app", "1.0", requires_dist=["lib"], project_urls=(("Source", "https://github.com/o/app"),))
    fake_env.install("lib", "2.0")
    return ["--python", fake_env.python, "--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple",
            "--osv-url", fake_pypi.url, "--cache-dir", str(tmp_path / "cache"), "--no-history"]


@pytest.fixture
def sides(tmp_path, fake_pypi):
    """The two sides of a small ``auditor diff`` on the fake PyPI: ``(base, head, args)``.

    ``base.uv.lock`` has lib-a 1.0; ``uv.lock`` has lib-a 1.1 (alice and bob, uploaded long ago, a
    GitHub source URL) and newpkg 0.1 (mallory alone, uploaded 12 hours ago, no source URL); *args*
    point the CLI at the fake PyPI and a per-test cache.
    """
    old = "2024-01-01T00:00:00Z"
    fresh = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=12)).isoformat().replace("+00:00", "Z")
    publish(fake_pypi, "lib-a", ["1.0", "1.1"], (("Owner", "alice"), ("Maintainer", "bob")), old, "https://github.com/o/lib-a")
    publish(fake_pypi, "newpkg", ["0.1"], (("Owner", "mallory"),), fresh)
    base = uv_lock(tmp_path / "base.uv.lock", {"lib-a": "1.0"})
    head = uv_lock(tmp_path / "uv.lock", {"lib-a": "1.1", "newpkg": "0.1"})
    args = ["--pypi-url", fake_pypi.url, "--index-url", fake_pypi.url + "/simple", "--cache-dir", str(tmp_path / "cache")]
    return str(base), str(head), args
