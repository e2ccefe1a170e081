"""`navab-graph report`: one self-contained HTML page (plus the same figures as PNG files and the data as
report.json) with the pipeline counts, topic maps, Conflict Reduction rounds, the alignment table and the
ablation / DPO results. Every section says so when its data is absent."""
from __future__ import annotations

import base64
import importlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..store import GraphStore
from . import figures
from .graph_data import COUNT_COLUMNS, GraphData, read_graph
from .results_data import Results, ResultsPathError, find_results
from .tables import ablation_grid, alignment_grid, dpo_delta

__all__ = ["build_report", "ReportResult", "ResultsPathError"]


@dataclass
class ReportResult:
    html: Path
    images: dict[str, Path] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)   # section id -> "ok" | "absent"
    warnings: list[str] = field(default_factory=list)


def _external_topic_plot() -> Callable | None:
    """The topics stage's own plot function, when that stage is installed (its figure is the reference)."""
    for mod in ("navab_graph.topics.plot", "navab_graph.topics", "navab_graph.stages.topics"):
        try:
            fn = getattr(importlib.import_module(mod), "plot_topic_map", None)
        except ImportError:
            continue
        if callable(fn):
            return fn
    return None


def _is_outlier(topic_id: Any) -> bool:
    """The topics stage names the outlier pseudo-topic '<NATION>:-1' (or plain -1)."""
    return topic_id is None or str(topic_id) == "-1" or str(topic_id).endswith(":-1")


def _topic_maps(store: GraphStore, data: GraphData, out: Path, warnings: list[str],
                progress: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str], dict[str, Path]]:
    maps, missing, files = [], [], {}
    # imported only when there is a map to draw (the topics stage pulls in heavy modules)
    external = _external_topic_plot() if any(data.points.get(n) for n in data.nations) else None
    for n in data.nations:
        pts = data.points.get(n) or []
        if not pts:
            missing.append(n)
            continue
        progress(f"topic map {n}")
        path = out / f"topic_map_{n}.png"
        plotter = "own plot of Article.x / Article.y"
        png = None
        if external is not None:
            try:
                external(store, n, path)
                png = path.read_bytes()
                plotter = "topics stage plot"
            except Exception as e:  # a failing optional plotter must not lose the whole report
                warnings.append(f"topic map {n}: the topics stage's plot_topic_map failed ({e}); own plot used")
        if png is None:
            png = figures.topic_map(pts, data.topics.get(n) or [], n)
            path.write_bytes(png)
        files[f"topic_map_{n}"] = path
        top = [{"label": t.get("label") or t.get("id"), "size": t.get("size") if t.get("size") is not None else "",
                "value": {True: "yes", False: "no"}.get(t.get("value_related"), "")}
               for t in (data.topics.get(n) or []) if not _is_outlier(t.get("id"))][:5]
        maps.append({"nation": n, "image": base64.b64encode(png).decode(), "top": top, "plotter": plotter})
    return maps, missing, files


def _records(df) -> list[dict[str, Any]]:
    df = df.drop(columns="file").astype(object)
    return df.where(df.notna(), None).to_dict(orient="records")


def build_report(store: GraphStore, out: Path, *, results: list[Path] | None = None,
                 nations: list[str] | None = None, graph_label: str = "",
                 progress: Callable[[str], None] = lambda msg: None) -> ReportResult:
    """Write <out>/index.html, <out>/*.png and <out>/report.json; raise ResultsPathError for a bad --results."""
    from jinja2 import Environment

    results = [Path(p) for p in (results or [])]
    res: Results = find_results(results, nations)  # before the graph work: a wrong path fails fast
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    progress("reading the graph")
    data = read_graph(store, nations)
    warnings = list(res.warnings)
    images: dict[str, str] = {}
    files: dict[str, Path] = {}

    def keep(name: str, png: bytes) -> None:
        path = out / f"{name}.png"
        path.write_bytes(png)
        files[name] = path
        images[name] = base64.b64encode(png).decode()

    counts = [c for c in data.counts if any(c[k] for k in COUNT_COLUMNS)]
    if counts:
        progress("pipeline counts")
        keep("counts", figures.counts_chart(counts))
    maps, maps_missing, map_files = _topic_maps(store, data, out, warnings, progress)
    files.update(map_files)
    rounds = {n: r for n, r in data.rounds.items() if r}
    if rounds:
        progress("conflict reduction")
        keep("reduction", figures.reduction_chart(rounds))
    alignment = None
    if not res.alignment.empty:
        progress("alignment table")
        alignment, wide = alignment_grid(res.alignment)
        keep("alignment", figures.alignment_heatmap(wide))
    ablation, dpo_rows = None, []
    if not res.ablation.empty:
        progress("ablation / DPO")
        ablation = ablation_grid(res.ablation)
        dpo_rows = dpo_delta(res.ablation)
        if dpo_rows:
            keep("dpo", figures.dpo_chart(res.ablation))

    sections = {"counts": "ok" if counts else "absent", "topics": "ok" if maps else "absent",
                "reduction": "ok" if rounds else "absent", "alignment": "ok" if alignment else "absent",
                "dpo": "ok" if ablation else "absent"}
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    from .template import TEMPLATE

    html = env.from_string(TEMPLATE).render(
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), graph=graph_label,
        nations=data.nations, files=res.files, warnings=warnings, results_paths=[str(p) for p in results],
        counts=counts, count_columns=COUNT_COLUMNS, images=images, topic_maps=maps,
        topic_missing=maps_missing if maps else [], rounds=rounds,
        rounds_missing=[n for n in data.nations if n not in rounds] if rounds else [],
        alignment=alignment, ablation=ablation, dpo_rows=dpo_rows)
    page = out / "index.html"
    page.write_text(html, encoding="utf-8")
    summary = {"sections": sections, "nations": data.nations, "counts": data.counts, "rounds": rounds,
               "alignment": _records(res.alignment), "ablation": _records(res.ablation),
               "result_files": res.files, "warnings": warnings,
               "images": {k: v.name for k, v in files.items()}}
    (out / "report.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str),
                                     encoding="utf-8")
    return ReportResult(html=page, images=files, sections=sections, warnings=warnings)
