"""requirements.txt parsing (pip's syntax) and the RequirementsSource end to end (real uv/pip, no network)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.live import live_pypi

from auditor.config import Config
from auditor.errors import InputError, ResolutionError
from auditor.models import CoreMetadata, TargetEnvironment, Unknown
from auditor.net.context import RunContext
from auditor.sources import requirements as REQ
from auditor.sources.requirements import RequirementsSource, parse_requirements
from tests.builders import collect
from tests.sources.wheelhouse import make_wheel, standard_wheelhouse

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    return standard_wheelhouse(tmp_path_factory.mktemp("wheels"))


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(cache_dir=tmp_path / "cache", use_cache=False, index_url="http://127.0.0.1:9/simple")


# -- parsing: the syntax that matters ----------------------------------------------


def test_full_syntax(tmp_path):
    (tmp_path / "proj").mkdir()
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "My_Proj"\nversion = "0.1"\n')
    write(tmp_path / "sub" / "more.txt", "-r deeper/last.txt\nurllib3<3  # comment\n")
    write(tmp_path / "sub" / "deeper" / "last.txt", "idna\n")
    write(tmp_path / "constraints.txt", "certifi<2030\n")
    root = write(
        tmp_path / "requirements.txt",
        f"""\
        # a comment line

        --index-url https://mirror.example/simple
        --extra-index-url https://extra.example/simple
        --find-links ./wheels
        --pre
        --trusted-host mirror.example
        requests[socks,security]>=2.0 ; python_version >= "3.8"  # trailing comment
        -r sub/more.txt
        -c constraints.txt
        numpy==1.26.4 \\
            --hash={HASH_A} \\
            --hash={HASH_B}
        -e git+https://github.com/pallets/flask.git@2.3.0#egg=flask
        https://files.example/pkg/pkg_name-1.0-py3-none-any.whl
        ./proj
        foo @ https://files.example/foo-1.0.tar.gz ; sys_platform == "linux"
        -e file:proj
        """,
    )
    (tmp_path / "wheels").mkdir()
    parsed = parse_requirements(root)
    lines = {(r.name, r.line): r for r in parsed.requirements}
    by_name = {r.name: r for r in parsed.requirements}
    assert [(r.name, Path(r.file).name, r.line) for r in parsed.requirements] == [
        ("requests", "requirements.txt", 8),
        ("idna", "last.txt", 1),
        ("urllib3", "more.txt", 2),
        ("numpy", "requirements.txt", 11),
        ("flask", "requirements.txt", 14),
        ("pkg-name", "requirements.txt", 15),
        ("my-proj", "requirements.txt", 16),
        ("foo", "requirements.txt", 17),
        ("my-proj", "requirements.txt", 18),
    ]
    req = by_name["requests"]
    assert req.kind == "registry" and req.extras == ("security", "socks")
    assert req.marker == 'python_version >= "3.8"' and req.specifier == ">=2.0"
    assert req.requirement == 'requests[security,socks]>=2.0; python_version >= "3.8"'
    assert by_name["numpy"].hashes == (HASH_A, HASH_B) and by_name["numpy"].pinned_version == "1.26.4"
    flask = by_name["flask"]
    assert flask.kind == "vcs" and flask.editable and flask.url.startswith("git+https://github.com/pallets/flask.git")
    assert by_name["pkg-name"].kind == "url" and by_name["pkg-name"].requirement.startswith("pkg-name @ https://")
    proj = lines[("my-proj", 16)]
    assert proj.kind == "path" and proj.url == (tmp_path / "proj").resolve().as_uri()
    assert lines[("my-proj", 18)].editable and lines[("my-proj", 18)].url == proj.url
    assert by_name["foo"].kind == "url" and by_name["foo"].requirement.endswith('; sys_platform == "linux"')
    assert [(c.name, c.constraint) for c in parsed.constraints] == [("certifi", True)]
    o = parsed.options
    assert o.index_url == "https://mirror.example/simple"
    assert o.extra_index_urls == ("https://extra.example/simple",)
    assert o.find_links == (str((tmp_path / "wheels").resolve()),)
    assert o.pre and not o.no_index
    assert ("trusted_hosts", str(root), 7) in o.ignored
    assert [Path(f).name for f in parsed.files] == ["requirements.txt", "more.txt", "last.txt", "constraints.txt"]


def test_includes_are_relative_to_the_including_file(tmp_path, monkeypatch):
    write(tmp_path / "a" / "b" / "inner.txt", "beta\n")
    write(tmp_path / "a" / "outer.txt", "-r b/inner.txt\n")
    root = write(tmp_path / "requirements.txt", "--requirement a/outer.txt\n")
    monkeypatch.chdir(tmp_path / "a" / "b")  # the working directory does not matter
    assert [r.name for r in parse_requirements(root).requirements] == ["beta"]


def test_config_settings_are_accepted_and_ignored(tmp_path):
    # pip 23.1+ syntax the vendored parser predates: only builds use it, and audits never build
    root = write(tmp_path / "r.txt", "ok==1\nbar==1.0 --config-settings editable_mode=compat --hash=sha256:" + "c" * 64 + "\n")
    parsed = parse_requirements(root)
    bar = parsed.requirements[1]
    assert (bar.name, bar.line, bar.hashes, bar.file) == ("bar", 2, ("sha256:" + "c" * 64,), str(root))
    assert ("config_settings", str(root), 2) in parsed.options.ignored


def test_unnamed_vcs_reference_keeps_no_name(tmp_path):
    root = write(tmp_path / "r.txt", "git+https://example.org/a/b.git@v1\n")
    (line,) = parse_requirements(root).requirements
    assert line.name is None and line.kind == "vcs" and line.requirement == "git+https://example.org/a/b.git@v1"


# -- parsing: malformed input names the file and line ---------------------------------


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("ok==1\nfoo[bar\n", 2, "Expected matching RIGHT_BRACKET"),
        ("ok==1\n\n--no-such-option x\n", 3, "no such option: --no-such-option"),
        ("-e\n", 1, "-e option requires 1 argument"),
        ("name @\n", 1, "Expected URL after @"),
        ("foo; python_version >>> '3'\n", 1, "Expected"),
        (f"# c\nok==1 \\\n  --hash=md5:{'a' * 32}\n", 2, "invalid --hash 'md5:"),
        ("ok==1 --hash=sha256\n", 1, "invalid --hash"),
        ("bad line ===\n", 1, "Invalid requirement"),
    ],
)
def test_malformed_line(tmp_path, text, line, message):
    root = write(tmp_path / "requirements.txt", text)
    with pytest.raises(InputError) as err:
        parse_requirements(root)
    assert err.value.file == str(root) and err.value.line == line
    assert message in err.value.message
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(f"{root}:{line}: ")


def test_malformed_line_in_included_file(tmp_path):
    inner = write(tmp_path / "sub" / "inner.txt", "fine\n\nfoo[bar\n")
    root = write(tmp_path / "requirements.txt", "ok\n-r sub/inner.txt\n")
    with pytest.raises(InputError) as err:
        parse_requirements(root)
    assert (err.value.file, err.value.line) == (str(inner), 3)


def test_missing_include_names_the_including_line(tmp_path):
    write(tmp_path / "sub" / "inner.txt", "ok\n-c ../nope.txt\n")
    root = write(tmp_path / "requirements.txt", "# x\n-r sub/inner.txt\n")
    with pytest.raises(InputError) as err:
        parse_requirements(root)
    assert err.value.file == str(tmp_path / "sub" / "inner.txt") and err.value.line == 2
    assert "included file not found" in err.value.message and "nope.txt" in err.value.message


def test_circular_and_remote_includes(tmp_path):
    write(tmp_path / "b.txt", "-r a.txt\n")
    root = write(tmp_path / "a.txt", "x\n-r b.txt\n")
    with pytest.raises(InputError, match="circular include") as err:
        parse_requirements(root)
    assert err.value.file == str(tmp_path / "b.txt") and err.value.line == 1
    remote = write(tmp_path / "r.txt", "-r https://example.org/req.txt\n")
    with pytest.raises(InputError, match="remote include"):
        parse_requirements(remote)


def test_missing_root_file(tmp_path):
    with pytest.raises(InputError, match="not found") as err:
        parse_requirements(tmp_path / "nope.txt")
    assert err.value.file == str(tmp_path / "nope.txt")


# -- the source, end to end with the real uv on a local wheelhouse -------------------


def source_file(tmp_path: Path, wheels: Path, body: str) -> Path:
    return write(tmp_path / "requirements.txt", f"--no-index\n--find-links {wheels}\n" + textwrap.dedent(body))


def test_collect_with_uv(tmp_path, wheels, config):
    root = source_file(
        tmp_path,
        wheels,
        f"""\
        epsilon==1.0 --hash={HASH_A}
        beta
        windows-only ; sys_platform == "win32"
        """,
    )
    inv = collect(RequirementsSource(root), config)
    assert inv.resolver == "uv pip compile" and inv.root_kind == "requirements" and inv.root_name == str(root)
    d = inv.by_name()
    assert {n: x.version for n, x in d.items()} == {"alpha": "1.0", "beta": "2.0", "epsilon": "1.0", "gamma": "1.0"}
    assert {e.target for e in inv.root_requires} == {"beta", "epsilon"}
    eps = d["epsilon"]
    assert eps.direct and eps.hashes == (HASH_A,)
    assert (eps.origin.kind, eps.origin.file, eps.origin.line) == ("registry", str(root), 3)
    assert eps.origin.index_url == wheels.as_uri()
    assert not d["alpha"].direct and d["alpha"].origin.file is None
    assert isinstance(d["alpha"].metadata, CoreMetadata)  # read from the local wheel, no index needed
    # extras propagate: epsilon -> alpha[g] -> gamma (via extra g)
    assert [(e.target, e.extras) for e in eps.requires] == [("alpha", ("g",))]
    assert {(e.target, e.via_extra) for e in d["alpha"].requires} == {("beta", None), ("gamma", "g")}
    assert d["beta"].requires == ()  # delta is Windows-only


def test_collect_for_another_target(tmp_path, wheels, config):
    root = source_file(tmp_path, wheels, 'epsilon\nwin-extra==1.0 ; sys_platform == "linux"\nnewpy\n')
    target = TargetEnvironment(python_version="3.12", sys_platform="win32", platform_machine="AMD64")
    inv = collect(RequirementsSource(root), config.with_changes(target=target))
    d = inv.by_name()
    assert "delta" in d and [e.target for e in d["beta"].requires] == ["delta"]
    assert d["newpy"].version == "2.0" and inv.target == target
    assert inv.interpreter_version == "3.12"  # patch level unknown: not invented


def test_collect_with_pip(tmp_path, wheels, config):
    root = source_file(tmp_path, wheels, "epsilon\n")
    inv = collect(RequirementsSource(root, resolver="pip"), config)
    assert inv.resolver == "pip --dry-run"
    d = inv.by_name()
    assert set(d) == {"alpha", "beta", "epsilon", "gamma"}
    assert "beta>=1" in d["alpha"].metadata.requires_dist  # from pip's report
    assert d["epsilon"].direct and d["epsilon"].origin.line == 3


def test_collect_local_project_and_wheel_references(tmp_path, wheels, config):
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "proj"\nversion = "0.3"\ndependencies = ["beta<2"]\n')
    whl = make_wheel(tmp_path / "dl", "zeta", "0.5", ["gamma"])
    root = source_file(tmp_path, wheels, f"-e ./proj\n{whl.as_uri()}\n")
    inv = collect(RequirementsSource(root), config)
    d = inv.by_name()
    assert d["proj"].version == "0.3" and d["proj"].origin.kind == "path" and d["proj"].direct
    assert [e.target for e in d["proj"].requires] == ["beta"] and d["beta"].version == "1.0"
    assert d["zeta"].origin.kind == "path" and d["zeta"].version == "0.5"
    assert [e.target for e in d["zeta"].requires] == ["gamma"]
    assert {e.target for e in inv.root_requires} == {"proj", "zeta"}


def test_references_that_need_a_build_stay_as_unknown_nodes(tmp_path, wheels, config):
    legacy = tmp_path / "legacy"
    write(legacy / "setup.py", "open('EXECUTED', 'w').write('ran')\nraise SystemExit(1)\n")
    root = source_file(
        tmp_path,
        wheels,
        f"""\
        alpha
        ./legacy
        thing @ git+http://127.0.0.1:9/thing.git
        sdistonly @ {(wheels / 'sd-2.0.tar.gz').as_uri()}
        git+http://127.0.0.1:9/group/Unnamed_Repo.git@v1
        """,
    )
    inv = collect(RequirementsSource(root), config)
    d = inv.by_name()
    assert d["alpha"].version == "1.0"
    for name in ("thing", "sdistonly"):
        assert isinstance(d[name].metadata, Unknown) and d[name].metadata.reason.startswith("not resolved:")
        assert d[name].direct and d[name].origin.kind in ("vcs", "path")
    assert d["thing"].origin.kind == "vcs" and d["thing"].origin.line == 5
    # an unnamed reference nobody could resolve is still a node, named after its URL
    assert d["unnamed-repo"].origin.line == 7 and isinstance(d["unnamed-repo"].metadata, Unknown)
    assert {"thing", "sdistonly", "unnamed-repo", "legacy", "alpha"} <= {e.target for e in inv.root_requires}
    assert d["legacy"].origin.kind == "path" and d["legacy"].origin.url == legacy.resolve().as_uri()
    assert not (legacy / "EXECUTED").exists()


def test_constraints_limit_but_add_nothing(tmp_path, wheels, config):
    write(tmp_path / "c.txt", "beta<2\ngamma==1.0\n")
    root = source_file(tmp_path, wheels, "-c c.txt\nalpha\n")
    d = collect(RequirementsSource(root), config).by_name()
    assert set(d) == {"alpha", "beta"} and d["beta"].version == "1.0"
    assert not d["beta"].direct and d["beta"].origin.file is None


def test_unresolvable_registry_requirement_fails(tmp_path, wheels, config):
    root = source_file(tmp_path, wheels, "alpha\nnothere>=1\n")
    with pytest.raises(ResolutionError, match="nothere"):
        collect(RequirementsSource(root), config)


def test_no_resolve_takes_pins_as_given(tmp_path, wheels, config, monkeypatch):
    monkeypatch.setattr(REQ, "resolve_cached", lambda *a, **k: pytest.fail("resolver must not run"))
    root = source_file(tmp_path, wheels, f"alpha==1.0 --hash={HASH_A}\nbeta==1.0\n")
    inv = collect(RequirementsSource(root, resolver="none"), config)
    d = inv.by_name()
    assert inv.resolver == "none (pinned input)"
    assert {n: x.version for n, x in d.items()} == {"alpha": "1.0", "beta": "1.0"}
    assert [e.target for e in d["alpha"].requires] == ["beta"]
    unpinned = source_file(tmp_path, wheels, "alpha==1.0\nbeta>=1\n")
    with pytest.raises(InputError, match="not pinned") as err:
        collect(RequirementsSource(unpinned, resolver="none"), config)
    assert err.value.line == 4


def test_metadata_from_the_index_for_registry_pins(tmp_path, config, monkeypatch):
    """Pins from an index get their metadata through PyPIClient (faked here)."""
    calls = []

    class FakeClient:
        def __init__(self, ctx, index_url=None):
            self.index = index_url or ctx.config.index_url

        def core_metadata(self, name, version):
            calls.append((self.index, name, version))
            return CoreMetadata(name=name, version=version, requires_dist=("beta",) if name == "alpha" else ())

    import auditor.net.pypi

    monkeypatch.setattr(auditor.net.pypi, "PyPIClient", FakeClient)
    pins = [
        REQ.Pin("alpha", "1.0", index_url="https://mirror.example/simple"),
        REQ.Pin("beta", "2.0", index_url="https://mirror.example/simple"),
    ]
    parsed = REQ.ParsedRequirements((), (), REQ.RequirementsOptions(), ("r.txt",))
    with RunContext(config) as ctx:
        meta = REQ._metadata_for(pins, parsed, ctx)
    assert meta["alpha"].requires_dist == ("beta",)
    assert sorted(calls) == [("https://mirror.example/simple", "alpha", "1.0"), ("https://mirror.example/simple", "beta", "2.0")]


def test_empty_file(tmp_path, config):
    root = write(tmp_path / "requirements.txt", "# nothing\n")
    inv = collect(RequirementsSource(root), config)
    assert inv.distributions == () and inv.root_requires == ()


def test_end_to_end_against_a_fake_index(tmp_path, fake_pypi):
    """Real uv against the fake PyPI's PEP 691 pages and PEP 658 files; metadata through PyPIClient; run_audit."""
    from auditor.pipeline import run_audit

    fake_pypi.add("app", "1.0", requires_dist=["lib>=2", 'winlib; sys_platform == "win32"'])
    fake_pypi.add("lib", "2.0")
    cfg = Config(
        cache_dir=tmp_path / "cache",
        pypi_url=fake_pypi.url,
        index_url=fake_pypi.url + "/simple",
        target=TargetEnvironment(python_version="3.11", sys_platform="linux", platform_machine="x86_64"),
        timeout=(2.0, 5.0),
    )
    root = write(tmp_path / "requirements.txt", "app\n")
    source = RequirementsSource(root)
    inv = collect(source, cfg)
    d = inv.by_name()
    assert {n: x.version for n, x in d.items()} == {"app": "1.0", "lib": "2.0"}
    assert d["app"].origin.index_url == fake_pypi.url + "/simple"
    assert [e.target for e in d["app"].requires] == ["lib"]
    assert isinstance(d["lib"].metadata, CoreMetadata)
    result = run_audit(cfg, source)
    assert {"app", "lib"} <= set(result.nodes)


