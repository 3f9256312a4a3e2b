"""Release facts from the PyPI JSON API project document.

Facts only (no judgement): the pinned version's upload time and age, the
project's age, its number of releases, whether the pinned version is yanked,
and the time since the last release.  Everything is measured to
``Config.as_of`` when given (uploads after it are ignored), else to now (UTC).

Source: :class:`~auditor.models.PyPIProject` (``/pypi/NAME/json``:
``releases[version][].upload_time_iso_8601`` and ``yanked``), already on
each node; this collector makes no requests.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping, Sequence

from auditor import clock
from auditor.collectors import Collector, RunContext
from auditor.models import PackageNode, PyPIProject, ReleaseFacts, Unknown

SECONDS_PER_DAY = 86400.0


def parse_time(text: str) -> datetime:
    """Parse an ISO-8601 time or date (``2024-05-01T12:00:00.123Z``, ``2024-05-01``) as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def reference_time(as_of: str | None) -> datetime:
    """End of the ``as_of`` day (UTC) when given, else the current time."""
    if as_of:
        day = parse_time(as_of[:10])
        return day.replace(hour=23, minute=59, second=59)
    return clock.now()


def _days(start: str | None, end: datetime) -> float | None:
    if not start:
        return None
    return round(max(0.0, (end - parse_time(start)).total_seconds() / SECONDS_PER_DAY), 2)


def release_facts(project: PyPIProject, version: str, as_of: str | None = None) -> ReleaseFacts:
    """Release facts for *version* of *project*.

    Args:
        project: PyPI JSON API facts (``version_uploads`` maps version -> ISO time).
        version: the pinned version.
        as_of: ISO date; uploads after it are ignored and ages are measured to it.

    Returns:
        A :class:`ReleaseFacts`; ``uploaded`` is ``None`` when PyPI lists no
        file for *version* (e.g. a local build).
    """
    ref = reference_time(as_of)
    uploads = {v: t for v, t in project.version_uploads.items() if parse_time(t) <= ref}
    last = max(uploads.items(), key=lambda item: parse_time(item[1]), default=None)
    first = min(uploads.values(), key=parse_time, default=None)
    uploaded = uploads.get(version)
    if uploaded is None:  # versions may be spelled differently ("1.0" vs "1.0.0")
        from packaging.version import Version

        try:
            want = Version(version)
            uploaded = next((t for v, t in uploads.items() if _same(v, want)), None)
        except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
            pass
    return ReleaseFacts(
        version=version,
        uploaded=uploaded,
        version_age_days=_days(uploaded, ref),
        project_age_days=_days(first, ref),
        release_count=len(uploads),
        yanked=version in project.yanked_versions,
        last_release=last[0] if last else None,
        days_since_last_release=_days(last[1], ref) if last else None,
        reference_date=ref.date().isoformat(),
    )


def _same(text: str, want) -> bool:
    from packaging.version import Version

    try:
        return Version(text) == want
    except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
        return False


class ReleaseCollector(Collector):
    """Release facts per node (see :class:`Collector`); reads ``node.project`` only."""

    key = "release"
    description = "release history from the PyPI JSON API: upload time, age, releases, yanked"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, ReleaseFacts | Unknown]:
        out: dict[str, ReleaseFacts | Unknown] = {}
        for node in nodes:
            version = node.distribution.version
            if isinstance(node.project, Unknown):
                # already reported once as the node's missing PyPI data
                out[node.name] = Unknown(f"no PyPI project facts ({node.project.reason})", fault=False)
            elif not version:
                out[node.name] = Unknown("no pinned version", fault=False)
            else:
                out[node.name] = release_facts(node.project, version, ctx.config.as_of)
        return out
