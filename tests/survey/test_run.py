"""run_survey on the local pool: inputs, dedup, per-input results as audit gives them, failures, resume."""

from __future__ import annotations

from auditor.pipeline import run_audit
from auditor.sources.registry import open_source
from auditor.survey.inputs import expand
from auditor.survey.run import run_survey
from auditor.survey.runner import LocalRunner
from tests.survey.conftest import OFF


def survey(config, root, **kw):
    runner = LocalRunner(2)
    try:
        return run_survey(config, expand([str(root)]), runner, source_options={"resolver": "none"}, **kw)
    finally:
        runner.close()


def test_survey_dedups_and_records_failures(config, world, fake_pypi):
    config = config.with_changes(disabled=OFF)
    result = survey(config, world)
    ids = [i.id for i in result.inputs]
    assert [i.rsplit("/", 2)[-2] for i in ids] == ["a", "b", "broken", "c"]
    broken = result.inputs[2]
    assert broken.error.startswith("InputError: ") and "broken/requirements.txt:2: " in broken.error, broken.error
    assert {k[0] for k in result.packages} == {"core", "web", "cli", "db"}
    core = result.packages[("core", "1.0", "registry", next(k for k in result.packages if k[0] == "core")[3])]
    assert len(core.inputs) == 3
    assert result.stats["resolve"]["failed"] == 1 and result.stats["resolve"]["done"] == 3
    # each fact once: one JSON API request per project for the whole survey
    assert fake_pypi.count("/pypi/core/") == 1


def test_per_input_figures_are_audits(config, world):
    config = config.with_changes(disabled=OFF)
    result = survey(config, world)
    c = next(i for i in result.inputs if i.id.endswith("c/requirements.txt"))
    audit = run_audit(config, open_source(world / "c" / "requirements.txt", resolver="none"))
    assert (c.packages, c.direct, c.maintainers) == (audit.root.packages, audit.root.direct, audit.root.maintainers)
    assert [f.id for f in c.findings] == [f.id for f in audit.findings]
    web = next(p for k, p in result.packages.items() if k[0] == "web")
    assert web.exposure == audit.scores["web"].total


def test_rerun_reuses_finished_tasks(config, world, monkeypatch):
    config = config.with_changes(disabled=OFF)
    from auditor.survey import run as run_mod

    calls = []
    real = run_mod._judge

    def crash(*args, **kwargs):  # the survey dies after the tasks, before it finishes
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(run_mod, "_judge", crash)
    try:
        survey(config, world)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(run_mod, "_judge", real)
    again = survey(config, world)
    assert again.stats["resolve"]["reused"] == 4 and again.stats["packages"]["reused"] == again.stats["packages"]["tasks"]
    assert not list((config.cache_dir / "survey-v1").iterdir())  # forgotten once finished


def test_cli_writes_the_tables(config, world, fake_pypi, tmp_path):
    import duckdb
    from typer.testing import CliRunner

    from auditor.cli import app

    out = tmp_path / "tables"
    args = ["survey", str(world), "--resolver", "none", "-o", str(out), "--cache-dir", str(config.cache_dir),
            "--index-url", config.index_url, "--pypi-url", config.pypi_url, "--osv-url", config.osv_url,
            "--python-version", "3.11", "--platform", "linux"]
    args += ["--disable", "history"]  # the forge collectors are off in tests (tests/conftest.py)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 3, res.output  # one input failed
    assert "4 inputs (1 failed), 4 distinct packages" in res.output
    db = duckdb.connect()
    t = {p.stem: str(p) for p in out.glob("*.parquet")}
    assert sorted(t) == ["aggregates", "edges", "findings", "inputs", "packages", "people", "repositories"]
    assert db.execute(f"SELECT count(*) FROM '{t['inputs']}' WHERE status = 'failed'").fetchone()[0] == 1
    assert db.execute(f"SELECT inputs FROM '{t['packages']}' WHERE name = 'core'").fetchone()[0] == 3
    top = db.execute(f"SELECT subject, inputs FROM '{t['aggregates']}' "
                     "WHERE question = 'pypi_accounts_reaching_most_inputs' ORDER BY rank").fetchall()
    assert top[0] == ("solo", 3)  # owns core, under every resolved input
    spof = db.execute(f"SELECT subject FROM '{t['aggregates']}' WHERE question = 'single_points_of_failure' "
                      "ORDER BY rank").fetchall()
    assert spof[0] == ("core==1.0",)
    assert db.execute(f"SELECT inputs FROM '{t['edges']}' WHERE source = 'web==2.0' AND target = 'core==1.0'"
                      ).fetchone()[0] == 2


def test_tokens_stay_with_the_client(config, world):
    """Tasks get a Config without tokens; a task in the client's process uses the client's (a --github-token-file)."""
    from auditor.config import Secret
    from auditor.survey import tasks

    mine = config.with_changes(github_token=Secret("from-a-file"))
    portable = tasks.portable_config(mine)
    assert portable.github_token is None and tasks.config_key(portable) == tasks.config_key(mine)
    tasks.register_client_config(mine)
    try:
        assert tasks.worker_context(portable).config.github_token.reveal() == "from-a-file"
    finally:
        tasks.close_contexts()
        tasks._CLIENT_CONFIGS.clear()


def test_a_distribution_without_version_is_keyed_and_sorted():
    """A direct reference the resolver could not pin has no version: its key is still strings (top-5000 crashed on it)."""
    import dataclasses

    from auditor.models import Origin
    from auditor.survey.run import _unique_name_batches
    from auditor.survey.tasks import dist_key
    from tests.builders import dist

    odd = dataclasses.replace(dist("odd", "1.0"), version=None, origin=Origin(kind="url", url="https://example.org/odd.zip"))
    keys = sorted([dist_key(dist("odd", "1.0")), dist_key(odd), dist_key(dist("even", "2.0"))])
    assert keys[1] == ("odd", "", "url", "https://example.org/odd.zip")
    batches = _unique_name_batches([(k, None) for k in keys], lambda kv: kv[0][0], 150)
    assert sorted(len(b) for b in batches) == [1, 2]  # the two odd ones never share a shard


def test_no_secret_travels_to_workers(config, monkeypatch):
    """The Hub token and an index URL's password are stripped too; a worker re-reads its own from its environment."""
    import pickle

    from auditor.config import Secret
    from auditor.survey import tasks

    mine = config.with_changes(hub_token=Secret("hf_secret"), index_url="https://u:s3cret@idx.example/simple",
                               pypi_url="https://u:s3cret@idx.example/pypi")
    portable = tasks.portable_config(mine)
    sent = pickle.dumps(portable)
    assert b"s3cret" not in sent and b"hf_secret" not in sent and portable.hub_token is None
    assert portable.index_url == "https://idx.example/simple"
    monkeypatch.setenv("HF_TOKEN", "hf_worker")
    monkeypatch.setenv("AUDITOR_INDEX_URL", "https://w:pw@idx.example/simple")
    monkeypatch.setenv("AUDITOR_PYPI_URL", "https://other.example/pypi")  # another host: not this run's
    try:
        own = tasks.worker_context(portable).config  # no client config registered: a remote worker
        assert own.hub_token.reveal() == "hf_worker"
        assert own.index_url == "https://w:pw@idx.example/simple" and own.pypi_url == "https://idx.example/pypi"
    finally:
        tasks.close_contexts()
