"""The conda signal: feedstock recipes read through the fake GitHub contents API, AUD132/AUD133, the graph."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from auditor.collectors import RunContext
from auditor.judgement.conda import probe_conda
from auditor.models import CondaPackage, CondaRecord, Confidence, Origin, Unknown, UnknownKind
from auditor.signals.conda import CondaCollector, apply_conda, parse_recipe, strip_jinja
from auditor.sources.conda import CONDA_PIP, CONDA_RECORDS
from tests.builders import package_node
from tests.fakes.forges import FakeForges, FakeRepo
from tests.fakes.server import Reply

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
    people, url, about = parse_recipe(META_YAML)
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


# -- conda-forge/feedstock-outputs: who may publish a name (real layout and shapes, checked 2026-08-22) ---------

def recipe(source: str, *people: str) -> str:
    return (f"{{% set version = \"1.0\" %}}\npackage:\n  name: x\nsource:\n  url: {source}\n"
            "outputs:\n  - name: {{ name }}\nextra:\n  recipe-maintainers:\n"
            + "".join(f"    - {p}\n" for p in people))


def registry(entries: dict[str, list[str]]) -> FakeRepo:
    """``conda-forge/feedstock-outputs`` as the fake GitHub contents API serves it (``outputs/X/Y/Z/NAME.json``)."""
    from auditor.signals.conda import outputs_path

    texts = {outputs_path(n): json.dumps({"feedstocks": f}) for n, f in entries.items()}
    return FakeRepo("github.com", "conda-forge/feedstock-outputs", "outputs", files=tuple(texts), texts=texts)


def feedstock(name: str, source: str, *people: str) -> FakeRepo:
    return FakeRepo("github.com", f"conda-forge/{name}-feedstock", name, files=("recipe/meta.yaml",),
                    texts={"recipe/meta.yaml": recipe(source, *people)})


@pytest.mark.parametrize("name, path", [  # paths as they are in the real repository
    ("libgcc", "outputs/l/i/b/libgcc.json"), ("r", "outputs/r/z/z/r.json"), ("go", "outputs/g/o/z/go.json"),
    ("_libgcc_mutex", "outputs/l/i/b/_libgcc_mutex.json"), ("python_abi", "outputs/p/y/t/python_abi.json"),
    ("7za", "outputs/7/z/a/7za.json"), ("PyTorch", "outputs/p/y/t/pytorch.json")])
def test_outputs_path_follows_the_registry_sharding(name, path):
    from auditor.signals.conda import outputs_path

    assert outputs_path(name) == path


@pytest.mark.parametrize("doc", [{}, {"feedstocks": []}, {"feedstocks": "numpy"}, {"feedstocks": ["../x"]},
                                 {"feedstocks": ["a"] * 9}, ["numpy"]])
def test_registry_answers_of_the_wrong_shape_are_errors(doc):
    from auditor.signals.conda import parse_outputs

    with pytest.raises(ValueError):
        parse_outputs(doc)


def test_multi_output_feedstocks_come_from_the_registry(tmp_path):
    gcc = "https://ftp.gnu.org/gnu/gcc/gcc-14.2.0/gcc-14.2.0.tar.gz"
    world = [
        registry({"libtorch": ["pytorch-cpu"], "pyarrow": ["pyarrow", "arrow-cpp"], "libgcc": ["m2w64-gcc-libs",
                  "ctng-compilers"], "libblas": ["blas", "lapack"], "zlib": ["zlib", "zlib-ng"]}),
        feedstock("pytorch-cpu", "https://github.com/pytorch/pytorch/releases/download/v2.5.1/pytorch-v2.5.1.tar.gz",
                  "hmaarrfk", "conda-forge/pytorch-cpu"),
        feedstock("pyarrow", "https://github.com/apache/arrow/archive/apache-arrow-18.0.0.tar.gz", "xhochy"),
        feedstock("arrow-cpp", "https://github.com/apache/arrow/archive/apache-arrow-18.0.0.tar.gz", "kou", "xhochy"),
        feedstock("ctng-compilers", gcc, "isuruf", "beckermr"),
        feedstock("m2w64-gcc-libs", "https://github.com/msys2/MINGW-packages/archive/1.tar.gz", "isuruf"),
        feedstock("blas", "https://github.com/Reference-LAPACK/lapack/archive/v3.12.0.tar.gz", "isuruf"),
        feedstock("lapack", "https://github.com/Reference-LAPACK/lapack/archive/v3.12.0.tar.gz", "jakirkham"),
        feedstock("zlib", "https://github.com/madler/zlib/releases/download/v1.3.1/zlib-1.3.1.tar.gz", "groutr"),
        feedstock("zlib-ng", "https://github.com/zlib-ng/zlib-ng/archive/2.2.2.tar.gz", "ocefpaf"),
    ]
    with FakeForges(world) as f:
        out = collect(f, tmp_path, {n: rec(n) for n in ("libtorch", "pyarrow", "libgcc", "libblas", "libcblas", "zlib",
                                                         "gone")})
        asked = [s.path for s in f.github.seen]
    torch = out["libtorch"]  # not libtorch-feedstock: an output of pytorch-cpu
    assert torch.feedstock == "https://github.com/conda-forge/pytorch-cpu-feedstock"
    assert torch.feedstock_confidence is Confidence.HIGH and torch.upstream == "https://github.com/pytorch/pytorch"
    assert torch.recipe_maintainers == ("hmaarrfk", "conda-forge/pytorch-cpu")
    assert "conda-forge/feedstock-outputs/outputs/l/i/b/libtorch.json" in torch.evidence
    arrow = out["pyarrow"]  # two feedstocks may publish it: the one named like it builds it; both sets of people can
    assert arrow.feedstock == "https://github.com/conda-forge/pyarrow-feedstock" and arrow.feedstock_confidence is Confidence.HIGH
    assert arrow.feedstocks[1] == "https://github.com/conda-forge/arrow-cpp-feedstock"
    assert arrow.recipe_maintainers == ("xhochy", "kou")
    gcc_ = out["libgcc"]  # neither is named like it: the first not named for Windows, at medium confidence
    assert gcc_.feedstock == "https://github.com/conda-forge/ctng-compilers-feedstock"
    assert gcc_.feedstock_confidence is Confidence.MEDIUM and gcc_.recipe_maintainers == ("isuruf", "beckermr")
    assert gcc_.upstream is None and "does not say which" in gcc_.evidence
    blas = out["libblas"]  # both feedstocks build from one repository: that is the upstream
    assert blas.upstream == "https://github.com/reference-lapack/lapack" and blas.feedstock_confidence is Confidence.MEDIUM
    assert out["zlib"].upstream == "https://github.com/madler/zlib"  # named like the package: zlib-ng's source is not
    cblas = out["libcblas"].recipe_maintainers  # not in the registry: the convention's guess, which fails here
    assert out["libcblas"].feedstock_confidence is Confidence.LOW and "guessed" in out["libcblas"].evidence
    assert isinstance(cblas, Unknown) and cblas.kind is UnknownKind.NOT_FOUND and not cblas.fault
    assert sum(p.endswith("/blas-feedstock/contents/recipe/meta.yaml") for p in asked) == 1  # read once per run
    assert "/api/v3/repos/conda-forge/feedstock-outputs/contents/outputs/l/i/b/libgcc.json" in asked


def test_registry_failure_is_unknown_not_a_guess(tmp_path):
    world = [registry({"libtorch": ["pytorch-cpu"]}), feedstock("libtorch", "https://github.com/x/y/a.tar.gz", "a")]
    with FakeForges(world) as f:
        f.github.script("/api/v3/repos/conda-forge/feedstock-outputs/contents/outputs/l/i/b/libtorch.json",
                        Reply(500, {"message": "Server Error"}))
        out = collect(f, tmp_path, {"libtorch": rec("libtorch")})
    torch = out["libtorch"]
    assert isinstance(torch.feedstock, Unknown) and torch.feedstock.fault and torch.feedstocks == ()
    assert isinstance(torch.recipe_maintainers, Unknown) and torch.upstream is None
    assert torch.faults() == [("feedstock", torch.feedstock.reason, torch.feedstock.kind.value)]  # listed once in "missing"
    node = replace(conda_node("libtorch"), signals={"conda": torch})
    assert probe_conda(node) == []


def test_upstream_from_the_recipe_about_links_when_the_source_is_a_plain_tarball(tmp_path):
    # as in pytorch-cpu-feedstock (source on download.pytorch.org, about.dev_url on GitHub) and blas-feedstock
    # (about.home is the feedstock itself, never an upstream)
    from auditor.signals.conda import recipe_upstream

    torch_recipe = ("source:\n  url: https://download.pytorch.org/source_code/test/pytorch-v{{ version }}.tar.gz\n"
                    "about:\n  home: https://pytorch.org/\n  dev_url: https://github.com/pytorch/pytorch\n"
                    "extra:\n  recipe-maintainers:\n    - hmaarrfk\n")
    assert recipe_upstream(parse_recipe(torch_recipe)) == ("about.dev_url", "https://github.com/pytorch/pytorch")
    own = "source:\n  url: https://example.org/x.tar.gz\nabout:\n  home: https://github.com/conda-forge/blas-feedstock\n" \
          "extra:\n  recipe-maintainers: [a]\n"
    assert recipe_upstream(parse_recipe(own)) is None
    world = [registry({"libtorch": ["pytorch-cpu"]}),
             FakeRepo("github.com", "conda-forge/pytorch-cpu-feedstock", "x", files=("recipe/meta.yaml",),
                      texts={"recipe/meta.yaml": torch_recipe})]
    with FakeForges(world) as f:
        out = collect(f, tmp_path, {"libtorch": rec("libtorch")})
    torch = out["libtorch"]
    assert torch.upstream == "https://github.com/pytorch/pytorch" and torch.upstream_field == "about.dev_url"
    node = replace(conda_node("libtorch"), mapping=replace(conda_node("libtorch").mapping, repo=None))
    mapped = apply_conda(node, torch)
    assert mapped.mapping.confidence is Confidence.LOW and "about.dev_url" in mapped.mapping.evidence


@pytest.mark.parametrize("package, listed, subdir, chosen", [  # the registry's real entries
    ("libgcc", ("m2w64-gcc-libs", "ctng-compilers"), "linux-64", "ctng-compilers"),
    ("libgcc", ("m2w64-gcc-libs", "ctng-compilers"), "win-64", "m2w64-gcc-libs"),
    ("libgfortran5", ("gfortran_impl_osx-64", "ctng-compilers", "m2w64-gcc-libs"), "linux-aarch64", "ctng-compilers"),
    ("libgfortran5", ("gfortran_impl_osx-64", "ctng-compilers", "m2w64-gcc-libs"), "osx-arm64", "gfortran_impl_osx-64"),
    ("pyarrow", ("pyarrow", "arrow-cpp"), "linux-64", "pyarrow"),
    ("libzlib", ("zlib", "zlib-ng"), "linux-64", "zlib"),
    ("libgcc", ("m2w64-gcc-libs", "ctng-compilers"), "", "m2w64-gcc-libs")])
def test_the_feedstock_shown_for_a_name_several_may_upload(package, listed, subdir, chosen):
    from auditor.signals.conda import primary_feedstock

    assert primary_feedstock(package, listed, subdir) == chosen
