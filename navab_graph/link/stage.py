"""`navab-graph link --nation CODE`: stance relations between statements, issues and sides, and the article
context graph (LINKED). Idempotent: re-running recomputes the derived edges and properties in place.

Candidate pairs are the k nearest statements of e(S) and of e(RS) of every statement: computed exactly in numpy
up to 20,000 statements per nation (the same answer after an engine restart, which the HNSW index does not give:
link/knn.py), from the engine's vector index above that; never all pairs. One embedding model per nation (the nation's language's model; the offline
default is multilingual), so every statement of a nation lives in one vector space.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass

import numpy as np

from ..config import Settings
from ..embed import get_embedder
from ..progress import bar
from ..store import GraphStore, ensure_schema, run_batches, run_named
from .context import link_articles
from .knn import EXACT_MAX, exact_knn, nation_knn
from .stance import conflict_score, decide_sides, same_issue_sim


@dataclass
class LinkReport:
    statements: int = 0
    reverse_constructed: int = 0
    skipped_no_reverse: int = 0
    candidate_pairs: int = 0
    same_issue_pairs: int = 0
    conflicts: int = 0
    agrees: int = 0
    uncertain: int = 0
    llm_verified: int = 0
    llm_unrelated: int = 0
    uncertain_unverified: int = 0
    issues: int = 0
    contested_issues: int = 0
    linked: dict | None = None
    embedded: int = 0  # texts embedded now (statements, reverses, articles; the rest came from the cache)
    embed_docs_per_s: float = 0.0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _index(store: GraphStore, name: str, dim: int) -> None:
    try:
        run_named(store, name, {"dim": dim})
    except Exception as e:  # idempotent: the index exists already
        if "already" not in str(e).lower() and "exists" not in str(e).lower():
            raise


def _reverses(store, settings, rows, rep, provider, quiet, lang):
    """Statements without a reverse get one from the LLM layer's `construct`; if that fails they are skipped."""
    missing = [r for r in rows if not (r["reverse"] or "").strip()]
    if not missing:
        return rows
    made = []
    if provider is None:
        try:
            from ..llm import get_provider

            provider = get_provider(settings)
        except ImportError:
            provider = None
    pb = bar(len(missing), "construct reverse", "stmt", quiet)
    for r in missing:
        try:
            if provider is None:
                raise RuntimeError("no LLM layer")
            rev = provider.construct(r["text"], r["lang"] or lang).reverse
        except Exception:
            rev = ""
        if rev.strip() and rev.strip() != r["text"].strip():
            r["reverse"] = rev
            made.append({"id": r["id"], "reverse": rev})
        pb.update(1)
    pb.close()
    if made:
        run_named(store, "link/set_reverse", {"rows": made, "by": getattr(provider, "name", "llm")})
    rep.reverse_constructed = len(made)
    keep = [r for r in rows if (r["reverse"] or "").strip()]
    rep.skipped_no_reverse = len(rows) - len(keep)
    return keep


def link(store: GraphStore, settings: Settings, nation: str, *, quiet: bool = False, provider=None,
         verify: bool | None = None) -> LinkReport:
    """Run the link stage for one nation. `verify`: send uncertain pairs to the LLM verifier (default: only
    when an endpoint is configured); `provider` overrides the configured LLM provider."""
    t0 = time.perf_counter()
    ensure_schema(store)
    cfg = settings.link
    rep = LinkReport()
    rows = run_named(store, "link/statements", {"nation": nation}, write=False)
    rep.statements = len(rows)
    rows = _reverses(store, settings, rows, rep, provider, quiet, settings.language_of(nation))
    emb = get_embedder(settings, settings.language_of(nation))
    n = len(rows)
    if n:
        pb = bar(2 * n, f"embed statements {nation}", "text", quiet)
        S = emb.encode([r["text"] for r in rows], settings.embedding.batch_size, pb)
        R = emb.encode([r["reverse"] for r in rows], settings.embedding.batch_size, pb)
        pb.close()
        ids = [r["id"] for r in rows]
        pos = {s: k for k, s in enumerate(ids)}
        _index(store, "link/statement_vector_index", emb.dim)
        # re-writing an unchanged vector re-inserts it in the HNSW index and perturbs later kNN answers:
        # write only where the (model, text) key changed, so a re-run sees the same neighbours
        keys = [f"{emb.cache_name}:{hashlib.sha1(r['text'].encode()).hexdigest()[:16]}" for r in rows]
        run_batches(store, "link/set_statement_embeddings",
                    ({"id": s, "vec": S[k].tolist(), "key": keys[k]} for k, s in enumerate(ids)
                     if rows[k].get("key") != keys[k]), batch_size=1000)
        pairs = _candidates(store, nation, ids, S, R, pos, cfg.statement_k, quiet)
        rep.candidate_pairs = len(pairs)
        _stance(store, settings, nation, rows, ids, S, R, pairs, rep, provider, verify, quiet)
    rep.linked = link_articles(store, settings, nation, emb, quiet=quiet)
    rep.embedded, spent = emb.embedded_total, emb.seconds_total
    rep.embed_docs_per_s = round(rep.embedded / spent, 1) if rep.embedded and spent > 0 else 0.0
    rep.seconds = time.perf_counter() - t0
    return rep


