"""CycloneDX components for the audit's other layers: Hub models, datasets and Spaces, and bundled native libraries.

Read from the audit graph (docs/graph.md), nothing fetched:

* a ``model`` node (``--scan``, ``--model``; docs/models.md) is a
  ``machine-learning-model`` component, a ``dataset`` node a ``data``
  component, a ``space`` node an ``application``; ``bom-ref``
  ``auditor:<kind>:<repo id>``; the Hub repository as a ``vcs`` external
  reference (``https://huggingface.co/[datasets/|spaces/]<id>``); the
  version and, for a model, the purl ``pkg:huggingface/<namespace>/<name>@<commit>``
  only when every reference pins the same 40-hex commit (a branch is not a
  version); revisions, pinning, ``trust_remote_code`` and the code locations
  as ``auditor:hub:*`` properties; the root depends on each (the ``loads`` edges);
* a ``native_library`` node reached by a ``bundles`` edge (docs/native.md) is
  a ``library`` component nested in the distribution that ships the copy
  (CycloneDX: ``components`` of a component are included in it), one per
  copy, ``bom-ref`` ``auditor:native:<project>@<name>==<version>``; the
  version from the copy's SONAME when read; its upstream repository as
  ``vcs``; path, SONAME and closed source as ``auditor:native:*`` properties.
"""

from __future__ import annotations

from auditor.graph import attrs as A
from auditor.report import safe

#: The ``auditor:`` properties this module writes (docs/formats-audit.md lists them with the others).
PROPERTIES: dict[str, str] = {
    "auditor:hub:revisions": "on a model/dataset/Space: the revisions the code asks for, '(default branch)' for none",
    "auditor:hub:pinned": "'true' when every reference pins a 40-hex commit",
    "auditor:hub:trust-remote-code": "'true' when a reference passes trust_remote_code=True",
    "auditor:hub:locations": "file:line of each reference ('<cli>' for an option)",
    "auditor:native:path": "on a bundled native library: the file inside the wheel",
    "auditor:native:soname": "its ELF SONAME, when read",
    "auditor:native:closed-source": "'true' when the curated table says its upstream publishes no source",
}

#: Hub node kind -> (CycloneDX component type name, URL path prefix on huggingface.co).
HUB_KINDS = {A.HUB_MODEL: ("MACHINE_LEARNING_MODEL", ""), A.HUB_DATASET: ("DATA", "datasets/"),
             A.HUB_SPACE: ("APPLICATION", "spaces/")}


def _s(value: object) -> str:
    return safe.xml(value)


def _props(pairs) -> list:
    from cyclonedx.model import Property

    return [Property(name=k, value=_s(v)) for k, v in pairs if v is not None and v != ""]


def _commit(revisions: list) -> str | None:
    """The one 40-hex commit every reference pins, else None."""
    if len(revisions) == 1 and isinstance(revisions[0], str) and len(revisions[0]) == 40 \
            and all(c in "0123456789abcdef" for c in revisions[0].lower()):
        return revisions[0].lower()
    return None


def hub_components(graph) -> list:
    """One component per Hub model, dataset or Space node of *graph*, in id order."""
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component, ComponentType
    from packageurl import PackageURL

    out = []
    for nid, data in sorted(graph.nodes(data=True), key=lambda x: str(x[0])):
        kind = data.get(A.KIND)
        if kind not in HUB_KINDS:
            continue
        type_name, prefix = HUB_KINDS[kind]
        repo_id = str(data.get(A.HUB_REPO_ID) or str(nid).split(":", 1)[-1])
        revisions = list(data.get(A.HUB_REVISIONS) or [])
        pinned = data.get(A.HUB_PINNED) is True
        commit = _commit(revisions) if pinned else None
        purl = None
        if kind == A.HUB_MODEL and commit:
            namespace, _, name = repo_id.rpartition("/")
            purl = PackageURL(type="huggingface", namespace=namespace or None, name=name, version=commit)
        shown = ", ".join(r if r else "(default branch)" for r in revisions)
        out.append(Component(
            type=getattr(ComponentType, type_name), name=_s(repo_id), version=commit, purl=purl,
            bom_ref=_s(f"auditor:{kind}:{repo_id}"),
            external_references=[ExternalReference(type=ExternalReferenceType.VCS,
                                                   url=XsUri(_s(f"https://huggingface.co/{prefix}{repo_id}")))],
            properties=_props([("auditor:hub:revisions", shown),
                               ("auditor:hub:pinned", "true" if pinned else "false"),
                               ("auditor:hub:trust-remote-code",
                                "true" if data.get(A.HUB_TRUST_REMOTE_CODE) is True else "false"),
                               ("auditor:hub:locations", ", ".join(map(str, data.get(A.HUB_LOCATIONS) or [])))]),
        ))
    return out


def native_components(graph, node_id: str, dist_key: str) -> list:
    """The native libraries the distribution *node_id* bundles (its ``bundles`` edges), as nested components."""
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component, ComponentType

    if node_id not in graph:
        return []
    out = []
    for _, target, edge in sorted(graph.out_edges(node_id, data=True), key=lambda x: str(x[1])):
        if edge.get(A.KIND) != A.BUNDLES:
            continue
        lib = graph.nodes[target]
        name = str(lib.get(A.NAME) or str(target).split(":", 1)[-1])
        repo = lib.get(A.REPO_URL)
        out.append(Component(
            type=ComponentType.LIBRARY, name=_s(name),
            version=_s(edge[A.LIBRARY_VERSION]) if edge.get(A.LIBRARY_VERSION) else None,
            bom_ref=_s(f"auditor:{str(target)}@{dist_key}"),
            external_references=[ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(_s(repo)))] if repo else [],
            properties=_props([("auditor:native:path", edge.get(A.PATH)), ("auditor:native:soname", edge.get(A.SONAME)),
                               ("auditor:native:closed-source", "true" if lib.get(A.CLOSED_SOURCE) else None)]),
        ))
    return out
