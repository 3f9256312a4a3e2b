"""Known vulnerabilities of the exact pinned versions, through pip-audit's services.

This is the only module that imports pip-audit, and only when advisories
must be fetched over the network for a package that OSV's batch query did
not already clear (:func:`_pip_audit`): importing pip-audit imports
``pip_api``, which runs ``pip --version`` (0.3-1.3 s on a 2-core machine),
so a warm audit, an offline-database audit and an audit whose OSV host is
known unreachable never pay for it.  pip-audit's Python
interface (``pip_audit._service``) is not a stable public API, so
``pyproject.toml`` pins a compatible range and everything pip-audit-shaped
stays here: callers get :class:`~auditor.models.VulnerabilityReport`.

Three sources, chosen by :class:`~auditor.config.Config`:

* ``osv`` (default): pip-audit's ``OsvService`` against ``{osv_url}/v1/query``
  (``{"package": {"name", "ecosystem": "PyPI"}, "version"}`` ->
  ``{"vulns": [OSV records]}``).  Severity comes from each record's
  ``database_specific.severity`` (GitHub advisories: LOW/MODERATE/HIGH/CRITICAL)
  or its ``severity[]`` CVSS vector (scored with the ``cvss`` library).
* ``pypi``: pip-audit's ``PyPIService`` against the per-version JSON API
  ``{pypi_url}/pypi/NAME/VERSION/json`` (its ``vulnerabilities`` list: ``id``,
  ``aliases``, ``fixed_in``, ``summary``/``details``, ``withdrawn``); no severity.
* ``osv_db``: an offline OSV database, a directory or a zip of OSV JSON
  records as OSV publishes them per ecosystem
  (``https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip``),
  evaluated locally with the OSV schema's range semantics.

Nothing is resolved again: the versions are the graph's pins.  pip-audit's
services get a small ``requests``-compatible facade over our
:class:`~auditor.net.http.HttpClient` session (cache, retries, timeouts,
offline mode, accounting) instead of their own sessions, and the facade
rewrites ``https://pypi.org`` to ``Config.pypi_url`` so mirrors and the tests'
fake server work.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import requests
from packaging.version import Version

from auditor.collectors import Collector, RunContext
from auditor.errors import InputError
from auditor.models import Advisory, PackageNode, Severity, Unknown, UnknownKind, VulnerabilityReport, normalize_name
from auditor.net.api import parsed
from auditor.signals.conda import native_conda
from auditor.net.http import HttpClient

if TYPE_CHECKING:
    from pip_audit._service.interface import VulnerabilityResult

log = logging.getLogger(__name__)

#: The host pip-audit's PyPI service hard-codes; rewritten to ``Config.pypi_url``.
PIP_AUDIT_PYPI = "https://pypi.org"
#: Human-readable page of an advisory.
OSV_PAGE = "https://osv.dev/vulnerability/{id}"
#: GitHub advisory ``database_specific.severity`` labels -> our severities.
GHSA_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
}
#: CVSS qualitative ratings (CVSS v3.1 spec, section 5) -> our severities.
CVSS_SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "none": Severity.INFO,
}


# --------------------------------------------------------------------------
# Severity and advisories from OSV records (shared by online and offline)
# --------------------------------------------------------------------------


def osv_severity(record: Mapping[str, Any]) -> tuple[Severity | None, str | None]:
    """Severity of an OSV record and where it came from.

    ``database_specific.severity`` (set by GitHub advisories) wins; otherwise
    the first CVSS v4/v3 vector in ``severity[]`` is scored with ``cvss``.

    Returns:
        ``(severity, source)``, or ``(None, None)`` when the record has none.
    """
    db = record.get("database_specific") or {}
    label = str(db.get("severity") or "").upper() if isinstance(db, Mapping) else ""
    if label in GHSA_SEVERITY:
        return GHSA_SEVERITY[label], f"database_specific.severity {label}"
    for entry in record.get("severity") or []:
        if not isinstance(entry, Mapping):
            continue
        kind, vector = str(entry.get("type", "")), str(entry.get("score", ""))
        try:
            if kind == "CVSS_V4":
                from cvss import CVSS4

                rating = CVSS4(vector).severity
            elif kind == "CVSS_V3":
                from cvss import CVSS3

                rating = CVSS3(vector).severities()[0]
            else:
                continue
        except Exception:  # the cvss library raises its own errors on malformed vectors
            log.debug("unparseable %s vector %r", kind, vector)
            continue
        sev = CVSS_SEVERITY.get(str(rating).lower())
        if sev is not None:
            return sev, vector
    return None, None


def _sorted_versions(versions: Iterable[str]) -> tuple[str, ...]:
    def key(v: str):
        try:
            return (0, Version(v), v)
        except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
            return (1, Version("0"), v)

    return tuple(sorted(set(versions), key=key))


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())[:300]


def advisory_from_result(result: VulnerabilityResult, record: Mapping[str, Any] | None) -> Advisory:
    """Our :class:`Advisory` from a pip-audit result and, if available, its raw record."""
    severity, source = osv_severity(record) if record else (None, None)
    return Advisory(
        id=str(result.id),
        aliases=tuple(sorted(str(a) for a in result.aliases)),
        summary=_one_line(result.description),
        fixed_versions=_sorted_versions(str(v) for v in result.fix_versions),
        severity=severity,
        severity_source=source,
        published=result.published.isoformat() if result.published else None,
        url=OSV_PAGE.format(id=result.id),
    )


def _affected_fixes(record: Mapping[str, Any], name: str) -> list[str]:
    fixes = []
    for affected in record.get("affected") or []:
        pkg = affected.get("package") or {}
        if pkg.get("ecosystem") != "PyPI" or normalize_name(str(pkg.get("name", ""))) != name:
            continue
        for rng in affected.get("ranges") or []:
            fixes += [str(ev["fixed"]) for ev in rng.get("events") or [] if "fixed" in ev]
    return fixes


def advisory_from_record(record: Mapping[str, Any], name: str) -> Advisory:
    """Our :class:`Advisory` from an OSV record (offline database path)."""
    severity, source = osv_severity(record)
    ids = [str(record["id"]), *(str(a) for a in record.get("aliases") or [])]
    # the same primary-id preference as pip-audit (PYSEC, then CVE, then others)
    primary = sorted(ids, key=lambda i: 1 if i.startswith("PYSEC") else 2 if i.startswith("CVE") else 3)[0]
    return Advisory(
        id=primary,
        aliases=tuple(sorted(set(ids) - {primary})),
        summary=_one_line(record.get("summary") or record.get("details") or "N/A"),
        fixed_versions=_sorted_versions(_affected_fixes(record, name)),
        severity=severity,
        severity_source=source,
        published=record.get("published"),
        url=OSV_PAGE.format(id=record["id"]),
    )


# --------------------------------------------------------------------------
# Offline OSV database
# --------------------------------------------------------------------------


def _parse(version: str) -> Version | None:
    try:
        return Version(version)
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        return None


def _in_range(version: Version, events: Sequence[Mapping[str, str]]) -> bool:
    """OSV range evaluation (OSV schema, "Evaluation" of ``affected[].ranges``)."""
    def order(ev: Mapping[str, str]):
        value = next(iter(ev.values()), "0")
        parsed = Version("0") if value == "0" else _parse(str(value))
        return parsed or Version("0")

    limits = [_parse(str(ev["limit"])) for ev in events if "limit" in ev]
    if any(lim is not None and version >= lim for lim in limits):
        return False
    affected = False
    for ev in sorted((e for e in events if "limit" not in e), key=order):
        if "introduced" in ev:
            start = Version("0") if ev["introduced"] == "0" else _parse(str(ev["introduced"]))
            if start is not None and version >= start:
                affected = True
        elif "fixed" in ev:
            fixed = _parse(str(ev["fixed"]))
            if fixed is not None and version >= fixed:
                affected = False
        elif "last_affected" in ev:
            last = _parse(str(ev["last_affected"]))
            if last is not None and version > last:
                affected = False
    return affected


def record_affects(record: Mapping[str, Any], name: str, version: str) -> bool:
    """Whether OSV *record* says PyPI package *name* (normalized) at *version* is affected.

    Checks ``affected[].versions`` (exact list) and ``affected[].ranges`` of
    type ``ECOSYSTEM`` with PEP 440 ordering; withdrawn records never affect.
    """
    if record.get("withdrawn"):
        return False
    parsed = _parse(version)
    for affected in record.get("affected") or []:
        pkg = affected.get("package") or {}
        if pkg.get("ecosystem") != "PyPI" or normalize_name(str(pkg.get("name", ""))) != name:
            continue
        listed = [str(v) for v in affected.get("versions") or []]
        if version in listed or (parsed is not None and any(_parse(v) == parsed for v in listed)):
            return True
        if parsed is None:
            continue
        for rng in affected.get("ranges") or []:
            if rng.get("type") == "ECOSYSTEM" and _in_range(parsed, rng.get("events") or []):
                return True
    return False


@dataclass
class OsvDatabase:
    """An offline OSV database: records indexed by affected PyPI package.

    Attributes:
        path: the directory or zip it was read from.
        records: ``{normalized package name: [OSV record, ...]}``.
    """

    path: Path
    records: dict[str, list[dict[str, Any]]]

    @classmethod
    def load(cls, path: Path) -> "OsvDatabase":
        """Read every ``*.json`` record of a directory (recursively) or a zip.

        Raises:
            InputError: the path does not exist, is not a zip/directory, or a
                record is not valid JSON (names the member).
        """
        path = Path(path)
        records: dict[str, list[dict[str, Any]]] = defaultdict(list)

        def add(label: str, data: bytes) -> None:
            try:
                record = json.loads(data)
            except ValueError as exc:
                raise InputError(f"not an OSV JSON record ({exc})", file=label) from exc
            if not isinstance(record, dict) or "id" not in record:
                raise InputError("not an OSV record (no 'id')", file=label)
            for affected in record.get("affected") or []:
                pkg = affected.get("package") or {}
                if pkg.get("ecosystem") == "PyPI" and pkg.get("name"):
                    bucket = records[normalize_name(str(pkg["name"]))]
                    if not bucket or bucket[-1] is not record:
                        bucket.append(record)

        if path.is_dir():
            for file in sorted(path.rglob("*.json")):
                add(str(file), file.read_bytes())
        elif path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for member in sorted(zf.namelist()):
                    if member.endswith(".json"):
                        add(f"{path}!{member}", zf.read(member))
        else:
            raise InputError("OSV database must be a directory or a .zip of OSV JSON records", file=str(path))
        return cls(path=path, records=dict(records))

    def query(self, name: str, version: str) -> tuple[Advisory, ...]:
        """Advisories affecting *name* (normalized) at *version*, sorted by id."""
        hits = {}
        for record in self.records.get(name, []):
            if record_affects(record, name, version):
                adv = advisory_from_record(record, name)
                hits[adv.id] = adv
        return tuple(hits[k] for k in sorted(hits))


# --------------------------------------------------------------------------
# pip-audit services over our HTTP layer
# --------------------------------------------------------------------------


class _TransportFailure(Exception):
    def __init__(self, unknown: Unknown):
        super().__init__(unknown.reason)
        self.unknown = unknown


class ServiceSession:
    """The slice of ``requests.Session`` pip-audit's services call, over an HttpClient.

    ``get(url=, timeout=)`` and ``post(url=, data=, timeout=)`` return
    ``requests.Response`` objects (so pip-audit's ``raise_for_status`` and
    ``json`` work); transport failures raise :class:`_TransportFailure`
    carrying our ``Unknown``.  The decoded JSON of the last response on the
    current thread is kept in :attr:`last_json` so that fields pip-audit
    drops (OSV ``severity``) can be read back.

    Args:
        client: the service's HttpClient (its cached, retrying session).
        pypi_url: replaces :data:`PIP_AUDIT_PYPI` in GET URLs.
    """

    def __init__(self, client: HttpClient, pypi_url: str | None = None):
        self.client = client
        self.pypi_url = pypi_url.rstrip("/") if pypi_url else None
        self._local = threading.local()

    @property
    def last_json(self) -> Any:
        """JSON body of the last response on this thread (``None`` if not JSON)."""
        return getattr(self._local, "json", None)

    def _keep(self, resp: requests.Response) -> requests.Response:
        try:
            self._local.json = resp.json() if resp.status_code == 200 else None
        except ValueError:
            self._local.json = None
        return resp

    def get(self, url: str, timeout: Any = None, **_: Any) -> requests.Response:
        if self.pypi_url and url.startswith(PIP_AUDIT_PYPI + "/"):
            url = self.pypi_url + url[len(PIP_AUDIT_PYPI) :]
        resp = self.client.get(url, {"Accept": "application/json"})
        if isinstance(resp, Unknown):
            raise _TransportFailure(resp)
        return self._keep(resp)

    def post(self, url: str, data: Any = None, timeout: Any = None, **_: Any) -> requests.Response:
        resp = self.client.post(url, data if data is not None else b"", {"Content-Type": "application/json"})
        if isinstance(resp, Unknown):
            raise _TransportFailure(resp)
        return self._keep(resp)


#: OSV's ``/v1/querybatch`` accepts at most 1000 queries per request.
OSV_BATCH_LIMIT = 1000


def osv_prefilter(session: ServiceSession, batch_url: str, pins: Sequence[tuple[str, str]],
                  timeout: Any = None) -> tuple[set[tuple[str, str]], Unknown | None]:
    """Ask OSV's ``/v1/querybatch`` which of *pins* (``(name, version)``) have advisories.

    The batch endpoint answers only ids (``{"results": [{"vulns": [{"id",
    "modified"}]}]}``), so the packages it lists are then queried one by one
    (full records) through pip-audit; a chunk that fails is left for those
    queries too.  Needs no pip-audit.

    Returns:
        ``(clean, down)``: the pins with no advisory, and the Unknown of a
        transport failure (the service is unreachable: do not try each package).
    """
    clean: set[tuple[str, str]] = set()
    for start in range(0, len(pins), OSV_BATCH_LIMIT):
        chunk = pins[start : start + OSV_BATCH_LIMIT]
        body = {"queries": [{"package": {"name": n, "ecosystem": "PyPI"}, "version": v} for n, v in chunk]}
        try:
            resp = session.post(url=batch_url, data=json.dumps(body), timeout=timeout)
            resp.raise_for_status()
            results = resp.json().get("results") or []
        except _TransportFailure as exc:
            return clean, exc.unknown
        except (requests.RequestException, ValueError, AttributeError):
            continue  # fall back to per-package queries for this chunk
        if len(results) != len(chunk):
            continue
        for pin, result in zip(chunk, results):
            if not (result or {}).get("vulns") and not (result or {}).get("next_page_token"):
                clean.add(pin)
    return clean, None


@functools.lru_cache(maxsize=1)
def _pip_audit() -> SimpleNamespace:
    """pip-audit's service classes, imported on first need (see the module docstring)."""
    from pip_audit._service.interface import ResolvedDependency, ServiceError
    from pip_audit._service.osv import OsvService
    from pip_audit._service.pypi import PyPIService

    return SimpleNamespace(ResolvedDependency=ResolvedDependency, ServiceError=ServiceError,
                           OsvService=OsvService, PyPIService=PyPIService)


