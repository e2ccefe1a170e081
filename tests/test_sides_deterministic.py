"""Sides of a large issue are the same on every call. The same benchmark corpus gave 104, 107 and 111 removals
in three runs: 37 statements had changed side between them, with equal stance edges. Components above 800
statements take ARPACK's eigsh, whose default starting vector is random (ARPACK's own state, which other
eigsh calls in the process, e.g. UMAP's spectral layout, move on); where the leading eigenvalue is nearly
degenerate the sign pattern then depends on the start."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from navab_graph.link.stance import decide_sides


def test_large_component_sides_do_not_depend_on_the_call():
    # two groups that agree inside, joined by one very weak agreement: one component, two nearly equal leading
    # eigenvalues, so the eigenvector eigsh returns is whatever mix its start leads to
    half = 450
    i, j = np.triu_indices(half, 1)
    i = np.r_[i, i + half, 0]
    j = np.r_[j, j + half, half]
    agree = np.r_[np.ones(2 * len(np.triu_indices(half, 1)[0])), 1e-9]
    n = 2 * half
    order = [f"s{k:05d}" for k in range(n)]
    runs = []
    for k in range(4):
        for _ in range(k):  # other ARPACK calls in between move its random state
            eigsh(sp.random(60, 60, density=0.2, random_state=k).toarray() + np.eye(60), k=1, which="LA")
        got = decide_sides(n, i, j, agree, order)
        assert len(np.unique(got.issue)) == 1  # one component of 900: the eigsh path
        runs.append(got.side.copy())
    for r in runs[1:]:
        assert np.array_equal(r, runs[0]), int((r != runs[0]).sum())


def test_eigsh_gets_a_fixed_start(monkeypatch):
    """The mechanism behind the test above (whose input may not expose ARPACK's randomness on every BLAS): the
    large-component path hands eigsh a fixed starting vector, so ARPACK's random state never decides a side.
    Measured on the benchmark's CN graph: with it, two graphs that had 37 statements on other sides got equal
    sides and the same 108 removals."""
    import scipy.sparse.linalg as sla

    seen = []
    real = sla.eigsh

    def spy(*args, **kw):
        seen.append(kw.get("v0"))
        return real(*args, **kw)

    monkeypatch.setattr(sla, "eigsh", spy)
    half = 450
    i, j = np.triu_indices(half, 1)
    i, j = np.r_[i, i + half, 0], np.r_[j, j + half, half]
    decide_sides(2 * half, i, j, np.ones(len(i)), [f"s{k:05d}" for k in range(2 * half)])
    assert seen and all(v is not None for v in seen)
    assert np.allclose(seen[0], seen[0][0])  # the same start for every statement: no order or seed in it
