"""requirements.txt input: parse (pip's syntax), resolve (uv or pip), link.

Parsing is :mod:`auditor.sources.requirement_lines` (pip's own syntax;
``-r``/``-c`` includes followed, with file and line in every error).
Resolution is done by a real resolver (:mod:`auditor.sources.resolve`); metadata comes from the
resolver's report (pip), a local wheel (find-links), or the index
(:meth:`auditor.net.pypi.PyPIClient.core_metadata`); edges are computed by
:func:`auditor.sources.edges.link`.  See docs/inputs.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from auditor.errors import InputError, ResolutionError
from auditor.models import (
    CoreMetadata,
    DependencyEdge,
    Distribution,
    Inventory,
    Origin,
    Unknown,
    UnknownKind,
    normalize_name,
)
from auditor.dist.redact import redact_url
from auditor.dist.markers import marker_holds
from auditor.dist.urls import has_scheme
from auditor.net.context import RunContext
from auditor.sources.interface import Source, note_indexes
from auditor.sources.requirement_lines import (
    ParsedRequirements,
    RequirementLine,
    RequirementsOptions,
    fallback_name,
    file_version,
    left_out_reason,
    parse_requirements,
    quotes_reference,
)
from auditor.sources.resolve import (
    Pin,
    Resolution,
    ResolveRequest,
    find_local_wheel,
    needs_build,
    pip_no_wheel_failures,
    read_local_project,
    read_wheel_metadata,
    resolve_cached,
    wheel_only_failures,
)

#: A resolver failure that means an index could not be reached (uv's and pip's wording).
_UNREACHABLE = re.compile(r"Connection refused|tcp connect error|dns error|Failed to fetch|timed out|"
                          r"Could not fetch URL|Max retries exceeded|Name or service not known", re.IGNORECASE)

#: Packages a resolution may leave out (one at a time, each an unknown node) before the source gives up.
MAX_LEFT_OUT = 20

# RequirementsOptions and ParsedRequirements are part of this source's API (re-exported).
__all__ = ["RESOLUTION_CACHE_DIR", "ParsedRequirements", "RequirementLine", "RequirementsOptions",
           "RequirementsSource", "parse_requirements"]

#: Subdirectory of ``Config.cache_dir`` holding remembered resolutions.
RESOLUTION_CACHE_DIR = "resolutions"


# --------------------------------------------------------------------------
# The source
# --------------------------------------------------------------------------


class RequirementsSource(Source):
    """A requirements.txt file, resolved for ``ctx.config.target`` with uv (pip as fallback).

    Args:
        path: the requirements file.
        resolver: ``"auto"`` (uv, then pip), ``"uv"``, ``"pip"``, or
            ``"none"``: take the file's ``==`` pins as the complete set
            without running a resolver (every requirement must be pinned).
        allow_build: let the resolver build sdists, VCS checkouts and local
            projects to learn their metadata.  Off by default, because a
            build executes the audited package's code.
    """

    name = "requirements"

    def __init__(self, path: str | Path, *, resolver: str = "auto", allow_build: bool = False):
        self.path = Path(path)
        self.resolver = resolver
        self.allow_build = allow_build
        #: After :meth:`collect`: the resolver's answer (tool, seconds, why pip was used), or None.
        self.resolution: Resolution | None = None
        #: After :meth:`collect`: HTTP request counts of the metadata lookups,
        #: ``{service: {"network": n, "cache_hits": n, "failures": n}}``
        #: (the part of ``ctx.request_counts()`` they added; the resolver
        #: subprocess's own traffic is not counted).
        self.requests: dict[str, dict[str, int]] = {}

    def collect(self, ctx: RunContext) -> Inventory:
        """See :meth:`Source.collect`.

        Steps: :func:`parse_requirements`; resolution (:func:`resolve`) unless
        ``resolver="none"``; core metadata for every pin; :func:`link` for edges.
        Direct references the resolver cannot handle without a build (or at all)
        stay in the set as nodes whose metadata is Unknown with the reason.
        """
        config = ctx.config
        parsed = parse_requirements(self.path)
        target = config.target
        env = target.marker_environment()
        wanted = [r for r in parsed.requirements if _applies(r, env)]
        unresolved: dict[tuple[str, int], str] = {}
        left_out: dict[str, tuple[str | None, str]] = {}
        self.gaps: list[tuple[str, str]] = []
        if self.resolver == "none":
            pins, resolver_name = _pins_from_input(wanted), "none (pinned input)"
        else:
            early = prefetch(ctx, sorted({l.name for l in wanted if l.name and l.kind == "registry"})
                             if not parsed.options.index_url and not parsed.options.no_index else [])
            try:
                resolution, unresolved, left_out = self._resolve(parsed, ctx)
            except ResolutionError as exc:  # name the input file, as every input error does
                raise ResolutionError(f"{self.path}: {exc}") from exc
            finally:
                if early is not None:
                    early.join()
            self.resolution = resolution
            pins, resolver_name = list(resolution.pins), resolution.resolver
        # a reference left out of the resolution is its name's only node: never an index pin of that
        # name (pip, which cannot leave a name out, may still pin one for whatever else requires it)
        dropped = {l.name for l in wanted if l.name and (l.file, l.line) in unresolved}
        pins = [p for p in pins if p.name not in dropped]
        by_name = _index_lines(wanted, pins)
        dists = self._distributions(pins, by_name, parsed, ctx)
        root_texts = [_root_text(line, by_name) for line in wanted]
        present = {d.name for d in dists}
        for line in wanted:  # direct references left out of the resolution stay as nodes
            reason = unresolved.get((line.file, line.line))
            if reason is None:
                continue
            name = line.name or fallback_name(line.url or "")
            if name in present:
                continue
            present.add(name)
            dists.append(
                Distribution(
                    name=name,
                    version=file_version(line.url, name),
                    metadata=Unknown(redact_url(reason)),
                    origin=_origin(line, line.kind, line.url, None),
                    direct=True,
                    hashes=line.hashes,
                )
            )
            if not line.name:
                root_texts.append(f"{name} @ {line.url}" + (f" ; {line.marker}" if line.marker else ""))
        wanted_names = {line.name for line in wanted if line.name}
        # the input's own == pins (a -c constraints file pins most of a big project) name the version
        # of a package left out whose failure did not say it
        pinned = {l.name: l.pinned_version for l in (*parsed.constraints, *wanted) if l.name and l.pinned_version}
        for name, (version, reason) in sorted(left_out.items()):  # one bad package never aborts the audit
            if name in present:
                continue
            present.add(name)
            line = by_name.get(name)
            dists.append(Distribution(
                name=name, version=version or pinned.get(name), metadata=Unknown(reason, kind=UnknownKind.UNSUPPORTED),
                origin=_origin(line, "registry", None, parsed.options.index_url or ctx.config.index_url),
                direct=name in wanted_names,
            ))
        root_texts = [redact_url(t) for t in root_texts if t]
        root_edges, linked = _link([t for t in root_texts if t], dists, target)
        linked = _edges_from_via(linked, pins)
        return Inventory(
            root_name=str(self.path),
            root_kind="requirements",
            root_requires=root_edges,
            distributions=tuple(sorted(linked, key=lambda d: d.name)),
            target=target,
            interpreter_version=target.python_full_version or target.python_version,
            resolver=resolver_name,
            gaps=tuple(self.gaps),
        )

    # -- resolution -------------------------------------------------------

    def _request(self, parsed: ParsedRequirements, ctx: RunContext, lines: Iterable[RequirementLine]) -> ResolveRequest:
        config = ctx.config
        o = parsed.options
        if not o.no_index:  # every index the resolver may take a name from (AUD122 reads them all)
            note_indexes(ctx, [o.index_url or config.index_url, *o.extra_index_urls])
        return ResolveRequest(
            requirements=tuple(dict.fromkeys(line.resolver_line() for line in lines)),
            constraints=tuple(dict.fromkeys(c.resolver_line() for c in parsed.constraints if c.kind == "registry")),
            target=config.target,
            index_url=o.index_url or config.index_url,
            extra_index_urls=o.extra_index_urls,
            find_links=o.find_links,
            no_index=o.no_index,
            pre=o.pre,
            allow_build=self.allow_build,
            cache_dir=(config.cache_dir / "uv") if config.use_cache else None,
            offline=config.offline,
        )

    def _resolve(
        self, parsed: ParsedRequirements, ctx: RunContext
    ) -> tuple[Resolution, dict[tuple[str, int], str], dict[str, tuple[str | None, str]]]:
        """Resolve everything; if that fails and direct references are present,
        resolve again without the reference the resolver's message quotes (one
        failure at a time, so the others keep their resolution), then without
        the ones that need a build (or without every direct reference), keeping
        them as unresolved nodes with the reason.

        A package uv can use only by building it (an sdist-only release
        without PEP 658 metadata, builds off) is left out of the resolution
        (uv ``--overrides``; pip: a placeholder wheel, see
        :func:`~auditor.sources.resolve.pip.resolve_with_pip`) and kept as a
        node whose metadata is unknown, so one such package, direct or
        transitive, never aborts the audit, with either resolver.

        Returns:
            The resolution, ``{(file, line): reason}`` of the lines left out,
            and ``{name: (version or None, reason)}`` of the packages left out.
        """
        lines = list(parsed.requirements)
        left: dict[str, tuple[str | None, str]] = {}
        if not lines:
            return Resolution((), "none (empty input)"), {}, left
        config = ctx.config
        cache = config.cache_dir / RESOLUTION_CACHE_DIR if config.use_cache else None

        def run(request: ResolveRequest) -> Resolution:
            try:
                return run_left_out(request)
            except ResolutionError as exc:
                if not request.extra_index_urls or not _UNREACHABLE.search(str(exc)):
                    raise
                for dead in request.extra_index_urls:  # one unreachable extra index never aborts the audit
                    fewer = replace(request, extra_index_urls=tuple(u for u in request.extra_index_urls if u != dead))
                    try:
                        res = run_left_out(fewer)
                    except ResolutionError:
                        continue
                    self.gaps.append(("index", f"--extra-index-url {redact_url(dead)} unreachable; resolved without it "
                                               f"(packages it serves came from the other indexes): {exc}"))
                    return res
                raise

        specs: dict[str, str] = {}  # pip's "name<specifier>" of a left-out package (its placeholder's version)

        def run_left_out(request: ResolveRequest) -> Resolution:
            for _ in range(MAX_LEFT_OUT + 1):
                try:
                    return resolve_cached(replace(request, left_out=tuple(sorted(specs.get(n, n) for n in left))),
                                          self.resolver, cache, offline=config.offline,
                                          on_resolve=ctx.while_resolving)
                except ResolutionError as exc:
                    failed = {} if request.allow_build else {
                        n: (v, f"not resolved: {n}{'==' + v if v else ''} has no wheel for the target and building is "
                               "off (--allow-build builds it); its metadata and dependencies are unknown")
                        for n, v in wheel_only_failures(str(exc)).items() if n not in left}
                    for name, spec in pip_no_wheel_failures(str(exc)).items():  # pip never builds an sdist
                        if name not in left and name not in failed:
                            specs[name] = spec
                            version = spec.split("==", 1)[1] if "==" in spec and "," not in spec else None
                            failed[name] = (version, f"not resolved: pip found no wheel of {spec} for the target (an "
                                                     "sdist-only release, which the pip fallback never builds, or a "
                                                     "name the index does not serve); its metadata and dependencies "
                                                     "are unknown")
                    if failed and len(left) >= MAX_LEFT_OUT:
                        t = request.target
                        raise ResolutionError(
                            f"more than {MAX_LEFT_OUT} packages have no wheel for the target (Python "
                            f"{t.python_version}, {t.sys_platform}/{t.platform_machine}) and building is off: "
                            f"{', '.join(sorted(left)[:8])}, ...; is the input meant for another Python version "
                            f"(--python-version)? Last failure: {exc}") from exc
                    if not failed:
                        raise
                    left.update(failed)
            raise ResolutionError("too many packages need a build")  # pragma: no cover - the loop returns or raises

        try:
            return run(self._request(parsed, ctx, lines)), {}, left
        except ResolutionError as first:
            if not any(l.kind != "registry" for l in lines):
                raise
            err, dropped, kept = first, {}, list(lines)

            def drop(these: list[RequirementLine], message: str) -> list[str]:
                # A dropped reference's name is left out too: otherwise the resolver takes that name
                # from the index for whatever else requires it, and the node would carry the index's
                # version under the reference's URL (werkzeug 3.1.9 for werkzeug-3.0.1.tar.gz).
                names = [l.name for l in these if l.name and l.name not in left]
                left.update({l.name: (None, left_out_reason(l, message)) for l in these if l.name in names})
                return names

            # 1. leave out, one failure at a time, the references the resolver's message quotes (uv
            #    stops at the first one it cannot use): the others keep their resolution
            for _ in range(MAX_LEFT_OUT):
                quoted = [l for l in kept if l.kind != "registry" and quotes_reference(str(err), l)]
                if not quoted:
                    break
                names = drop(quoted, str(err))
                dropped.update({(l.file, l.line): left_out_reason(l, str(err)) for l in quoted})
                kept = [l for l in kept if l not in quoted]
                try:
                    return (run(self._request(parsed, ctx, kept)) if kept else Resolution((), "none")), dropped, left
                except ResolutionError as exc:
                    err = exc
            # 2. then every reference that needs a build, then every direct reference
            direct = [l for l in kept if l.kind != "registry"]
            builds = [l for l in direct if needs_build(l.resolver_line())] if not self.allow_build else []
            for these in (builds, direct):
                if not these:
                    continue
                names = drop(these, str(err))
                try:
                    rest = [l for l in kept if l not in these]
                    res = run(self._request(parsed, ctx, rest)) if rest else Resolution((), "none")
                except ResolutionError:
                    for n in names:
                        left.pop(n, None)
                    if these is direct:
                        raise
                    continue
                return res, {**dropped, **{(l.file, l.line): left_out_reason(l, str(err)) for l in these}}, left
            raise err from None

    # -- metadata ---------------------------------------------------------

    def _distributions(
        self, pins: list[Pin], by_name: dict[str, RequirementLine], parsed: ParsedRequirements, ctx: RunContext
    ) -> list[Distribution]:
        config = ctx.config
        before = ctx.request_counts()
        try:
            metadata = _metadata_for(pins, parsed, ctx)
        finally:
            _add_counts(self.requests, before, ctx.request_counts())
        dists = []
        for pin in pins:
            line = by_name.get(pin.name)
            kind = pin.kind if pin.kind != "registry" or line is None else line.kind
            url = pin.url or (line.url if line else None)
            index_url = None
            if kind == "registry":
                index_url = pin.index_url or parsed.options.index_url or config.index_url
            meta = metadata[pin.name]
            version = pin.version
            if version is None and isinstance(meta, CoreMetadata) and meta.version:
                version = meta.version  # a direct reference: the version its own metadata states
            dists.append(
                Distribution(
                    name=pin.name,
                    version=version,
                    metadata=meta,
                    origin=_origin(line, kind, url, index_url),
                    direct=line is not None and not line.constraint,
                    hashes=line.hashes if line else (),
                )
            )
        return dists


def _applies(line: RequirementLine, env: dict[str, str]) -> bool:
    return marker_holds(line.marker, env)


def _pins_from_input(lines: list[RequirementLine]) -> list[Pin]:
    """Pins taken from a fully pinned file (``resolver="none"``)."""
    pins = []
    for line in lines:
        if line.kind != "registry":
            if not line.name:
                raise InputError(
                    f"cannot name {line.url!r} without resolving it; write 'name @ {line.url}'", line.file, line.line
                )
            pins.append(Pin(name=line.name, version=None, kind=line.kind, url=line.url))
            continue
        version = line.pinned_version
        if version is None:
            raise InputError(
                f"{line.requirement!r} is not pinned with '=='; resolution is off, so every requirement must be pinned",
                line.file,
                line.line,
            )
        pins.append(Pin(name=line.name or "", version=version))
    seen: dict[str, Pin] = {}
    for p in pins:
        seen.setdefault(p.name, p)
    return sorted(seen.values(), key=lambda p: p.name)


def _index_lines(lines: list[RequirementLine], pins: list[Pin]) -> dict[str, RequirementLine]:
    """Input line per pinned name (the first line naming it); unnamed direct
    references are matched to pins by URL."""
    out: dict[str, RequirementLine] = {}
    pin_by_url = {_url_key(p.url): p.name for p in pins if p.url}
    for line in lines:
        name = line.name or pin_by_url.get(_url_key(line.url))
        if name and name not in out:
            out[name] = line if line.name else replace(line, name=name)
    return out


def _url_key(url: str | None) -> str:
    if not url:
        return ""
    url = url.split("#", 1)[0]
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path)).as_posix().rstrip("/")
    return url.rstrip("/")


def _root_text(line: RequirementLine, by_name: dict[str, RequirementLine]) -> str | None:
    """The PEP 508 text of a root edge (unnamed references get their resolved name)."""
    if line.name:
        return line.requirement
    named = next((l for n, l in by_name.items() if l.file == line.file and l.line == line.line), None)
    if named is None or not named.name:
        return None
    extras = f"[{','.join(line.extras)}]" if line.extras else ""
    return f"{named.name}{extras} @ {line.url}" + (f" ; {line.marker}" if line.marker else "")


def _origin(line: RequirementLine | None, kind: str, url: str | None, index_url: str | None) -> Origin:
    """The distribution's Origin; credentials in URLs are redacted (:func:`redact_url`)."""
    return Origin(
        kind=kind,
        url=redact_url(url) if url and kind != "registry" else None,
        file=line.file if line else None,
        line=line.line if line else None,
        index_url=redact_url(index_url) if index_url else None,
        requested=redact_url(line.url) if line and line.url and kind in ("vcs", "url") and line.url != url else None,
    )


