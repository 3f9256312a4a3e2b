"""Resolver wrappers: real uv and real pip against a local find-links directory (no network)."""

from __future__ import annotations

import json
import stat
import os
from pathlib import Path

import pytest

from auditor.errors import ConfigError, ResolutionError
from auditor.models import TargetEnvironment
from auditor.sources import resolve as R
from tests.sources.wheelhouse import make_wheel, standard_wheelhouse

LINUX = TargetEnvironment(python_version="3.11", sys_platform="linux", platform_machine="x86_64")
WINDOWS = TargetEnvironment(python_version="3.11", sys_platform="win32", platform_machine="AMD64")


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    return standard_wheelhouse(tmp_path_factory.mktemp("wheels"))


def request(wheels: Path, *lines: str, target=LINUX, cache_dir=None, **kw) -> R.ResolveRequest:
    return R.ResolveRequest(
        requirements=lines, target=target, no_index=True, find_links=(str(wheels),), cache_dir=cache_dir, **kw
    )


def versions(res: R.Resolution) -> dict[str, str | None]:
    return {p.name: p.version for p in res.pins}


# -- target mapping ----------------------------------------------------------


@pytest.mark.parametrize(
    "platform, machine, triple, tag",
    [
        ("linux", "x86_64", "x86_64-manylinux_2_28", "manylinux_2_28_x86_64"),
        ("linux", "aarch64", "aarch64-manylinux_2_28", "manylinux_2_28_aarch64"),
        ("darwin", "arm64", "aarch64-apple-darwin", "macosx_13_0_arm64"),
        ("darwin", "x86_64", "x86_64-apple-darwin", "macosx_13_0_x86_64"),
        ("win32", "AMD64", "x86_64-pc-windows-msvc", "win_amd64"),
    ],
)
def test_platform_mapping(platform, machine, triple, tag):
    t = TargetEnvironment(sys_platform=platform, platform_machine=machine)
    assert R.uv_python_platform(t) == triple
    assert R.pip_platform(t) == tag


def test_unknown_platform_is_a_config_error():
    with pytest.raises(ConfigError, match="sunos5"):
        R.uv_python_platform(TargetEnvironment(sys_platform="sunos5", platform_machine="sparc"))


def test_uv_command_passes_target_index_and_cache(tmp_path):
    req = R.ResolveRequest(
        requirements=("x",),
        target=WINDOWS,
        index_url="https://mirror.example/simple",
        extra_index_urls=("https://extra.example/simple",),
        find_links=("/w",),
        pre=True,
        cache_dir=tmp_path / "uv",
    )
    cmd = R.uv_command("uv", req, tmp_path / "in.txt", tmp_path / "c.txt")
    joined = " ".join(cmd)
    assert "--python-version 3.11" in joined
    assert "--python-platform x86_64-pc-windows-msvc" in joined
    assert "--prerelease allow" in joined
    # index options travel in the input file, not on the command line
    assert R.resolver_input(req).splitlines() == [
        "--index-url https://mirror.example/simple",
        "--extra-index-url https://extra.example/simple",
        "--find-links /w",
        "x",
    ]
    assert "mirror.example" not in joined
    assert "--no-build" in cmd and "--no-config" in cmd
    assert f"--cache-dir {tmp_path / 'uv'}" in joined
    assert "--constraints" in cmd
    assert "--no-cache" in R.uv_command("uv", R.ResolveRequest(("x",)), tmp_path / "in.txt", None)
    assert "--no-build" not in R.uv_command("uv", R.ResolveRequest(("x",), allow_build=True), tmp_path / "i", None)


def test_pip_command_always_refuses_sdists(tmp_path):
    cmd = R.pip_command("python", R.ResolveRequest(("x",), target=WINDOWS), tmp_path / "in.txt", None)
    joined = " ".join(cmd)
    assert "--dry-run --target " in joined and "--ignore-installed --report -" in joined
    assert cmd[cmd.index("--target") + 1] == str(tmp_path / "target")  # private, never written (a dry run)
    assert "--platform win_amd64" in joined and "--python-version 3.11" in joined
    assert "--only-binary :all:" in joined and "--no-cache-dir" in joined


# -- uv output parsing ---------------------------------------------------------

UV_OUTPUT = """\
-e file:///src/localpkg
    # via -r requirements.in
alpha==1.0
    # via
    #   -r requirements.in
    #   epsilon
    # from https://pypi.org/simple
flask @ git+https://github.com/pallets/flask.git@0123456789abcdef0123456789abcdef01234567
    # via -r requirements.in
pkg @ https://files.example/pkg-1.2-py3-none-any.whl
    # via -r requirements.in
beta==2.0
    # via alpha
    # from file:///wheels
"""


