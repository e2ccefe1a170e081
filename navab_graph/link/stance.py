"""Stance relations between statements from their embeddings (pure numpy; no graph I/O).

Stance axis: d = e(S) - e(RS). Topic, entities and sentence frame are shared by S and RS and cancel; what is
left points from the reverse stance to the stance. Two same-issue statements conflict when their axes point
opposite ways: score(a, b) = -cos(d_a, d_b). Sides per issue come from all pairs together: the sign of the
leading eigenvector of the signed agreement matrix (a spectral relaxation of "2-colour the issue so that
agreeing pairs share a colour"), so one noisy pair cannot split an issue wrongly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


def normalise(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def same_issue_sim(S: np.ndarray, R: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Issue closeness of pairs (i, j): the best of cos(S_i, S_j), cos(S_i, RS_j), cos(RS_i, S_j)."""
    return np.maximum.reduce([(S[i] * S[j]).sum(1), (S[i] * R[j]).sum(1), (R[i] * S[j]).sum(1)])


def conflict_score(S: np.ndarray, R: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    D = normalise(S - R)
    return -(D[i] * D[j]).sum(1)


@dataclass
class Sides:
    issue: np.ndarray  # component index per statement
    side: np.ndarray  # +1 / -1 per statement


def decide_sides(n: int, i: np.ndarray, j: np.ndarray, agreement: np.ndarray, order: list[str]) -> Sides:
    """Issues = connected components of the decided pairs; side = sign of the leading eigenvector of the
    component's signed agreement matrix (+ agree, - conflict). Orientation: the component's smallest id
    (by `order`, the statement ids) gets +1; a zero entry counts as +1."""
    A = sp.coo_matrix((np.r_[agreement, agreement], (np.r_[i, j], np.r_[j, i])), shape=(n, n)).tocsr()
    n_comp, labels = connected_components(A, directed=False)
    side = np.ones(n, dtype=np.int64)
    for c in range(n_comp):
        idx = np.flatnonzero(labels == c)
        if len(idx) < 2:
            continue
        sub = A[idx][:, idx]
        if len(idx) <= 800:
            _, vecs = np.linalg.eigh(sub.toarray())
            v = vecs[:, -1]
        else:
            from scipy.sparse.linalg import eigsh

            # a fixed start: ARPACK's default one is random, and near-zero entries then change sign from call to
            # call (the same corpus gave other sides, so other removals, in each run)
            v0 = np.full(len(idx), 1.0 / np.sqrt(len(idx)))
            _, vecs = eigsh(sub.astype(np.float64), k=1, which="LA", v0=v0)
            v = vecs[:, 0]
        s = np.where(v < 0, -1, 1)
        first = min(range(len(idx)), key=lambda k: order[idx[k]])
        side[idx] = s * s[first]
    return Sides(labels, side)
