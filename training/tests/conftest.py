"""Fixtures: snapshot files written per docs/SNAPSHOT_FORMAT.md, and a tiny random Llama for mechanics."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

COLUMNS = ["id", "nation", "set", "question", "statement", "reverse_statement", "language", "topic", "speaker",
           "source", "article_id", "url", "published", "split", "cr_status", "cr_round", "cr_reason"]
SEED = "navab-v1"

# The nation's stance is always the positive verb; several antonym pairs so that a random model's
# preference is mixed (about half right) and a learnt preference shows.
VERBS = [("helps", "harms"), ("supports", "hurts"), ("protects", "endangers"), ("improves", "worsens"),
         ("benefits", "damages"), ("strengthens", "weakens"), ("welcomes", "rejects")]
TOPICS = ["school", "river", "tax", "rail", "farm", "coast", "clinic", "museum", "market", "bridge",
          "forest", "harbor", "library", "stadium", "factory", "airport", "garden", "canal", "tower", "village"]


def split_of(row_id: str, seed: str = SEED) -> str:
    return "train" if int(hashlib.sha256(f"{seed}:{row_id}".encode()).hexdigest()[:8], 16) % 100 < 80 else "test"


def make_rows(nation: str = "US", n: int = 20, lang: str = "en", removed_every: int = 0,
              sets=("quoted", "official")) -> list[dict]:
    """Synthetic triples: S says the project helps, RS that it harms (one pattern the model can learn)."""
    rows = []
    for i in range(n):
        kind = sets[i % len(sets)]
        topic = TOPICS[i % len(TOPICS)] + ("" if i < len(TOPICS) else f" {i}")
        good, bad = VERBS[i % len(VERBS)]
        statement = f"The new {topic} plan {good} people."
        rid = hashlib.sha256(f"{nation}|{kind}|{statement}".encode()).hexdigest()[:16]
        removed = bool(removed_every) and i % removed_every == removed_every - 1
        rows.append({
            "id": rid, "nation": nation, "set": kind,
            "question": f"Does the new {topic} plan help people?",
            "statement": statement, "reverse_statement": f"The new {topic} plan {bad} people.",
            "language": lang, "topic": topic, "speaker": "A. Speaker" if kind == "quoted" else None,
            "source": "test-news", "article_id": f"a{i}", "url": f"https://example.org/{i}",
            "published": "2024-01-01", "split": split_of(rid),
            "cr_status": "removed" if removed else "kept", "cr_round": 1 if removed else None,
            "cr_reason": "minority side of a cyclic conflict" if removed else None,
        })
    return rows


def write_snapshot(out: Path, rows: list[dict], nation: str = "US", with_cr: bool = True) -> Path:
    """Write <out>/<NATION>/{quoted,official}.{parquet,jsonl} + manifest.json exactly as specified."""
    ndir = out / nation
    ndir.mkdir(parents=True, exist_ok=True)
    files, counts = {}, {}
    for kind in ("quoted", "official"):
        part = sorted((r for r in rows if r["set"] == kind), key=lambda r: r["id"])
        df = pd.DataFrame(part, columns=COLUMNS)
        df["cr_round"] = df["cr_round"].astype("Int64")
        for c in COLUMNS:
            if c != "cr_round":
                df[c] = df[c].astype("string")
        df.to_parquet(ndir / f"{kind}.parquet", index=False)
        with (ndir / f"{kind}.jsonl").open("w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        train = sum(r["split"] == "train" for r in part)
        counts[kind] = {"train": train, "test": len(part) - train, "total": len(part)}
        for ext in ("parquet", "jsonl"):
            name = f"{kind}.{ext}"
            files[name] = hashlib.sha256((ndir / name).read_bytes()).hexdigest()
    manifest = {
        "schema_version": "1.0", "nation": nation, "with_conflict_reduction": with_cr,
        "pipeline_version": "0.1.0", "config_hash": "test", "created_at": "2026-11-28T17:00:00Z",
        "split_seed": SEED, "counts": counts, "files": files,
    }
    (ndir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out


@pytest.fixture
def snapshot_factory(tmp_path):
    def make(name="snap", rows=None, nation="US", with_cr=True, **kw):
        return write_snapshot(tmp_path / name, rows if rows is not None else make_rows(nation, **kw), nation, with_cr)
    return make


def build_tiny_model(path: Path, pad: bool = True, seed: int = 0) -> Path:
    """A 2-layer random Llama and a byte-level BPE tokenizer trained in memory on the fixture texts."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    texts = []
    for r in make_rows(n=40):
        texts += [r["question"], r["statement"], r["reverse_statement"], "My answer is"]
    tk = Tokenizer(models.BPE(unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(texts * 3, trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<unk>", "<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    extra = {"pad_token": "</s>"} if pad else {}
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<s>", eos_token="</s>", unk_token="<unk>", **extra)
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                      bos_token_id=1, eos_token_id=2, pad_token_id=2 if pad else None)
    LlamaForCausalLM(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "llama")


@pytest.fixture(scope="session")
def tiny_model_nopad(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny_nopad") / "llama", pad=False)
