"""OpenSSF Scorecard API client.

``GET {base}/projects/{host}/{owner}/{repo}`` (https://api.securityscorecards.dev,
the results of the weekly Scorecard cron run) answers
``{"date", "repo": {"name", "commit"}, "scorecard": {"version", "commit"},
"score", "checks": [{"name", "score", "reason", "details", "documentation":
{"short", "url"}}]}``; a check score of ``-1`` means inconclusive.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

from auditor.models import ScorecardCheck, ScorecardResult, Unknown
from auditor.net.api import ApiClient, parsed

#: Hosts the public Scorecard API publishes results for.
SCORECARD_HOSTS = ("github.com", "gitlab.com")


class ScorecardClient(ApiClient):
    """Lookups against the Scorecard API (see :class:`ApiClient`).

    *http* is the run's ``"scorecard"`` client; *base_url* ``https://api.securityscorecards.dev`` or a mirror.
    """

    service = "Scorecard API"

    def result(self, host: str, path: str) -> ScorecardResult | Unknown:
        """The published scorecard of ``host/path``.

        Returns:
            ScorecardResult, or ``Unknown("no Scorecard published for ...", fault=False)``
            on 404 (Scorecard only covers repositories its cron job scans),
            or a fault (rate limit, offline, HTTP error).
        """
        doc = self._object(f"{self.base}/projects/{quote(host)}/{quote(path)}", key="checks", of=list,
                           gone=f"no Scorecard published for {host}/{path}")
        if isinstance(doc, Unknown):
            return doc
        return parsed(parse_result, doc, f"{host}/{path}", source="OpenSSF Scorecard (result)")


def _score(value: Any) -> int | Unknown:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return Unknown("no score", fault=False)
    if n < 0:
        return Unknown("inconclusive", fault=False)
    return min(n, 10)


def parse_result(doc: Mapping[str, Any], default_repo: str) -> ScorecardResult:
    """A Scorecard API document as :class:`ScorecardResult`."""
    checks = []
    for c in doc.get("checks") or ():
        if not isinstance(c, Mapping) or not c.get("name"):
            continue
        docs = c.get("documentation") or {}
        checks.append(
            ScorecardCheck(
                name=str(c["name"]),
                score=_score(c.get("score")),
                reason=str(c.get("reason") or ""),
                documentation=docs.get("url") if isinstance(docs, Mapping) else None,
            )
        )
    try:
        total: float | Unknown = float(doc["score"])
        if total < 0:
            total = Unknown("inconclusive", fault=False)
    except (KeyError, TypeError, ValueError):
        total = Unknown("no aggregate score", fault=False)
    repo = doc.get("repo") or {}
    card = doc.get("scorecard") or {}
    return ScorecardResult(
        repo=str(repo.get("name") or default_repo),
        date=doc.get("date"),
        score=total,
        checks=tuple(checks),
        commit=repo.get("commit"),
        scorecard_version=card.get("version"),
    )
