"""Static scan of Python files and notebooks for the Hugging Face Hub repositories they load.

Nothing from the scanned project is imported or executed: each ``.py`` file
and each code cell of an ``.ipynb`` notebook is parsed with :mod:`ast` and
only call expressions are read.  A reference is recorded when a loading call
has a *literal* repository id (a string constant, or a module-level name
assigned a string constant exactly once):

| call (last name of the callee) | repository id argument | kind |
|---|---|---|
| ``*.from_pretrained`` (transformers, diffusers, ...) | 1st positional, ``pretrained_model_name_or_path`` | model |
| ``PeftModel*.from_pretrained`` (peft adapters) | 2nd positional, ``model_id`` | model |
| ``pipeline`` | ``model=``, or 2nd positional | model |
| ``load_dataset`` | 1st positional, ``path`` | dataset |
| ``hf_hub_download``, ``snapshot_download`` | 1st positional, ``repo_id`` | ``repo_type=`` (default model) |
| ``SentenceTransformer``, ``CrossEncoder`` | 1st positional, ``model_name_or_path`` / ``model_name`` | model |
| any call (``timm.create_model``, ``open_clip.create_model_and_transforms``, ...) | a string argument ``"hf-hub:org/name[@rev]"`` | model |

A literal that is not shaped like a Hub id (the Hub's own rule, as
``huggingface_hub.utils.validate_repo_id`` checks it: at most one ``/``,
names of ``[A-Za-z0-9_.-]`` up to 96 characters, no ``--`` or ``..``), or
that is a local path (``./out``, ``/data/x``, ``~``), a file name
(``train.csv``) or a packaged ``datasets`` builder (``"csv"``, ``"json"``,
``"imagefolder"``, ...), is not a Hub reference and is not reported.  A
loading call whose id is not a literal is an :class:`UnresolvedReference`.

Bounds (hostile input): files larger than *max_file_bytes* are skipped as
``too_large``; at most *max_files* files are read; symbolic links are not
followed; hidden directories, virtual environments and ``__pycache__`` are
not entered; a file that does not parse (syntax error, null bytes, nesting
too deep for the parser) is skipped as ``malformed``.  docs/models.md.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from auditor.dist.bounded import loads_json
from auditor.errors import InputError
from auditor.models import normalize_name
from auditor.models.hub import HUB_KINDS, HubReference, HubScan, SourceLocation, UnresolvedReference
from auditor.models.unknown import Unknown, UnknownKind

#: Default size limit of one scanned file (bytes); notebooks with outputs can be large.
DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
#: Default limit on the number of files read in one scan.
DEFAULT_MAX_FILES = 20_000
#: A ``RECORD`` read to find which installed distribution a scanned file belongs to: at most this large,
#: and at most this many ``*.dist-info`` directories per ``site-packages``.
MAX_RECORD_BYTES = 4 * 1024 * 1024
MAX_DISTRIBUTIONS = 10_000

#: Directories never entered: version control, virtual environments, caches, dependencies.
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "venv", "env", ".git"})

#: huggingface_hub's REPO_ID_REGEX (utils/_validators.py): optional namespace, name of 1-96 characters.
_REPO_ID = re.compile(r"(?:\b[\w\-.]+\b/)?\b[\w\-.]{1,96}\b", re.ASCII)

#: Packaged builders of ``datasets`` (``datasets/packaged_modules``): ``load_dataset("csv", ...)`` reads local files.
_PACKAGED_BUILDERS = frozenset({
    "arrow", "audiofolder", "cache", "csv", "eval", "generator", "hdf5", "imagefolder", "json", "niftifolder",
    "pandas", "parquet", "pdffolder", "spark", "sql", "text", "videofolder", "webdataset", "xml",
})

#: File suffixes that make a literal a file, not a repository (``"data/train.csv"``).
_FILE_SUFFIXES = frozenset({
    ".arrow", ".bin", ".ckpt", ".csv", ".gz", ".h5", ".jsonl", ".json", ".md", ".msgpack", ".npy", ".npz",
    ".onnx", ".parquet", ".pkl", ".pt", ".pth", ".py", ".safetensors", ".tar", ".tsv", ".txt", ".xml",
    ".yaml", ".yml", ".zip", ".model", ".tflite", ".gguf", ".ggml", ".pb", ".jpg", ".png", ".wav",
})

_HF_HUB_PREFIXES = ("hf-hub:", "hf_hub:")

#: A revision given on the command line: a branch, tag or sha (git ref characters, bounded).
_REVISION = re.compile(r"[\w.\-/]{1,200}", re.ASCII)

#: Cell magics whose body IPython runs as Python (``%%time``); any other cell magic's body is not scanned.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

#: call name -> (kind, keyword names of the repository id, positional index of the id).
_CALLS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "from_pretrained": ("model", ("pretrained_model_name_or_path",), 0),
    "pipeline": ("model", ("model",), 1),
    "load_dataset": ("dataset", ("path",), 0),
    "hf_hub_download": ("model", ("repo_id",), 0),
    "snapshot_download": ("model", ("repo_id",), 0),
    "SentenceTransformer": ("model", ("model_name_or_path",), 0),
    "CrossEncoder": ("model", ("model_name", "model_name_or_path"), 0),
}
#: Calls whose kind is chosen by their ``repo_type=`` argument.
_REPO_TYPE_CALLS = frozenset({"hf_hub_download", "snapshot_download"})


def is_hub_id(text: str, kind: str = "model") -> bool:
    """True when *text* is shaped like a Hub repository id of *kind* and not a path, file or builder.

    Args:
        text: a string literal from the scanned code.
        kind: ``"model"``, ``"dataset"`` or ``"space"``; for datasets the packaged
            builders (``"csv"``, ``"json"``, ...) are not Hub ids.
    """
    if not text or len(text) > 200 or _REPO_ID.fullmatch(text) is None:
        return False
    if "--" in text or ".." in text or text.endswith(".git") or text.startswith((".", "-")):
        return False
    suffix = os.path.splitext(text)[1].lower()
    if suffix in _FILE_SUFFIXES:
        return False
    return not (kind == "dataset" and text.lower() in _PACKAGED_BUILDERS)


def scan_paths(paths: Iterable[str | Path], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
               max_files: int = DEFAULT_MAX_FILES) -> HubScan:
    """Scan directories and files for Hub references; never imports or runs what it reads.

    Args:
        paths: directories (walked for ``*.py`` and ``*.ipynb``) or single files.
        max_file_bytes: files larger than this are skipped as ``too_large``.
        max_files: files beyond this count are not read; the scan records one
            ``too_large`` entry saying so.

    Returns:
        A :class:`HubScan` ordered by location.  Locations are relative to the
        directory given (``/``-separated); a single file keeps the path as given.

    Raises:
        FileNotFoundError: a path does not exist (the CLI turns it into exit 2).
    """
    refs: list[HubReference] = []
    unresolved: list[UnresolvedReference] = []
    skipped: list[tuple[str, Unknown]] = []
    count = 0
    owners = _Owners()
    for path, label in _files(paths):
        if count >= max_files:
            skipped.append((label, Unknown.of(UnknownKind.TOO_LARGE, f"more than {max_files} files; the rest were not scanned")))
            break
        count += 1
        try:
            size = path.stat().st_size
            if size > max_file_bytes:
                skipped.append((label, Unknown.of(UnknownKind.TOO_LARGE, f"{size} bytes, over {max_file_bytes}")))
                continue
            data = path.read_bytes()
        except OSError as exc:
            skipped.append((label, Unknown.of(UnknownKind.ERROR, f"cannot read: {exc.strerror or exc}")))
            continue
        before = len(refs)
        problem = scan_source(data, label, refs, unresolved, notebook=path.suffix == ".ipynb")
        if problem is not None:
            skipped.append((label, problem))
        owner = owners.of(path) if len(refs) > before else None
        if owner is not None:  # the code of an installed distribution: it loads these, not the project
            refs[before:] = [replace(r, package=owner) for r in refs[before:]]
    refs.sort(key=lambda r: (r.location, r.kind, r.repo_id))
    unresolved.sort(key=lambda u: (u.location, u.call))
    skipped.sort(key=lambda s: s[0])
    return HubScan(tuple(refs), tuple(unresolved), tuple(skipped), count)


class _Owners:
    """Which installed distribution a scanned file belongs to: the ``*.dist-info/RECORD`` files of the
    ``site-packages`` (or ``dist-packages``) directory above it, read once per directory (each at most
    :data:`MAX_RECORD_BYTES`; an unreadable or malformed one owns nothing).  Nothing is imported."""

    def __init__(self) -> None:
        self._maps: dict[Path, dict[str, str]] = {}

    def of(self, path: Path) -> str | None:
        """The PEP 503 name of the distribution whose RECORD lists *path*, or None."""
        try:
            full = path.resolve()
        except OSError:
            return None
        site = _site_of(full)
        if site is None:
            return None
        if site not in self._maps:
            self._maps[site] = _record_map(site)
        return self._maps[site].get(full.relative_to(site).as_posix())


def _site_of(path: Path) -> Path | None:
    """The ``site-packages``/``dist-packages`` directory above *path* (resolved), or None."""
    return next((p for p in path.resolve().parents if p.name in ("site-packages", "dist-packages")), None)


def _records(site: Path) -> Iterator[tuple[Path, bytes]]:
    """``(dist-info directory, RECORD bytes)`` of the distributions installed in *site*, in name order:
    at most :data:`MAX_DISTRIBUTIONS`, each RECORD a regular file of at most :data:`MAX_RECORD_BYTES`."""
    try:
        infos = sorted(p for p in site.iterdir() if p.name.endswith(".dist-info") and p.is_dir())
    except OSError:
        return
    for info in infos[:MAX_DISTRIBUTIONS]:
        record = info / "RECORD"
        try:
            if record.is_symlink() or record.stat().st_size > MAX_RECORD_BYTES:
                continue
            yield info, record.read_bytes()
        except OSError:
            continue


def _record_map(site: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for info, data in _records(site):
        text = data.decode("utf-8", errors="replace")
        name = normalize_name(info.name[: -len(".dist-info")].split("-", 1)[0])
        for row in csv.reader(io.StringIO(text)):
            if row and row[0] and not row[0].startswith(("/", "..")):
                out.setdefault(row[0], name)
    return out


def scan_source(data: bytes | str, label: str, refs: list[HubReference], unresolved: list[UnresolvedReference],
                *, notebook: bool = False) -> Unknown | None:
    """Scan one file's text, appending to *refs* and *unresolved*; return an Unknown if it cannot be parsed.

    Args:
        data: the file's bytes (or text).
        label: the file's name in locations.
        refs, unresolved: lists appended to.
        notebook: parse *data* as an ``.ipynb`` JSON document and scan its code cells.
    """
    if not notebook:
        return _scan_module(data, label, None, refs, unresolved)
    try:
        doc = loads_json(data, max_bytes=len(data) + 1)
    except (ValueError, RecursionError) as exc:
        return Unknown.of(UnknownKind.MALFORMED, f"not a notebook: {type(exc).__name__}")
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):
        return Unknown.of(UnknownKind.MALFORMED, "not a notebook: no 'cells' list")
    bad = 0
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            bad += 1
            continue
        if _scan_module(_without_magics(source), label, index, refs, unresolved) is not None:
            bad += 1
    return Unknown.of(UnknownKind.MALFORMED, f"{bad} code cell(s) not parsed") if bad else None


def _files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, label)`` for each ``.py``/``.ipynb`` file, sorted within each directory, no symlinks."""
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield root, str(given)
            continue
        if not root.is_dir():
            raise FileNotFoundError(f"{given}: no such file or directory")
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS
                                 and not os.path.islink(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                full = Path(dirpath, name)
                if full.suffix in (".py", ".ipynb") and not full.is_symlink() and full.is_file():
                    yield full, full.relative_to(root).as_posix()


def _without_magics(source: str) -> str:
    """Blank IPython magics and shell lines (``%pip``, ``!ls``, ``%%time``) so the cell parses; lines keep their numbers."""
    lines = source.split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in _PYTHON_CELL_MAGICS:  # %%bash, %%writefile: the body is not Python
            return "\n" * (len(lines) - 1)
        lines[0] = ""
    return "\n".join("" if line.lstrip().startswith(("%", "!", "?")) else line for line in lines)


def _scan_module(text: bytes | str, label: str, cell: int | None, refs: list[HubReference],
                 unresolved: list[UnresolvedReference]) -> Unknown | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return Unknown.of(UnknownKind.MALFORMED, f"does not parse: {type(exc).__name__}")
    constants = _module_constants(tree)
    rebound = _rebound_names(tree) if constants is not None else {}
    for index, stmt in enumerate(tree.body):
        here = dict(constants or {})
        for name, bindings in rebound.items():  # the value a name bound several times has when this statement runs
            before = [value for at, value in bindings if at < index]
            if before and before[-1] is not _MISSING:
                here[name] = before[-1]
        for node, top_level in _calls(stmt):
            _scan_call(node, here if top_level else (constants or {}), label, cell, refs, unresolved)
    return None


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _calls(stmt: ast.stmt):
    """``(call, runs at module level)`` for every call in *stmt* (inside a def or lambda: not module level)."""
    stack = [(stmt, True)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, ast.Call):
            yield node, top
        inner = top and not isinstance(node, _SCOPES)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def _bindings(stmt: ast.stmt) -> tuple[list[ast.expr], ast.expr | None]:
    if isinstance(stmt, ast.Assign):
        return stmt.targets, stmt.value
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        return [stmt.target], stmt.value
    if isinstance(stmt, ast.AugAssign):
        return [stmt.target], None
    return [], None


def _rebound_names(tree: ast.Module) -> dict[str, list[tuple[int, object]]]:
    """Module-level names bound more than once by top-level assignments: ``{name: [(statement index, literal
    or _MISSING), ...]}``, so that a call at module level reads the value its name has at that point."""
    out: dict[str, list[tuple[int, object]]] = {}
    for index, stmt in enumerate(tree.body):
        targets, value = _bindings(stmt)
        for target in targets:
            if isinstance(target, ast.Name):
                literal = value.value if (isinstance(value, ast.Constant)
                                          and isinstance(value.value, (str, bool, type(None)))) else _MISSING
                out.setdefault(target.id, []).append((index, literal))
    return {name: b for name, b in out.items() if len(b) > 1}


#: Calls that can rebind a module's names at run time (nanoGPT's ``exec(open('configurator.py').read())``).
_REBINDERS = frozenset({"exec", "globals", "vars"})


def _module_constants(tree: ast.Module) -> dict[str, object] | None:
    """Module-level names bound exactly once, to a str/bool/None constant (``MODEL = "org/name"``).

    None when the module calls ``exec``, ``globals`` or ``vars``: a name's
    literal is then only a default that the code may replace.
    """
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _REBINDERS for n in ast.walk(tree)):
        return None
    values: dict[str, object] = {}
    seen: dict[str, int] = {}
    for stmt in tree.body:
        targets: list[ast.expr] = []
        value = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        elif isinstance(stmt, ast.AugAssign):
            targets = [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                seen[target.id] = seen.get(target.id, 0) + 1
                if isinstance(value, ast.Constant) and isinstance(value.value, (str, bool, type(None))):
                    values[target.id] = value.value
    return {name: v for name, v in values.items() if seen.get(name) == 1}


def _receiver(func: ast.expr) -> str:
    """The name before ``.method`` (``PeftModel`` in ``PeftModel.from_pretrained``), or ``""``."""
    if isinstance(func, ast.Attribute):
        value = func.value
        return value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
    return ""


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


_MISSING = object()


def _literal(node: ast.expr | None, constants: dict[str, object]) -> object:
    """The constant *node* stands for, or ``_MISSING``."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return _MISSING


def _describe(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return f"a variable ({node.id!r})"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.Attribute):
        return f"an expression (.{node.attr})"
    return f"an expression ({type(node).__name__})"


def _argument(call: ast.Call, names: tuple[str, ...], position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in names:
            return keyword.value
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    return None


def _option(call: ast.Call, name: str, constants: dict[str, object], absent: object) -> object:
    """A keyword argument's literal; *absent* when not given (and no ``**kwargs``); Unknown otherwise."""
    for keyword in call.keywords:
        if keyword.arg == name:
            value = _literal(keyword.value, constants)
            if value is _MISSING:
                return Unknown.of(UnknownKind.UNSUPPORTED, f"{name}= is {_describe(keyword.value)}, not a literal")
            return value
    if any(keyword.arg is None for keyword in call.keywords):
        return Unknown.of(UnknownKind.UNSUPPORTED, f"{name}= may come from **kwargs")
    return absent


def _scan_call(call: ast.Call, constants: dict[str, object], label: str, cell: int | None,
               refs: list[HubReference], unresolved: list[UnresolvedReference]) -> None:
    name = _call_name(call.func)
    where = SourceLocation(label, call.lineno, cell)
    spec = _CALLS.get(name or "")
    if spec is None:
        _scan_hf_hub_strings(call, name or "call", constants, where, refs)
        return
    kind, keywords, position = spec
    if name == "from_pretrained" and _receiver(call.func).startswith("PeftModel"):
        keywords, position = ("model_id",), 1  # peft: PeftModel.from_pretrained(base_model, "org/adapter")
    if name in _REPO_TYPE_CALLS:
        repo_type = _option(call, "repo_type", constants, None)
        if repo_type is None:
            repo_type = "model"
        if not isinstance(repo_type, str) or repo_type not in HUB_KINDS:
            unresolved.append(UnresolvedReference(name, where, "repo_type= is not a literal Hub kind"))
            return
        kind = repo_type
    arg = _argument(call, keywords, position)
    if arg is None:
        if name != "pipeline":  # pipeline(task) with no model loads the task's default model
            unresolved.append(UnresolvedReference(name, where, "repository id not given as an argument"))
        return
    value = _literal(arg, constants)
    if value is _MISSING:
        unresolved.append(UnresolvedReference(name, where, f"repository id is {_describe(arg)}"))
        return
    if not isinstance(value, str):
        return
    revision = _option(call, "revision", constants, None)
    if isinstance(value, str) and value.startswith(_HF_HUB_PREFIXES):
        _add_hf_hub(value, name, where, refs)
        return
    if not is_hub_id(value, kind):
        return
    if revision is not None and not isinstance(revision, (str, Unknown)):
        revision = Unknown.of(UnknownKind.UNSUPPORTED, "revision= is not a string")
    trust = _option(call, "trust_remote_code", constants, False)
    if not isinstance(trust, (bool, Unknown)):
        trust = Unknown.of(UnknownKind.UNSUPPORTED, "trust_remote_code= is not a bool")
    safetensors = _option(call, "use_safetensors", constants, None)
    if not isinstance(safetensors, (bool, Unknown, type(None))):
        safetensors = Unknown.of(UnknownKind.UNSUPPORTED, "use_safetensors= is not a bool")
    refs.append(HubReference(kind, value, revision, trust, safetensors, name, where))


def _scan_hf_hub_strings(call: ast.Call, name: str, constants: dict[str, object], where: SourceLocation,
                         refs: list[HubReference]) -> None:
    """``hf-hub:org/name[@rev]`` string arguments of any call (timm, open_clip)."""
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        value = _literal(arg, constants)
        if isinstance(value, str) and value.startswith(_HF_HUB_PREFIXES):
            _add_hf_hub(value, name, where, refs)


def _add_hf_hub(value: str, name: str, where: SourceLocation, refs: list[HubReference]) -> None:
    repo_id, _, revision = value.split(":", 1)[1].partition("@")
    if is_hub_id(repo_id):
        refs.append(HubReference("model", repo_id, revision or None, False, None, name, where))


def parse_reference(value: str, kind: str) -> HubReference:
    """A ``--model``/``--dataset`` option ``ID[@REV]`` as a reference at location ``<cli>``.

    Raises:
        InputError: *value* is not shaped like a Hub repository id (exit 2).
    """
    repo_id, _, revision = value.partition("@")
    if not is_hub_id(repo_id, kind) or (revision and not _REVISION.fullmatch(revision)):
        raise InputError(f"--{kind} {value!r}: not a Hugging Face Hub {kind} id (ORG/NAME or NAME, optionally @REVISION)")
    return HubReference(kind, repo_id, revision or None, False, None, f"--{kind}", SourceLocation("<cli>", 0))


def discover(scan: Iterable[str | Path] = (), models: Iterable[str] = (), datasets: Iterable[str] = (),
             cache: Path | None | bool = False) -> HubScan:
    """The scan of *scan*, the references given as options and the local Hub cache's snapshots
    (*cache*: a directory, ``None`` for the default one, ``False`` for none; ``sources/hub_cache.py``),
    in one :class:`HubScan` (options first, then the scan, then the cache).

    Raises:
        InputError: a bad option value, or a *scan* path or cache directory that does not exist (exit 2).
    """
    try:
        found = scan_paths(scan) if scan else HubScan()
    except FileNotFoundError as exc:
        raise InputError(f"--scan {exc}") from exc
    given = [parse_reference(v, "model") for v in models] + [parse_reference(v, "dataset") for v in datasets]
    cached, broken = (), ()
    if cache is not False:
        from auditor.sources.hub_cache import cache_references

        cached, broken = cache_references(cache)
    return HubScan(tuple(given) + found.references + cached, found.unresolved, found.skipped + broken, found.files)


def inputs_digest(scan: Iterable[str | Path] = (), cache: Path | None | bool = False, *,
                  max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, max_files: int = DEFAULT_MAX_FILES) -> str | None:
    """A SHA-256 hex digest of what :func:`discover` reads from disk, for the result cache's key
    (``auditor/net/results.py``), or None when it cannot be computed (the audit is then not cached).

    Covers each scanned file the scan would read (the same walk, the same bounds), by resolved path
    and bytes (a file over *max_file_bytes* by its size, as the scan reports it), the ``RECORD`` files
    that attribute a scanned ``site-packages`` file to its distribution (the same bounds), and the local Hub
    cache's listing as :func:`auditor.sources.hub_cache.cache_references` reads it (every repository,
    snapshot revision and ref, and every corrupted entry).  Nothing is parsed or imported.

    Args:
        scan: the ``--scan`` paths.
        cache: the ``--hf-cache`` directory, ``None`` for the default one, ``False`` for none.
    """
    import hashlib

    h = hashlib.sha256()
    try:
        count = 0
        sites: set[Path] = set()
        for path, label in _files(scan):
            if count >= max_files:
                h.update(b"more files\0")
                break
            count += 1
            size = path.stat().st_size
            h.update(f"{path.resolve()}\0{label}\0{size}\0".encode("utf-8", "surrogateescape"))
            if size <= max_file_bytes:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            site = _site_of(path)
            if site is not None:
                sites.add(site)
        for site in sorted(sites):  # the RECORDs that say which package a scanned file belongs to
            for info, data in _records(site):
                h.update(f"\0record\0{info}\0".encode("utf-8", "surrogateescape") + hashlib.sha256(data).digest())
        if cache is not False:
            from auditor.sources.hub_cache import cache_references, default_cache_dir

            refs, broken = cache_references(cache)
            h.update(f"\0cache\0{Path(cache if cache is not None else default_cache_dir()).resolve()}\0".encode(
                "utf-8", "surrogateescape"))
            for ref in refs:
                h.update(f"{ref.kind}\0{ref.repo_id}\0{ref.revision}\0{ref.location.file}\0".encode())
            for folder, unknown in broken:
                h.update(f"{folder}\0{unknown.reason}\0".encode("utf-8", "surrogateescape"))
    except (OSError, InputError):
        return None
    return h.hexdigest()
