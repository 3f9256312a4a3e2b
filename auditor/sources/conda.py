"""conda inputs: a conda prefix, ``pixi.lock``, ``conda-lock.yml`` and ``environment.yml``.

Parsing is py-rattler's (imported when a conda input is read): a prefix's
``conda-meta/*.json`` with ``PrefixRecord.from_path``, ``pixi.lock`` and
``conda-lock.yml`` (conda-lock's version-1 format) with ``LockFile.from_path``,
and the specs of an ``environment.yml`` with ``MatchSpec``.  conda-lock's own
models are not used: the ``conda-lock`` distribution pulls in some thirty
packages (gitpython, dulwich, virtualenv, keyring, ...) to read a format
rattler already reads.  Nothing is solved: an ``environment.yml`` is audited
with its pins as written (:mod:`auditor.sources.conda_env`).

Every conda record becomes a :class:`~auditor.models.Distribution` with
``origin.kind == "conda"`` (channel in ``origin.index_url``, archive URL in
``origin.url``) and its record in the run's memo (:func:`conda_records`),
which the ``conda`` collector (:mod:`auditor.signals.conda`) turns into the
``conda`` signal.  A record that installs a Python distribution is named by
that distribution's PyPI name, so the pipeline looks it up on PyPI and pip's
copy of the same distribution in the same prefix is the same node.  The
``python`` record is the interpreter node.  docs/conda.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence


from auditor.dist.metadata import parse_core_metadata
from auditor.dist.redact import redact_url
from auditor.errors import InputError, SourceError
from auditor.models import (CondaRecord, CoreMetadata, DependencyEdge, Distribution, Inventory, Origin, TargetEnvironment, Unknown,
                            UnknownKind, normalize_name)
from auditor.net.context import RunContext
from auditor.sources.conda_names import conda_names, pypi_names
from auditor.sources.edges import link
from auditor.sources.inputs import check_input_file
from auditor.sources.interface import Source

#: ``RunContext.memo`` key of ``{node name: CondaRecord}`` for the run's conda records.
CONDA_RECORDS = ("sources", "conda-records")
#: ``RunContext.memo`` key of ``{node name: version}`` of pip-installed copies of conda packages.
CONDA_PIP = ("sources", "conda-pip")

#: At most this many ``conda-meta/*.json`` records and ``*.dist-info`` directories are read from a prefix.
MAX_PREFIX_RECORDS = 20_000
#: Bytes of one ``conda-meta`` record or ``METADATA`` file read at most (torch's record lists ~15,000 files: ~2 MB).
MAX_RECORD_BYTES = 32 << 20
MAX_METADATA_BYTES = 1 << 20

#: conda ``subdir`` of a target environment (``sys_platform``, ``platform_machine``).
_SUBDIRS = {("linux", "x86_64"): "linux-64", ("linux", "aarch64"): "linux-aarch64", ("linux", "ppc64le"): "linux-ppc64le",
            ("darwin", "x86_64"): "osx-64", ("darwin", "arm64"): "osx-arm64", ("win32", "AMD64"): "win-64",
            ("win32", "x86_64"): "win-64", ("win32", "ARM64"): "win-arm64"}

_DIST_INFO = re.compile(r"(?:^|/)site-packages/([^/]+)-[^/-]+\.(?:dist|egg)-info(?:/|$)")


def _rattler():
    try:
        import rattler
    except ImportError as exc:  # pragma: no cover - a dependency
        raise SourceError(f"conda inputs need py-rattler ({exc})") from exc
    return rattler


def subdir_of(target: TargetEnvironment) -> str:
    """The conda ``subdir`` of *target* (``linux-64``); ``linux-64`` for an unknown pair."""
    return _SUBDIRS.get((target.sys_platform, target.platform_machine), "linux-64")


def spec_name(spec: str) -> str:
    """The package name of a conda dependency spec (``"python >=3.12,<3.13.0a0"`` -> ``python``)."""
    return re.split(r"[\s=<>!~\[]", spec.strip(), maxsplit=1)[0].split("::")[-1].lower()


def python_name(name: str, depends: Iterable[str], files: Iterable[str] = (),
                table: Mapping[str, str | None] | None = None) -> str | None:
    """The PyPI name of the Python distribution a conda package installs, or ``None``.

    In order: the ``site-packages/NAME-VERSION.dist-info`` directory among
    *files* (a prefix record; of several, the one the table or the conda
    name points to, else the first: jaxlib's CUDA builds also install
    ``jax_cuda12_plugin``); *table* (the run's :func:`conda_names`, else
    the vendored :func:`pypi_names`); the conda name itself when the package
    depends on ``python``.
    """
    names = pypi_names() if table is None else table
    installed = list(dict.fromkeys(normalize_name(m.group(1)) for f in files
                                   if (m := _DIST_INFO.search(str(f).replace("\\", "/")))))
    if installed:
        wanted = names.get(name) or normalize_name(name)
        return wanted if wanted in installed else installed[0]
    if name in names:
        return names[name]
    if any(spec_name(d) == "python" for d in depends):
        return normalize_name(name)
    return None


def record_of(rec: Any, source: str, files: Sequence[str] = (), table: Mapping[str, str | None] | None = None
              ) -> CondaRecord:
    """A :class:`CondaRecord` from a rattler ``RepoDataRecord`` / ``PrefixRecord`` (*table*: see :func:`python_name`)."""
    name = rec.name.normalized
    depends = tuple(str(d) for d in (rec.depends or ()))
    url = str(rec.url) if getattr(rec, "url", None) else None
    return CondaRecord(name=name, version=str(rec.version), build=str(rec.build or ""),
                       channel=redact_url(str(rec.channel)) if rec.channel else None, subdir=str(rec.subdir or ""),
                       url=redact_url(url) if url else None, depends=depends,
                       license=str(rec.license) if rec.license else None,
                       python_name=python_name(name, depends, files, table), source=source)


@dataclass
class PipDist:
    """A distribution a prefix's site-packages holds that no conda record installed."""

    distribution: Distribution
    installer: str | None


