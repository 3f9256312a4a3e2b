"""The static Hub-reference scan (auditor/sources/hub_scan.py): real call shapes, no false positives, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.models import Unknown, UnknownKind
from auditor.models.hub import HubReference
from auditor.sources.hub_scan import is_hub_id, scan_paths, scan_source

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "hub-project"


def _scan(tmp_path: Path, code: str, name: str = "m.py") -> tuple[list[HubReference], list]:
    (tmp_path / name).write_text(code)
    result = scan_paths([tmp_path])
    return list(result.references), list(result.unresolved)


def test_fixture_project_finds_every_literal_reference_with_its_options():
    result = scan_paths([PROJECT])
    found = {(str(r.location), r.kind, r.repo_id) for r in result.references}
    assert found == {
        ("explore.ipynb[cell 3]:3", "model", "bert-base-uncased"),
        ("explore.ipynb[cell 4]:2", "model", "hf-internal-testing/tiny-random-bert"),
        ("train.py:17", "model", "meta-llama/Llama-2-7b-hf"),
        ("train.py:18", "model", "tiiuae/falcon-7b"),
        ("train.py:19", "model", "distilbert-base-uncased-finetuned-sst-2-english"),
        ("train.py:20", "model", "openai/whisper-small"),
        ("train.py:21", "dataset", "squad"),
        ("train.py:23", "dataset", "wikimedia/wikipedia"),
        ("train.py:24", "model", "google/flan-t5-small"),
        ("train.py:25", "dataset", "HuggingFaceFW/fineweb-edu"),
        ("train.py:26", "model", "sentence-transformers/all-MiniLM-L6-v2"),
        ("train.py:27", "model", "timm/vit_base_patch16_224.augreg_in21k"),
        ("train.py:28", "model", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
    }
    by_id = {r.repo_id: r for r in result.references}
    llama = by_id["meta-llama/Llama-2-7b-hf"]
    assert llama.revision == "0123456789abcdef0123456789abcdef01234567" and llama.pinned  # through module constants
    falcon = by_id["tiiuae/falcon-7b"]
    assert falcon.trust_remote_code is True and falcon.revision == "main" and not falcon.pinned
    assert by_id["wikimedia/wikipedia"].revision == "v1.0" and not by_id["wikimedia/wikipedia"].pinned
    assert by_id["openai/whisper-small"].revision is None and by_id["openai/whisper-small"].trust_remote_code is False
    assert by_id["sentence-transformers/all-MiniLM-L6-v2"].use_safetensors is True
    assert by_id["google/flan-t5-small"].call == "hf_hub_download"
    assert [(str(u.location), u.call) for u in result.unresolved] == [
        ("explore.ipynb[cell 5]:2", "from_pretrained"), ("train.py:29", "from_pretrained")]
    assert [path for path, _ in result.skipped] == ["src/broken.py"]
    assert result.skipped[0][1].kind is UnknownKind.MALFORMED
    assert result.files == 3


def test_fixture_project_reports_no_string_that_is_not_a_hub_id():
    ids = {r.repo_id for r in scan_paths([PROJECT]).references}
    for not_hub in ("./checkpoints", "csv", "data/train.csv", "not/python", "never/reported",
                    "text-classification", "automatic-speech-recognition", "config.json", "20231101.en"):
        assert not_hub not in ids
    # "bert-base-uncased" in print() and "gpt2" in a markdown cell are not loading calls
    assert "gpt2" not in ids


@pytest.mark.parametrize("literal", [
    "./out", "../models/x", "/data/model", "~/models", "C:\\models\\bert", "output/checkpoint-500/pytorch_model.bin",
    "model.safetensors", "data/train.csv", "a/b/c", "org//name", "org/na--me", "org/..", "", " gpt2", "gpt2 ",
    "https://huggingface.co/gpt2", "x" * 97, "org/name.git",
])
def test_paths_files_and_urls_are_not_hub_ids(literal):
    assert not is_hub_id(literal)


@pytest.mark.parametrize("literal", ["gpt2", "bert-base-uncased", "openai/whisper-small", "EleutherAI/gpt-neo-1.3B",
                                     "timm/vit_base_patch16_224.augreg_in21k", "t5-small"])
def test_real_hub_ids_are_hub_ids(literal):
    assert is_hub_id(literal)


@pytest.mark.parametrize("builder", ["csv", "json", "parquet", "imagefolder", "audiofolder", "text", "webdataset"])
def test_packaged_dataset_builders_are_not_dataset_references(tmp_path, builder):
    refs, unresolved = _scan(tmp_path, f"load_dataset({builder!r}, data_files='x')\n")
    assert refs == [] and unresolved == []


def test_non_literal_options_are_unknown_not_guessed(tmp_path):
    refs, _ = _scan(tmp_path, "M.from_pretrained('org/m', revision=args.rev, trust_remote_code=flag)\n"
                              "M.from_pretrained('org/n', **kw)\n")
    first, second = refs
    assert isinstance(first.revision, Unknown) and isinstance(first.trust_remote_code, Unknown)
    assert not first.pinned
    assert isinstance(second.revision, Unknown) and "kwargs" in second.revision.reason


def test_constants_bound_twice_or_inside_functions(tmp_path):
    refs, unresolved = _scan(tmp_path, "NAME = 'org/a'\nNAME = 'org/b'\n"
                                       "def f():\n    LOCAL = 'org/c'\n    M.from_pretrained(LOCAL)\n    M.from_pretrained(NAME)\n"
                                       "M.from_pretrained(NAME)\nNAME = NAME.split('/')[-1]\nM.from_pretrained(NAME)\n")
    # at module level a name bound several times has the value of its last binding before the call
    # (the sentence-transformers pattern: model_name = "..." ... model_name = model_name.split("/")[-1]);
    # inside a function, or after a binding that is not a literal, it is not guessed
    assert [(r.repo_id, r.location.line) for r in refs] == [("org/b", 7)]
    assert [u.location.line for u in unresolved] == [5, 6, 9]


def test_constants_of_a_module_that_rebinds_its_globals_are_only_defaults(tmp_path):
    # the configurator pattern of nanoGPT's train.py: module-level defaults, then exec() of an override file
    refs, unresolved = _scan(tmp_path, "init_from = 'scratch'\nexec(open('configurator.py').read())\n"
                                       "model = GPT.from_pretrained(init_from, override_args)\n")
    assert refs == [] and [u.reason for u in unresolved] == ["repository id is a variable ('init_from')"]


def test_peft_adapter_id_is_the_second_argument(tmp_path):
    refs, unresolved = _scan(tmp_path, "m = PeftModel.from_pretrained(base, 'tloen/alpaca-lora-7b')\n"
                                       "n = peft.PeftModelForCausalLM.from_pretrained(base, model_id='org/adapter', revision='main')\n"
                                       "o = AutoPeftModelForCausalLM.from_pretrained('org/auto')\n"
                                       "p = PeftModel.from_pretrained(base, lora_weights)\n")
    assert [(r.repo_id, r.revision) for r in refs] == [("tloen/alpaca-lora-7b", None), ("org/adapter", "main"), ("org/auto", None)]
    assert [u.reason for u in unresolved] == ["repository id is a variable ('lora_weights')"]


def test_hub_download_kind_follows_repo_type(tmp_path):
    refs, unresolved = _scan(tmp_path, "hf_hub_download('org/d', 'f.csv', repo_type='dataset')\n"
                                       "snapshot_download(repo_id='org/s', repo_type='space')\n"
                                       "snapshot_download('org/x', repo_type=kind)\n")
    assert [(r.kind, r.repo_id) for r in refs] == [("dataset", "org/d"), ("space", "org/s")]
    assert [u.location.line for u in unresolved] == [3]


def test_pipeline_without_a_model_is_not_a_reference(tmp_path):
    assert _scan(tmp_path, "pipeline('sentiment-analysis')\npipeline(task='ner')\n") == ([], [])


def test_hf_hub_name_with_revision(tmp_path):
    refs, _ = _scan(tmp_path, "timm.create_model('hf_hub:org/vit@" + "a" * 40 + "')\n")
    assert refs[0].repo_id == "org/vit" and refs[0].pinned


def test_oversized_files_are_skipped_as_too_large(tmp_path):
    (tmp_path / "big.py").write_text("M.from_pretrained('org/m')\n" + "#" * 200)
    result = scan_paths([tmp_path], max_file_bytes=100)
    assert result.references == () and result.skipped[0][1].kind is UnknownKind.TOO_LARGE


def test_file_count_is_bounded(tmp_path):
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text("M.from_pretrained('org/m')\n")
    result = scan_paths([tmp_path], max_files=2)
    assert result.files == 2 and len(result.references) == 2
    assert result.skipped[-1][1].kind is UnknownKind.TOO_LARGE


def test_symlinks_hidden_dirs_and_venvs_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.py").write_text("M.from_pretrained('org/outside')\n")
    root = tmp_path / "proj"
    for sub in (".venv", "venv", ".git", "__pycache__"):
        (root / sub).mkdir(parents=True)
        (root / sub / "y.py").write_text("M.from_pretrained('org/hidden')\n")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "l.py").symlink_to(outside / "x.py")
    assert scan_paths([root]).references == ()


def test_missing_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        scan_paths([tmp_path / "nope"])


def test_deeply_nested_code_is_skipped_not_crashing(tmp_path):
    (tmp_path / "deep.py").write_text("x = " + "(" * 100_000 + ")" * 100_000 + "\n")
    (tmp_path / "ok.py").write_text("M.from_pretrained('org/m')\n")
    result = scan_paths([tmp_path])
    assert [r.repo_id for r in result.references] == ["org/m"]
    assert [p for p, _ in result.skipped] == ["deep.py"]


@pytest.mark.parametrize("text", ["", "[]", '{"cells": 3}', '{"cells": [{"cell_type": "code", "source": 5}]}',
                                  "[" * 10_000, "\xff\xfe"])
def test_malformed_notebooks_are_malformed(text):
    problem = scan_source(text.encode("latin-1"), "nb.ipynb", [], [], notebook=True)
    assert isinstance(problem, Unknown) and problem.kind is UnknownKind.MALFORMED


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_never_crash_the_python_scan(data):
    refs: list = []
    problem = scan_source(data, "x.py", refs, [])
    assert problem is None or problem.kind is UnknownKind.MALFORMED
    assert all(is_hub_id(r.repo_id, r.kind) for r in refs)


_code = st.lists(st.sampled_from([
    "M.from_pretrained(", "load_dataset(", "pipeline(", "hf_hub_download(", "'org/m'", "NAME", ", ", "revision=",
    "trust_remote_code=", "True", "**kw", "*a", ")", "'hf-hub:x/y@'", "NAME = 'a/b'\n", "\n", "f'{x}'", "repo_type=",
]), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(_code)
def test_call_shaped_fragments_never_crash(code):
    refs: list = []
    unresolved: list = []
    scan_source(code, "x.py", refs, unresolved)
    for ref in refs:
        assert ref.kind in ("model", "dataset", "space") and is_hub_id(ref.repo_id, ref.kind)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=30))
def test_any_json_never_crashes_the_notebook_scan(doc):
    problem = scan_source(json.dumps(doc), "nb.ipynb", [], [], notebook=True)
    assert problem is None or problem.kind is UnknownKind.MALFORMED
