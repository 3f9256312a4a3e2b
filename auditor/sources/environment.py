"""Installed environments: read distribution metadata, never import packages.

The target interpreter runs a small stdlib-only script in a subprocess with
``-I -S``: isolated mode, and no ``site`` processing, so no ``.pth`` file
of an audited package can execute code.  The script locates the
environment's ``purelib``/``platlib`` directories with :mod:`sysconfig` and
lists distributions with :func:`importlib.metadata.distributions`, returning
each one's ``METADATA`` text, its ``direct_url.json`` (PEP 610) and the
interpreter's PEP 508 marker environment as JSON.  Like pipdeptree, the
edges are then computed from ``Requires-Dist`` for that interpreter.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from auditor.dist.bounded import loads_json
from auditor.errors import SourceError
from auditor.models import Distribution, Inventory, Origin, TargetEnvironment, Unknown, UnknownKind, normalize_name
from auditor.net.context import RunContext
from auditor.sources.edges import link
from auditor.sources.interface import Source
from auditor.dist.metadata import parse_core_metadata
from auditor.dist.urls import parse_direct_url

#: Seconds the metadata-listing subprocess may run.
LIST_TIMEOUT = 120

# Runs inside the audited interpreter: standard library only, Python >= 3.8.
_SCRIPT = r"""
import json, os, platform, sys, sysconfig
from importlib import metadata

def marker_env():
    def fmt(info):
        v = "{0.major}.{0.minor}.{0.micro}".format(info)
        if info.releaselevel != "final":
            v += info.releaselevel[0] + str(info.serial)
        return v
    impl = sys.implementation
    return {
        "implementation_name": impl.name,
        "implementation_version": fmt(impl.version),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }

def venv_prefix():
    # What site.venv() does (skipped under -S): a pyvenv.cfg next to the
    # executable or one level up marks a virtual environment.
    exe_dir = os.path.dirname(os.path.abspath(sys.executable))
    for cand in (exe_dir, os.path.dirname(exe_dir)):
        cfg = os.path.join(cand, "pyvenv.cfg")
        if os.path.isfile(cfg):
            system = False
            with open(cfg, encoding="utf-8") as fh:
                for line in fh:
                    key, _, value = line.partition("=")
                    if key.strip().lower() == "include-system-site-packages":
                        system = value.strip().lower() == "true"
            return os.path.dirname(cfg), system
    return None, True

paths = []
prefix, system_site = venv_prefix()
schemes = []
if prefix:
    schemes.append({"base": prefix, "platbase": prefix})
if system_site:
    schemes.append(None)
for scheme_vars in schemes:
    found = sysconfig.get_paths(vars=scheme_vars) if scheme_vars else sysconfig.get_paths()
    for key in ("purelib", "platlib"):
        p = found.get(key)
        if p and p not in paths and os.path.isdir(p):
            paths.append(p)
dists = []
bad = []
def read(dist, name):
    try:
        return dist.read_text(name)
    except (UnicodeDecodeError, ValueError):
        bad.append(name)
        return None
    except OSError:
        return None
for dist in metadata.distributions(path=paths):
    bad = []
    text = read(dist, "METADATA") or read(dist, "PKG-INFO") or ""
    direct = read(dist, "direct_url.json")
    installer = read(dist, "INSTALLER")
    loc = getattr(dist, "_path", None)
    dists.append({
        "undecodable": bad,
        "metadata": text,
        "direct_url": direct,
        "installer": (installer or "").strip() or None,
        "path": str(loc) if loc else None,
    })
