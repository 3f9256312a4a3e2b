"""Keep a Markdown report inside GitHub's comment limit (issue 17 item 7).

GitHub refuses an issue or pull-request comment body over 65,536 characters
(the REST API answers 422 "Body is too long").  :func:`fit` leaves a shorter
text unchanged; a longer one is cut at a line boundary, open ``<details>``
blocks are closed, and a closing note says how many lines were left out and
from which sections, and where the whole report is (``--format json`` /
``sarif``).  Used by ``audit --format markdown`` and ``diff --format markdown``.
"""

from __future__ import annotations

import re

#: GitHub's limit on a comment body, in characters.
GITHUB_COMMENT_LIMIT = 65_536

#: What one report may use: a little under the limit.  (``auditor diff`` on several lockfiles
#: joins their reports; each report fits alone, the joined text is not shortened again.)
BUDGET = GITHUB_COMMENT_LIMIT - 256

#: Room kept for the closing note and the closing tags.
_NOTE_ROOM = 1_200

_SUMMARY = re.compile(r"<summary>(.*?)</summary>")


def _section(line: str) -> str | None:
    """The section title a line opens (a ``#`` heading or a ``<summary>``), else None."""
    if line.startswith("#"):
        return line.lstrip("#").strip()
    m = _SUMMARY.search(line)
    return m.group(1).strip() if m else None


def fit(text: str, limit: int = BUDGET) -> str:
    """*text* if it has at most *limit* characters, else a shortened copy that does (see the module docstring).

    Args:
        text: a Markdown report whose strings from outside are already escaped.
        limit: the most characters the result may have (at least 2,000).
    """
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit - _NOTE_ROOM:
            break
        kept.append(line)
        size += len(line) + 1
    omitted = lines[len(kept):]
    current = next((s for s in map(_section, reversed(kept)) if s), None)
    later = [s for s in map(_section, omitted) if s]
    depth = sum(line.strip() == "<details>" for line in kept) - sum(line.strip() == "</details>" for line in kept)
    where = f"the rest of \u201c{current}\u201d" if current else "the end"
    if later:
        where += ", and " + ", ".join(f"\u201c{s}\u201d" for s in later[:5]) + (" …" if len(later) > 5 else "")
    note = (f"**Shortened to fit GitHub's {GITHUB_COMMENT_LIMIT:,}-character comment limit**: "
            f"{len(omitted)} of {len(lines)} lines left out ({where}). "
            "The whole report: `--format json` or `--format sarif`.")
    out = [*kept, "", *(["</details>", ""] * max(depth, 0)), note]
    result = "\n".join(out) + "\n"
    return result if len(result) <= limit else result[: limit - 1] + "\n"  # a pathological single line
