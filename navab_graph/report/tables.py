"""The paper's table layouts (Table 2: models x nations x MC/AJ; Table 3: CR/DPO variants) as grids the HTML
template renders: blocks of rows under a two-level header (nation, then method). A cell shows the correct rate
with its 95 % interval and n when the result files carry them (navab-eval's own format: `0.700 [0.40, 0.89]
n=10`); Table 2 has one row per model and condition, so with-CR and without-CR results are never one cell. A with-CR
cell whose snapshot's Conflict Reduction is not the graph's live one (cr_check.mark_cr: `cr_status` stale) says so in
its text (`0.700 [0.40, 0.89] n=10 (stale)`) and is not shaded; one that could not be checked says `(unchecked)`."""
from __future__ import annotations

from typing import Any

import pandas as pd

from .graph_data import NATION_NAMES, PAPER_ORDER
from .results_data import CONDITION_TITLES, CONDITIONS, METHODS, SETS

SET_TITLES = {"quoted": "Quoted Statements", "official": "Official Statements"}
CONDITION_SHORT = {"with_cr_dpo": "with CR + DPO", "with_cr": "with CR", "without_cr": "without CR"}
DETAILS = ("n", "ci_low", "ci_high")
MARKS = ("stale", "unchecked")  # cr_status values a cell shows (cr_check.mark_cr); "current" shows nothing


def cell_text(rate: float, n: Any = None, low: Any = None, high: Any = None) -> str:
    """`0.700 [0.40, 0.89] n=10`, as navab-eval prints a rate (navab_eval.stats.fmt); parts it lacks left out."""
    ci = "" if pd.isna(low) or pd.isna(high) else f" [{low:.2f}, {high:.2f}]"
    return f"{rate:.3f}{ci}" + ("" if pd.isna(n) else f" n={int(n)}")


def row_label(model: str, condition: Any) -> str:
    return model if not isinstance(condition, str) else f"{model} ({CONDITION_SHORT.get(condition, condition)})"


def header(col: tuple[str, str]) -> str:
    return f"{NATION_NAMES.get(col[0], col[0])} {col[1].upper()}"


def _nations(df: pd.DataFrame) -> list[str]:
    present = set(df["nation"])
    return [n for n in PAPER_ORDER if n in present] + sorted(present - set(PAPER_ORDER))


def _columns(df: pd.DataFrame) -> list[tuple[str, str]]:
    have = set(zip(df["nation"], df["method"]))
    return [(n, m) for n in _nations(df) for m in METHODS if (n, m) in have]


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    """df with `row`: the model, and its condition when the summary named one ("m1 (with CR)")."""
    cond = df["condition"] if "condition" in df else pd.Series(None, index=df.index, dtype=object)
    order = {c: i for i, c in enumerate(["with_cr", "without_cr"])}
    return df.assign(row=[row_label(m, c) for m, c in zip(df["model"], cond)],
                     _order=[(m, order.get(c, -1) if isinstance(c, str) else -1) for m, c in zip(df["model"], cond)])


def _pivot(df: pd.DataFrame, index: list[str], values: str, like: pd.DataFrame) -> pd.DataFrame:
    if values not in df or df[values].isna().all():
        return pd.DataFrame(index=like.index, columns=like.columns, dtype=float)
    t = df.pivot_table(index=index, columns=["nation", "method"], values=values, aggfunc="last")
    return t.reindex(index=like.index, columns=like.columns)


