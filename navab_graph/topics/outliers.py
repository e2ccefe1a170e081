"""What happens to HDBSCAN's outliers (topic -1): instruction tagging (paper step IV) or BERTopic's
`reduce_outliers(strategy="embeddings")`.

Instruction tagging (InsTag-style, as in the paper): the LLM tags batches of outlier documents; tags are counted,
similar tags merged by embedding cosine (most frequent first), and each consolidated tag that covers enough
documents becomes a new topic; a document whose tag is merged into such a topic joins it. Rounds repeat on the
documents still without a topic, up to `max_tagging_rounds`; the rest goes to the nearest topic by embedding, so
every document ends in exactly one topic. The consolidation is hand-written: BERTopic has no tag-merging step.
"""
from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

CLUSTER, TAGGING, REDUCED = "cluster", "tagging", "reduce_outliers"


@dataclass
class OutlierResult:
    topics: list[int]
    by: list[str]
    tag_labels: dict[int, str] = field(default_factory=dict)  # new topic -> its consolidated tag (the label)
    rounds: int = 0
    failed_batches: int = 0
    notes: list[str] = field(default_factory=list)


def _norm_tag(tag: str) -> str:
    return re.sub(r"\s+", " ", (tag or "").strip().strip(".:;,\"'").lower())[:80]


def reduce(model, docs: list[str], topics: list[int], emb: np.ndarray, by: list[str]) -> tuple[list[int], list[str]]:
    """Every -1 to its nearest topic by embedding (BERTopic reduce_outliers)."""
    if -1 not in topics:
        return topics, by
    if all(t == -1 for t in topics):
        # no cluster at all: one topic for everything, so each document still has exactly one
        return [0] * len(topics), [REDUCED] * len(topics)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = model.reduce_outliers(docs, topics, strategy="embeddings", embeddings=emb)
    return ([int(t) for t in new], [REDUCED if old == -1 else b for old, b in zip(topics, by)])


def consolidate(tags: list[str], embedder, threshold: float) -> dict[str, str]:
    """tag -> canonical tag: greedy, most frequent first; a tag joins the most similar canonical above threshold."""
    freq = Counter(tags)
    order = sorted(freq, key=lambda t: (-freq[t], t))
    if not order:
        return {}
    vecs = embedder.encode(order)
    canon_idx: list[int] = []
    out: dict[str, str] = {}
    for i, t in enumerate(order):
        if canon_idx:
            sims = vecs[canon_idx] @ vecs[i]
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                out[t] = order[canon_idx[j]]
                continue
        canon_idx.append(i)
        out[t] = t
    return out


def tag_outliers(provider, model, docs: list[str], topics: list[int], emb: np.ndarray, *, lang: str, embedder,
                 batch: int, rounds: int, threshold: float, min_docs: int, progress=None) -> OutlierResult:
    topics = list(topics)
    by = [CLUSTER if t != -1 else "" for t in topics]
    res = OutlierResult(topics, by)
    next_id = max(topics) + 1
    remaining = [i for i, t in enumerate(topics) if t == -1]
    for rnd in range(rounds):
        if not remaining:
            break
        res.rounds = rnd + 1
        # later rounds regroup the documents, so a batch gives the model a different context
        shift = (rnd * max(batch // 2, 1)) % len(remaining)
        order = remaining[shift:] + remaining[:shift]
        batches = [order[i:i + batch] for i in range(0, len(order), batch)]
        outs = provider.tag_documents_many([{"docs": [docs[i] for i in b], "lang": lang} for b in batches],
                                           progress=progress.update if progress is not None else None)
        doc_tag: dict[int, str] = {}
        for b, o in zip(batches, outs):
            if not o.ok:
                res.failed_batches += 1
                res.notes.append(f"round {rnd + 1}: a tagging batch of {len(b)} documents failed: {o.error}")
                continue
            for i, t in zip(b, o.value.tags):  # a short answer leaves the tail untagged for the next round
                if _norm_tag(t.tag):
                    doc_tag[i] = _norm_tag(t.tag)
        canon = consolidate(list(doc_tag.values()), embedder, threshold)
        sizes = Counter(canon[t] for t in doc_tag.values())
        new_ids: dict[str, int] = {}
        for c in sorted(sizes, key=lambda c: (-sizes[c], c)):
            if sizes[c] >= min_docs:
                new_ids[c] = next_id
                res.tag_labels[next_id] = c
                next_id += 1
        for i, t in doc_tag.items():
            tid = new_ids.get(canon[t])
            if tid is not None:
                topics[i], by[i] = tid, TAGGING
        remaining = [i for i in remaining if topics[i] == -1]
    if remaining:
        res.notes.append(f"{len(remaining)} documents without a topic after {res.rounds} tagging round(s): "
                         "assigned to the nearest topic by embedding")
        topics, by = reduce(model, docs, topics, emb, by)
    res.topics, res.by = topics, by
    return res
