"""Where the benchmarks write their results: ``benchmarks/results/<name>.json``.

Each file holds one run of one script: ``{"benchmark", "date", "machine",
"command", "rows"}``; ``rows`` is a list of flat dicts (seconds, ratios,
megabytes) whose keys the script documents.  ``benchmarks/readme_table.py``
rebuilds the README's performance section from these files alone, so the
README shows what the last run measured and nothing else.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent
_compiled: list[str] = []


def compile_bytecode() -> None:
    """Write the ``__pycache__`` bytecode of the ``auditor`` tree, as ``pip install`` does.

    The benchmarks run auditor from this checkout; with ``PYTHONDONTWRITEBYTECODE``
    set (the development machine sets it) nothing ever writes the bytecode, and
    every timed process would compile every module it imports from source
    (~0.5 s of a cold audit), which no installed copy does.  ``py_compile`` writes
    regardless of that variable; the ``__pycache__`` folders are git-ignored.
    Recorded as ``"bytecode"`` in the results this process writes.
    """
    import compileall

    if not compileall.compile_dir(str(ROOT / "auditor"), quiet=1):
        raise SystemExit("compileall failed on auditor/")
    _compiled.append("compiled before timing (as pip install does)")


def machine() -> dict:
    """The machine a result was measured on (cores, Python, OS)."""
    return {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(terse=True)}


def write(name: str, rows: list[dict], **extra) -> Path:
    """Write ``results/<name>.json`` (replacing the previous run's) and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    doc = {"benchmark": name, "date": time.strftime("%Y-%m-%d", time.gmtime()), "machine": machine(),
           "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
           **({"bytecode": _compiled[0]} if _compiled else {}), **extra, "rows": rows}
    path.write_text(json.dumps(doc, indent=2, sort_keys=False) + "\n")
    return path


def read(name: str) -> dict | None:
    """The last result of benchmark *name*, or None."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None