def alignment_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Index (set, model), columns (nation, method): the paper's Table 2; `model` is the row label, one row per
    model and condition."""
    return _alignment_tables(df)[0]


def _alignment_tables(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    df = _labelled(df)
    t = df.pivot_table(index=["set", "row"], columns=["nation", "method"], values="correct_rate", aggfunc="last")
    rows = [(s, r) for s in SETS if s in set(df["set"])
            for r in dict.fromkeys(df[df["set"] == s].sort_values("_order", kind="stable")["row"])]
    t = t.reindex(index=pd.MultiIndex.from_tuples(rows, names=["set", "row"]),
                  columns=pd.MultiIndex.from_tuples(_columns(df), names=["nation", "method"]))
    details = {k: _pivot(df, ["set", "row"], k, t) for k in DETAILS}
    if "cr_status" in df:
        details["cr_status"] = _pivot(df, ["set", "row"], "cr_status", t)
    t.index = t.index.set_names(["set", "model"])
    for d in details.values():
        d.index = t.index
    return t, details


def _shade(v: float, lo: float, hi: float) -> float:
    """0..1 colour depth of a cell, relative to its column (the paper shades higher values darker)."""
    return 0.5 if hi <= lo else (v - lo) / (hi - lo)


def _grid(table: pd.DataFrame, blocks: list[tuple[str, list[tuple[Any, str]]]],
          mark_best: bool = False, details: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    cols = list(table.columns)
    nations: list[dict[str, Any]] = []
    for n, m in cols:
        if nations and nations[-1]["code"] == n:
            nations[-1]["methods"].append(m.upper())
        else:
            nations.append({"code": n, "name": NATION_NAMES.get(n, n), "methods": [m.upper()]})
    marks = (details or {}).get("cr_status")
    shown = table if marks is None else table.mask(marks.isin(["stale"]))  # a stale cell sets no scale
    out_blocks = []
    for title, keys in blocks:
        sub = shown.loc[[k for k, _ in keys]]
        lo, hi = sub.min(axis=0), sub.max(axis=0)
        rows = []
        for key, label in keys:
            cells = []
            for c in cols:
                v = table.loc[key, c]
                mark = marks.loc[key, c] if marks is not None else None
                mark = mark if mark in MARKS else None
                if pd.isna(v):
                    cells.append({"text": "–", "shade": None, "best": False, "mark": None})
                else:
                    extra = [details[k].loc[key, c] if details else None for k in DETAILS]
                    text = cell_text(v, *extra) + (f" ({mark})" if mark else "")
                    cells.append({"text": text, "shade": None if mark == "stale" else round(_shade(v, lo[c], hi[c]), 3),
                                  "best": bool(mark_best and mark != "stale" and v == hi[c]), "mark": mark})
            rows.append({"label": label, "cells": cells})
        out_blocks.append({"title": title, "rows": rows})
    return {"nations": nations, "blocks": out_blocks, "n_cols": len(cols)}


def alignment_grid(df: pd.DataFrame) -> tuple[dict[str, Any], pd.DataFrame]:
    """(the grid the template renders, the wide table); df may carry `cr_status` (cr_check.mark_cr)."""
    t, details = _alignment_tables(df)
    blocks = []
    for s in dict.fromkeys(t.index.get_level_values("set")):
        blocks.append((SET_TITLES.get(s, s), [((s, m), m) for m in t.loc[s].index]))
    return _grid(t, blocks, details=details), t


def alignment_marks(df: pd.DataFrame) -> pd.DataFrame | None:
    """cr_status per cell of alignment_wide(df) (None without the column): for the heatmap."""
    return _alignment_tables(df)[1].get("cr_status")


def ablation_grid(df: pd.DataFrame) -> dict[str, Any]:
    """Table 3 layout: per model and set, one row per condition (with CR + DPO, with CR, without CR)."""
    t = df.pivot_table(index=["model", "set", "condition"], columns=["nation", "method"], values="correct_rate",
                       aggfunc="last")
    t = t.reindex(columns=pd.MultiIndex.from_tuples(_columns(df), names=["nation", "method"]))
    details = {k: _pivot(df, ["model", "set", "condition"], k, t) for k in DETAILS}
    blocks = []
    for model in sorted(df["model"].unique()):
        for s in SETS:
            keys = [((model, s, c), CONDITION_TITLES[c]) for c in CONDITIONS if (model, s, c) in t.index]
            if keys:
                blocks.append((f"{SET_TITLES[s]} — {model}", keys))
    return _grid(t, blocks, mark_best=True, details=details)


def dpo_delta(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Before/after DPO per model x set x nation x method, with the difference (Figure 6's numbers)."""
    piv = df.pivot_table(index=["model", "set", "nation", "method"], columns="condition", values="correct_rate",
                         aggfunc="last")
    rows = []
    for (model, s, n, m), r in piv.iterrows():
        before, after = r.get("with_cr"), r.get("with_cr_dpo")
        if pd.isna(before) or pd.isna(after):
            continue
        rows.append({"model": model, "set": s, "nation": n, "method": m.upper(), "before": f"{before:.3f}",
                     "after": f"{after:.3f}", "delta": f"{after - before:+.3f}"})
    order = {n: i for i, n in enumerate(PAPER_ORDER)}
    return sorted(rows, key=lambda r: (r["model"], SETS.index(r["set"]), order.get(r["nation"], len(order)),
                                       r["nation"], r["method"] != "MC"))
