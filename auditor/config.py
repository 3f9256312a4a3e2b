"""One frozen configuration object for a run; defaults come from the environment.

Every option of the CLI maps to a field here, so that a Python caller of
:func:`auditor.pipeline.run_audit` has the same control as a shell user.
Tokens are held in :class:`Secret` so that they never appear in ``repr``,
logs or outputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from auditor.models import TargetEnvironment

#: Default PyPI endpoints (overridable for mirrors and for the tests' fake servers).
DEFAULT_PYPI_URL = "https://pypi.org"
DEFAULT_INDEX_URL = "https://pypi.org/simple"
#: OSV API base URL (https://google.github.io/osv.dev/api/).
DEFAULT_OSV_URL = "https://api.osv.dev"

#: Forge and ecosystem API endpoints (issue 4; see docs/forges.md).
DEFAULT_GITHUB_API_URL = "https://api.github.com"
#: Hugging Face Hub base URL (``$HF_ENDPOINT`` overrides it, as huggingface_hub does).
DEFAULT_HUB_ENDPOINT = "https://huggingface.co"
DEFAULT_GITLAB_URL = "https://gitlab.com"
DEFAULT_SCORECARD_URL = "https://api.securityscorecards.dev"
DEFAULT_DEPSDEV_URL = "https://api.deps.dev"

#: Bounded pool for concurrent HTTP lookups.  PyPI's CDN copes well with
#: a handful of parallel clients; 16 keeps a 70-package cold audit around
#: the latency of a few sequential round trips.
DEFAULT_CONCURRENCY = 16
#: Default bound of the fact memo plus the HTTP cache, in MiB (``--cache-max-mb``; docs/architecture.md, "Caching").
DEFAULT_CACHE_MAX_MB = 512

#: Seconds before an HTTP request is abandoned (connect, read).
DEFAULT_TIMEOUT = (5.0, 30.0)

# Bounds on everything from outside (docs/limits.md lists each with its flag).
#: Decoded bytes per HTTP response; the largest PyPI JSON documents are ~30 MB.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: Total seconds per HTTP request (connect + headers + every read).
DEFAULT_REQUEST_SECONDS = 120.0
#: Bytes of an sdist downloaded to read its ``pyproject.toml``.
DEFAULT_MAX_SDIST_BYTES = 50 * 1024 * 1024
#: Decompressed bytes read from one archive (zip, gzip, tar), in total.
DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
#: Highest compression ratio accepted for an archive member (or a gzip stream).
DEFAULT_MAX_ARCHIVE_RATIO = 200
#: Most members listed or scanned in one archive.
DEFAULT_MAX_ARCHIVE_MEMBERS = 100_000
#: Bytes of an input file (requirements, lockfile, pyproject) or standard input.
DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Deepest nesting of arrays/tables/objects accepted in JSON, TOML and XML.
DEFAULT_MAX_DEPTH = 64


class Secret(str):
    """A string whose ``repr``/``str`` never reveal the value.

    Use :meth:`reveal` at the one place the value is sent (an HTTP header).
    """

    def __new__(cls, value: str) -> "Secret":
        obj = super().__new__(cls, "***")
        obj._value = value  # type: ignore[attr-defined]
        return obj

    def reveal(self) -> str:
        """The secret value, for the request that needs it."""
        return self._value  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return "Secret('***')"

    def __reduce__(self):  # never pickle the value into a cache
        return (Secret, ("",))


def default_cache_dir() -> Path:
    """``$AUDITOR_CACHE_DIR``, else the platform's user cache dir (platformdirs)."""
    env = os.environ.get("AUDITOR_CACHE_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("auditor", appauthor=False))


def _token(*names: str) -> Secret | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return Secret(value.strip())
    return None


@dataclass(frozen=True)
class Config:
    """Settings for one audit.

    Attributes:
        cache_dir: directory of the persistent HTTP cache and git clones.
        use_cache: False disables the persistent cache (``--no-cache``).
        cache_max_mb: MiB the fact memo and the HTTP cache may take together;
            the oldest facts are evicted past it when a run ends (``--cache-max-mb``).
        offline: use only cached data; anything missing is ``unknown (offline)``.
        pypi_url: base URL of the PyPI JSON API (``/pypi/NAME/json``).
        index_url: PEP 503/691 simple index used for metadata and resolution.
        target: the environment markers are evaluated for.
        concurrency: maximum concurrent network requests.
        timeout: ``(connect, read)`` seconds for every HTTP request.
        github_token / gitlab_token: API tokens (from ``GITHUB_TOKEN``/``GH_TOKEN``,
            ``GITLAB_TOKEN``), never logged or cached.
        enabled: names of optional collectors to run (see the collector
            registry in :mod:`auditor.pipeline`); ``None`` means "all that are on by default".
        disabled: names of collectors turned off by the user.
        as_of: ISO date; history and release facts after it are ignored.
        people: add person nodes to the graph.
        include_interpreter: read CPython's git history too, so the people
            reach counts its contributors (``--include-interpreter``; off by
            default: its history is large and the same for every audit).
        show_emails: show e-mail addresses instead of salted hashes.
        verbose: print diagnostic detail (request counts, rate-limit budget).
        weights_file: YAML file overriding the scoring weights.
        github_api_url: GitHub REST base (``https://ghe.example.com/api/v3`` for Enterprise).
        github_host: repository host that API serves (``github.com``; the GHE host).
        gitlab_url: gitlab.com's base URL (``GITLAB_TOKEN`` goes only there).
        gitlab_instances: self-hosted GitLab ``(host, base URL)`` pairs; hosts
            named ``gitlab.*`` are tried at ``https://HOST`` without listing.
        scorecard_url: OpenSSF Scorecard API base.
        depsdev_url: deps.dev API base.
        vulnerability_service: ``"osv"`` (default; gives severities) or ``"pypi"``
            (per-version JSON ``vulnerabilities``), used through pip-audit.
        osv_url: OSV API base URL (``/v1/query`` is appended); ``$AUDITOR_OSV_URL``.
        osv_db: offline OSV database (a directory or zip of OSV JSON records,
            e.g. ``PyPI/all.zip``); when set, no vulnerability service is queried.
        build_deps: add the sdist build requirements as ``build`` edges (``--build-deps``).
        time_budget: seconds the run may spend on network lookups, counted
            from the moment its :class:`~auditor.net.context.RunContext` is
            built; after that every request answers ``Unknown(kind=DEADLINE)``
            and the report says what is missing.  ``None`` (default): no deadline.
        max_response_bytes / request_seconds / max_sdist_bytes / max_archive_bytes /
            max_archive_ratio / max_archive_members / max_input_bytes / max_depth:
            the bounds on outside input (docs/limits.md): a breach makes the
            fact ``unknown`` (kind ``too_large`` or ``timeout``), never a crash.
        keyring_provider: pip's ``--keyring-provider``: ``"disabled"`` (default),
            ``"import"`` or ``"auto"`` (ask the ``keyring`` library for index
            credentials); ``$PIP_KEYRING_PROVIDER``.
    """

    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    cache_max_mb: int = DEFAULT_CACHE_MAX_MB
    offline: bool = False
    pypi_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_PYPI_URL", DEFAULT_PYPI_URL))
    index_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_INDEX_URL", DEFAULT_INDEX_URL))
    target: TargetEnvironment = field(default_factory=TargetEnvironment)
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    github_token: Secret | None = field(default_factory=lambda: _token("GITHUB_TOKEN", "GH_TOKEN"))
    gitlab_token: Secret | None = field(default_factory=lambda: _token("GITLAB_TOKEN"))
    enabled: frozenset[str] | None = None
    disabled: frozenset[str] = frozenset()
    as_of: str | None = None
    people: bool = False
    include_interpreter: bool = False
    show_emails: bool = False
    verbose: bool = False
    weights_file: Path | None = None
    # Forge and ecosystem services (issue 4); base URLs overridable for
    # GitHub Enterprise, self-hosted GitLab, mirrors and the tests' fake servers.
    github_api_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_GITHUB_API_URL", DEFAULT_GITHUB_API_URL))
    github_host: str = field(default_factory=lambda: os.environ.get("AUDITOR_GITHUB_HOST", "github.com"))
    gitlab_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_GITLAB_URL", DEFAULT_GITLAB_URL))
    gitlab_instances: tuple[tuple[str, str], ...] = ()
    scorecard_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_SCORECARD_URL", DEFAULT_SCORECARD_URL))
    depsdev_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_DEPSDEV_URL", DEFAULT_DEPSDEV_URL))
    vulnerability_service: str = "osv"
    osv_url: str = field(default_factory=lambda: os.environ.get("AUDITOR_OSV_URL", DEFAULT_OSV_URL))
    osv_db: Path | None = None
    build_deps: bool = False
    time_budget: float | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    request_seconds: float = DEFAULT_REQUEST_SECONDS
    max_sdist_bytes: int = DEFAULT_MAX_SDIST_BYTES
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    max_archive_ratio: int = DEFAULT_MAX_ARCHIVE_RATIO
    max_archive_members: int = DEFAULT_MAX_ARCHIVE_MEMBERS
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    keyring_provider: str = field(default_factory=lambda: os.environ.get("PIP_KEYRING_PROVIDER", "disabled"))
    # Hugging Face Hub references (issue 15, docs/models.md): directories/files to scan, and --model/--dataset ID[@REV].
    hub_scan: tuple[Path, ...] = ()
    hub_models: tuple[str, ...] = ()
    hub_datasets: tuple[str, ...] = ()
    # --hf-cache [DIR]: False (not asked), None (the default cache, sources/hub_cache.py) or a directory.
    hub_cache: Path | None | bool = False
    # The Hub API (auditor/net/hub.py): $HF_ENDPOINT (a mirror, the tests' fake Hub) and $HF_TOKEN, sent only to that host.
    hub_endpoint: str = field(default_factory=lambda: (os.environ.get("HF_ENDPOINT") or DEFAULT_HUB_ENDPOINT).rstrip("/"))
    hub_token: Secret | None = field(default_factory=lambda: _token("HF_TOKEN"))

    def with_changes(self, **changes) -> "Config":
        """A copy with *changes* applied (the object itself is frozen)."""
        return replace(self, **changes)

    def collector_enabled(self, name: str, default: bool = True) -> bool:
        """Whether the optional collector *name* should run."""
        if name in self.disabled:
            return False
        if self.enabled is not None:
            return name in self.enabled
        return default
