from auditor.models import Confidence, CoreMetadata, Distribution, Origin, PyPIProject, Unknown, Ownership
from auditor.repos.mapping import lookup_known, map_repository


def meta(**kw):
    return CoreMetadata("pkg", "1.0", **kw)


def project(**kw):
    return PyPIProject(name="pkg", ownership=Ownership(None, ()), **kw)


def test_source_label_is_high_confidence_and_beats_homepage():
    d = Distribution("pkg", "1.0", meta(
        project_urls=(("Homepage", "https://github.com/other/site"), ("Source", "https://github.com/me/pkg")),
    ))
    m = map_repository(d, Unknown("x"))
    assert m.repo.url == "https://github.com/me/pkg"
    assert m.confidence == Confidence.HIGH
    assert m.evidence == "core metadata Project-URL 'Source'"
    assert ("https://github.com/other/site", "core metadata Project-URL 'Homepage'") in m.candidates


def test_home_page_on_forge_is_medium():
    m = map_repository(Distribution("pkg", "1.0", meta(home_page="https://github.com/me/pkg")), Unknown("x"))
    assert m.confidence == Confidence.MEDIUM and m.evidence == "core metadata Home-page"


def test_pypi_json_is_second_evidence():
    d = Distribution("pkg", "1.0", meta(home_page="https://pkg.example.org"))
    m = map_repository(d, project(project_urls=(("Repository", "https://gitlab.com/me/pkg"),)))
    assert m.repo.url == "https://gitlab.com/me/pkg" and m.evidence.startswith("PyPI JSON info")


def test_builtin_table_with_reason():
    m = map_repository(Distribution("sympy", "1.13", meta(home_page="https://sympy.org")), Unknown("x"))
    assert m.repo.url == "https://github.com/sympy/sympy"
    assert m.confidence == Confidence.MEDIUM and "curated table" in m.evidence and "sympy.org" in m.evidence and m.rule == "curated"


def test_vendor_binaries_say_no_public_source():
    m = map_repository(Distribution("nvidia-cublas-cu12", "12.4", meta()), Unknown("x"))
    assert m.repo is None and m.note == "no public source repository"
    assert m.confidence == Confidence.NONE and "NVIDIA" in m.evidence


def test_nothing_found_is_explicit():
    m = map_repository(Distribution("pkg", "1.0", meta(home_page="https://pkg.example.org")), project())
    assert m.repo is None and m.confidence == Confidence.NONE and m.note == "no repository found"


def test_direct_vcs_requirement():
    d = Distribution("pkg", None, Unknown("x"), origin=Origin(kind="vcs", url="git+https://github.com/Me/Pkg.git@v1"))
    m = map_repository(d, Unknown("x"))
    assert m.repo.url == "https://github.com/me/pkg" and m.confidence == Confidence.HIGH


def test_known_table_entries_all_have_reasons():
    from auditor.repos.mapping import known_table

    assert all(e.get("reason") for e in known_table())
    assert lookup_known("nvidia-cudnn-cu12")["repo"] is None


def test_specific_table_entries_win_over_the_vendor_glob():
    assert lookup_known("nvidia-nccl-cu13")["repo"] == "https://github.com/NVIDIA/nccl"
    assert lookup_known("nvidia-cuda-cccl")["repo"] == "https://github.com/NVIDIA/cccl"
    assert lookup_known("nvidia-cublas")["repo"] is None
