"""--hf-cache: the local Hub cache's repositories and snapshot revisions (auditor/sources/hub_cache.py), on a synthetic cache."""

import json

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import InputError
from auditor.sources.hub_cache import cache_references, default_cache_dir
from tests.fakes.hub import sha

runner = CliRunner()


def make_cache(root, repos):
    """A huggingface_hub cache (layout of hf_hub_download: blobs/, refs/, snapshots/<sha>/ with links to blobs)."""
    for kind, repo_id, revisions in repos:
        folder = root / f"{kind}s--{repo_id.replace('/', '--')}"
        (folder / "blobs").mkdir(parents=True)
        (folder / "refs").mkdir()
        for ref, commit, files in revisions:
            if ref:
                (folder / "refs" / ref).write_text(commit)
            snap = folder / "snapshots" / commit
            snap.mkdir(parents=True)
            for name in files:
                blob = folder / "blobs" / sha(repo_id + name + commit)
                blob.write_bytes(b"x" * 10)
                (snap / name).symlink_to(blob)
    return root


@pytest.fixture
def cache(tmp_path):
    old, new = sha("old"), sha("new")
    return make_cache(tmp_path / "hub", [
        ("model", "openai/whisper-small", [("main", new, ["config.json", "model.safetensors"]),
                                          (None, old, ["config.json", "pytorch_model.bin"])]),
        ("dataset", "rajpurkar/squad", [("main", sha("squad"), ["squad.py"])]),
    ])


def test_cache_references(cache):
    refs, skipped = cache_references(cache)
    got = [(r.kind, r.repo_id, r.revision, str(r.location), r.pinned, r.call) for r in refs]
    assert got == [
        ("dataset", "rajpurkar/squad", sha("squad"), "<hf-cache:main>", True, "hf-cache"),
        ("model", "openai/whisper-small", sha("new"), "<hf-cache:main>", True, "hf-cache"),
        ("model", "openai/whisper-small", sha("old"), "<hf-cache>", True, "hf-cache"),
    ] if sha("new") < sha("old") else [
        ("dataset", "rajpurkar/squad", sha("squad"), "<hf-cache:main>", True, "hf-cache"),
        ("model", "openai/whisper-small", sha("old"), "<hf-cache>", True, "hf-cache"),
        ("model", "openai/whisper-small", sha("new"), "<hf-cache:main>", True, "hf-cache"),
    ]
    assert skipped == ()


def test_corrupted_entry_is_listed(cache):
    (cache / "models--broken--thing").mkdir()  # no snapshots/: huggingface_hub calls it corrupted
    refs, skipped = cache_references(cache)
    assert len(refs) == 3 and len(skipped) == 1 and skipped[0][1].kind.value == "malformed"


def test_default_directory_follows_the_conventions(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "direct"))
    assert default_cache_dir() == tmp_path / "direct"


def test_missing_directory_is_input_error(tmp_path):
    with pytest.raises(InputError, match="--hf-cache"):
        cache_references(tmp_path / "nope")


def test_cli_hf_cache_with_and_without_dir(env_args, cache, monkeypatch):
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "--disable", "hub", "--hf-cache", str(cache)])
    assert res.exit_code == 0, res.output
    refs = json.loads(res.stdout)["hub"]["references"]
    assert {(r["kind"], r["repo_id"]) for r in refs} == {("model", "openai/whisper-small"), ("dataset", "rajpurkar/squad")}
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    res = runner.invoke(app, ["audit", *env_args, "-f", "json", "--disable", "hub", "--hf-cache", "default"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["hub"]["references"]) == 3
    res = runner.invoke(app, ["audit", *env_args, "--hf-cache", str(cache / "nope")])
    assert res.exit_code == 2 and "--hf-cache" in res.output
