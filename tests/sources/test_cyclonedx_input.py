"""``auditor audit sbom.cdx.json``: the PyPI components of a CycloneDX SBOM another tool wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.errors import InputError
from auditor.sources.cyclonedx import CycloneDXSource
from auditor.sources.registry import detect, open_source
from tests.builders import collect

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "expected" / "audit-uv-lock.cyclonedx-json"

#: The shape syft and cyclonedx-py write: a subject, PyPI and npm components (one nested), hashes, dependencies.
SBOM = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"component": {"type": "application", "name": "proj", "bom-ref": "root-ref"}},
    "components": [
        {"type": "library", "name": "Requests", "version": "2.32.3", "bom-ref": "r1",
         "purl": "pkg:pypi/Requests@2.32.3", "hashes": [{"alg": "SHA-256", "content": "AB" * 32},
                                                         {"alg": "MD5", "content": "00" * 16}],
         "components": [{"type": "library", "name": "urllib3", "version": "2.2.2", "bom-ref": "u1",
                         "purl": "pkg:pypi/urllib3@2.2.2"}]},
        {"type": "library", "name": "left-pad", "version": "1.3.0", "bom-ref": "n1", "purl": "pkg:npm/left-pad@1.3.0"},
        {"type": "library", "name": "private", "version": "1.0", "bom-ref": "p1",
         "purl": "pkg:pypi/private@1.0?repository_url=https://user:s3cret@pkgs.example.org/simple"},
        {"type": "file", "name": "README"},
        {"type": "library", "name": "vendored-blob"},
    ],
    "dependencies": [
        {"ref": "root-ref", "dependsOn": ["r1", "n1"]},
        {"ref": "r1", "dependsOn": ["u1", "n1"]},
        {"ref": "u1", "dependsOn": []},
    ],
}


def write(tmp_path: Path, doc: dict, name: str = "sbom.cdx.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_pypi_components_and_their_graph(tmp_path, lock_config):
    inv = collect(CycloneDXSource(write(tmp_path, SBOM), fetch_metadata=False), lock_config)
    by = inv.by_name()
    assert set(by) == {"requests", "urllib3", "private"}  # nested component found; npm and the file left out
    assert by["requests"].version == "2.32.3" and by["requests"].hashes == ("sha256:" + "ab" * 32,)
    assert [e.target for e in inv.root_requires] == ["requests"]
    assert [e.target for e in by["requests"].requires] == ["urllib3"]
    assert by["requests"].direct and not by["urllib3"].direct
    assert "s3cret" not in (by["private"].origin.index_url or "")  # credentials in a purl never travel on
    assert inv.root_kind == "sbom" and inv.resolver == "CycloneDX SBOM"
    assert {g[2] for g in inv.gaps} == {"unsupported"}
    gaps = {g[0]: g[1] for g in inv.gaps}
    assert "sbom: 1 pkg:npm components (auditor audits PyPI packages only)" in gaps
    assert len(gaps) == 2  # the file component is not a package: passed over, not a gap
    assert gaps["sbom: 1 components without a purl"] == "not audited: vendored-blob"
    assert "pkg:npm/left-pad@1.3.0" in gaps["sbom: 1 pkg:npm components (auditor audits PyPI packages only)"]


def test_without_a_subject_the_root_requires_what_nothing_else_requires(tmp_path, lock_config):
    doc = {**SBOM, "metadata": {}}
    inv = collect(CycloneDXSource(write(tmp_path, doc), fetch_metadata=False), lock_config)
    assert [e.target for e in inv.root_requires] == ["private", "requests"]


def test_our_own_cyclonedx_output_round_trips(tmp_path, lock_config):
    doc = json.loads(GOLDEN.read_text().split("---\n", 1)[1])
    inv = collect(CycloneDXSource(write(tmp_path, doc), fetch_metadata=False), lock_config)
    by = inv.by_name()
    assert {n: d.version for n, d in by.items()} == {"app": "1.0", "helper": "0.3", "lib": "2.0"}
    assert [e.target for e in inv.root_requires] == ["app"]
    assert sorted(e.target for e in by["app"].requires) == ["helper", "lib"]
    assert inv.gaps == ()  # the interpreter is a platform component: not a package, passed over


@pytest.mark.parametrize("text, message", [
    ("{not json", "invalid JSON"),
    ('{"bomFormat": "SPDX"}', "not a CycloneDX JSON document"),
    ('{"bomFormat": "CycloneDX", "components": {}}', "'components' must be an array"),
    ('{"bomFormat": "CycloneDX", "dependencies": [{"dependsOn": []}]}', "'ref' string"),
])
def test_bad_input_names_the_file(tmp_path, lock_config, text, message):
    path = tmp_path / "bad.cdx.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        collect(CycloneDXSource(path, fetch_metadata=False), lock_config)
    assert "bad.cdx.json" in str(info.value)


def test_detected_by_name_and_by_content(tmp_path):
    assert detect(write(tmp_path, SBOM)) == "cyclonedx"
    assert detect(write(tmp_path, SBOM, "renamed.json")) == "cyclonedx"
    assert isinstance(open_source(write(tmp_path, SBOM)), CycloneDXSource)


def test_cli_audits_an_sbom_offline(tmp_path):
    from auditor.cli import app

    res = CliRunner().invoke(app, ["audit", str(write(tmp_path, SBOM)), "--offline", "--cache-dir",
                                   str(tmp_path / "cache"), "-f", "json"])
    assert res.exit_code == 3, res.output  # offline, and the npm component is not audited
    doc = json.loads(res.stdout)
    assert {p["name"] for p in doc["packages"]} >= {"requests", "urllib3", "private"}
    assert any("pkg:npm" in m["what"] and m["kind"] == "unsupported" for m in doc["missing"])


# -- the XML form ------------------------------------------------------------------------------

SBOM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <metadata><component type="application" bom-ref="root-ref"><name>proj</name></component></metadata>
  <components>
    <component type="library" bom-ref="r1">
      <name>Requests</name><version>2.32.3</version>
      <hashes><hash alg="SHA-256">""" + "AB" * 32 + """</hash><hash alg="MD5">""" + "00" * 16 + """</hash></hashes>
      <purl>pkg:pypi/Requests@2.32.3</purl>
      <components>
        <component type="library" bom-ref="u1"><name>urllib3</name><version>2.2.2</version>
          <purl>pkg:pypi/urllib3@2.2.2</purl></component>
      </components>
    </component>
    <component type="library" bom-ref="n1"><name>left-pad</name><purl>pkg:npm/left-pad@1.3.0</purl></component>
    <component type="library" bom-ref="p1"><name>private</name>
      <purl>pkg:pypi/private@1.0?repository_url=https://user:s3cret@pkgs.example.org/simple</purl></component>
    <component type="file"><name>README</name></component>
    <component type="library"><name>vendored-blob</name></component>
  </components>
  <dependencies>
    <dependency ref="root-ref"><dependency ref="r1"/><dependency ref="n1"/></dependency>
    <dependency ref="r1"><dependency ref="u1"/><dependency ref="n1"/></dependency>
    <dependency ref="u1"/>
  </dependencies>
</bom>
"""