def node_name(record: CondaRecord) -> str:
    """The node a record becomes: its PyPI name when it installs a Python distribution, else its conda name."""
    return record.python_name or normalize_name(record.name)


def node_names(records: Sequence[CondaRecord]) -> tuple[dict[str, str], set[str]]:
    """``({conda name: node name}, conda names folded into another record's node)`` of *records*.

    A record's node is its PyPI name when it installs a Python distribution,
    else its conda name (:func:`node_name`).  Where two records would be one node:

    * one that depends on another of them is a metapackage (conda-forge's
      ``pyarrow`` on ``pyarrow-core``, ``tensorflow`` on ``tensorflow-base``,
      ``dask`` on ``dask-core``): it adds no files, so it is folded into that
      node, and edges to it go there;
    * a record that installs no Python distribution, next to one that does
      (conda-forge's C library ``brotli`` and ``brotli-python``, which
      installs PyPI's ``Brotli``), is the node ``NAME-native``;
    * of several left that install the same distribution, the first by conda name keeps the node.
    """
    by_conda = {r.name: node_name(r) for r in records}
    groups: dict[str, list[CondaRecord]] = {}
    for r in records:
        if r.name != "python":
            groups.setdefault(by_conda[r.name], []).append(r)
    folded: set[str] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        names = {r.name for r in group}
        wrappers = {r.name for r in group if any(spec_name(d) in names - {r.name} for d in r.depends)}
        rest = sorted((r for r in group if r.name not in wrappers), key=lambda r: (r.python_name is None, r.name))
        if not rest:  # wrappers of each other: keep one
            rest = sorted(group, key=lambda r: (r.python_name is None, r.name))[:1]
            wrappers.discard(rest[0].name)
        folded |= wrappers
        keep, *others = rest
        for r in others:
            if r.python_name is None and keep.python_name is not None:
                by_conda[r.name] = f"{normalize_name(r.name)}-native"
            else:
                folded.add(r.name)
    return by_conda, folded


