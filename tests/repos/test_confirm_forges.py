"""The subdirectory check inside an audit, against the fake GitHub/GitLab file lists."""

from __future__ import annotations

from dataclasses import replace

from auditor.collectors import RunContext
from auditor.models import Confidence, SubdirectoryCheck, Unknown
from auditor.repos.confirm import SubdirectoryCollector, apply_subdirectory
from auditor.repos.urls import canonical_repository
from auditor.signals.registry import REFINERS
from tests.builders import package_node
from tests.fakes.forges import FakeForges, FakeRepo
from tests.fakes.server import Reply
from tests.gitrepo import git_home  # noqa: F401  (fixture)

MONO = ("README.md", "sdk/keyvault/azure-keyvault-secrets/setup.py", "sdk/keyvault/azure-keyvault-keys/setup.py",
        "sdk/core/azure-core/setup.py")
DBT = ("README.md", "core/setup.py", "core/dbt/__init__.py", "plugins/postgres/setup.py")


def node(name, url, **kw):
    return package_node(name, "1.0", repo=canonical_repository(url), evidence="core metadata Project-URL 'Source'", **kw)


def run(forges, tmp_path, nodes, **cfg):
    ctx = RunContext(forges.config(tmp_path, **cfg))
    try:
        return SubdirectoryCollector().collect(ctx, nodes)
    finally:
        ctx.close()


def test_confirmed_refuted_and_one_tree_request_per_repository(tmp_path):
    repo = FakeRepo("github.com", "azure/azure-sdk-for-python", "azure-core", files=MONO)
    with FakeForges([repo]) as f:
        base = "https://github.com/azure/azure-sdk-for-python/tree/main/"
        nodes = [node("azure-keyvault-secrets", base + "sdk/keyvault/azure-keyvault-secrets"),
                 node("azure-keyvault-keys", base + "sdk/keyvault/azure-keyvault-keys"),
                 node("azure-gone", base + "sdk/gone/azure-gone")]
        out = run(f, tmp_path, nodes)
        trees = [s.path for s in f.github.seen if "/git/trees/" in s.path]
    assert trees == ["/api/v3/repos/azure/azure-sdk-for-python/git/trees/HEAD?recursive=1"]
    assert out["azure-keyvault-secrets"] == SubdirectoryCheck(
        "confirmed", "sdk/keyvault/azure-keyvault-secrets", "GitHub tree API",
        "'sdk/keyvault/azure-keyvault-secrets' is a directory at HEAD")
    assert out["azure-gone"].state == "refuted"


def test_truncated_tree_asks_the_contents_api(tmp_path):
    repo = FakeRepo("github.com", "o/mono", "x", files=MONO, truncated=True)
    with FakeForges([repo]) as f:
        base = "https://github.com/o/mono/tree/main/"
        out = run(f, tmp_path, [node("azure-core", base + "sdk/core/azure-core"), node("y", base + "sdk/nope"),
                                node("s", base + "sdk/keyvault/azure-keyvault-secrets")])
        asked = [s.path for s in f.github.seen if "/contents/" in s.path]
    assert out["azure-core"].state == "confirmed" and out["azure-core"].source == "GitHub tree API"  # listed
    assert out["s"].state == "confirmed" and out["s"].source == "GitHub contents API"  # cut off: asked for
    assert out["y"].state == "refuted"
    assert "/api/v3/repos/o/mono/contents/sdk/keyvault/azure-keyvault-secrets" in asked


def test_root_mapping_infers_the_declaring_directory(tmp_path):
    texts = {"core/setup.py": "setup(\n    name='dbt-core',\n)", "plugins/postgres/setup.py": "setup(name='dbt-postgres')"}
    repo = FakeRepo("github.com", "dbt-labs/dbt-core", "dbt-core", files=DBT, texts=texts)
    plain = FakeRepo("github.com", "o/plain", "plain", files=("setup.py", "plain/__init__.py"))
    with FakeForges([repo, plain]) as f:
        out = run(f, tmp_path, [node("dbt-core", "https://github.com/dbt-labs/dbt-core"),
                                node("plain", "https://github.com/o/plain")])
        plain_requests = [s.path for s in f.github.seen if "/o/plain/" in s.path]
    assert out["dbt-core"].state == "inferred" and out["dbt-core"].subdirectory == "core"
    assert out["plain"].state == "root"
    assert plain_requests == ["/api/v3/repos/o/plain/git/trees/HEAD"]   # the small root listing only


def test_gitlab_directory_check(tmp_path):
    repo = FakeRepo("gitlab.com", "group/sub/mono", "x", files=("pkgs/a/pyproject.toml",))
    with FakeForges([repo]) as f:
        base = "https://gitlab.com/group/sub/mono/-/tree/main/"
        out = run(f, tmp_path, [node("a", base + "pkgs/a"), node("b", base + "pkgs/b"),
                                node("root", "https://gitlab.com/group/sub/mono")])
    assert out["a"].state == "confirmed" and out["a"].source == "GitLab tree API"
    assert out["b"].state == "refuted"
    assert isinstance(out["root"], Unknown) and not out["root"].fault


