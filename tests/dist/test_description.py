"""Links in project descriptions, read with a real Markdown / reStructuredText parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.dist.description import MAX_LINKS, description_links


def test_markdown_links_images_autolinks_and_html():
    text = ("See [repo](https://github.com/a/b) and <https://gitlab.com/x/y>.\n\n"
            "<p><a href=\"https://github.com/c/d\">x</a></p>\n\n![badge](https://img.shields.io/github/stars/e/f)\n\n"
            "`https://github.com/in/code` and https://github.com/bare/text\n")
    assert description_links(text, "text/markdown; charset=UTF-8; variant=GFM") == (
        "https://github.com/a/b", "https://gitlab.com/x/y", "https://github.com/c/d",
        "https://img.shields.io/github/stars/e/f")


def test_rst_references_standalone_urls_and_image_targets():
    text = ("Title\n=====\n\nSee https://github.com/a/b and `repo <https://github.com/c/d>`_.\n\n"
            ".. image:: https://img.shields.io/x.svg\n   :target: https://github.com/e/f\n")
    assert description_links(text, "text/x-rst") == (
        "https://github.com/a/b", "https://github.com/c/d", "https://github.com/e/f", "https://img.shields.io/x.svg")


def test_missing_content_type_is_rst_and_directives_stay_inert():
    text = ".. include:: /etc/passwd\n\n.. raw:: html\n\n   <a href=\"https://github.com/g/h\">x</a>\n\nhttps://github.com/ok/ok\n"
    assert description_links(text, None) == ("https://github.com/ok/ok",)


def test_plain_text_and_non_http_links():
    assert description_links("see <https://github.com/a/b>, or file:///etc", "text/plain") == ("https://github.com/a/b",)
    assert description_links("[x](javascript:alert(1)) [y](ftp://h/x)", "text/markdown") == ()
    assert description_links(None, None) == () and description_links("", "text/markdown") == ()


def test_many_links_are_bounded():
    text = "\n".join(f"[l](https://github.com/o/r{i})" for i in range(MAX_LINKS + 50))
    assert len(description_links(text, "text/markdown")) == MAX_LINKS


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["text/markdown", "text/x-rst", "text/plain", None]))
def test_never_raises_and_returns_http_links(text, ctype):
    for link in description_links(text, ctype):
        assert link.lower().startswith(("http://", "https://"))


def test_rst_named_references_resolve_without_docutils_deprecations():
    """`Source`_ resolves to its target; docutils is driven without its deprecated option machinery."""
    import warnings

    text = "See `Source`_.\n\n.. _Source: https://github.com/c/d\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert description_links(text, "text/x-rst") == ("https://github.com/c/d",)


def _full_markdown_links(text: str) -> tuple[str, ...]:
    """The reference: markdown-it's whole parse (every block inline-parsed), the same walk and filter."""
    from markdown_it import MarkdownIt

    from auditor.dist.description import _html_links

    out: dict[str, None] = {}
    stack = list(reversed(MarkdownIt("commonmark").parse(text[:200_000])))
    while stack:
        tok = stack.pop()
        links = []
        if tok.type == "link_open" and tok.attrGet("href"):
            links = [str(tok.attrGet("href"))]
        elif tok.type == "image" and tok.attrGet("src"):
            links = [str(tok.attrGet("src"))]
        elif tok.type in ("html_block", "html_inline"):
            links = _html_links(tok.content)
        for link in links:
            link = link.strip()
            if link.lower().startswith(("http://", "https://")) and len(link) <= 2048:
                out.setdefault(link, None)
        if tok.children:
            stack.extend(reversed(tok.children))
    return tuple(out)[:MAX_LINKS]


_MD_PIECES = st.sampled_from([
    "[a](https://github.com/o/r)", "[b][ref]", "[ref]", "[ref]: https://github.com/o/ref\n", "[Ref]: HTTPS://x.org/y\n",
    "<https://gitlab.com/g/p>", "![i](http://img.x/i.png)", "`[c](https://github.com/code/x)`", "```\n[f](https://f.x)\n```\n",
    "    [indented](https://code.block)\n", "<a href=\"https://github.com/h/t\">h</a>", "&#104;ttps://e.x", "[e](&#104;ttps://ent.x/y)",
    "\\[no](https://esc.x)", "*", "_", "\n", "\n\n", "> ", "- ", "1. ", "# ", "text ", "http", "&amp;", "[", "]", "(", ")",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MD_PIECES, max_size=30).map("".join))
def test_markdown_blocks_skipped_by_the_inline_filter_hold_no_links(text):
    """Inline-parsing only the blocks that can hold an http(s) link gives markdown-it's whole answer."""
    assert description_links(text, "text/markdown") == _full_markdown_links(text)


def test_directories_only_keeps_directory_links_and_skips_texts_without_one():
    text = ("[repo](https://github.com/o/mono) [dir](https://github.com/o/mono/tree/main/packages/x) "
            "[gitea](https://codeberg.org/o/r/src/branch/main/py)")
    assert description_links(text, "text/markdown", directories_only=True) == (
        "https://github.com/o/mono/tree/main/packages/x", "https://codeberg.org/o/r/src/branch/main/py")
    assert description_links("[repo](https://github.com/o/mono)", "text/markdown", directories_only=True) == ()
    assert description_links("`x <https://github.com/o/m/tree/main/py>`_", "text/x-rst", directories_only=True) == (
        "https://github.com/o/m/tree/main/py",)