def test_parse_uv_output():
    pins = {p.name: p for p in R.parse_uv_output(UV_OUTPUT)}
    assert list(pins) == ["alpha", "beta", "flask", "localpkg", "pkg"]
    assert pins["alpha"].version == "1.0" and pins["alpha"].kind == "registry"
    assert pins["alpha"].via == ("-r requirements.in", "epsilon")
    assert pins["alpha"].index_url == "https://pypi.org/simple"
    assert pins["beta"].via == ("alpha",) and pins["beta"].index_url == "file:///wheels"
    assert pins["flask"].kind == "vcs" and pins["flask"].url.startswith("git+https://")
    assert pins["pkg"].kind == "url" and pins["pkg"].version == "1.2"
    assert pins["localpkg"].kind == "path" and pins["localpkg"].editable


def test_summarize_error_is_one_line_with_hint():
    stderr = (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because sd==2.0 has no usable wheels and you require sd==2.0, we can conclude ...\n"
        "\n"
        "hint: Wheels are required for `sd` because building from source is disabled\n"
    )
    msg = R.summarize_error(stderr, "uv pip compile")
    assert "\n" not in msg
    assert msg.startswith("uv pip compile: No solution found")
    assert "sd==2.0 has no usable wheels" in msg and "(hint: Wheels are required" in msg


# -- real uv ---------------------------------------------------------------------


def test_uv_resolves_extras_markers_for_target(wheels):
    res = R.resolve_with_uv(request(wheels, "epsilon"))
    assert res.resolver == "uv pip compile"
    assert versions(res) == {"alpha": "1.0", "beta": "2.0", "epsilon": "1.0", "gamma": "1.0"}
    via = {p.name: p.via for p in res.pins}
    assert "epsilon" in via["alpha"] and via["gamma"] == ("alpha",)
    assert all(p.index_url and p.index_url.startswith("file:") for p in res.pins)
    # beta 2.0 needs delta on Windows only: the target decides, not the host
    assert "delta" in versions(R.resolve_with_uv(request(wheels, "epsilon", target=WINDOWS)))


def test_uv_honours_target_python_version(wheels):
    assert versions(R.resolve_with_uv(request(wheels, "newpy")))["newpy"] == "1.0"
    newer = TargetEnvironment(python_version="3.12")
    assert versions(R.resolve_with_uv(request(wheels, "newpy", target=newer)))["newpy"] == "2.0"


def test_uv_constraints(wheels):
    res = R.resolve_with_uv(request(wheels, "alpha", constraints=("beta<2",)))
    assert versions(res)["beta"] == "1.0"


def test_uv_never_builds_by_default(wheels):
    # sd 2.0 exists only as an sdist: without builds the newest wheel wins ...
    assert versions(R.resolve_with_uv(request(wheels, "sd")))["sd"] == "1.0"
    # ... and pinning the sdist-only version is an error with uv's hint
    with pytest.raises(ResolutionError) as err:
        R.resolve_with_uv(request(wheels, "sd==2.0"))
    assert "sd" in str(err.value) and "--no-build" in str(err.value)
    assert "\n" not in str(err.value)


def test_uv_unsatisfiable_is_a_resolution_error(wheels):
    with pytest.raises(ResolutionError, match="nothere"):
        R.resolve(request(wheels, "nothere>=1"))


def test_uv_cache_goes_where_asked(wheels, tmp_path):
    R.resolve_with_uv(request(wheels, "alpha", cache_dir=tmp_path / "uv"))
    assert (tmp_path / "uv").is_dir() and any((tmp_path / "uv").iterdir())


