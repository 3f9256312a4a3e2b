"""Mapping rules added for issue 12: forges by URL structure, GitHub Pages, description
links, subdirectories (other URLs of the same repository, the layout table), the curated
table's format, and the AUD110 wording."""

from __future__ import annotations

import re

import pytest

from auditor.models import Confidence, CoreMetadata, Distribution, Ownership, PyPIProject, Unknown
from auditor.repos.mapping import known_table, layout_subdirectory, layout_table, map_repository, name_match
from auditor.repos.urls import canonical_repository, forge_kind, github_pages_repository


def dist(name="pkg", **kw):
    return Distribution(name, "1.0", CoreMetadata(kw.pop("meta_name", name), "1.0", **kw))


def project(name="pkg", **kw):
    return PyPIProject(name=name, ownership=Ownership(None, ()), **kw)


@pytest.mark.parametrize("url,expected", [
    ("https://foss.heptapod.net/openpyxl/openpyxl", "https://foss.heptapod.net/openpyxl/openpyxl"),
    ("https://foss.heptapod.net/openpyxl/et_xmlfile/-/issues", "https://foss.heptapod.net/openpyxl/et_xmlfile"),
    ("https://gitlab.gnome.org/GNOME/pygobject/-/tree/main/gi", "https://gitlab.gnome.org/gnome/pygobject"),
    ("https://sourceforge.net/p/docutils/code/HEAD/tree/trunk/docutils/", "https://sourceforge.net/p/docutils/code"),
    ("https://sourceforge.net/projects/ruamel-yaml", "https://sourceforge.net/p/ruamel-yaml/code"),
    ("https://code.launchpad.net/beautifulsoup/", "https://git.launchpad.net/beautifulsoup"),
    ("https://git.launchpad.net/beautifulsoup/tree/CHANGELOG", "https://git.launchpad.net/beautifulsoup"),
    ("https://gitea.example.org/o/r/src/branch/main/pkg", "https://gitea.example.org/o/r"),
    ("https://codeberg.org/ltworf/typedload", "https://codeberg.org/ltworf/typedload"),
    ("https://git.example.org/cgit/tool.git/tree/", "https://git.example.org/cgit/tool"),
    ("https://git.kernel.org/pub/scm/utils/b4/b4.git/about/", "https://git.kernel.org/pub/scm/utils/b4/b4"),
    ("https://launchpad.net/~someone", None),
    ("https://docs.example.org/x", None),
])
def test_forges_by_url_structure(url, expected):
    ref = canonical_repository(url)
    assert (ref.url if ref else None) == expected


def test_subdirectories_of_self_hosted_forges_and_file_links():
    assert canonical_repository("https://gitlab.gnome.org/GNOME/pygobject/-/tree/main/gi").subpath == "gi"
    assert canonical_repository("https://gitea.example.org/o/r/src/branch/main/pkg/x").subpath == "pkg/x"
    assert canonical_repository("https://github.com/a/b/blob/main/pkgs/x/README.md").subpath == "pkgs/x"
    assert canonical_repository("https://github.com/a/b/blob/main/README.md").subpath is None
    assert forge_kind("heptapod.example.org") == "gitlab" and forge_kind("example.org") is None


def test_github_pages_rule():
    assert github_pages_repository("https://grpc.github.io/grpc/python/x.html").url == "https://github.com/grpc/grpc"
    assert github_pages_repository("https://someone.github.io/") is None
    assert github_pages_repository("https://a.b.github.io/x") is None
    m = map_repository(dist("grpcio-status", project_urls=(("Documentation", "https://grpc.github.io/grpc/python/s.html"),
                                                           ("Homepage", "https://grpc.io"))), Unknown("x"))
    assert m.repo.url == "https://github.com/grpc/grpc" and m.confidence == Confidence.LOW
    assert m.repo.subpath == "src/python/grpcio_status" and m.rule == "github-pages+layout"


def test_description_links_matching_the_name():
    links = ("https://github.com/angr/angr", "https://github.com/grantjenks/python-sortedcontainers/issues")
    m = map_repository(dist("sortedcontainers"), project("sortedcontainers", description_links=links))
    assert m.repo.url == "https://github.com/grantjenks/python-sortedcontainers"
    assert m.rule == "description-link" and m.confidence == Confidence.MEDIUM


def test_description_links_to_other_projects_are_not_taken():
    m = map_repository(dist("rich-widgets"), project("rich-widgets", description_links=("https://github.com/Textualize/rich",)))
    assert m.repo is None and m.note == "no repository found"


def test_name_match():
    ref = canonical_repository
    assert name_match(ref("https://github.com/x/llama_parse"), "llama-parse") == Confidence.MEDIUM
    assert name_match(ref("https://git.launchpad.net/beautifulsoup"), "beautifulsoup4") == Confidence.MEDIUM
    assert name_match(ref("https://github.com/d/databricks-sdk-py"), "databricks-sdk") == Confidence.MEDIUM
    assert name_match(ref("https://github.com/j/nbconvert-examples"), "nbconvert") == Confidence.LOW
    assert name_match(ref("https://github.com/t/rich"), "rich-toolkit") is None


