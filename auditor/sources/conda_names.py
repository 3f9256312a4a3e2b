"""conda package name -> PyPI distribution name: prefix.dev's parselmouth mapping, read at run time, and the vendored copy.

parselmouth (https://github.com/prefix-dev/parselmouth, by the pixi
authors, regenerated hourly) reads the ``*.dist-info`` directories inside
every conda-forge artifact and publishes ``{conda name: [PyPI names] or
null}`` as ``files/v0/conda-forge/compressed_mapping.json`` (about 34,000
names, 1 MB).  A conda input reads it once per run through the run's GitHub
client (the contents API with the raw media type: token, HTTP cache for a
day, rate limits, ``--offline``, ``--no-github``), keeps the entries
:func:`derive` keeps, and lays the curated entries of
``auditor/data/conda-pypi-names.yaml`` over them.  When it cannot be read
the vendored table (the same rule applied to a dated copy) is used, with a
gap saying so; ``--no-github`` uses it silently.  docs/conda.md#names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping
from urllib.parse import quote

from auditor.data import load_yaml

from auditor.models import Unknown, normalize_name
from auditor.net.api import parsed
from auditor.net.context import RunContext

#: Where the mapping lives (the GitHub repository and the file in it).
PARSELMOUTH_REPO = "prefix-dev/parselmouth"
PARSELMOUTH_PATH = "files/v0/conda-forge/compressed_mapping.json"
#: ``RunContext.memo`` key of the run's :class:`NameTable` (read once, shared by both sides of ``auditor diff``).
NAMES_MEMO = ("sources", "conda-pypi-names")
#: Names kept at most from the live mapping (it had 33,909 on 2026-08-19).
MAX_NAMES = 200_000
_RAW = {"Accept": "application/vnd.github.raw+json", "X-GitHub-Api-Version": "2022-11-28"}
_SEP = re.compile(r"[-_.]+")
#: A conda package name as conda-forge writes it.
_CONDA_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,199}$")
#: PEP 503's normalized form.
_PYPI_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class NameTable:
    """The conda -> PyPI names a run uses.

    Attributes:
        names: ``{conda name: normalized PyPI name, or None (installs no Python distribution)}``.
        source: where they come from, for evidence and gaps.
        python: conda names whose artifacts install exactly one Python distribution of the same
            PEP 503 name (numpy, scipy, requests: no entry in *names*).  A name in neither is not
            known to be Python (zlib, openssl: parselmouth's ``null``; or a name it does not list).
    """

    names: Mapping[str, str | None]
    source: str
    python: frozenset[str] = frozenset()

    def pypi_name(self, name: str) -> str | None:
        """The PyPI name of conda package *name* from the table alone (no files, no depends), or None."""
        if name in self.names:
            return self.names[name]
        return pep503(name) if name in self.python else None


def pep503(name: str) -> str:
    """PEP 503's normalized form of *name*."""
    return _SEP.sub("-", name).lower()


def derive(mapping: Mapping[str, Any]) -> dict[str, str]:
    """The entries auditor keeps of parselmouth's ``{conda name: [PyPI names] or null}``: a conda name whose
    artifacts install exactly one distribution whose normalized name differs from the conda name's.

    Raises:
        TypeError, AttributeError: *mapping* is not that shape (callers go through :func:`parsed`).
    """
    out: dict[str, str] = {}
    for name, pypi in mapping.items():
        if pypi is None:
            continue
        if not isinstance(pypi, list):
            raise TypeError(f"{str(name)[:100]}: {type(pypi).__name__}, not a list or null")
        if len(pypi) != 1 or pypi[0] == name or not isinstance(pypi[0], str):  # most: the same name
            continue
        target = pep503(pypi[0])
        if target != pep503(name) and _PYPI_NAME.match(target) and _CONDA_NAME.match(name):
            out[name] = target
            if len(out) > MAX_NAMES:
                raise TypeError(f"more than {MAX_NAMES} names")
    return out


def derive_python(mapping: Mapping[str, Any]) -> frozenset[str]:
    """The conda names of parselmouth's mapping whose artifacts install exactly one distribution of the
    same normalized name (the names :func:`derive` leaves out because nothing needs translating).

    Raises:
        TypeError: more than :data:`MAX_NAMES` names (callers go through :func:`parsed`).
    """
    out = frozenset(name for name, pypi in mapping.items()
                    if isinstance(pypi, list) and len(pypi) == 1 and isinstance(pypi[0], str)
                    and isinstance(name, str) and _CONDA_NAME.match(name) and pep503(pypi[0]) == pep503(name))
    if len(out) > MAX_NAMES:
        raise TypeError(f"more than {MAX_NAMES} names")
    return out


@lru_cache(maxsize=1)
def vendored_python() -> frozenset[str]:
    """``auditor/data/conda-python-names.txt``: :func:`derive_python` of the same dated copy, one name a line."""
    text = resources.files("auditor.data").joinpath("conda-python-names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def vendored() -> tuple[Mapping[str, str | None], Mapping[str, str | None]]:
    """``(curated, generated)`` of ``auditor/data/conda-pypi-names.yaml``: conda name -> normalized PyPI name or None."""
    text = resources.files("auditor.data").joinpath("conda-pypi-names.yaml").read_text(encoding="utf-8")
    doc = load_yaml(text) or {}  # libyaml: a few ms

    def table(part: Any) -> dict[str, str | None]:
        return {str(k): (normalize_name(str(v)) if v else None) for k, v in (part or {}).items()}

    return table(doc.get("curated")), table(doc.get("parselmouth"))


def pypi_names() -> Mapping[str, str | None]:
    """The vendored table: the curated entries over the dated copy of parselmouth's."""
    return _merged()


@lru_cache(maxsize=1)
def _merged() -> Mapping[str, str | None]:
    curated, generated = vendored()
    return {**generated, **curated}


def conda_names(ctx: RunContext) -> tuple[NameTable, tuple[str, str, str] | None]:
    """``(the run's name table, a gap or None)``: parselmouth's live mapping with the curated entries over it,
    else the vendored table and, unless GitHub is turned off, a gap ``(what, reason, kind)`` saying why."""
    memo = ctx.memo.get(NAMES_MEMO)
    if memo is not None:
        return memo
    curated, _ = vendored()
    vendored_note = "auditor/data/conda-pypi-names.yaml (parselmouth's mapping of 2026-08-19, vendored)"
    if not ctx.config.collector_enabled("github"):
        out = (NameTable(pypi_names(), vendored_note, vendored_python()), None)
    else:
        url = (f"{ctx.config.github_api_url.rstrip('/')}/repos/{PARSELMOUTH_REPO}/contents/"
               f"{quote(PARSELMOUTH_PATH)}")
        doc = ctx.http("github").get_json(url, _RAW)
        live = doc if isinstance(doc, Unknown) else parsed(lambda m: (derive(m), derive_python(m)), doc,
                                                            source="github.com/" + PARSELMOUTH_REPO)
        if isinstance(live, Unknown):
            gap = (f"conda-pypi-names ({PARSELMOUTH_REPO}/{PARSELMOUTH_PATH})",
                   f"parselmouth's conda->PyPI mapping could not be read ({live.reason}); the vendored table of "
                   "2026-08-19 was used", live.kind.value)
            out = (NameTable(pypi_names(), vendored_note, vendored_python()), gap)
        else:
            names, python = live
            out = (NameTable({**names, **curated}, f"{PARSELMOUTH_REPO}/{PARSELMOUTH_PATH} (GitHub, read at run "
                                                   "time) with auditor's curated entries", python), None)
    ctx.memo[NAMES_MEMO] = out
    return out
