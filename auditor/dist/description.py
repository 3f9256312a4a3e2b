"""Links in a project description (the long description, ``Description`` in core metadata).

The description is parsed with a real parser for its declared
``Description-Content-Type`` (core metadata 2.1): Markdown with
``markdown-it-py`` (CommonMark; raw HTML blocks read for ``<a href>`` and
``<img src>``), reStructuredText with ``docutils`` (references, including
standalone URLs, and images; file insertion and raw directives disabled),
plain text by splitting on whitespace.  No markup is rendered or executed;
only link targets come out.

A missing content type means reStructuredText, as PyPI renders it
(PyPA, "Making a PyPI-friendly README").

Cost: parsing is most of the CPU a cold audit spends on a project's JSON
(docutils and markdown-it together took 0.9-1.4 s for the 67 projects of
``examples/llm-finetune``), so work that cannot yield an ``http(s)`` link is
skipped without changing the answer:

* a text with no ``http`` (any case) and no ``&`` (an entity could spell one
  in Markdown) has no such link and is not parsed;
* Markdown is parsed into blocks once, and the inline parser (the costly
  part) runs only on the blocks that can hold such a link: those containing
  ``http`` or ``&``, or ``[`` when the document defines link references
  (their targets are collected at block level);
* with ``directories_only`` (the caller needs only directory links,
  :func:`is_directory_link`), a text in which no such path appears is not
  parsed, and only directory links are kept.
"""

from __future__ import annotations

import copy
import io
import re
import threading
import warnings
from html.parser import HTMLParser

#: Longest description read, in characters; the rest is ignored (bounds parse time).
MAX_DESCRIPTION_CHARS = 200_000
#: Most links kept from one description.
MAX_LINKS = 500
#: Longest link kept, in characters.
MAX_LINK_CHARS = 2048


