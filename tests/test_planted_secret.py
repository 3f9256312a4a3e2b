"""A secret planted in --index-url / --pypi-url appears in no output format and in no cache file."""

from __future__ import annotations

import base64

import pytest
from typer.testing import CliRunner

from auditor.cli import app

SECRET = "Pl4ntedS3cretValue"
runner = CliRunner()


@pytest.fixture
def secret_args(fake_env, fake_pypi, tmp_path):
    fake_pypi.add("app", "1.0", requires_dist=["lib", "gone"], roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0")
    fake_env.install("app", "1.0", requires_dist=["lib", "gone"], project_urls=(("Source", "https://github.com/o/app"),))
    fake_env.install("lib", "2.0")
    fake_env.install("gone", "0.1")  # not on the index: a failure that names the index
    authed = fake_pypi.url.replace("http://", f"http://user:{SECRET}@")
    return ["--python", fake_env.python, "--pypi-url", authed, "--index-url", authed + "/simple",
            "--osv-url", fake_pypi.url, "--cache-dir", str(tmp_path / "cache"), "--no-history"]


def _assert_clean(blob: bytes, where: str) -> None:
    for needle in (SECRET.encode(), base64.b64encode(f"user:{SECRET}".encode())):
        assert needle not in blob, f"secret in {where}"


def test_planted_secret_never_leaves(secret_args, fake_pypi, tmp_path):
    outputs = []
    for fmt in ("table", "json", "markdown", "sarif", "graphml", "cyclonedx-json", "cyclonedx-xml"):
        out = tmp_path / f"report.{fmt}"
        res = runner.invoke(app, ["audit", *secret_args, "-f", fmt, "-o", str(out), "--verbose"])
        assert res.exit_code in (0, 3), res.output
        outputs.append((fmt, out.read_bytes() + res.output.encode()))
    res = runner.invoke(app, ["explain", "gone", *secret_args])
    outputs.append(("explain", res.output.encode()))
    for where, blob in outputs:
        _assert_clean(blob, where)
    # the credentials were used: basic auth reached the index
    assert any(s.headers.get("Authorization", "").startswith("Basic ") for s in fake_pypi.seen)
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            _assert_clean(path.read_bytes(), str(path))


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "graphml", "table", "cyclonedx-json", "cyclonedx-xml"])
def test_a_credential_inside_a_lockfile_never_reaches_a_report(tmp_path, fmt):
    """A lockfile (often from a pull request) whose index or archive URLs carry credentials."""
    from pathlib import Path

    locks = Path(__file__).resolve().parent / "fixtures" / "lockfiles"
    text = (locks / "small-uv" / "uv.lock").read_text()
    planted = text.replace("https://pypi.org/simple", f"https://user:{SECRET}@pypi.org/simple")
    planted = planted.replace("https://files.pythonhosted.org/", f"https://files.pythonhosted.org/?token={SECRET}&x=/")
    assert SECRET in planted
    lock = tmp_path / "uv.lock"
    lock.write_text(planted)
    out = tmp_path / f"report.{fmt}"
    res = runner.invoke(app, ["audit", str(lock), "--offline", "--cache-dir", str(tmp_path / "cache"), "-f", fmt,
                              "-o", str(out), "--verbose"])
    assert res.exit_code in (0, 3), res.output
    _assert_clean(out.read_bytes() + res.output.encode(), fmt)


def test_safe_origin_redacts_every_lockfile_url():
    from auditor.models import Origin
    from auditor.sources.lockfile import safe_origin

    o = safe_origin(Origin(kind="vcs", url=f"git+https://u:{SECRET}@github.com/a/b@main",
                           index_url=f"https://pypi.example/simple?token={SECRET}"))
    assert SECRET not in repr(o) and o.url.endswith("github.com/a/b@main")
    assert safe_origin(Origin(kind="path", url="../lib")).url == "../lib"


HF_SECRET = "hf_Pl4ntedHubT0kenValue"


def test_planted_hub_token_never_leaves(secret_args, fake_pypi, tmp_path, monkeypatch):
    """$HF_TOKEN reaches the fake Hub (a private repository opens) and no report, log or cache file."""
    from tests.fakes.hub import fixture_world

    fixture_world(fake_pypi.hub)
    fake_pypi.hub.token = HF_SECRET
    fake_pypi.hub.model("carol/private-model", private=True)
    fake_pypi.hub.user("carol")
    monkeypatch.setenv("HF_TOKEN", HF_SECRET)
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "train.py").write_text('from transformers import AutoModel\nAutoModel.from_pretrained("carol/private-model")\n'
                                   'AutoModel.from_pretrained("no/such-model")\n')
    for fmt in ("table", "json", "markdown", "sarif", "graphml", "cyclonedx-json"):
        out = tmp_path / f"hub-report.{fmt}"
        res = runner.invoke(app, ["audit", *secret_args, "--scan", str(proj), "-f", fmt, "-o", str(out), "--verbose"])
        assert res.exit_code in (0, 3), res.output
        for blob in (out.read_bytes(), res.output.encode()):
            assert HF_SECRET.encode() not in blob, fmt
    doc = __import__("json").loads((tmp_path / "hub-report.json").read_text())
    assert doc["hub"]["repositories"]["model:carol/private-model"]["private"] is True  # the token was used
    assert any(HF_SECRET in v for s in fake_pypi.seen for k, v in s.headers.items() if k.lower() == "authorization")
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert HF_SECRET.encode() not in path.read_bytes(), path
