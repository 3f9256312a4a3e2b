"""deps.dev API client (v3, plus the v3alpha dependents count).

* ``GET {base}/v3/systems/pypi/packages/{name}/versions/{version}`` answers
  ``{"versionKey", "publishedAt", "licenses", "advisoryKeys": [{"id"}],
  "links": [{"label": "SOURCE_REPO", "url"}], "slsaProvenances":
  [{"sourceRepository", "commit", "verified"}], "attestations": [{"type",
  "verified", "sourceRepository"}], "relatedProjects": [{"projectKey": {"id":
  "github.com/o/r"}, "relationType": "SOURCE_REPO", "relationProvenance"}]}``;
* ``GET {base}/v3alpha/systems/pypi/packages/{name}/versions/{version}:dependents``
  answers ``{"dependentCount", "directDependentCount", "indirectDependentCount"}``
  (v3alpha: experimental; a failure there leaves only the counts unknown).
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

from auditor.models import DepsDevVersion, Unknown
from auditor.net.api import ApiClient, parsed

#: ``relationProvenance`` values that mean a cryptographic statement ties the
#: package to the repository (deps.dev API docs, ``ProvenanceType``).
VERIFIED_PROVENANCE = frozenset({"SLSA_ATTESTATION", "PYPI_PUBLISH_ATTESTATION", "GO_ORIGIN"})


def repo_key(url_or_id: str | None) -> str | None:
    """``https://github.com/Psf/Requests.git`` or ``github.com/psf/requests`` -> ``github.com/psf/requests``."""
    if not url_or_id:
        return None
    s = url_or_id.strip().lower()
    for prefix in ("git+", "https://", "http://", "ssh://", "git://", "www."):
        if s.startswith(prefix):
            s = s[len(prefix):]
    s = s.removeprefix("git@").replace(":", "/", 1) if s.startswith("git@") else s
    s = s.split("#")[0].split("?")[0].rstrip("/")
    s = s.removesuffix(".git")
    parts = s.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 else s


class DepsDevClient(ApiClient):
    """Lookups against deps.dev (see :class:`ApiClient`).

    *http* is the run's ``"depsdev"`` client; *base_url* ``https://api.deps.dev`` or a mirror.
    """

    service = "deps.dev"

    def _path(self, api: str, name: str, version: str) -> str:
        return f"{self.base}/{api}/systems/pypi/packages/{quote(name, safe='')}/versions/{quote(version, safe='')}"

    def version(self, name: str, version: str, mapped_repo: str | None = None) -> DepsDevVersion | Unknown:
        """deps.dev facts for ``name==version``.

        Args:
            mapped_repo: our own mapping's repository URL, for ``mapping_agreement``.

        Returns:
            DepsDevVersion, or Unknown (``"not known to deps.dev"`` on 404, faults).
        """
        doc = self._object(self._path("v3", name, version), gone="not known to deps.dev")
        if isinstance(doc, Unknown):
            return doc
        dependents = self.http.get_json(self._path("v3alpha", name, version) + ":dependents")
        return parsed(parse_version, doc, dependents, mapped_repo, source="deps.dev (version)")


def _count(doc: Any, key: str) -> int | Unknown:
    if isinstance(doc, Unknown):
        return doc
    try:
        return int(doc[key])
    except (KeyError, TypeError, ValueError):
        return Unknown("deps.dev gave no dependents count")


def parse_version(doc: Mapping[str, Any], dependents: Any, mapped_repo: str | None) -> DepsDevVersion:
    """A deps.dev GetVersion document (and the dependents answer) as :class:`DepsDevVersion`."""
    source, provenance = None, None
    for rel in doc.get("relatedProjects") or ():
        if isinstance(rel, Mapping) and rel.get("relationType") == "SOURCE_REPO":
            source = repo_key((rel.get("projectKey") or {}).get("id"))
            provenance = rel.get("relationProvenance")
            break
    if source is None:
        for link in doc.get("links") or ():
            if isinstance(link, Mapping) and link.get("label") == "SOURCE_REPO":
                source, provenance = repo_key(link.get("url")), "UNVERIFIED_METADATA"
                break
    verified = provenance in VERIFIED_PROVENANCE
    for statement in list(doc.get("slsaProvenances") or ()) + list(doc.get("attestations") or ()):
        if isinstance(statement, Mapping) and statement.get("verified"):
            stated = repo_key(statement.get("sourceRepository"))
            if stated and (source is None or stated == source):
                source = source or stated
                verified = True
    mine = repo_key(mapped_repo)
    if mine is None:
        agreement = "no mapping"
    elif source is None:
        agreement = "no declared repository"
    else:
        agreement = "agrees" if mine == source else "disagrees"
    advisories = tuple(
        sorted(str(a["id"]) for a in doc.get("advisoryKeys") or () if isinstance(a, Mapping) and a.get("id"))
    )
    return DepsDevVersion(
        source_repo=f"https://{source}" if source else None,
        source_repo_provenance=provenance,
        verified=verified,
        advisories=advisories,
        licenses=tuple(str(x) for x in doc.get("licenses") or ()),
        published_at=doc.get("publishedAt"),
        dependents=_count(dependents, "dependentCount"),
        direct_dependents=_count(dependents, "directDependentCount"),
        mapping_agreement=agreement,
    )
