"""The judgement catalogue: every rule auditor applies, read from ``rules.yaml``.

One YAML file next to this module (as OpenSSF Scorecard keeps a probe's
``def.yml`` next to the probe) defines, once:

* **thresholds**: named values several rules share (``stale_after_days``,
  ``new_project_days``...), each with its unit and reasoning;
* **findings** (``AUD1xx``): id, name, title, default severity, motivation,
  remediation, docs anchor, the thresholds it uses;
* **policy rules** (``POL0xx``): id, name, the policy key that configures
  it, title, remediation, SARIF level, docs anchor;
* **factors** of the exposure score: default weight and parameters.

Scoring (:mod:`auditor.scoring.aggregate`), the finding probes
(:mod:`auditor.judgement.findings`), policy evaluation
(:mod:`auditor.gate.evaluate`), the diff flags (:mod:`auditor.gate.flags`)
and every report (SARIF ``tool.driver.rules``, Markdown, ``explain``) read
it through :func:`catalogue`.  Nothing here fetches or judges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping


from auditor.models import Severity
from auditor.data import load_yaml

#: The catalogue file, next to this module.
RULES_FILE = "rules.yaml"


@dataclass(frozen=True)
class Threshold:
    """A named value that rules share.

    Attributes:
        name: key in ``thresholds:`` (``"stale_after_days"``).
        value: the number (or confidence/severity name).
        unit: ``days``, ``confidence``...
        why: the reasoning and its source, one paragraph.
    """

    name: str
    value: Any
    unit: str
    why: str


@dataclass(frozen=True)
class Rule:
    """One rule: a finding (``AUD1xx``) or a policy rule (``POL0xx``).

    Attributes:
        id: stable id.
        kind: ``"finding"`` or ``"policy"``.
        name: kebab-case name (SARIF ``name``).
        title: one line (SARIF ``shortDescription``).
        remediation: what to do (SARIF ``help``).
        anchor: where the docs explain it (``docs/policy.md#rules``).
        severity: default severity of a finding (``None`` for policy rules).
        motivation: why it matters (findings; SARIF ``fullDescription``).
        key: the policy-file key that configures a policy rule.
        level: SARIF level of a failing policy rule (``error``/``warning``).
        thresholds: names of the :class:`Threshold` values it reads.
    """

    id: str
    kind: str
    name: str
    title: str
    remediation: str
    anchor: str
    severity: Severity | None = None
    motivation: str = ""
    key: str = ""
    level: str = "error"
    thresholds: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The title (the name policy rules used for it)."""
        return self.title

    @property
    def help(self) -> str:
        """The remediation (the name policy rules used for it)."""
        return self.remediation


@dataclass(frozen=True)
class Factor:
    """One factor of the exposure score.

    Attributes:
        name: the factor's ``NAME`` (``"maintainers"``).
        anchor: where ``docs/scoring.md`` explains it.
        defaults: ``weight`` and the factor's numeric parameters.
    """

    name: str
    anchor: str
    defaults: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    """Everything of ``rules.yaml`` (see the module docstring).

    Attributes:
        thresholds: ``{name: Threshold}``.
        findings: ``{id: Rule}`` of the findings, in id order.
        policy: ``{id: Rule}`` of the policy rules, in id order.
        factors: ``{name: Factor}`` in file order.
        hub_factors: the factors of a Hugging Face Hub repository's exposure (``scoring/hub.py``).
    """

    thresholds: Mapping[str, Threshold]
    findings: Mapping[str, Rule]
    policy: Mapping[str, Rule]
    factors: Mapping[str, Factor]
    hub_factors: Mapping[str, Factor] = field(default_factory=dict)

    def threshold(self, name: str) -> Any:
        """The value of threshold *name*.

        Raises:
            KeyError: no such threshold.
        """
        return self.thresholds[name].value

    def rule(self, rule_id: str) -> Rule:
        """The finding or policy rule *rule_id*.

        Raises:
            KeyError: no such rule.
        """
        return self.findings.get(rule_id) or self.policy[rule_id]


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def parse_catalogue(text: str) -> Catalogue:
    """Build a :class:`Catalogue` from the YAML *text* of ``rules.yaml``."""
    data = load_yaml(text)
    thresholds = {
        name: Threshold(name, entry["value"], entry.get("unit", ""), _text(entry.get("why")))
        for name, entry in data["thresholds"].items()
    }
    findings = {
        rid: Rule(
            id=rid, kind="finding", name=e["name"], title=e["title"], remediation=_text(e["remediation"]),
            anchor=e["anchor"], severity=Severity(e["severity"]), motivation=_text(e["motivation"]),
            thresholds=tuple(e.get("thresholds", ())),
        )
        for rid, e in sorted(data["findings"].items())
    }
    policy = {
        rid: Rule(
            id=rid, kind="policy", name=e["name"], title=_text(e["title"]), remediation=_text(e["remediation"]),
            anchor=e["anchor"], key=e["key"], level=e.get("level", "error"),
        )
        for rid, e in sorted(data["policy"].items())
    }
    factors = {
        name: Factor(name, e["anchor"], {k: v for k, v in e.items() if k != "anchor"})
        for name, e in data["factors"].items()
    }
    for rule in findings.values():
        for name in rule.thresholds:
            if name not in thresholds:
                raise ValueError(f"{rule.id} reads unknown threshold {name!r}")
    hub_factors = {
        name: Factor(name, e["anchor"], {k: v for k, v in e.items() if k != "anchor"})
        for name, e in (data.get("hub_factors") or {}).items()
    }
    return Catalogue(thresholds, findings, policy, factors, hub_factors)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue (``auditor/judgement/rules.yaml``), parsed once."""
    text = resources.files("auditor.judgement").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_catalogue(text)
