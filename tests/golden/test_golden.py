"""Golden files: every report format of the real CLI, byte for byte (issue 10).

Three fixed inputs (``inputs/requirements.txt``, ``inputs/base/uv.lock`` and
the diff pair ``inputs/base/uv.lock`` -> ``inputs/head/uv.lock``), and the
requirements with ``--scan inputs/hub`` (Hugging Face Hub references, the fake
Hub of :mod:`tests.fakes.hub`), run through
``auditor.cli.app`` against ONE fake server (:mod:`tests.fakes.server`) that
serves PyPI (JSON API with ownership, simple index, PEP 658 metadata), GitHub
REST and OSV, plus git repositories built here with real ``git`` and reached
through a ``url.<dir>.insteadOf = https://github.com/`` rule.

Determinism: fixed commit dates, ``--as-of``, ``SOURCE_DATE_EPOCH`` and
``AUDITOR_PEOPLE_SALT``; the inputs are passed as relative paths from a
working directory under tmp_path.  See :func:`normalize` for the only
substrings rewritten before comparing.

Regenerate after an intended output change with
``AUDITOR_UPDATE_GOLDEN=1 pytest tests/golden`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from auditor import pipeline
from tests.fakes.hub import FakeHub, fixture_world
from tests.fakes.server import FakeServer, GitHubRepo
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"
UPDATE = os.environ.get("AUDITOR_UPDATE_GOLDEN") == "1"

#: Every collector except the two services the shared server does not fake
#: (Scorecard and deps.dev have their own tests in tests/net and tests/signals).
GOLDEN_COLLECTORS = tuple(row for row in pipeline.COLLECTORS if row[0] not in ("scorecard", "depsdev"))

JANE = ("Jane Doe", "jane@example.org")
BOB = ("Bob Roe", "bob@example.org")
CAROL = ("Carol Poe", "carol@example.org")
DAN = ("Dan Koe", "dan@example.org")

APP_URLS = (("Source", "https://github.com/org/app"),)
LIB_URLS = (("Source", "https://github.com/libs/lib"), ("Documentation", "https://lib.example.org"))
NEWDEP_URLS = (("Repository", "https://github.com/solo/newdep"),)

#: One OSV record in the real shape (https://ossf.github.io/osv-schema/).
LIB_ADVISORY = {
    "id": "GHSA-golden-0001",
    "aliases": ["CVE-2024-0001"],
    "summary": "lib 2.0 parses untrusted input unsafely",
    "details": "A crafted document makes lib 2.0 run arbitrary code.",
    "modified": "2024-05-01T00:00:00Z",
    "published": "2024-04-01T00:00:00Z",
    "affected": [{
        "package": {"ecosystem": "PyPI", "name": "lib"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.1"}]}],
        "versions": ["2.0"],
    }],
    "database_specific": {"severity": "HIGH"},
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "references": [{"type": "ADVISORY", "url": "https://github.com/advisories/GHSA-golden-0001"}],
}


#: lib declares its licence only by classifier; newdep declares none (AUD151).
MIT_CLASSIFIER = "License :: OSI Approved :: MIT License"


def build_world(server: FakeServer) -> None:
    """The fake PyPI projects, GitHub repositories and advisories of every golden run."""
    server.add_project("app", "1.0", requires_dist=["lib>=2", "helper", "newdep"], project_urls=APP_URLS,
                       roles=(("Owner", "jane"), ("Maintainer", "bob")), organization="org",
                       license_expression="mit OR Apache-2.0",  # canonicalised to "MIT OR Apache-2.0"
                       uploads={"0.9": "2023-01-10T00:00:00.000000Z", "1.0": "2024-02-01T00:00:00.000000Z"})
    server.add_project("lib", "2.1", project_urls=LIB_URLS, roles=(("Owner", "carol"),), classifiers=(MIT_CLASSIFIER,),
                       uploads={"2.0": "2022-06-01T00:00:00.000000Z", "2.1": "2024-10-01T00:00:00.000000Z"})
    server.add_release("lib", "2.0", project_urls=LIB_URLS, classifiers=(MIT_CLASSIFIER,))
    server.add_project("helper", "0.3", roles=(("Owner", "nobody"),),  # a vague classifier: AUD153
                       classifiers=("License :: OSI Approved :: BSD License",),
                       uploads={"0.3": "2019-03-01T00:00:00.000000Z"})
    server.statuses["helper"] = ("archived", "no longer maintained; use <b>lib</b>")  # PEP 792 (AUD116)
    server.add_project("newdep", "0.1", project_urls=NEWDEP_URLS, roles=(("Owner", "dan"),),
                       uploads={"0.1": "2024-12-20T00:00:00.000000Z"})
    server.add_repo(GitHubRepo("org/app", contributors=(("jane", 40), ("bob", 12)),
                               anonymous=(("Old Timer", "old@example.org", 1),)))
    server.add_repo(GitHubRepo("libs/lib", owner_type="User", security=False,
                               contributors=tuple((f"lib-dev{i:03d}", 200 - i) for i in range(105))))  # 2 pages
    server.add_repo(GitHubRepo("solo/newdep", owner_type="User", security=False, contributors=(("dan", 3),),
                               created_at="2024-12-01T00:00:00Z"))
    server.users["dan"] = "2024-11-30T00:00:00Z"
    server.add_vuln(LIB_ADVISORY, ("lib", "2.0"))


def build_git(srv: Path) -> None:
    """Real repositories with fixed identities and dates (history collector)."""
    app_repo = RepoBuilder(srv / "org" / "app")
    app_repo.commit(JANE, "2023-01-10")
    app_repo.commit(BOB, "2024-02-10")
    app_repo.commit(JANE, "2024-06-01")
    lib_repo = RepoBuilder(srv / "libs" / "lib")
    lib_repo.commit(CAROL, "2020-01-10")
    lib_repo.commit(("J. Doe", "JANE@example.org"), "2024-03-10")
    newdep_repo = RepoBuilder(srv / "solo" / "newdep")
    newdep_repo.commit(DAN, "2024-12-15")


@pytest.fixture
def golden(tmp_path, monkeypatch, git_home):
    """Run the CLI against the shared fake server; returns ``run(*args) -> (exit code, stdout)``."""
    from typer.testing import CliRunner

    from auditor.cli import app  # imported here so a later CLI package layout still works

    monkeypatch.setattr("auditor.pipeline.COLLECTORS", GOLDEN_COLLECTORS)
    srv = tmp_path / "srv"
    build_git(srv)
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    work = tmp_path / "work"
    shutil.copytree(INPUTS, work)
    monkeypatch.chdir(work)  # inputs are named by relative paths, so no tmp path reaches the outputs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")  # 2024-12-31T00:00:00Z
    monkeypatch.setenv("AUDITOR_PEOPLE_SALT", "golden-salt")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    # A stray request to the internet fails (and so changes a golden file) instead of passing unnoticed.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakeServer(hub=fixture_world(FakeHub())) as server:
        build_world(server)
        monkeypatch.setenv("HF_ENDPOINT", server.url)  # the fake Hub (tests/fakes/hub.py), for --scan hub
        # A fixed GitHub budget: the audit reports the X-RateLimit-Remaining of
        # whichever response it read last, which depends on thread timing.
        server.rate_step = 0
        for var, value in (("AUDITOR_PYPI_URL", server.url), ("AUDITOR_INDEX_URL", server.url + "/simple"),
                           ("AUDITOR_OSV_URL", server.url), ("AUDITOR_GITHUB_API_URL", server.url + "/api/v3"),
                           ("AUDITOR_GITLAB_URL", server.url + "/gitlab")):
            monkeypatch.setenv(var, value)
        common = ["--cache-dir", str(tmp_path / "cache"), "--python-version", "3.11", "--platform", "linux"]
        runner = CliRunner()

        def run(*args: str) -> tuple[int, str]:
            res = runner.invoke(app, [*args, *common])
            if res.exception and not isinstance(res.exception, SystemExit):
                raise res.exception
            return res.exit_code, normalize(res.stdout, server.url, tmp_path)

        run.server = server
        yield run


def normalize(text: str, server_url: str, tmp_path: Path) -> str:
    """Rewrite the only run-specific substrings.

    ``http://127.0.0.1:PORT`` (the fake server's random port) becomes
    ``http://fake.test`` and the pytest tmp directory becomes ``/tmp/golden``.
    Nothing else: every clock reading comes from ``SOURCE_DATE_EPOCH``
    (:mod:`auditor.clock`).
    """
    return text.replace(server_url, "http://fake.test").replace(str(tmp_path), "/tmp/golden")


def check(name: str, exit_code: int, text: str) -> None:
    """Compare *text* (and the exit code, kept in the file's name) with ``expected/NAME``."""
    path = EXPECTED / name
    content = f"exit code: {exit_code}\n---\n{text}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run AUDITOR_UPDATE_GOLDEN=1 pytest tests/golden"
    expected = path.read_text(encoding="utf-8")
    if content != expected:
        delta = "".join(difflib.unified_diff(expected.splitlines(True), content.splitlines(True),
                                             f"expected/{name}", "actual", n=2))
        pytest.fail(f"{name} differs from its golden file (AUDITOR_UPDATE_GOLDEN=1 regenerates it):\n{delta[:4000]}")


REQ = ["requirements.txt", "--resolver", "none", "--as-of", "2024-12-31"]
LOCK = ["base/uv.lock", "--as-of", "2024-12-31"]
AUDIT_FORMATS = ("table", "json", "graphml", "markdown", "sarif", "cyclonedx-json", "cyclonedx-xml", "html")


@pytest.mark.parametrize("fmt", AUDIT_FORMATS)
def test_audit_requirements(golden, fmt):
    check(f"audit-requirements.{fmt}", *golden("audit", *REQ, "--people", "-f", fmt))


@pytest.mark.parametrize("fmt", AUDIT_FORMATS)
def test_audit_uv_lock(golden, fmt):
    check(f"audit-uv-lock.{fmt}", *golden("audit", *LOCK, "-f", fmt))


@pytest.mark.parametrize("fmt", ("table", "json", "graphml", "markdown", "sarif", "html"))
def test_audit_hub(golden, fmt):
    """Hugging Face Hub references (``inputs/hub/train.py``, a copy of the fixture project's script) with the
    fake Hub's facts: the Hub line, AUD140-AUD147 messages, scores, ``model``/``dataset`` nodes (docs/models.md)."""
    check(f"audit-hub.{fmt}", *golden("audit", *REQ, "--scan", "hub", "-f", fmt))


def test_audit_neo4j(golden):
    """The folder format: every file of ``-f neo4j -o DIR``, in name order, in one golden file."""
    code, stdout = golden("audit", *REQ, "--people", "-f", "neo4j", "-o", "neo4j-out")
    folder = Path("neo4j-out")  # the golden fixture's working directory
    parts = [stdout] + [f"== {p.name} ==\n{p.read_text(encoding='utf-8')}" for p in sorted(folder.iterdir())
                        if not p.name.startswith(".")]
    check("audit-requirements.neo4j", code, "".join(parts))


@pytest.mark.parametrize("fmt", ("markdown", "sarif", "json", "html"))
def test_diff(golden, fmt):
    check(f"diff.{fmt}", *golden("diff", "base/uv.lock", "head/uv.lock", "-f", fmt))


def test_explain(golden):
    check("explain-lib.txt", *golden("explain", "lib", *LOCK))
    # the fixed world exercises GitHub's Link pagination (105 contributors, 100 per page)
    assert any("/libs/lib/contributors?" in s.path and "page=2" in s.path for s in golden.server.log)


@pytest.mark.parametrize("fmt", ("table", "json"))
def test_people(golden, fmt):
    check(f"people-lib.{fmt}", *golden("people", "lib", *LOCK, "-f", fmt))


@pytest.mark.parametrize("fmt", ("json", "graphml", "sarif", "markdown"))
def test_identical_runs_at_concurrency_16_are_byte_identical(golden, fmt):
    """Issue 13 item 6: one audit, run cold and then twice warm at concurrency 16, renders the same bytes.

    The fake GitHub's rate-limit figures change with every response here
    (``rate_step`` left at its default), as the real API's do.
    """
    golden.server.rate_step = 1
    args = ("audit", *LOCK, "--people", "--concurrency", "16", "-f", fmt)
    outputs = [golden(*args) for _ in range(3)]
    assert outputs[1] == outputs[2]
    assert outputs[0] == outputs[1]


def test_include_interpreter_counts_cpython_contributors(golden, tmp_path):
    """Issue 12/13: people reach excludes CPython by default; --include-interpreter adds its contributors."""
    import json

    RepoBuilder(tmp_path / "srv" / "python" / "cpython").commit(("Guido", "guido@example.org"), "2024-06-01")
    _, plain = golden("audit", *REQ, "-f", "json")
    _, more = golden("audit", *REQ, "--include-interpreter", "-f", "json")
    before, after = json.loads(plain)["summary"], json.loads(more)["summary"]
    assert before["people_reach"] == "people reach excludes CPython; --include-interpreter adds it"
    assert after["people_reach"] == "people reach includes CPython"
    assert after["contributors"] == before["contributors"] + 1


def test_audit_github_snapshot(golden, monkeypatch):
    """``-f github-snapshot`` with GitHub Actions' job variables (the CLI reads them)."""
    for var, value in (("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"), ("GITHUB_REF", "refs/heads/main"),
                       ("GITHUB_RUN_ID", "42"), ("GITHUB_WORKFLOW", "audit"), ("GITHUB_JOB", "deps")):
        monkeypatch.setenv(var, value)
    check("audit-uv-lock.github-snapshot", *golden("audit", *LOCK, "-f", "github-snapshot"))
