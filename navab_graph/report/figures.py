"""The report's figures (matplotlib, Agg backend), each returned as PNG bytes."""
from __future__ import annotations

import functools
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .graph_data import PAPER_ORDER  # noqa: E402
from .tables import header  # noqa: E402

_NATION_RANK = {n: i for i, n in enumerate(PAPER_ORDER)}

_CJK_FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "SimHei"]


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for name in _CJK_FONTS:
        try:
            font_manager.findfont(name, fallback_to_default=False)
            return name
        except ValueError:
            continue
    return None


CJK_FONT = _cjk_font()
# DejaVu first (Latin, accents), then a CJK font when one is installed (Debian: fonts-wqy-microhei)
# An explicit family list (matplotlib falls back glyph by glyph only across named families), applied per figure
# so other users of matplotlib in the process keep their settings.
_RC = {"font.family": ["DejaVu Sans"] + ([CJK_FONT] if CJK_FONT else []), "axes.unicode_minus": False}


def _styled(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with plt.rc_context(_RC):
            return fn(*args, **kwargs)
    return wrapper


def _label(text: str, fallback: str) -> str:
    """A label matplotlib can draw: without a CJK font, CJK text would come out as empty boxes."""
    if CJK_FONT is None and any("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text):
        return fallback
    return text


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


@_styled
def counts_chart(counts: list[dict[str, Any]]) -> bytes:
    """The pipeline funnel per nation: articles -> statements -> triples, and what CR removed."""
    keys = ["articles", "statements", "triples", "removed"]
    nations = [c["nation"] for c in counts]
    x = np.arange(len(nations))
    w = 0.8 / len(keys)
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(nations) + 2), 3.4))
    for i, k in enumerate(keys):
        vals = [c[k] for c in counts]
        bars = ax.bar(x + (i - (len(keys) - 1) / 2) * w, vals, w, label=k)
        ax.bar_label(bars, fontsize=9)
    from .graph_data import nation_name

    ax.set_xticks(x, [nation_name(n) for n in nations])
    ax.set_ylabel("count")
    ax.set_title("Pipeline counts per nation")
    ax.legend(fontsize=8, ncols=len(keys))
    return _png(fig)


@_styled
def topic_map(points: list[dict[str, Any]], topics: list[dict[str, Any]], nation: str, top: int = 8) -> bytes:
    """Articles on their 2-D map coordinates, coloured by topic; outliers (no topic / -1) in grey."""
    df = pd.DataFrame(points)
    df["topic"] = df["topic"].map(lambda t: None if t is None or str(t) in ("-1", "nan") or str(t).endswith(":-1")
                                  else str(t))
    labels = {str(t["id"]): (t.get("label") or str(t["id"])) for t in topics}
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    out = df[df["topic"].isna()]
    ax.scatter(out["x"], out["y"], s=6, c="#bbbbbb", label=f"outliers ({len(out)})")
    sizes = df["topic"].value_counts()
    cmap = plt.get_cmap("tab20")
    for i, t in enumerate(sizes.index):
        part = df[df["topic"] == t]
        name = _label(labels.get(t, t), t)
        ax.scatter(part["x"], part["y"], s=9, color=cmap(i % 20),
                   label=f"{name[:28]} ({len(part)})" if i < top else None)
    ax.set_title(f"Topic map, {nation} ({len(df)} articles, {len(sizes)} topics)", fontsize=12)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize=10, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return _png(fig)


@_styled
def reduction_chart(rounds: dict[str, list[dict[str, Any]]]) -> bytes:
    """Per nation, one bar per round: statements removed in that round and those still kept after it, with the
    round's open and cyclic conflicts named beside it. One round reads as well as five."""
    from .graph_data import nation_name

    nations = list(rounds)
    height = sum(max(1, len(r)) for r in rounds.values())
    fig, axes = plt.subplots(len(nations), 1, squeeze=False, layout="constrained",
                             figsize=(10, 0.55 * height + 1.3 * len(nations) + 0.4))
    for ax, nation in zip(axes[:, 0], nations):
        rows = rounds[nation]
        y = np.arange(len(rows))[::-1]
        removed = np.array([r.get("removed") or 0 for r in rows], dtype=float)
        remaining = np.array([r.get("remaining") or 0 for r in rows], dtype=float)
        ax.barh(y, remaining, color="#3182ce", label="kept after the round")
        ax.barh(y, removed, left=remaining, color="#e53e3e", label="removed in the round")
        total = float((remaining + removed).max() or 1)
        for yi, r, rem, rm in zip(y, rows, remaining, removed):
            ax.text(rem / 2, yi, f"{int(rem)}", ha="center", va="center", color="white", fontsize=10,
                    fontweight="bold")
            ax.text(rem + rm + total * 0.01, yi, f"{int(rm)} removed · {r.get('open_conflicts') or 0} open, "
                    f"{r.get('cyclic') or 0} cyclic conflicts", va="center", fontsize=10)
        ax.set_yticks(y, [f"round {r['round']}" for r in rows], fontsize=10)
        ax.set_xlim(0, total * 1.55)
        ax.set_title(f"{nation_name(nation)} ({nation})", fontsize=11, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=9)
    axes[-1][0].set_xlabel("statements", fontsize=10)
    axes[0][0].legend(fontsize=9, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)
    fig.suptitle("Conflict Reduction per round (latest run)", fontsize=12)
    return _png(fig)


