"""Evaluate a :class:`~auditor.gate.policy.Policy` on an :class:`~auditor.gate.diff.AuditDiff`.

Evaluation is pure: it reads the diff and returns a :class:`PolicyResult`
with the violations, the rules that could not decide for lack of data, and
the exceptions used.  Rule documentation (ids ``POL001``...) is in the
judgement catalogue (:mod:`auditor.judgement.catalogue`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass
from typing import Callable, Union

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from auditor import clock
from auditor.errors import ExitCode
from auditor.gate.diff import AuditDiff, PackageDelta, VersionChange, Vulnerability
from auditor.gate.policy import RULES, Policy, PolicyException
from auditor.models import Confidence, Severity, Unknown, UnknownKind
from auditor.models.vulnerability import is_malicious


class Verdict(str, enum.Enum):
    """Outcome of a policy evaluation."""

    PASS = "pass"
    FAIL = "fail"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Violation:
    """A rule that failed for a package (or for the whole change, ``package=None``).

    Attributes:
        rule: rule id (key of :data:`RULES`).
        package: PEP 503 name, or ``None``.
        message: one line, plain text (formatters escape it).
        file / line: where the head lockfile declares the package, if known.
        waived_by: the exception that waived it (then it does not fail the check).
    """

    rule: str
    package: str | None
    message: str
    file: str | None = None
    line: int | None = None
    waived_by: PolicyException | None = None


@dataclass(frozen=True)
class Undecided:
    """A rule that could not decide for a package because data is missing.

    Attributes:
        rule: rule id.
        package: PEP 503 name or ``None``.
        reason: the Unknown's reason.
    """

    rule: str
    package: str | None
    reason: str


@dataclass(frozen=True)
class PolicyResult:
    """The outcome of :func:`evaluate`.

    Attributes:
        verdict: ``fail`` when an unwaived violation exists; else
            ``incomplete`` when a rule could not decide; else ``pass``.
        violations: every violation, waived ones included (``waived_by`` set).
        undecided: rules that lacked data.
        notes: warnings that do not fail the check (expired exceptions...).
        policy: the policy evaluated.
    """

    verdict: Verdict
    violations: tuple[Violation, ...]
    undecided: tuple[Undecided, ...]
    notes: tuple[str, ...]
    policy: Policy

    @property
    def failing(self) -> tuple[Violation, ...]:
        """Violations not waived by an exception."""
        return tuple(v for v in self.violations if v.waived_by is None and RULES[v.rule].level == "error")

    def exit_code(self, fail_on_unknown: bool = False) -> ExitCode:
        """The process exit code for this result.

        ``0`` pass; ``1`` an unwaived violation; ``3``
        (:attr:`ExitCode.INCOMPLETE`) when nothing failed but a rule could
        not decide for lack of data.  With *fail_on_unknown* an undecided
        rule is a failure (``1``) instead.
        """
        if self.verdict is Verdict.FAIL:
            return ExitCode.POLICY_FAILURE
        if self.verdict is Verdict.INCOMPLETE:
            return ExitCode.POLICY_FAILURE if fail_on_unknown else ExitCode.INCOMPLETE
        return ExitCode.OK

#: What a check returns: a violation message, or the Unknown that kept it from deciding.
Outcome = Union[str, Unknown]


# --------------------------------------------------------------------------
# Checks: one small pure function per rule (see docs/policy.md#rules)
# --------------------------------------------------------------------------


def _unknown_of(*values: object) -> Unknown | None:
    return next((v for v in values if isinstance(v, Unknown)), None)


def _new_packages_only(
    check: Callable[[Policy, PackageDelta], list[Outcome]]
) -> Callable[[Policy, PackageDelta], list[Outcome]]:
    """A package rule that judges only the packages the change adds (it passes the others)."""
    @functools.wraps(check)
    def checked(policy: Policy, d: PackageDelta) -> list[Outcome]:
        return check(policy, d) if d.change.kind == "added" else []

    return checked


def check_people_increase(policy: Policy, diff: AuditDiff) -> list[Outcome]:
    """POL001: people reachable from the root grow by more than ``max_people_increase``.

    People are maintainers plus contributors; without history, the
    publish-capable accounts alone (a lower bound).
    """
    if policy.max_people_increase is None:
        return []
    before, after = diff.totals_before, diff.totals_after
    b_people, a_people = before.people, after.people
    if _unknown_of(b_people, a_people):
        b_people, a_people = before.maintainers, after.maintainers
    missing = _unknown_of(b_people, a_people)
    if missing is not None:
        return [missing]
    if a_people - b_people > policy.max_people_increase:
        return [f"people reachable grow by {a_people - b_people} ({b_people} -> {a_people}); "
                f"the policy allows {policy.max_people_increase}"]
    return []


def check_new_maintainers(policy: Policy, diff: AuditDiff) -> list[Outcome]:
    """POL002: more than ``max_new_maintainers`` publish-capable accounts the base did not reach."""
    if policy.max_new_maintainers is not None and len(diff.new_maintainers) > policy.max_new_maintainers:
        return [f"{len(diff.new_maintainers)} new publish-capable PyPI accounts; "
                f"the policy allows {policy.max_new_maintainers}"]
    return []


def check_source_repository(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL003: a new package maps to no repository, or below ``min_repository_confidence``.

    A closed vendor binary (docs/native.md#vendor-binaries) has no public
    source by design: it passes when the base already uses binaries of its
    vendor (a torch upgrade that adds CUDA wheels), and fails as a new
    vendor otherwise, or when a package that was not a vendor binary becomes
    one (open to closed), whether it is new or changed.
    """
    if not policy.require_source_repository:
        return []
    if d.vendor and d.change.kind != "added" and not d.vendor_before:
        return [f"{d.name} {d.change.after or ''}: becomes a closed {d.vendor} binary (it was not one in the base)"]
    if d.change.kind != "added":
        return []
    if d.vendor and d.repository is None:
        if d.new_vendor:
            return [f"{d.name} {d.change.after or ''}: a closed {d.vendor} binary, a vendor the base does not use"]
        return []
    if d.repository is None and d.mapping_gap is not None:
        return [d.mapping_gap]
    if d.repository is None:
        return [f"{d.name} {d.change.after or ''}: no public source repository is mapped".replace("  ", " ")]
    if d.confidence != Confidence.VERIFIED and d.confidence.rank > policy.min_repository_confidence.rank:
        return [f"{d.name}: repository {d.repository} is mapped only with "
                f"{d.confidence.value} confidence (policy: {policy.min_repository_confidence.value})"]
    return []


