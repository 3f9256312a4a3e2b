"""The conda signal: feedstock recipes read through the fake GitHub contents API, AUD132/AUD133, the graph."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.collectors import RunContext
from auditor.judgement.conda import probe_conda
from auditor.models import CondaPackage, CondaRecord, Origin, Unknown, UnknownKind
from auditor.signals.conda import CondaCollector, apply_conda, parse_recipe, strip_jinja
from auditor.sources.conda import CONDA_PIP, CONDA_RECORDS
from tests.builders import package_node
from tests.fakes.forges import FakeForges, FakeRepo

CF = "https://conda.anaconda.org/conda-forge/"

META_YAML = """\
{% set name = "zlib" %}
{% set version = "1.3.1" %}
package:
  name: {{ name|lower }}
  version: {{ version }}
source:
  url: https://github.com/madler/zlib/releases/download/v{{ version }}/zlib-{{ version }}.tar.gz
  sha256: 9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23
build:
  number: 2
  run_exports:
    - {{ pin_subpackage('libzlib', max_pin='x') }}
requirements:
  build:
    - {{ compiler('c') }}  # [unix]
extra:
  recipe-maintainers:
    - groutr
    - msarahan
    - ocefpaf
    - "not a login!"
"""

RECIPE_YAML = """\
context:
  version: "2.32.3"
package:
  name: requests
  version: ${{ version }}
source:
  url: https://pypi.org/packages/source/r/requests/requests-${{ version }}.tar.gz
extra:
  recipe-maintainers:
    - jakirkham
    - conda-forge/core
"""


def rec(name: str, python_name: str | None = None, channel: str = CF) -> CondaRecord:
    return CondaRecord(name=name, version="1.0", build="h0_0", channel=channel, subdir="linux-64",
                       python_name=python_name, source="conda-meta")


def conda_node(name: str, **kw):
    node = package_node(name, "1.0", **kw)
    return replace(node, distribution=replace(node.distribution, origin=Origin(kind="conda", index_url=CF)))


def collect(forges, tmp_path, records, pip=None, **cfg):
    ctx = RunContext(forges.config(tmp_path, **cfg))
    try:
        ctx.memo[CONDA_RECORDS] = records
        ctx.memo[CONDA_PIP] = pip or {}
        return CondaCollector().collect(ctx, [conda_node(n) for n in records] + [package_node("plain", "1.0")])
    finally:
        ctx.close()


def test_strip_jinja_never_renders():
    assert strip_jinja("{% set x = 1 %}a: {{ x }}\nb: ${{ y }}\n{# c #}") == "a: JINJA\nb: JINJA\n"
    people, url = parse_recipe(META_YAML)
    assert people == ("groutr", "msarahan", "ocefpaf")  # a value that is not a login is dropped
    assert url.startswith("https://github.com/madler/zlib/releases/download/vJINJA/")


@pytest.mark.parametrize("text", ["- a list\n", "extra: {}\n", "a: [\n"])
def test_recipes_without_maintainers_are_errors(text):
    with pytest.raises(ValueError):
        parse_recipe(text)


def test_feedstock_recipes_maintainers_and_upstream(tmp_path):
    zlib = FakeRepo("github.com", "conda-forge/zlib-feedstock", "zlib", files=("recipe/meta.yaml",),
                    texts={"recipe/meta.yaml": META_YAML})
    requests = FakeRepo("github.com", "conda-forge/requests-feedstock", "requests", files=("recipe/recipe.yaml",),
                        texts={"recipe/recipe.yaml": RECIPE_YAML})
    with FakeForges([zlib, requests]) as f:
        out = collect(f, tmp_path, {"zlib": rec("zlib"), "requests": rec("requests", "requests"),
                                    "gone": rec("gone"), "mkl": rec("mkl", channel="https://conda.anaconda.org/intel")},
                      pip={"requests": "2.31.0"})
        asked = [s.path for s in f.github.seen]
    assert "plain" not in out  # not a conda package: no entry
    z = out["zlib"]
    assert z.feedstock == "https://github.com/conda-forge/zlib-feedstock"
    assert z.recipe_maintainers == ("groutr", "msarahan", "ocefpaf")
    assert z.upstream == "https://github.com/madler/zlib" and "recipe/meta.yaml" in z.evidence
    r = out["requests"]
    assert r.recipe_maintainers == ("jakirkham", "conda-forge/core") and r.upstream is None
    assert "PyPI mapping applies" in r.evidence and r.origins == ("conda", "pip") and r.pip_version == "2.31.0"
    gone = out["gone"].recipe_maintainers
    assert isinstance(gone, Unknown) and not gone.fault and gone.kind is UnknownKind.NOT_FOUND
    assert out["mkl"].feedstock is None and "channel intel" in out["mkl"].evidence
    assert "/api/v3/repos/conda-forge/zlib-feedstock/contents/recipe/meta.yaml" in asked
    assert not any("intel" in p or "mkl" in p for p in asked)


def test_github_turned_off_or_failing_is_unknown(tmp_path):
    zlib = FakeRepo("github.com", "conda-forge/zlib-feedstock", "zlib", files=("recipe/meta.yaml",),
                    texts={"recipe/meta.yaml": "extra:\n  recipe-maintainers: not-a-list\n"})
    with FakeForges([zlib]) as f:
        off = collect(f, tmp_path / "a", {"zlib": rec("zlib")}, disabled=frozenset({"github"}))
        bad = collect(f, tmp_path / "b", {"zlib": rec("zlib")})
    assert off["zlib"].recipe_maintainers.kind is UnknownKind.DISABLED and not off["zlib"].recipe_maintainers.fault
    assert bad["zlib"].recipe_maintainers.kind is UnknownKind.MALFORMED and bad["zlib"].recipe_maintainers.fault


def test_refiner_maps_a_node_without_repository_to_the_recipe_source():
    node = conda_node("zlib")
    node = replace(node, mapping=replace(node.mapping, repo=None))
    facts = CondaPackage(rec("zlib"), feedstock="https://github.com/conda-forge/zlib-feedstock",
                         upstream="https://github.com/madler/zlib")
    mapped = apply_conda(node, facts)
    assert mapped.mapping.repo.url == "https://github.com/madler/zlib"
    assert "conda-forge recipe source.url" in mapped.mapping.evidence
    assert apply_conda(mapped, replace(facts, upstream="https://github.com/other/x")) is mapped  # a repo is kept


def test_findings_aud132_and_aud133():
    facts = CondaPackage(rec("requests", "requests"), origins=("conda", "pip"), pip_version="2.31.0",
                         feedstock="https://github.com/conda-forge/requests-feedstock",
                         recipe_maintainers=("jakirkham", "conda-forge/core"), evidence="recipe")
    node = replace(conda_node("requests"), signals={"conda": facts})
    found = {f.id: f for f in probe_conda(node)}
    assert set(found) == {"AUD132", "AUD133"}
    assert "by pip (2.31.0)" in found["AUD132"].message and found["AUD132"].severity.value == "medium"
    assert "2 recipe maintainer(s) of conda-forge/requests-feedstock" in found["AUD133"].message
    unknown = replace(facts, origins=("conda",), recipe_maintainers=Unknown("offline"))
    assert probe_conda(replace(node, signals={"conda": unknown})) == []