def _metadata_for(pins: list[Pin], parsed: ParsedRequirements, ctx: RunContext) -> dict[str, CoreMetadata | Unknown]:
    """Core metadata for every pin, keyed by name.

    Sources, in order: the resolver's report (pip); a local wheel in a
    find-links directory or at a ``file:`` URL; a local project's static
    ``pyproject.toml``; the index (PEP 658 ``.metadata`` files through
    :class:`auditor.net.pypi.PyPIClient` on *ctx*, concurrently with
    ``ctx.map``; the file's own ``--index-url`` when it names one).  Direct
    URLs and VCS references are not on an index: Unknown, not a fault.
    """
    config = ctx.config
    out: dict[str, CoreMetadata | Unknown] = {}
    remote: dict[str, list[Pin]] = {}
    local_dirs = [Path(f) for f in parsed.options.find_links if not has_scheme(f)]
    for pin in pins:
        if pin.metadata is not None:
            out[pin.name] = pin.metadata
            continue
        if pin.kind == "registry" and pin.version:
            where = pin.index_url or ""
            dirs = [Path(unquote(urlsplit(where).path))] if where.startswith("file:") else []
            found = None
            for d in dirs + (local_dirs if not where.startswith(("http:", "https:")) else []):
                wheel = find_local_wheel(d, pin.name, pin.version)
                found = read_wheel_metadata(wheel) if wheel else None
                if found:
                    break
            if found is not None:
                out[pin.name] = found
            elif where.startswith("file:") or (parsed.options.no_index and not where):
                out[pin.name] = Unknown(f"no wheel metadata found for {pin.name} {pin.version} in {where or 'find-links'}")
            else:
                index = where if where.startswith(("http:", "https:")) else parsed.options.index_url or config.index_url
                remote.setdefault(index, []).append(pin)
            continue
        out[pin.name] = _direct_metadata(pin)
    if remote:
        from auditor.net.pypi import PyPIClient

        for index, group in remote.items():
            client = PyPIClient(ctx, index_url=index)
            # The PyPI project documents the next stage reads (pipeline.collect_nodes) are fetched
            # in the same pool, interleaved, so the two stages' requests overlap (run memo).
            projects = index == config.index_url and config.index_url == ctx.config.index_url
            items = [(kind, pin) for pin in group for kind in (("metadata", "project") if projects else ("metadata",))]

            def fetch(item: tuple[str, Pin], client: PyPIClient = client, projects: bool = projects):
                kind, pin = item
                if kind == "project":
                    return client.project(pin.name)
                meta = client.core_metadata(pin.name, pin.version)
                if projects:  # the default index: collectors may start on the release now
                    ctx.release_known(pin.name, pin.version)
                return meta

            results = ctx.map(fetch, items, task="metadata")
            for (kind, pin), meta in zip(items, results):
                if kind == "metadata":
                    out[pin.name] = meta
    return out