@_styled
def alignment_heatmap(table: pd.DataFrame, marks: pd.DataFrame | None = None) -> bytes:
    """Table 2 as a heatmap: one panel per statement set, rows = models, columns = nation x method. marks
    (cr_status per cell, tables.alignment_marks): a stale cell is left uncoloured and labelled "stale", an
    unchecked one "?"."""
    sets = list(dict.fromkeys(table.index.get_level_values("set")))
    n_models = max(len(table.loc[[s]]) for s in sets)
    fig, axes = plt.subplots(len(sets), 1, squeeze=False, layout="constrained",
                             figsize=(1.0 * len(table.columns) + 3, (0.45 * n_models + 1.8) * len(sets)))
    for ax, set_name in zip(axes[:, 0], sets):
        block = table.loc[set_name]
        values = block.to_numpy(dtype=float)
        flags = (marks.loc[set_name].reindex(index=block.index, columns=block.columns).to_numpy(dtype=object)
                 if marks is not None else np.full(values.shape, None, dtype=object))
        stale = flags == "stale"
        im = ax.imshow(np.where(stale, np.nan, values), vmin=0, vmax=1, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(table.columns)), [header(c) for c in table.columns], rotation=45, ha="right")
        ax.set_yticks(range(len(block)), list(block.index))
        ax.set_title(f"{set_name.capitalize()} statements")
        for r in range(values.shape[0]):
            for c in range(values.shape[1]):
                v = values[r, c]
                if np.isnan(v):
                    continue
                if stale[r, c]:
                    ax.text(c, r, f"{v:.3f}\nstale", ha="center", va="center", fontsize=7, color="#c53030")
                else:
                    ax.text(c, r, f"{v:.3f}" + ("?" if flags[r, c] == "unchecked" else ""), ha="center",
                            va="center", fontsize=8, color="white" if v > 0.6 else "black")
        fig.colorbar(im, ax=ax, fraction=0.03)
    return _png(fig)


@_styled
def dpo_chart(ablation: pd.DataFrame) -> bytes:
    """Figure 6: correct rate before (with CR) and after DPO (with CR + DPO), per model, set, nation x method."""
    models = sorted(ablation["model"].unique())
    sets = [s for s in ("quoted", "official") if s in set(ablation["set"])]
    fig, axes = plt.subplots(len(models), len(sets), squeeze=False, figsize=(5.5 * len(sets), 3.4 * len(models)),
                             layout="constrained")
    for r, model in enumerate(models):
        for c, set_name in enumerate(sets):
            ax = axes[r][c]
            part = ablation[(ablation["model"] == model) & (ablation["set"] == set_name)]
            piv = part.pivot_table(index=["nation", "method"], columns="condition", values="correct_rate",
                                   aggfunc="last")
            keys = sorted(piv.index, key=lambda k: (_NATION_RANK.get(k[0], 99), k[0], k[1] != "mc"))
            x = np.arange(len(keys))
            for off, cond, name in ((-0.2, "with_cr", "before DPO"), (0.2, "with_cr_dpo", "after DPO")):
                vals = [piv.loc[k, cond] if cond in piv.columns else np.nan for k in keys]
                bars = ax.bar(x + off, vals, 0.4, label=name)
                ax.bar_label(bars, fmt="%.2f", fontsize=8)
            ax.set_xticks(x, [header(k) for k in keys], rotation=45, ha="right", fontsize=9)
            ax.set_ylim(0, 1)
            ax.set_title(f"{model} - {set_name}", fontsize=9)
            ax.legend(fontsize=9)
    fig.suptitle("Before / after DPO (correct rate)")
    return _png(fig)
