"""Evaluate a :class:`~auditor.gate.policy.Policy` on an :class:`~auditor.gate.diff.AuditDiff`.

Evaluation is pure: it reads the diff and returns a :class:`PolicyResult`
with the violations, the rules that could not decide for lack of data, and
the exceptions used.  Rule documentation (ids ``POL001``...) is in the
judgement catalogue (:mod:`auditor.judgement.catalogue`).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion

from auditor.errors import ExitCode
from auditor.gate.diff import AuditDiff, PackageDelta, VersionChange, Vulnerability
from auditor.gate.policy import RULES, Policy, PolicyException
from auditor.models import Confidence, Severity, Unknown


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

def _severity_above(v: Vulnerability, limit: Severity) -> bool:
    if isinstance(v.severity, Unknown):
        return True  # unrated vulnerabilities count as failing (conservative)
    return v.severity.rank < limit.rank


def evaluate(policy: Policy, diff: AuditDiff, today: dt.date | None = None) -> PolicyResult:
    """Evaluate *policy* on *diff* (pure).

    Args:
        policy: a validated policy.
        diff: the diff of the two audits.
        today: the date exceptions expire against (default: UTC today).

    Returns:
        A :class:`PolicyResult`; see :meth:`PolicyResult.exit_code`.
    """
    today = today or dt.datetime.now(dt.timezone.utc).date()
    violations: list[Violation] = []
    undecided: list[Undecided] = []
    notes: list[str] = []
    active = {}
    for exc in policy.exceptions:
        if exc.expires < today:
            notes.append(f"exception for {exc.package} ({', '.join(exc.rules)}) expired on {exc.expires.isoformat()}: {exc.reason}")
            violations.append(Violation("POL008", exc.package, f"policy exception for {exc.package} expired on {exc.expires.isoformat()}"))
            continue
        active.setdefault(exc.package, []).append(exc)

    def add(rule: str, delta: PackageDelta | None, message: str, package: str | None = None) -> None:
        name = delta.name if delta is not None else package
        waiver = next((e for e in active.get(name or "", []) if e.covers(rule)), None)
        violations.append(Violation(rule, name, message, delta.file if delta else None, delta.line if delta else None, waiver))

    def unknown(rule: str, delta: PackageDelta | None, value: Unknown) -> None:
        name = delta.name if delta else None
        if name and any(e.covers(rule) for e in active.get(name, [])):
            return
        if value.fault:
            undecided.append(Undecided(rule, name, value.reason))

    # whole-change rules
    if policy.max_people_increase is not None:
        before, after = diff.totals_before, diff.totals_after
        b_people, a_people = before.people, after.people
        if isinstance(b_people, Unknown) or isinstance(a_people, Unknown):
            # history not collected: people reachable = publish-capable accounts (a lower bound)
            b_people, a_people = before.maintainers, after.maintainers
        if isinstance(b_people, Unknown) or isinstance(a_people, Unknown):
            unknown("POL001", None, b_people if isinstance(b_people, Unknown) else a_people)  # type: ignore[arg-type]
        elif a_people - b_people > policy.max_people_increase:
            add("POL001", None, f"people reachable grow by {a_people - b_people} ({b_people} -> {a_people}); "
                                f"the policy allows {policy.max_people_increase}")
    if policy.max_new_maintainers is not None and len(diff.new_maintainers) > policy.max_new_maintainers:
        add("POL002", None, f"{len(diff.new_maintainers)} new publish-capable PyPI accounts; "
                            f"the policy allows {policy.max_new_maintainers}")

    for delta in diff.deltas:
        if delta.name in policy.allow:
            continue
        added = delta.change.kind == "added"
        if policy.require_source_repository and added:
            if delta.repository is None and delta.mapping_gap is not None:
                unknown("POL003", delta, delta.mapping_gap)
            elif delta.repository is None:
                add("POL003", delta, f"{delta.name} {delta.change.after or ''}: no public source repository is mapped".replace("  ", " "))
            elif delta.confidence != Confidence.VERIFIED and delta.confidence.rank > policy.min_repository_confidence.rank:
                add("POL003", delta, f"{delta.name}: repository {delta.repository} is mapped only with "
                                     f"{delta.confidence.value} confidence (policy: {policy.min_repository_confidence.value})")
        if policy.forbid_single_maintainer and added:
            single = delta.single_maintainer
            if isinstance(single, Unknown):
                unknown("POL004", delta, single)
            elif single:
                who = delta.maintainers[0] if not isinstance(delta.maintainers, Unknown) else "?"
                add("POL004", delta, f"{delta.name} {delta.change.after}: single publish-capable maintainer ({who}) and no organization")
        if policy.max_vulnerability_severity is not None:
            vulns = delta.vulnerabilities_added
            if isinstance(vulns, Unknown):
                unknown("POL005", delta, vulns)
            else:
                for v in vulns:
                    if _severity_above(v, policy.max_vulnerability_severity):
                        sev = v.severity.value if isinstance(v.severity, Severity) else "unrated"
                        add("POL005", delta, f"{delta.name} {delta.change.after}: {v.id} ({sev})")
        if policy.min_release_age_days is not None:
            age = delta.age_days
            if isinstance(age, Unknown):
                unknown("POL006", delta, age)
            elif age < policy.min_release_age_days:
                add("POL006", delta, f"{delta.name} {delta.change.after} was published {age:g} day(s) ago "
                                     f"(policy: at least {policy.min_release_age_days:g})")

        if policy.min_project_age_days is not None and added:
            page = delta.project_age_days
            if isinstance(page, Unknown):
                unknown("POL009", delta, page)
            elif page < policy.min_project_age_days:
                add("POL009", delta, f"{delta.name}: the project was first published {page:g} day(s) ago "
                                     f"(policy: at least {policy.min_project_age_days:g})")

    if policy.deny:
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
                except InvalidVersion:
                    hit = True
            if hit:
                delta = next((d for d in diff.deltas if d.name == name), None)
                if delta is None:
                    loc = next(((f, ln) for n, _v, f, ln in diff.head_packages if n == name), (None, None))
                    delta = PackageDelta(name=name, change=VersionChange(name, "unchanged", version, version),
                                         file=loc[0], line=loc[1])
                add("POL007", delta, f"{name} {version or ''} is denied by the policy ({entry})".replace("  ", " "), package=name)

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
