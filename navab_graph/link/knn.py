"""kNN restricted to one nation over a vector index that holds every nation (one index per label/property).

Hits from other nations take slots, and FalkorDB's HNSW index can answer fewer than k hits after updates
(seen here: k=11 gave 3 of 46 vectors), so a query with fewer than k hits of its own nation is asked again with
twice the k, until it has k own hits (or k reaches max_k). The answer then
does not depend on how many other nations were loaded (what makes `link` idempotent across nations).
"""
from __future__ import annotations

from ..store import GraphStore, run_batches


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
