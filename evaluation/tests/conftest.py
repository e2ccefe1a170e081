"""Shared fixtures: a tiny random Llama with an in-memory BPE tokenizer, the offline SmolLM2, snapshots."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Before torch loads: spinning OpenMP threads make forward passes ~5x slower on a busy 2-core machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))  # for openai_server
sys.path.insert(1, str(Path(__file__).resolve().parents[2] / "tests"))  # for llm_server (shared real server)
from llm_server import pytest_configure, real_llm  # noqa: E402,F401


@pytest.fixture(scope="session", autouse=True)
def _eval_cache(request):
    """Dequantised GGUF copies persist in .pytest_cache between sessions (the first conversion takes ~25 s)."""
    os.environ["NAVAB_EVAL_CACHE"] = str(request.config.cache.mkdir("navab-eval"))


def build_tiny(seed: int = 0):
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from navab_eval.fixtures import SAMPLE_TRIPLES
    from navab_eval.prompts import ANSWER_PREFIXES

    corpus = [t for triples in SAMPLE_TRIPLES.values() for tr in triples for t in tr] * 3
    corpus += [p for p, _ in ANSWER_PREFIXES.values()]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<pad>", "<s>", "</s>", "<unk>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                  unk_token="<unk>")
    tok.chat_template = ("{% for m in messages %}<s>{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
                         "{% if add_generation_prompt %}assistant: {% endif %}")
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=48, intermediate_size=96, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model = LlamaForCausalLM(cfg).eval()
    return model, tok


@pytest.fixture(scope="session")
def tiny():
    return build_tiny()


@pytest.fixture(scope="session")
def tiny_dir(tiny, tmp_path_factory):
    """The tiny model saved like a hub checkout, for the CLI and load_model."""
    path = tmp_path_factory.mktemp("tiny-llama")
    tiny[0].save_pretrained(path)
    tiny[1].save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def smollm2():
    from navab_eval.models import load_model

    return load_model("smollm2", device="cpu")


@pytest.fixture(scope="session")
def records():
    from navab_eval.fixtures import sample_records

    return sample_records(24)


@pytest.fixture()
def snapshot_root(records, tmp_path):
    from navab_eval.fixtures import write_snapshot

    for nation in sorted({r.nation for r in records}):
        write_snapshot(records, tmp_path / "snap", nation)
    return tmp_path / "snap"