def _candidates(store, nation, ids, S, R, pos, k, quiet) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    qs = [{"q": f"S:{s}", "id": s, "vec": S[i].tolist()} for i, s in enumerate(ids)] + \
         [{"q": f"R:{s}", "id": s, "vec": R[i].tolist()} for i, s in enumerate(ids)]
    pb = bar(len(qs), f"kNN statements {nation}", "query", quiet)
    if len(ids) <= EXACT_MAX:  # the same answer after an engine restart (knn.py)
        hits = exact_knn(np.vstack([S, R]), [q["id"] for q in qs], S, ids, k, on_batch=pb.update)
    else:
        hits = nation_knn(store, "link/statement_knn", qs, k, nation, on_batch=pb.update)
    for r in hits:
        a, b = pos.get(r["s"]), pos.get(r["t"])
        if a is not None and b is not None and a != b:
            pairs.add((min(a, b), max(a, b)))
    pb.close()
    return pairs


def _stance(store, settings, nation, rows, ids, S, R, pairs, rep, provider, verify, quiet) -> None:
    cfg = settings.link
    if pairs:
        P = np.array(sorted(pairs), dtype=np.int64)
        i, j = P[:, 0], P[:, 1]
        close = same_issue_sim(S, R, i, j) >= cfg.issue_threshold
        i, j = i[close], j[close]
        score = conflict_score(S, R, i, j)
    else:
        i = j = np.zeros(0, np.int64)
        score = np.zeros(0)
    rep.same_issue_pairs = len(i)
    relation = np.where(score > cfg.margin, -1, np.where(score < -cfg.margin, 1, 0))  # -1 conflict, +1 agree
    by = np.array(["embedding"] * len(i), dtype=object)
    unc = np.flatnonzero(relation == 0)
    rep.uncertain = len(unc)
    if verify is None:
        verify = bool(settings.llm.base_url)
    if verify and len(unc):
        if provider is None:
            from ..llm import get_provider

            provider = get_provider(settings)
        pb = bar(len(unc), "verify uncertain pairs", "pair", quiet)
        for k in unc:
            a, b = rows[i[k]], rows[j[k]]
            try:
                v = provider.verify_conflict(a["text"], b["text"], a["lang"] or settings.language_of(nation))
            except Exception:
                v = None
            if v is not None:
                rep.llm_verified += 1
                relation[k] = {"conflict": -1, "agree": 1}.get(v.relation, 0)
                rep.llm_unrelated += v.relation == "unrelated"
                by[k] = getattr(provider, "name", "llm")
            pb.update(1)
        pb.close()
    rep.uncertain_unverified = int((relation == 0).sum()) - rep.llm_unrelated
    keep = relation != 0
    i, j, score, relation, by = i[keep], j[keep], score[keep], relation[keep], by[keep]
    # agreement weight for the side decision: the embedding score's magnitude, or 1 for an LLM verdict
    strength = np.where(by == "embedding", np.abs(score), 1.0)
    sides = decide_sides(len(ids), i, j, relation * strength, ids)
    edges = [{"s": min(ids[a], ids[b]), "t": max(ids[a], ids[b]), "score": float(sc), "verified_by": str(v)}
             for a, b, sc, v in zip(i, j, score, by)]
    run_named(store, "link/clear_stance", {"nation": nation})
    conf = [e for e, r in zip(edges, relation) if r < 0]
    agr = [e for e, r in zip(edges, relation) if r > 0]
    run_batches(store, "link/write_conflicts", conf, batch_size=5000)
    run_batches(store, "link/write_agrees", agr, batch_size=5000)
    rep.conflicts, rep.agrees = len(conf), len(agr)
    first: dict[int, str] = {}
    for k, s in enumerate(ids):
        c = int(sides.issue[k])
        first[c] = min(first.get(c, s), s)
    side_rows = [{"id": s, "issue": f"{nation}:issue:{first[int(sides.issue[k])]}", "side": int(sides.side[k])}
                 for k, s in enumerate(ids)]
    run_batches(store, "link/set_sides", side_rows, batch_size=5000)
    comp_sides: dict[int, set[int]] = {}
    for k in range(len(ids)):
        comp_sides.setdefault(int(sides.issue[k]), set()).add(int(sides.side[k]))
    rep.issues = len(comp_sides)
    rep.contested_issues = sum(len(v) == 2 for v in comp_sides.values())
