"""A cold resolution's wait is used to import what the later stages need (issue 14's cold path)."""

from __future__ import annotations

import sys

import auditor.sources.resolve as resolve_mod
from auditor.config import Config
from auditor.models import TargetEnvironment
from auditor.net.context import RunContext
from auditor.pipeline import COLD_IMPORTS, COLD_IMPORTS_OF
from auditor.sources.resolve import Resolution, ResolveRequest, resolve_cached


def test_on_resolve_runs_only_when_a_resolver_runs(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(resolve_mod, "resolve", lambda request, resolver="auto": Resolution((), "uv", 0.1))
    request = ResolveRequest(requirements=("demo==1.0",), target=TargetEnvironment(python_version="3.11"))
    resolve_cached(request, "uv", tmp_path, on_resolve=lambda: calls.append("cold"))
    again = resolve_cached(request, "uv", tmp_path, on_resolve=lambda: calls.append("warm"))
    assert again.cached and calls == ["cold"]  # the cached answer waits on nothing: nothing is preloaded


def test_while_resolving_imports_the_preload_once(tmp_path):
    sys.modules.pop("colorsys", None)
    with RunContext(Config(cache_dir=tmp_path)) as ctx:
        ctx.preload = ("colorsys", "no_such_module_xyz")  # a failure is left to the stage that needs it
        thread = ctx.while_resolving()
        thread.join(10)
        assert "colorsys" in sys.modules
        assert ctx.while_resolving() is None  # once per context


def test_preload_names_are_real_modules():
    import importlib.util

    for name in COLD_IMPORTS + tuple(m for mods in COLD_IMPORTS_OF.values() for m in mods):
        assert importlib.util.find_spec(name) is not None, name
