"""The declared-licence signal (dist/licenses.py, signals/license.py), findings AUD151-AUD153 and policy POL016/POL017."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from auditor.dist.licenses import CLASSIFIERS, Combined, Term, canonical, declared_license, parse, satisfiable, terms
from auditor.dist.metadata import parse_core_metadata
from auditor.gate import Verdict, diff_audits, evaluate, parse_policy
from auditor.judgement.findings import probe_license
from auditor.models import CoreMetadata, DeclaredLicense, Unknown
from auditor.signals.license import node_license
from tests.builders import diff_node, package_node, view
from tests.test_diff import NOW

TODAY = NOW.date()


def meta(**kw) -> CoreMetadata:
    return CoreMetadata("pkg", "1.0", **kw)


def test_license_expression_is_canonicalised():
    lic = declared_license(meta(license_expression="mit or apache-2.0 WITH llvm-exception"))
    assert lic == DeclaredLicense("MIT OR Apache-2.0 WITH LLVM-exception", ("Apache-2.0", "MIT"), "License-Expression",
                                  "mit or apache-2.0 WITH llvm-exception")


def test_invalid_expression_is_kept_and_said():
    lic = declared_license(meta(license_expression="MIT OR Nonsense-9"))
    assert lic.expression is None and lic.source == "License-Expression" and "not a valid SPDX" in lic.problem


def test_legacy_license_field_when_it_is_spdx_else_classifiers_else_text():
    assert declared_license(meta(license="BSD-3-Clause")).expression == "BSD-3-Clause"
    lic = declared_license(meta(license="BSD", license_classifiers=("License :: OSI Approved :: MIT License",)))
    assert (lic.expression, lic.source) == ("MIT", "classifiers")
    lic = declared_license(meta(license="Copyright (c) someone. All rights reserved."))
    assert lic.expression is None and lic.source == "License" and "free text" in lic.problem


def test_vague_and_several_classifiers_state_no_expression():
    lic = declared_license(meta(license_classifiers=("License :: OSI Approved :: BSD License",)))
    assert lic.expression is None and lic.ids == () and "names no single SPDX licence" in lic.problem
    lic = declared_license(meta(license_classifiers=("License :: OSI Approved :: MIT License",
                                                     "License :: OSI Approved :: GNU General Public License v3 (GPLv3)")))
    assert lic.expression is None and lic.ids == ("GPL-3.0-only", "MIT") and "several" in lic.problem


def test_nothing_declared():
    lic = declared_license(meta())
    assert lic.declared_nothing and lic.expression is None and "no licence declared" in lic.problem


def test_every_mapped_classifier_is_a_valid_spdx_id():
    for classifier, spdx in CLASSIFIERS.items():
        assert canonical(spdx) == spdx, classifier


def test_core_metadata_reads_the_fields():
    text = ("Metadata-Version: 2.4\nName: pkg\nVersion: 1.0\nLicense-Expression: MIT\n"
            "Classifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n")
    m = parse_core_metadata(text)
    assert m.license_expression == "MIT" and m.license_classifiers == ("License :: OSI Approved :: MIT License",)


def test_parse_precedence_with_and_or():
    tree = parse(canonical("MIT OR Apache-2.0 AND BSD-3-Clause WITH Classpath-exception-2.0"))
    assert tree == Combined("OR", (Term("MIT"), Combined("AND", (Term("Apache-2.0"),
                                                                 Term("BSD-3-Clause", "Classpath-exception-2.0")))))
    assert [str(t) for t in terms(tree)] == ["MIT", "Apache-2.0", "BSD-3-Clause WITH Classpath-exception-2.0"]


IDS = st.sampled_from(["MIT", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause", "ISC"])


@st.composite
def expressions(draw, depth=0):
    if depth > 2 or draw(st.booleans()):
        return draw(IDS)
    op = draw(st.sampled_from([" AND ", " OR "]))
    return "(" + op.join(draw(st.lists(expressions(depth=depth + 1), min_size=2, max_size=3))) + ")"


@given(expressions(), st.sets(IDS))
def test_satisfiable_matches_brute_force(expression, accepted):
    tree = parse(expression)  # the generated expressions are canonical already

    def choices(node):  # every set of licences one may end up using
        if isinstance(node, Term):
            return [{node.id}]
        if node.op == "OR":
            return [c for part in node.parts for c in choices(part)]
        out = [set()]
        for part in node.parts:
            out = [a | b for a in out for b in choices(part)]
        return out

    expected = any(c <= accepted for c in choices(tree))
    assert satisfiable(tree, lambda t: t.id in accepted) is expected


def lic_node(name, version, expression=None, **kw):
    lic = declared_license(meta(license_expression=expression, **kw))
    return diff_node(name, version, maintainers=("a", "b"), signals={"license": lic})


POLICY = """
licenses:
  allow: [MIT, Apache-2.0, BSD-3-Clause, apache-2.0 WITH LLVM-exception]
  deny: [GPL-3.0-only, AGPL-3.0-or-later]
