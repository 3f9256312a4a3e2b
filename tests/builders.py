"""Builders for small inventories and a Source that returns one (a fake of our interface)."""

from __future__ import annotations

from auditor.models import CoreMetadata, Distribution, Inventory, TargetEnvironment
from auditor.sources.edges import link
from auditor.sources.interface import Source


def dist(name: str, version: str = "1.0", requires=(), project_urls=(), requires_python=None, **meta) -> Distribution:
    return Distribution(
        name, version,
        CoreMetadata(name, version, requires_dist=tuple(requires), project_urls=tuple(project_urls),
                     requires_python=requires_python, **meta),
    )


def inventory(root_requirements, *dists, target=None) -> Inventory:
    target = target or TargetEnvironment("3.11", "linux", "x86_64")
    root, linked = link(root_requirements, list(dists), target)
    direct = {e.target for e in root}
    linked = tuple(d.__class__(**{**d.__dict__, "direct": d.name in direct}) for d in linked)
    return Inventory("test-input", "requirements", root, linked, target, "3.11.7", "test")


class StaticSource(Source):
    """A Source that returns a prepared Inventory."""

    name = "static"

    def __init__(self, inv: Inventory):
        self.inv = inv

    def collect(self, config):
        return self.inv
