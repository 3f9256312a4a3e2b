"""conda packages: what a conda input records about one package, and the collected conda facts.

Frozen dataclasses; nothing here does I/O.  Sources: a prefix's
``conda-meta/*.json`` records, ``pixi.lock``, ``conda-lock.yml`` (all read
with py-rattler) and ``environment.yml`` (pins as written); the feedstock
comes from conda-forge's output registry (``conda-forge/feedstock-outputs``)
and the people from the feedstock's recipe (docs/conda.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote

from auditor.models.repository import Confidence
from auditor.models.unknown import Unknown


@dataclass(frozen=True)
class CondaRecord:
    """One conda package as the input records it.

    Attributes:
        name: the conda package name (``numpy``, ``libgcc``, ``pytorch``).
        version: the conda version (``1.26.4``); ``None`` when an
            ``environment.yml`` does not pin one exactly.
        build: the build string (``py312h8753938_0``); ``""`` when unknown.
        channel: the channel URL or name (``https://conda.anaconda.org/conda-forge/``), else ``None``.
        subdir: the platform subdirectory (``linux-64``, ``noarch``); ``""`` when unknown.
        url: the package archive's URL, when recorded.
        depends: the record's dependency specs (``"python >=3.12,<3.13.0a0"``).
        license: the record's licence field, when recorded.
        python_name: the PyPI name of the Python distribution the package
            installs (from the ``*.dist-info`` directory it ships, else the
            conda name when it depends on ``python``), else ``None``.
        source: which input recorded it (``"conda-meta"``, ``"pixi.lock"``,
            ``"conda-lock.yml"``, ``"environment.yml"``).
    """

    name: str
    version: str | None
    build: str = ""
    channel: str | None = None
    subdir: str = ""
    url: str | None = None
    depends: tuple[str, ...] = ()
    license: str | None = None
    python_name: str | None = None
    source: str = ""

    @property
    def channel_name(self) -> str | None:
        """The channel's short name (``conda-forge``) from its URL or name, else ``None``."""
        if not self.channel:
            return None
        text = self.channel.rstrip("/")
        for host in ("https://conda.anaconda.org/", "http://conda.anaconda.org/", "https://repo.anaconda.com/pkgs/",
                     "https://prefix.dev/"):
            if text.startswith(host):
                text = text[len(host):]
                break
        return text or None

    @property
    def purl(self) -> str:
        """The package URL (``pkg:conda/numpy@1.26.4?build=...&channel=conda-forge&subdir=linux-64``), per the
        purl specification's conda type."""
        out = f"pkg:conda/{quote(self.name, safe='')}"
        if self.version:
            out += f"@{quote(self.version, safe='')}"
        qualifiers = [(k, v) for k, v in (("build", self.build), ("channel", self.channel_name), ("subdir", self.subdir))
                      if v]
        if qualifiers:
            out += "?" + "&".join(f"{k}={quote(str(v), safe='')}" for k, v in qualifiers)
        return out


@dataclass(frozen=True)
class CondaPackage:
    """The conda facts of one node (``signals["conda"]``).

    Source: the input's record (:class:`CondaRecord`), the site-packages of a
    prefix (pip-installed distributions), and for conda-forge packages
    conda-forge's output registry (``conda-forge/feedstock-outputs``:
    ``outputs/X/Y/Z/NAME.json`` -> ``{"feedstocks": [...]}``, the feedstocks
    allowed to upload NAME) and each of those feedstocks' recipe
    (``recipe/meta.yaml`` or ``recipe/recipe.yaml``; never rendered, never
    run), all read through the GitHub contents API.

    Attributes:
        record: the conda record.
        origins: ``("conda",)``, or ``("conda", "pip")`` when the same
            distribution is also installed by pip (or another installer) in
            the same prefix.
        pip_version: the version of that pip-installed copy, else ``None``.
        feedstock: the feedstock repository URL that builds the package
            (conda-forge only): the registry's only entry, or the one named
            like the package, else its first (the record does not say which
            of several built it); conda-forge's naming convention
            (``NAME-feedstock``) when the registry has no entry, which
            ``feedstock_confidence`` and ``evidence`` say; Unknown when the
            registry could not be read; ``None`` for other channels.
        feedstocks: every feedstock repository URL the registry allows to
            publish the package (``libgcc``: ``ctng-compilers`` and
            ``m2w64-gcc-libs``), ``feedstock`` first; ``()`` when unknown.
        feedstock_confidence: ``high`` when the registry names one
            feedstock (or one named like the package), ``medium`` when it
            names several and ``feedstock`` is the first of them, ``low`` for
            the naming-convention guess, else ``None``.
        recipe_maintainers: the ``extra.recipe-maintainers`` of the recipes
            of every feedstock in ``feedstocks`` (GitHub logins and
            ``conda-forge/TEAM`` names, first seen first), or Unknown why not
            (any one unreadable makes the set unknown: a partial list would
            undercount); ``()`` for a package not from conda-forge.
        upstream: the source repository the recipe of ``feedstock`` names:
            its ``source.url`` when that is on a forge, else its
            ``about.repository``, ``about.dev_url`` or ``about.home`` (not a
            conda-forge feedstock) (at ``medium`` feedstock confidence: the
            one every listed feedstock's recipe names, else none); else ``None``.
        evidence: where ``feedstock``, the maintainers and ``upstream`` come from.
        upstream_field: the recipe field ``upstream`` came from (``source.url``, ``about.dev_url``, ...).
    """

    KEY: ClassVar[str] = "conda"

    record: CondaRecord
    origins: tuple[str, ...] = ("conda",)
    pip_version: str | None = None
    feedstock: str | Unknown | None = None
    recipe_maintainers: tuple[str, ...] | Unknown = ()
    upstream: str | None = None
    evidence: str = ""
    feedstocks: tuple[str, ...] = ()
    feedstock_confidence: Confidence | None = None
    upstream_field: str | None = None

    def faults(self) -> list[tuple[str, str, str]]:
        """``(field, reason, UnknownKind value)`` for the feedstock or maintainers missing because of a fault
        (the "missing" list)."""
        if isinstance(self.feedstock, Unknown):  # the maintainers are unknown for the same reason: listed once
            f = self.feedstock
            return [("feedstock", f.reason, f.kind.value)] if f.fault else []
        people = self.recipe_maintainers
        return ([("recipe_maintainers", people.reason, people.kind.value)]
                if isinstance(people, Unknown) and people.fault else [])
