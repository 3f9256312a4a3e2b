"""The shipped examples against live PyPI (marked ``network``; skipped when unreachable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Config
from auditor.models import Confidence, Unknown
from auditor.pipeline import run_audit
from auditor.sources.registry import open_source
from tests.live import live_pypi

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"



@pytest.mark.network
@live_pypi
def test_audit_scikit_learn_example_against_live_pypi(tmp_path):
    """Resolve, fetch metadata and ownership, map, graph and score: only PyPI is needed
    (the optional collectors, which need GitHub, OSV and others, are left out)."""
    config = Config(cache_dir=tmp_path / "cache")
    result = run_audit(config, open_source(EXAMPLES / "scikit-learn" / "requirements.txt"), collectors=[])
    assert {"scikit-learn", "numpy", "scipy", "joblib", "threadpoolctl", "python"} <= set(result.nodes)
    sk = result.nodes["scikit-learn"]
    assert sk.distribution.direct
    assert sk.mapping.repo.url == "https://github.com/scikit-learn/scikit-learn"
    assert sk.mapping.confidence == Confidence.HIGH
    assert not isinstance(sk.maintainers, Unknown) and len(sk.maintainers) >= 1
    assert result.nodes["numpy"].project.ownership.organization == "numpy"
    assert result.root.packages >= 6 and result.root.maintainers >= 5
    assert not result.missing, result.missing
    again = run_audit(config, open_source(EXAMPLES / "scikit-learn" / "requirements.txt"), collectors=[])
    assert all(c.get("network", 0) == 0 for c in again.requests.values())


ML_PROJECT = EXAMPLES / "ml-project"
#: The Hub references of examples/ml-project/train.py, as the scan must find them.
ML_REFERENCES = {
    ("model", "bert-base-uncased", "train.py:32"), ("model", "bert-base-uncased", "train.py:33"),
    ("dataset", "stanfordnlp/imdb", "train.py:34"),
    ("model", "openai/whisper-small", "train.py:42"), ("model", "openai/whisper-small", "train.py:43"),
    ("dataset", "mozilla-foundation/common_voice_11_0", "train.py:45"),
    ("model", "meta-llama/Llama-3.1-8B-Instruct", "train.py:56"),
    ("model", "meta-llama/Llama-3.1-8B-Instruct", "train.py:57"),
    ("dataset", "huggingface/label-files", "train.py:68"),
}


def _ml_audit(tmp_path, *extra):
    import json

    from typer.testing import CliRunner

    from auditor.cli import app

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    res = CliRunner().invoke(app, ["audit", str(empty), "--scan", str(ML_PROJECT), "-f", "json",
                                   "--cache-dir", str(tmp_path / "cache"), *extra])
    return res, json.loads(res.stdout)


def test_ml_project_offline_lists_references_and_unknown_facts(tmp_path):
    res, doc = _ml_audit(tmp_path, "--offline")
    assert res.exit_code == 3, res.output
    assert {(r["kind"], r["repo_id"], r["location"]) for r in doc["hub"]["references"]} == ML_REFERENCES
    assert {nid: r["unknown"] for nid, r in doc["hub"]["repositories"].items()} == {
        f"{k}:{i}": "offline" for k, i, _ in ML_REFERENCES}
    assert sum(1 for m in doc["missing"] if m["what"] == "hub" and m["kind"] == "offline") == 6


def test_ml_project_against_the_fake_hub(tmp_path, fake_pypi, monkeypatch):
    hub = fake_pypi.hub
    hub.model("bert-base-uncased", canonical="google-bert/bert-base-uncased",
              files=["config.json", "model.safetensors", "pytorch_model.bin", "flax_model.msgpack"])
    hub.model("openai/whisper-small", pipeline_tag="automatic-speech-recognition")
    hub.model("meta-llama/Llama-3.1-8B-Instruct", gated="manual", card={"license": "llama3.1",
              "base_model": "meta-llama/Llama-3.1-8B"})
    hub.model("meta-llama/Llama-3.1-8B", gated="manual", card={"license": "llama3.1"})
    hub.dataset("stanfordnlp/imdb", card={"license": "other"})
    hub.dataset("mozilla-foundation/common_voice_11_0", gated="auto", card={"license": "cc0-1.0"},
                files=["README.md", "common_voice_11_0.py", "languages.py", "release_stats.py"])
    hub.dataset("huggingface/label-files", card={})
    for org in ("google-bert", "openai", "meta-llama", "stanfordnlp", "mozilla-foundation", "huggingface"):
        hub.org(org, f"{org}-admin")
    res, doc = _ml_audit(tmp_path)
    assert res.exit_code == 0, res.output
    repos = doc["hub"]["repositories"]
    assert repos["model:meta-llama/Llama-3.1-8B-Instruct"]["gated"] == "manual"
    assert repos["model:bert-base-uncased"]["canonical_id"] == "google-bert/bert-base-uncased"
    assert doc["hub"]["derived_from"] == [{"model": "model:meta-llama/Llama-3.1-8B-Instruct",
                                           "base": "model:meta-llama/Llama-3.1-8B"}]
    ids = {(f["id"], f["evidence"].rsplit("(", 1)[1].rstrip(")")) for f in doc["findings"]}
    assert ("AUD143", "dataset:mozilla-foundation/common_voice_11_0") in ids
    assert ("AUD146", "dataset:huggingface/label-files") in ids
    assert not any(i == "AUD141" for i, _ in ids)  # bert has safetensors beside its .bin