print(json.dumps({
    "executable": sys.executable,
    "prefix": prefix or sys.prefix,
    "python_full_version": platform.python_version(),
    "marker_env": marker_env(),
    "paths": paths,
    "distributions": dists,
}))
"""


def read_environment(python: str) -> dict:
    """Run the listing script in *python* and return its JSON document.

    Raises:
        SourceError: the interpreter does not exist, does not run, or
            prints something that is not the expected JSON.
    """
    try:
        proc = subprocess.run(
            [python, "-I", "-S", "-c", _SCRIPT],
            capture_output=True,
            text=True,
            timeout=LIST_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SourceError(f"{python}: no such interpreter") from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"{python}: could not run ({exc})") from exc
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise SourceError(f"{python}: interpreter failed to list its distributions: {tail}")
    try:
        return json.loads(proc.stdout)
    except ValueError as exc:
        raise SourceError(f"{python}: unexpected output from the metadata listing") from exc


def _origin(entry: dict) -> Origin:
    direct = entry.get("direct_url")
    url = kind = None
    if direct:
        try:
            parsed = parse_direct_url(loads_json(direct))
            kind, url = parsed.kind, parsed.url  # the commit is not recorded here (pip's path records it)
        except (ValueError, AttributeError):
            pass
    return Origin(kind=kind or "installed", url=url, file=entry.get("path"))


_DIST_INFO = re.compile(r"^(?P<name>[^-/\\]+)-(?P<version>[^-/\\]+)\.(?:dist|egg)-info$")


def _undecodable(entry: dict) -> Distribution | None:
    """A distribution whose METADATA is not UTF-8: named from its ``NAME-VERSION.dist-info`` directory,
    metadata ``unknown (undecodable metadata)``; None when the directory name says nothing."""
    m = _DIST_INFO.match(Path(str(entry.get("path") or "")).name)
    if not m:
        return None
    return Distribution(
        name=normalize_name(m.group("name")),
        version=m.group("version"),
        metadata=Unknown("undecodable metadata (METADATA is not UTF-8)", kind=UnknownKind.MALFORMED),
        origin=_origin(entry),
    )


class EnvironmentSource(Source):
    """An installed environment: the current one, or another interpreter's.

    Args:
        python: path of the environment's Python interpreter; ``None`` for the
            interpreter auditor runs in (``--env``).
    """

    name = "environment"

    def __init__(self, python: str | None = None):
        self.python = python or sys.executable

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.  Markers are evaluated for the
        interpreter's own environment, not ``ctx.config.target`` (which only
        fills in what the environment does not report).  No HTTP."""
        config = ctx.config
        doc = read_environment(self.python)
        dists: dict[str, Distribution] = {}
        for entry in doc.get("distributions", []):
            if not isinstance(entry, dict):
                continue
            if "METADATA" in (entry.get("undecodable") or ()) or "PKG-INFO" in (entry.get("undecodable") or ()):
                bad = _undecodable(entry)  # one bad file is that distribution's unknown, not the audit's end
                if bad is not None and bad.name not in dists:
                    dists[bad.name] = bad
                continue
            try:
                meta = parse_core_metadata(entry.get("metadata") or "")
            except Exception:  # noqa: BLE001 - malformed metadata is data, not a crash
                continue
            if not meta.name:
                continue
            name = normalize_name(meta.name)
            if name in dists:  # shadowed by an earlier path entry
                continue
            dists[name] = Distribution(
                name=name,
                version=meta.version or None,
                metadata=meta if meta.version else Unknown("installed metadata has no Version"),
                origin=_origin(entry),
            )
        env = doc.get("marker_env") or {}
        _, linked = link((), list(dists.values()), env)
        required = {e.target for d in linked for e in d.requires}
        root = tuple(
            _root_edge(d.name, d.version) for d in sorted(linked, key=lambda d: d.name) if d.name not in required
        )
        linked = tuple(d if d.name in required else _direct(d) for d in linked)
        target = TargetEnvironment(
            python_version=env.get("python_version", config.target.python_version),
            python_full_version=env.get("python_full_version"),
            sys_platform=env.get("sys_platform", config.target.sys_platform),
            platform_machine=env.get("platform_machine", config.target.platform_machine),
            implementation_name=env.get("implementation_name", "cpython"),
        )
        return Inventory(
            root_name=f"env:{Path(doc.get('executable') or self.python)}",
            root_kind="environment",
            root_requires=root,
            distributions=tuple(sorted(linked, key=lambda d: d.name)),
            target=target,
            interpreter_version=str(doc.get("python_full_version") or ""),
            resolver="installed",
        )


def _root_edge(name: str, version: str | None):
    from auditor.models import DependencyEdge

    return DependencyEdge(target=name, requirement=f"{name}=={version}" if version else name)


def _direct(d: Distribution) -> Distribution:
    from dataclasses import replace

    return replace(d, direct=True)
