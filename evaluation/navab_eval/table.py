"""The paper's Table 2 layout from summary.json files: rows = models, columns = nations x (MC, AJ),
one block per statement set (quoted, official). Every cell is the correct rate with its 95 % Wilson interval
and n. Rendered as a rich table, CSV, Markdown and a heatmap PNG.

Results on snapshots with and without Conflict Reduction are kept apart: when both are present, a row is
"model (with CR)" / "model (without CR)".
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from .stats import fmt, wilson
from .summary import check_outputs

NATION_ORDER = ["CN", "US", "GB", "FR", "DE"]  # the paper's column order; other nations follow alphabetically
NATION_NAMES = {"CN": "China", "US": "US", "GB": "UK", "FR": "France", "DE": "Germany"}
METHODS = ["mc", "aj"]
SET_TITLES = {"quoted": "Quoted Statements", "official": "Official Statements"}
CONDITION_TITLES = {"with_cr": "with CR", "without_cr": "without CR"}
KEY = ["model", "condition", "method", "nation", "set"]
# Run settings that change a cell's number: two summaries giving one cell under different settings are two
# different results, not a re-run, and the table refuses to pick one.
SETTINGS = ("split", "normalize", "bos", "data_sha256")
CONFIG_SETTINGS = ("limit", "chat_template", "max_length", "judge", "temperature", "max_new_tokens")


def _settings(data: dict) -> str:
    config = data.get("config") or {}
    return json.dumps({**{k: data.get(k) for k in SETTINGS}, **{k: config.get(k) for k in CONFIG_SETTINGS}},
                      sort_keys=True, default=str)


def _check_same_settings(df: pd.DataFrame) -> None:
    """A cell given by two summaries must come from the same settings (a re-run); else name both and stop."""
    for key, part in df.groupby(KEY, dropna=False, sort=False):
        if part["settings"].nunique() > 1:
            first, other = part.iloc[0], part[part["settings"] != part.iloc[0]["settings"]].iloc[0]
            a, b = json.loads(first["settings"]), json.loads(other["settings"])
            differ = ", ".join(f"{k} {a[k]!r} vs {b[k]!r}" for k in a if a[k] != b.get(k))
            cell = "/".join(str(k) for k in key if pd.notna(k))
            raise ValueError(f"{first['source']} and {other['source']} both give the cell {cell} under different "
                             f"settings ({differ}); pass one of them")


def _cell(g: dict, path: Path) -> dict:
    row = {k: g.get(k) for k in ("model", "method", "nation", "set", "n", "correct_rate")}
    row["condition"] = g.get("condition")
    row["source"] = str(path)
    n = row["n"]
    if row["correct_rate"] is None or not n:
        row.update(correct=None, ci_low=None, ci_high=None)
        return row
    correct = g.get("correct")
    if correct is None:  # a summary written before intervals were: recover the count from rate x n
        correct = round(row["correct_rate"] * n)
    row["correct"] = correct
    if g.get("ci_low") is not None and g.get("ci_high") is not None:
        row["ci_low"], row["ci_high"] = g["ci_low"], g["ci_high"]
    else:
        row["ci_low"], row["ci_high"] = wilson(correct, n)
    return row


def load_groups(paths: Iterable[str | Path]) -> pd.DataFrame:
    """summary.json files (or directories holding one) -> one row per (model, condition, method, nation, set)
    with n, correct, correct_rate, ci_low, ci_high, `source` (the summary file) and `row`, the model's label in
    the table. Raises ValueError when two summaries give one cell under different settings (SETTINGS), or when
    a summary disagrees with the items.jsonl beside it."""
    rows = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            path = path / "summary.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no summary.json (give a navab-eval output directory or the file)")
        if path.name == "summary.json":  # with the items.jsonl written beside it
            check_outputs(path.parent)
        data = json.loads(path.read_text(encoding="utf-8"))
        if "groups" not in data:
            raise ValueError(f"{path}: not a navab-eval summary (no 'groups')")
        settings = _settings(data)
        rows += [{**_cell(g, path), "settings": settings} for g in data["groups"]]
    if not rows:
        raise ValueError("no result groups in the given summaries")
    df = pd.DataFrame(rows).astype({"condition": object})
    _check_same_settings(df)
    # a later file for the same cell wins (a re-run with the same settings)
    df = df.drop_duplicates(KEY, keep="last").drop(columns="settings")
    several = df["condition"].dropna().nunique() > 1
    df["row"] = [f"{m} ({CONDITION_TITLES.get(c, c)})" if several and c else m
                 for m, c in zip(df["model"], df["condition"])]
    return df


def _nations(df: pd.DataFrame) -> list[str]:
    present = set(df["nation"])
    return [n for n in NATION_ORDER if n in present] + sorted(present - set(NATION_ORDER))


def wide(df: pd.DataFrame, value: str = "correct_rate") -> pd.DataFrame:
    """Index (set, model row); columns (nation, method) in the paper's order; cells = `value`."""
    nations = _nations(df)
    table = df.pivot_table(index=["set", "row"], columns=["nation", "method"], values=value, aggfunc="last",
                           dropna=False)
    present = set(zip(df.loc[df["correct_rate"].notna(), "nation"], df.loc[df["correct_rate"].notna(), "method"]))
    cols = [(n, m) for n in nations for m in METHODS if (n, m) in present]
    sets = [s for s in SET_TITLES if s in set(df["set"])]
    order = [(s, m) for s in sets for m in sorted(df.loc[df["set"] == s, "row"].unique())]
    return table.reindex(index=pd.MultiIndex.from_tuples(order, names=["set", "model"]), columns=pd.MultiIndex
                         .from_tuples(cols, names=["nation", "method"]))


