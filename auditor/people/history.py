"""Contributors from git history: per-repository figures and the ``history`` collector.

Pipeline of this module:

1. :class:`~auditor.net.git.GitCache` clones or fetches every distinct
   mapped repository (bounded parallelism; see :mod:`auditor.net.git`).
2. :func:`read_repo_log` streams one ``git log`` per repository and folds
   it into a :class:`RepoLog`: commit counts (all time and in the window)
   per (author, committer, is-merge) key, so memory grows with people, not commits.
3. :func:`summarize` resolves identities across *all* repositories at once
   (:mod:`auditor.people.identity`) and computes each
   :class:`~auditor.models.RepositoryHistory`.

Definitions (times are committer dates, i.e. when a commit landed on the
branch; ``--as-of`` bounds them with ``git log --until``):

* window: the :data:`WINDOW_DAYS` days ending at as-of (the audit time when
  no ``--as-of`` is given);
* contributors: distinct authors of non-merge commits, bots and tools
  excluded, who authored at least one of them from an address a forge
  account can hold: what a forge counts (GitHub counts the accounts linked
  to commit authors' addresses and leaves merge commits out);
* unlinkable_authors: the other authors, every one of whose authored
  commits carries an address no forge account can hold
  (:func:`~auditor.people.names.unlinkable_reason`: ``user@localhost``,
  ``user@<svn uuid>``, ``user@host.local``, ...); a forge cannot count them,
  auditor counts them here and in people reach;
* co_authors_only: people who appear only as ``Co-authored-by`` co-authors;
* committers_only: people who only landed others' work (committer of
  another's commit, author of merge commits) and authored nothing;
* people_all_roles: people in any of these roles (the sum of the four above); people reach
  and :meth:`~auditor.models.RepositoryHistory.person_ids` use all roles;
* active_contributors: people with any role in a window commit;
* committers: people who landed others' work: the committer of a commit
  whose author is a different person, and the author of a merge commit;
  the forge's web-flow identity is a bot and never counts;
* bus_factor: over non-merge, non-bot commits in the window, the smallest
  number of authors who together authored at least :data:`BUS_FACTOR_SHARE`
  of them (0 when there are none).

Only the default branch (``HEAD``) is read.  A monorepo subpath is not
applied: the figures cover the whole repository.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from auditor.collectors import Collector, RunContext
from auditor.errors import InputError
from auditor.models import Contribution, PackageNode, RepositoryHistory, Unknown
from auditor.net.git import FS, TS, GitCache, GitError, check_mailmap, iter_log_batches
from auditor.people.identity import IdentityResolver, bot_key, login_email_pairs
from auditor.people.native_history import MAX_NATIVE_REPOSITORIES, NATIVE_HISTORIES, native_repositories, over_limit
from auditor.people.names import unlinkable_reason
from auditor.people.privacy import people_salt, redact_people

#: Activity window for active contributors and bus factor, in days: one
#: year (issue 3's definition), long enough for projects that release once a
#: year.  OpenSSF Scorecard's Maintained check looks at a shorter 90 days.
WINDOW_DAYS = 365
#: Share of window commits the bus-factor people must have authored together:
#: one half, as in the CHAOSS "Bus Factor" metric (the fewest people making 50% of contributions).
BUS_FACTOR_SHARE = 0.5
#: Repositories whose logs are read at the same time (``git log`` is CPU-bound).
READ_PARALLEL = 2
#: Whether the interpreter node (CPython) gets git history.  Off: CPython's
#: 120,000-commit history is the same for every audit and would dominate
#: every node's people reach; its figures belong in a separate audit.
INCLUDE_INTERPRETER = False
#: Only canonical web URLs are cloned (``RepositoryRef.url`` is always one);
#: anything else in package metadata (``file://``, ``ext::``) is refused.
#: ``url.<base>.insteadOf`` in the user's git config still applies after this check.
ALLOWED_URL_PREFIXES = ("https://", "http://")

_CONTACT_RE = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]*)>\s*$")

_Ident = tuple[str, str]


def as_of_timestamp(as_of: str | None) -> int | None:
    """Unix seconds at the *end* of the as-of day (UTC), or at the given instant.

    Accepts ``YYYY-MM-DD`` (the whole day counts) or an ISO-8601 date-time
    (naive means UTC).

    Raises:
        InputError: not a date.
    """
    if as_of is None:
        return None
    text = as_of.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return int(datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=timezone.utc).timestamp())
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--as-of: not an ISO date: {as_of!r}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())


def iso(ts: int | None) -> str | None:
    """ISO-8601 UTC (``2024-05-01T12:00:00Z``) for Unix seconds, or None."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):  # a forged date beyond year 9999
        return None