def test_second_collect_uses_the_metadata_cache(tmp_path, fake_pypi):
    fake_pypi.add("app", "1.0", requires_dist=["lib"])
    fake_pypi.add("lib", "2.0")
    cfg = Config(cache_dir=tmp_path / "cache", pypi_url=fake_pypi.url, index_url=fake_pypi.url + "/simple")
    root = write(tmp_path / "requirements.txt", "app\n")
    first = RequirementsSource(root)
    collect(first, cfg)
    assert first.resolution.resolver == "uv pip compile"
    assert sum(c["network"] for c in first.requests.values()) > 0
    n = fake_pypi.network_requests
    second = RequirementsSource(root)
    collect(second, cfg)
    assert second.resolution.cached and second.resolution.resolver == "uv pip compile"
    assert fake_pypi.network_requests == n  # neither uv nor the metadata lookups went out
    assert sum(c["network"] for c in second.requests.values()) == 0
    # Release metadata is immutable: the fact memo answers before the HTTP cache is asked.


def test_credentials_never_reach_the_inventory(tmp_path, wheels, config, monkeypatch):
    monkeypatch.setenv("PRIVATE_TOKEN", "s3cret-value")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")  # the refused connection fails at once
    root = source_file(
        tmp_path,
        wheels,
        "alpha\n"
        "pkg @ https://user:${PRIVATE_TOKEN}@127.0.0.1:9/pkg-1.0-py3-none-any.whl\n"
        "other @ https://user:literal-tok@127.0.0.1:9/other-1.0-py3-none-any.whl\n",
    )
    inv = collect(RequirementsSource(root), config)
    text = repr(inv)
    assert "s3cret-value" not in text and "literal-tok" not in text
    d = inv.by_name()
    assert d["other"].origin.url == "https://***@127.0.0.1:9/other-1.0-py3-none-any.whl"
    assert d["pkg"].origin.url == "https://***@127.0.0.1:9/pkg-1.0-py3-none-any.whl"
    assert isinstance(d["pkg"].metadata, Unknown)


