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

from train_snapshots import COLUMNS, SEED, make_rows, split_of, write_snapshot  # noqa: E402,F401


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