def parse_contact(text: str) -> _Ident | None:
    """``("Name", "email")`` from a ``Name <email>`` trailer value, or None when malformed."""
    m = _CONTACT_RE.match(text)
    if not m:
        return None
    return m.group("name"), m.group("email")


@dataclass(slots=True)
class _Stats:
    """Per identity pair: commits, commits in window, first and last committer time."""

    n: int = 0
    n_window: int = 0
    first: int = 0
    last: int = 0

    def add(self, ct: int, in_window: bool) -> None:
        """Count one more commit, made at committer time *ct* (Unix seconds)."""
        self.n += 1
        if in_window:
            self.n_window += 1
        if ct < self.first:
            self.first = ct
        if ct > self.last:
            self.last = ct


@dataclass
class RepoLog:
    """One repository's history folded by identity (internal to the people stage).

    Attributes:
        url: canonical repository URL.
        commits: commits read (merges included).
        first / last: earliest and latest committer time (Unix seconds), or None.
        pairs: ``{(author, committer, merge): _Stats}`` with identities as ``(name, email)``.
        co_authors: ``{co-author identity: _Stats}`` (mailmap applied).
        skipped: malformed log records ignored.
    """

    url: str
    commits: int = 0
    first: int | None = None
    last: int | None = None
    pairs: dict[tuple[_Ident, _Ident, bool], _Stats] = field(default_factory=dict)
    co_authors: dict[_Ident, _Stats] = field(default_factory=dict)
    skipped: int = 0


def _bump(table: dict, key, ct: int, in_window: bool) -> None:
    """Count a commit at *ct* in ``table[key]`` (a new :class:`_Stats` the first time)."""
    s = table.get(key)
    if s is None:
        table[key] = s = _Stats(0, 0, ct, ct)
    s.add(ct, in_window)


def read_repo_log(git_dir: Path, url: str, as_of: int | None = None, now: int | None = None) -> RepoLog:
    """Read one repository's history (``HEAD``, up to *as_of*) into a :class:`RepoLog`.

    Args:
        git_dir: a clone made by :class:`~auditor.net.git.GitCache`.
        url: canonical URL (recorded, not used to fetch).
        as_of: Unix seconds; later commits are ignored (``--until`` plus a check here).
        now: end of the activity window when *as_of* is None (default: the current time).

    Raises:
        GitError: ``git log`` failed or timed out.
    """
    end = as_of if as_of is not None else (now if now is not None else int(time.time()))
    start = end - WINDOW_DAYS * 86400
    out = RepoLog(url=url)
    pairs = out.pairs
    raw_co: dict[str, _Stats] = {}
    # The hot loop, once per commit.  A record is "aN aE cN cE | P ct at trailers"
    # (LOG_FORMAT): rsplit keeps the four identity fields as one string, which
    # keys the commit; it is split into names and addresses once per distinct
    # key, after the loop.  A key whose identity part is not four fields (a
    # separator inside a name) is malformed: its commits are skipped.
    by_head: tuple[dict[str, _Stats], dict[str, _Stats]] = ({}, {})  # (non-merges, merges)
    commits = skipped = 0
    first = last = None
    bound = as_of if as_of is not None else float("inf")
    lo, hi = float("inf"), float("-inf")
    for batch in iter_log_batches(git_dir, until=as_of):
        for rec in batch:
            f = rec.rsplit(FS, 4)
            if len(f) != 5:
                skipped += 1
                continue
            head, parents, ct_s, _at, trailers = f
            try:
                ct = int(ct_s)
            except ValueError:
                skipped += 1
                continue
            if ct > bound:
                continue
            table = by_head[" " in parents]
            st = table.get(head)
            if st is None:
                if head.count(FS) != 3:
                    skipped += 1
                    continue
                table[head] = st = _Stats(0, 0, ct, ct)
            commits += 1
            if ct < lo:
                lo = ct
            if ct > hi:
                hi = ct
            in_window = start < ct <= end
            st.n += 1
            if in_window:
                st.n_window += 1
            if ct < st.first:
                st.first = ct
            if ct > st.last:
                st.last = ct
            if trailers:
                for value in trailers.split(TS):
                    value = value.strip()
                    if value:
                        _bump(raw_co, value, ct, in_window)
    for merge, table in enumerate(by_head):
        for head, st in table.items():
            an, ae, cn, ce = head.split(FS)
            pairs[((an, ae), (cn, ce), bool(merge))] = st
    if commits:
        first, last = int(lo), int(hi)
    out.skipped = skipped
    out.commits, out.first, out.last = commits, first, last
    if raw_co:
        mapped = check_mailmap(git_dir, raw_co)
        for raw, stats in raw_co.items():
            ident = parse_contact(mapped.get(raw, raw))
            if ident is None:
                out.skipped += stats.n
                continue
            prev = out.co_authors.get(ident)
            if prev is None:
                out.co_authors[ident] = _Stats(stats.n, stats.n_window, stats.first, stats.last)
            else:
                prev.n += stats.n
                prev.n_window += stats.n_window
                prev.first, prev.last = min(prev.first, stats.first), max(prev.last, stats.last)
    return out