def test_resolution_cache_expires_and_can_be_off(tmp_path, fake_pypi, monkeypatch):
    from auditor.sources import resolve as R

    fake_pypi.add("app", "1.0")
    cfg = Config(cache_dir=tmp_path / "cache", pypi_url=fake_pypi.url, index_url=fake_pypi.url + "/simple")
    root = write(tmp_path / "requirements.txt", "app\n")
    collect(RequirementsSource(root), cfg)
    assert len(list((tmp_path / "cache" / REQ.RESOLUTION_CACHE_DIR).glob("*.json"))) == 1
    monkeypatch.setattr(R, "RESOLUTION_CACHE_TTL", 0)
    again = RequirementsSource(root)
    collect(again, cfg)
    assert not again.resolution.cached
    off = RequirementsSource(root)
    collect(off, cfg.with_changes(use_cache=False, cache_dir=tmp_path / "other"))
    assert not off.resolution.cached and not (tmp_path / "other" / REQ.RESOLUTION_CACHE_DIR).exists()


@pytest.mark.network
@live_pypi
def test_live_scikit_learn_example(tmp_path):
    """The shipped example against live PyPI: uv and pip agree on the pins."""
    example = Path(__file__).resolve().parents[2] / "examples" / "scikit-learn" / "requirements.txt"
    cfg = Config(cache_dir=tmp_path / "cache")
    uv_inv = collect(RequirementsSource(example), cfg)
    pip_inv = collect(RequirementsSource(example, resolver="pip"), cfg.with_changes(use_cache=False))
    assert uv_inv.resolver == "uv pip compile" and pip_inv.resolver == "pip --dry-run"
    versions = {d.name: d.version for d in uv_inv.distributions}
    assert versions == {d.name: d.version for d in pip_inv.distributions}
    assert {"scikit-learn", "numpy", "scipy", "joblib", "threadpoolctl"} <= set(versions)
    sk = uv_inv.by_name()["scikit-learn"]
    assert sk.direct and isinstance(sk.metadata, CoreMetadata) and sk.requires