def _raw_records(body: Any, service: str) -> dict[str, Mapping[str, Any]]:
    key = "vulns" if service == "osv" else "vulnerabilities"
    items = body.get(key) if isinstance(body, Mapping) else None
    return {str(v.get("id")): v for v in items or [] if isinstance(v, Mapping)}


class VulnerabilityCollector(Collector):
    """Advisories for each pinned version (see :class:`Collector`).

    Results per package: :class:`VulnerabilityReport`, or Unknown
    (``"no pinned version"``, ``"not found on PyPI"``, a service error).
    """

    key = "vulnerabilities"
    description = "known vulnerabilities of the pinned versions (OSV or PyPI via pip-audit, or an offline OSV database)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, VulnerabilityReport | Unknown]:
        config = ctx.config
        pinned = [
            n for n in nodes
            if n.distribution.version and _parse(n.distribution.version) is not None
            and n.distribution.origin.kind != "interpreter"  # CPython advisories are not in the PyPI ecosystem
            and not native_conda(n)  # nor a conda package's C library (openssl, libgcc)
        ]
        queried = {n.name for n in pinned}
        out: dict[str, VulnerabilityReport | Unknown] = {
            n.name: Unknown("the interpreter is not a PyPI package" if n.distribution.origin.kind == "interpreter"
                            else "a conda package that is not a Python distribution: no PyPI advisories"
                            if native_conda(n) else "no PEP 440 version pinned", fault=False,
                            kind=UnknownKind.NOT_APPLICABLE if native_conda(n) else UnknownKind.ERROR)
            for n in nodes if n.name not in queried
        }
        if config.osv_db is not None:
            db = OsvDatabase.load(config.osv_db)
            label = f"osv-db:{Path(config.osv_db).name}"
            for n in pinned:
                found = parsed(db.query, n.name, n.distribution.version, source=f"{label} (OSV record)")
                out[n.name] = found if isinstance(found, Unknown) else VulnerabilityReport(n.distribution.version, found, label)
            return out
        kind = config.vulnerability_service
        if kind == "osv":
            client = ctx.http("osv")
            # OSV queries are POSTs; let the cache keep them (keyed by body) so warm runs are free.
            settings = getattr(client.session, "settings", None)
            if settings is not None:
                settings.allowable_methods = ("GET", "HEAD", "POST")
            session = ServiceSession(client)
            base = config.osv_url.rstrip("/")
            clean, down = set(), None
            if len(pinned) > 1:  # one package: its full query is the batch
                clean, down = osv_prefilter(session, f"{base}/v1/querybatch",
                                            [(n.name, n.distribution.version) for n in pinned], config.timeout)
            if down is not None:
                out.update({n.name: down for n in pinned})
                return out
            for n in pinned:
                if (n.name, n.distribution.version) in clean:
                    out[n.name] = VulnerabilityReport(n.distribution.version, (), kind)
            pinned = [n for n in pinned if n.name not in out]
            if not pinned:
                return out  # every package cleared by the batch query: pip-audit is never imported
            pa = _pip_audit()
            service: Any = pa.OsvService(cache_dir=Path(config.cache_dir) / "pip-audit", osv_url=f"{base}/v1/query")
        elif kind == "pypi":
            pa = _pip_audit()
            session = ServiceSession(ctx.http("pypi-vulns"), config.pypi_url)
            service = pa.PyPIService(cache_dir=Path(config.cache_dir) / "pip-audit")
        else:
            raise InputError(f"unknown vulnerability service {kind!r} (choose 'osv' or 'pypi')")
        service.session = session  # pip-audit keeps its session in this attribute

        def query(node: PackageNode) -> VulnerabilityReport | Unknown:
            version = node.distribution.version
            dep = pa.ResolvedDependency(name=node.name, version=Version(version))
            try:
                spec, results = service.query(dep)
            except _TransportFailure as exc:
                return exc.unknown
            except (pa.ServiceError, ValueError, KeyError, TypeError) as exc:  # includes pip-audit's ConnectionError
                cause = exc.__cause__ or exc
                return Unknown(f"{kind} vulnerability service: {_short(cause)}")
            if spec.is_skipped():
                return Unknown("not found on PyPI", kind=UnknownKind.NOT_FOUND)
            raw = _raw_records(session.last_json, kind)
            found = parsed(_advisories, results, raw, source=f"{kind} (advisory record)")
            return found if isinstance(found, Unknown) else VulnerabilityReport(version, found, kind)

        for node, result in zip(pinned, ctx.map(query, pinned, task="vulnerabilities")):
            out[node.name] = result
        return out


def _advisories(results: Sequence[VulnerabilityResult], raw: Mapping[str, Mapping[str, Any]]) -> tuple[Advisory, ...]:
    """Our advisories from pip-audit's results and the raw records, sorted by id (one per id)."""
    advisories = {a.id: a for a in (advisory_from_result(r, raw.get(str(r.id)) or _by_alias(raw, r)) for r in results)}
    return tuple(advisories[k] for k in sorted(advisories))


def _by_alias(raw: Mapping[str, Mapping[str, Any]], result: VulnerabilityResult) -> Mapping[str, Any] | None:
    for alias in result.aliases:
        if str(alias) in raw:
            return raw[str(alias)]
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
