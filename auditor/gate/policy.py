"""Policies for ``auditor diff``: load and validate the YAML.

A policy is a YAML document (schema in ``docs/policy.md``; the shipped
default is ``auditor/data/default-policy.yml``).  Loading validates every
key and type and raises :class:`~auditor.errors.ConfigError` naming the
file, the line and the key.  Evaluation is :mod:`auditor.gate.evaluate`.

Rule ids are stable (``POL001``...) and shared by every output format
(SARIF ``ruleId``, Markdown, JSON); their documentation is in the judgement
catalogue (``auditor/judgement/rules.yaml``, :data:`RULES`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from auditor.errors import ConfigError
from auditor.judgement.catalogue import Rule, catalogue
from auditor.models import Confidence, Severity

#: Policy file format version this code reads.
POLICY_VERSION = 1

DEFAULT_POLICY = "default-policy.yml"


#: The policy rules (``POL0xx``) of the judgement catalogue, in id order:
#: id, name, the policy key that configures each, title, remediation, SARIF level.
RULES: dict[str, Rule] = dict(catalogue().policy)

_CONFIDENCES = [c.value for c in Confidence if c is not Confidence.NONE]
_SEVERITIES = [s.value for s in Severity if s is not Severity.INFO]

#: ``rules:`` keys -> (python types accepted, human type name, validator or None).
_RULE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "max_people_increase": ((int,), "a non-negative integer or null"),
    "max_new_maintainers": ((int,), "a non-negative integer or null"),
    "require_source_repository": ((bool,), "true or false"),
    "min_repository_confidence": ((str,), f"one of {', '.join(_CONFIDENCES)}"),
    "forbid_single_maintainer": ((bool,), "true or false"),
    "max_vulnerability_severity": ((str,), f"one of {', '.join(_SEVERITIES)} or null"),
    "min_release_age_days": ((int, float), "a non-negative number of days or null"),
    "min_project_age_days": ((int, float), "a non-negative number of days or null"),
    "pin_hub_repositories": ((bool,), "true or false"),
    "forbid_hub_code_on_load": ((bool,), "true or false"),
}
_TOP_KEYS = ("version", "rules", "allow", "deny", "licenses", "exceptions")
_LICENSE_KEYS = ("allow", "deny")
_EXCEPTION_KEYS = ("package", "rules", "reason", "expires")


@dataclass(frozen=True)
class PolicyException:
    """A per-package waiver.

    Attributes:
        package: PEP 503 name.
        rules: rule ids waived, or ``("all",)``.
        reason: why (required).
        expires: last day the exception applies (inclusive).
    """

    package: str
    rules: tuple[str, ...]
    reason: str
    expires: dt.date

    def covers(self, rule_id: str) -> bool:
        """Whether this exception waives *rule_id*."""
        return "all" in self.rules or rule_id in self.rules


@dataclass(frozen=True)
class Policy:
    """A validated policy (see ``docs/policy.md``; ``None`` turns a rule off).

    Attributes:
        source: where it was loaded from (path, or ``"default"``).
        max_people_increase / max_new_maintainers: limits on growth.
        require_source_repository / min_repository_confidence: repository rule.
        forbid_single_maintainer: single-maintainer rule.
        max_vulnerability_severity: highest severity tolerated.
        min_release_age_days: minimum age of new versions.
        min_project_age_days: minimum age of new packages' projects.
        pin_hub_repositories / forbid_hub_code_on_load: the Hugging Face Hub rules (docs/models.md).
        allow / deny: package names (deny also takes PEP 508 requirement strings).
        license_allow: canonical SPDX ids (or ``ID WITH EXCEPTION``) a licence may use; ``None``: no allow list.
        license_deny: canonical SPDX ids (or ``ID WITH EXCEPTION``) a licence must be usable without.
        exceptions: per-package waivers.
    """

    source: str = "default"
    max_people_increase: int | None = None
    max_new_maintainers: int | None = None
    require_source_repository: bool = False
    min_repository_confidence: Confidence = Confidence.LOW
    forbid_single_maintainer: bool = False
    max_vulnerability_severity: Severity | None = None
    min_release_age_days: float | None = None
    min_project_age_days: float | None = None
    pin_hub_repositories: bool = False
    forbid_hub_code_on_load: bool = False
    allow: frozenset[str] = frozenset()
    deny: tuple[str, ...] = ()
    license_allow: tuple[str, ...] | None = None
    license_deny: tuple[str, ...] = ()
    exceptions: tuple[PolicyException, ...] = ()


# --------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    lines = {}
    for key_node, _value in node.value:
        try:
            lines[loader.construct_object(key_node)] = key_node.start_mark.line + 1
        except TypeError:
            continue
    mapping_with_lines = _Lined(mapping)
    mapping_with_lines.lines = lines
    mapping_with_lines.line = node.start_mark.line + 1
    return mapping_with_lines


class _Lined(dict):
    lines: dict
    line: int


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _err(source: str, message: str, line: int | None = None) -> ConfigError:
    where = f"{source}:{line}: " if line else f"{source}: "
    return ConfigError(f"{where}{message}")


def _line(mapping: Any, key: str | None = None) -> int | None:
    if isinstance(mapping, _Lined):
        return mapping.lines.get(key, mapping.line) if key is not None else mapping.line
    return None


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and validate a policy file; the shipped default when *path* is None.

    Raises:
        ConfigError: unreadable file, invalid YAML, unknown key, wrong type,
            bad date, unknown rule id (one line naming file, line and key).
    """
    if path is None:
        text = resources.files("auditor.data").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")
        return parse_policy(text, "default policy")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _err(str(p), f"cannot read policy: {getattr(exc, 'strerror', None) or exc}") from exc
    return parse_policy(text, str(p))


