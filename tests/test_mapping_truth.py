"""benchmarks/mapping_truth.py compares a mapping with an independent truth file as documented."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("mapping_truth", ROOT / "benchmarks" / "mapping_truth.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_verdicts_strict_and_with_the_reviewers_alternatives():
    mt = load()
    truth = [
        {"name": "a", "repo": "https://github.com/o/a", "subdirectory": None},
        {"name": "b", "repo": "https://github.com/o/mono", "subdirectory": "packages/b/"},
        {"name": "c", "repo": "https://github.com/o/new", "subdirectory": "c",
         "alternatives": [{"repo": "https://github.com/o/c", "subdirectory": None, "why": "latest release"}]},
        {"name": "d", "repo": "https://github.com/o/d", "subdirectory": None},
    ]
    mapped = {"a": ("https://GitHub.com/O/A.git", None, "r"), "b": ("https://github.com/o/mono", "packages/b", "r"),
              "c": ("https://github.com/o/c/", None, "r"), "d": ("https://github.com/o/d", "python", "r")}
    rows = {r["name"]: r for r in mt.verdicts(truth, mapped)}
    assert rows["a"]["subdirectory_right"] and rows["b"]["subdirectory_right"]
    assert not rows["c"]["repo_right"] and rows["c"]["right_by_alternative"]
    assert rows["d"]["repo_right"] and not rows["d"]["subdirectory_right"] and not rows["d"]["right_by_alternative"]
