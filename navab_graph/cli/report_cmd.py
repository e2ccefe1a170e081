"""`navab-graph report --out DIR [--results DIR ...] [--nation CODE ...]`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import console, fail, print_rows, state, store_for


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(ctx: typer.Context,
                   out: Path = typer.Option(Path("report"), "--out", "-o", help="Output folder (index.html, PNGs)."),
                   results: List[Path] = typer.Option([], "--results", "-r", help="navab-eval result folder or "
                                                      "summary.json, or navab-train ablation folder; repeatable."),
                   nation: List[str] = typer.Option([], "--nation", "-n", help="Only these nations (ISO codes); "
                                                    "repeatable. Default: every nation in the graph.")):
        """Write a self-contained HTML report: what made the benchmark (demo quality when the rules provider did),
        pipeline counts, topic maps, Conflict Reduction rounds, contested issues drawn as graphs, human verification,
        alignment table and DPO ablation (sections without data say so).

        Example: navab-graph report --out report/ --results results/smollm2 --results out/ablation
        """
        from navab_loaders import UnknownNation, check_nation

        from ..report import ResultsPathError, build_report
        from ..config import mask_url

        st = state(ctx)
        try:
            nations = [check_nation(n) for n in nation] or None
        except UnknownNation as e:
            fail(str(e))
        say = (lambda m: None) if st.quiet else (lambda m: console.print(f"[dim]report:[/] {m}"))
        with store_for(ctx) as store:
            try:
                rep = build_report(store, out, results=list(results), nations=nations,
                                   graph_label=f"{mask_url(st.settings.graph_url)} / {st.settings.graph_name}",
                                   progress=say)
            except ResultsPathError as e:
                fail(str(e))
        from rich.markup import escape  # warnings quote file names and model names as they are

        for w in rep.warnings:
            console.print(f"[yellow]warning:[/] {escape(w)}", soft_wrap=True, highlight=False)
        print_rows([{"section": k, "status": v} for k, v in rep.sections.items()], title="report sections")
        console.print(f"wrote {rep.html} (+ {len(rep.images)} figure files, PNG / SVG, and report.json)")
