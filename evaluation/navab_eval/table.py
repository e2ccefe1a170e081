"""The paper's Table 2 layout from summary.json files: rows = models, columns = nations x (MC, AJ),
one block per statement set (quoted, official). Rendered as a rich table, CSV, Markdown and a heatmap PNG."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

NATION_ORDER = ["CN", "US", "GB", "FR", "DE"]  # the paper's column order; other nations follow alphabetically
NATION_NAMES = {"CN": "China", "US": "US", "GB": "UK", "FR": "France", "DE": "Germany"}
METHODS = ["mc", "aj"]
SET_TITLES = {"quoted": "Quoted Statements", "official": "Official Statements"}


def load_groups(paths: Iterable[str | Path]) -> pd.DataFrame:
    """summary.json files (or directories holding one) -> one row per (model, method, nation, set)."""
    rows = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            path = path / "summary.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no summary.json (give a navab-eval output directory or the file)")
        data = json.loads(path.read_text(encoding="utf-8"))
        if "groups" not in data:
            raise ValueError(f"{path}: not a navab-eval summary (no 'groups')")
        rows += [{k: g[k] for k in ("model", "method", "nation", "set", "n", "correct_rate")} for g in data["groups"]]
    if not rows:
        raise ValueError("no result groups in the given summaries")
    # a later file for the same cell wins (e.g. a re-run)
    return pd.DataFrame(rows).drop_duplicates(["model", "method", "nation", "set"], keep="last")


def _nations(df: pd.DataFrame) -> list[str]:
    present = set(df["nation"])
    return [n for n in NATION_ORDER if n in present] + sorted(present - set(NATION_ORDER))


def wide(df: pd.DataFrame) -> pd.DataFrame:
    """Index (set, model); columns (nation, method) in the paper's order."""
    nations = _nations(df)
    table = df.pivot_table(index=["set", "model"], columns=["nation", "method"], values="correct_rate",
                           aggfunc="last")
    cols = [(n, m) for n in nations for m in METHODS if (n, m) in table.columns]
    sets = [s for s in SET_TITLES if s in set(df["set"])]
    order = [(s, m) for s in sets for m in sorted(df.loc[df["set"] == s, "model"].unique())]
    return table.reindex(index=pd.MultiIndex.from_tuples(order, names=["set", "model"]), columns=pd.MultiIndex
                         .from_tuples(cols, names=["nation", "method"]))


def _header(col: tuple[str, str]) -> str:
    return f"{NATION_NAMES.get(col[0], col[0])} {col[1].upper()}"


def to_csv(table: pd.DataFrame, path: Path) -> None:
    flat = table.copy()
    flat.columns = [_header(c) for c in flat.columns]
    flat.round(3).to_csv(path)


def to_markdown(table: pd.DataFrame) -> str:
    heads = [_header(c) for c in table.columns]
    lines = ["| Model | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    for set_name in dict.fromkeys(table.index.get_level_values("set")):
        lines.append(f"| **{SET_TITLES.get(set_name, set_name)}** |" + " |" * len(heads))
        for (_, model), row in table.loc[[set_name]].iterrows():
            cells = ["" if pd.isna(v) else f"{v:.3f}" for v in row]
            lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_rich(table: pd.DataFrame):
    from rich.table import Table

    out = Table(title="Correct rate (paper Table 2 layout)")
    out.add_column("Model")
    for c in table.columns:
        out.add_column(_header(c), justify="right")
    for set_name in dict.fromkeys(table.index.get_level_values("set")):
        out.add_section()
        out.add_row(f"[bold]{SET_TITLES.get(set_name, set_name)}[/bold]", *[""] * len(table.columns))
        for (_, model), row in table.loc[[set_name]].iterrows():
            out.add_row(model, *["-" if pd.isna(v) else f"{v:.3f}" for v in row])
    return out


def heatmap(table: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = list(dict.fromkeys(table.index.get_level_values("set")))
    n_models = max(len(table.loc[[s]]) for s in sets)
    fig, axes = plt.subplots(len(sets), 1, squeeze=False,
                             figsize=(1.1 * len(table.columns) + 3, 0.5 * n_models * len(sets) + 1.5 * len(sets)))
    for ax, set_name in zip(axes[:, 0], sets):
        block = table.loc[set_name]
        values = block.to_numpy(dtype=float)
        im = ax.imshow(values, vmin=0, vmax=1, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(table.columns)), [_header(c) for c in table.columns], rotation=45, ha="right")
        ax.set_yticks(range(len(block)), list(block.index))
        ax.set_title(SET_TITLES.get(set_name, set_name))
        for (r, c), v in pd.DataFrame(values).stack().items():
            ax.text(c, r, f"{v:.3f}", ha="center", va="center", color="white" if v > 0.6 else "black", fontsize=8)
        fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
