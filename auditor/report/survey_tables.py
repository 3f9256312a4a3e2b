"""The tables of ``auditor survey -o DIR``: seven Parquet files, one per subject (docs/survey.md).

``inputs``, ``packages``, ``repositories``, ``people``, ``edges``,
``findings`` and ``aggregates``, each written by
:func:`auditor.report.parquet.write_table` with sorted rows, so that the same
survey gives the same bytes on a local pool and on a Dask cluster.  Pure:
everything comes from the :class:`~auditor.survey.run.SurveyResult`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from auditor.models import Unknown
from auditor.report.parquet import write_table

#: Rows per question in ``aggregates``.
TOP = 100

INPUT_COLUMNS = (("id", "string"), ("status", "string"), ("error", "string"), ("resolver", "string"),
                 ("packages", "int64"), ("direct", "int64"), ("repositories", "int64"), ("maintainers", "int64"),
                 ("contributors", "int64"), ("findings", "int64"), ("missing", "int64"))
PACKAGE_COLUMNS = (("id", "string"), ("name", "string"), ("version", "string"), ("origin", "string"),
                   ("inputs", "int64"), ("direct_inputs", "int64"), ("dependents", "int64"), ("exposure", "float64"),
                   ("weakest", "strings"), ("factors", "factors"), ("maintainers", "int64"),
                   ("maintainer_names", "strings"), ("organization", "string"), ("repo_url", "string"),
                   ("bus_factor", "int64"), ("single_point_of_failure", "bool"), ("unknown", "json"))
REPOSITORY_COLUMNS = (("url", "string"), ("host", "string"), ("packages", "int64"), ("inputs", "int64"),
                      ("contributors", "int64"), ("bus_factor", "int64"))
PEOPLE_COLUMNS = (("id", "string"), ("kind", "string"), ("name", "string"), ("packages", "int64"),
                  ("inputs", "int64"))
EDGE_COLUMNS = (("source", "string"), ("target", "string"), ("kind", "string"), ("inputs", "int64"))
FINDING_COLUMNS = (("rule", "string"), ("severity", "string"), ("package", "string"), ("message", "string"),
                   ("inputs", "int64"))
AGGREGATE_COLUMNS = (("question", "string"), ("rank", "int64"), ("subject", "string"), ("inputs", "int64"),
                     ("detail", "json"))


def package_id(key: tuple) -> str:
    """``name==version`` (``name @ URL`` style suffix for a distribution not from an index)."""
    name, version, kind, url = key
    return f"{name}=={version}" if kind in ("registry", "installed") else f"{name}=={version} ({kind} {url})"


def _history(node) -> Any:
    value = node.signals.get("history")
    return None if value is None or isinstance(value, Unknown) else value


def _maintainers(node) -> list[str] | None:
    maint = node.maintainers
    return None if isinstance(maint, Unknown) else sorted({m.username for m in maint})


def _weakest(factors) -> list[str]:
    """The factor names that cost the most points (ties by name), at most three, unknown ones included."""
    costly = sorted((f for f in factors if (f.points or 0) > 0), key=lambda f: (-(f.points or 0), f.name))
    return [f.name for f in costly[:3]]


def _factor_rows(factors) -> list[dict[str, Any]]:
    return [{"name": f.name, "value": None if f.value is None else str(f.value),
             "points": f.points, "weight": f.weight, "detail": f.detail} for f in factors]


def package_rows(result) -> list[dict[str, Any]]:
    """One row per distinct distribution, sorted by id."""
    rows = []
    for key, facts in result.packages.items():
        node = facts.node
        names = _maintainers(node)
        history = _history(node)
        bus = history.bus_factor if history is not None else None
        spof = None
        if names is not None:
            spof = len(names) == 1 and not node.organization
        if bus == 1:
            spof = True
        unknown = {}
        if names is None:
            unknown["maintainers"] = node.maintainers.reason
        if history is None and isinstance(node.signals.get("history"), Unknown):
            unknown["history"] = node.signals["history"].reason
        rows.append({
            "id": package_id(key), "name": key[0], "version": key[1], "origin": key[2],
            "inputs": len(facts.inputs), "direct_inputs": len(facts.direct), "dependents": facts.dependents,
            "exposure": facts.exposure, "weakest": _weakest(facts.factors), "factors": _factor_rows(facts.factors),
            "maintainers": len(names) if names is not None else None, "maintainer_names": names,
            "organization": node.organization,
            "repo_url": node.mapping.repo.url if node.mapping.repo is not None else None,
            "bus_factor": bus, "single_point_of_failure": spof, "unknown": unknown or None,
        })
    return sorted(rows, key=lambda r: r["id"])


def _people(result) -> dict[tuple[str, str], tuple[set, set]]:
    """``{(kind, name): (package ids, input ids)}`` of PyPI accounts, organizations and contributors."""
    out: dict[tuple[str, str], tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for key, facts in result.packages.items():
        node = facts.node
        who = [("pypi_account", n) for n in (_maintainers(node) or ())]
        if node.organization:
            who.append(("pypi_organization", node.organization))
        history = _history(node)
        for person in getattr(history, "people", ()) or ():
            who.append(("contributor", getattr(person, "id", str(person))))
        for kind_name in who:
            packages, inputs = out[kind_name]
            packages.add(package_id(key))
            inputs.update(facts.inputs)
    return out


def aggregate_rows(result, people) -> list[dict[str, Any]]:
    """The answers: who reaches the most inputs, what is depended on most and how weak it is, the single points of failure."""
    rows: list[dict[str, Any]] = []

    def ranked(question: str, items: Iterable[tuple[str, int, Any]]) -> None:
        for rank, (subject, inputs, detail) in enumerate(sorted(items, key=lambda t: (-t[1], t[0]))[:TOP], 1):
            rows.append({"question": question, "rank": rank, "subject": subject, "inputs": inputs, "detail": detail})

    ranked("pypi_accounts_reaching_most_inputs", ((name, len(inputs), {"packages": len(pkgs)})
                                                  for (kind, name), (pkgs, inputs) in people.items()
                                                  if kind == "pypi_account"))
    ranked("contributors_reaching_most_inputs", ((name, len(inputs), {"packages": len(pkgs)})
                                                 for (kind, name), (pkgs, inputs) in people.items()
                                                 if kind == "contributor"))
    packages = package_rows(result)
    ranked("packages_most_depended_on", ((r["id"], r["inputs"], {"exposure": r["exposure"], "weakest": r["weakest"],
                                                                 "maintainers": r["maintainers"]}) for r in packages))
    ranked("single_points_of_failure", ((r["id"], r["inputs"], {
        "maintainers": r["maintainer_names"], "bus_factor": r["bus_factor"], "repo_url": r["repo_url"]})
        for r in packages if r["single_point_of_failure"]))
    return rows


def write_tables(result, directory: Path) -> dict[str, int]:
    """Write the seven tables of *result* into *directory*; ``{table: rows}``."""
    directory = Path(directory)
    counts: dict[str, int] = {}
    counts["inputs"] = write_table(directory / "inputs.parquet", INPUT_COLUMNS, (
        {"id": i.id, "status": "failed" if i.error else "ok", "error": i.error, "resolver": i.resolver or None,
         "packages": None if i.error else i.packages, "direct": None if i.error else i.direct,
         "repositories": None if i.error else i.repositories, "maintainers": i.maintainers,
         "contributors": i.contributors, "findings": None if i.error else len(i.findings),
         "missing": None if i.error else i.missing} for i in result.inputs))
    counts["packages"] = write_table(directory / "packages.parquet", PACKAGE_COLUMNS, package_rows(result))
    repos: dict[str, tuple[set, set, Any]] = {}
    for key, facts in result.packages.items():
        repo = facts.node.mapping.repo
        if repo is None:
            continue
        packages, inputs, _ = repos.setdefault(repo.url, (set(), set(), _history(facts.node)))
        packages.add(package_id(key))
        inputs.update(facts.inputs)
    counts["repositories"] = write_table(directory / "repositories.parquet", REPOSITORY_COLUMNS, (
        {"url": url, "host": url.split("/")[2] if url.count("/") >= 2 else None, "packages": len(p), "inputs": len(i),
         "contributors": getattr(h, "contributors", None), "bus_factor": getattr(h, "bus_factor", None)}
        for url, (p, i, h) in sorted(repos.items())))
    people = _people(result)
    counts["people"] = write_table(directory / "people.parquet", PEOPLE_COLUMNS, (
        {"id": f"{kind}:{name}", "kind": kind, "name": name, "packages": len(p), "inputs": len(i)}
        for (kind, name), (p, i) in sorted(people.items())))
    counts["edges"] = write_table(directory / "edges.parquet", EDGE_COLUMNS, (
        {"source": package_id(s), "target": package_id(t), "kind": "requires", "inputs": len(ids)}
        for (s, t), ids in sorted(result.edges.items(), key=lambda kv: (package_id(kv[0][0]), package_id(kv[0][1])))))
    findings: dict[tuple, set] = defaultdict(set)
    for i in result.inputs:
        for f in i.findings:
            findings[(f.id, f.severity.value, f.package or "", f.message)].add(i.id)
    counts["findings"] = write_table(directory / "findings.parquet", FINDING_COLUMNS, (
        {"rule": r, "severity": s, "package": p or None, "message": m, "inputs": len(ids)}
        for (r, s, p, m), ids in sorted(findings.items())))
    counts["aggregates"] = write_table(directory / "aggregates.parquet", AGGREGATE_COLUMNS,
                                       aggregate_rows(result, people))
    return counts
