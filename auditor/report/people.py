"""``auditor people PACKAGE``: the people behind one package and how they reach the root.

:func:`people_view` turns an :class:`~auditor.pipeline.AuditResult` (audited
with ``Config.people``) into a plain :class:`PeopleView`; :func:`render_table`
and :func:`render_json` write it.  Names, e-mails and logins come from git
history (untrusted text): the table wraps them in :class:`rich.text.Text`, so
markup in a name is shown, not interpreted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table
from auditor.report.safe import text as Text  # neutralises controls, escapes and bidi (report/safe.py)

from auditor.graph import attrs as A
from auditor.graph.build import node_id
from auditor.graph.queries import paths_to_root
from auditor.models import RepositoryHistory, Unknown
from auditor.report.lookup import audited_node
from auditor.report.serialize import to_jsonable

#: Dependency paths shown from the root to the package.
MAX_PATHS = 3


@dataclass(frozen=True)
class PersonRow:
    """One person behind the package.

    Attributes:
        id: person id (salted unless ``--show-emails``).
        name: display name; names / emails / logins: everything merged into this person.
        authored / co_authored / landed / active / last: from :class:`~auditor.models.Contribution`.
        also_on_path: other packages on the paths to the root that this person
            also contributes to (so they reach the root through those too).
    """

    id: str
    name: str
    names: tuple[str, ...]
    emails: tuple[str, ...]
    logins: tuple[str, ...]
    authored: int
    co_authored: int
    landed: int
    active: bool
    last: str
    also_on_path: tuple[str, ...]


@dataclass(frozen=True)
class PeopleView:
    """What ``auditor people`` shows.

    Attributes:
        package / version / repository: the package and its mapped repository URL (or None).
        history: the package's :class:`~auditor.models.RepositoryHistory` or Unknown.
        paths: dependency paths ``[root, ..., package]`` as package names (root shown as ``<root>``).
        people: one row per person, most authored commits first.
    """

    package: str
    version: str | None
    repository: str | None
    history: RepositoryHistory | Unknown
    paths: tuple[tuple[str, ...], ...]
    people: tuple[PersonRow, ...]


def people_view(result, package: str) -> PeopleView:
    """The people behind *package* in *result*.

    Raises:
        InputError: *package* is not in the audited set.
    """
    node = audited_node(result, package)
    nid = node_id(node)
    g = result.graph
    id_paths = paths_to_root(g, nid, limit=MAX_PATHS)
    names = {n: g.nodes[n].get(A.NAME, n) for path in id_paths for n in path}
    names[A.ROOT_ID] = A.ROOT_ID
    history = node.signals.get("history", Unknown("git history not collected", fault=False))
    rows: list[PersonRow] = []
    if isinstance(history, RepositoryHistory):
        on_path = {n for path in id_paths for n in path if n not in (A.ROOT_ID, nid)}
        others = {}
        for other in result.nodes.values():
            oid = node_id(other)
            h = other.signals.get("history")
            if oid in on_path and isinstance(h, RepositoryHistory):
                others[other.name] = h.person_ids()
        by_id = {p.id: p for p in history.people}
        for c in history.contributions:
            p = by_id.get(c.person)
            rows.append(PersonRow(
                id=c.person,
                name=p.display_name if p else c.person,
                names=p.names if p else (), emails=p.emails if p else (), logins=p.logins if p else (),
                authored=c.authored, co_authored=c.co_authored, landed=c.landed, active=c.active, last=c.last,
                also_on_path=tuple(sorted(o for o, ids in others.items() if c.person in ids)),
            ))
    return PeopleView(
        package=node.name,
        version=node.distribution.version,
        repository=node.mapping.repo.url if node.mapping.repo else None,
        history=history,
        paths=tuple(tuple(names[n] for n in path) for path in id_paths),
        people=tuple(rows),
    )


def render_table(view: PeopleView, out: TextIO, limit: int = 50, color: bool | None = None,
                 width: int | None = None) -> None:
    """Write *view* as a summary, the paths and a table of people (``limit`` rows, 0 for all).

    *color* forces colours on/off (default: when *out* is a terminal); *width*
    is the width in columns (default: the terminal's, or 160 when not one).
    """
    console = Console(file=out, force_terminal=color, no_color=color is False,
                      width=width or (160 if not out.isatty() else None), highlight=False)
    h = view.history
    console.print(Text(f"{view.package}=={view.version or '?'} — {view.repository or 'no source repository'}",
                       style="bold"))
    if isinstance(h, Unknown):
        console.print(Text(f"git history: {h}"))
    else:
        console.print(Text(
            f"{h.contributors} contributors"
            + (f" (+{h.unlinkable_authors} authors with addresses no forge account can hold)"
               if getattr(h, "unlinkable_authors", 0) else "")
            + f", {h.active_contributors} active in the {h.window_days} days to "
            f"{h.as_of or 'now'}, {h.committers} committers, bus factor {h.bus_factor}, {h.commits} commits "
            f"({h.first_commit or '—'} .. {h.last_commit or '—'}), {h.excluded_bots} bots excluded"))
    if view.paths:
        for path in view.paths:
            console.print(Text("reaches the root via: " + " -> ".join(path)))
    else:
        console.print(Text("not reachable from the root"))
    if not view.people:
        return
    table = Table(header_style="bold")
    for col, kw in (("Person", {}), ("E-mails", {"overflow": "fold"}), ("Logins", {}),
                    ("Authored", {"justify": "right"}), ("Co-auth.", {"justify": "right"}),
                    ("Landed", {"justify": "right"}), ("Active", {}), ("Last commit", {}),
                    ("Also on the path", {"overflow": "fold"})):
        table.add_column(col, **kw)
    shown = view.people if not limit else view.people[:limit]
    for r in shown:
        table.add_row(Text(r.name), Text(", ".join(r.emails)), Text(", ".join(r.logins)), Text(str(r.authored)),
                      Text(str(r.co_authored)), Text(str(r.landed)), Text("yes" if r.active else "no"),
                      Text(r.last[:10]), Text(", ".join(r.also_on_path)))
    console.print(table)
    if len(shown) < len(view.people):
        console.print(Text(f"... {len(view.people) - len(shown)} more (use --limit 0 for all)"))


def render_json(view: PeopleView, out: TextIO) -> None:
    """Write *view* as JSON (history without its people list: the rows carry them)."""
    h = view.history
    doc = {
        "package": view.package,
        "version": view.version,
        "repository": view.repository,
        "history": to_jsonable(h) if isinstance(h, Unknown) else {
            k: v for k, v in to_jsonable(h).items() if k not in ("people", "contributions")},
        "paths": [list(p) for p in view.paths],
        "people": [to_jsonable(r) for r in view.people],
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
