"""kNN restricted to one nation: exact in numpy up to EXACT_MAX vectors, else over the engine's vector index.

Exact up to EXACT_MAX: FalkorDB's HNSW index answers differently once it has been rebuilt from the AOF after a
restart (measured: a re-run of link after an engine restart changed 2 of 1,187 stance edges, and 40 LINKED
edges), so a link interrupted by an engine crash and re-run would not give what an uninterrupted run gives. Up to
20,000 vectors per nation the exact answer costs seconds (blockwise matrix products, top-k by argpartition),
is the same after any restart, and is what the index approximates anyway.

Over the vector index (one per label/property, every nation in it):

Hits from other nations take slots, and FalkorDB's HNSW index can answer fewer than k hits after updates
(seen here: k=11 gave 3 of 46 vectors), so a query with fewer than k hits of its own nation is asked again with
twice the k, until it has k own hits (or k reaches max_k). The answer then
does not depend on how many other nations were loaded (what makes `link` idempotent across nations).
"""
from __future__ import annotations

import numpy as np

from ..store import GraphStore, run_batches

EXACT_MAX = 20_000  # vectors of one nation up to which kNN is computed exactly (see above)


def exact_knn(Q: np.ndarray, q_ids: list[str], T: np.ndarray, t_ids: list[str], k: int, *, block: int = 1024,
              on_batch=None) -> list[dict]:
    """Top-k targets by cosine for each query row (L2-normalised vectors), the query's own id left out; ties by
    target id. Returns [{s, t, cos}] like `nation_knn`."""
    out: list[dict] = []
    k = min(k, len(t_ids) - 1)
    if k <= 0:
        return out
    pos = {t: j for j, t in enumerate(t_ids)}
    tid = np.asarray(t_ids, dtype=object)
    for i0 in range(0, len(q_ids), block):
        sims = Q[i0:i0 + block] @ T.T
        for r, qid in enumerate(q_ids[i0:i0 + block]):
            row = sims[r]
            own = pos.get(qid)
            if own is not None:
                row[own] = -np.inf
            top = np.argpartition(-row, k)[:k + 1] if k < len(row) - 1 else np.arange(len(row))
            top = [j for j in top if j != own]
            top.sort(key=lambda j: (-float(row[j]), tid[j]))
            out += [{"s": qid, "t": tid[j], "cos": float(row[j])} for j in top[:k]]
        if on_batch is not None:
            on_batch(min(block, len(q_ids) - i0))
    return out


def nation_knn(store: GraphStore, name: str, rows: list[dict], k: int, nation: str, *,
               max_k: int = 1 << 14, on_batch=None) -> list[dict]:
    """rows: [{q, id, vec}] (q: a unique query key); returns [{s, t, cos}] with t != s and t of `nation`, up to k per query row."""
    out: list[dict] = []
    want = min(k, len({r["id"] for r in rows}) - 1)  # a nation cannot have more neighbours than members
    todo, kk = rows, k + 1
    while todo:
        got: dict[str, list[dict]] = {}
        for r in run_batches(store, name, todo, batch_size=500, params={"nation": nation, "k": kk},
                             on_batch=on_batch):
            if r["same"] and r["t"] != r["s"]:
                got.setdefault(r["q"], []).append(r)
        again = []
        for q in todo:
            hits = sorted(got.get(q["q"], []), key=lambda h: (-h["cos"], h["t"]))
            if len(hits) < want and kk < max_k:
                again.append(q)
            else:
                out += [{"s": h["s"], "t": h["t"], "cos": h["cos"]} for h in hits[:k]]
        todo, kk, on_batch = again, kk * 2, None
    return out
