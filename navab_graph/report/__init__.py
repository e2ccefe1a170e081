"""`navab-graph report`: one self-contained HTML page (plus the figures as PNG / SVG files and the data as
report.json) with what made the benchmark (provider, model, prompt version; demo quality when the offline rules
provider made it), the pipeline counts, topic maps (BERTopic's interactive documents map), Conflict Reduction
rounds, pictures of the largest contested issues, the human verification (paper Table 7), the alignment table and
the ablation / DPO results. Every section says so when its data is absent. A with-CR alignment cell evaluated under
another Conflict Reduction run than the graph's live one (undone, re-run) is marked stale (report/cr_check.py)."""
from __future__ import annotations

import base64
import importlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..store import GraphStore, run_named
from . import figures
from .graph_data import COUNT_COLUMNS, GraphData, is_outlier, nation_name, read_graph
from .cr_check import live_reductions, mark_cr
from .results_data import Results, ResultsPathError, find_results
from .tables import ablation_grid, alignment_grid, alignment_marks, dpo_delta

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
               for t in (data.topics.get(n) or []) if not is_outlier(t.get("id"))][:5]
        figure = None
        try:
            from .interactive import documents_map

            progress(f"documents map {n} (BERTopic)")
            figure = documents_map(pts, data.topics.get(n) or [], f"Documents and topics, {nation_name(n)}")
        except Exception as e:  # the static PNG is still there
            warnings.append(f"topic map {n}: BERTopic's visualize_documents failed ({type(e).__name__}: {e}); "
                            "the static map is shown")
        maps.append({"nation": n, "name": nation_name(n), "image": base64.b64encode(png).decode(), "top": top,
                     "plotter": plotter, "figure": figure, "file": path.name})
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
    if not res.alignment.empty:  # with-CR results against the graph's Conflict Reduction now
        progress("checking with-CR results against the graph's Conflict Reduction")
        with_cr = res.alignment[res.alignment["condition"] == "with_cr"]
        res.alignment, cr_warnings = mark_cr(res.alignment, live_reductions(store, sorted(set(with_cr["nation"]))))
        warnings += cr_warnings
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
    progress("contested issues")
    from .graphs import contested_issues

    issues = contested_issues(store, data.nations)
    svgs: dict[str, str] = {}
    for i, issue in enumerate(issues):
        name = f"issue_{issue['nation']}_{i + 1}"
        path = out / f"{name}.svg"
        path.write_bytes(issue.pop("svg"))
        files[name] = path
        issue["file"] = path.name
        svgs[name] = base64.b64encode(path.read_bytes()).decode()
        issue["image"] = name
    progress("provenance and human verification")
    from ..verify.stats import nation_stats, stored_labels
    from .provenance import read_provenance

    made = read_provenance(store, data.nations)
    labels = stored_labels(store, data.nations)
    verification = nation_stats(labels)
    examples = _verification_examples(labels)
    anchor_ids = sorted({a for v in verification.values() for a in v["anchors"]})
    anchors = {r["id"]: r["text"] for r in run_named(store, "verify/statements", {"ids": anchor_ids},
                                                       write=False)} if anchor_ids else {}
    alignment = None
    if not res.alignment.empty:
        progress("alignment table")
        alignment, wide = alignment_grid(res.alignment)
        keep("alignment", figures.alignment_heatmap(wide, alignment_marks(res.alignment)))
    ablation, dpo_rows = None, []
    if not res.ablation.empty:
        progress("ablation / DPO")
        ablation = ablation_grid(res.ablation)
        dpo_rows = dpo_delta(res.ablation)
        if dpo_rows:
            keep("dpo", figures.dpo_chart(res.ablation))

    sections = {"provenance": "ok" if any(d["stages"] or d["makers"] for d in made.values()) else "absent",
                "counts": "ok" if counts else "absent", "topics": "ok" if maps else "absent",
                "reduction": "ok" if rounds else "absent", "graphs": "ok" if issues else "absent",
                "verification": "ok" if verification else "absent",
                "alignment": "ok" if alignment else "absent", "dpo": "ok" if ablation else "absent"}
    from .interactive import LOADER, plotly_bundle, script_json

    interactive = any(m["figure"] for m in maps)
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    from .template import TEMPLATE

    html = env.from_string(TEMPLATE).render(
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), graph=graph_label,
        nations=data.nations, files=res.files, warnings=warnings, results_paths=[str(p) for p in results],
        counts=counts, count_columns=COUNT_COLUMNS, images=images, topic_maps=maps,
        topic_missing=maps_missing if maps else [], rounds=rounds,
        rounds_missing=[n for n in data.nations if n not in rounds] if rounds else [],
        alignment=alignment, ablation=ablation, dpo_rows=dpo_rows, names={n: nation_name(n) for n in data.nations},
        made=made, demo=[n for n, d in made.items() if d["demo"]], issues=issues, svgs=svgs,
        verification=verification, examples=examples, anchors=anchors, averages=_averages(verification),
        interactive=interactive, plotly_gz=plotly_bundle() if interactive else "", loader=LOADER,
        script_json=script_json)
    page = out / "index.html"
    page.write_text(html, encoding="utf-8")
    summary = {"sections": sections, "nations": data.nations, "counts": data.counts, "rounds": rounds,
               "provenance": made, "verification": verification,
               "contested_issues": [{k: v for k, v in i.items() if k not in ("keys", "image")} for i in issues],
               "alignment": _records(res.alignment), "ablation": _records(res.ablation),
               "result_files": res.files, "warnings": warnings,
               "images": {k: v.name for k, v in files.items()}}
    (out / "report.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str),
                                     encoding="utf-8")
    return ReportResult(html=page, images=files, sections=sections, warnings=warnings)


def _averages(stats: dict[str, dict[str, Any]]) -> dict[str, float] | None:
    """The paper's footer of Table 7: align and conflict rates averaged over the nations."""
    if not stats:
        return None
    return {k: sum(s[k] for s in stats.values()) / len(stats) for k in ("align_rate", "conflict_rate")}


def _verification_examples(labels, per_nation: int = 5) -> dict[str, list[dict[str, Any]]]:
    """Up to five labelled items per nation, one of each label first (the paper shows five examples)."""
    import pandas as pd

    from .graphs import cut

    out: dict[str, list[dict[str, Any]]] = {}
    if labels.empty:
        return out
    for nation, df in labels.groupby("nation", sort=True):
        major = (df.groupby(["anchor_id", "statement_id", "statement"])["label"]
                 .agg(lambda x: x.value_counts().index[0]).reset_index())
        major = major.sort_values(["label", "statement_id"])
        first = major.drop_duplicates("label")
        picked = pd.concat([first, major]).drop_duplicates("statement_id").head(per_nation)
        out[str(nation)] = [{"statement": cut(r["statement"], 260), "label": r["label"], "id": r["statement_id"]}
                            for _, r in picked.iterrows()]
    return out
