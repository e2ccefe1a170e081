"""Per-nation rates and inter-annotator agreement of the stored human labels (paper Table 7).

Rates are per item (a sampled statement under one anchor): an item labelled by several annotators counts once,
with each label weighted by its share (two of three say unrelated -> 2/3 unrelated), so n is the number of
items and the three rates add up to 1. Agreement is measured on the items that two or more annotators labelled:
Cohen's kappa (scikit-learn) for each pair of annotators over the items they share, averaged over the pairs
(Light's kappa; with two annotators it is Cohen's kappa). Kappa is undefined (None) when the shared labels use a
single category only; `agreement` (the share of pairs that agree) is given as well.
"""
from __future__ import annotations

import itertools
import math
from typing import Any

import pandas as pd

from ..store import GraphStore, run_named

LABELS = ["align", "conflict", "unrelated"]


def stored_labels(store: GraphStore, nations: list[str] | None = None) -> pd.DataFrame:
    rows = run_named(store, "verify/labels", {"nations": nations or None}, write=False)
    return pd.DataFrame(rows, columns=["nation", "anchor_id", "statement_id", "statement", "annotator", "label",
                                       "item_id", "at"])


def _kappa(df: pd.DataFrame) -> tuple[float | None, float | None, int, int]:
    """(kappa, agreement, overlap items, annotator pairs used) over the items labelled by 2+ annotators."""
    from sklearn.metrics import cohen_kappa_score

    df = df.assign(item=df["anchor_id"] + "|" + df["statement_id"])
    per_item = df.groupby("item")["annotator"].nunique()
    shared = per_item[per_item >= 2].index
    if len(shared) == 0:
        return None, None, 0, 0
    wide = df[df["item"].isin(shared)].pivot_table(index="item", columns="annotator", values="label",
                                                    aggfunc="last")
    kappas, agree, pairs = [], [], 0
    for a, b in itertools.combinations(wide.columns, 2):
        both = wide[[a, b]].dropna()
        if both.empty:
            continue
        pairs += 1
        agree += list(both[a] == both[b])
        if len(both) >= 2 and (both[a].nunique() > 1 or both[b].nunique() > 1):
            k = cohen_kappa_score(both[a], both[b], labels=LABELS)
            if not math.isnan(k):
                kappas.append(float(k))
    kappa = sum(kappas) / len(kappas) if kappas else None
    return kappa, (sum(agree) / len(agree) if agree else None), len(shared), pairs


def nation_stats(labels: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """{nation: {n, align_rate, conflict_rate, unrelated_rate, kappa, agreement, overlap, annotators, labels,
    anchors}} from stored_labels()."""
    out: dict[str, dict[str, Any]] = {}
    for nation, df in labels.groupby("nation", sort=True):
        share = pd.crosstab([df["anchor_id"], df["statement_id"]], df["label"], normalize="index")
        kappa, agreement, overlap, pairs = _kappa(df)
        out[str(nation)] = {
            "n": int(len(share)),
            **{f"{lab}_rate": round(float(share[lab].mean()) if lab in share else 0.0, 4) for lab in LABELS},
            "kappa": None if kappa is None else round(kappa, 4),
            "agreement": None if agreement is None else round(agreement, 4),
            "overlap": overlap, "annotator_pairs": pairs,
            "annotators": int(df["annotator"].nunique()), "labels": int(len(df)),
            "anchors": sorted(df["anchor_id"].unique().tolist())}
    return out
