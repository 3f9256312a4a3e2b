"""The one place auditor runs ``git``: a cache of commit-only clones, and ``git log``.

Every mapped repository is kept under ``Config.cache_dir / "git"`` as a
*bare, treeless partial clone* (``git clone --bare --filter=tree:0``): it
holds every commit of the default branch but no trees or file contents, so
numpy's 40,000 commits take tens of megabytes instead of hundreds.  The
cache is keyed by the canonical repository URL
(:attr:`auditor.models.RepositoryRef.url`).

Lifecycle of one repository (:meth:`GitCache.update`):

* not cached: ``git clone`` into a temporary directory, renamed into place
  when complete (an interrupted clone never leaves a half-clone behind);
* cached and updated less than :data:`FRESHNESS_SECONDS` ago: nothing runs;
* cached and older: one incremental ``git fetch`` of the remote's ``HEAD``;
* ``Config.offline``: the cached clone is used as it is; a repository never
  cloned is ``Unknown("offline")``.

After a clone or fetch the repository's ``.mailmap`` (at ``HEAD``) is copied
to ``<clone>/auditor-mailmap`` so that reading history later never needs
the network (a bare treeless clone would otherwise fetch the tree lazily).

The user's git configuration is honoured: nothing here overrides
``url.<base>.insteadOf``, credential helpers or ``http.*`` settings, so
mirrors and private forges work unchanged.  ``GIT_TERMINAL_PROMPT=0`` (and
``GCM_INTERACTIVE=never``) make a repository that wants a password fail
instead of hanging.  Every git call has a timeout.  A repository that
cannot be reached becomes :class:`~auditor.models.Unknown` with git's
reason (credentials in URLs are redacted); the audit goes on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from auditor.dist.redact import redact_url, strip_userinfo
from auditor.models import RepositoryRef, Unknown, UnknownKind

if TYPE_CHECKING:
    from auditor.net.hosts import HostHealth

log = logging.getLogger(__name__)

#: A clone fetched less than this many seconds ago is used without any
#: network traffic.  One hour: two audits in a row (a CI job and its retry,
#: an analyst re-running with other options) cost nothing, while a daily
#: audit always sees the day's commits.
FRESHNESS_SECONDS = 3600

#: Seconds before ``git clone`` is abandoned (a first treeless clone of a
#: 40,000-commit repository takes well under a minute on a normal link).
CLONE_TIMEOUT = 600
#: Seconds before an incremental ``git fetch`` is abandoned.
FETCH_TIMEOUT = 300
#: Seconds for local commands (``git log`` of a large history, ``cat-file``).
LOCAL_TIMEOUT = 300
#: Seconds for fetching ``HEAD:.mailmap`` (a lazy fetch of one tree and one blob).
MAILMAP_TIMEOUT = 60

#: At most this many clones/fetches run at once.  Git transfers are
#: CPU-heavy on both ends (pack negotiation, index-pack); four keeps a
#: laptop responsive and is polite to forges.
MAX_PARALLEL = 4

#: Name of the file (inside a cached clone) holding the copied ``.mailmap``.
MAILMAP_FILE = "auditor-mailmap"
#: Name of the file whose mtime records the last successful clone/fetch.
STAMP_FILE = "auditor-fetched"

#: Environment added to every git call: never prompt, stable messages, and
#: ``GIT_FLUSH=0`` so that ``git log`` writes its pipe in full buffers instead
#: of flushing after every commit (measured: 1.8x faster reading numpy's log).
GIT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GCM_INTERACTIVE": "never",
    "LC_ALL": "C",
    "GIT_FLUSH": "0",
}

#: git messages meaning the *host* cannot be reached (not just this repository).
#: After one of these, other repositories on that host are not tried in this run,
#: so an audit of 70 GitHub packages on a network that drops packets costs one
#: connection timeout, not seventy.
HOST_DOWN_MARKERS = ("Could not resolve host", "Failed to connect", "Connection timed out",
                     "Connection refused", "Network is unreachable")

#: Credentials in URLs are removed from git's messages (its stderr may echo them).
redact = redact_url


def git_env() -> dict[str, str]:
    """The process environment plus :data:`GIT_ENV` (the user's git config stays in force)."""
    env = dict(os.environ)
    env.update(GIT_ENV)
    return env


@dataclass
class GitStats:
    """What the cache did during a run (for ``--verbose``, tests and benchmarks).

    Attributes:
        clones: repositories cloned.
        fetches: incremental fetches run.
        fresh: repositories used without any git network call (within the
            freshness window, or offline).
        failures: repositories that ended as Unknown.
    """

    clones: int = 0
    fetches: int = 0
    fresh: int = 0
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, attr: str) -> None:
        with self._lock:
            setattr(self, attr, getattr(self, attr) + 1)


