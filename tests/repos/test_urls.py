import pytest

from auditor.repos.urls import canonical_repository, label_kind, normalize_label


@pytest.mark.parametrize(
    "url, expected, subpath",
    [
        ("https://github.com/scikit-learn/scikit-learn", "https://github.com/scikit-learn/scikit-learn", None),
        ("https://GitHub.com/Pallets/Flask/", "https://github.com/pallets/flask", None),
        ("http://www.github.com/psf/requests.git", "https://github.com/psf/requests", None),
        ("git+https://github.com/Pallets/Flask.git@main#egg=flask", "https://github.com/pallets/flask", None),
        ("git@github.com:numpy/numpy.git", "https://github.com/numpy/numpy", None),
        ("git+ssh://git@github.com/a/b.git@v1.0", "https://github.com/a/b", None),
        ("https://github.com/huggingface/transformers/issues", "https://github.com/huggingface/transformers", None),
        ("https://github.com/langchain-ai/langchain/tree/master/libs/core", "https://github.com/langchain-ai/langchain", "libs/core"),
        ("https://gitlab.com/group/sub/proj/-/tree/main/pkg", "https://gitlab.com/group/sub/proj", "pkg"),
        ("https://gitlab.com/group/proj.git", "https://gitlab.com/group/proj", None),
        ("https://bitbucket.org/Owner/Repo/src/main/", "https://bitbucket.org/owner/repo", None),
        ("codeberg.org/foo/bar/", "https://codeberg.org/foo/bar", None),
    ],
)
def test_canonical_forms(url, expected, subpath):
    ref = canonical_repository(url)
    assert ref is not None and ref.url == expected and ref.subpath == subpath


@pytest.mark.parametrize(
    "url",
    [
        "https://scikit-learn.org", "https://github.com/sponsors/someone", "https://github.com/owner-only",
        "https://pypi.org/project/x", "", None, "javascript:alert(1)", "https://github.com/a/b c",
        "https://github.com/a/<script>",
    ],
)
def test_not_repositories(url):
    assert canonical_repository(url) is None


def test_pep753_label_normalization():
    assert normalize_label("Source Code") == "sourcecode"
    assert normalize_label("Bug-Tracker") == "bugtracker"
    assert label_kind("Repository") == "source"
    assert label_kind("SOURCE") == "source"
    assert label_kind("Homepage") == "homepage"
    assert label_kind("Issue Tracker") == "issues"
    assert label_kind("What's New") == "changelog"
    assert label_kind("Funding") == "other"