def test_uv_ignores_user_index_settings(wheels, monkeypatch):
    monkeypatch.setenv("UV_EXTRA_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("UV_CONSTRAINT", "/does/not/exist.txt")
    assert versions(R.resolve_with_uv(request(wheels, "alpha")))["alpha"] == "1.0"


# -- real pip and the fallback -----------------------------------------------------


def test_pip_resolves_with_metadata(wheels):
    res = R.resolve_with_pip(request(wheels, "epsilon", "newpy"))
    assert res.resolver == "pip --dry-run"
    assert versions(res) == {"alpha": "1.0", "beta": "2.0", "epsilon": "1.0", "gamma": "1.0", "newpy": "1.0"}
    alpha = next(p for p in res.pins if p.name == "alpha")
    assert alpha.metadata is not None and "beta>=1" in alpha.metadata.requires_dist
    assert alpha.index_url and alpha.index_url.startswith("file:")


@pytest.mark.skipif(
    not os.environ.get("AUDITOR_OLD_PIP_PYTHON"),
    reason="needs a second interpreter with an old pip (set AUDITOR_OLD_PIP_PYTHON, e.g. a fresh python3.11 venv's "
           "pip 23.2.1); .ci/run covers the same fallback by running the whole suite under pip 22.2")
def test_pip_fallback_with_the_pip_of_a_fresh_311_venv(wheels):
    """Issue 13 item 11: pip < 23.3 refuses --platform with --dry-run unless --target is given.

    ``.ci/run`` runs the whole suite with pip 22.2 (the floor); this test runs
    the fallback with another interpreter's pip, e.g. a fresh ``python3.11 -m
    venv`` (pip 23.2.1)."""
    res = R.resolve_with_pip(request(wheels, "epsilon"), python=os.environ["AUDITOR_OLD_PIP_PYTHON"])
    assert versions(res)["epsilon"] == "1.0"


def test_pip_leaves_out_what_it_is_told_to(wheels):
    """Issue 13 item 4: left_out with pip (a placeholder wheel on a private --find-links), with the oldest pip too."""
    from dataclasses import replace

    req = replace(request(wheels, "alpha"), left_out=("beta>=1",))
    for python in [None] + ([os.environ["AUDITOR_OLD_PIP_PYTHON"]] if os.environ.get("AUDITOR_OLD_PIP_PYTHON") else []):
        assert versions(R.resolve_with_pip(req, python=python)) == {"alpha": "1.0"}


def test_pip_refuses_to_build_without_permission(wheels, tmp_path):
    with pytest.raises(ResolutionError, match="would build"):
        R.resolve_with_pip(request(wheels, f"thing @ {tmp_path.as_uri()}"))
    with pytest.raises(ResolutionError, match="would build"):
        R.resolve_with_pip(request(wheels, "thing @ git+https://127.0.0.1/x.git"))


def test_fallback_to_pip_when_uv_missing(wheels, monkeypatch):
    monkeypatch.setattr(R, "find_uv", lambda: None)
    res = R.resolve(request(wheels, "alpha"))
    assert res.resolver == "pip --dry-run" and res.fallback_reason == "uv not installed"
    assert versions(res) == {"alpha": "1.0", "beta": "2.0"}


def test_fallback_to_pip_when_uv_crashes(wheels, tmp_path, monkeypatch):
    fake = tmp_path / "uv"
    fake.write_text("#!/bin/sh\necho 'error: unexpected argument --emit-index-annotation' >&2\nexit 2\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(R, "find_uv", lambda: str(fake))
    res = R.resolve(request(wheels, "alpha"))
    assert res.resolver == "pip --dry-run"
    assert "unexpected argument" in res.fallback_reason
    with pytest.raises(ResolutionError, match="could not run"):
        R.resolve(request(wheels, "alpha"), resolver="uv")


def test_unsatisfiable_with_an_extra_index_says_why_uv_and_pip_differ(tmp_path):
    """The PyTorch pattern (``--index-url …/whl/cpu --extra-index-url pypi``, ``torch==2.5.1+cpu``) has
    no solution with uv, which takes a name from the first index that has it (extra ones first),
    where pip merges the indexes: the error says so, and only when an extra index was given."""
    fake = tmp_path / "uv"
    fake.write_text("#!/bin/sh\necho 'error: No solution found when resolving dependencies:' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    base = dict(requirements=("torch==2.5.1+cpu",), target=LINUX, index_url="https://download.example/whl/cpu")
    with pytest.raises(ResolutionError, match=r"extra ones before --index-url") as err:
        R.resolve_with_uv(R.ResolveRequest(**base, extra_index_urls=("https://pypi.org/simple",)), uv=str(fake))
    assert "\n" not in str(err.value)
    with pytest.raises(ResolutionError) as err:
        R.resolve_with_uv(R.ResolveRequest(**base), uv=str(fake))
    assert "extra" not in str(err.value)


def test_no_fallback_when_requirements_are_unsatisfiable(wheels, monkeypatch):
    calls = []
    monkeypatch.setattr(R, "resolve_with_pip", lambda *a, **k: calls.append(a))
    with pytest.raises(ResolutionError):
        R.resolve(request(wheels, "nothere"))
    assert calls == []


def test_parse_pip_report_direct_references():
    report = {
        "version": "1",
        "install": [
            {
                "download_info": {
                    "url": "https://github.com/pallets/flask.git",
                    "vcs_info": {"vcs": "git", "commit_id": "abc123"},
                },
                "is_direct": True,
                "metadata": {"name": "Flask", "version": "3.0.0", "requires_dist": ["click>=8"]},
            },
            {
                "download_info": {"url": "file:///src/proj", "dir_info": {"editable": True}},
                "is_direct": True,
                "metadata": {"name": "proj", "version": "0.1"},
            },
            {
                "download_info": {"url": "https://files.example/a/b/click-8.1.7-py3-none-any.whl", "archive_info": {}},
                "is_direct": False,
                "metadata": {"name": "click", "version": "8.1.7"},
            },
        ],
    }
    pins = {p.name: p for p in R.parse_pip_report(json.loads(json.dumps(report)), "https://pypi.org/simple")}
    assert pins["flask"].kind == "vcs" and pins["flask"].url == "git+https://github.com/pallets/flask.git@abc123"
    assert pins["flask"].metadata.requires_dist == ("click>=8",)
    assert pins["proj"].kind == "path" and pins["proj"].editable
    assert pins["click"].kind == "registry" and pins["click"].index_url == "https://pypi.org/simple"


def test_pip_report_names_the_index_each_file_came_from():
    """Issue 13 item 9: with an --extra-index-url, pip's merged candidates may come from either index."""
    from auditor.sources.resolve.pip import file_index

    pypi, private, same_host = "https://pypi.org/simple", "https://pkgs.acme.example/simple", "https://pypi.org/acme/simple"
    assert file_index("https://files.pythonhosted.org/packages/ab/x-1.0-py3-none-any.whl", [pypi, private], pypi) == pypi
    assert file_index("https://pkgs.acme.example/files/x-1.0-py3-none-any.whl", [pypi, private], pypi) == private
    assert file_index("https://pypi.org/acme/files/x-1.0.whl", [pypi, same_host], pypi) == same_host
    assert file_index("https://elsewhere.example/x-1.0.whl", [pypi, private], pypi) == pypi  # unknown host: the default
    report = {"version": "1", "install": [
        {"download_info": {"url": "https://pkgs.acme.example/files/acme-1.0-py3-none-any.whl", "archive_info": {}},
         "metadata": {"name": "acme", "version": "1.0"}},
        {"download_info": {"url": "https://files.pythonhosted.org/p/six-1.16.0-py2.py3-none-any.whl", "archive_info": {}},
         "metadata": {"name": "six", "version": "1.16.0"}}]}
    pins = {p.name: p.index_url for p in R.parse_pip_report(report, pypi, (private,))}
    assert pins == {"acme": private, "six": pypi}


def test_pip_no_wheel_failures_and_placeholders(tmp_path):
    """Issue 13 item 4: pip's "from versions: none" names the package to leave out; its placeholder fits the specifier."""
    import zipfile

    from auditor.sources.resolve.pip import pip_no_wheel_failures, placeholder_wheel

    msg = ("pip --dry-run: Could not find a version that satisfies the requirement py4j==0.10.9.7 (from pyspark==3.5.1) "
           "(from versions: none)")
    assert pip_no_wheel_failures(msg) == {"py4j": "py4j==0.10.9.7"}
    assert pip_no_wheel_failures("Could not find a version that satisfies the requirement Sd>=2 (from versions: none)") \
        == {"sd": "sd>=2"}
    assert pip_no_wheel_failures("... the requirement sd>=3 (from versions: 1.0, 2.0)") == {}  # versions exist: unsatisfiable
    for entry, version in [("py4j==0.10.9.7", "0.10.9.7"), ("sd>2", "3"), ("sd<2", "0"), ("sd", "0"), ("a-b~=1.4", "1.4")]:
        name = placeholder_wheel(tmp_path, entry)
        (whl,) = [w for w in tmp_path.glob(f"{name.replace('-', '_')}-*.whl")]
        assert whl.name == f"{name.replace('-', '_')}-{version}-py3-none-any.whl", entry
        with zipfile.ZipFile(whl) as z:
            assert f"Version: {version}" in z.read(f"{name.replace('-', '_')}-{version}.dist-info/METADATA").decode()
        whl.unlink()


def test_needs_build():
    assert R.needs_build("x @ git+https://h/x.git")
    assert R.needs_build("x @ file:///src/x")
    assert R.needs_build("x @ https://h/x-1.0.tar.gz")
    assert not R.needs_build("x @ https://h/x-1.0-py3-none-any.whl")
    assert not R.needs_build("requests[socks]>=2; python_version >= '3.8'")


def test_read_local_project_static_only(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "Proj"\nversion = "0.3"\ndependencies = ["beta<2"]\n'
        '[project.optional-dependencies]\nfast = ["gamma"]\n'
    )
    meta = R.read_local_project(tmp_path)
    assert meta.name == "Proj" and meta.version == "0.3"
    assert meta.requires_dist == ("beta<2", 'gamma; extra == "fast"')
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\ndynamic = ["version"]\n')
    assert R.read_local_project(tmp_path).version == ""


def test_read_wheel_metadata(tmp_path):
    whl = make_wheel(tmp_path, "zeta", "0.5", ["alpha"])
    assert R.read_wheel_metadata(whl).requires_dist == ("alpha",)
    assert R.find_local_wheel(tmp_path, "zeta", "0.5.0") == whl
    assert R.find_local_wheel(tmp_path, "zeta", "0.6") is None


def test_local_readers_are_bounded_like_any_input(tmp_path):
    """A path in a lockfile under review may name anything: a pyproject.toml that is a symbolic
    link to /dev/zero, a FIFO, too deep or too large, and a wheel whose METADATA is a bomb, are each
    None (metadata unknown) at once, never a hang or a crash."""
    from tests.bombs import zip_bomb

    cases = {"zero": None, "fifo": None, "deep": "a = " + "[" * 5000 + "]" * 5000 + "\n",
             "huge": "# " + "x" * (R.local.MAX_PYPROJECT_BYTES + 1) + "\n"}
    for name, text in cases.items():
        d = tmp_path / name
        d.mkdir()
        if name == "zero":
            (d / "pyproject.toml").symlink_to("/dev/zero")
        elif name == "fifo":
            os.mkfifo(d / "pyproject.toml")
        else:
            (d / "pyproject.toml").write_text(text)
        assert R.read_local_project(d) is None, name
    bomb = tmp_path / "pkg-1.0-py3-none-any.whl"
    bomb.write_bytes(zip_bomb())
    assert R.read_wheel_metadata(bomb) is None
    fifo = tmp_path / "fifo-1.0-py3-none-any.whl"
    os.mkfifo(fifo)
    assert R.read_wheel_metadata(fifo) is None


def test_env_vars_expanded_for_the_resolver_only(monkeypatch):
    monkeypatch.setenv("IDX_TOKEN", "s3cret")
    req = R.ResolveRequest(
        requirements=("pkg @ https://u:${IDX_TOKEN}@files.example/pkg-1.0-py3-none-any.whl",),
        index_url="https://u:${IDX_TOKEN}@idx.example/simple",
    )
    text = R.resolver_input(req)
    assert "https://u:s3cret@idx.example/simple" in text and "u:s3cret@files.example" in text
    assert "${UNSET_VAR_X}" in R.expand_env("${UNSET_VAR_X}")


def test_redact_url():
    assert R.redact_url("see https://user:tok@h.example/simple now") == "see https://***@h.example/simple now"
    assert R.redact_url("git+https://ghp_abc@github.com/o/r.git") == "git+https://***@github.com/o/r.git"
    assert R.redact_url("git+ssh://git@github.com/o/r.git") == "git+ssh://git@github.com/o/r.git"
    assert R.redact_url("https://pypi.org/simple") == "https://pypi.org/simple"


def test_fallback_to_pip_when_uv_is_killed(wheels, tmp_path, monkeypatch):
    fake = tmp_path / "uv"
    fake.write_text("#!/bin/sh\nkill -9 $$\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(R, "find_uv", lambda: str(fake))
    res = R.resolve(request(wheels, "alpha"))
    assert res.resolver == "pip --dry-run" and "exited with code -9" in res.fallback_reason


def test_download_failure_is_not_retried_with_pip(wheels, monkeypatch):
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    monkeypatch.setattr(R, "resolve_with_pip", lambda *a, **k: pytest.fail("pip must not run"))
    with pytest.raises(ResolutionError, match="Failed to download"):
        R.resolve(request(wheels, "other @ https://127.0.0.1:9/other-1.0-py3-none-any.whl"))


def test_uv_error_lines_wrapped_at_the_terminal_width_are_joined():
    """uv wraps a long message (``Failed to build `sd @`` / indented ``file:///...``): the reference
    must survive in the one-line summary (it was cut to "Failed to build `sd @:")."""
    from auditor.sources.resolve.process import summarize_error

    stderr = ("   Updating http://127.0.0.1:9/thing.git (HEAD)\nerror: Failed to build `sd @\n"
              "       file:///tmp/x/sd-2.0.tar.gz`\n  cause: Building source distributions for `sd` is disabled\n")
    assert summarize_error(stderr, "uv pip compile") == (
        "uv pip compile: Failed to build `sd @ file:///tmp/x/sd-2.0.tar.gz`: Building source distributions for "
        "`sd` is disabled")
