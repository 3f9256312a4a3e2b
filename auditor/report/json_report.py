"""``--format json``: the audit as a versioned JSON document.

The schema is documented in ``docs/json-schema.md``.  ``schema_version``
follows semantic versioning: a new field is a minor bump, a removed or
changed field a major bump.  Unknown values are ``{"unknown": "<reason>"}``.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterator, TextIO

from auditor.graph import attrs as A
from auditor.graph.build import node_id
from auditor.graph.bulk import bulk
from auditor.models import Unknown
from auditor.report.serialize import dumps_indented, orjson_converter, to_jsonable
from auditor.report.totals import people_reach_note

SCHEMA_VERSION = "1.1"


def package_record(result, node, convert: Callable[[Any], Any] = to_jsonable) -> dict:
    """The JSON object for one package node (shared by other JSON-based formats).

    *convert* turns each model into JSON values (:func:`to_jsonable`;
    :func:`render` passes :func:`~auditor.report.serialize.orjson_converter`'s).
    """
    to_jsonable = convert
    d = node.distribution
    score = result.scores[node.name]
    nid = node_id(node)
    maint = node.maintainers
    org = node.organization
    history = node.signals.get("history", Unknown("git history not collected", fault=False))
    return {
        "name": d.name,
        "version": d.version,
        "kind": "interpreter" if d.origin.kind == "interpreter" else "distribution",
        "direct": d.direct,
        "origin": to_jsonable(d.origin),
        "repository": {
            "url": node.mapping.repo.url if node.mapping.repo else None,
            "subpath": node.mapping.repo.subpath if node.mapping.repo else None,
            "evidence": node.mapping.evidence,
            "confidence": node.mapping.confidence.value,
            "rule": node.mapping.rule,
            "subdirectory_state": node.mapping.subdirectory_state,
            "note": node.mapping.note,
            "candidates": [{"url": u, "evidence": e} for u, e in node.mapping.candidates],
        },
        "maintainers": to_jsonable(maint) if isinstance(maint, Unknown) else [
            {"username": m.username, "role": m.role} for m in maint
        ],
        "organization": org,
        "contacts": to_jsonable(node.contacts),
        "contributors": to_jsonable(history) if isinstance(history, Unknown) else to_jsonable(getattr(history, "contributors", history)),
        "dependencies": [
            {"name": e.target, "requirement": e.requirement, "marker": e.marker, "extras": list(e.extras), "via_extra": e.via_extra}
            for e in d.requires
        ],
        "dependents": result.graph.nodes[nid].get(A.DEPENDENTS, 0),
        "score": {**to_jsonable(score), "coverage": score.coverage},
        "signals": to_jsonable(dict(sorted(node.signals.items()))),
        "metadata": {"unknown": d.metadata.reason} if isinstance(d.metadata, Unknown) else None,
    }


def hub_section(hub, facts=None) -> dict:
    """The ``hub`` key (only with ``--scan``/``--model``/``--dataset``; docs/models.md): references as found,
    and (``repositories``, ``derived_from``, ``people``) what the Hub API said about them."""
    def ref(r) -> dict:
        return {"kind": r.kind, "repo_id": r.repo_id, "node": r.node_id, "call": r.call, "location": str(r.location),
                "revision": str(r.revision) if isinstance(r.revision, Unknown) else r.revision, "pinned": r.pinned,
                "trust_remote_code": str(r.trust_remote_code) if isinstance(r.trust_remote_code, Unknown) else r.trust_remote_code,
                "use_safetensors": str(r.use_safetensors) if isinstance(r.use_safetensors, Unknown) else r.use_safetensors,
                "package": r.package}

    return {
        "files_scanned": hub.files,
        "references": [ref(r) for r in hub.references],
        "unresolved": [{"call": u.call, "location": str(u.location), "reason": u.reason} for u in hub.unresolved],
        "skipped": [{"file": path, "reason": u.reason, "kind": u.kind.value} for path, u in hub.skipped],
        **(hub_facts_section(facts) if facts is not None else {}),
    }


def hub_scores_section(scores, convert: Callable[[Any], Any]) -> dict:
    """``scores``: each referenced Hub repository's exposure score (``scoring/hub.py``), shaped like a package's."""
    return {"scores": {nid: {**convert(s), "coverage": s.coverage} for nid, s in scores.items()}} if scores else {}


def hub_facts_section(facts) -> dict:
    """``repositories`` (node id -> facts or ``{"unknown", "kind"}``), ``derived_from`` and ``people``."""
    from auditor.graph.hub import facts_record

    people = facts.people()
    return {
        "repositories": {nid: facts_record(f) for nid, f in facts.repos.items()},
        "derived_from": [{"model": a, "base": b} for a, b in facts.derived],
        "people": {"count": len(people), "accounts": {p: sorted(n) for p, n in sorted(people.items())}},
    }


def _sections(result, verbose: bool, convert: Callable[[Any], Any]) -> dict:
    """The document's keys in order, values converted by *convert*.

    ``packages`` and ``findings`` are iterators of ``item(convert) -> value``
    (written one item at a time, each converted when it is written).
    """
    to_jsonable = convert
    inv = result.inventory
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": result.tool_version},
        "generated_at": result.generated_at,
        "input": {
            "name": inv.root_name,
            "kind": inv.root_kind,
            "resolver": inv.resolver,
            "target": to_jsonable(inv.target),
            "requires": [to_jsonable(e) for e in inv.root_requires],
        },
        "summary": {
            **to_jsonable(result.root),
            "complete": not result.incomplete,
            "people_reach": people_reach_note(result),
        },
        "missing": [to_jsonable(m) for m in result.missing],
        "packages": (partial(package_record, result, n) for n in result.ranked()),
        "findings": (partial(_call, f) for f in result.findings),
        **({"hub": {**hub_section(result.hub, result.hub_facts), **hub_scores_section(result.hub_scores, convert)}}
           if result.hub is not None else {}),
        **({"requests": result.requests} if verbose else {}),
    }


def document(result, verbose: bool = False) -> dict:
    """The whole JSON document as a dict.

    Identical input and cache give an identical document (``generated_at``
    aside, fixed by ``SOURCE_DATE_EPOCH``).  HTTP accounting (``requests``)
    changes from run to run (cache hits, retries), so it is only included
    with *verbose* (``auditor audit -v``).
    """
    doc = _sections(result, verbose, to_jsonable)
    for key in ("packages", "findings"):
        doc[key] = [item(to_jsonable) for item in doc[key]]
    return doc


def _call(value: Any, convert: Callable[[Any], Any]) -> Any:
    return convert(value)


@bulk()
def render(result, out: TextIO, verbose: bool = False) -> None:
    """Write the JSON document to *out* (UTF-8 text, 2-space indent, stable key order); see :func:`document`.

    The text is ``json.dump(document(result, verbose), out, indent=2,
    ensure_ascii=False)`` plus a newline, written one package at a time
    (:func:`~auditor.report.serialize.dumps_indented`), so the whole
    document never exists as one tree of dicts.
    """
    convert = orjson_converter()
    out.write("{")
    for i, (key, value) in enumerate(_sections(result, verbose, convert).items()):
        out.write(f'{"," if i else ""}\n  {dumps_indented(key)}: ')
        if isinstance(value, Iterator):
            _write_list(out, value, convert)
        else:
            out.write(dumps_indented(value, 1, plain=lambda: _sections(result, verbose, to_jsonable)[key]))
    out.write("\n}\n")


def _write_list(out: TextIO, items: Iterator[Callable[[Callable[[Any], Any]], Any]],
                convert: Callable[[Any], Any]) -> None:
    """An array at level 1 of the document, one item at a time (``[]`` when empty, as ``json`` writes it)."""
    first = True
    for item in items:
        out.write("[\n    " if first else ",\n    ")
        out.write(dumps_indented(item(convert), 2, plain=lambda: item(to_jsonable)))
        first = False
    out.write("[]" if first else "\n  ]")
