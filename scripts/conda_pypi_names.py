"""Regenerate ``auditor/data/conda-pypi-names.yaml`` from prefix.dev's parselmouth mapping.

parselmouth (https://github.com/prefix-dev/parselmouth, maintained by the
pixi authors and refreshed hourly) reads the ``*.dist-info`` directories of
every conda-forge artifact and publishes ``{conda name: [PyPI names] or
null}`` as ``files/v0/conda-forge/compressed_mapping.json``.  This script
keeps the entries auditor needs: a conda name whose artifacts install exactly
one PyPI distribution whose PEP 503 name differs from the conda name's.  Names
that install several distributions, and metapackages that depend on python
but install none, are decided by hand in :data:`CURATED` (kept first in the
output, each with its reason); those win over the mapping.

Usage (the file is about 1 MB; nothing here is imported by auditor)::

    curl -LO https://raw.githubusercontent.com/prefix-dev/parselmouth/main/files/v0/conda-forge/compressed_mapping.json
    PYTHONPATH=. python scripts/conda_pypi_names.py compressed_mapping.json COMMIT DATE > auditor/data/conda-pypi-names.yaml
    PYTHONPATH=. python scripts/conda_pypi_names.py compressed_mapping.json COMMIT DATE --python-names \
        > auditor/data/conda-python-names.txt
"""

from __future__ import annotations

import json
import sys

#: conda name -> (PyPI name or None, why); decided by hand, checked against conda-forge's recipes.
CURATED: dict[str, tuple[str | None, str]] = {
    "python": (None, "the interpreter itself: auditor's interpreter node"),
    "python_abi": (None, "a marker package without files"),
    "pytorch": ("torch", "pytorch-cpu-feedstock's python output installs torch-*.dist-info"),
    "pytorch-cpu": (None, "a metapackage of pytorch-cpu-feedstock (depends on pytorch); builds before 2020 were torch"),
    "pytorch-gpu": (None, "a metapackage of pytorch-cpu-feedstock (depends on pytorch)"),
    "tensorflow-cpu": (None, "a metapackage of tensorflow-feedstock (depends on tensorflow)"),
    "tensorflow-gpu": (None, "a metapackage of tensorflow-feedstock (depends on tensorflow)"),
    "msgpack-python": ("msgpack", "installs msgpack-*.dist-info (builds before msgpack 0.5 installed msgpack_python)"),
    "py-opencv": ("opencv-python", "opencv-feedstock's python output; some builds install opencv_python_headless"),
    "opencv": (None, "a metapackage of opencv-feedstock (depends on py-opencv and libopencv)"),
    "ray-core": ("ray", "ray-packages-feedstock; old builds also vendored aiohttp and others"),
    "ray-default": (None, "a metapackage of ray-packages-feedstock (depends on ray-core)"),
    "py-xgboost-cpu": (None, "a metapackage of xgboost-feedstock (depends on py-xgboost)"),
    "py-xgboost-gpu": (None, "a metapackage of xgboost-feedstock (depends on py-xgboost)"),
    "typing-extensions": (None, "a metapackage (depends on typing_extensions, which installs typing_extensions)"),
    "pyqt": ("pyqt5", "pyqt-feedstock; pyqt5-sip, pyqtchart and pyqtwebengine come with it in some builds"),
}

def render(mapping: dict, commit: str, date: str) -> str:
    from auditor.sources.conda_names import derive  # the rule auditor applies to the live mapping too

    lines = [
        "# conda-forge package name -> PyPI distribution name, where they differ (PEP 503 normalized).",
        "# Read by auditor/sources/conda_names.py (docs/conda.md#names). Used only when the input does not say:",
        "# a conda prefix's records list the *.dist-info directory each package installs, and that wins;",
        "# a lock file or environment.yml records no files. null: not a Python distribution although it",
        "# depends on python (a metapackage). Names that differ only in case, '_', '-' or '.' need no entry.",
        "# curated: decided by hand (scripts/conda_pypi_names.py::CURATED); they win over parselmouth's.",
        "# parselmouth: prefix.dev's mapping, files/v0/conda-forge/compressed_mapping.json at commit",
        f"# {commit} ({date}), the entries",
        "# auditor/sources/conda_names.py::derive keeps; a run reads the live mapping instead when it can.",
        "# Regenerate with scripts/conda_pypi_names.py; auditor/data/README.md.",
        "curated:",
    ]
    for name, (pypi, why) in CURATED.items():
        lines.append(f"  {json.dumps(name)}: {json.dumps(pypi) if pypi else 'null'}  # {why}")
    lines.append("parselmouth:")
    for name, pypi in sorted(derive(mapping).items()):
        if name not in CURATED:
            lines.append(f"  {json.dumps(name)}: {json.dumps(pypi)}")
    return "\n".join(lines) + "\n"


def render_python(mapping: dict, commit: str, date: str) -> str:
    """``auditor/data/conda-python-names.txt``: the conda names installing one distribution of the same name."""
    from auditor.sources.conda_names import derive_python

    head = ["# conda-forge names whose artifacts install exactly one Python distribution of the same PEP 503 name",
            f"# (prefix.dev's parselmouth mapping at commit {commit}, {date}; auditor/sources/conda_names.py::",
            "# derive_python). An environment.yml records no files: these are looked up on PyPI under their name.",
            "# Regenerate with scripts/conda_pypi_names.py --python-names; auditor/data/README.md."]
    return "\n".join(head + sorted(derive_python(mapping))) + "\n"


def main(argv: list[str]) -> int:
    python = "--python-names" in argv
    argv = [a for a in argv if a != "--python-names"]
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        mapping = json.load(fh)
    sys.stdout.write((render_python if python else render)(mapping, argv[2], argv[3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