def parse_policy(text: str, source: str = "policy") -> Policy:
    """Validate the YAML *text* of a policy (see :func:`load_policy`)."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _err(source, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from exc
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise _err(source, "a policy must be a mapping of keys (version, rules, allow, deny, exceptions)")
    for key in doc:
        if key not in _TOP_KEYS:
            raise _err(source, f"unknown key {key!r} (allowed: {', '.join(_TOP_KEYS)})", _line(doc, key))
    version = doc.get("version", POLICY_VERSION)
    if version != POLICY_VERSION:
        raise _err(source, f"'version' must be {POLICY_VERSION}, got {version!r}", _line(doc, "version"))

    rules = doc.get("rules") or {}
    if not isinstance(rules, dict):
        raise _err(source, "'rules' must be a mapping", _line(doc, "rules"))
    values: dict[str, Any] = {}
    for key, value in rules.items():
        if key not in _RULE_KEYS:
            raise _err(source, f"unknown rule key 'rules.{key}' (allowed: {', '.join(_RULE_KEYS)})", _line(rules, key))
        types, described = _RULE_KEYS[key]
        if value is None and key not in ("require_source_repository", "forbid_single_maintainer", "min_repository_confidence",
                                         "pin_hub_repositories", "forbid_hub_code_on_load"):
            values[key] = None
            continue
        if not isinstance(value, types) or (bool in types) != isinstance(value, bool):
            raise _err(source, f"'rules.{key}' must be {described}, got {value!r}", _line(rules, key))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise _err(source, f"'rules.{key}' must be {described}, got {value!r}", _line(rules, key))
        if key == "min_repository_confidence":
            if value not in _CONFIDENCES:
                raise _err(source, f"'rules.{key}' must be {described}, got {value!r}", _line(rules, key))
            value = Confidence(value)
        if key == "max_vulnerability_severity":
            if value not in _SEVERITIES:
                raise _err(source, f"'rules.{key}' must be {described}, got {value!r}", _line(rules, key))
            value = Severity(value)
        values[key] = value

    license_allow, license_deny = _licenses(doc, source)
    allow = _names(doc, "allow", source, requirements=False)
    deny = _names(doc, "deny", source, requirements=True)
    exceptions = []
    raw_exc = doc.get("exceptions") or []
    if not isinstance(raw_exc, list):
        raise _err(source, "'exceptions' must be a list", _line(doc, "exceptions"))
    for i, item in enumerate(raw_exc):
        where = f"exceptions[{i}]"
        if not isinstance(item, dict):
            raise _err(source, f"'{where}' must be a mapping with package, rules, reason, expires", _line(doc, "exceptions"))
        for key in item:
            if key not in _EXCEPTION_KEYS:
                raise _err(source, f"unknown key '{where}.{key}' (allowed: {', '.join(_EXCEPTION_KEYS)})", _line(item, key))
        for key in ("package", "reason", "expires"):
            if key not in item:
                raise _err(source, f"'{where}' needs '{key}'", _line(item))
        if not isinstance(item["package"], str) or not item["package"].strip():
            raise _err(source, f"'{where}.package' must be a package name", _line(item, "package"))
        if not isinstance(item["reason"], str) or not item["reason"].strip():
            raise _err(source, f"'{where}.reason' must be a non-empty string", _line(item, "reason"))
        expires = item["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                pass
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            raise _err(source, f"'{where}.expires' must be a date (YYYY-MM-DD), got {item['expires']!r}", _line(item, "expires"))
        rule_ids = item.get("rules", ["all"])
        if isinstance(rule_ids, str):
            rule_ids = [rule_ids]
        if not isinstance(rule_ids, list) or not all(isinstance(r, str) for r in rule_ids):
            raise _err(source, f"'{where}.rules' must be a list of rule ids", _line(item, "rules"))
        for r in rule_ids:
            if r != "all" and r not in RULES:
                raise _err(source, f"'{where}.rules': unknown rule id {r!r} (known: {', '.join(RULES)}, all)", _line(item, "rules"))
        exceptions.append(PolicyException(str(canonicalize_name(item["package"])), tuple(rule_ids), item["reason"].strip(), expires))
    return Policy(source=source, allow=frozenset(allow), deny=tuple(deny), license_allow=license_allow,
                  license_deny=license_deny, exceptions=tuple(exceptions), **values)


def _licenses(doc: Mapping[str, Any], source: str) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """``licenses: {allow: [...], deny: [...]}``: SPDX ids, canonicalised (docs/policy.md#licences)."""
    from auditor.dist.licenses import Term, canonical, parse

    table = doc.get("licenses")
    if table is None:
        return None, ()
    if not isinstance(table, dict):
        raise _err(source, "'licenses' must be a mapping with allow and/or deny", _line(doc, "licenses"))
    out: dict[str, tuple[str, ...] | None] = {"allow": None, "deny": ()}
    for key, items in table.items():
        if key not in _LICENSE_KEYS:
            raise _err(source, f"unknown key 'licenses.{key}' (allowed: allow, deny)", _line(table, key))
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise _err(source, f"'licenses.{key}' must be a list of SPDX licence ids", _line(table, key))
        ids = []
        for item in items:
            try:
                term = parse(canonical(item))
            except ValueError as exc:
                raise _err(source, f"'licenses.{key}': {item!r} is not an SPDX licence id ({exc})", _line(table, key)) from None
            if not isinstance(term, Term):
                raise _err(source, f"'licenses.{key}': {item!r} is an expression; list single licence ids "
                                   "(optionally 'ID WITH EXCEPTION')", _line(table, key))
            ids.append(str(term))
        out[key] = tuple(ids)
    return out["allow"], out["deny"] or ()


def _names(doc: Mapping[str, Any], key: str, source: str, requirements: bool) -> list[str]:
    items = doc.get(key) or []
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise _err(source, f"'{key}' must be a list of package names", _line(doc, key))
    out = []
    for x in items:
        try:
            req = Requirement(x)
        except InvalidRequirement as exc:
            raise _err(source, f"'{key}': invalid package name or requirement {x!r} ({exc})", _line(doc, key)) from exc
        if not requirements and (req.specifier or req.marker or req.extras or req.url):
            raise _err(source, f"'{key}' takes package names only, got {x!r}", _line(doc, key))
        out.append(str(canonicalize_name(req.name)) if not requirements else str(req))
    return out
