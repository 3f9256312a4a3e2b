"""The JSON writer through orjson writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes."""

import enum
import io
import json
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.models import Unknown
from auditor.pipeline import run_audit
from auditor.report import json_report
from auditor.report.serialize import dumps_indented, orjson_converter, to_jsonable, to_orjson
from tests.builders import StaticSource, dist, inventory


class Colour(str, enum.Enum):
    RED = "red"


@dataclass(frozen=True)
class Box:
    value: object
    _hidden: int = 0
    tags: frozenset = field(default_factory=frozenset)


# every code point, lone surrogates included (they come from metadata and must take the fallback path)
_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=12)
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), _text,
    st.sampled_from([1e-05, 1e-4, 0.0001, 1e16, 1e15, 5e-324, -0.0, 12.5, 100.0]),
    st.builds(Unknown, _text), st.just(Colour.RED),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_text, inner, max_size=4),
        st.builds(Box, inner, st.integers(), st.frozensets(st.integers(), max_size=3)),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_values, st.integers(min_value=0, max_value=3))
def test_dumps_indented_is_the_standard_librarys_text(value, level):
    expected = json.dumps(to_jsonable(value), indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)
    assert dumps_indented(to_orjson(value), level, plain=lambda: to_jsonable(value)) == expected
    shared = [value, Box(value), value]  # the same instances twice: converted once by a document's converter
    convert = orjson_converter()
    assert dumps_indented(convert(shared), plain=lambda: to_jsonable(shared)) == json.dumps(
        to_jsonable(shared), indent=2, ensure_ascii=False)


def test_to_jsonable_shapes():
    box = Box(Unknown("offline"), 3, frozenset({2, 1}))
    assert to_jsonable(box) == {"value": {"unknown": "offline"}, "tags": [1, 2]}
    assert to_jsonable({1: (Colour.RED, {"b", "a"})}) == {"1": ["red", ["a", "b"]]}
    assert to_jsonable(object) == str(object)


def _result(config, fake_pypi, author):
    fake_pypi.add("app", "1.0", roles=(("Owner", "alice"),))
    fake_pypi.add("lib", "1.0")
    inv = inventory(["app", "ghost"],
                    dist("app", requires=["lib"], project_urls=(("Source", "https://github.com/o/app"),), author=author),
                    dist("lib"), dist("ghost"))
    return run_audit(config, StaticSource(inv))


def test_render_streams_the_document(config, fake_pypi):
    result = _result(config, fake_pypi, "Ünïcode <b>\u2028 \x1b[31m")
    for verbose in (False, True):
        out = io.StringIO()
        json_report.render(result, out, verbose=verbose)
        assert out.getvalue() == json.dumps(json_report.document(result, verbose), indent=2, ensure_ascii=False) + "\n"


# --- GraphML: the streaming writer writes networkx's exact text ---

import networkx as nx  # noqa: E402

from auditor.report import graphml  # noqa: E402
from types import SimpleNamespace  # noqa: E402

_attr_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), _text,
                         st.lists(_text, max_size=2), st.builds(Unknown, _text), st.just(""))
_attrs = st.dictionaries(st.sampled_from(["kind", "name", "score", "flag", "x", "unknown"]), _attr_values, max_size=4)


@st.composite
def _graphs(draw):
    g = nx.DiGraph()
    names = draw(st.lists(st.one_of(_text, st.sampled_from(["<root>", "a&b", 'q"t', "p==1.0"])), max_size=6, unique=True))
    for n in names:
        g.add_node(n, **draw(_attrs))
    for u in names:
        for v in names:
            if draw(st.booleans()):
                g.add_edge(u, v, **draw(_attrs))
    g.graph.update(draw(st.dictionaries(st.sampled_from(["name", "as_of"]), _attr_values, max_size=2)))
    return g


def _networkx_text(g):
    out = io.StringIO()
    graphml._write_networkx(g, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(_graphs())
def test_graphml_writer_is_networkxs_text(g):
    out = io.StringIO()
    try:
        expected = _networkx_text(g)
    except Exception as exc:  # networkx refuses the graph: so must render
        try:
            graphml.render(SimpleNamespace(graph=g), out)
        except Exception as mine:
            assert type(mine) is type(exc)
            return
        raise AssertionError(f"networkx raised {exc!r}, render did not")
    graphml.render(SimpleNamespace(graph=g), out)
    assert out.getvalue() == expected


def test_graphml_writer_empty_and_colliding_ids():
    for g in (nx.DiGraph(), nx.DiGraph([("a\x00", "a\x01")])):
        out = io.StringIO()
        graphml.render(SimpleNamespace(graph=g), out)
        assert out.getvalue() == _networkx_text(g)