def conda_inventory(ctx: RunContext, root_name: str, root_kind: str, records: Sequence[CondaRecord],
                    pip: Sequence[Distribution] = (), *, resolver: str, root_specs: Iterable[str] = (),
                    gaps: Sequence[tuple[str, ...]] = (), metadata: Mapping[str, CoreMetadata] | None = None
                    ) -> Inventory:
    """The :class:`Inventory` of conda *records* plus non-conda Python distributions *pip*.

    Records are noted in ``ctx.memo`` (:data:`CONDA_RECORDS`, :data:`CONDA_PIP`).
    A distribution in *pip* whose name is a record's node is the same node:
    its version, metadata and origin are pip's copy (the files on disk, a PyPI
    distribution: its purl is ``pkg:pypi``); its record, in the ``conda``
    signal, keeps conda's.
    Edges: a record's ``depends`` (by name, to records in the set) and the
    Requires-Dist of *pip* distributions (markers evaluated for the target).
    The root requires *root_specs* (names, the direct ones) when given, and every node nothing else requires
    (the direct ones when there are no *root_specs*).
    *metadata*: ``{conda name: core metadata}`` of the ``*.dist-info`` a record installed (a prefix).
    """
    target = ctx.config.target
    interp = next((r for r in records if r.name == "python"), None)
    if interp is not None and interp.version:
        parts = interp.version.split(".")
        target = TargetEnvironment(python_version=".".join(parts[:2]), python_full_version=interp.version,
                                   sys_platform=target.sys_platform, platform_machine=target.platform_machine,
                                   implementation_name=target.implementation_name)
    by_conda, folded = node_names(records)
    noted: dict[str, CondaRecord] = {}
    dists: dict[str, Distribution] = {}
    for r in records:
        if r.name == "python":  # the interpreter node
            noted["python"] = r
            continue
        if r.name in folded:
            continue
        name = by_conda[r.name]
        edges = tuple(DependencyEdge(target=by_conda[spec_name(d)], requirement=d)
                      for d in r.depends if by_conda.get(spec_name(d)) not in (None, name, "python")
                      and spec_name(d) != "python")
        noted[name] = r
        dists[name] = Distribution(
            name=name, version=r.version,
            metadata=(metadata or {}).get(r.name) or Unknown(
                "a conda package: its core metadata is inside the conda archive, not read", fault=False),
            requires=edges, origin=Origin(kind="conda", url=r.url, index_url=r.channel))
    both: dict[str, str] = {}
    pip_linked = link((), list(pip), target)[1] if pip else ()
    for d in pip_linked:
        edges = tuple(e for e in d.requires if e.target != d.name)
        if d.name in dists:
            both[d.name] = d.version or "?"
            conda = dists[d.name]
            dists[d.name] = Distribution(name=d.name, version=d.version or conda.version, metadata=d.metadata,
                                         requires=tuple({e.target: e for e in conda.requires + edges}.values()),
                                         origin=d.origin)  # the files on disk are pip's copy: a PyPI distribution
        else:
            dists[d.name] = d
    for d in list(dists.values()):  # pip Requires-Dist on conda nodes: keep only targets in the set
        dists[d.name] = Distribution(d.name, d.version, d.metadata, tuple(e for e in d.requires if e.target in dists),
                                     d.origin, d.direct, d.hashes)
    ctx.memo[CONDA_RECORDS] = {**ctx.memo.get(CONDA_RECORDS, {}), **noted}
    ctx.memo[CONDA_PIP] = {**ctx.memo.get(CONDA_PIP, {}), **both}
    wanted = {by_conda.get(s, normalize_name(s)) for s in root_specs}
    required = {e.target for d in dists.values() for e in d.requires}
    # the requested specs, and every node nothing else in the set requires: the python record's own
    # dependencies (zlib, openssl, ...: the interpreter node carries no edges) and anything installed
    # beside the requests; without them those packages and their people would hang off no root
    roots = sorted(n for n in dists if n in wanted or n not in required)
    direct = set(wanted) if wanted else set(roots)
    out = tuple(sorted((Distribution(d.name, d.version, d.metadata, d.requires, d.origin, d.name in direct, d.hashes)
                        for d in dists.values()), key=lambda d: d.name))
    root_edges = tuple(DependencyEdge(target=n, requirement=f"{n}=={dists[n].version}" if dists[n].version else n)
                       for n in roots)
    return Inventory(root_name=root_name, root_kind=root_kind, root_requires=root_edges, distributions=out,
                     target=target, interpreter_version=target.python_full_version or target.python_version,
                     resolver=resolver, gaps=tuple(gaps))


# -- a conda prefix ----------------------------------------------------------------------------------------


def _bounded_files(directory: Path, pattern: str, what: str) -> list[Path]:
    found = []
    for i, p in enumerate(sorted(directory.glob(pattern))):
        if i >= MAX_PREFIX_RECORDS:
            raise InputError(f"more than {MAX_PREFIX_RECORDS} {what}", str(directory))
        found.append(p)
    return found


def _read_small(path: Path, limit: int) -> str | None:
    """*path*'s text when it is a regular file of at most *limit* bytes, else None."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def site_packages(prefix: Path) -> list[Path]:
    """The prefix's ``site-packages`` directories (``lib/python3.*/site-packages``, ``Lib/site-packages``)."""
    out = [p for p in sorted(prefix.glob("lib/python3*/site-packages")) if p.is_dir()]
    win = prefix / "Lib" / "site-packages"
    return out + ([win] if win.is_dir() else [])