def bus_factor(authored_in_window: Mapping[str, int], share: float = BUS_FACTOR_SHARE) -> int:
    """Smallest number of authors whose commits together reach *share* of the total.

    Args:
        authored_in_window: ``{person id: non-merge commits authored in the window}``.

    Returns:
        0 when the total is 0; ties are irrelevant (only counts matter).
    """
    counts = sorted((c for c in authored_in_window.values() if c > 0), reverse=True)
    total = sum(counts)
    if total == 0:
        return 0
    acc = 0
    for k, c in enumerate(counts, 1):
        acc += c
        if acc >= share * total:
            return k
    return len(counts)  # pragma: no cover - unreachable: the loop reaches total


@dataclass
class _Acc:
    authored: int = 0
    co_authored: int = 0
    landed: int = 0
    window: int = 0  # any role in a window commit
    authored_window: int = 0
    first: int = 0
    last: int = 0
    linkable: bool = False  # authored a non-merge commit from an address a forge account can hold

    def seen(self, s: _Stats) -> None:
        if not self.first or s.first < self.first:
            self.first = s.first
        if s.last > self.last:
            self.last = s.last


def summarize(logs: Mapping[str, RepoLog], as_of: str | None = None,
              extra_links: Iterable[tuple[str, str]] = ()) -> dict[str, RepositoryHistory]:
    """Resolve people across all *logs* and compute each repository's figures.

    Args:
        logs: ``{url: RepoLog}`` for every repository of the audit.
        as_of: the ``--as-of`` text, recorded in the result.
        extra_links: ``(GitHub login, email)`` pairs from an enricher, passed
            to :meth:`~auditor.people.identity.IdentityResolver.link`.

    Returns:
        ``{url: RepositoryHistory}``.
    """
    resolver = IdentityResolver()
    for lg in logs.values():
        for (a, c, _m) in lg.pairs:
            resolver.add(*a)
            resolver.add(*c)
        for ident in lg.co_authors:
            resolver.add(*ident)
    resolver.add_links(extra_links)
    res = resolver.resolve()
    person_of = res.by_identity
    linkable: dict[str, bool] = {}  # address -> a forge account can hold it
    bot_keys: dict[_Ident, str] = {}

    def bot_of(ident: _Ident) -> str:
        key = bot_keys.get(ident)
        if key is None:
            key = bot_keys[ident] = bot_key(*ident) or "bot:?"
        return key

    result: dict[str, RepositoryHistory] = {}
    for url, lg in logs.items():
        acc: dict[str, _Acc] = {}
        bots: set[str] = set()

        def get(pid: str) -> _Acc:
            a = acc.get(pid)
            if a is None:
                a = acc[pid] = _Acc()
            return a

        for (a, c, merge), s in lg.pairs.items():
            ap, cp = person_of.get(a), person_of.get(c)
            for ident, pid in ((a, ap), (c, cp)):
                if pid is None:
                    bots.add(bot_of(ident))
            if ap is not None:
                x = get(ap)
                x.seen(s)
                x.window += s.n_window
                if merge:
                    x.landed += s.n
                else:
                    x.authored += s.n
                    x.authored_window += s.n_window
                    if not x.linkable:
                        ok = linkable.get(a[1])
                        if ok is None:
                            ok = linkable[a[1]] = unlinkable_reason(a[1]) is None
                        x.linkable = ok
            if cp is not None and cp != ap:
                x = get(cp)
                x.seen(s)
                x.window += s.n_window
                x.landed += s.n
        for ident, s in lg.co_authors.items():
            pid = person_of.get(ident)
            if pid is None:
                bots.add(bot_of(ident))
                continue
            x = get(pid)
            x.seen(s)
            x.co_authored += s.n
            x.window += s.n_window

        contributions = tuple(sorted(
            (Contribution(person=pid, authored=x.authored, co_authored=x.co_authored, landed=x.landed,
                          active=x.window > 0, first=iso(x.first) or "", last=iso(x.last) or "")
             for pid, x in acc.items()),
            key=lambda c: (-c.authored, -c.co_authored, -c.landed, c.person)))
        authors = {pid for pid, x in acc.items() if x.authored > 0}
        unlinkable = {pid for pid in authors if not acc[pid].linkable}
        co_only = {pid for pid, x in acc.items() if x.co_authored > 0} - authors
        result[url] = RepositoryHistory(
            url=url,
            as_of=as_of,
            commits=lg.commits,
            first_commit=iso(lg.first),
            last_commit=iso(lg.last),
            contributors=len(authors) - len(unlinkable),
            unlinkable_authors=len(unlinkable),
            co_authors_only=len(co_only),
            committers_only=len(acc) - len(authors) - len(co_only),
            people_all_roles=len(acc),
            identity_merges=dict(res.merges),
            active_contributors=sum(1 for x in acc.values() if x.window > 0),
            committers=sum(1 for x in acc.values() if x.landed > 0),
            bus_factor=bus_factor({pid: x.authored_window for pid, x in acc.items()}),
            excluded_bots=len(bots),
            window_days=WINDOW_DAYS,
            people=tuple(res.persons[pid] for pid in sorted(acc)),
            contributions=contributions,
            _person_ids=frozenset(acc),
            _login_ids=tuple(sorted({(login.lower(), pid) for pid in acc for login in res.persons[pid].logins})),
        )
    return result


