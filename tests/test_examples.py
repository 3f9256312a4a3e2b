"""The shipped examples against live PyPI (marked ``network``; skipped when unreachable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Config
from auditor.models import Confidence, Unknown
from auditor.pipeline import run_audit
from auditor.sources.registry import open_source
from tests.live import live_pypi

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"



@pytest.mark.network
@live_pypi
def test_audit_scikit_learn_example_against_live_pypi(tmp_path):
    """Resolve, fetch metadata and ownership, map, graph and score: only PyPI is needed
    (the optional collectors, which need GitHub, OSV and others, are left out)."""
    config = Config(cache_dir=tmp_path / "cache")
    result = run_audit(config, open_source(EXAMPLES / "scikit-learn" / "requirements.txt"), collectors=[])
    assert {"scikit-learn", "numpy", "scipy", "joblib", "threadpoolctl", "python"} <= set(result.nodes)
    sk = result.nodes["scikit-learn"]
    assert sk.distribution.direct
    assert sk.mapping.repo.url == "https://github.com/scikit-learn/scikit-learn"
    assert sk.mapping.confidence == Confidence.HIGH
    assert not isinstance(sk.maintainers, Unknown) and len(sk.maintainers) >= 1
    assert result.nodes["numpy"].project.ownership.organization == "numpy"
    assert result.root.packages >= 6 and result.root.maintainers >= 5
    assert not result.missing, result.missing
    again = run_audit(config, open_source(EXAMPLES / "scikit-learn" / "requirements.txt"), collectors=[])
    assert all(c.get("network", 0) == 0 for c in again.requests.values())
