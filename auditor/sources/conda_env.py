"""``environment.yml``: a conda environment file, audited with its pins as written.

auditor has no conda solver of its own and never writes one; the channels
(conda.anaconda.org) are the repodata a solver would need.  So the
``dependencies:`` are read as written: ``numpy=1.26.4`` or ``numpy==1.26.4``
pins 1.26.4 (conda reads ``=1.26.4`` as ``1.26.4.*``: the newest build of that
version), a range or a bare name pins nothing, and the input always carries a
gap saying the environment was not resolved (exit 3).  The ``pip:`` list is
read like a requirements file's lines, pins as written too.  Each spec is
parsed by py-rattler's ``MatchSpec``; the YAML by PyYAML's safe loader on the
size-capped text, then validated strictly.  docs/conda.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from auditor.errors import InputError
from auditor.dist.redact import redact_url
from auditor.models import CondaRecord, Distribution, Inventory, Origin, Unknown, UnknownKind
from auditor.net.context import RunContext
from auditor.sources.conda import _first_line, _rattler, conda_inventory
from auditor.sources.conda_names import conda_names
from auditor.sources.interface import Source
from auditor.sources.lockfile import check_versions, read_text
from auditor.sources.requirement_lines import RequirementLine, fallback_name, parse_line, parse_requirements

#: At most this many entries under ``dependencies:`` (and under ``pip:``).
MAX_SPECS = 10_000
_EXACT = re.compile(r"^(?:==)?(?P<v>[0-9][0-9A-Za-z._+!]*)(?:\.\*)?$")


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    return None


def _needle(entry: Any) -> str:
    """Text to find a non-string ``dependencies`` entry's line by: a mapping's first key, else
    ``dependencies:`` (never ``str(entry)``: a YAML alias of nested lists expands to gigabytes)."""
    if isinstance(entry, dict) and entry and isinstance(next(iter(entry)), (str, int, float)):
        return f"{str(next(iter(entry)))[:40]}:"
    return "dependencies:"


def exact_version(spec: Any) -> str | None:
    """The version a rattler ``MatchSpec`` pins (``==1.26.4`` or ``1.26.4.*``), else None (a range, or none)."""
    if spec.version is None:
        return None
    m = _EXACT.match(str(spec.version))
    return m.group("v") if m else None


class CondaEnvironmentFileSource(Source):
    """``environment.yml`` (conda's environment file).  Interface: :class:`Source`.

    Raises (from :meth:`collect`):
        InputError: not YAML, not a mapping, a ``dependencies`` entry that is
            neither a spec string nor a ``pip:`` list, or a spec rattler
            rejects (names the file and line).
    """

    name = "environment.yml"

    def __init__(self, path: str | Path, max_input_bytes: int | None = None):
        self.path = Path(path)
        self.max_input_bytes = max_input_bytes

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.  No HTTP (nothing is solved)."""
        text = read_text(self.path) if self.max_input_bytes is None else read_text(self.path, self.max_input_bytes)
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(f"not valid YAML ({_first_line(exc)})", str(self.path),
                             mark.line + 1 if mark is not None else None) from None
        except RecursionError:  # PyYAML's parser recurses per nesting level: "[[[[..." ends here, not in a crash
            raise InputError("YAML nested deeper than the parser can follow", str(self.path)) from None
        if not isinstance(doc, dict) or not isinstance(doc.get("dependencies"), list):
            # A file with no 'dependencies' list is not one (a pixi.lock given with --input-format
            # environment.yml was an audit of nothing); 'dependencies: []' is an empty environment.
            keys = ", ".join(sorted(str(k)[:40] for k in doc)[:5]) if isinstance(doc, dict) else type(doc).__name__
            raise InputError(f"an environment file is a mapping with a 'dependencies' list (this one: {keys})",
                             str(self.path))
        channels = [str(c) for c in doc.get("channels") or () if isinstance(c, (str, int, float))]
        deps = doc.get("dependencies") or []
        if len(deps) > MAX_SPECS:
            raise InputError(f"more than {MAX_SPECS} dependencies", str(self.path))
        rattler = _rattler()
        table, names_gap = conda_names(ctx)
        records: list[CondaRecord] = []
        pip: list[Distribution] = []
        unpinned: list[str] = []
        followed: set[Path] = set()  # '-r' files already read (each once, however often it is named)
        for entry in deps:
            if isinstance(entry, dict) and set(entry) == {"pip"} and isinstance(entry["pip"], list):
                for line in entry["pip"][:MAX_SPECS]:
                    if not isinstance(line, (str, int, float)):  # a YAML alias of nested lists is no requirement
                        raise InputError(f"a 'pip:' entry must be a string, not {type(line).__name__}",
                                         str(self.path), _line_of(text, "pip:"))
                    pip.extend(self._pip(str(line), text, unpinned, followed))
                continue
            if not isinstance(entry, str):
                raise InputError(f"a dependency must be a spec string or a 'pip:' list, not {type(entry).__name__}",
                                 str(self.path), _line_of(text, _needle(entry)))
            try:
                spec = rattler.MatchSpec(entry)
            except Exception as exc:  # noqa: BLE001 - rattler's parse errors have no common base class
                raise InputError(f"not a conda spec: {entry!r} ({_first_line(exc)})", str(self.path),
                                 _line_of(text, entry)) from None
            name = spec.name.normalized if spec.name else entry
            version = exact_version(spec)
            if version is None:
                unpinned.append(name)
            channel = str(spec.channel.name) if spec.channel is not None else (channels[0] if channels else None)
            pyname = table.pypi_name(name)  # no files or depends here: the table alone decides
            records.append(CondaRecord(name=name, version=version, build=str(spec.build or ""), channel=channel,
                                       python_name=pyname, source="environment.yml"))
        gap = "not resolved (auditor has no conda solver and does not reach the channels): versions are the pins as written"
        if unpinned:
            gap += f"; unpinned: {', '.join(sorted(set(unpinned))[:20])}"
        check_versions(pip)  # a 5,000-digit pin: every later stage parses versions
        return conda_inventory(ctx, str(self.path), "requirements", records, pip, resolver="as written",
                               root_specs=[r.name for r in records] + [d.name for d in pip],
                               gaps=[(str(self.path), gap, UnknownKind.UNSUPPORTED.value),
                                     *([names_gap] if names_gap else [])])

    def _pip(self, line: str, text: str, unpinned: list[str], followed: set[Path]) -> list[Distribution]:
        """The distributions one ``pip:`` entry names.  conda writes the list to a requirements
        file next to the environment file and runs ``pip install -r`` on it, so an entry is a
        requirements line: ``-e .``, ``-r requirements.txt`` (followed, pins as written),
        a URL, path or VCS reference; index options (``--extra-index-url``) name no package.
        A ``-r`` file in *followed* is not read again (its packages are already listed)."""
        lineno = _line_of(text, line)
        req, options = parse_line(line, self.path, lineno)
        lines: list[RequirementLine] = [req] if req is not None else []
        for included in options.get("requirements") or ():
            target = Path(included)
            target = target if target.is_absolute() else self.path.parent / target
            if target in followed:
                continue
            followed.add(target)
            lines += parse_requirements(target).requirements
        return [self._distribution(r, unpinned) for r in lines if not r.constraint]

    def _distribution(self, req: RequirementLine, unpinned: list[str]) -> Distribution:
        name = req.name or fallback_name(req.url or "")
        version = req.pinned_version
        if req.kind == "registry" and version is None:
            unpinned.append(name)
        url = redact_url(req.url) if req.url else None
        return Distribution(name=name, version=version,
                            metadata=Unknown("environment.yml pip entry: not resolved", fault=False),
                            origin=Origin(kind=req.kind, url=url, file=req.file, line=req.line,
                                          requested=url if req.kind == "vcs" else None),
                            hashes=req.hashes)