def test_faults_are_unknown_and_turned_off_forges_are_not_asked(tmp_path):
    repo = FakeRepo("github.com", "o/mono", "x", files=MONO)
    with FakeForges([repo]) as f:
        f.github.add("/api/v3/repos/o/mono/git/trees/HEAD?recursive=1", Reply(502, {"message": "Bad Gateway"}))
        url = "https://github.com/o/mono/tree/main/sdk/core/azure-core"
        out = run(f, tmp_path, [node("azure-core", url)])
        assert isinstance(out["azure-core"], Unknown) and out["azure-core"].fault
        before = f.github.count()
        off = run(f, tmp_path / "2", [node("azure-core", url)], disabled=frozenset({"github", "history"}))
        assert f.github.count() == before
    assert isinstance(off["azure-core"], Unknown) and not off["azure-core"].fault
    assert "--no-github" in off["azure-core"].reason


def test_apply_each_state_to_the_mapping():
    n = node("azure-gone", "https://github.com/o/mono/tree/main/sdk/gone")
    m = replace(n.mapping, rule="project-url-source+layout",
                evidence="x; subdirectory inferred from the repository layout (t), not confirmed against its file list")
    ok = apply_subdirectory(m, SubdirectoryCheck("confirmed", "sdk/gone", "GitHub tree API", "seen"))
    assert ok.subdirectory_state == "confirmed" and "not confirmed" not in ok.evidence and ok.confidence == m.confidence
    bad = apply_subdirectory(m, SubdirectoryCheck("refuted", "sdk/gone", "GitHub tree API", "absent"))
    assert bad.repo.subpath is None and bad.subdirectory_state == "refuted"
    assert bad.confidence == Confidence.MEDIUM and "refuted" in bad.evidence and "repository root" in bad.evidence
    unk = apply_subdirectory(m, Unknown("api.github.com: timed out"))
    assert unk.subdirectory_state == "not-confirmed" and "subdirectory not confirmed (api.github.com: timed out)" in unk.evidence
    root = node("dbt-core", "https://github.com/dbt-labs/dbt-core").mapping
    root = replace(root, rule="project-url-source")
    inf = apply_subdirectory(root, SubdirectoryCheck("inferred", "core", "GitHub tree API", "core declares dbt-core"))
    assert inf.repo.subpath == "core" and inf.rule == "project-url-source+tree" and inf.subdirectory_state == "inferred"
    assert apply_subdirectory(root, Unknown("offline")) is root
    assert apply_subdirectory(root, SubdirectoryCheck("root", None, "GitHub tree API", "")).subdirectory_state == "root"
    # the pipeline's refiner applies it to the node
    refined = REFINERS["subdirectory"](n, SubdirectoryCheck("refuted", "sdk/gone", "clone", "absent"))
    assert refined.mapping.repo.subpath is None


def test_release_tag_and_history_before_refuting(tmp_path):
    """dbt-core's HEAD is now another project: core/ exists at tag v1.10.15; typeshed removed stubs/certifi."""
    dbt = FakeRepo("github.com", "dbt-labs/dbt-core", "dbt-core", files=("Cargo.toml", "crates/x/pyproject.toml"),
                   tags={"v1.10.15": ("core/setup.py",)})
    typeshed = FakeRepo("github.com", "python/typeshed", "types-x", files=("stubs/requests/METADATA.toml",),
                        removed=("stubs/certifi",))
    with FakeForges([dbt, typeshed]) as f:
        out = run(f, tmp_path, [
            package_node("dbt-core", "1.10.15", repo=canonical_repository("https://github.com/dbt-labs/dbt-core/tree/main/core")),
            node("types-certifi", "https://github.com/python/typeshed/tree/main/stubs/certifi"),
            node("types-gone", "https://github.com/python/typeshed/tree/main/stubs/never"),
        ])
    assert out["dbt-core"].state == "confirmed" and "tag v1.10.15" in out["dbt-core"].detail
    assert out["types-certifi"].state == "removed"
    assert out["types-gone"].state == "refuted"
    m = apply_subdirectory(node("types-certifi", "https://github.com/python/typeshed/tree/main/stubs/certifi").mapping,
                           out["types-certifi"])
    assert m.repo.subpath == "stubs/certifi" and m.confidence == Confidence.MEDIUM and m.subdirectory_state == "removed"


def test_forge_failure_falls_back_to_a_clone_when_history_runs(tmp_path, git_home):
    """GitHub's API answers 502; git still works (the history collector's clone, made here first)."""
    from tests.gitrepo import RepoBuilder, git

    srv = tmp_path / "srv"
    src = RepoBuilder(srv / "o" / "mono")
    (src.path / "pkgs").mkdir()
    (src.path / "pkgs" / "a").mkdir()
    src.commit(("A B", "a@x.example"), "2024-01-01", files={"pkgs/a/pyproject.toml": "[project]\nname='a'\n"})
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    repo = FakeRepo("github.com", "o/mono", "a", files=MONO)
    with FakeForges([repo]) as f:
        f.github.add("/api/v3/repos/o/mono/git/trees/HEAD?recursive=1", Reply(502, {"message": "Bad Gateway"}))
        base = "https://github.com/o/mono/tree/main/"
        nodes = [node("a", base + "pkgs/a"), node("b", base + "pkgs/b")]
        out = run(f, tmp_path / "c1", nodes)
        no_history = run(f, tmp_path / "c2", nodes, disabled=frozenset({"history"}))
    assert out["a"] == SubdirectoryCheck("confirmed", "pkgs/a", "clone", "'pkgs/a' is a directory at HEAD")
    assert out["b"].state == "refuted" and out["b"].source == "clone"
    assert isinstance(no_history["a"], Unknown) and "502" in no_history["a"].reason  # no clone made without history
    assert (tmp_path / "c1" / "git").is_dir() and not (tmp_path / "c2" / "git").exists()
