"""Name confusion: typosquatting candidates and repositories shared by unrelated names.

Facts only.  Two checks:

* **similar names**: a package whose name is *not* among the most downloaded
  PyPI projects but is one edit (Damerau-Levenshtein distance, via
  ``rapidfuzz``) or one common typosquatting transformation away from one
  that is.  Transformations follow the classes measured on PyPI by Taylor
  et al., "Defending Against Package Typosquatting" (NSS 2020) and Vu et al.,
  "Typosquatting and Combosquatting Attacks on the Python Ecosystem"
  (EuroS&PW 2020): delimiter removal/insertion, swapped words, added or
  removed ``python``/``py`` affixes, look-alike characters (``0``/``o``,
  ``1``/``l``, ``rn``/``m``), and single character edits.
* **shared repositories**: packages in the same audit mapped to the same
  repository (same URL and sub-directory) whose names are unrelated to each
  other and to the repository's name.

Source of popularity: ``auditor/data/top-pypi-projects.txt`` (see
``auditor/data/README.md``), most downloaded first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from auditor.collectors import Collector, RunContext
from auditor.models import NameSignals, PackageNode, Unknown, UnknownKind, normalize_name
from auditor.signals.conda import native_conda

#: Only the most downloaded projects are typosquatting *targets*.  Attackers
#: imitate very popular names (Vu et al. 2020), and comparing against the whole
#: list flags ordinary long-tail projects: measured on established projects
#: ranked 10,000-12,000, 95 of 2,000 (4.8%) sit one edit or transformation from
#: a more popular name in the full list, but 13-26 of 1,985 (0.7-1.3%) against
#: the top 1,000 -- and those are mostly look-alikes such as ``xoto3``/``boto3``.
TYPOSQUAT_TARGETS = 1000
#: Names shorter than this are not compared by edit distance: short popular
#: names ("six", "attrs", "rich") have many legitimate one-edit neighbours.
MIN_EDIT_LENGTH = 5
#: Maximum Damerau-Levenshtein distance reported (one typo, as in Taylor et al. 2020).
MAX_EDIT_DISTANCE = 1
#: At most this many similar names are kept per package.
MAX_SIMILAR = 5
#: Affixes typosquatters add or drop (Vu et al. 2020, "combosquatting").
AFFIXES = ("python-", "py-", "py", "-python", "-py", "python3-", "-dev", "-lib", "lib")
#: Look-alike substitutions applied before comparing.
HOMOGLYPHS = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"))


@lru_cache(maxsize=1)
def top_projects() -> tuple[str, ...]:
    """The bundled list of most downloaded projects, PEP 503 normalized, most downloaded first."""
    text = resources.files("auditor.data").joinpath("top-pypi-projects.txt").read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(normalize_name(line), None)
    return tuple(seen)


@lru_cache(maxsize=1)
def _ranks() -> dict[str, int]:
    return {name: i + 1 for i, name in enumerate(top_projects())}


def targets() -> tuple[str, ...]:
    """The names typosquatting is checked against: the :data:`TYPOSQUAT_TARGETS` most downloaded."""
    return top_projects()[:TYPOSQUAT_TARGETS]


@lru_cache(maxsize=1)
def _keyed() -> dict[str, dict[str, str]]:
    """Indexes of the target names under each transformation: {technique: {key: target}}."""
    index: dict[str, dict[str, str]] = defaultdict(dict)
    for name in targets():  # most popular first: setdefault keeps the most popular
        for technique, key in _keys(name):
            index[technique].setdefault(key, name)
    return index


def _collapse(name: str) -> str:
    return name.replace("-", "")


def _strip_affixes(name: str) -> str:
    for affix in AFFIXES:
        if affix.startswith("-") and name.endswith(affix) and len(name) > len(affix) + 2:
            return name[: -len(affix)]
        if affix.endswith("-") and name.startswith(affix) and len(name) > len(affix) + 2:
            return name[len(affix) :]
    return name


def _deglyph(name: str) -> str:
    for a, b in HOMOGLYPHS:
        name = name.replace(a, b)
    return _collapse(name)


def _keys(name: str) -> Iterable[tuple[str, str]]:
    yield "delimiter change", _collapse(name)
    yield "swapped words", "-".join(sorted(name.split("-")))
    yield "added or removed python/py affix", _collapse(_strip_affixes(name))
    yield "look-alike characters", _deglyph(name)


def similar_names(name: str) -> tuple[tuple[str, str], ...]:
    """Popular names (the :data:`TYPOSQUAT_TARGETS` most downloaded) that *name* imitates.

    Args:
        name: a PEP 503 normalized name.

    Returns:
        ``(popular name, technique)`` pairs, most popular first, at most
        :data:`MAX_SIMILAR`; empty when *name* is itself in the list (an
        established project is not a typosquat of a more popular one).
    """
    if name in _ranks():
        return ()
    found: dict[str, str] = {}
    index = _keyed()
    for technique, key in _keys(name):
        hit = index[technique].get(key)
        if hit and hit != name:
            found.setdefault(hit, technique)
    if len(name) >= MIN_EDIT_LENGTH:
        for hit, dist, _ in process.extract(
            name,
            targets(),
            scorer=DamerauLevenshtein.distance,
            score_cutoff=MAX_EDIT_DISTANCE,
            limit=MAX_SIMILAR,
        ):
            if hit != name and len(hit) >= MIN_EDIT_LENGTH:
                found.setdefault(hit, f"edit distance {dist}")
    ranks = _ranks()
    return tuple(sorted(found.items(), key=lambda item: ranks[item[0]]))[:MAX_SIMILAR]


_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> set[str]:
    return {t for t in _TOKEN.findall(text.lower()) if len(t) >= 3 and t not in {"python", "lib"}}


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def related(a: str, b: str) -> bool:
    """Whether two names plausibly belong together (shared word, or one abbreviates the other)."""
    if _tokens(a) & _tokens(b):
        return True
    ca, cb = re.sub(r"[^a-z0-9]", "", a.lower()), re.sub(r"[^a-z0-9]", "", b.lower())
    if not ca or not cb:
        return False
    short, long = sorted((ca, cb), key=len)
    return short[0] == long[0] and _subsequence(short, long)


def shared_repositories(nodes: Sequence[PackageNode]) -> dict[str, tuple[str, ...]]:
    """Packages mapped to the same repository as unrelated packages.

    Returns:
        ``{package: other packages sharing its repository}`` for every package
        whose name is related neither to the repository's name nor to the
        other packages' names.  Different sub-directories of one repository
        (a declared monorepo) do not count as sharing.
    """
    groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for node in nodes:
        repo = node.mapping.repo
        if repo is not None:
            groups[(repo.url, repo.subpath)].append(node.name)
    out: dict[str, tuple[str, ...]] = {}
    for (url, _sub), names in groups.items():
        if len(names) < 2:
            continue
        repo_name = url.rstrip("/").rsplit("/", 1)[-1]
        for name in names:
            others = [o for o in names if o != name]
            if related(name, repo_name) or any(related(name, o) for o in others):
                continue
            out[name] = tuple(sorted(others))
    return out


class NamesCollector(Collector):
    """Name-confusion facts per node (see :class:`Collector`); no network."""

    key = "names"
    description = "typosquatting candidates (top PyPI projects) and repositories shared by unrelated names"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, NameSignals | Unknown]:
        packages = [n for n in nodes if n.distribution.origin.kind != "interpreter" and not native_conda(n)]
        shared = shared_repositories(packages)
        ranks = _ranks()
        out: dict[str, NameSignals | Unknown] = {
            n.name: Unknown("the interpreter is not a PyPI package", fault=False)
            for n in nodes if n.distribution.origin.kind == "interpreter"
        }
        out.update({n.name: Unknown("a conda package that is not a Python distribution: PyPI names do not apply",
                                    fault=False, kind=UnknownKind.NOT_APPLICABLE) for n in nodes if native_conda(n)})
        for node in packages:
            out[node.name] = NameSignals(
                rank=ranks.get(node.name),
                similar_to=similar_names(node.name),
                shares_repository_with=shared.get(node.name, ()),
            )
        return out
