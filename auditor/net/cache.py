"""The persistent HTTP cache: lifetimes per service and endpoint, and the SQLite backend.

One backend per run: :class:`auditor.net.context.RunContext` opens it once
(:func:`open_backend`) and every service's session shares it, so all writes
go through one connection guarded by one lock.  Separate connections to the
same file made threads wait in SQLite's busy handler (up to
``busy_timeout``, 30 s per write) and turned a 5 s cold audit into 60-120 s
(measured with benchmarks/bench_audit.py).  Nothing here is a module global:
the backend lives as long as the context that opened it.
"""

from __future__ import annotations

import re
from pathlib import Path

import requests_cache

from auditor.config import Config
from auditor.net.cachefaults import FAULTS, CacheState, tolerant

#: Cache lifetimes per service, in seconds (-1: never expires).
#: PyPI project JSON changes when a release or ownership changes: one day.
#: Distribution files and their PEP 658 metadata are immutable: forever.
#: Forge metadata changes slowly and revalidates for free (ETag): one day.
#: Scorecard results are recomputed weekly by the OpenSSF cron job.
EXPIRY = {
    "pypi": 24 * 3600,
    "pypi-files": -1,
    "index": 3600,
    "github": 24 * 3600,
    "gitlab": 24 * 3600,
    "scorecard": 7 * 24 * 3600,
    "depsdev": 24 * 3600,
}
DEFAULT_EXPIRY = 24 * 3600

#: Services whose responses the HTTP cache never stores: their documents are
#: large (a PyPI project JSON reaches 10 MB, a simple-index page hundreds of
#: kilobytes, an sdist tens of megabytes) and auditor keeps only the fields it
#: uses, parsed, in the fact memo (:mod:`auditor.net.memo`), under the
#: lifetimes above.  A cold audit of 500 projects stored 531 MB before, most
#: of it these documents (docs/architecture.md, "Caching").
NOT_STORED = frozenset({"pypi", "index", "pypi-files"})

#: Per-endpoint lifetimes (regular expressions searched in the URL), first match wins.
#: An account's creation date never changes: a week (the login could be renamed).
#: A deps.dev *version* is immutable except for advisories and dependents: a day (default).
URL_EXPIRY: dict[str, dict[re.Pattern, int]] = {
    "github": {
        re.compile(r"/users/[^/?]+$"): 7 * 24 * 3600,
        # registries read as files (docs/conda.md): parselmouth's names (regenerated hourly) and conda-forge's
        # feedstock-outputs (who may upload a package): a day, as other forge facts
        re.compile(r"/repos/(?:prefix-dev/parselmouth|conda-forge/feedstock-outputs)/contents/"): 24 * 3600,
        re.compile(r"/contents/"): 7 * 24 * 3600,
    },
    "gitlab": {
        re.compile(r"/api/v4/users(\?|/)"): 7 * 24 * 3600,
    },
}

#: File name of the HTTP cache in ``Config.cache_dir``.
CACHE_FILE = "http-cache.sqlite"

#: Request headers that carry our credentials: set only by the transport
#: adapter, for the token's own origin, and never part of a cache key.
AUTH_HEADERS = ("Authorization", "PRIVATE-TOKEN")


def open_backend(config: Config) -> requests_cache.BaseCache:
    """The cache backend for a run.

    Args:
        config: ``cache_dir`` holds :data:`CACHE_FILE`; ``use_cache=False``
            gives an in-memory cache that lives as long as the returned object.

    Returns:
        A requests-cache backend; the caller closes it (``backend.close()``).

    A cache that cannot be opened or used (read-only or missing directory,
    corrupt database, full disk) gives one warning and an in-memory or
    disabled cache: never an error (:mod:`auditor.net.cachefaults`).
    """
    if not config.use_cache:
        return requests_cache.backends.BaseCache()  # in-memory dicts
    state = CacheState("HTTP cache")
    try:
        Path(config.cache_dir).mkdir(parents=True, exist_ok=True)
        path = str((Path(config.cache_dir) / CACHE_FILE).resolve())
        backend = requests_cache.SQLiteCache(path, wal=True, busy_timeout=30000)
        len(backend.responses)  # a corrupt or unreadable file fails here, not mid-run
    except FAULTS as exc:  # read-only or missing directory, corrupt database: one warning, no cache
        state.fail(exc)
        return requests_cache.backends.BaseCache()
    return tolerant(backend, state)  # later faults (a full disk) turn the cache off too (net/cachefaults.py)


class ServiceView(requests_cache.BaseCache):
    """One service's view of the run's shared backend: the same storages, its own settings.

    requests-cache keeps a session's settings (lifetimes, offline rules) on its
    backend (``CachedSession.settings`` is ``session.cache._settings``), so sessions
    built on one shared backend used to share one set of settings: the last service
    created decided every service's lifetime.  Each session gets a view instead.

    Args:
        shared: the run's backend (:func:`open_backend`).
        owned: close *shared* with this view (a session that opened its own backend).
    """

    def __init__(self, shared: requests_cache.BaseCache, owned: bool = False):
        super().__init__(cache_name=getattr(shared, "cache_name", "http_cache"))
        self.responses = shared.responses
        self.redirects = shared.redirects
        self.shared = shared
        self._owned = owned

    def close(self) -> None:
        if self._owned:
            self.shared.close()


class Session(requests_cache.CachedSession):
    """A ``CachedSession`` that reads the environment's proxy and CA settings once per origin.

    requests asks the environment on every request (``merge_environment_settings``:
    ``HTTPS_PROXY``/``NO_PROXY``/``REQUESTS_CA_BUNDLE``, a walk over ``os.environ``
    and a bypass check per call, ~0.2 s of CPU in a cold audit's ~400 requests).
    The answer depends only on the URL's scheme and host and on an environment that does
    not change during a run, so it is computed once per ``(scheme, host, port)`` and
    reused; a request with its own ``proxies``/``verify``/``cert`` is merged in full.
    """

    def merge_environment_settings(self, url, proxies, stream, verify, cert):  # type: ignore[override]
        if proxies or verify is not None or cert is not None or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname, parts.port, stream)
        memo = self.__dict__.setdefault("_env_settings", {})
        found = memo.get(key)
        if found is None:
            found = memo[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return dict(found, proxies=dict(found["proxies"]))


def cached_session(config: Config, service: str, backend: requests_cache.BaseCache,
                   owned: bool = False) -> requests_cache.CachedSession:
    """A ``CachedSession`` on *backend* with *service*'s lifetimes (:data:`EXPIRY`, :data:`URL_EXPIRY`).

    A service in :data:`NOT_STORED` reads and writes nothing here (its facts are memoized).
    Offline (``Config.offline``): only cached responses, stale ones included.
    Credential headers and query parameters are excluded from cache keys.
    The caller mounts the transport adapters.  *owned*: the session closes *backend*.
    """
    session = Session(
        backend=ServiceView(backend, owned),
        expire_after=requests_cache.DO_NOT_CACHE if service in NOT_STORED else EXPIRY.get(service, DEFAULT_EXPIRY),
        urls_expire_after=URL_EXPIRY.get(service),
        allowable_codes=(200, 404, 410),
        stale_if_error=config.offline,
        cache_control=False,
        ignored_parameters=list(AUTH_HEADERS) + ["Proxy-Authorization", "access_token", "private_token"],
        match_headers=["Accept"],
    )
    if config.offline:
        session.settings.only_if_cached = True
        session.settings.stale_if_error = True
        session.settings.expire_after = -1
        session.settings.urls_expire_after = None
    return session
