import pytest

from auditor.collectors import RunContext
from auditor.config import Config


@pytest.fixture
def config(tmp_path):
    return Config(cache_dir=tmp_path / "cache", use_cache=False, timeout=(2.0, 5.0))


@pytest.fixture
def ctx(config):
    c = RunContext(config=config)
    yield c
    c.close()
