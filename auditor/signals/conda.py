"""The ``conda`` signal: a conda package's record, its origins and, on conda-forge, its feedstock.

Sources: the conda records the input noted (:data:`auditor.sources.conda.CONDA_RECORDS`),
the pip-installed copies found next to them (:data:`auditor.sources.conda.CONDA_PIP`),
and for a conda-forge package, through the GitHub contents API (the run's
GitHub client: token, cache, rate limits, offline), the feedstocks
conda-forge's registry ``conda-forge/feedstock-outputs`` allows to publish it
(``outputs/l/i/b/libgcc.json`` -> ``{"feedstocks": ["m2w64-gcc-libs",
"ctng-compilers"]}``; the naming convention ``NAME-feedstock`` only when the
registry has no entry, at low confidence) and each one's recipe:
``recipe/meta.yaml`` (conda-build) or ``recipe/recipe.yaml`` (rattler-build).  The recipe is text: at most
:data:`MAX_RECIPE_BYTES`, Jinja never rendered (``{% %}`` blocks dropped,
``{{ }}`` expressions replaced by a placeholder), parsed with PyYAML's safe
loader, and only ``extra.recipe-maintainers`` and ``source.url`` are read.
docs/conda.md.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import replace
from typing import Any, Mapping, NamedTuple, Sequence
from urllib.parse import quote

import yaml

from auditor.collectors import Collector, RunContext
from auditor.models import CondaPackage, CondaRecord, Confidence, PackageNode, RepoMapping, Unknown, UnknownKind
from auditor.repos.urls import canonical_repository
from auditor.sources.conda import CONDA_PIP, CONDA_RECORDS

#: Bytes of a recipe read at most.
MAX_RECIPE_BYTES = 256 << 10
#: Maintainers kept at most.
MAX_MAINTAINERS = 200
#: Bytes of a feedstock-outputs file read at most (real ones are about 30 bytes).
MAX_OUTPUTS_BYTES = 4096
#: Feedstocks of one package followed at most (in the registry of 2026-08-22, 32,676 entries: 209 list two, 9 three, 1 four).
MAX_FEEDSTOCKS = 8
#: The sharding of conda-forge/feedstock-outputs (its config.json: shard_level, shard_fill).
SHARD_LEVEL = 3
SHARD_FILL = "z"
#: Where a feedstock keeps its recipe, in the order tried.
RECIPE_PATHS = ("recipe/meta.yaml", "recipe/recipe.yaml")
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
#: A GitHub login, or a conda-forge team (``conda-forge/pytorch-cpu``).
_MAINTAINER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]{1,100})?$")
_JINJA_BLOCK = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_JINJA_EXPR = re.compile(r"\$?\{\{.*?\}\}", re.S)
_CONDA_FORGE = "conda-forge"
_OUTPUTS = "conda-forge/feedstock-outputs"
#: A feedstock name as the registry writes it (the repository is ``conda-forge/NAME-feedstock``).
_FEEDSTOCK = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,99}$")


def strip_jinja(text: str) -> str:
    """*text* with Jinja statements and comments removed and expressions replaced by ``JINJA`` (never rendered)."""
    return _JINJA_EXPR.sub("JINJA", _JINJA_BLOCK.sub("", text))


class Recipe(NamedTuple):
    """What auditor reads of a feedstock recipe."""

    maintainers: tuple[str, ...]  # extra.recipe-maintainers: GitHub logins and conda-forge/TEAM names
    source_url: str | None  # the first source's url (or git_url)
    about: tuple[tuple[str, str], ...]  # (field, URL) of about.repository, about.dev_url, about.home, in that order


def parse_recipe(text: str) -> Recipe:
    """What a conda-build ``meta.yaml`` or rattler-build ``recipe.yaml`` says (:class:`Recipe`).

    Raises:
        ValueError: not a YAML mapping after the Jinja is stripped, or no ``extra.recipe-maintainers`` list.
    """
    try:
        doc = yaml.safe_load(strip_jinja(text))
    except yaml.YAMLError as exc:
        raise ValueError(f"recipe is not YAML once its Jinja is stripped ({type(exc).__name__})") from None
    except RecursionError:  # PyYAML recurses per nesting level
        raise ValueError("recipe nested deeper than the YAML parser can follow") from None
    if not isinstance(doc, dict):
        raise ValueError("recipe is not a YAML mapping")
    extra = doc.get("extra")
    people = extra.get("recipe-maintainers") if isinstance(extra, dict) else None
    if not isinstance(people, list):
        raise ValueError("recipe has no extra.recipe-maintainers list")
    found = tuple(dict.fromkeys(str(p) for p in people[:MAX_MAINTAINERS] if isinstance(p, str) and _MAINTAINER.match(p)))
    about = doc.get("about") if isinstance(doc.get("about"), dict) else {}
    links = tuple((f"about.{k}", v[:2000]) for k in ("repository", "dev_url", "home")
                  if isinstance(v := about.get(k), str) and v.startswith(("https://", "http://")))
    return Recipe(found, _source_url(doc.get("source")), links)


def recipe_upstream(recipe: Recipe) -> tuple[str, str] | None:
    """``(field, repository URL)``: the first of ``source.url``, ``about.repository``, ``about.dev_url``,
    ``about.home`` that names a forge repository other than a conda-forge feedstock, else None."""
    candidates = ([("source.url", recipe.source_url.replace("git+", "", 1))] if recipe.source_url else [])
    for field, url in [*candidates, *recipe.about]:
        ref = canonical_repository(url)
        if ref is not None and not (ref.url.startswith("https://github.com/conda-forge/")
                                    and ref.url.endswith("-feedstock")):
            return field, ref.url
    return None


def _source_url(source: Any) -> str | None:
    for item in (source if isinstance(source, list) else [source])[:20]:
        if not isinstance(item, dict):
            continue
        for key in ("url", "git_url", "git"):
            value = item.get(key)
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, str) and value.startswith(("https://", "http://", "git+https://")):
                return value[:2000]
    return None


def outputs_path(name: str) -> str:
    """The file of conda package *name* in ``conda-forge/feedstock-outputs``
    (``libgcc`` -> ``outputs/l/i/b/libgcc.json``).

    The registry's sharding, from its ``config.json`` (``outputs_path``
    ``outputs``, ``shard_level`` 3, ``shard_fill`` ``z``) as conda-forge's own
    ``conda_forge_metadata.feedstock_outputs.sharded_path`` computes it: the
    first three alphanumeric characters of the lower-cased name, padded with ``z``.
    """
    name = name.lower()
    chars = [c for c in name if c.isascii() and c.isalnum()][:SHARD_LEVEL]
    chars += [SHARD_FILL] * (SHARD_LEVEL - len(chars))
    return f"outputs/{'/'.join(chars)}/{name}.json"


def parse_outputs(doc: Any) -> tuple[str, ...]:
    """The feedstock names (without ``-feedstock``) of a registry file's ``{"feedstocks": [...]}``.

    Raises:
        ValueError: not that shape, no valid name, or more than :data:`MAX_FEEDSTOCKS` names.
    """
    listed = doc.get("feedstocks") if isinstance(doc, Mapping) else None
    if not isinstance(listed, list) or not listed:
        raise ValueError('not a {"feedstocks": [...]} document')
    if len(listed) > MAX_FEEDSTOCKS:
        raise ValueError(f"lists {len(listed)} feedstocks (more than {MAX_FEEDSTOCKS})")
    names = tuple(dict.fromkeys(n for n in listed if isinstance(n, str) and _FEEDSTOCK.match(n)))
    if len(names) != len(listed):
        raise ValueError("a feedstock name that is not a repository name")
    return names


def primary_feedstock(package: str, feedstocks: Sequence[str], subdir: str = "") -> str:
    """The feedstock shown as the package's builder: the one named like *package*; else the registry's first
    that is not named for another platform than *subdir* (conda-forge's ``m2w64-*`` / ``m2-*`` feedstocks
    build Windows packages, ``*_osx-*`` ones macOS); else the registry's first.  The registry lists who may
    upload a name, not who built one file: ``libgcc`` lists ``m2w64-gcc-libs`` before ``ctng-compilers``."""
    if package in feedstocks:
        return package
    return next((f for f in feedstocks if not _other_platform(f, subdir)), feedstocks[0])


def _other_platform(feedstock: str, subdir: str) -> bool:
    """Whether *feedstock*'s name says it builds for a platform other than conda *subdir* (``linux-64``)."""
    if not subdir or subdir == "noarch":
        return False
    windows = feedstock.startswith(("m2w64-", "m2-")) or feedstock.endswith(("_win-64", "-win-64"))
    macos = "_osx-" in feedstock or feedstock.endswith(("-osx-64", "-osx-arm64"))
    return (windows and not subdir.startswith("win-")) or (macos and not subdir.startswith("osx-"))


