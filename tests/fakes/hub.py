"""A fake Hugging Face Hub API, mounted on the shared fake server (``FakeServer(hub=FakeHub())``).

It answers what ``huggingface_hub.HfApi`` 2.4 calls, in the shapes its parsers
(``ModelInfo``, ``DatasetInfo``, ``GitCommitInfo``, ``User``, ``Organization``,
``hf_raise_for_status``'s ``X-Error-Code`` handling) read.  Not recorded from
huggingface.co (unreachable from where this was written): the
``securityRepoStatus`` shape in particular is written from memory of the
real answers and should be checked against one (docs/models.md lists the
fields auditor reads):

* ``GET /api/{models,datasets,spaces}/ID`` and ``.../ID/revision/REV`` (REV
  URL-quoted): ``_id``, ``id``, ``author``, ``sha``, ``lastModified``,
  ``createdAt``, ``private``, ``gated`` (``false``/``"auto"``/``"manual"``),
  ``disabled``, ``downloads``, ``likes``, ``library_name``, ``pipeline_tag``,
  ``tags``, ``cardData``, ``siblings[].rfilename``, and with
  ``securityStatus=True`` ``securityRepoStatus`` (``scansDone``,
  ``filesWithIssues[]`` of ``path``/``level``); ``expand=sha`` answers only
  ``_id``, ``id`` and ``sha``;
* ``GET /api/{type}s/ID/commits/REV``: commits (``id``, ``title``,
  ``message``, ``authors[].user``, ``date``), newest first, ``?p=N`` pages
  with a ``Link: <...>; rel="next"`` header;
* ``GET /api/organizations/NAME/members`` (``user``, ``fullname``, ``type``,
  ``avatarUrl``), paginated the same way;
* ``GET /api/organizations/NAME/overview`` and ``/api/users/NAME/overview``;
* errors as the Hub sends them: 404 with ``X-Error-Code: RepoNotFound`` or
  ``RevisionNotFound``, 401 for a private repository without the token
  (``Authorization: Bearer <token>``); :meth:`FakeHub.error` and
  :meth:`FakeHub.rate_limited` build the others (403 ``GatedRepo``, a disabled
  repository, 429 with ``RateLimit`` headers) for ``FakeServer.script``.

``tests/net/test_hub_fake_shapes.py`` feeds every answer through huggingface_hub's
own parsers and checks each field the fake sends is one the library reads
(or one the real Hub sends and the library ignores), so the fake cannot
drift from what the library accepts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.server import Reply


def sha(text: str) -> str:
    """A stable 40-hex commit id for *text*."""
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class HubRepo:
    """One repository of the fake Hub (fields named as in the API answer)."""

    kind: str
    repo_id: str
    files: list[str] = field(default_factory=lambda: ["config.json", "model.safetensors"])
    card: dict = field(default_factory=lambda: {"license": "apache-2.0"})
    gated: bool | str = False
    private: bool = False
    disabled: bool = False
    downloads: int = 1000
    likes: int = 10
    library_name: str | None = "transformers"
    pipeline_tag: str | None = "fill-mask"
    created: str = "2022-03-02T23:29:04.000Z"
    last_modified: str = "2024-02-19T11:06:12.000Z"
    security: dict | None = field(default_factory=lambda: {"scansDone": True, "filesWithIssues": []})
    commits: list[tuple[str, list[str]]] = field(default_factory=list)  # (title, authors), oldest first
    revisions: dict[str, str] = field(default_factory=dict)  # branch or tag -> sha; "main" added
    author: str | None = None
    canonical: str | None = None  # the id the Hub answers with (a legacy id's new home: squad -> rajpurkar/squad)

    def __post_init__(self):
        if not self.commits:
            self.commits = [("initial commit", ["system"]), ("Upload weights", [self.owner or "system"])]
        self.revisions.setdefault("main", sha(f"{self.kind}:{self.repo_id}:{len(self.commits)}"))

    @property
    def owner(self) -> str | None:
        rid = self.canonical or self.repo_id
        return self.author or (rid.split("/")[0] if "/" in rid else None)

    def document(self, revision: str, security: bool) -> dict:
        """The info answer, with every top-level field of a real one (``GET /api/models/google-bert/bert-base-uncased``
        as recorded in 2025; datasets: ``citation``, ``description``, ``paperswithcode_id``), so that
        ``tests/net/test_hub_fake_shapes.py`` checks the library parses all of them."""
        rid = self.canonical or self.repo_id
        licence = self.card.get("license") if isinstance(self.card, dict) else None
        tags = [t for t in (self.library_name, self.pipeline_tag, f"license:{licence}" if licence else None) if t]
        doc = {
            "_id": sha(self.repo_id)[:24], "id": rid, "author": self.owner,
            "sha": self.revisions.get(revision, revision), "lastModified": self.last_modified,
            "createdAt": self.created, "private": self.private, "gated": self.gated, "disabled": self.disabled,
            "likes": self.likes, "tags": tags + ["region:us"], "cardData": self.card,
            "siblings": [{"rfilename": f} for f in self.files], "usedStorage": 1000 * len(self.files),
        }
        if self.kind != "space":  # a Space has no download count (SpaceInfo reads none)
            doc["downloads"] = self.downloads
        if self.kind == "model":
            doc.update({"modelId": rid, "library_name": self.library_name, "pipeline_tag": self.pipeline_tag,
                        "mask_token": None, "widgetData": [{"text": "Paris is the [MASK] of France."}],
                        "model-index": None, "config": {"architectures": ["BertForMaskedLM"], "model_type": "bert"},
                        "transformersInfo": {"auto_model": "AutoModel", "pipeline_tag": self.pipeline_tag,
                                             "processor": "AutoTokenizer"} if self.library_name == "transformers" else None,
                        "spaces": [], "inference": "warm"})
            if any(f.endswith(".safetensors") for f in self.files):
                doc["safetensors"] = {"parameters": {"F32": 110106428}, "total": 110106428}
            if security and self.security is not None:
                doc["securityRepoStatus"] = self.security
        elif self.kind == "dataset":
            doc.update({"citation": None, "description": "A dataset.", "paperswithcode_id": None})
        return doc


@dataclass
class FakeHub:
    """The fake Hub's world.

    Attributes:
        repos: by ``(kind, id)``.
        orgs: organization name -> member usernames.
        users: known usernames.
        token: the token a private repository requires.
        per_page: items per page of the paginated lists (the real Hub: 50 commits, 500 members).
        next_origin: when set, ``Link`` headers point there (a hostile page link to another host).
    """

    repos: dict[tuple[str, str], HubRepo] = field(default_factory=dict)
    orgs: dict[str, list[str]] = field(default_factory=dict)
    users: set[str] = field(default_factory=set)
    token: str | None = None
    per_page: int = 50
    next_origin: str | None = None

    def add(self, kind: str, repo_id: str, **kw) -> HubRepo:
        repo = self.repos[(kind, repo_id)] = HubRepo(kind, repo_id, **kw)
        return repo

    def model(self, repo_id: str, **kw) -> HubRepo:
        return self.add("model", repo_id, **kw)

    def dataset(self, repo_id: str, **kw) -> HubRepo:
        kw.setdefault("files", ["README.md", "data/train-00000-of-00001.parquet"])
        kw.setdefault("library_name", None)
        kw.setdefault("pipeline_tag", None)
        return self.add("dataset", repo_id, **kw)

    def org(self, name: str, *members: str) -> None:
        self.orgs[name] = list(members)

    def user(self, *names: str) -> None:
        self.users.update(names)

    # -- answers ------------------------------------------------------------------------

    @staticmethod
    def error(status: int, code: str | None, message: str) -> Reply:
        """An error as the Hub sends it: ``{"error": message}`` with ``X-Error-Code`` (``RepoNotFound``,
        ``RevisionNotFound``, ``GatedRepo``, ``EntryNotFound``; none for a disabled repository) and
        ``X-Error-Message``, the headers ``huggingface_hub.utils.hf_raise_for_status`` reads."""
        headers = {"X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        return Reply(status, {"error": message}, headers)

    _error = error

    @staticmethod
    def rate_limited(reset: int = 55, retry_after: bool = False) -> Reply:
        """A 429 with the Hub's IETF-draft headers (``RateLimit: "api";r=0;t=N``, ``RateLimit-Policy``), as
        ``huggingface_hub.utils.parse_ratelimit_headers`` documents them; ``Retry-After`` only if asked."""
        headers = {"RateLimit": f'"api";r=0;t={reset}', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
        if retry_after:
            headers["Retry-After"] = str(reset)
        return Reply(429, {"error": "You have exceeded our rate limit"}, headers)

    def _page(self, items: list, p: int, origin: str, path: str) -> Reply:
        chunk = items[p * self.per_page:(p + 1) * self.per_page]
        headers = {}
        if (p + 1) * self.per_page < len(items):
            headers["Link"] = f'<{self.next_origin or origin}{path}?p={p + 1}>; rel="next"'
        return Reply(200, chunk, headers)

    def route(self, path: str, headers: dict, origin: str) -> Reply | None:
        """The answer for *path* (with its query), or None when it is not a Hub path."""
        parts = urlsplit(path)
        p = unquote(parts.path)
        q = parse_qs(parts.query)
        page = int((q.get("p") or ["0"])[0])
        segs = parts.path.split("/")
        if p.startswith("/api/organizations/") or p.startswith("/api/users/"):
            name, what = unquote(segs[3]), segs[4] if len(segs) > 4 else ""
            if segs[2] == "organizations" and name in self.orgs:
                if what == "overview":
                    return Reply(200, {"_id": sha(name)[:24], "name": name, "fullname": name.title(), "avatarUrl": "",
                                       "type": "org", "isVerified": False, "isFollowing": False,
                                       "numUsers": len(self.orgs[name]), "numModels": 1, "numSpaces": 0,
                                       "numDatasets": 0, "numFollowers": 0, "numPapers": 0})
                members = [{"user": m, "fullname": m, "type": "user", "avatarUrl": "", "isPro": False}
                           for m in self.orgs[name]]
                return self._page(members, page, origin, parts.path)
            if segs[2] == "users" and what == "overview" and name in self.users:
                return Reply(200, {"_id": sha(name)[:24], "user": name, "fullname": name, "type": "user",
                                   "avatarUrl": "", "isPro": False, "createdAt": "2021-01-01T00:00:00.000Z",
                                   "numModels": 1, "numDatasets": 0, "numSpaces": 0, "numDiscussions": 0,
                                   "numPapers": 0, "numUpvotes": 0, "numLikes": 0, "numFollowing": 0,
                                   "numFollowers": 0, "isFollowing": False, "orgs": []})
            return self._error(404, "EntityNotFound", "Sorry, we can't find the page you are looking for.")
        if len(segs) < 4 or segs[1] != "api" or segs[2] not in ("models", "datasets", "spaces"):
            return None
        kind = segs[2][:-1]
        rest = segs[3:]
        action, rev = None, None
        for word in ("revision", "commits"):
            if word in rest[1:]:
                i = rest.index(word, 1)
                action, rev, rest = word, unquote("/".join(rest[i + 1:])), rest[:i]
        wanted = unquote("/".join(rest))
        repo = self.repos.get((kind, wanted)) or next(
            (r for (k, _), r in self.repos.items() if k == kind and r.canonical == wanted), None)
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        authorized = bool(self.token) and auth == f"Bearer {self.token}"
        if repo is None or (repo.private and not authorized):
            return self._error(404 if authorized else 401, "RepoNotFound", "Repository not found")
        revision = rev or "main"
        known = revision in repo.revisions or (len(revision) == 40 and all(c in "0123456789abcdef" for c in revision))
        if not known:
            return self._error(404, "RevisionNotFound", "Invalid rev id: " + revision)
        if action == "commits":
            items = [{"id": sha(f"{repo.repo_id}:{n}"), "title": title, "message": "",
                      "authors": [{"user": a, "avatar": ""} for a in authors], "date": "2024-01-01T00:00:00.000Z"}
                     for n, (title, authors) in reversed(list(enumerate(repo.commits)))]
            return self._page(items, page, origin, parts.path)
        doc = repo.document(revision, security="securityStatus" in q)
        if q.get("expand"):
            wanted = set(q["expand"])
            doc = {k: v for k, v in doc.items() if k in wanted or k in ("_id", "id")}
        return Reply(200, doc)


#: The sha the fixture project (tests/fixtures/hub-project/train.py) pins meta-llama/Llama-2-7b-hf to.
PINNED = "0123456789abcdef0123456789abcdef01234567"


def fixture_world(hub: FakeHub) -> FakeHub:
    """The repositories tests/fixtures/hub-project/train.py loads, each with what one finding needs.

    AUD141 pickle-only: laion/CLIP...; AUD142 remote code: tiiuae/falcon-7b; AUD143 loading
    script: squad (now rajpurkar/squad); AUD144 user owner: squad; AUD145 changed since the
    pin: meta-llama/Llama-2-7b-hf; AUD146 no licence: timm/...; AUD147 flagged by the scan:
    laion/CLIP...; a base model: sentence-transformers/all-MiniLM-L6-v2 -> nreimers/MiniLM-L6-H384-uncased.
    """
    st = ["config.json", "model.safetensors"]
    hub.model("meta-llama/Llama-2-7b-hf", gated="manual", card={"license": "llama2"},
              files=[*st, "pytorch_model-00001-of-00002.bin"], library_name="transformers", pipeline_tag="text-generation",
              commits=[("initial commit", ["system"]), ("Upload", ["osanseviero"]), ("Update", ["ArthurZ"])])
    hub.model("tiiuae/falcon-7b", files=[*st, "configuration_falcon.py", "modeling_falcon.py"],
              pipeline_tag="text-generation")
    hub.model("distilbert-base-uncased-finetuned-sst-2-english",
              canonical="distilbert/distilbert-base-uncased-finetuned-sst-2-english", pipeline_tag="text-classification")
    hub.model("openai/whisper-small", pipeline_tag="automatic-speech-recognition")
    hub.model("google/flan-t5-small", pipeline_tag="text2text-generation")
    hub.model("sentence-transformers/all-MiniLM-L6-v2", library_name="sentence-transformers",
              card={"license": "apache-2.0", "base_model": "nreimers/MiniLM-L6-H384-uncased"})
    hub.model("nreimers/MiniLM-L6-H384-uncased", card={"license": "mit"})
    hub.model("timm/vit_base_patch16_224.augreg_in21k", card={}, library_name="timm")
    hub.model("laion/CLIP-ViT-B-32-laion2B-s34B-b79K", files=["open_clip_config.json", "open_clip_pytorch_model.bin"],
              library_name="open_clip", card={"license": "mit"},
              security={"scansDone": True, "filesWithIssues": [{"path": "open_clip_pytorch_model.bin", "level": "unsafe"}]})
    hub.dataset("squad", canonical="rajpurkar/squad", files=["README.md", "squad.py", "dataset_infos.json"],
                card={"license": "cc-by-sa-4.0"})
    hub.dataset("wikimedia/wikipedia", revisions={"v1.0": sha("wikipedia v1.0")}, card={"license": "cc-by-sa-3.0"})
    hub.dataset("HuggingFaceFW/fineweb-edu", card={"license": "odc-by"})
    for org, members in (("meta-llama", ["osanseviero", "ArthurZ", "hamel"]), ("tiiuae", ["falcon-team"]),
                         ("distilbert", ["julien-c"]), ("openai", ["sanchit-gandhi"]), ("google", ["ybelkada"]),
                         ("sentence-transformers", ["tomaarsen", "nreimers"]), ("timm", ["rwightman"]),
                         ("laion", ["rwightman"]), ("wikimedia", ["albertvillanova"]),
                         ("HuggingFaceFW", ["guipenedo"])):
        hub.org(org, *members)
    hub.user("rajpurkar", "nreimers")
    return hub
