"""The configuration file: ``auditor.toml`` or ``[tool.auditor]`` in ``pyproject.toml`` -> click's ``default_map``.

Every option of a command can be set in the file under its long name
(``limit = 3``, ``concurrency = 8``, ``format = "json"``, ``index-url =
"..."``, ``disable = ["github"]``); ``snake_case`` spellings are accepted
too, and a repeatable option also under its plural (``models = [...]``).
The values become the command's click ``default_map``, so click itself
keeps the precedence without any per-option code: a flag on the command
line (``ParameterSource.COMMANDLINE``) beats the file
(``ParameterSource.DEFAULT_MAP``), which beats the option's declared
default (``ParameterSource.DEFAULT``; a ``$AUDITOR_*`` variable named as a
default in ``--help`` counts as a default).

Which file (docs/config.md):

* ``--no-config``: none; ``--config FILE``: that file (a file named
  ``pyproject.toml`` is read for its ``[tool.auditor]`` table, any other
  file is the table itself);
* otherwise the current directory and then each parent, up to and
  including the first directory that holds ``.git`` (the repository root)
  or the filesystem root; the first directory with ``auditor.toml``, or
  with a ``pyproject.toml`` that has a ``[tool.auditor]`` table, gives the
  file.  When a directory has both, ``auditor.toml`` wins and the
  ``pyproject.toml`` table is not read (as ruff does with ``ruff.toml``).

Keys at the top of the table apply to every command that has an option of
that name (a key no command has is an error); ``[tool.auditor.audit]``,
``[tool.auditor.diff]``, ``[tool.auditor.survey]``, ``[tool.auditor.explain]``
and ``[tool.auditor.people]`` set an option for one command and win over the
top level.  Relative paths are relative to the file's directory.  A URL
with credentials in it is refused (use ``.netrc`` or a keyring), and the
options that run code or write files (:data:`EXPLICIT_ONLY`) are taken
only from a file named with ``--config``, never from a discovered one: a
checkout being audited does not choose them.

Errors are one line naming the file, the line when it is known, and the
key; the command exits with 2 (:class:`ConfigError`).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import urlsplit

import typer

from auditor.errors import InputError

#: click's exception base class, as typer (which vendors click) raises it for a bad value.
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

#: Largest configuration file read (bytes).
MAX_CONFIG_BYTES = 1 << 20

#: File names, in the order they win within one directory.
AUDITOR_TOML, PYPROJECT = "auditor.toml", "pyproject.toml"

#: Options never read from the file (they choose the file).
NOT_CONFIGURABLE = frozenset({"config", "no-config", "help", "version"})

#: Options that run code (``--allow-build`` runs build backends, ``--python`` runs an interpreter) or
#: write files (``--output``): read only from a file given with ``--config``.
EXPLICIT_ONLY = frozenset({"allow-build", "python", "output"})


class ConfigError(InputError):
    """A configuration file that cannot be used: unreadable, not TOML, an unknown key or a bad value (exit 2)."""


def requested(args: Iterable[str]) -> tuple[Optional[Path], bool]:
    """``(--config FILE, --no-config)`` as given in *args* (before ``--``); click parses them again later."""
    path, off = None, False
    items = list(args)
    for i, arg in enumerate(items):
        if arg == "--":
            break
        if arg == "--no-config":
            off = True
        elif arg == "--config" and i + 1 < len(items):
            path = Path(items[i + 1])
        elif arg.startswith("--config="):
            path = Path(arg.partition("=")[2])
    return path, off


def discover(start: Path) -> Optional[Path]:
    """The configuration file for a run in *start* (see the module docstring), or None.

    Raises:
        ConfigError: a ``pyproject.toml`` on the way that cannot be read as TOML.
    """
    for directory in (start, *start.parents):
        candidate = directory / AUDITOR_TOML
        if candidate.is_file():
            return candidate
        candidate = directory / PYPROJECT
        if candidate.is_file() and _table(candidate, _read(candidate), required=False) is not None:
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def _read(path: Path) -> tuple[dict, str]:
    """The parsed document and its text. Raises ConfigError (naming the file and the line) when unusable."""
    from auditor.dist.bounded import loads_toml

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: configuration file larger than {MAX_CONFIG_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
        return loads_toml(text, max_bytes=MAX_CONFIG_BYTES), text
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError names the line: "... (at line 3, column 9)"
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"{path}:{match.group(1)}" if match else str(path)
        raise ConfigError(f"{where}: not valid TOML: {re.sub(r' [(]at line .*[)]', '', str(exc))}") from None


def _table(path: Path, parsed: tuple[dict, str], required: bool = True) -> Optional[dict]:
    """The auditor table of a parsed file: ``[tool.auditor]`` of a pyproject.toml, else the whole document."""
    doc, _ = parsed
    if path.name != PYPROJECT:
        return doc
    table = doc.get("tool", {}).get("auditor") if isinstance(doc.get("tool"), dict) else None
    if table is None and required:
        raise ConfigError(f"{path}: has no [tool.auditor] table")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.auditor must be a table")
    return table


def long_name(param: Any) -> Optional[str]:
    """An option's long name without dashes (``--max-input-bytes`` -> ``max-input-bytes``); None for arguments."""
    if getattr(param, "param_type_name", None) != "option":
        return None
    return next((o[2:] for o in param.opts if o.startswith("--")), None)