def _url(feedstock: str) -> str:
    return f"https://github.com/conda-forge/{feedstock}-feedstock"


class CondaCollector(Collector):
    """conda facts for every node a conda input recorded (see :class:`Collector`); other nodes get no entry."""

    key = "conda"
    description = ("conda packages: channel, build, pip-installed copies, conda-forge feedstocks (from "
                   "conda-forge/feedstock-outputs) and their recipe maintainers")

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, CondaPackage | Unknown]:
        records: Mapping[str, CondaRecord] = ctx.memo.get(CONDA_RECORDS) or {}
        pip: Mapping[str, str] = ctx.memo.get(CONDA_PIP) or {}
        todo = [n for n in nodes if n.name in records]
        facts = ctx.map(lambda n: self._one(ctx, records[n.name], pip.get(n.name)), todo,
                        task="conda feedstocks" if todo else None)
        return {n.name: f for n, f in zip(todo, facts)}

    def _one(self, ctx: RunContext, record: CondaRecord, pip_version: str | None) -> CondaPackage:
        origins = ("conda", "pip") if pip_version else ("conda",)
        base = CondaPackage(record, origins, pip_version)
        if record.channel_name != _CONDA_FORGE:
            channel = record.channel_name or "an unnamed channel"
            return replace(base, evidence=f"channel {channel}: no recipe repository is known for it; its uploaders "
                                          "are the channel's owners")
        if not ctx.config.collector_enabled("github"):
            off = Unknown("--no-github: conda-forge/feedstock-outputs and the feedstock's recipe were not read",
                          fault=False, kind=UnknownKind.DISABLED)
            return replace(base, feedstock=off, recipe_maintainers=off)
        found = self._feedstocks(ctx, record.name)
        if isinstance(found, Unknown):
            return replace(base, feedstock=found, recipe_maintainers=found, evidence=f"{_OUTPUTS}: {found.reason}")
        names, confidence, where = found
        first = primary_feedstock(record.name, names, record.subdir)
        if confidence is Confidence.HIGH and len(names) > 1 and first != record.name:
            confidence = Confidence.MEDIUM  # one of these built it; the record does not say which
            where += (f" (the record does not say which built this file: {first}-feedstock, the first listed not "
                      f"named for another platform than {record.subdir or 'an unknown subdir'}, is shown)")
        names = (first, *(n for n in names if n != first))
        people: list[str] = []
        upstreams: dict[str, str | None] = {}  # feedstock -> the forge repository its recipe's source names
        evidence = [where]
        unknown: Unknown | None = None
        fields: dict[str, str | None] = {}
        for name in names:
            got, url, field, said = self._recipe(ctx, name, guessed=confidence is Confidence.LOW)
            evidence.append(said)
            if isinstance(got, Unknown):
                unknown = unknown or got
                continue
            people.extend(got)
            if name == first or confidence is Confidence.MEDIUM:
                upstreams[name], fields[name] = url, field
        # several candidate builders: an upstream only when every listed recipe was read and names the same one
        agreed = set(upstreams.values()) if unknown is None or confidence is not Confidence.MEDIUM else set()
        upstream = agreed.pop() if len(agreed) == 1 else None
        if len(agreed) > 1:
            evidence.append("no upstream: the feedstocks' recipes name different sources")
        field = next((f for n, f in fields.items() if upstreams[n] == upstream), None) if upstream else None
        return replace(base, feedstock=_url(first), feedstocks=tuple(_url(n) for n in names),
                       feedstock_confidence=confidence, upstream=upstream, upstream_field=field,
                       evidence="; ".join(evidence),
                       recipe_maintainers=unknown or tuple(dict.fromkeys(people))[:MAX_MAINTAINERS])

    def _feedstocks(self, ctx: RunContext, name: str) -> tuple[tuple[str, ...], Confidence, str] | Unknown:
        """``(feedstock names, confidence, evidence)`` of conda-forge package *name*, or Unknown why not.

        From ``conda-forge/feedstock-outputs`` (the contents API: cached a
        day, revalidated with ETag, ``net/cache.py::URL_EXPIRY``); a name the
        registry does not list falls back to ``NAME-feedstock`` at low confidence.
        """
        path = outputs_path(name)
        doc = _contents(ctx, _OUTPUTS, path, MAX_OUTPUTS_BYTES)
        if isinstance(doc, Unknown):
            if doc.not_found:
                return ((name,), Confidence.LOW,
                        f"{_OUTPUTS} has no {path}: guessed {name}-feedstock from conda-forge's naming convention")
            return doc
        try:
            names = parse_outputs(json.loads(doc))
        except (ValueError, RecursionError) as exc:  # json.JSONDecodeError is a ValueError
            return Unknown(f"{_OUTPUTS}/{path}: {exc}"[:300], kind=UnknownKind.MALFORMED)
        return names, Confidence.HIGH, f"{_OUTPUTS}/{path} (GitHub contents API): published by " + ", ".join(
            f"{n}-feedstock" for n in names)

    def _recipe(self, ctx: RunContext, feedstock: str, guessed: bool
                ) -> tuple[tuple[str, ...] | Unknown, str | None, str | None, str]:
        """``(maintainers or Unknown, upstream URL, the recipe field it came from, evidence)`` of
        ``conda-forge/FEEDSTOCK-feedstock``'s recipe, read once per run (``ctx.memo``)."""
        key = ("conda-recipe", feedstock, guessed)
        if key not in ctx.memo:
            ctx.memo[key] = self._read_recipe(ctx, feedstock, guessed)
        return ctx.memo[key]

    def _read_recipe(self, ctx: RunContext, feedstock: str, guessed: bool
                     ) -> tuple[tuple[str, ...] | Unknown, str | None, str | None, str]:
        where = f"conda-forge/{feedstock}-feedstock"
        for path in RECIPE_PATHS:
            text = _contents(ctx, where, path, MAX_RECIPE_BYTES)
            if isinstance(text, Unknown):
                if text.not_found:
                    continue
                return text, None, None, f"{where}: {text.reason}"
            try:
                recipe = parse_recipe(text)
            except ValueError as exc:
                return (Unknown(f"{where}/{path}: {exc}", kind=UnknownKind.MALFORMED), None, None,
                        f"{where}/{path}: {exc}")
            found = recipe_upstream(recipe)
            evidence = f"{where}/{path} (GitHub contents API): extra.recipe-maintainers"
            if found is not None:
                evidence += f"; upstream from {found[0]} {found[1]}"
            elif recipe.source_url:
                evidence += (f"; source.url {recipe.source_url} and the about links name no forge repository (a PyPI "
                             "sdist: the PyPI mapping applies)")
            return recipe.maintainers, found[1] if found else None, found[0] if found else None, evidence
        if guessed:  # the convention's guess was wrong: not a fault of anything we read
            gone = Unknown(f"{where} has no recipe/meta.yaml or recipe/recipe.yaml and {_OUTPUTS} does not list the "
                           "package", fault=False, kind=UnknownKind.NOT_FOUND)
        else:
            gone = Unknown(f"{where}, which {_OUTPUTS} lists, has no recipe/meta.yaml or recipe/recipe.yaml",
                           kind=UnknownKind.NOT_FOUND)
        return gone, None, None, gone.reason


