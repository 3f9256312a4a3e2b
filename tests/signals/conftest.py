import pytest

from auditor.collectors import Context
from auditor.config import Config


@pytest.fixture
def config(tmp_path):
    return Config(cache_dir=tmp_path / "cache", use_cache=False, timeout=(2.0, 5.0))


@pytest.fixture
def ctx(config):
    c = Context(config=config)
    yield c
    c.close()