def test_an_sdist_only_transitive_dependency_never_aborts(tmp_path, wheels, config):
    """Issue 13 item 10: a dependency uv could use only by building it is an unknown node, not exit 2."""
    import shutil

    house = tmp_path / "house"
    shutil.copytree(wheels, house)
    make_wheel(house, "needsd", "1.0", ["sd>=2", "beta"])  # sd 2.0 is an sdist only
    inv = collect(RequirementsSource(source_file(tmp_path, house, "needsd\n")), config)
    d = inv.by_name()
    assert set(d) == {"needsd", "sd", "beta"}
    sd = d["sd"]
    assert sd.version == "2.0" and isinstance(sd.metadata, Unknown) and sd.metadata.kind.value == "unsupported"
    assert "no wheel" in sd.metadata.reason and "--allow-build" in sd.metadata.reason
    assert not sd.direct and {e.target for e in d["needsd"].requires} == {"sd", "beta"}  # the edge is kept
    # a direct one too
    inv = collect(RequirementsSource(source_file(tmp_path, house, "sd==2.0\nalpha\n")), config)
    d = inv.by_name()
    assert d["sd"].direct and isinstance(d["sd"].metadata, Unknown) and "alpha" in d


def test_an_unreachable_extra_index_never_aborts(tmp_path, wheels, config, monkeypatch):
    """Issue 13 item 10: an --extra-index-url nobody answers is a gap of the run (exit 3), not exit 2."""
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")  # uv's own retries of a refused connection only cost time here
    simple = tmp_path / "simple"
    for whl in sorted(wheels.glob("*.whl")):
        name = whl.name.split("-")[0]
        page = simple / name / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        with page.open("a") as f:
            f.write(f'<a href="{whl.as_uri()}">{whl.name}</a>\n')
    body = f"--index-url {simple.as_uri()}\n--extra-index-url http://127.0.0.1:9/simple\nalpha\n"
    inv = collect(RequirementsSource(write(tmp_path / "requirements.txt", body)), config)
    assert {"alpha", "beta"} <= set(inv.by_name())
    assert len(inv.gaps) == 1 and inv.gaps[0][0] == "index" and "127.0.0.1:9" in inv.gaps[0][1]


