"""The ``conda`` signal: a conda package's record, its origins and, on conda-forge, its feedstock.

Sources: the conda records the input noted (:data:`auditor.sources.conda.CONDA_RECORDS`),
the pip-installed copies found next to them (:data:`auditor.sources.conda.CONDA_PIP`),
and for a conda-forge package the feedstock repository
``github.com/conda-forge/NAME-feedstock`` (conda-forge's naming convention)
read through the GitHub contents API: ``recipe/meta.yaml`` (conda-build) or
``recipe/recipe.yaml`` (rattler-build).  The recipe is text: at most
:data:`MAX_RECIPE_BYTES`, Jinja never rendered (``{% %}`` blocks dropped,
``{{ }}`` expressions replaced by a placeholder), parsed with PyYAML's safe
loader, and only ``extra.recipe-maintainers`` and ``source.url`` are read.
docs/conda.md.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace
from typing import Any, Mapping, Sequence
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
#: Where a feedstock keeps its recipe, in the order tried.
RECIPE_PATHS = ("recipe/meta.yaml", "recipe/recipe.yaml")
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
#: A GitHub login, or a conda-forge team (``conda-forge/pytorch-cpu``).
_MAINTAINER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]{1,100})?$")
_JINJA_BLOCK = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_JINJA_EXPR = re.compile(r"\$?\{\{.*?\}\}", re.S)
_CONDA_FORGE = "conda-forge"


def strip_jinja(text: str) -> str:
    """*text* with Jinja statements and comments removed and expressions replaced by ``JINJA`` (never rendered)."""
    return _JINJA_EXPR.sub("JINJA", _JINJA_BLOCK.sub("", text))


def parse_recipe(text: str) -> tuple[tuple[str, ...], str | None]:
    """``(recipe maintainers, first source URL)`` of a conda-build ``meta.yaml`` or rattler-build ``recipe.yaml``.

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
    return found, _source_url(doc.get("source"))


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


def feedstock_of(record: CondaRecord) -> str | None:
    """``https://github.com/conda-forge/NAME-feedstock`` for a conda-forge record, else None."""
    if record.channel_name != _CONDA_FORGE:
        return None
    return f"https://github.com/conda-forge/{record.name}-feedstock"


class CondaCollector(Collector):
    """conda facts for every node a conda input recorded (see :class:`Collector`); other nodes get no entry."""

    key = "conda"
    description = "conda packages: channel, build, pip-installed copies, conda-forge feedstock and recipe maintainers"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, CondaPackage | Unknown]:
        records: Mapping[str, CondaRecord] = ctx.memo.get(CONDA_RECORDS) or {}
        pip: Mapping[str, str] = ctx.memo.get(CONDA_PIP) or {}
        todo = [n for n in nodes if n.name in records]
        facts = ctx.map(lambda n: self._one(ctx, records[n.name], pip.get(n.name)), todo,
                        task="conda feedstocks" if todo else None)
        return {n.name: f for n, f in zip(todo, facts)}

    def _one(self, ctx: RunContext, record: CondaRecord, pip_version: str | None) -> CondaPackage:
        origins = ("conda", "pip") if pip_version else ("conda",)
        feedstock = feedstock_of(record)
        if feedstock is None:
            channel = record.channel_name or "an unnamed channel"
            return CondaPackage(record, origins, pip_version, evidence=f"channel {channel}: no recipe repository is "
                                "known for it; its uploaders are the channel's owners")
        people, upstream, evidence = self._recipe(ctx, record.name)
        return CondaPackage(record, origins, pip_version, feedstock=feedstock, recipe_maintainers=people,
                            upstream=upstream, evidence=evidence)

    def _recipe(self, ctx: RunContext, name: str) -> tuple[tuple[str, ...] | Unknown, str | None, str]:
        where = f"conda-forge/{name}-feedstock"
        convention = f"conda-forge's feedstock naming convention ({where})"
        if not ctx.config.collector_enabled("github"):
            return (Unknown("--no-github: the feedstock's recipe was not read", fault=False, kind=UnknownKind.DISABLED),
                    None, convention)
        http = ctx.http("github")
        base = f"{ctx.config.github_api_url.rstrip('/')}/repos/conda-forge/{quote(name + '-feedstock')}/contents/"
        for path in RECIPE_PATHS:
            doc = http.get_json(base + quote(path), GITHUB_HEADERS)
            if isinstance(doc, Unknown):
                if doc.not_found:
                    continue
                return doc, None, convention
            text = _decode(doc)
            if isinstance(text, Unknown):
                return text, None, convention
            try:
                people, url = parse_recipe(text)
            except ValueError as exc:
                return Unknown(f"{where}/{path}: {exc}", kind=UnknownKind.MALFORMED), None, convention
            ref = canonical_repository(url.replace("git+", "", 1)) if url else None
            evidence = f"{where}/{path} (GitHub contents API): extra.recipe-maintainers"
            if ref is not None:
                evidence += f"; upstream from source.url {url}"
            elif url:
                evidence += f"; source.url {url} names no forge repository (a PyPI sdist: the PyPI mapping applies)"
            return people, ref.url if ref is not None else None, evidence
        return (Unknown(f"{where} has no recipe/meta.yaml or recipe/recipe.yaml (the package may be an output of "
                        "another feedstock)", fault=False, kind=UnknownKind.NOT_FOUND), None, convention)


def _decode(doc: Any) -> str | Unknown:
    if not isinstance(doc, Mapping) or doc.get("encoding") != "base64":
        return Unknown("GitHub answered an unexpected contents document", kind=UnknownKind.MALFORMED)
    if int(doc.get("size") or 0) > MAX_RECIPE_BYTES:
        return Unknown(f"recipe larger than {MAX_RECIPE_BYTES} bytes", kind=UnknownKind.TOO_LARGE)
    try:
        raw = base64.b64decode(str(doc.get("content") or ""), validate=False)
    except (binascii.Error, ValueError):
        return Unknown("GitHub contents: undecodable base64", kind=UnknownKind.MALFORMED)
    return raw[:MAX_RECIPE_BYTES].decode("utf-8", "replace")


def apply_conda(node: PackageNode, value: Any) -> PackageNode:
    """A node with no repository takes the upstream its conda-forge recipe's ``source.url`` names."""
    if not isinstance(value, CondaPackage) or value.upstream is None or node.mapping.repo is not None:
        return node
    ref = canonical_repository(value.upstream)
    if ref is None:
        return node
    mapping = RepoMapping(ref, f"conda-forge recipe source.url ({value.feedstock})", Confidence.MEDIUM,
                          rule="conda-recipe-source")
    return replace(node, mapping=mapping)


def native_conda(node: PackageNode) -> bool:
    """Whether *node* is a conda package that installs no Python distribution (``libgcc``, ``openssl``):
    PyPI-ecosystem facts (advisories, name similarity) do not apply to it."""
    project = node.project
    return (node.distribution.origin.kind == "conda" and isinstance(project, Unknown)
            and project.kind is UnknownKind.NOT_APPLICABLE)