def _metadata(path: Path) -> CoreMetadata | None:
    """The core metadata in *path* (a ``METADATA`` file of at most :data:`MAX_METADATA_BYTES`), else None."""
    text = _read_small(path, MAX_METADATA_BYTES)
    if text is None:
        return None
    try:
        meta = parse_core_metadata(text)
    except Exception:  # noqa: BLE001 - malformed metadata is data, not a crash
        return None
    return meta if meta.name else None


def read_pip_dists(prefix: Path, owned: set[str]) -> list[Distribution]:
    """Distributions in the prefix's site-packages whose ``*.dist-info`` no conda record installed.

    Read as files (``METADATA``, ``INSTALLER``; the prefix's interpreter is
    never run), parsed like the environment input (:func:`parse_core_metadata`).
    *owned*: ``site-packages/NAME-VERSION.dist-info`` paths the conda records list.
    """
    out: dict[str, Distribution] = {}
    for sp in site_packages(prefix):
        for info in _bounded_files(sp, "*.dist-info", "*.dist-info directories"):
            rel = f"site-packages/{info.name}"
            if rel in owned:
                continue
            text = _read_small(info / "METADATA", MAX_METADATA_BYTES)
            installer = (_read_small(info / "INSTALLER", 4096) or "").strip() or None
            if text is None:
                continue
            try:
                meta = parse_core_metadata(text)
            except Exception:  # noqa: BLE001 - malformed metadata is data, not a crash
                continue
            if not meta.name or installer == "conda":
                continue
            name = normalize_name(meta.name)
            out.setdefault(name, Distribution(name=name, version=meta.version or None, metadata=meta,
                                              origin=Origin(kind="installed", file=str(info))))
    return list(out.values())


