"""read_sbom parses component by component but keeps ``Bom.components``' order (issue 14)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.dist.sbom import read_sbom


def _component(draw_name, version, group, ref, vcs):
    c = {"type": "library", "name": draw_name, "bom-ref": ref}
    if version is not None:
        c["version"] = version
    if group is not None:
        c["group"] = group
    if vcs is not None:
        c["externalReferences"] = [{"type": "vcs", "url": f"https://github.com/{vcs}/{draw_name}"}]
    return c


components = st.lists(st.builds(_component, st.sampled_from(["zlib", "openssl", "Zlib", "a", "b"]),
                                 st.one_of(st.none(), st.sampled_from(["1.0", "1.1", "2"])),
                                 st.one_of(st.none(), st.sampled_from(["g", "h"])),
                                 st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6"]),  # duplicates: the fallback
                                 st.one_of(st.none(), st.sampled_from(["x", "y"]))), max_size=8)


def _old_read(doc):
    """What read_sbom returned when the whole document went through ``Bom.from_json``."""
    from cyclonedx.model.bom import Bom

    return [(c.name, c.version, c.group, c.bom_ref.value,
             next((r.url for r in c.external_references if r.type.value == "vcs"), None))
            for c in Bom.from_json(doc).components]


@settings(max_examples=150, deadline=None)
@given(components)
def test_same_components_in_the_same_order_as_bom_from_json(comps):
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps,
           "dependencies": [{"ref": c["bom-ref"]} for c in comps[:2]]}
    _, got = read_sbom(json.dumps(doc).encode())
    want = _old_read(doc)
    assert [(c.name, c.version) for c in got] == [(n, v) for n, v, *_ in want]
    assert [c.vcs for c in got] == [w[-1] and str(w[-1]) for w in want]


def test_a_malformed_component_is_the_library_s_error():
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
           "components": [{"type": "no-such-type", "name": "x"}]}
    try:
        read_sbom(json.dumps(doc).encode())
    except ValueError as exc:
        assert str(exc).startswith("malformed CycloneDX (")
    else:
        raise AssertionError("accepted")