"""


@pytest.mark.parametrize("expression, rules", [
    ("MIT", set()),
    ("MIT OR GPL-3.0-only", set()),                  # the user may choose MIT
    ("MIT AND GPL-3.0-only", {"POL016", "POL017"}),  # GPL cannot be avoided
    ("GPL-3.0-only OR AGPL-3.0-or-later", {"POL016", "POL017"}),
    ("ISC", {"POL017"}),                              # not denied, not allowed
    ("ISC OR Apache-2.0", set()),
    ("GPL-2.0-only WITH Classpath-exception-2.0", {"POL017"}),
])
def test_policy_allow_and_deny_semantics(expression, rules):
    h = view("h", lic_node("x", "1.0", expression))
    result = evaluate(parse_policy(POLICY), diff_audits(view("b"), h, now=NOW), today=TODAY)
    assert {v.rule for v in result.violations} == rules
    if rules:
        assert result.verdict is Verdict.FAIL


def test_policy_with_exception_listed():
    h = view("h", lic_node("x", "1.0", "Apache-2.0 WITH LLVM-exception"))
    assert not evaluate(parse_policy(POLICY), diff_audits(view("b"), h, now=NOW), today=TODAY).violations
    policy = parse_policy("licenses: {allow: [MIT, 'Apache-2.0 WITH LLVM-exception']}")
    assert not evaluate(policy, diff_audits(view("b"), h, now=NOW), today=TODAY).violations
    h = view("h", lic_node("x", "1.0", "Apache-2.0"))
    assert evaluate(policy, diff_audits(view("b"), h, now=NOW), today=TODAY).violations


def test_unclear_licence_is_undecided_and_unchanged_licence_is_not_judged():
    h = view("h", lic_node("x", "1.0", license_classifiers=("License :: OSI Approved :: BSD License",)))
    result = evaluate(parse_policy(POLICY), diff_audits(view("b"), h, now=NOW), today=TODAY)
    assert result.verdict is Verdict.INCOMPLETE and {u.rule for u in result.undecided} == {"POL016", "POL017"}
    several = view("h", lic_node("x", "1.0", license_classifiers=(
        "License :: OSI Approved :: MIT License", "License :: OSI Approved :: GNU General Public License v3 (GPLv3)")))
    result = evaluate(parse_policy(POLICY), diff_audits(view("b"), several, now=NOW), today=TODAY)
    assert {v.rule for v in result.violations} == {"POL016", "POL017"}  # read as if both applied
    b = view("b", lic_node("x", "0.9", "ISC"))
    h = view("h", lic_node("x", "1.0", "ISC"))
    assert not evaluate(parse_policy(POLICY), diff_audits(b, h, now=NOW), today=TODAY).violations
    assert not evaluate(parse_policy("{}"), diff_audits(view("b"), view("h", lic_node("x", "1.0", "ISC")), now=NOW),
                        today=TODAY).violations  # no lists, no judgement


@pytest.mark.parametrize("text, words", [
    ("licenses: [MIT]", "'licenses' must be a mapping"),
    ("licenses: {allow: [Nonsense-1]}", "not an SPDX licence id"),
    ("licenses: {allow: ['MIT OR ISC']}", "is an expression"),
    ("licenses: {permit: [MIT]}", "unknown key 'licenses.permit'"),
    ("licenses:\n  deny: MIT\n", "policy:2: 'licenses.deny' must be a list"),
])
def test_policy_licence_lists_are_validated(text, words):
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace("[", r"\[")):
        parse_policy(text, "policy")


def test_findings_and_the_collector():
    def node_with(m):
        n = package_node("pkg", "1.0", metadata=m)
        return n.__class__(**{**n.__dict__, "signals": {"license": node_license(n)}})

    assert [f.id for f in probe_license(node_with(meta()))] == ["AUD151"]
    assert [f.id for f in probe_license(node_with(meta(license_expression="Foo-1")))] == ["AUD152"]
    assert [f.id for f in probe_license(node_with(meta(license="see LICENSE")))] == ["AUD153"]
    assert probe_license(node_with(meta(license_expression="MIT"))) == []
    unknown = node_license(package_node("pkg", "1.0", metadata=Unknown("HTTP 503")))
    assert isinstance(unknown, Unknown) and not unknown.fault


def test_memo_rows_from_before_the_licence_fields_are_read_again():
    import dataclasses

    from auditor.net.pypi import metadata_from_json

    row = dataclasses.asdict(meta(license_classifiers=("License :: OSI Approved :: MIT License",)))
    assert metadata_from_json(row).license_classifiers == ("License :: OSI Approved :: MIT License",)
    del row["license_classifiers"], row["license_expression"]
    assert metadata_from_json(row) is None  # not "no licence": fetched again