def keys_of(command: Any) -> dict[str, Any]:
    """Every key that sets an option of *command*: long name, its snake_case, and for a repeatable option the plurals."""
    out: dict[str, Any] = {}
    for param in command.params:
        name = long_name(param)
        if name is None or name in NOT_CONFIGURABLE:
            continue
        spellings = {name, name.replace("-", "_")}
        if param.multiple:
            spellings |= {s + "s" for s in spellings}
        for spelling in spellings:
            out[spelling] = param
    return out


class _Located:
    """Finds the line of a key in the file's text (tomllib gives lines only for syntax errors)."""

    def __init__(self, path: Path, text: str, section: str) -> None:
        self.path, self.lines, self.section = path, text.splitlines(), section

    def where(self, key: str, table: str) -> str:
        header = re.compile(r"^\s*\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), -1) if table else -1
        pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for number in range(start + 1, len(self.lines)):
            if number > start + 1 and table and self.lines[number].lstrip().startswith("[") and start >= 0 \
                    and not self.lines[number].lstrip().startswith("[["):
                break
            if pattern.match(self.lines[number]):
                return f"{self.path}:{number + 1}"
        return str(self.path)


def defaults_for(command: Any, ctx: typer.Context, args: list[str]) -> Optional[dict[str, Any]]:
    """The ``default_map`` of *command* from its configuration file (None when there is none).

    Args:
        command: the click command about to parse *args*.
        ctx: its context (``ctx.parent`` is the group, whose commands tell which keys exist).
        args: the command line after the command's name.

    Raises:
        ConfigError: see the module docstring.
    """
    explicit, off = requested(args)
    if off:
        return None
    path = explicit if explicit is not None else discover(Path.cwd())
    if path is None:
        return None
    parsed = _read(path)
    table = _table(path, parsed)
    assert table is not None
    section = "tool.auditor" if path.name == PYPROJECT else ""
    located = _Located(path, parsed[1], section)
    group = ctx.parent.command if ctx.parent is not None else None
    commands = getattr(group, "commands", {}) or {command.name: command}
    anywhere = {key for other in commands.values() for key in keys_of(other)}
    mine = keys_of(command)

    def fail(key: str, table_name: str, message: str) -> ConfigError:
        label = f"[{table_name}] " if table_name else ""
        return ConfigError(f"{located.where(key, table_name)}: {label}{key}: {message}")

    values: dict[str, Any] = {}
    layers = [(section, {k: v for k, v in table.items() if k not in commands})]
    for name, sub in table.items():
        if name in commands:
            if not isinstance(sub, dict):
                raise fail(name, section, f"must be a table of {name} options")
            if name == command.name:
                layers.append((f"{section}.{name}" if section else name, sub))
            else:
                for key in sub:  # checked, not used: a typo for another command is still a typo
                    if key not in keys_of(commands[name]):
                        raise fail(key, f"{section}.{name}" if section else name, f"unknown option of auditor {name}")
    origin: dict[str, str] = {}
    for table_name, layer in layers:
        for key, value in layer.items():
            param = mine.get(key)
            if param is None:
                if key in anywhere and table_name == section:
                    continue
                known = ", ".join(sorted({long_name(p) or "" for p in mine.values()}))
                raise fail(key, table_name, f"unknown option{f' of auditor {command.name}' if table_name != section else ''}"
                                            f" (known: {known})")
            name = long_name(param)
            if name in EXPLICIT_ONLY and explicit is None:
                raise fail(key, table_name, f"--{name} is read only from a file named with --config "
                                            f"(it {'writes files' if name == 'output' else 'runs code'})")
            if param.name in origin and origin[param.name] == table_name:
                raise fail(key, table_name, f"set twice in one table (also as {origin[param.name + ':key']})")
            origin[param.name] = table_name
            origin[param.name + ":key"] = key
            try:
                values[param.name] = _value(param, value, path.parent, ctx)
            except (_ClickException, ValueError, TypeError) as exc:
                message = exc.format_message() if isinstance(exc, _ClickException) else str(exc)
                raise fail(key, table_name, message) from None
    return values


def _value(param: Any, value: Any, base: Path, ctx: typer.Context) -> Any:
    """*value* checked for *param* and made what click would get from a command line; raises ValueError or BadParameter."""
    if isinstance(value, dict):
        raise ValueError("expected a value, not a table")
    if param.is_flag:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, not a {type(value).__name__}")
        return value
    if param.multiple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list (this option is repeatable), not a {type(value).__name__}")
        items = value
    else:
        if isinstance(value, list):
            raise ValueError("expected one value, not a list")
        items = [value]
    cleaned = []
    for item in items:
        if isinstance(item, bool) or isinstance(item, (dict, list)):
            raise ValueError(f"expected one value, not a {type(item).__name__}")
        if isinstance(item, (datetime.date, datetime.datetime, datetime.time)):
            item = item.isoformat()
        if isinstance(item, str) and "://" in item:
            parts = urlsplit(item)
            if parts.username or parts.password:
                raise ValueError("a URL with credentials in it; put them in .netrc or a keyring, not in a file "
                                 "that is committed (docs/config.md)")
        if _is_path(param) and isinstance(item, str):
            item = str(base / Path(item).expanduser())
        cleaned.append(item)
    result = cleaned if param.multiple else cleaned[0]
    param.process_value(ctx, result)  # typer's own conversion, range check and callback, as for a flag
    return result


def _is_path(param: Any) -> bool:
    """True for an option typer reads as a ``Path`` (its value is resolved against the file's directory)."""
    descriptor = getattr(param, "type_descriptor", None)
    return bool(getattr(descriptor, "is_path", False))
