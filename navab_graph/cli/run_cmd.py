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
                nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                out: Path = typer.Option(Path("snapshots"), "--out", help="Snapshot root; with_cr/ and without_cr/."),
                overrides: Optional[Path] = typer.Option(None, "--overrides", help="screening.yaml human overrides."),
                all_topics: bool = typer.Option(False, "--all-topics", help="Extract from every topic."),
                force: bool = typer.Option(False, "--force", help="Run every stage even if done.")):
        """Run load -> topics -> screen -> extract -> construct -> link -> reduce -> export for a nation;
        stages whose inputs did not change since their last run are skipped.

        Example: navab-graph run --nation GB examples/data/GB.jsonl --out snapshots/
        """
        from ..pipeline import run

        st = state(ctx)

        def log(r):
            if not st.quiet:
                console.print(f"[bold]{r.stage}[/] {r.status} ({r.seconds:.1f}s)")
        with store_for(ctx, write=True) as store:
            try:
                results = run(store, st.settings, nation, list(paths or []), out=out, overrides=overrides,
                              all_topics=all_topics, quiet=st.quiet, force=force, log=log)
            except Exception as e:  # a stage's own error messages are written for users
                fail(f"{type(e).__name__}: {e}")
        print_rows([{"stage": r.stage, "status": r.status, "seconds": round(r.seconds, 2),
                     "summary": {k: v for k, v in r.summary.items() if not isinstance(v, (list, dict))}}
                    for r in results], title=f"navab-graph run {nation}")
