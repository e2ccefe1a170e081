"""The ablation table (paper Table 3): correct rates per variant x set x nation x method, in several forms."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

VARIANTS = ("NaVAB with CR + DPO", "NaVAB with CR", "NaVAB without CR")  # the paper's row order
SET_TITLES = {"quoted": "Quoted Statements", "official": "Official Statements"}


def rates(items: list[dict], variant: str) -> pd.DataFrame:
    """Correct rate per (method, set, nation) of one variant's scored items, with n and the 95 % Wilson interval,
    via navab_eval's summary. A variant is scored on one snapshot: items of both conditions are an error (their
    cells would collide), not a silent pick."""
    from navab_eval.summary import summarize

    groups = summarize(items)["groups"]
    mixed = sorted({str(g["condition"]) for g in groups})
    if len(mixed) > 1:
        raise ValueError(f"{variant}: items of both {' and '.join(mixed)} snapshots; score one condition per variant")
    return pd.DataFrame([{"variant": variant, "method": g["method"].upper(), "set": g["set"], "nation": g["nation"],
                          "correct_rate": g["correct_rate"], "n": g["n"], "ci_low": g["ci_low"],
                          "ci_high": g["ci_high"], "invalid": g["invalid"]} for g in groups])


def _cell(rate, low, high) -> str:
    if pd.isna(rate):
        return ""
    return f"{rate:.3f}" + ("" if pd.isna(low) or pd.isna(high) else f" [{low:.2f}, {high:.2f}]")


def wide(long: pd.DataFrame, set_name: str, values: str = "correct_rate") -> pd.DataFrame:
    """One set's block in the paper's layout: rows = variants, columns = (nation, method)."""
    part = long[long["set"] == set_name]
    table = part.pivot_table(index="variant", columns=["nation", "method"], values="correct_rate", aggfunc="first")
    order = [v for v in VARIANTS if v in table.index]
    table = table.reindex(order).sort_index(axis=1)
    if values == "correct_rate":
        return table
    if values not in part or part[values].isna().all():
        return pd.DataFrame(index=table.index, columns=table.columns, dtype=float)
    other = part.pivot_table(index="variant", columns=["nation", "method"], values=values, aggfunc="first")
    return other.reindex(index=table.index, columns=table.columns)


def to_markdown(long: pd.DataFrame, model: str) -> str:
    lines = [f"# Conflict Reduction ablation (paper Table 3 layout), model `{model}`", "",
             "Correct rate on the test split [95 % Wilson interval]; n = items scored per variant.", ""]
    for set_name in ("quoted", "official"):
        if set_name not in set(long["set"]):
            continue
        t, low, high = (wide(long, set_name, v) for v in ("correct_rate", "ci_low", "ci_high"))
        cols = list(t.columns)
        lines.append(f"## {SET_TITLES[set_name]}")
        lines.append("")
        lines.append("| Variant | " + " | ".join(f"{n} {m}" for n, m in cols) + " |")
        lines.append("|---|" + "---:|" * len(cols))
        for variant, row in t.iterrows():
            cells = [_cell(v, low.loc[variant, c], high.loc[variant, c]) for c, v in row.items()]
            lines.append(f"| {variant} | " + " | ".join(cells) + " |")
        ns = long[long["set"] == set_name].groupby("variant")["n"].sum()
        lines.append("")
        lines.append("n: " + ", ".join(f"{v} {int(ns[v])}" for v in VARIANTS if v in ns.index))
        lines.append("")
    return "\n".join(lines)


def to_rich(long: pd.DataFrame, model: str):
    from rich.table import Table

    tables = []
    for set_name in ("quoted", "official"):
        if set_name not in set(long["set"]):
            continue
        t = wide(long, set_name)
        rt = Table(title=f"{SET_TITLES[set_name]} - {model}")
        rt.add_column("Variant")
        for n, m in t.columns:
            rt.add_column(f"{n} {m}", justify="right")
        best = t.max(axis=0)  # the paper highlights the highest value of each column
        for variant, row in t.iterrows():
            rt.add_row(variant, *["" if pd.isna(v) else (f"[bold green]{v:.3f}[/]" if v == best[c] else f"{v:.3f}")
                                  for c, v in row.items()])
        tables.append(rt)
    return tables


def write_tables(long: pd.DataFrame, out_dir: Path, model: str) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "ablation.csv", "md": out_dir / "ablation.md"}
    long.to_csv(paths["csv"], index=False)
    paths["md"].write_text(to_markdown(long, model), encoding="utf-8")
    return paths


def before_after(long: pd.DataFrame) -> tuple[list[str], list[float], list[float]]:
    """Bars for the figure: with CR (before DPO) vs with CR + DPO, one pair per set x nation x method."""
    before = long[long["variant"] == "NaVAB with CR"].set_index(["set", "nation", "method"])["correct_rate"]
    after = long[long["variant"] == "NaVAB with CR + DPO"].set_index(["set", "nation", "method"])["correct_rate"]
    keys = [k for k in before.index if k in after.index]
    return [f"{n} {s} {m}" for s, n, m in keys], [float(before[k]) for k in keys], [float(after[k]) for k in keys]
