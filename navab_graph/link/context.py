"""The article context graph: (Article)-[:LINKED {kind, weight}]->(Article), ONE relationship type, written
both ways (PageRank follows direction on FalkorDB). Kinds:

- shared_value: the articles state statements that AGREE;
- semantic: vector-index kNN on article embeddings (settings.link.semantic_k, semantic_min_sim);
- geo: the articles mention places (Location, or their Source's coordinates) within settings.link.geo_km,
  distance computed by the engine (`distance` on FalkorDB, `point.distance` on Neo4j);
- social: a statement of each is said by the same Person or Organization.
geo and social groups can be huge (a capital city, a ministry): within a group, each article links to the
next `group_k` articles by id, which keeps the group connected with O(n * group_k) edges.
"""
from __future__ import annotations

import hashlib

from ..progress import bar
from ..store import GraphStore, run_batches, run_named
from ..topics.text import doc_text
from .knn import EXACT_MAX, exact_knn, nation_knn


def _chain(groups: dict[str, set[str]], k: int) -> set[tuple[str, str]]:
    out = set()
    for members in groups.values():
        ms = sorted(members)
        for x, a in enumerate(ms):
            for b in ms[x + 1: x + 1 + k]:
                out.add((a, b))
    return out


def link_articles(store: GraphStore, settings, nation: str, emb, *, quiet: bool = False) -> dict[str, int]:
    cfg = settings.link
    rows: list[dict] = []
    counts: dict[str, int] = {}

    sv = run_named(store, "link/shared_value_pairs", {"nation": nation}, write=False)
    rows += [{"a": r["a"], "b": r["b"], "kind": "shared_value", "weight": float(r["weight"] or 1.0)} for r in sv]
    counts["shared_value"] = len(sv)

    arts = run_named(store, "link/articles", {"nation": nation}, write=False)
    if arts:
        # the document as the topic stage embedded it (cut here, in Python: FalkorDB slices multi-byte text
        # wrongly), so its vector comes from the embedding cache instead of a second pass over every article
        texts = [doc_text(a["title"], a["text"], settings.topics.doc_chars) or a["id"] for a in arts]
        pb = bar(len(arts), f"embed articles {nation}", "art", quiet)
        V = emb.encode(texts, settings.embedding.batch_size, pb)
        pb.close()
        try:
            run_named(store, "link/article_vector_index", {"dim": emb.dim})
        except Exception as e:
            if "already" not in str(e).lower() and "exists" not in str(e).lower():
                raise
        keys = [f"{emb.cache_name}:{hashlib.sha1(x.encode()).hexdigest()[:16]}" for x in texts]
        vec_rows = [{"q": a["id"], "id": a["id"], "vec": V[k].tolist(), "key": keys[k]} for k, a in enumerate(arts)]
        # unchanged vectors are not re-written (a re-insert perturbs the HNSW index's later answers)
        run_batches(store, "link/set_article_embeddings",
                    [r for r, a in zip(vec_rows, arts) if a.get("key") != r["key"]], batch_size=1000)
        sem = {}
        if len(arts) <= EXACT_MAX:  # the same answer after an engine restart (knn.py)
            hits = exact_knn(V, [a["id"] for a in arts], V, [a["id"] for a in arts], cfg.semantic_k)
        else:
            hits = nation_knn(store, "link/article_knn", vec_rows, cfg.semantic_k, nation)
        for r in hits:
            if r["cos"] < cfg.semantic_min_sim:
                continue
            r = {"a": r["s"], "b": r["t"], "cos": r["cos"]}
            key = (min(r["a"], r["b"]), max(r["a"], r["b"]))
            sem[key] = max(sem.get(key, -1.0), float(r["cos"]))
        rows += [{"a": a, "b": b, "kind": "semantic", "weight": w} for (a, b), w in sem.items()]
        counts["semantic"] = len(sem)

    places: dict[str, set[str]] = {}
    for r in run_named(store, "link/article_places", {"nation": nation}, write=False):
        places.setdefault(r["place"], set()).add(r["article"])
    groups = {p: set(m) for p, m in places.items()}
    if places:
        for r in run_named(store, "link/near_places", {"places": sorted(places), "metres": cfg.geo_km * 1000.0},
                           write=False):
            groups[r["a"]] |= places[r["b"]]
            groups[r["b"]] |= places[r["a"]]
    geo = _chain(groups, cfg.group_k)
    rows += [{"a": a, "b": b, "kind": "geo", "weight": 1.0} for a, b in geo]
    counts["geo"] = len(geo)

    speakers: dict[str, set[str]] = {}
    for r in run_named(store, "link/article_speakers", {"nation": nation}, write=False):
        speakers.setdefault(r["speaker"], set()).add(r["article"])
    soc = _chain(speakers, cfg.group_k)
    rows += [{"a": a, "b": b, "kind": "social", "weight": 1.0} for a, b in soc]
    counts["social"] = len(soc)

    # replace, not add: edges a previous run derived (e.g. shared_value from AGREES pairs that changed) go
    run_named(store, "link/clear_linked", {"nation": nation})
    run_batches(store, "link/write_linked", rows, batch_size=5000)
    return counts