class GitError(Exception):
    """A git command failed; ``str()`` is a one-line, redacted reason."""


def run_git(args: Sequence[str], *, cwd: Path | None = None, timeout: float = LOCAL_TIMEOUT,
            input: bytes | None = None) -> bytes:
    """Run ``git *args`` and return its stdout.

    Raises:
        GitError: non-zero exit (message: the last line of stderr, redacted),
            timeout, or git missing.
    """
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True,
            timeout=timeout, env=git_env(),
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} timed out after {timeout:g} s") from exc
    except OSError as exc:
        raise GitError(f"cannot run git ({exc.strerror})") from exc
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        # git prints hints and progress before the fatal line; keep the fatal one.
        fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
        reason = (fatal or lines or [f"exit status {proc.returncode}"])[-1]
        raise GitError(redact(reason))
    return proc.stdout


def _host(url: str) -> str:
    """Lower-cased host of *url* (``""`` for local paths)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def cache_key(url: str) -> str:
    """Directory name for a repository URL: readable, filesystem-safe and collision-free.

    ``https://github.com/numpy/numpy`` -> ``github.com_numpy_numpy-<10 hex of sha256(url)>.git``.
    """
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", strip_userinfo(url), flags=re.I)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", bare).strip("._")[:80] or "repo"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}.git"


class GitCache:
    """Bare treeless clones under ``<cache_dir>/git``, updated incrementally.

    Args:
        cache_dir: the auditor cache directory (``Config.cache_dir``); clones
            live in its ``git`` subdirectory.
        offline: use cached clones only (``Config.offline``).
        freshness: seconds within which a clone is not fetched again
            (default :data:`FRESHNESS_SECONDS`; 0 always fetches).
        max_parallel: bound on concurrent clones/fetches.
        clock: ``time.time`` replacement for tests.
        deadline: ``time.monotonic()`` value (``RunContext.deadline``) after
            which no clone or fetch starts: ``Unknown(kind=DEADLINE)``; cached
            clones that are fresh are still read.
    """

    def __init__(self, cache_dir: Path, *, offline: bool = False, freshness: float = FRESHNESS_SECONDS,
                 max_parallel: int = MAX_PARALLEL, clock=time.time, deadline: float | None = None,
                 hosts: "HostHealth | None" = None):
        self.deadline = deadline
        #: The run's per-host breakers and negative cache (:mod:`auditor.net.hosts`): a git host
        #: found unreachable by an earlier run is not asked again within its time to live.
        self.hosts = hosts
        self.root = Path(cache_dir) / "git"
        self.offline = offline
        self.freshness = freshness
        self.max_parallel = max(1, max_parallel)
        self.clock = clock
        self.stats = GitStats()
        self._down: dict[str, str] = {}  # host -> reason, for this run
        self._down_lock = threading.Lock()

    def path_for(self, url: str) -> Path:
        """Where the clone of *url* lives (it may not exist yet)."""
        return self.root / cache_key(url)

    def update(self, repo: RepositoryRef | str) -> Path | Unknown:
        """Make the clone of *repo* current; return its git directory or Unknown.

        Runs at most one network operation (clone or fetch); see the module
        docstring for when.  Never raises for an unreachable repository.

        Returns:
            the bare repository directory, or ``Unknown(reason)``:
            ``"offline"`` (not cached, offline mode; a fault, as for HTTP: the audit is incomplete), or
            ``"git clone failed: <git's reason>"`` / ``"git fetch failed: ..."``.
        """
        url = repo.clone_url if isinstance(repo, RepositoryRef) else repo
        path = self.path_for(url)
        exists = (path / "HEAD").exists()
        if exists and (self.offline or self._is_fresh(path)):
            self.stats.count("fresh")
            return path
        if not exists and self.offline:
            return Unknown("offline")
        what = "fetch" if exists else "clone"
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.stats.count("failures")
            return Unknown(f"git {what} skipped: the run's time budget was spent", kind=UnknownKind.DEADLINE)
        host = _host(url)
        with self._down_lock:
            down = self._down.get(host)
        if down is not None:
            self.stats.count("failures")
            return Unknown(f"git {what} failed: {down}", kind=UnknownKind.UNREACHABLE)
        cached = self.hosts.down(host) if self.hosts is not None else None
        if cached is not None:
            self.stats.count("failures")
            return Unknown(f"git {what} skipped: {cached}", kind=UnknownKind.UNREACHABLE)
        try:
            self._fetch(path) if exists else self._clone(url, path)
        except (GitError, OSError) as exc:  # OSError: the cache directory is not writable
            self.stats.count("failures")
            marker = next((m for m in HOST_DOWN_MARKERS if m in str(exc)), None)
            if marker is not None:
                # One host-wide reason, naming no repository: whichever clone fails first
                # under concurrency, every repository of the host reads the same (issue 13).
                reason = f"{host} unreachable ({marker})"
                with self._down_lock:
                    self._down.setdefault(host, reason)
                if self.hosts is not None:
                    self.hosts.transport_failure(host, f"git clone failed: {reason}", immediate=True)
                return Unknown(f"git {what} failed: {reason}", kind=UnknownKind.UNREACHABLE)
            return Unknown(f"git {what} failed: {exc}")
        self.stats.count("fetches" if exists else "clones")
        return path

    def update_all(self, repos: Iterable[RepositoryRef | str],
                   on_done: Callable[[str], None] | None = None) -> dict[str, Path | Unknown]:
        """:meth:`update` for each distinct repository, at most ``max_parallel`` at once.

        Args:
            repos: repositories (duplicates are updated once).
            on_done: called with each URL when its update finishes (progress).

        Returns:
            ``{url: git directory or Unknown}``, one entry per distinct URL.
        """
        urls = sorted({r.clone_url if isinstance(r, RepositoryRef) else r for r in repos})
        self._sweep()

        def one(url: str) -> Path | Unknown:
            try:
                return self.update(url)
            finally:
                if on_done:
                    on_done(url)

        if len(urls) <= 1:
            return {u: one(u) for u in urls}
        with ThreadPoolExecutor(max_workers=min(self.max_parallel, len(urls))) as pool:
            return dict(zip(urls, pool.map(one, urls)))

    def _sweep(self) -> None:
        """Remove temporary clone directories left by a killed run (older than two clone timeouts)."""
        try:
            leftovers = list(self.root.glob(".clone-*"))
        except OSError:
            return
        for tmp in leftovers:
            try:
                if self.clock() - tmp.stat().st_mtime > 2 * CLONE_TIMEOUT:
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError:
                pass

    # -- internals -----------------------------------------------------------------

    def _is_fresh(self, path: Path) -> bool:
        try:
            age = self.clock() - (path / STAMP_FILE).stat().st_mtime
        except OSError:
            return False
        return 0 <= age < self.freshness

    def _stamp(self, path: Path) -> None:
        stamp = path / STAMP_FILE
        stamp.write_text("auditor: last successful clone or fetch\n")
        now = self.clock()
        os.utime(stamp, (now, now))

    def _clone(self, url: str, path: Path) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=self.root))
        try:
            run_git(["clone", "--quiet", "--bare", "--filter=tree:0", "--single-branch", "--no-tags",
                     "--", url, str(tmp)], timeout=CLONE_TIMEOUT)
            self._copy_mailmap(tmp)
            self._stamp(tmp)
            try:
                tmp.rename(path)
            except OSError:
                if not (path / "HEAD").exists():  # lost a race with another process: theirs is fine
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _fetch(self, path: Path) -> None:
        head = run_git(["symbolic-ref", "HEAD"], cwd=path).decode().strip() or "refs/heads/main"
        # The remote's HEAD (its default branch) into our HEAD branch; the
        # partial-clone filter recorded at clone time applies automatically.
        run_git(["fetch", "--quiet", "--no-tags", "origin", f"+HEAD:{head}"], cwd=path, timeout=FETCH_TIMEOUT)
        self._copy_mailmap(path)
        self._stamp(path)

    def _copy_mailmap(self, path: Path) -> None:
        """Copy ``HEAD:.mailmap`` into the clone (lazily fetching that one tree and blob)."""
        try:
            data = run_git(["cat-file", "blob", "HEAD:.mailmap"], cwd=path, timeout=MAILMAP_TIMEOUT)
        except GitError:
            data = b""  # no .mailmap (the usual case), or the lazy fetch failed
        (path / MAILMAP_FILE).write_bytes(data)


# ------------------------------------------------------------------------------
# Reading history
# ------------------------------------------------------------------------------

#: Largest read from the ``git log`` pipe, in bytes.
READ_BLOCK = 1 << 16

#: Field separator in the ``git log`` format (ASCII unit separator).
FS = "\x1f"
#: Separator between ``Co-authored-by`` trailer values (ASCII record separator).
TS = "\x1e"

#: The fields read for each commit, in order: author name and email, committer
#: name and email (mailmap applied by %aN/%aE/%cN/%cE), parent hashes (a space
#: means a merge), committer time, author time (Unix seconds), ``Co-authored-by``
#: trailer values.  The four identity fields come first, so that a reader can
#: key a commit by the text before the fourth separator (one slice, no split).
LOG_FORMAT = FS.join([
    "%aN", "%aE", "%cN", "%cE", "%P", "%ct", "%at",
    "%(trailers:key=Co-authored-by,valueonly,separator=%x1e)",
])
#: Index of each field in a record of :data:`LOG_FORMAT`.
F_AN, F_AE, F_CN, F_CE, F_PARENTS, F_CT, F_AT, F_TRAILERS = range(8)


@dataclass(frozen=True)
class CommitRecord:
    """One commit as read from ``git log`` (mailmap applied to author and committer).

    Attributes:
        author_name / author_email / author_time: ``%aN``, ``%aE``, ``%at`` (Unix seconds).
        committer_name / committer_email / committer_time: ``%cN``, ``%cE``, ``%ct``.
        merge: True when the commit has more than one parent.
        co_authors: raw ``Co-authored-by:`` trailer values (``"Name <email>"``), not mailmapped.
    """

    author_name: str
    author_email: str
    author_time: int
    committer_name: str
    committer_email: str
    committer_time: int
    merge: bool
    co_authors: tuple[str, ...]


def log_command(git_dir: Path, until: int | None = None) -> list[str]:
    """The ``git log`` argv used by :func:`iter_log` (also timed by the benchmark).

    The mailmap is the copy made by :class:`GitCache` (``mailmap.blob`` is
    emptied so that a bare clone does not fetch ``HEAD:.mailmap`` lazily).
    *until* (Unix seconds) becomes ``--until=@<seconds>``, a committer-date bound.
    """
    mailmap = Path(git_dir) / MAILMAP_FILE
    args = ["git", "--git-dir", str(git_dir)]
    if mailmap.exists():
        args += ["-c", "mailmap.blob=", "-c", f"mailmap.file={mailmap}"]
    args += ["log", "-z", f"--format={LOG_FORMAT}", "HEAD"]
    if until is not None:
        args.append(f"--until=@{int(until)}")
    return args


def iter_log(git_dir: Path, until: int | None = None, timeout: float = LOCAL_TIMEOUT) -> Iterator[tuple[str, ...]]:
    """Stream ``git log`` of ``HEAD``, yielding each commit's raw fields.

    Yields tuples of 8 strings in :data:`LOG_FORMAT` order (times are still
    text); :func:`parse_record` turns one into a :class:`CommitRecord`.
    An empty repository yields nothing.

    Raises:
        GitError: git failed or ran longer than *timeout* seconds.
    """
    for batch in iter_log_batches(git_dir, until, timeout):
        for rec in batch:
            yield tuple(rec.split(FS))


def iter_log_batches(git_dir: Path, until: int | None = None, timeout: float = LOCAL_TIMEOUT) -> Iterator[list[str]]:
    """Stream ``git log`` of ``HEAD`` as batches of raw records (the fast path).

    Each record is one commit's :data:`LOG_FORMAT` fields joined by
    :data:`FS`.  Output is read with ``os.read`` as it arrives (at most
    :data:`READ_BLOCK` bytes at a time) and split on NUL, so parsing overlaps
    git's own work and memory stays flat.

    Raises:
        GitError: git failed or ran longer than *timeout* seconds.
    """
    proc = subprocess.Popen(log_command(git_dir, until), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=git_env(), bufsize=0)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    stderr_chunks: list[bytes] = []
    drain = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()), daemon=True)
    drain.start()
    fd = proc.stdout.fileno()
    read = os.read
    try:
        tail = b""
        while True:
            block = read(fd, READ_BLOCK)
            if not block:
                break
            cut = block.rfind(b"\0")
            if cut < 0:
                tail += block
                continue
            data = tail + block[:cut]
            tail = block[cut + 1:]
            yield data.decode("utf-8", "replace").split("\0")
        if tail.strip():
            yield [tail.decode("utf-8", "replace")]
    finally:
        proc.stdout.close()
        code = proc.wait()
        timer.cancel()
        drain.join()
    if code != 0:
        err = b"".join(stderr_chunks).decode("utf-8", "replace")
        if "ambiguous argument 'HEAD'" in err or "does not have any commits" in err:  # empty repository
            return
        if code < 0:
            raise GitError(f"git log killed after {timeout:g} s")
        raise GitError(redact((err.strip().splitlines() or [f"exit status {code}"])[-1]))


def parse_record(fields: tuple[str, ...]) -> CommitRecord:
    """Turn the raw fields from :func:`iter_log` into a :class:`CommitRecord`."""
    an, ae, cn, ce, parents, ct, at, trailers = fields
    return CommitRecord(an, ae, int(at or 0), cn, ce, int(ct or 0), " " in parents.strip(),
                        tuple(t.strip() for t in trailers.split(TS) if t.strip()))


def check_mailmap(git_dir: Path, contacts: Iterable[str], timeout: float = LOCAL_TIMEOUT) -> dict[str, str]:
    """Apply the repository's mailmap to ``"Name <email>"`` strings (``git check-mailmap --stdin``).

    Used for ``Co-authored-by`` values, which ``%aN``-style placeholders do
    not cover.  Values that are not of the form ``Name <email>`` map to themselves.

    Returns:
        ``{contact: mapped contact}`` for every input.
    """
    wanted = sorted({c for c in contacts if re.fullmatch(r"[^<>\n]*<[^<>\s]+>", c)})
    result = {c: c for c in contacts}
    mailmap = Path(git_dir) / MAILMAP_FILE
    if not wanted or not mailmap.exists() or mailmap.stat().st_size == 0:
        return result
    out = run_git(["-c", "mailmap.blob=", "-c", f"mailmap.file={mailmap}", "--git-dir", str(git_dir),
                   "check-mailmap", "--stdin"], input=("\n".join(wanted) + "\n").encode(), timeout=timeout)
    mapped = out.decode("utf-8", "replace").split("\n")
    for src, dst in zip(wanted, mapped):
        result[src] = dst.strip() or src
    return result
