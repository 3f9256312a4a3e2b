"""Core metadata decoding: PKG-INFO / METADATA / PEP 658 ``.metadata`` files,
JSON ``info`` objects and static ``pyproject.toml`` ``[project]`` tables.

Parsing is done by :func:`packaging.metadata.parse_email`, which is lenient:
fields it cannot parse are dropped rather than raising, so a package with
sloppy metadata still becomes a node.  Every value is untrusted text.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from packaging.metadata import parse_email

from auditor.models import CoreMetadata


#: A file of a wheel's top-level ``<name>-<version>.dist-info`` directory (wheel spec).
_DIST_INFO_MEMBER = re.compile(r"[^/]+\.dist-info/([^/]+)")


def dist_info_members(names: Iterable[str], member: str = "METADATA") -> list[str]:
    """The entries of a wheel's file list that are *member* of its top-level
    ``*.dist-info`` directory (``METADATA``: the core metadata; ``RECORD``),
    in the given order; a well-formed wheel has exactly one."""
    out = []
    for name in names:
        m = _DIST_INFO_MEMBER.fullmatch(name)
        if m and m.group(1) == member:
            out.append(name)
    return out


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line[:200] or None


#: Most licence classifiers kept per release (a real project lists one or two).
MAX_LICENSE_CLASSIFIERS = 16


def license_classifiers(classifiers: object) -> tuple[str, ...]:
    """The ``License ::`` Trove classifiers of a ``Classifier`` list, in order (at most
    :data:`MAX_LICENSE_CLASSIFIERS`, each at most 200 characters); ``()`` for anything else."""
    if not isinstance(classifiers, (list, tuple)):
        return ()
    out = [str(c).strip()[:200] for c in classifiers if isinstance(c, str) and c.strip().startswith("License ::")]
    return tuple(out[:MAX_LICENSE_CLASSIFIERS])


def parse_core_metadata(text: str | bytes) -> CoreMetadata:
    """Parse a core-metadata document.

    Args:
        text: the RFC 822-style document (``METADATA``, ``PKG-INFO`` or a
            PEP 658 ``.metadata`` file).

    Returns:
        A :class:`CoreMetadata`.  Missing ``Name``/``Version`` become ``""``.
    """
    if isinstance(text, str) and not text.isascii():  # a lone surrogate cannot be encoded by the email parser
        text = text.encode("utf-8", "replace").decode("utf-8")
    raw, _unparsed = parse_email(text)
    return from_raw(raw)


def from_raw(raw: Mapping) -> CoreMetadata:
    """Build :class:`CoreMetadata` from a ``packaging.metadata.RawMetadata`` dict."""
    urls = raw.get("project_urls") or {}
    if isinstance(urls, Mapping):
        project_urls = tuple((str(k), str(v)) for k, v in urls.items())
    else:  # pragma: no cover - older packaging returned a list
        project_urls = tuple(tuple(str(x).split(",", 1)) for x in urls)  # type: ignore[misc]
    return CoreMetadata(
        name=str(raw.get("name") or ""),
        version=str(raw.get("version") or ""),
        summary=raw.get("summary"),
        home_page=raw.get("home_page"),
        download_url=raw.get("download_url"),
        project_urls=project_urls,
        author=raw.get("author"),
        author_email=raw.get("author_email"),
        maintainer=raw.get("maintainer"),
        maintainer_email=raw.get("maintainer_email"),
        license=raw.get("license_expression") or _first_line(raw.get("license")),
        license_expression=raw.get("license_expression") or None,
        license_classifiers=license_classifiers(raw.get("classifiers")),
        requires_dist=tuple(raw.get("requires_dist") or ()),
        requires_python=raw.get("requires_python"),
        provides_extra=tuple(raw.get("provides_extra") or ()),
    )


def from_json_info(info: Mapping) -> CoreMetadata:
    """Build :class:`CoreMetadata` from a PyPI JSON API ``info`` object or a
    pip installation-report ``metadata`` object (both use snake_case keys)."""
    urls = info.get("project_urls") or {}
    if isinstance(urls, list):  # pip's report: ["Label, url", ...]
        pairs = []
        for item in urls:
            label, _, url = str(item).partition(",")
            pairs.append((label.strip(), url.strip()))
        project_urls = tuple(pairs)
    else:
        project_urls = tuple((str(k), str(v)) for k, v in urls.items())
    return CoreMetadata(
        name=str(info.get("name") or ""),
        version=str(info.get("version") or ""),
        summary=info.get("summary"),
        home_page=info.get("home_page") or None,
        download_url=info.get("download_url") or None,
        project_urls=project_urls,
        author=info.get("author") or None,
        author_email=info.get("author_email") or None,
        maintainer=info.get("maintainer") or None,
        maintainer_email=info.get("maintainer_email") or None,
        license=info.get("license_expression") or _first_line(info.get("license")),
        license_expression=info.get("license_expression") or None,
        license_classifiers=license_classifiers(info.get("classifiers")),
        requires_dist=tuple(info.get("requires_dist") or ()),
        requires_python=info.get("requires_python") or None,
        provides_extra=tuple(info.get("provides_extra") or ()),
    )


def from_pyproject(project: Mapping) -> CoreMetadata | None:
    """Static PEP 621 metadata from a decoded ``pyproject.toml`` ``[project]`` table.

    Fields listed in ``dynamic`` are left empty (``version``: ``""``;
    ``dependencies``: none); optional dependencies become ``Requires-Dist``
    entries with an ``extra == "..."`` marker, as a build backend writes them.

    Returns:
        A :class:`CoreMetadata`, or None when *project* is not a table with a string ``name``.
    """
    if not isinstance(project, Mapping) or not isinstance(project.get("name"), str):
        return None
    dynamic = set(project.get("dynamic") or ())
    version = project.get("version") if "version" not in dynamic else None
    optional = project.get("optional-dependencies") or {}
    requires = list(project.get("dependencies") or ()) if "dependencies" not in dynamic else []
    for extra, reqs in optional.items():
        for r in reqs:
            requires.append(f"{r}; extra == \"{extra}\"" if ";" not in r else f"({r.split(';', 1)[0]}); extra == \"{extra}\"")
    urls = project.get("urls") or {}
    return CoreMetadata(
        name=project["name"],
        version=str(version or ""),
        summary=project.get("description"),
        project_urls=tuple((str(k), str(v)) for k, v in urls.items()) if isinstance(urls, dict) else (),
        requires_dist=tuple(str(r) for r in requires),
        requires_python=project.get("requires-python"),
        provides_extra=tuple(optional),
        license=project.get("license") if isinstance(project.get("license"), str) else None,
        license_expression=project.get("license") if isinstance(project.get("license"), str) else None,
        license_classifiers=license_classifiers(project.get("classifiers")),
    )
