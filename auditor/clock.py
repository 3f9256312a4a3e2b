"""The audit's clock: the current UTC time, or ``SOURCE_DATE_EPOCH``.

Every "now" auditor prints or measures an age against comes from :func:`now`,
so that identical input and cache give byte-identical reports when
``SOURCE_DATE_EPOCH`` is set (https://reproducible-builds.org/specs/source-date-epoch/):

* ``generated_at`` in the JSON and Markdown reports;
* the reference time of release and account ages, and of policy exceptions'
  expiry, when ``--as-of`` is not given.
"""

from __future__ import annotations

import datetime as dt
import os

from auditor.errors import ConfigError

#: Environment variable of the reproducible-builds specification (seconds since the Unix epoch, UTC).
ENV = "SOURCE_DATE_EPOCH"


def now() -> dt.datetime:
    """The current time as an aware UTC ``datetime`` (whole seconds), or ``SOURCE_DATE_EPOCH`` when set.

    Raises:
        ConfigError: ``SOURCE_DATE_EPOCH`` is set but is not a non-negative
            integer (the specification says to fail rather than guess).
    """
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if not raw.isdigit() or len(raw) > 12:
        raise ConfigError(f"{ENV}={raw[:40]!r} is not a non-negative integer number of seconds")
    return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)


def today() -> dt.date:
    """The UTC date of :func:`now`."""
    return now().date()