class CondaPrefixSource(Source):
    """An installed conda environment (``--conda-prefix PATH``).  Interface: :class:`Source`.

    Reads ``PATH/conda-meta/*.json`` (conda's ``PrefixRecord`` format, with
    py-rattler) and the ``*.dist-info`` directories of its site-packages that
    no record installed (pip, uv).  Nothing in the prefix is run.

    Raises (from :meth:`collect`):
        InputError: *prefix* is not a directory with ``conda-meta``, or a record is malformed (names the file).
    """

    name = "conda-prefix"

    def __init__(self, prefix: str | Path):
        self.prefix = Path(prefix)

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.  No HTTP."""
        meta = self.prefix / "conda-meta"
        if not meta.is_dir():
            raise InputError("not a conda prefix (no conda-meta directory)", str(self.prefix))
        rattler = _rattler()
        table, gap = conda_names(ctx)
        records: list[CondaRecord] = []
        owned: set[str] = set()
        installed: dict[str, CoreMetadata] = {}
        requested: list[str] = []
        for path in _bounded_files(meta, "*.json", "conda-meta records"):
            try:
                if not path.is_file() or path.stat().st_size > MAX_RECORD_BYTES:
                    raise InputError(f"not a regular file of at most {MAX_RECORD_BYTES} bytes", str(path))
                rec = rattler.PrefixRecord.from_path(str(path))
            except OSError as exc:
                raise InputError(f"cannot read conda record ({exc.strerror or exc})", str(path)) from None
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - rattler's parse errors have no common base class
                raise InputError(f"malformed conda record ({_first_line(exc)})", str(path)) from None
            files = [str(f).replace("\\", "/") for f in (rec.files or ())]
            record = record_of(rec, "conda-meta", files, table.names)
            for f in files:
                m = re.search(r"site-packages/[^/]+\.(?:dist|egg)-info", f)
                if m and m.group(0) not in owned:
                    owned.add(m.group(0))
                    meta_file = self.prefix / f[: f.index(m.group(0)) + len(m.group(0))] / "METADATA"
                    parsed = _metadata(meta_file)
                    if parsed is not None:
                        installed[record.name] = parsed
            records.append(record)
            requested.extend(spec_name(s) for s in (getattr(rec, "requested_specs", None) or ()))
            if getattr(rec, "requested_spec", None):
                requested.append(spec_name(str(rec.requested_spec)))
        pip = read_pip_dists(self.prefix, owned)
        return conda_inventory(ctx, f"conda:{self.prefix}", "environment", records, pip,
                               resolver="conda-meta", root_specs=sorted(set(requested)), metadata=installed,
                               gaps=[gap] if gap else ())


# -- lock files --------------------------------------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


class _CondaLockBase(Source):
    """``pixi.lock`` / ``conda-lock.yml``, read with ``rattler.LockFile``.  Interface: :class:`Source`.

    The environment ``default`` (else the only one) is read for the target's
    conda platform (``linux-64`` for linux/x86_64); a lock without that
    platform is read for its first platform, with a gap saying so.  PyPI
    packages of the lock are registry distributions whose core metadata is
    fetched like any lockfile's.
    """

    file_kind = ""

    def __init__(self, path: str | Path, fetch_metadata: bool = True, max_input_bytes: int | None = None):
        self.path = Path(path)
        self.fetch_metadata = fetch_metadata
        self.max_input_bytes = max_input_bytes

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`."""
        from auditor.config import DEFAULT_MAX_INPUT_BYTES

        check_input_file(self.path, self.max_input_bytes or DEFAULT_MAX_INPUT_BYTES)
        rattler = _rattler()
        try:
            lock = rattler.LockFile.from_path(str(self.path))
        except Exception as exc:  # noqa: BLE001 - rattler's parse errors have no common base class
            raise InputError(f"not a readable {self.file_kind} ({_first_line(exc)})", str(self.path)) from None
        envs = dict(lock.environments())
        env = envs.get("default") or (next(iter(envs.values())) if len(envs) == 1 else None)
        if env is None:
            raise InputError(f"no 'default' environment (has: {', '.join(sorted(envs)) or 'none'})", str(self.path))
        by_platform = {str(p.name): pkgs for p, pkgs in env.packages_by_platform().items()}
        want = subdir_of(ctx.config.target)
        gaps: list[tuple[str, ...]] = []
        if want in by_platform:
            platform = want
        elif by_platform:
            platform = sorted(by_platform)[0]
            gaps.append((str(self.path), f"the lock has no {want} packages; read for {platform} instead",
                         UnknownKind.UNSUPPORTED.value))
        else:
            platform = want
        table, gap = conda_names(ctx)
        if gap:
            gaps.append(gap)
        records: list[CondaRecord] = []
        pypi: list[Distribution] = []
        files: dict[str, list[str]] = {}
        for pkg in by_platform.get(platform, ()):
            if hasattr(pkg, "repo_data_record"):
                records.append(record_of(pkg.repo_data_record(), self.file_kind, table=table.names))
            else:
                name = normalize_name(str(pkg.name))
                meta_text = f"Metadata-Version: 2.1\nName: {pkg.name}\nVersion: {pkg.version}\n" + "".join(
                    f"Requires-Dist: {r}\n" for r in (pkg.requires_dist or ()))
                location = redact_url(str(pkg.location))
                files[name] = [location]
                pypi.append(Distribution(name=name, version=str(pkg.version), metadata=parse_core_metadata(meta_text),
                                         origin=Origin(kind="registry", url=None, file=str(self.path))))
        inv = conda_inventory(ctx, str(self.path), "lockfile", records, pypi, resolver=self.file_kind, gaps=gaps)
        if self.fetch_metadata and pypi:
            inv = _with_fetched_metadata(inv, ctx, {d.name for d in pypi}, files)
        return inv


def _with_fetched_metadata(inv: Inventory, ctx: RunContext, names: set[str], files: Mapping[str, list[str]]) -> Inventory:
    """*inv* with the core metadata of its PyPI packages *names* fetched (edges kept from the lock)."""
    from dataclasses import replace

    from auditor.sources.lockfile import NOT_FETCHED, fetch_metadata

    todo = [replace(d, metadata=NOT_FETCHED) for d in inv.distributions if d.name in names]
    fetched = {d.name: d.metadata for d in fetch_metadata(todo, ctx, files=files)}
    return replace(inv, distributions=tuple(replace(d, metadata=fetched.get(d.name, d.metadata))
                                            for d in inv.distributions))


class PixiLockSource(_CondaLockBase):
    """``pixi.lock`` (pixi's lock file, versions 4-6), read with ``rattler.LockFile``."""

    name = "pixi.lock"
    file_kind = "pixi.lock"


class CondaLockSource(_CondaLockBase):
    """``conda-lock.yml`` (conda-lock's unified lock file, version 1), read with ``rattler.LockFile``."""

    name = "conda-lock.yml"
    file_kind = "conda-lock.yml"



def conda_python(ctx: RunContext, name: str) -> bool:
    """Whether node *name* is a Python distribution PyPI may know: not a conda record, a record that
    installs one, or a record with a pip-installed copy."""
    record = (ctx.memo.get(CONDA_RECORDS) or {}).get(name)
    return record is None or record.python_name is not None or name in (ctx.memo.get(CONDA_PIP) or {})
