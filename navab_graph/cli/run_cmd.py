"""`navab-graph run --nation CODE PATH...`: the whole pipeline."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import console, fail, print_rows, state, store_for


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_cmd(ctx: typer.Context,
                paths: List[Path] = typer.Argument(None, help="News files to load first (optional)."),
                nation: List[str] = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE... "
                                                 "(repeat for several; each then loads the PATHs named after it, "
                                                 "e.g. CN.jsonl)."),
                out: Path = typer.Option(Path("snapshots"), "--out", help="Snapshot root; with_cr/ and without_cr/."),
                overrides: Optional[Path] = typer.Option(None, "--overrides", help="screening.yaml human overrides."),
                all_topics: bool = typer.Option(False, "--all-topics", help="Extract from every topic."),
                force: bool = typer.Option(False, "--force", help="Run every stage even if done.")):
        """Run load -> topics -> screen -> extract -> construct -> link -> reduce -> export for a nation;
        stages whose inputs did not change since their last run are skipped.

        Example: navab-graph run --nation GB examples/data/GB.jsonl --out snapshots/

        Example: navab-graph run -n CN -n FR examples/data/CN.jsonl examples/data/FR.jsonl
        """
        from ..pipeline import run

        st = state(ctx)

        def log(r):
            if not st.quiet:
                console.print(f"[bold]{r.stage}[/] {r.status} ({r.seconds:.1f}s)")
        paths = list(paths or [])
        plan = {}
        for code in nation:
            mine = paths if len(nation) == 1 else [p for p in paths if p.name.split(".")[0].upper() == code.upper()]
            if paths and not mine:
                fail(f"--nation {code}: none of the PATHs is named after it (expected e.g. {code}.jsonl)")
            plan[code] = mine
        rows = []
        # one process for all nations: the numba JIT of UMAP / HDBSCAN is paid once
        with store_for(ctx, write=True) as store:
            for code, mine in plan.items():
                if not st.quiet:
                    console.rule(f"navab-graph run {code}")
                try:
                    results = run(store, st.settings, code, mine, out=out, overrides=overrides,
                                  all_topics=all_topics, quiet=st.quiet, force=force, log=log)
                except Exception as e:  # a stage's own error messages are written for users
                    fail(f"{code}: {type(e).__name__}: {e}")
                rows += [{"nation": code, "stage": r.stage, "status": r.status, "seconds": round(r.seconds, 2),
                          "summary": _flat(r.summary)} for r in results]
        print_rows(rows, title="navab-graph run")


def _flat(summary: dict) -> dict:
    out = {}
    for k, v in summary.items():
        if isinstance(v, dict):
            out.update({f"{k}.{kk}": vv for kk, vv in v.items() if not isinstance(vv, (list, dict))})
        elif isinstance(v, list):
            out[k] = len(v)
        else:
            out[k] = v
    return out
