"""Findings on conda packages (docs/conda.md): AUD132 and AUD133.

Pure: reads the ``conda`` signal (:class:`~auditor.models.CondaPackage`,
collected by :mod:`auditor.signals.conda`) and never fetches.  Rule text and
severities come from ``rules.yaml``.
"""

from __future__ import annotations

from auditor.judgement.catalogue import catalogue
from auditor.models import CondaPackage, Confidence, Finding, PackageNode


def _finding(rule_id: str, node: PackageNode, message: str, evidence: str) -> Finding:
    rule = catalogue().findings[rule_id]
    return Finding(id=rule.id, severity=rule.severity, message=message, package=node.name, evidence=evidence)


def probe_conda(node: PackageNode) -> list[Finding]:
    """AUD132 when conda and pip both installed the distribution; AUD133 naming a conda-forge feedstock's
    recipe maintainers (the people who can publish the package there)."""
    facts = node.signal(CondaPackage)
    if not isinstance(facts, CondaPackage):
        return []
    out = []
    rec = facts.record
    channel = rec.channel_name or "an unnamed channel"
    if "pip" in facts.origins:
        out.append(_finding("AUD132", node, f"{node.name} is installed by conda ({rec.name} {rec.version or '?'} "
                                            f"{rec.build}, {channel}) and by pip ({facts.pip_version}) in the same "
                                            "environment: the files on disk are whichever installer wrote last",
                            f"conda-meta record and a *.dist-info without INSTALLER 'conda' ({rec.source})"))
    people = facts.recipe_maintainers
    if isinstance(facts.feedstock, str) and isinstance(people, tuple) and people:
        shown = ", ".join(people[:10]) + (f" and {len(people) - 10} more" if len(people) > 10 else "")
        where = ", ".join(f.removeprefix("https://github.com/") for f in facts.feedstocks or (facts.feedstock,))
        guess = " (a feedstock guessed from conda-forge's naming convention)" if facts.feedstock_confidence is \
            Confidence.LOW else ""
        out.append(_finding("AUD133", node, f"{node.name} comes from conda-forge: {len(people)} recipe maintainer(s) "
                                            f"of {where}{guess} can publish it ({shown})", facts.evidence))
    return out