def prefetch(ctx: RunContext, names: list[str]) -> threading.Thread | None:
    """Start fetching the PyPI projects of *names* (the direct requirements) on a background
    thread, while the resolver runs; the caller joins the thread.

    Only for the run's default index (a file's own ``--index-url`` is read by the resolver
    first).  What is fetched lands in the run memo (``RunContext.memo``) and the fact memo,
    where the PyPI stage finds it (a warm run reads the memo and sends nothing).  Index pages
    are not fetched early: a warm run's core metadata comes from the memo without them.
    """
    if not names or ctx.config.offline:
        return None
    from auditor.net.pypi import PyPIClient

    client = PyPIClient(ctx)
    thread = threading.Thread(target=lambda: ctx.map(client.project, names), name="auditor-prefetch", daemon=True)
    thread.start()
    return thread


#: Counters of :meth:`RunContext.request_counts` that add up (the others are states).
_COUNTERS = ("network", "cache_hits", "failures", "revalidated", "retries", "rate_limit_waits")


def _add_counts(counts: dict, before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> None:
    """Add to *counts* what the run's request counts gained from *before* to *after*."""
    for service, now in after.items():
        was = before.get(service, {})
        delta = {k: v - was.get(k, 0) for k, v in now.items() if k in _COUNTERS}
        if service in before and not any(delta.values()):
            continue
        total = counts.setdefault(service, {"network": 0, "cache_hits": 0, "failures": 0})
        for k, v in delta.items():
            total[k] = total.get(k, 0) + v
        for k, v in now.items():
            if k not in _COUNTERS:
                total[k] = v


def _direct_metadata(pin: Pin) -> CoreMetadata | Unknown:
    """Metadata of a direct reference, learned without building or fetching."""
    url = pin.url or ""
    if url.startswith("file:"):
        path = Path(unquote(urlsplit(url).path))
        if path.suffix == ".whl":
            meta = read_wheel_metadata(path)
            if meta is not None:
                return meta
        elif path.is_dir():
            meta = read_local_project(path)
            if meta is not None and meta.version:
                return meta
            return Unknown("local project without static pyproject.toml metadata (not built)", fault=False)
        return Unknown("local file not readable as a wheel", fault=False)
    if pin.kind == "vcs":
        return Unknown("VCS requirement: not on an index", fault=False)
    return Unknown("direct URL requirement: not on an index", fault=False)


def _link(root_texts: list[str], dists: list[Distribution], target) -> tuple[tuple[DependencyEdge, ...], list[Distribution]]:
    from auditor.sources.edges import link

    root_edges, linked = link(root_texts, dists, target)
    return root_edges, list(linked)


def _edges_from_via(dists: list[Distribution], pins: list[Pin]) -> list[Distribution]:
    """Cross-check with the resolver's ``# via`` annotations: a distribution
    whose metadata is Unknown has no ``Requires-Dist`` to link, so its
    outgoing edges are taken from uv's annotations (requirement text is the
    bare target name; the marker is unknown)."""
    children: dict[str, set[str]] = {}
    for pin in pins:
        for parent in pin.via:
            children.setdefault(normalize_name(parent.split("[", 1)[0]) if not parent.startswith("-") else "", set()).add(
                pin.name
            )
    names = {d.name for d in dists}
    out = []
    for d in dists:
        if isinstance(d.metadata, Unknown) and not d.requires and children.get(d.name):
            edges = tuple(
                DependencyEdge(target=c, requirement=c) for c in sorted(children[d.name]) if c in names and c != d.name
            )
            d = replace(d, requires=edges)
        out.append(d)
    return out