def write_xml(tmp_path: Path, text: str = SBOM_XML, name: str = "sbom.cdx.xml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_xml_gives_the_same_inventory_as_json(tmp_path, lock_config):
    from_json = collect(CycloneDXSource(write(tmp_path, SBOM), fetch_metadata=False), lock_config)
    from_xml = collect(CycloneDXSource(write_xml(tmp_path), fetch_metadata=False), lock_config)
    strip = lambda inv: ({n: (d.version, d.hashes, d.origin.index_url, d.direct, [e.target for e in d.requires])  # noqa: E731
                          for n, d in inv.by_name().items()}, [e.target for e in inv.root_requires],
                         [g[:1] + g[2:] for g in inv.gaps])
    assert strip(from_xml) == strip(from_json)
    assert from_xml.by_name()["requests"].hashes == ("sha256:" + "ab" * 32,)


def test_our_own_cyclonedx_xml_output_round_trips(tmp_path, lock_config):
    text = (GOLDEN.parent / "audit-uv-lock.cyclonedx-xml").read_text().split("---\n", 1)[1]
    inv = collect(CycloneDXSource(write_xml(tmp_path, text), fetch_metadata=False), lock_config)
    by = inv.by_name()
    assert {n: d.version for n, d in by.items()} == {"app": "1.0", "helper": "0.3", "lib": "2.0"}
    assert [e.target for e in inv.root_requires] == ["app"]
    assert sorted(e.target for e in by["app"].requires) == ["helper", "lib"]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
<name>&b;</name></component></components></bom>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
<name>&x;</name><purl>pkg:pypi/x@1</purl></component></components></bom>
"""


@pytest.mark.parametrize("text, message", [
    ('<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<components>\n<component>\n</bom>', r"bad.cdx.xml:4: invalid XML"),
    ('<bom xmlns="http://example.org/other"/>', "not a CycloneDX XML document"),
    ("<spdx/>", "not a CycloneDX XML document"),
    (BOMB, "DTD or entities"),
    (EXTERNAL, "DTD or entities"),
    ('<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>'
     + '<component type="library"><components>' * 70 + "</components></component>" * 70
     + "</components></bom>", "nested deeper than 64"),
])
def test_bad_xml_names_the_file(tmp_path, lock_config, text, message):
    path = write_xml(tmp_path, text, "bad.cdx.xml")
    with pytest.raises(InputError, match=message) as info:
        collect(CycloneDXSource(path, fetch_metadata=False), lock_config)
    assert "bad.cdx.xml" in str(info.value) and "passwd" not in str(info.value)


def test_xml_detected_by_name_and_by_content(tmp_path):
    assert detect(write_xml(tmp_path)) == "cyclonedx"
    assert detect(write_xml(tmp_path, name="bom.xml")) == "cyclonedx"
    assert detect(write_xml(tmp_path, name="renamed-sbom")) == "cyclonedx"
    assert isinstance(open_source(write_xml(tmp_path)), CycloneDXSource)


def test_cli_audits_an_xml_sbom_offline(tmp_path):
    from auditor.cli import app

    res = CliRunner().invoke(app, ["audit", str(write_xml(tmp_path)), "--offline", "--no-config", "--cache-dir",
                                   str(tmp_path / "cache"), "-f", "json"])
    assert res.exit_code == 3, res.output
    assert {p["name"] for p in json.loads(res.stdout)["packages"]} >= {"requests", "urllib3", "private"}
