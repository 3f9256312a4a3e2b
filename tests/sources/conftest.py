"""Shared fixtures for the source tests: lockfile paths and a fake metadata client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.config import Config
from auditor.models import CoreMetadata, Unknown

LOCKS = Path(__file__).resolve().parents[1] / "fixtures" / "lockfiles"


class FakeMetadataClient:
    """Implements ``core_metadata(name, version)`` from metadata recorded from
    PyPI's PEP 658 files (tests/fixtures/lockfiles/small-metadata.json)."""

    def __init__(self) -> None:
        doc = json.loads((LOCKS / "small-metadata.json").read_text())
        self.data = {
            k: CoreMetadata(
                name=v["name"], version=v["version"], requires_dist=tuple(v["requires_dist"]),
                project_urls=tuple(tuple(x) for x in v["project_urls"]), home_page=v["home_page"],
            )
            for k, v in doc.items()
        }
        self.calls: list[tuple[str, str]] = []

    def core_metadata(self, name: str, version: str, files=()):
        self.calls.append((name, version))
        self.files = getattr(self, "files", {})
        self.files[name] = [f.url for f in files]
        return self.data.get(f"{name}=={version}", Unknown("not in the recorded metadata"))


@pytest.fixture
def locks() -> Path:
    return LOCKS


@pytest.fixture
def fake_metadata() -> FakeMetadataClient:
    return FakeMetadataClient()


@pytest.fixture
def lock_config(tmp_path) -> Config:
    return Config(cache_dir=tmp_path / "cache", offline=True)
