"""Every DuckDB query of docs/survey.md runs on a real survey's tables and answers the small world right."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from auditor.report.survey_tables import write_tables
from auditor.survey.inputs import expand
from auditor.survey.run import run_survey
from auditor.survey.runner import LocalRunner
from tests.survey.conftest import OFF

DOC = Path(__file__).resolve().parents[2] / "docs" / "survey.md"


def doc_queries() -> list[str]:
    block = re.search(r"```sql\n(.*?)```", DOC.read_text(), re.S).group(1)
    queries = ["\n".join(line for line in q.splitlines() if not line.startswith("--")).strip() for q in block.split(";")]
    return [q for q in queries if q]


def test_documented_queries(config, world, tmp_path, monkeypatch):
    runner = LocalRunner(2)
    try:
        result = run_survey(config.with_changes(disabled=OFF), expand([str(world)]), runner,
                            source_options={"resolver": "none"})
    finally:
        runner.close()
    (tmp_path / "survey").mkdir()
    write_tables(result, tmp_path / "survey")
    monkeypatch.chdir(tmp_path)
    db = duckdb.connect()
    answers = [db.execute(q).fetchall() for q in doc_queries()]
    assert len(answers) == 7
    accounts, spof, depended, aggregates, _provenance, failed, _findings = answers
    assert accounts[0] == ("solo", 3, 2)  # core and cli, under a, b and c
    assert spof[0][:2] == ("core==1.0", 3)
    assert depended[0][:2] == ("core==1.0", 3) and isinstance(depended[0][3], list)
    assert {row[0] for row in aggregates} >= {"pypi_accounts_reaching_most_inputs", "packages_most_depended_on",
                                              "single_points_of_failure"}
    assert len(failed) == 1 and failed[0][0].endswith("broken/requirements.txt")
