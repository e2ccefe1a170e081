"""Topic modeling of one nation's articles (paper section 3.2): embed -> BERTopic (UMAP, HDBSCAN, c-TF-IDF,
KeyBERTInspired + MMR) -> outliers (instruction tagging or reduce_outliers) -> labels -> graph.

Everything is computed before anything is written, so a failure leaves the previous topics in place. The write
replaces the nation's previous assignment (re-runs are idempotent: same seed, same topics, no duplicates).
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..config import Settings
from ..embed import get_embedder, model_for
from ..progress import bar
from ..store import GraphStore, ensure_schema, run_batches, run_named
from ..topics import model as tm
from ..topics import outliers as to
from ..topics.text import doc_text, has_stop_words, vectorizer_for


class TopicsError(ValueError):
    """Input the topic stage cannot model (no articles, too few); the message says what to do."""


@dataclass
class TopicsReport:
    nation: str
    articles: int = 0
    topics: int = 0
    outliers: int = 0
    outlier_share: float = 0.0
    assigned_by: dict[str, int] = field(default_factory=dict)
    min_cluster_size: int = 0
    n_neighbors: int = 0
    embedding_model: str = ""
    embedded: int = 0  # texts embedded now (the rest came from the cache)
    embed_docs_per_s: float = 0.0  # of the texts embedded now
    embed_max_tokens: int | None = None  # what the model reads of a document
    outlier_method: str = ""
    tagging_rounds: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # embed, fit (and its sub-steps), outliers, ...
    top_topics: list[dict[str, Any]] = field(default_factory=list)
    hint: str = ""  # set when very few topics were found: which min_cluster_size would give more

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _outlier_method(cfg: str, provider) -> str:
    if cfg == "auto":
        return "reduce" if provider is None or getattr(provider, "offline", True) else "tagging"
    if cfg not in {"tagging", "reduce", "keep"}:
        raise TopicsError(f"topics.outliers = {cfg!r}: expected auto, tagging, reduce or keep")
    return cfg


def _languages(rows, nation_lang: str, rep: TopicsReport) -> tuple[set[str], str]:
    langs = Counter((r.get("lang") or nation_lang) for r in rows)
    rep.languages = dict(langs.most_common())
    for lang in langs:
        if not has_stop_words(lang):
            rep.warnings.append(f"language {lang!r} ({langs[lang]} articles) has no stop-word list: its topic "
                                "keywords may include function words (known: en, zh, fr, de)")
    main = langs.most_common(1)[0][0]
    return set(langs), main


def compute(rows: list[dict[str, Any]], settings: Settings, nation: str, *, min_cluster_size: int | None = None,
            seed: int | None = None, provider=None, quiet: bool = False) -> tuple[TopicsReport, dict[str, Any]]:
    """All the work, no writes: returns the report and the rows to write."""
    cfg = settings.topics
    seed = cfg.seed if seed is None else seed
    rep = TopicsReport(nation=nation, articles=len(rows))
    method = _outlier_method(cfg.outliers, provider)  # a bad setting fails before the expensive part
    if not rows:
        raise TopicsError(f"nation {nation}: no articles in the graph; load some first "
                          f"(navab-graph load news.jsonl --nation {nation})")
    if len(rows) < tm.MIN_DOCS:
        raise TopicsError(f"nation {nation}: only {len(rows)} articles; topic modeling needs at least {tm.MIN_DOCS}")
    nation_lang = settings.language_of(nation)
    langs, main = _languages(rows, nation_lang, rep)
    models = {lang: model_for(settings, lang) for lang in langs}
    if len(set(models.values())) > 1:
        rep.warnings.append(f"languages of {nation} map to different embedding models {models}; one vector space "
                            f"is needed, so all articles use the model of {main!r} ({models[main]})")
    rep.embedding_model = models[main]
    docs = [doc_text(r.get("title"), r.get("text"), cfg.doc_chars) for r in rows]
    empty = sum(1 for d in docs if not d.strip())
    if empty:
        rep.warnings.append(f"{empty} articles have neither title nor text; they are modeled as empty documents")

    t0 = time.perf_counter()
    embedder = get_embedder(settings, main)
    with bar(len(docs), f"embed {nation}", "doc", quiet) as pb:
        emb = embedder.encode(docs, batch_size=settings.embedding.batch_size, progress=pb)
    rep.embedded = getattr(embedder, "last_missing", len(docs))
    rep.seconds["embed"] = round(time.perf_counter() - t0, 2)
    spent = getattr(embedder, "seconds", 0.0) or rep.seconds["embed"]
    rep.embed_docs_per_s = round(rep.embedded / spent, 1) if rep.embedded and spent else 0.0
    rep.embed_max_tokens = getattr(embedder, "max_tokens", None)

    requested = min_cluster_size or cfg.min_cluster_size
    mcs = tm.effective_min_cluster_size(requested, len(docs), explicit=min_cluster_size is not None)
    if mcs != requested:
        rep.warnings.append(f"min_cluster_size {requested} scaled down to {mcs} for {len(docs)} articles "
                            f"(at most 1/{tm.CORPUS_SHARE} of the corpus, or half of it when given explicitly)")
    vectorizer = vectorizer_for(langs)
    backend = tm.EmbedderBackend(embedder, settings.embedding.batch_size)
    t0 = time.perf_counter()
    with bar(len(tm.FIT_STEPS), f"fit topics {nation}", "step", quiet) as pb:
        fit = tm.fit(docs, emb, cfg=cfg, seed=seed, min_cluster_size=mcs, vectorizer=vectorizer, backend=backend,
                     progress=pb)
    rep.seconds["fit"] = round(time.perf_counter() - t0, 2)
    rep.seconds.update({f"fit.{k}": v for k, v in fit.seconds.items()})
    rep.min_cluster_size, rep.n_neighbors = mcs, fit.n_neighbors
    rep.outliers = sum(1 for t in fit.topics if t == -1)
    rep.outlier_share = round(rep.outliers / len(docs), 4)

    t0 = time.perf_counter()
    rep.outlier_method = method
    by = [to.CLUSTER if t != -1 else "" for t in fit.topics]
    tag_labels: dict[int, str] = {}
    if rep.outliers and method == "tagging":
        n_batches = -(-rep.outliers // cfg.tagging_batch)
        with bar(n_batches, f"tag outliers {nation}", "batch", quiet) as pb:
            res = to.tag_outliers(provider, fit.model, docs, fit.topics, emb, lang=main, embedder=embedder,
                                  batch=cfg.tagging_batch, rounds=cfg.max_tagging_rounds,
                                  threshold=cfg.tag_merge_similarity, min_docs=cfg.min_tag_docs, progress=pb)
        topics, by, tag_labels = res.topics, res.by, res.tag_labels
        rep.tagging_rounds = res.rounds
        rep.warnings.extend(res.notes)
    elif rep.outliers and method == "reduce":
        topics, by = to.reduce(fit.model, docs, fit.topics, emb, by)
    else:
        topics = fit.topics
        by = [b or "outlier" for b in by]
    if all(t == -1 for t in fit.topics):
        rep.warnings.append(f"HDBSCAN found no cluster among {len(docs)} articles (min_cluster_size {mcs}); "
                            "every article is in one topic")
    rep.assigned_by = dict(Counter(by).most_common())
    rep.seconds["outliers"] = round(time.perf_counter() - t0, 2)

    t0 = time.perf_counter()
    with bar(1, f"keywords {nation}", "step", quiet) as pb:
        pb.set_postfix_str("c-TF-IDF + KeyBERTInspired + MMR")
        tm.represent(fit.model, docs, topics, cfg=cfg, vectorizer=vectorizer)
        pb.update(1)
    payload = _payload(fit, topics, by, tag_labels, docs, rows, emb, nation, main, seed, rep, provider, cfg, quiet)
    rep.seconds["represent"] = round(time.perf_counter() - t0, 2)
    if rep.topics < tm.FEW_TOPICS:
        rep.hint = tm.few_topics_hint(fit, rep.topics, len(docs))
    return rep, payload


def _payload(fit, topics, by, tag_labels, docs, rows, emb, nation, lang, seed, rep, provider, cfg, quiet):
    ids = sorted(set(topics))
    members: dict[int, list[int]] = {t: [] for t in ids}
    for i, t in enumerate(topics):
        members[t].append(i)
    topic_rows = []
    for t in ids:
        idx = np.asarray(members[t])
        centroid = emb[idx].mean(axis=0)
        near = idx[np.argsort(-(emb[idx] @ centroid), kind="stable")[:cfg.sample_docs]]
        kw = tm.keywords_of(fit.model, t)
        topic_rows.append({"id": f"{nation}:{t}", "nation": nation, "n": int(t), "keywords": kw,
                           "size": len(idx), "lang": Counter(rows[i].get("lang") or lang for i in idx).most_common(1)[0][0],
                           "created_by": "outliers" if t == -1 else ("tagging" if t in tag_labels else "cluster"),
                           "sample_ids": [rows[i]["id"] for i in near], "model": rep.embedding_model,
                           "seed": seed, "_docs": [docs[i] for i in near[:3]]})
    _label(topic_rows, tag_labels, provider, quiet)
    for r in topic_rows:
        r.pop("_docs")
    by_id = {r["n"]: r["id"] for r in topic_rows}
    assign = [{"id": r["id"], "topic": by_id[t], "x": float(fit.coords[i, 0]), "y": float(fit.coords[i, 1]),
               "by": b} for i, (r, t, b) in enumerate(zip(rows, topics, by))]
    rep.topics = sum(1 for t in ids if t != -1)
    rep.top_topics = [{"id": r["id"], "label": r["label"], "size": r["size"], "created_by": r["created_by"]}
                      for r in sorted(topic_rows, key=lambda r: -r["size"])[:10]]
    return {"topics": topic_rows, "assign": assign}


def _label(topic_rows, tag_labels, provider, quiet) -> None:
    """LLM label when an endpoint is configured; else the top keywords (tagged topics keep their tag)."""
    online = provider is not None and not getattr(provider, "offline", True)
    todo = []
    for r in topic_rows:
        if r["n"] in tag_labels:
            r["label"] = tag_labels[r["n"]]
        elif r["n"] == -1:
            r["label"] = "outliers"
        else:
            r["label"] = ("、" if r["lang"] == "zh" else ", ").join(r["keywords"][:4]) or f"topic {r['n']}"
            if online:
                todo.append(r)
    if todo:
        with bar(len(todo), "label topics", "topic", quiet) as pb:
            outs = provider.label_topic_many([{"keywords": r["keywords"], "docs": r["_docs"], "lang": r["lang"]}
                                              for r in todo], progress=pb.update)
        for r, o in zip(todo, outs):
            if o.ok and o.value.label.strip():
                r["label"] = o.value.label.strip()


def write(store: GraphStore, settings: Settings, nation: str, payload: dict[str, Any], quiet: bool = False) -> None:
    ensure_schema(store)
    ids = [r["id"] for r in payload["topics"]]
    run_named(store, "topics/delete_stale", {"nation": nation, "ids": ids})
    run_named(store, "topics/clear_assignments", {"nation": nation})
    run_batches(store, "topics/upsert", payload["topics"], batch_size=settings.batch_size)
    with bar(len(payload["assign"]), f"write {nation}", "article", quiet) as pb:
        run_batches(store, "topics/assign", payload["assign"], batch_size=settings.batch_size, on_batch=pb.update)


def run_topics(store: GraphStore, settings: Settings, nation: str, *, min_cluster_size: int | None = None,
               seed: int | None = None, provider=None, quiet: bool = False) -> TopicsReport:
    """Model the topics of one nation and write them (the `navab-graph topics` command)."""
    t0 = time.perf_counter()
    rows = run_named(store, "topics/articles", {"nation": nation}, write=False)
    rep, payload = compute(rows, settings, nation, min_cluster_size=min_cluster_size, seed=seed, provider=provider,
                           quiet=quiet)
    t1 = time.perf_counter()
    write(store, settings, nation, payload, quiet)
    rep.seconds["write"] = round(time.perf_counter() - t1, 2)
    c = run_named(store, "topics/counts", {"nation": nation}, write=False)[0]
    if c["with_one_topic"] != c["articles"] or c["edges"] != c["articles"]:
        # articles loaded while this run computed have no topic yet: say so rather than hide it
        rep.warnings.append(f"{c['articles'] - c['with_one_topic']} of {c['articles']} articles of {nation} are not "
                            "in exactly one topic (loaded during the run?); run `topics` again")
    rep.seconds["total"] = round(time.perf_counter() - t0, 2)
    return rep
