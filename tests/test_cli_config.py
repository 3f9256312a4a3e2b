"""The configuration file (auditor/cli/configfile.py, docs/config.md): discovery, precedence, errors."""

import json
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli.configfile import ConfigError, defaults_for, discover

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty repository root (``.git`` stops the search) as the current directory."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def resolved(command: str, args: list[str]):
    """The command's parsed parameters and where each came from (click's ParameterSource)."""
    group = get_command(app)
    parent = group.make_context("auditor", [command, *args])
    cmd = group.commands[command]
    ctx = cmd.make_context(command, list(args), parent=parent)
    return ctx.params, {name: ctx.get_parameter_source(name).name for name in ctx.params}


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text)
    return path


def test_flags_beat_the_file_which_beats_the_defaults(project):
    write(project, "pyproject.toml", '[project]\nname = "x"\n\n[tool.auditor]\nlimit = 3\nformat = "json"\n'
                                     'offline = true\ndisable = ["release", "history"]\nweights = "conf/w.yml"\n'
                                     'deadline = 30\nplatform = "win32"\n')
    params, source = resolved("audit", [])
    assert params["limit"] == 3 and source["limit"] == "DEFAULT_MAP"
    assert params["output_format"].value == "json" and source["output_format"] == "DEFAULT_MAP"
    assert params["offline"] is True and params["disable"] == ["release", "history"]
    assert params["weights"] == project / "conf" / "w.yml"  # relative to the file's directory
    assert params["deadline"] == 30.0 and params["platform"].value == "win32"
    assert params["concurrency"] == 16 and source["concurrency"] == "DEFAULT"  # not in the file
    params, source = resolved("audit", ["--limit", "7", "-f", "markdown", "--disable", "names",
                                        "--platform", "linux", "--deadline", "5"])
    assert params["limit"] == 7 and source["limit"] == "COMMANDLINE"
    assert params["output_format"].value == "markdown" and params["disable"] == ["names"]
    assert params["platform"].value == "linux" and params["deadline"] == 5.0
    assert params["offline"] is True  # a flag not given still comes from the file


def test_command_tables_win_over_the_top_level(project):
    write(project, "auditor.toml", 'format = "json"\nconcurrency = 4\n\n[diff]\nformat = "sarif"\n'
                                   'fail-on-unknown = true\n\n[audit]\nlimit = 2\n')
    params, _ = resolved("diff", ["a", "b"])
    assert params["output_format"].value == "sarif" and params["fail_on_unknown"] is True
    assert params["concurrency"] == 4
    params, _ = resolved("audit", [])
    assert params["output_format"].value == "json" and params["limit"] == 2
    assert resolved("people", ["pkg"])[0]["concurrency"] == 4


def test_survey_reads_the_file_too(project):
    write(project, "pyproject.toml", '[tool.auditor]\nconcurrency = 3\noffline = true\n\n'
                                     '[tool.auditor.survey]\nworkers = 1\n')
    params, sources = resolved("survey", ["inputs"])
    assert (params["concurrency"], params["offline"], params["workers"]) == (3, True, 1)
    assert sources["workers"] == "DEFAULT_MAP"


def test_spellings_and_plurals(project):
    write(project, "auditor.toml", 'max_input_bytes = 2048\nmodels = ["org/m"]\nindex-url = "https://mirror/simple"\n')
    params, _ = resolved("audit", [])
    assert params["max_input_bytes"] == 2048 and params["model"] == ["org/m"]
    assert params["index_url"] == "https://mirror/simple"


def test_auditor_toml_wins_over_pyproject_in_the_same_directory(project):
    write(project, "pyproject.toml", "[tool.auditor]\nlimit = 3\n")
    write(project, "auditor.toml", "limit = 5\n")
    assert discover(project) == project / "auditor.toml"
    assert resolved("audit", [])[0]["limit"] == 5


