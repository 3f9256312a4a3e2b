"""The survey's history stage: per repository shard, and the same per-input contributors as ``auditor audit``."""

from __future__ import annotations

from auditor.pipeline import run_audit
from auditor.report.survey_tables import package_rows, write_tables
from auditor.sources.registry import open_source
from auditor.survey.inputs import expand
from auditor.survey.run import run_survey
from auditor.survey.runner import LocalRunner
from tests.gitrepo import RepoBuilder, git, git_home  # noqa: F401  (fixture)
from tests.survey.conftest import OFF

JANE = ("Jane Doe", "jane@example.org")
BOB = ("Bob Roe", "bob@example.org")
CAROL = ("Carol Poe", "carol@example.org")
APP_URLS = (("Source", "https://github.com/org/app"),)
LIB_URLS = (("Source", "https://github.com/libs/lib"),)


def history_world(config, fake_pypi, tmp_path):
    """``(config, [input folders])``: app (Jane, Bob) requires lib (Carol), both with git repositories."""
    srv = tmp_path / "srv"
    app_repo = RepoBuilder(srv / "org" / "app")
    app_repo.commit(JANE, "2024-01-10")
    app_repo.commit(BOB, "2024-02-10")
    RepoBuilder(srv / "libs" / "lib").commit(CAROL, "2020-01-10")
    git("config", "--global", f"url.{srv.as_uri()}/.insteadOf", "https://github.com/")
    fake_pypi.add("app", "1.0", requires_dist=["lib"], project_urls=APP_URLS, roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "2.0", project_urls=LIB_URLS, roles=(("Owner", "carol"),))
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "requirements.txt").write_text("app==1.0\nlib==2.0\n")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "requirements.txt").write_text("lib==2.0\n")
    cfg = config.with_changes(disabled=OFF - {"history"}, as_of="2024-12-31", people=True)
    return cfg, [str(tmp_path / "one"), str(tmp_path / "two")]


def test_history_stage(config, fake_pypi, tmp_path, git_home):  # noqa: F811
    cfg, inputs = history_world(config, fake_pypi, tmp_path)
    runner = LocalRunner(2)
    try:
        result = run_survey(cfg, expand(inputs), runner, source_options={"resolver": "none"})
    finally:
        runner.close()
    assert result.stats["history"]["tasks"] >= 1 and result.stats["history"]["failed"] == 0
    audit = run_audit(cfg, open_source(tmp_path / "one" / "requirements.txt", resolver="none"))
    one = next(i for i in result.inputs if i.id.endswith("one/requirements.txt"))
    assert one.contributors == audit.root.contributors == 3
    rows = {r["name"]: r for r in package_rows(result)}
    assert rows["app"]["bus_factor"] == 1 and rows["lib"]["inputs"] == 2
    (tmp_path / "out").mkdir()
    counts = write_tables(result, tmp_path / "out")
    assert counts["repositories"] == 2
    import duckdb

    people = duckdb.connect().execute(
        f"SELECT kind, count(*) FROM '{tmp_path / 'out' / 'people.parquet'}' GROUP BY 1 ORDER BY 1").fetchall()
    assert ("contributor", 3) in people
