"""The topic map (the paper's Figure 3): 2-D UMAP points coloured by topic, outliers grey, top topics labelled."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..store import GraphStore, run_named


def plot_topic_map(store: GraphStore, nation: str, out_path: str | Path, *, top: int = 5,
                   title: str | None = None) -> Path:
    """Draw the map of a nation's topics (written by `navab-graph topics`) to a PNG; returns its path.

    Points that HDBSCAN left as outliers are grey, whatever topic tagging or reduction gave them later, as in the
    paper; the `top` largest topics get their label at their centre.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # font fallback (matplotlib >= 3.6): Chinese labels need a CJK font when one is installed
    from ..report.figures import CJK_FONT

    plt.rcParams["font.family"] = ["DejaVu Sans"] + ([CJK_FONT] if CJK_FONT else [])
    pts = run_named(store, "topics/map", {"nation": nation}, write=False)
    if not pts:
        raise ValueError(f"nation {nation}: no topic map in the graph; run `navab-graph topics --nation {nation}`")
    topics = run_named(store, "topics/list", {"nation": nation}, write=False)
    labels = {t["id"]: t.get("label") or t["id"] for t in topics}
    ranked = [t["id"] for t in topics if t["id"] != f"{nation}:-1"]
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    grey: list[tuple[float, float]] = []
    for p in pts:
        (groups[p["topic"]] if p.get("by") == "cluster" else grey).append((p["x"], p["y"]))
    fig, ax = plt.subplots(figsize=(9, 7), dpi=110)
    size = max(1.0, min(12.0, 4000.0 / len(pts)))
    if grey:
        ax.scatter(*zip(*grey), s=size, c="#bdbdbd", alpha=0.5, linewidths=0, label=f"outliers ({len(grey)})")
    cmap = plt.get_cmap("tab20")
    for k, tid in enumerate(ranked):
        if groups.get(tid):
            ax.scatter(*zip(*groups[tid]), s=size, color=cmap(k % 20), alpha=0.8, linewidths=0)
    for tid in ranked[:top]:
        xy = groups.get(tid)
        if not xy:
            continue
        xs, ys = sorted(x for x, _ in xy), sorted(y for _, y in xy)
        ax.annotate(str(labels[tid])[:40], (xs[len(xs) // 2], ys[len(ys) // 2]), fontsize=9, ha="center",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.8})
    ax.set_title(title or f"Topics of {nation}: {len(ranked)} topics, {len(pts)} articles")
    ax.set_xticks([])
    ax.set_yticks([])
    if grey:
        ax.legend(loc="lower right", fontsize=8)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
