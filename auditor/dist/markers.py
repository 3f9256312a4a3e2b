"""PEP 508 environment markers, evaluated for a target environment.

One rule for every input: a marker that does not parse or cannot be
evaluated (unknown variable, incomparable values) counts as holding, so
that nothing is silently dropped from an audit.  Evaluation is
:meth:`packaging.markers.Marker.evaluate`.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName


def marker_holds(marker: str | Marker | None, env: Mapping[str, str], extras: Iterable[str] = (),
                 groups: Iterable[str] = (), lock_context: bool = False) -> bool:
    """Whether the PEP 508 *marker* holds in *env*.

    Args:
        marker: marker text or a parsed marker; ``None`` or ``""`` always holds.
        env: the marker environment (:meth:`auditor.models.TargetEnvironment.marker_environment`).
        extras: the active extras; the marker holds if it holds for any of
            them (none: ``extra == ""``).
        groups: with *lock_context*, the active dependency groups.
        lock_context: evaluate as PEP 751 does in ``pylock.toml``: ``extras``
            and ``dependency_groups`` are sets.

    Returns:
        The verdict; True when the marker cannot be parsed or evaluated.
    """
    if not marker:
        return True
    try:
        m = marker if isinstance(marker, Marker) else Marker(marker)
    except InvalidMarker:
        return True
    try:
        if lock_context:
            return m.evaluate({**env, "extras": set(extras), "dependency_groups": set(groups)}, context="lock_file")
        return any(m.evaluate({**env, "extra": e}) for e in (list(extras) or [""]))
    except (UndefinedComparison, UndefinedEnvironmentName, InvalidMarker, TypeError, ValueError):
        return True  # ValueError: a 5,000-digit version in a comparison is past int()'s digit limit