def _contents(ctx: RunContext, repo: str, path: str, limit: int) -> str | Unknown:
    """The text of *path* in GitHub repository *repo* (``owner/name``) through the contents API, at most *limit* bytes."""
    url = f"{ctx.config.github_api_url.rstrip('/')}/repos/{quote(repo)}/contents/{quote(path)}"
    doc = ctx.http("github").get_json(url, GITHUB_HEADERS)
    return doc if isinstance(doc, Unknown) else _decode(doc, limit)


def _decode(doc: Any, limit: int) -> str | Unknown:
    if not isinstance(doc, Mapping) or doc.get("encoding") != "base64":
        return Unknown("GitHub answered an unexpected contents document", kind=UnknownKind.MALFORMED)
    size = doc.get("size")
    if not isinstance(size, int) or size > limit:
        return Unknown(f"file larger than {limit} bytes (or no size)", kind=UnknownKind.TOO_LARGE)
    try:
        raw = base64.b64decode(str(doc.get("content") or ""), validate=False)
    except (binascii.Error, ValueError):
        return Unknown("GitHub contents: undecodable base64", kind=UnknownKind.MALFORMED)
    return raw[:limit].decode("utf-8", "replace")


def apply_conda(node: PackageNode, value: Any) -> PackageNode:
    """A node with no repository takes the upstream its conda-forge recipe names: at medium confidence
    from the recipe's ``source.url`` of a feedstock conda-forge's registry named, low from an ``about``
    link or a guessed feedstock."""
    if not isinstance(value, CondaPackage) or value.upstream is None or node.mapping.repo is not None:
        return node
    ref = canonical_repository(value.upstream)
    if ref is None:
        return node
    field = value.upstream_field or "source.url"
    guessed = value.feedstock_confidence is Confidence.LOW
    strong = field == "source.url" and not guessed
    evidence = f"conda-forge recipe {field} ({value.feedstock}{', a guessed feedstock' if guessed else ''})"
    mapping = RepoMapping(ref, evidence, Confidence.MEDIUM if strong else Confidence.LOW, rule="conda-recipe-source")
    return replace(node, mapping=mapping)


def native_conda(node: PackageNode) -> bool:
    """Whether *node* is a conda package that installs no Python distribution (``libgcc``, ``openssl``):
    PyPI-ecosystem facts (advisories, name similarity) do not apply to it."""
    project = node.project
    return (node.distribution.origin.kind == "conda" and isinstance(project, Unknown)
            and project.kind is UnknownKind.NOT_APPLICABLE)
