"""A fixture training script: ten loading calls of different kinds (never run; read by tests)."""
import argparse

import open_clip
import timm
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download
from sentence_transformers import SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

BASE = "meta-llama/Llama-2-7b-hf"
PINNED = "0123456789abcdef0123456789abcdef01234567"
OUTPUT_DIR = "./checkpoints"


def main(args):
    tok = AutoTokenizer.from_pretrained(BASE, revision=PINNED)
    model = AutoModelForCausalLM.from_pretrained("tiiuae/falcon-7b", trust_remote_code=True, revision="main")
    clf = pipeline("text-classification", model="distilbert-base-uncased-finetuned-sst-2-english")
    asr = pipeline("automatic-speech-recognition", "openai/whisper-small")
    squad = load_dataset("squad")
    local = load_dataset("csv", data_files="data/train.csv")
    wiki = load_dataset("wikimedia/wikipedia", "20231101.en", revision="v1.0")
    cfg = hf_hub_download(repo_id="google/flan-t5-small", filename="config.json")
    snap = snapshot_download("HuggingFaceFW/fineweb-edu", repo_type="dataset")
    emb = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2", use_safetensors=True)
    vit = timm.create_model("hf-hub:timm/vit_base_patch16_224.augreg_in21k", pretrained=True)
    clip = open_clip.create_model_and_transforms("hf-hub:laion/CLIP-ViT-B-32-laion2B-s34B-b79K")
    user = AutoModelForCausalLM.from_pretrained(args.model_name)
    saved = model.save_pretrained(OUTPUT_DIR)
    again = AutoModelForCausalLM.from_pretrained(OUTPUT_DIR)
    print("bert-base-uncased", tok, clf, asr, squad, local, wiki, cfg, snap, emb, vit, clip, user, saved, again)


if __name__ == "__main__":
    main(argparse.ArgumentParser().parse_args())
