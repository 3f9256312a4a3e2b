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
