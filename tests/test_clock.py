import datetime as dt

import pytest

from auditor import clock
from auditor.errors import ConfigError


def test_source_date_epoch_fixes_the_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")
    assert clock.now() == dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc)
    assert clock.today() == dt.date(2024, 12, 31)


def test_without_it_the_clock_is_utc_now_in_whole_seconds(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    now = clock.now()
    assert now.tzinfo == dt.timezone.utc and now.microsecond == 0


@pytest.mark.parametrize("value", ["-1", "1.5", "yesterday", "9" * 40])
def test_a_malformed_value_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        clock.now()