def histories(urls_to_dirs: Mapping[str, Path | Unknown], as_of: str | None = None,
              now: int | None = None, extra_links: Iterable[tuple[str, str]] = (),
              parallel: int = READ_PARALLEL) -> dict[str, RepositoryHistory | Unknown]:
    """Read every cloned repository and summarize them together.

    Args:
        urls_to_dirs: output of :meth:`GitCache.update_all` (a dir or an Unknown per URL).
        as_of: ``--as-of`` text (see :func:`as_of_timestamp`).
        now: window end when *as_of* is None (tests pass a fixed value).

    Returns:
        ``{url: RepositoryHistory or Unknown}``; a repository whose log cannot
        be read is ``Unknown("git log failed: ...")``.
    """
    until = as_of_timestamp(as_of)
    now = now if now is not None else int(time.time())
    ready = {u: d for u, d in urls_to_dirs.items() if not isinstance(d, Unknown)}
    out: dict[str, RepositoryHistory | Unknown] = {
        u: d for u, d in urls_to_dirs.items() if isinstance(d, Unknown)}

    def read(item: tuple[str, Path]) -> RepoLog | Unknown:
        url, git_dir = item
        try:
            return read_repo_log(git_dir, url, as_of=until, now=now)
        except (GitError, OSError) as exc:  # OSError: git missing or not executable
            return Unknown(f"git log failed: {exc}")

    items = sorted(ready.items())
    if len(items) > 1 and parallel > 1:
        with ThreadPoolExecutor(max_workers=min(parallel, len(items))) as pool:
            logs = list(pool.map(read, items))
    else:
        logs = [read(i) for i in items]
    good: dict[str, RepoLog] = {}
    for (url, _), lg in zip(items, logs):
        if isinstance(lg, Unknown):
            out[url] = lg
        else:
            good[url] = lg
    out.update(summarize(good, as_of=as_of, extra_links=extra_links))
    return out


