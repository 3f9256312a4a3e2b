"""RunContext: one cache backend, one fact memo, a deadline, and net/ below everything."""

import ast
from pathlib import Path

from auditor.collectors import RunContext
from auditor.config import Config
from auditor.models import UnknownKind
from auditor.net.context import RunContext

import requests_cache  # noqa: E402

from auditor.net.cache import EXPIRY  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "auditor"


def test_context_alias_and_one_backend_for_every_service(tmp_path):
    assert RunContext is RunContext
    ctx = RunContext(Config(cache_dir=tmp_path))
    try:
        pypi, github = ctx.http("pypi"), ctx.http("github")
        assert ctx.http("pypi") is pypi
        assert pypi.session.cache.shared is github.session.cache.shared is ctx.cache_backend()
        assert pypi.session.cache.responses is github.session.cache.responses  # one storage ...
        # ... and each service's own lifetimes (requests-cache keeps settings on the backend object)
        assert github.session.settings.expire_after == EXPIRY["github"]
        assert pypi.session.settings.expire_after == requests_cache.DO_NOT_CACHE  # net/cache.py NOT_STORED
    finally:
        ctx.close()
    other = RunContext(Config(cache_dir=tmp_path))
    try:
        assert other.cache_backend() is not pypi.session.cache.shared  # per run, not per process
    finally:
        other.close()


def test_fact_memo_opened_once_and_closed(tmp_path):
    with RunContext(Config(cache_dir=tmp_path)) as ctx:
        first = ctx.facts()
        assert first is not None and ctx.facts() is first
    assert "_facts" not in ctx.memo
    with RunContext(Config(cache_dir=tmp_path, use_cache=False)) as ctx:
        assert ctx.facts() is None and ctx.facts() is None


def test_deadline_answers_unknown_without_a_request(tmp_path):
    with RunContext(Config(cache_dir=tmp_path, time_budget=0)) as ctx:
        assert ctx.past_deadline()
        got = ctx.http("pypi").get_json("http://127.0.0.1:9/pypi/x/json")
        assert got.kind is UnknownKind.DEADLINE
        assert ctx.request_counts()["pypi"]["network"] == 0
    with RunContext(Config(cache_dir=tmp_path)) as ctx:
        assert ctx.deadline is None and not ctx.past_deadline()


def test_timed_adds_up(tmp_path):
    with RunContext(Config(cache_dir=tmp_path)) as ctx:
        with ctx.timed("stage"):
            pass
        with ctx.timed("stage"):
            pass
        assert set(ctx.timings) == {"stage"} and ctx.timings["stage"] >= 0


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m == "auditor" or m.startswith("auditor.")}


#: net/ may import only these (and itself).
NET_MAY_IMPORT = ("auditor", "auditor.models", "auditor.config", "auditor.errors", "auditor.dist", "auditor.net")
#: Known reach-ups still to move to dist/ (issue 10, point 4).
NET_KNOWN = {("pypi.py", "auditor.sources.metadata")}


def test_net_imports_nothing_from_above():
    bad = []
    for path in sorted((ROOT / "net").glob("*.py")):
        for mod in _imports(path):
            if not any(mod == p or mod.startswith(p + ".") for p in NET_MAY_IMPORT) and (path.name, mod) not in NET_KNOWN:
                bad.append(f"{path.name} imports {mod}")
    assert bad == []


def test_people_has_no_import_cycle():
    mods = {p.stem: _imports(p) for p in (ROOT / "people").glob("*.py")}
    deps = {m: {i.rsplit(".", 1)[-1] for i in imps if i.startswith("auditor.people.")} for m, imps in mods.items()}

    def reaches(start, goal, seen=()):
        return any(d == goal or (d not in seen and reaches(d, goal, (*seen, d))) for d in deps.get(start, ()))

    assert [m for m in deps if reaches(m, m)] == []


def test_no_module_level_backends_or_sessions():
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
                text = ast.unparse(node.value)
                assert not any(w in text for w in ("Session(", "SQLiteCache(", "FactMemo", "HttpClient(")), (path, text)
