"""The JSON API clients' shared document check (auditor.net.api)."""

from __future__ import annotations

import pytest

from auditor.models import Unknown, UnknownKind
from auditor.net.api import json_object
from auditor.net.depsdev import DepsDevClient
from auditor.net.github import HEADERS, GitHubClient
from auditor.net.gitlab import GitLabClient
from auditor.net.scorecard import ScorecardClient


class _Http:
    """Answers every get_json with one value and records the calls."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def get_json(self, url, headers=None):
        self.calls.append((url, headers))
        return self.answer


NOT_FOUND = Unknown("not found (HTTP 404)", kind=UnknownKind.NOT_FOUND)
GONE = Unknown("gone", fault=False)


def test_json_object():
    assert json_object({"a": 1}, gone=GONE, unexpected="odd", key="a") == {"a": 1}
    assert json_object(NOT_FOUND, gone=GONE, unexpected="odd") is GONE
    failure = Unknown("rate limited", kind=UnknownKind.RATE_LIMITED)
    assert json_object(failure, gone=GONE, unexpected="odd") is failure
    for doc, key, of in (([], None, object), ({}, "a", object), ({"a": 1}, "a", list)):
        got = json_object(doc, gone=GONE, unexpected="odd", key=key, of=of)
        assert got == Unknown("odd") and got.kind is UnknownKind.MALFORMED


CLIENTS = [
    (DepsDevClient, lambda c: c.version("x", "1"), "not known to deps.dev", "deps.dev answered an unexpected document"),
    (ScorecardClient, lambda c: c.result("github.com", "o/r"), "no Scorecard published for github.com/o/r",
     "Scorecard API answered an unexpected document"),
    (GitLabClient, lambda c: c.project("g/p"), "project not found on GitLab (deleted, moved or private)",
     "GitLab answered an unexpected project document"),
    (GitHubClient, lambda c: c.repo("o", "r"), "repository not found on GitHub (deleted, renamed away or private)",
     "GitHub answered an unexpected repository document"),
    (GitHubClient, lambda c: c.user("u"), "account not found on GitHub (deleted or renamed)",
     "GitHub answered an unexpected user document"),
]


@pytest.mark.parametrize("cls, call, gone, unexpected", CLIENTS)
def test_clients_not_found_and_unexpected(cls, call, gone, unexpected):
    got = call(cls(_Http(NOT_FOUND), "https://api.example/"))
    assert got == Unknown(gone, fault=False)
    got = call(cls(_Http(["not", "an", "object"]), "https://api.example/"))
    assert got == Unknown(unexpected) and got.kind is UnknownKind.MALFORMED


def test_base_url_and_headers():
    http = _Http(NOT_FOUND)
    GitHubClient(http, "https://api.example/").user("u")
    assert http.calls == [("https://api.example/users/u", HEADERS)]
    http = _Http(NOT_FOUND)
    GitLabClient(http, "https://gitlab.example/").project("g/p")
    assert http.calls == [("https://gitlab.example/api/v4/projects/g%2Fp?license=true", None)]