def test_subdirectory_from_another_url_of_the_same_repository():
    m = map_repository(dist("opentelemetry-sdk", project_urls=(
        ("Homepage", "https://github.com/open-telemetry/opentelemetry-python/tree/main/opentelemetry-sdk"),
        ("Repository", "https://github.com/open-telemetry/opentelemetry-python"))), Unknown("x"))
    assert m.repo.subpath == "opentelemetry-sdk" and m.confidence == Confidence.HIGH


def test_unrelated_directory_links_are_not_the_package_directory():
    m = map_repository(dist("pytest-cov", project_urls=(
        ("Issue Tracker", "https://github.com/pytest-dev/pytest-cov/issues"),
        ("Examples", "https://github.com/pytest-dev/pytest-cov/tree/master/examples"))), Unknown("x"))
    assert m.repo.subpath is None


def test_layout_table_typeshed_azure_arrow():
    m = map_repository(dist("types-pyyaml", meta_name="types-PyYAML",
                            project_urls=(("GitHub", "https://github.com/python/typeshed"),)), Unknown("x"))
    assert m.repo.subpath == "stubs/PyYAML" and m.rule == "project-url-source+layout"
    assert "not confirmed" in m.evidence
    m = map_repository(dist("azure-keyvault-secrets", project_urls=(
        ("repository", "https://github.com/Azure/azure-sdk-for-python/tree/main/sdk"),)), Unknown("x"))
    assert m.repo.subpath == "sdk/keyvault/azure-keyvault-secrets"
    assert layout_subdirectory("https://github.com/apache/arrow", "pyarrow") == ("python", "apache/arrow python/setup.py (name='pyarrow')")
    assert layout_subdirectory("https://github.com/apache/arrow", "other") is None


def test_curated_table_for_metadata_without_links():
    m = map_repository(dist("py4j", home_page="https://www.py4j.org/"), Unknown("x"))
    assert m.repo.url == "https://github.com/py4j/py4j" and m.repo.subpath == "py4j-python"
    assert m.rule == "curated" and "py4j-python/setup.py" in m.evidence


def test_curated_table_format():
    names = set()
    for e in known_table():
        assert set(e) == {"name", "repo", "subdirectory", "source", "reason", "checked"}, e
        assert re.fullmatch(r"[a-z0-9*?\[\]-]+", e["name"]) and e["name"] not in names
        names.add(e["name"])
        assert e["reason"] and e["checked"]
        if e["repo"] is None:
            assert e["source"] is None and e["subdirectory"] is None
        else:
            assert canonical_repository(e["repo"]) is not None, e["repo"]
            assert e["source"], e
            assert e["subdirectory"] is None or not e["subdirectory"].startswith("/")


def test_layout_table_format():
    for e in layout_table():
        assert set(e) == {"repo", "match", "subdirectory", "source"}, e
        assert canonical_repository(e["repo"]).url == e["repo"]
        assert e["match"].count("*") <= 1 and e["source"]
        e["subdirectory"].format(name="n", Name="N", star="s", word1="w", name_="n_")


def test_pip_subdirectory_fragment():
    ref = canonical_repository("https://github.com/dbt-labs/dbt-adapters.git#subdirectory=dbt-adapters")
    assert ref.url == "https://github.com/dbt-labs/dbt-adapters" and ref.subpath == "dbt-adapters"
    assert canonical_repository("git+https://github.com/a/b@v1#egg=x&subdirectory=../p/q").subpath == "p/q"
    assert canonical_repository("https://github.com/a/b#readme").subpath is None


def test_an_import_package_directory_is_not_the_distribution_directory():
    p = project("beartype", description_links=("https://github.com/beartype/beartype/tree/main/beartype",))
    m = map_repository(dist("beartype", project_urls=(("GitHub", "https://github.com/beartype/beartype"),)), p)
    assert m.repo.subpath is None
    p = project("x", description_links=("https://github.com/o/mono/tree/main/packages/x",))
    m = map_repository(dist("x", project_urls=(("Source", "https://github.com/o/mono"),)), p)
    assert m.repo.subpath == "packages/x"


def test_a_project_whose_urls_name_a_repository_keeps_only_description_directory_links():
    """The audit's PyPI client extracts only the description links the mapping can still use (issue 14)."""
    from auditor.net.pypi import parse_project
    from auditor.repos.mapping import names_repository

    readme = ("[docs](https://example.org/docs) [repo](https://github.com/o/mono) "
              "[here](https://github.com/o/mono/tree/main/packages/x) [other](https://github.com/o/x)")
    doc = {"info": {"name": "x", "description": readme, "description_content_type": "text/markdown",
                    "project_urls": {"Source": "https://github.com/o/mono"}}, "releases": {}}
    full, gated = parse_project(doc), parse_project(doc, None, names_repository)
    assert len(full.description_links) == 4
    assert gated.description_links == ("https://github.com/o/mono/tree/main/packages/x",)
    d = dist("x")
    assert map_repository(d, full) == map_repository(d, gated)
    assert map_repository(d, gated).repo.subpath == "packages/x"
    # URLs that name no repository: every link is kept (the description rule may decide)
    doc["info"]["project_urls"] = {"Documentation": "https://example.org/docs"}
    assert parse_project(doc, None, names_repository).description_links == full.description_links
    assert not names_repository((("Docs", "https://example.org"),), "https://github.com/sponsors/x", None)
