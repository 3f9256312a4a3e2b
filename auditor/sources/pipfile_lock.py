"""``Pipfile.lock``: Pipenv's lockfile (JSON, read with :mod:`json`).

Format (pipenv, ``_meta.pipfile-spec`` 6): ``_meta`` (``sources``,
``requires``, ``hash``), then ``default`` and ``develop`` objects mapping a
name to ``{"version": "==1.2", "hashes": [...], "markers": "...",
"extras": [...], "index": "..."}`` (or ``git``/``ref``, ``path``, ``file``
for direct references).  Pipenv writes ``"version": "*"`` for a package it
did not pin (e.g. one whose marker excluded the locking platform).

The lock records no dependency edges: they are computed from each
package's core metadata (PEP 658, via the index) with
:func:`auditor.sources.edges.link`.  The root's requirements are the names
in the ``Pipfile`` next to the lock when there is one (``[packages]`` and
``[dev-packages]``), else every package nothing else requires.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from auditor.dist.bounded import loads_json
from auditor.dist.markers import marker_holds
from auditor.errors import InputError
from auditor.models import Distribution, Inventory, Origin
from auditor.net.context import RunContext
from auditor.dist.redact import redact_url
from auditor.sources.interface import note_indexes
from auditor.sources.lockfile import LineIndex, LockfileSource, NOT_FETCHED, safe_origin
from auditor.sources.lockfile import fetch_metadata, inventory, link_computed, load_toml, require, requirement_text

SECTIONS = ("default", "develop")


def _origin(entry: dict[str, Any], sources: dict[str, str], path: Path, line: int | None) -> Origin:
    if "git" in entry:
        ref = entry.get("ref")
        return Origin(kind="vcs", url=f"git+{entry['git']}" + (f"@{ref}" if ref else ""), file=str(path), line=line)
    if "path" in entry:
        return Origin(kind="path", url=str(entry["path"]), file=str(path), line=line)
    if "file" in entry:
        return Origin(kind="url", url=str(entry["file"]), file=str(path), line=line)
    index = sources.get(str(entry.get("index") or ""), next(iter(sources.values()), "https://pypi.org/simple"))
    return Origin(kind="registry", index_url=redact_url(index), file=str(path), line=line)  # never a credential


def _pinned(version: Any) -> str | None:
    if isinstance(version, str) and version.startswith("==="):
        return version[3:]
    if isinstance(version, str) and version.startswith("=="):
        return version[2:]
    return None


def pipfile_requirements(pipfile: Path) -> list[str] | None:
    """Requirement names (with extras and markers) from a ``Pipfile`` next to the lock, or None."""
    if not pipfile.is_file():
        return None
    try:
        doc = load_toml(pipfile)
    except InputError:
        return None
    out = []
    for section in ("packages", "dev-packages"):
        for name, spec in (doc.get(section) or {}).items():
            extras = spec.get("extras", []) if isinstance(spec, dict) else []
            marker = spec.get("markers") if isinstance(spec, dict) else None
            out.append(requirement_text(name, extras, marker))
    return out


class PipfileLockSource(LockfileSource):
    """A ``Pipfile.lock`` file.

    Args:
        path: the lockfile.
        text: its content, if already read (``--git-base``; the adjacent
            ``Pipfile`` is then not read).
        all_platforms: keep packages whose marker excludes the target.
        develop: include the ``develop`` section.
        fetch_metadata: fetch core metadata (needed for edges; ``False``
            gives an inventory without edges, for tests).
    """

    name = "Pipfile.lock"

    def __init__(self, path: str | Path, text: str | None = None, all_platforms: bool = True,
                 develop: bool = True, fetch_metadata: bool = True, metadata_client: Any = None):
        super().__init__(path, text, all_platforms, fetch_metadata, metadata_client)
        self.develop = develop

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        config = ctx.config
        p = self.path
        text = self.read()
        try:
            doc = loads_json(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", str(p), exc.lineno) from exc
        except ValueError as exc:  # too deep, too large, an integer over the digit limit
            raise InputError(f"invalid JSON: {str(exc)[:200]}", str(p)) from exc
        require(isinstance(doc, dict) and "_meta" in doc and "default" in doc,
                "not a Pipfile.lock file (no '_meta' or 'default' object)", p)
        sources = {
            str(s.get("name")): str(s.get("url"))
            for s in (doc["_meta"].get("sources") or [])
            if isinstance(s, dict)
        }
        note_indexes(ctx, sources.values())  # pipenv hands every source to pip: each is read for AUD122
        env = config.target.marker_environment()
        lines = LineIndex(text)
        dists: dict[str, Distribution] = {}
        for section in SECTIONS:
            if section == "develop" and not self.develop:
                continue
            entries = doc.get(section) or {}
            require(isinstance(entries, dict), f"'{section}' must be an object", p)
            for raw, entry in entries.items():
                line = lines.find([rf'^\s*"{_re(raw)}"\s*:\s*\{{'], f"json:{section}:{raw}")
                require(isinstance(entry, dict), f"package {raw!r}: expected an object", p, line)
                name = str(canonicalize_name(raw))
                if name in dists:
                    continue
                if not self.all_platforms and not marker_holds(entry.get("markers"), env):
                    continue
                hashes = tuple(str(h) for h in entry.get("hashes") or [])
                dists[name] = Distribution(
                    name=name, version=_pinned(entry.get("version")), metadata=NOT_FETCHED,
                    origin=safe_origin(_origin(entry, sources, p, line)), hashes=hashes,
                )
        roots = None if self.text is not None else pipfile_requirements(p.with_name("Pipfile"))
        items = list(dists.values())
        if self.fetch_metadata:
            items = fetch_metadata(items, ctx, self.metadata_client)
        root_edges, linked = link_computed(roots, items, config, self.all_platforms)
        return inventory(p, "lockfile", root_edges, linked, config, resolver="Pipfile.lock")


def _re(s: str) -> str:
    import re

    return re.escape(s)
