"""Fine-tune a small classifier and transcribe a few clips: a realistic ML project for auditor's Hub audit.

Run it yourself with the packages of requirements.txt (it downloads several GB).
auditor never runs it: `auditor audit requirements.txt --scan .` reads it with `ast`.
"""

import argparse

import torch
from datasets import load_dataset
from huggingface_hub import hf_hub_download
from transformers import (
    AutoModelForCausalLM,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
    WhisperForConditionalGeneration,
    WhisperProcessor,
)

#: The encoder we fine-tune (a legacy, un-namespaced id: the Hub now serves it as google-bert/bert-base-uncased).
ENCODER = "bert-base-uncased"
#: A branch, not a commit: AUD140 asks for revision="<commit sha>" (the one you reviewed).
WHISPER = "openai/whisper-small"
WHISPER_REVISION = "main"
#: Gated: accept the licence on the Hub and set HF_TOKEN.
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


def classifier(output_dir: str) -> None:
    tok = AutoTokenizer.from_pretrained(ENCODER)
    model = AutoModelForSequenceClassification.from_pretrained(ENCODER, num_labels=2)
    imdb = load_dataset("stanfordnlp/imdb")
    encoded = imdb.map(lambda b: tok(b["text"], truncation=True, padding="max_length"), batched=True)
    args = TrainingArguments(output_dir=output_dir, num_train_epochs=1, per_device_train_batch_size=16)
    Trainer(model=model, args=args, train_dataset=encoded["train"], eval_dataset=encoded["test"]).train()
    model.save_pretrained(output_dir)


def transcribe(n: int) -> list[str]:
    processor = WhisperProcessor.from_pretrained(WHISPER, revision=WHISPER_REVISION)
    model = WhisperForConditionalGeneration.from_pretrained(WHISPER, revision=WHISPER_REVISION, use_safetensors=True)
    # A dataset with a loading script (common_voice_11_0.py), gated as well.
    voices = load_dataset("mozilla-foundation/common_voice_11_0", "en", split="test", streaming=True,
                          trust_remote_code=True)
    out = []
    for sample in voices.take(n):
        audio = sample["audio"]
        features = processor(audio["array"], sampling_rate=audio["sampling_rate"], return_tensors="pt").input_features
        out.append(processor.batch_decode(model.generate(features), skip_special_tokens=True)[0])
    return out


def summarize(texts: list[str]) -> str:
    tok = AutoTokenizer.from_pretrained(LLAMA)
    model = AutoModelForCausalLM.from_pretrained(LLAMA, torch_dtype=torch.bfloat16)
    prompt = tok.apply_chat_template([{"role": "user", "content": "Summarize:\n" + "\n".join(texts)}],
                                     add_generation_prompt=True, return_tensors="pt")
    return tok.decode(model.generate(prompt, max_new_tokens=128)[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output-dir", default="./checkpoints")
    parser.add_argument("--clips", type=int, default=4)
    args = parser.parse_args()
    labels = hf_hub_download(repo_id="huggingface/label-files", filename="imagenet-1k-id2label.json",
                             repo_type="dataset")
    classifier(args.output_dir)
    print(labels, summarize(transcribe(args.clips)))


if __name__ == "__main__":
    main()