@_new_packages_only
def check_single_maintainer(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL004: a new package has one publish-capable account and no organization."""
    if not policy.forbid_single_maintainer:
        return []
    single = d.single_maintainer
    if isinstance(single, Unknown):
        return [single]
    if single:
        who = d.maintainers[0] if not isinstance(d.maintainers, Unknown) else "?"
        return [f"{d.name} {d.change.after}: single publish-capable maintainer ({who}) and no organization"]
    return []


def _severity_above(v: Vulnerability, limit: Severity) -> bool:
    if is_malicious((v.id, *v.aliases)):
        return True  # an OSV MAL- report: malware fails whatever the limit (finding AUD150)
    if isinstance(v.severity, Unknown):
        return True  # unrated vulnerabilities count as failing (conservative)
    return v.severity.rank < limit.rank


def check_vulnerability_severity(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL005: the change brings a known vulnerability above ``max_vulnerability_severity``
    (an unrated one and an OSV ``MAL-`` malicious-package report always count)."""
    if policy.max_vulnerability_severity is None:
        return []
    vulns = d.vulnerabilities_added
    if isinstance(vulns, Unknown):
        return [vulns]
    out: list[Outcome] = []
    for v in vulns:
        if _severity_above(v, policy.max_vulnerability_severity):
            sev = "malicious" if is_malicious((v.id, *v.aliases)) else (
                v.severity.value if isinstance(v.severity, Severity) else "unrated")
            out.append(f"{d.name} {d.change.after}: {v.id} ({sev})")
    return out


def _younger_than(age: float | Unknown, limit: float | None, what: str) -> list[Outcome]:
    """The shared shape of the age rules: off, undecided, too young (*what* was
    published N day(s) ago), or fine."""
    if limit is None:
        return []
    if isinstance(age, Unknown):
        return [age]
    return [f"{what} published {age:g} day(s) ago (policy: at least {limit:g})"] if age < limit else []


def check_release_age(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL006: a new or changed version was uploaded less than ``min_release_age_days`` ago."""
    return _younger_than(d.age_days, policy.min_release_age_days, f"{d.name} {d.change.after} was")


@_new_packages_only
def check_project_age(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL009: a new package's project was first published less than ``min_project_age_days`` ago."""
    return _younger_than(d.project_age_days, policy.min_project_age_days, f"{d.name}: the project was first")


def _license_changed(d: PackageDelta) -> bool:
    """The delta brings a licence the base did not have: an added package, or a changed one whose declaration differs."""
    before = d.license_before
    if d.change.kind == "added" or before is None:
        return True
    if isinstance(before, Unknown) or isinstance(d.license, Unknown):
        return True
    return (before.expression, before.ids, before.declared) != (d.license.expression, d.license.ids, d.license.declared)


def _license_terms(d: PackageDelta) -> tuple[object, list] | Unknown:
    """The licence tree to judge and its terms, or the Unknown that keeps a licence rule from deciding.

    Several classifiers without an expression are judged as if all of them applied (``AND``): the
    conservative reading, since the metadata does not say which one the user may choose.
    """
    from auditor.dist.licenses import Combined, Term, parse, terms

    lic = d.license
    if isinstance(lic, Unknown):  # a licence list cannot decide without the licence, whatever the cause
        return Unknown(f"{d.name} {d.change.after or ''}: licence unknown ({lic.reason})", kind=lic.kind)
    if lic.expression is not None:
        tree = parse(lic.expression)
        return tree, terms(tree)
    if lic.ids:
        tree = Combined("AND", tuple(Term(i) for i in lic.ids))
        return tree, terms(tree)
    return Unknown(f"{d.name} {d.change.after or ''}: {lic.problem}", kind=UnknownKind.MALFORMED)


def check_license_deny(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL016: no choice among the declared licence's alternatives avoids a licence in ``licenses.deny``."""
    from auditor.dist.licenses import listed, satisfiable

    if not policy.license_deny or not _license_changed(d):
        return []
    judged = _license_terms(d)
    if isinstance(judged, Unknown):
        return [judged]
    tree, found = judged
    if satisfiable(tree, lambda t: not listed(t, policy.license_deny)):
        return []
    denied = sorted({str(t) for t in found if listed(t, policy.license_deny)})
    return [f"{d.name} {d.change.after or ''}: licence {_shown(d)} cannot be used without {', '.join(denied)}, "
            f"which the policy denies"]


def check_license_allow(policy: Policy, d: PackageDelta) -> list[Outcome]:
    """POL017: no choice among the declared licence's alternatives uses only licences in ``licenses.allow``
    (and none denied)."""
    from auditor.dist.licenses import listed, satisfiable

    if policy.license_allow is None or not _license_changed(d):
        return []
    judged = _license_terms(d)
    if isinstance(judged, Unknown):
        return [judged]
    tree, found = judged

    def ok(term) -> bool:
        return listed(term, policy.license_allow or ()) and not listed(term, policy.license_deny)

    if satisfiable(tree, ok):
        return []
    outside = sorted({str(t) for t in found if not ok(t)})
    return [f"{d.name} {d.change.after or ''}: licence {_shown(d)} is not covered by the allow list "
            f"(not allowed: {', '.join(outside)})"]


def _shown(d: PackageDelta) -> str:
    lic = d.license
    if isinstance(lic, Unknown):
        return "unknown"
    return lic.expression or f"{' + '.join(lic.ids)} (from {lic.source})"


def check_deny(policy: Policy, diff: AuditDiff) -> list[tuple[PackageDelta, str]]:
    """POL007: a denied package (or a version matching a denied requirement) is in the head tree."""
    out = []
    versions = _head_versions(diff)
    for entry in policy.deny:
        req = Requirement(entry)
        name = str(canonicalize_name(req.name))
        if name not in versions:
            continue
        version = versions[name]
        hit = not req.specifier
        if req.specifier and version:
            try:
                hit = req.specifier.contains(version, prereleases=True)
            except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
                hit = True
        if hit:
            delta = next((d for d in diff.deltas if d.name == name), None)
            if delta is None:
                loc = next(((f, ln) for n, _v, f, ln in diff.head_packages if n == name), (None, None))
                delta = PackageDelta(name=name, change=VersionChange(name, "unchanged", version, version),
                                     file=loc[0], line=loc[1])
            out.append((delta, f"{name} {version or ''} is denied by the policy ({entry})".replace("  ", " ")))
    return out


#: Rules about the whole change, in id order.
def _hub_loaded(diff: AuditDiff):
    """The Hub repositories a change adds or loads at other revisions (one change each)."""
    seen = set()
    for c in (*diff.hub_added, *(c for c in diff.hub_changed if c.what in ("revision", "trust_remote_code"))):
        if c.node not in seen:
            seen.add(c.node)
            yield c


def _revision_words(after: str | None) -> str:
    """``its default branch``, ``the branch or tag 'main'`` or both, from a HubChange's ``after``
    (revisions joined with ``", "``, ``default branch`` for none)."""
    revs = [r for r in (after or "default branch").split(", ") if r]
    words = ["its default branch"] if "default branch" in revs else []
    named = [repr(r) for r in revs if r != "default branch"]
    if named:
        words.append(("the branch or tag " if len(named) == 1 else "the branches or tags ") + ", ".join(named))
    return " and ".join(words)


def check_hub_pinned(policy: Policy, diff: AuditDiff) -> list[Outcome]:
    """POL010: a Hub repository the change adds, or loads at another revision, is not pinned to a commit sha."""
    if not policy.pin_hub_repositories:
        return []
    return [f"{c.node} is loaded at {_revision_words(c.after)}, not at a pinned commit"
            for c in _hub_loaded(diff) if c.what != "trust_remote_code" and not c.pinned]


def check_hub_code_on_load(policy: Policy, diff: AuditDiff) -> list[Outcome]:
    """POL011: loading a Hub repository the change adds (or now loads with trust_remote_code) runs its code;
    undecided (an Unknown) when the Hub's facts are missing."""
    if not policy.forbid_hub_code_on_load:
        return []
    out: list[Outcome] = []
    for c in _hub_loaded(diff):
        if c.runs_code is None:
            out.append(Unknown(f"{c.node}: Hub facts not collected"))
        elif c.runs_code:
            out.append(f"loading {c.node} runs its code: {', '.join(c.runs_code)}")
    return out


CHANGE_CHECKS: tuple[tuple[str, Callable[[Policy, AuditDiff], list[Outcome]]], ...] = (
    ("POL001", check_people_increase),
    ("POL002", check_new_maintainers),
    ("POL010", check_hub_pinned),
    ("POL011", check_hub_code_on_load),
)
#: Rules about each added or changed package (allow-listed packages skipped).
PACKAGE_CHECKS: tuple[tuple[str, Callable[[Policy, PackageDelta], list[Outcome]]], ...] = (
    ("POL003", check_source_repository),
    ("POL004", check_single_maintainer),
    ("POL005", check_vulnerability_severity),
    ("POL006", check_release_age),
    ("POL009", check_project_age),
    ("POL016", check_license_deny),
    ("POL017", check_license_allow),
)


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


def evaluate(policy: Policy, diff: AuditDiff, today: dt.date | None = None) -> PolicyResult:
    """Evaluate *policy* on *diff* (pure): every check, then exceptions and the verdict.

    Args:
        policy: a validated policy.
        diff: the diff of the two audits.
        today: the date exceptions expire against (default: UTC today).

    Returns:
        A :class:`PolicyResult`; see :meth:`PolicyResult.exit_code`.
    """
    today = today or clock.today()
    violations: list[Violation] = []
    undecided: list[Undecided] = []
    notes: list[str] = []
    active: dict[str, list[PolicyException]] = {}
    for exc in policy.exceptions:
        if exc.expires < today:
            notes.append(f"exception for {exc.package} ({', '.join(exc.rules)}) expired on {exc.expires.isoformat()}: {exc.reason}")
            violations.append(Violation("POL008", exc.package, f"policy exception for {exc.package} expired on {exc.expires.isoformat()}"))
            continue
        active.setdefault(exc.package, []).append(exc)

    def record(rule: str, delta: PackageDelta | None, outcome: Outcome) -> None:
        name = delta.name if delta is not None else None
        waiver = next((e for e in active.get(name or "", []) if e.covers(rule)), None)
        if isinstance(outcome, Unknown):
            if waiver is None and outcome.fault:
                undecided.append(Undecided(rule, name, outcome.reason))
            return
        violations.append(Violation(rule, name, outcome, delta.file if delta else None,
                                    delta.line if delta else None, waiver))

    for rule, change_check in CHANGE_CHECKS:
        for outcome in change_check(policy, diff):
            record(rule, None, outcome)
    for delta in diff.deltas:
        if delta.name in policy.allow:
            continue
        for rule, package_check in PACKAGE_CHECKS:
            for outcome in package_check(policy, delta):
                record(rule, delta, outcome)
    for delta, message in check_deny(policy, diff):
        record("POL007", delta, message)

    violations.sort(key=lambda v: (v.rule, v.package or "", v.message))
    undecided = sorted(set(undecided), key=lambda u: (u.rule, u.package or "", u.reason))
    if any(v.waived_by is None and RULES[v.rule].level == "error" for v in violations):
        verdict = Verdict.FAIL
    elif undecided:
        verdict = Verdict.INCOMPLETE
    else:
        verdict = Verdict.PASS
    return PolicyResult(verdict, tuple(violations), tuple(undecided), tuple(notes), policy)


def _head_versions(diff: AuditDiff) -> dict[str, str | None]:
    """Versions of every head-side package."""
    out = {name: version for name, version, _f, _l in diff.head_packages}
    for d in diff.deltas:
        out[d.name] = d.change.after
    return out