def _sdist(name: str, version: str, marker: Path) -> bytes:
    """An sdist whose setup.py would write *marker* if anything ever ran it."""
    import io
    import tarfile

    setup = f"open({str(marker)!r}, 'w').write('ran')\nfrom setuptools import setup\nsetup(name={name!r}, version={version!r})\n"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = setup.encode()
        info = tarfile.TarInfo(f"{name}-{version}/setup.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.mark.parametrize("body", ["needsd\n", "sd==2.0\nsix\n"], ids=["transitive", "direct"])
def test_an_sdist_only_package_never_aborts_the_pip_fallback(tmp_path, fake_pypi, body):
    """Issue 13 item 4: with pip (`--resolver pip`, or uv absent) too, an sdist-only package without
    PEP 658 metadata is left out of the resolution and kept as an unknown node; its setup.py never runs."""
    from tests.fakes.server import project_doc

    marker = tmp_path / "setup-py-ran"
    fake_pypi.add_project("needsd", "1.0", requires_dist=["sd>=2", "six"])
    fake_pypi.add_project("six", "1.16.0")
    fake_pypi.add_wheel_files("needsd")
    fake_pypi.add_wheel_files("six")  # the CI's pip 22.2 has no PEP 658: it downloads the wheels
    fake_pypi.projects["sd"] = project_doc("sd", "2.0")
    fake_pypi.wheels["sd-2.0.tar.gz"] = _sdist("sd", "2.0", marker)  # listed with "core-metadata": false
    req = write(tmp_path / "requirements.txt", f"--index-url {fake_pypi.url}/simple\n{body}")
    cfg = Config(cache_dir=tmp_path / "cache", use_cache=False, index_url=fake_pypi.url + "/simple", pypi_url=fake_pypi.url,
                 target=TargetEnvironment(python_version="3.11", sys_platform="linux", platform_machine="x86_64"))
    source = RequirementsSource(req, resolver="pip")
    inv = collect(source, cfg)
    d = inv.by_name()
    assert inv.resolver == "pip --dry-run" and "six" in d and "sd" in d
    sd = d["sd"]
    assert sd.version == ("2.0" if "==" in body else None) and isinstance(sd.metadata, Unknown)
    assert sd.metadata.kind.value == "unsupported" and "pip found no wheel of sd" in sd.metadata.reason
    assert sd.direct == ("sd==" in body) and not marker.exists()
    if "needsd" in body:
        assert {e.target for e in d["needsd"].requires} == {"sd", "six"}  # the edge is kept


def test_a_direct_sdist_reference_is_its_names_only_node(tmp_path, wheels, config):
    """astral-sh/uv test/requirements/all-kinds.in (26a9dd4): ``werkzeug @ .../werkzeug-3.0.1.tar.gz``
    needs a build, so it was left out and the file resolved again; flask then pulled werkzeug 3.1.9
    from the index, and the node showed version 3.1.9 with known metadata under the 3.0.1 sdist URL.
    The reason of every other left-out reference also quoted the failure of the first one, and a reference
    that needs no build (a wheel, a local project with static metadata) lost its resolution with them."""
    sdist = (wheels / "sd-2.0.tar.gz").as_uri()
    make_wheel(tmp_path / "more", "needs-sd", "1.0", ["sd>=1"])
    root = source_file(tmp_path, wheels, f"--find-links {tmp_path / 'more'}\nneeds-sd\nsd @ {sdist}\n"
                                         "thing @ git+http://127.0.0.1:9/thing.git\n")
    for resolver in ("uv", "pip"):
        inv = collect(RequirementsSource(root, resolver=resolver), config)
        d = inv.by_name()
        assert d["sd"].version == "2.0" and d["sd"].origin.kind == "path", resolver  # the file's own version
        assert isinstance(d["sd"].metadata, Unknown) and d["sd"].metadata.reason.startswith("not resolved:")
        assert d["needs-sd"].version == "1.0" and [e.target for e in d["needs-sd"].requires] == ["sd"]
        assert isinstance(d["thing"].metadata, Unknown)
        if resolver == "uv":  # uv stops at the first reference it fails on: each is left out on its own failure
            assert "`sd @ file:" in d["sd"].metadata.reason and "thing.git" in d["thing"].metadata.reason


def test_too_many_packages_without_a_wheel_says_so_and_names_the_target(tmp_path, wheels, config, monkeypatch):
    """pypa/warehouse requirements.txt at 5f4a046 (pip-compile output of 2021, for Python 3.8) failed for a
    3.11 target with only "No solution found ... zope-interface==5.1.0 has no usable wheels": the first 20
    sdist-only packages had been left out silently, and nothing pointed at the target's Python version."""
    from tests.sources.wheelhouse import make_sdist

    make_sdist(tmp_path / "more", "sd2", "1.0")
    root = source_file(tmp_path, wheels, f"--find-links {tmp_path / 'more'}\nsd==2.0\nsd2==1.0\n")
    monkeypatch.setattr(REQ, "MAX_LEFT_OUT", 1)
    with pytest.raises(ResolutionError) as err:
        collect(RequirementsSource(root, resolver="uv"), config)
    message = str(err.value)
    assert "more than 1 packages have no wheel for the target (Python 3.11, linux/x86_64)" in message
    assert "--python-version" in message and "sd" in message and str(root) in message


def test_a_left_out_package_takes_its_version_from_the_inputs_constraints(tmp_path, wheels, config, monkeypatch):
    """astral-sh/uv test/requirements/airflow2-req.in with -c airflow2-constraints.txt (Python 3.8):
    mysqlclient, sdist-only, was left out as version unknown although the constraints pin 2.1.1
    (uv's message named it only in its hint: "Wheels are required for `mysqlclient`")."""
    found = REQ.wheel_only_failures
    monkeypatch.setattr(REQ, "wheel_only_failures", lambda message: {n: None for n in found(message)})
    write(tmp_path / "c.txt", "sd==2.0\n")
    make_wheel(tmp_path / "more", "needs-sd", "1.0", ["sd>=1.5"])
    root = source_file(tmp_path, wheels, f"--find-links {tmp_path / 'more'}\n-c c.txt\nneeds-sd\n")
    d = collect(RequirementsSource(root, resolver="uv"), config).by_name()
    assert d["sd"].version == "2.0" and isinstance(d["sd"].metadata, Unknown) and not d["sd"].direct