class _HrefParser(HTMLParser):
    """Collects ``href``/``src`` attributes of ``<a>`` and ``<img>`` in raw HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag == "img" and name == "src")):
                self.links.append(value)


def _html_links(html: str) -> list[str]:
    p = _HrefParser()
    try:
        p.feed(html)
        p.close()
    except Exception:  # noqa: BLE001 - malformed HTML in a README yields what was read so far
        pass
    return p.links


#: A link into a directory of a repository: ``/tree/<branch>/<dir>`` (GitHub, GitLab's ``/-/tree/``),
#: Gitea/Forgejo ``/src/branch/<branch>/<dir>``.
DIRECTORY_LINK = re.compile(r"/(?:-/)?tree/[^/]+/.|/src/branch/[^/]+/.")
#: Text that a directory link needs somewhere in the raw description (cheap test before parsing).
_DIRECTORY_HINT = re.compile(r"/tree/|/src/branch/", re.IGNORECASE)
#: Text that an ``http(s)`` link needs in the raw Markdown: the scheme itself, or an entity that spells it.
_LINK_HINT = re.compile(r"http|&", re.IGNORECASE)


def is_directory_link(url: str) -> bool:
    """Whether *url* links a directory (``/tree/<branch>/<dir>``, Gitea ``/src/branch/...``), not a file."""
    return bool(DIRECTORY_LINK.search(url))


_MD = threading.local()  # one MarkdownIt per thread: building one compiles its rule chains


def _markdown():
    md = getattr(_MD, "md", None)
    if md is None:
        from markdown_it import MarkdownIt

        md = _MD.md = MarkdownIt("commonmark").disable("inline")  # the core rule: run per block below
    return md


def _markdown_links(text: str) -> list[str]:
    md = _markdown()
    env: dict = {}
    tokens = md.parse(text, env)
    refs = bool(env.get("references"))
    for tok in tokens:  # what markdown-it's core "inline" rule does, for the blocks that can hold a link
        if tok.type == "inline" and (_LINK_HINT.search(tok.content) or (refs and "[" in tok.content)):
            tok.children = []
            md.inline.parse(tok.content, md, env, tok.children)
    out: list[str] = []
    stack = list(reversed(tokens))
    while stack:
        tok = stack.pop()
        if tok.type == "link_open" and tok.attrGet("href"):
            out.append(str(tok.attrGet("href")))
        elif tok.type == "image" and tok.attrGet("src"):
            out.append(str(tok.attrGet("src")))
        elif tok.type in ("html_block", "html_inline"):
            out.extend(_html_links(tok.content))
        if tok.children:
            stack.extend(reversed(tok.children))
    return out


_RST_DEFAULTS = None  # docutils.frontend.Values, built once
_RST_LOCK = threading.Lock()


def _rst_settings(parser):
    """Fresh docutils settings for one parse: no includes, no raw, no messages, nothing halts.

    docutils (0.21-0.23) still builds its defaults with optparse and warns
    that this machinery is deprecated; the defaults are built once per
    process, under a lock, with that one warning silenced, then copied
    (shallow: the values changed below are replaced, never mutated).
    """
    global _RST_DEFAULTS
    from docutils.frontend import get_default_settings

    with _RST_LOCK:
        if _RST_DEFAULTS is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*frontend.Option")
                _RST_DEFAULTS = get_default_settings(parser)
    settings = copy.copy(_RST_DEFAULTS)  # no __init__: no deprecation warning, and nothing shared is changed
    for key, value in {
        "report_level": 5, "halt_level": 5, "warning_stream": io.StringIO(),
        "file_insertion_enabled": False, "raw_enabled": False, "traceback": False, "syntax_highlight": "none",
    }.items():
        setattr(settings, key, value)
    return settings


def _rst_links(text: str) -> list[str]:
    from docutils import nodes
    from docutils.parsers.rst import Parser
    from docutils.readers.standalone import Reader
    from docutils.utils import new_document

    # docutils' own parser on a fresh document (not publish_doctree and its
    # command-line machinery).
    parser = Parser()
    settings = _rst_settings(parser)
    try:
        tree = new_document("<description>", settings)
        parser.parse(text, tree)
        tree.transformer.populate_from_components((parser, Reader()))  # resolves `name`_ references
        tree.transformer.apply_transforms()
    except Exception:  # noqa: BLE001 - docutils raises many types on hostile input; no links then
        return []
    out: list[str] = []
    for node in tree.findall(nodes.reference):
        if node.get("refuri"):
            out.append(node["refuri"])
    for node in tree.findall(nodes.image):
        if node.get("uri"):
            out.append(node["uri"])
    return out


def description_links(text: str | None, content_type: str | None, *, directories_only: bool = False) -> tuple[str, ...]:
    """The link targets in a project description, in document order, de-duplicated.

    Args:
        text: the description (untrusted; cut at :data:`MAX_DESCRIPTION_CHARS`).
        content_type: ``Description-Content-Type`` (``text/markdown``,
            ``text/x-rst``, ``text/plain``, parameters allowed) or None (reST).
        directories_only: keep only directory links (:func:`is_directory_link`);
            a description without ``/tree/`` or ``/src/branch/`` is then not parsed.

    Returns:
        Up to :data:`MAX_LINKS` ``http(s)`` URLs, each at most :data:`MAX_LINK_CHARS` long.
    """
    if not text or not isinstance(text, str):
        return ()
    text = text[:MAX_DESCRIPTION_CHARS]
    if not _LINK_HINT.search(text) or (directories_only and not _DIRECTORY_HINT.search(text)):
        return ()
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind == "text/markdown":
        links = _markdown_links(text)
    elif kind == "text/plain":
        links = [w.strip("<>()[]'\",.") for w in text.split()]
    else:
        links = _rst_links(text)
    out: dict[str, None] = {}
    for link in links:
        link = link.strip()
        if (link.lower().startswith(("http://", "https://")) and len(link) <= MAX_LINK_CHARS
                and (not directories_only or is_directory_link(link))):
            out.setdefault(link, None)
            if len(out) >= MAX_LINKS:
                break
    return tuple(out)
