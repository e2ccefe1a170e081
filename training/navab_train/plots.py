"""PNG figures (matplotlib, Agg backend: no display needed)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _series(history: list[dict], key: str) -> tuple[list[int], list[float]]:
    xs, ys = [], []
    for h in history:
        if key in h and "step" in h:
            xs.append(int(h["step"]))
            ys.append(float(h[key]))
    return xs, ys


def plot_curves(history: list[dict], path: Path, title: str = "DPO") -> Path:
    """Loss, reward margin and reward accuracy against optimizer step."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, key, label in zip(axes, ("loss", "rewards/margins", "rewards/accuracies"),
                              ("DPO loss", "reward margin (chosen - rejected)", "reward accuracy")):
        xs, ys = _series(history, key)
        ax.plot(xs, ys, marker="o" if len(xs) < 30 else None, ms=3)
        ax.set_xlabel("step")
        ax.set_title(label)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_before_after(labels: list[str], before: list[float], after: list[float], path: Path,
                      title: str = "Correct rate before and after DPO") -> Path:
    """Grouped bars, one pair per (nation, set, method) column (the paper's Figure 6 layout)."""
    import numpy as np

    x = np.arange(len(labels))
    w = 0.38
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(labels) + 2), 4))
    b1 = ax.bar(x - w / 2, before, w, label="before DPO (with CR)")
    b2 = ax.bar(x + w / 2, after, w, label="after DPO (with CR + DPO)")
    for bars in (b1, b2):
        ax.bar_label(bars, fmt="%.3f", fontsize=7)
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_ylim(0, 1.2)  # headroom for the value labels and the legend
    ax.set_ylabel("correct rate")
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=2, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