def test_search_goes_up_to_the_repository_root_only(project, tmp_path):
    write(tmp_path, "auditor.toml", "limit = 9\n")  # outside the repository: never read
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    assert discover(sub) is None
    write(project, "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.auditor]: skipped
    assert discover(sub) is None
    write(project / "a", "pyproject.toml", "[tool.auditor]\nlimit = 4\n")
    assert discover(sub) == project / "a" / "pyproject.toml"


def test_explicit_file_and_no_config(project, tmp_path):
    write(project, "auditor.toml", "limit = 5\n")
    other = write(tmp_path, "ci.toml", "limit = 6\nallow-build = true\n")
    assert resolved("audit", ["--config", str(other)])[0]["limit"] == 6
    assert resolved("audit", [f"--config={other}"])[0]["allow_build"] is True
    assert resolved("audit", ["--no-config"])[0]["limit"] == 40


@pytest.mark.parametrize("text, words", [
    ('[tool.auditor]\nlimit = "many"\n', ["pyproject.toml:2", "[tool.auditor] limit", "integer"]),
    ("[tool.auditor]\n\nbogus = 1\n", ["pyproject.toml:3", "bogus: unknown option", "known: "]),
    ("[tool.auditor]\nconcurrency = 500\n", ["pyproject.toml:2", "concurrency", "128"]),
    ("[tool.auditor]\noffline = 1\n", ["offline: expected true or false"]),
    ('[tool.auditor]\ndisable = "history"\n', ["disable: expected a list"]),
    ('[tool.auditor]\ndisable = ["nope"]\n', ["disable", "unknown collector 'nope'"]),
    ('[tool.auditor]\nlimit = [1]\n', ["limit: expected one value"]),
    ('[tool.auditor]\nindex-url = "https://user:s3cret@mirror.example/simple"\n', ["index-url: a URL with credentials"]),
    ('[tool.auditor]\nallow-build = true\n', ["allow-build", "only from a file named with --config"]),
    ('[tool.auditor]\npython = "./evil"\n', ["python", "only from a file named with --config"]),
    ('[tool.auditor]\noutput = "/home/x/.bashrc"\n', ["output", "writes files"]),
    ("[tool.auditor.audit]\nfail-on-unknown = true\n", ["[tool.auditor.audit] fail-on-unknown: unknown option of auditor audit"]),
    ("[tool.auditor.diff]\nlimit = 1\n", ["[tool.auditor.diff] limit: unknown option of auditor diff"]),
    ("[tool.auditor]\naudit = 3\n", ["audit: must be a table"]),
    ("[tool.auditor\nlimit = 1\n", ["pyproject.toml:1", "not valid TOML"]),
    ('[tool.auditor]\nmax-input-bytes = 2048\nmax_input_bytes = 4096\n', ["set twice"]),
])
def test_bad_file_is_one_line_naming_file_and_key(project, text, words):
    write(project, "pyproject.toml", text)
    res = runner.invoke(app, ["audit", "requirements.txt"])
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert "\n" not in line and line.startswith("auditor: error: ")
    for word in words:
        assert word in line, line
    assert "s3cret" not in res.output


def test_secret_never_in_the_message(project):
    write(project, "auditor.toml", 'pypi-url = "https://token:hunter2@pypi.example"\n')
    with pytest.raises(ConfigError) as info:
        resolved_defaults = defaults_for(get_command(app).commands["audit"], _ctx("audit"), [])
        del resolved_defaults
    assert "hunter2" not in str(info.value) and "auditor.toml:1" in str(info.value)


def _ctx(command: str):
    group = get_command(app)
    parent = group.make_context("auditor", [command])
    return group.commands[command].make_context(command, ["--no-config"], parent=parent)


def test_a_typo_for_another_command_is_an_error_but_its_options_are_not(project):
    write(project, "pyproject.toml", "[tool.auditor]\nfail-on-unknown = true\nlimit = 2\n")
    assert resolved("diff", ["a", "b"])[0]["fail_on_unknown"] is True  # limit: an audit option, ignored by diff
    assert resolved("audit", [])[0]["limit"] == 2


def test_end_to_end_format_from_the_file_and_the_flag_wins(env_args, project):
    write(project, "pyproject.toml", '[tool.auditor]\nformat = "json"\nlimit = 1\n')
    res = runner.invoke(app, ["audit", *env_args])
    assert res.exit_code == 0, res.output
    assert {p["name"] for p in json.loads(res.stdout)["packages"]} == {"app", "lib", "python"}
    res = runner.invoke(app, ["audit", *env_args, "-f", "markdown"])
    assert res.exit_code == 0 and res.stdout.lstrip().startswith("#")


def test_help_works_beside_a_bad_file(project):
    write(project, "auditor.toml", "bogus = 1\n")
    res = runner.invoke(app, ["audit", "--help"])
    assert res.exit_code == 0 and "--config" in res.output and "--no-config" in res.output
    assert runner.invoke(app, ["audit", "x.txt"]).exit_code == 2


def test_every_command_takes_config_and_no_config(project, tmp_path):
    """docs/config.md: every command reads the file, so every command can name one or refuse it (survey could not)."""
    group = get_command(app)
    for name, command in group.commands.items():
        assert {"config", "no_config"} <= {p.name for p in command.params}, name
    write(project, "auditor.toml", "workers = 2\n")
    other = write(tmp_path, "ci.toml", "workers = 3\n")
    assert resolved("survey", ["inputs"])[0]["workers"] == 2
    assert resolved("survey", ["--config", str(other), "inputs"])[0]["workers"] == 3
    assert resolved("survey", ["--no-config", "inputs"])[0]["workers"] == 4


def test_help_shows_the_table_name(project):
    """The --config help names '[tool.auditor]'; rich took it for markup and printed "a pyproject.toml's )"."""
    for command in get_command(app).commands:
        text = " ".join(runner.invoke(app, [command, "--help"], terminal_width=200).output.replace("│", " ").split())
        assert "pyproject.toml's [tool.auditor])" in text, command