def _header(col: tuple[str, str]) -> str:
    return f"{NATION_NAMES.get(col[0], col[0])} {col[1].upper()}"


def _cells(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return wide(df), wide(df, "n"), wide(df, "ci_low"), wide(df, "ci_high")


def _text(rate, n, lo, hi) -> str:
    if pd.isna(rate):
        return ""
    return fmt(float(rate), None if pd.isna(lo) else float(lo), None if pd.isna(hi) else float(hi), int(n))


def to_csv(df: pd.DataFrame, path: Path) -> None:
    rate, n, lo, hi = _cells(df)
    flat = pd.DataFrame(index=rate.index)
    for c in rate.columns:
        h = _header(c)
        flat[h] = rate[c].round(3)
        flat[f"{h} n"] = n[c].astype("Int64")
        flat[f"{h} ci_low"] = lo[c].round(3)
        flat[f"{h} ci_high"] = hi[c].round(3)
    flat.to_csv(path)


def to_markdown(df: pd.DataFrame) -> str:
    rate, n, lo, hi = _cells(df)
    heads = [_header(c) for c in rate.columns]
    lines = ["Correct rate [95 % Wilson interval] n=items", "",
             "| Model | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    for set_name in dict.fromkeys(rate.index.get_level_values("set")):
        lines.append(f"| **{SET_TITLES.get(set_name, set_name)}** |" + " |" * len(heads))
        for key in rate.loc[[set_name]].index:
            cells = [_text(rate.at[key, c], n.at[key, c], lo.at[key, c], hi.at[key, c]) for c in rate.columns]
            lines.append(f"| {key[1]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_rich(df: pd.DataFrame, methods: Iterable[str] | None = None):
    """One rich table (all methods, or only `methods`); each cell "rate / n=N / low-high" on three lines."""
    from rich.table import Table

    rate, n, lo, hi = _cells(df)
    cols = [c for c in rate.columns if methods is None or c[1] in set(methods)]
    conditions = sorted(set(df["condition"].dropna()))
    title = "Correct rate, n, 95 % Wilson interval (paper Table 2 layout)"
    if len(conditions) == 1:
        title += f", {CONDITION_TITLES.get(conditions[0], conditions[0])}"
    out = Table(title=title)
    out.add_column("Model", no_wrap=True)
    for c in cols:
        out.add_column(f"{NATION_NAMES.get(c[0], c[0])}\n{c[1].upper()}", justify="right", no_wrap=True)

    def short(x: float) -> str:
        return f"{x:.2f}".removeprefix("0")

    def cell(key, c) -> str:  # three short lines keep the ten columns of Table 2 narrow
        r, low, high = rate.at[key, c], lo.at[key, c], hi.at[key, c]
        if pd.isna(r):
            return "-"
        ci = "" if pd.isna(low) or pd.isna(high) else f"\n{short(low)}-{short(high)}"
        return f"{r:.3f}\nn={int(n.at[key, c])}{ci}"

    for set_name in dict.fromkeys(rate.index.get_level_values("set")):
        out.add_section()
        out.add_row(f"[bold]{SET_TITLES.get(set_name, set_name)}[/bold]", *[""] * len(cols))
        for key in rate.loc[[set_name]].index:
            out.add_row(key[1].replace(" (", "\n("), *[cell(key, c) for c in cols])
    return out


def to_rich_tables(df: pd.DataFrame, width: int) -> list:
    """The table, or one per method when the whole one would not fit `width` columns (a terminal of 80)."""
    n_cols = len(wide(df).columns)
    label = max([len(line) for r in df["row"] for line in str(r).replace(" (", "\n(").splitlines()]
                + [len("Official Statements")])
    if label + 4 + 11 * n_cols <= width:
        return [to_rich(df)]
    return [to_rich(df, [m]) for m in METHODS if m in set(df["method"])]


def heatmap(df: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table, counts = wide(df), wide(df, "n")
    sets = list(dict.fromkeys(table.index.get_level_values("set")))
    n_models = max(len(table.loc[[s]]) for s in sets)
    fig, axes = plt.subplots(len(sets), 1, squeeze=False,
                             figsize=(1.1 * len(table.columns) + 3, 0.5 * n_models * len(sets) + 1.5 * len(sets)))
    for ax, set_name in zip(axes[:, 0], sets):
        block, nblock = table.loc[set_name], counts.loc[set_name]
        values = block.to_numpy(dtype=float)
        im = ax.imshow(values, vmin=0, vmax=1, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(table.columns)), [_header(c) for c in table.columns], rotation=45, ha="right")
        ax.set_yticks(range(len(block)), list(block.index))
        ax.set_title(SET_TITLES.get(set_name, set_name))
        for (r, c), v in pd.DataFrame(values).stack().items():
            n = nblock.iat[r, c]
            if pd.isna(v) or pd.isna(n):
                continue
            ax.text(c, r, f"{v:.3f}\nn={int(n)}", ha="center", va="center", color="white" if v > 0.6 else "black",
                    fontsize=7)
        fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
