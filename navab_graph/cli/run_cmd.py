"""`navab-graph run --nation CODE PATH...`: the whole pipeline."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from .common import console, err_console, fail, print_rows, state, store_for


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
        a stage runs when its output is missing or stale (see `navab-graph status`), else it is skipped.
        With several nations, a nation that fails does not stop the others; the exit is non-zero with a
        reason per failed nation.

        Example: navab-graph run --nation GB examples/data/GB.jsonl --out snapshots/

        Example: navab-graph run -n CN -n FR examples/data/CN.jsonl examples/data/FR.jsonl
        """
        from ..pipeline import PipelineError, run

        st = state(ctx)

        def log(r):
            if not st.quiet:
                why = f": {escape(r.why)}" if r.why else ""
                console.print(f"[bold]{r.stage}[/] {r.status} ({r.seconds:.1f}s){why}", highlight=False)
        paths = list(paths or [])
        plan = {}
        for code in nation:
            mine = paths if len(nation) == 1 else [p for p in paths if p.name.split(".")[0].upper() == code.upper()]
            if paths and not mine:
                fail(f"--nation {code}: none of the PATHs is named after it (expected e.g. {code}.jsonl)")
            plan[code] = mine
        rows, failed = [], []
        # one process for all nations: the numba JIT of UMAP / HDBSCAN is paid once; a nation that fails does
        # not stop the others, and the table shows every nation
        with store_for(ctx, write=True) as store:
            for code, mine in plan.items():
                if not st.quiet:
                    console.rule(f"navab-graph run {code}")
                try:
                    results = run(store, st.settings, code, mine, out=out, overrides=overrides,
                                  all_topics=all_topics, quiet=st.quiet, force=force, log=log)
                except PipelineError as e:
                    if _lost(e.error):  # the engine is gone: the other nations cannot run either
                        raise e.error
                    results = e.results
                    failed.append(f"{code}: {e.stage} failed: {type(e.error).__name__}: {e.error}")
                except Exception as e:  # before any stage (e.g. a bad nation code): a user-facing message
                    results = []
                    failed.append(f"{code}: {type(e).__name__}: {e}")
                rows += [{"nation": code, "stage": r.stage, "status": r.status, "seconds": round(r.seconds, 2),
                          "why": r.why, "summary": _flat(r.summary)} for r in results]
        print_rows(rows, title="navab-graph run")
        if failed:
            for line in failed[:-1]:
                err_console.print(f"[bold red]error:[/] {escape(line)}", soft_wrap=True, highlight=False)
            fail(failed[-1] + (f" ({len(failed)} of {len(plan)} nations failed)" if len(plan) > 1 else ""))


def _lost(e: BaseException) -> bool:
    try:
        from .common import _is_connection_error
    except ImportError:
        return isinstance(e, ConnectionError)
    return _is_connection_error(e)


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