class HistoryCollector(Collector):
    """Contributors, activity and bus factor from each mapped repository's git history.

    Implements :class:`~auditor.collectors.Collector`; key ``"history"``.
    Several packages mapped to one repository share one clone and one
    :class:`~auditor.models.RepositoryHistory`.

    Args:
        extra_links: ``(GitHub login, email)`` pairs to merge identities with
            (for an enricher that knows them, e.g. a forge contributors API).
        freshness: overrides :data:`auditor.net.git.FRESHNESS_SECONDS`.
        salt: salt for e-mail hashes (default :func:`people_salt`).

    Output policy (:func:`redact_people`): ``Config.people`` keeps the
    :class:`~auditor.models.Person` records; without ``Config.show_emails``
    their addresses are salted hashes and person ids are salted too.

    Attributes:
        cache: the :class:`GitCache` of the last :meth:`collect` (its ``stats``
            tell how many clones/fetches ran).
    """

    key = "history"
    default_enabled = True
    description = "contributors, activity and bus factor from git history"

    def __init__(self, extra_links: Iterable[tuple[str, str]] = (), freshness: float | None = None,
                 salt: str | None = None):
        self.extra_links = tuple(extra_links)
        self.salt = salt
        self.freshness = freshness
        self.cache: GitCache | None = None
        #: ``{upstream repository URL: RepositoryHistory or Unknown}`` the last :meth:`collect` read (None before).
        self.native_read: dict[str, Any] | None = None

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, Any]:
        """See :meth:`Collector.collect`: ``{package: RepositoryHistory | Unknown}``.

        Packages without a mapped repository get ``Unknown("no source repository", fault=False)``.
        """
        cfg = ctx.config
        kwargs = {} if self.freshness is None else {"freshness": self.freshness}
        cache = self.cache = GitCache(cfg.cache_dir, offline=cfg.offline,
                                      max_parallel=min(cfg.concurrency, 4), deadline=ctx.deadline,
                                      hosts=ctx.hosts() if hasattr(ctx, "hosts") else None, **kwargs)
        result: dict[str, Any] = {}
        url_of: dict[str, str] = {}
        for node in nodes:
            repo = node.mapping.repo
            if node.distribution.origin.kind == "interpreter" and not (INCLUDE_INTERPRETER or cfg.include_interpreter):
                result[node.name] = Unknown("interpreter history not collected", fault=False)
            elif repo is None:
                result[node.name] = Unknown("no source repository", fault=False)
            elif not repo.clone_url.startswith(ALLOWED_URL_PREFIXES):
                result[node.name] = Unknown(f"not cloned: unsupported URL scheme in {repo.clone_url!r}", fault=False)
            else:
                url_of[node.name] = repo.clone_url
        # bundled libraries' upstreams (docs/native.md#people): read alike, unless --disable native_history
        native, over = native_repositories(nodes) if ctx.config.collector_enabled("native_history") else ({}, [])
        urls = sorted(set(url_of.values()) | set(native.values()))
        ctx.progress.start("git clone/fetch", len(urls))
        dirs = cache.update_all(urls, on_done=lambda _url: ctx.progress.advance("git clone/fetch"))
        # (login, e-mail) links the GitHub enricher found (it runs earlier; docs/forges.md).
        links = self.extra_links + tuple(login_email_pairs({n.name: n.signals.get("github") for n in nodes}))
        per_repo = redact_people(histories(dirs, as_of=cfg.as_of, extra_links=links),
                                 self.salt or people_salt(), keep_people=cfg.people, show_emails=cfg.show_emails)
        s = cache.stats
        ctx.progress.message(f"git: {s.clones} clones, {s.fetches} fetches, {s.fresh} fresh, {s.failures} failed")
        merges = next((h.identity_merges for h in per_repo.values() if isinstance(h, RepositoryHistory)), {})
        if merges:
            ctx.progress.message("identity merges by rule: " + ", ".join(f"{k} {v}" for k, v in merges.items()))
        for url in sorted(per_repo):
            h = per_repo[url]
            if isinstance(h, RepositoryHistory):
                ctx.progress.message(
                    f"{url}: {h.contributors} contributors (forge-linkable authors), {h.unlinkable_authors} "
                    f"unlinkable authors, {h.co_authors_only} co-authors only, {h.committers_only} committers "
                    f"only, {h.people_all_roles} people in all roles")
        for name, url in url_of.items():
            result[name] = per_repo.get(url, Unknown("repository not read"))
        # what this call read, on the instance too: a survey's history task hands it on without the run
        # memo, which concurrent tasks on one worker share (auditor/survey/tasks.py::collect_history)
        self.native_read = {**{repo: per_repo.get(clone, Unknown("repository not read")) for repo, clone in native.items()},
                            **{repo: over_limit(MAX_NATIVE_REPOSITORIES) for repo in over}}
        ctx.memo[NATIVE_HISTORIES] = self.native_read
        return result
