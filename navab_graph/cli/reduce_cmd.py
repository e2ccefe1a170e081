"""`navab-graph link --nation CODE` and `navab-graph reduce --nation CODE [--rounds 5] [--dry-run] [--undo]`."""
from __future__ import annotations

from typing import Optional

import typer

from .common import console, fail, print_rows, state, store_for


def _nation(code: str) -> str:
    from navab_loaders import check_nation

    try:
        return check_nation(code)
    except Exception as e:
        fail(str(e))


def register(app: typer.Typer) -> None:
    @app.command("link")
    def link_cmd(ctx: typer.Context,
                 nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                 verify: Optional[bool] = typer.Option(None, "--verify/--no-verify",
                                                       help="Send uncertain pairs to the LLM verifier "
                                                            "(default: only when llm.base_url is set)."),
                 as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Link statements (AGREES / CONFLICTS, issues, sides) and articles (LINKED); idempotent.

        Example: navab-graph link --nation GB
        """
        from ..pipeline import recorded_link

        st = state(ctx)
        code = _nation(nation)
        with store_for(ctx, write=True) as store:
            rep = recorded_link(store, st.settings, code, quiet=st.quiet, verify=verify)
        d = rep.as_dict()
        linked = d.pop("linked") or {}
        d["seconds"] = round(d["seconds"], 2)
        flat = {**d, **{f"linked_{k}": v for k, v in linked.items()}}
        if as_json:
            print_rows([flat], as_json=True)
        else:  # one metric a line: the report is too wide for a single row
            print_rows([{"metric": k, "value": v} for k, v in flat.items()], title=f"link {code}")

    @app.command("reduce")
    def reduce_cmd(ctx: typer.Context,
                   nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                   rounds: Optional[int] = typer.Option(None, "--rounds", help="Max rounds (default reduce.rounds = 5)."),
                   dry_run: bool = typer.Option(False, "--dry-run", help="Compute the rounds, write nothing."),
                   undo: bool = typer.Option(False, "--undo", help="Restore the statements reductions removed."),
                   as_json: bool = typer.Option(False, "--json", help="Print rows as JSON.")):
        """Conflict Reduction: remove minority-side statements in cyclic conflicts, round by round. A run is
        all-or-nothing: an interrupted one is rolled back by the next; `--undo` restores every removal.

        Example: navab-graph reduce --nation GB --rounds 5 --dry-run
        """
        from ..reduce.runner import ReduceBusy, as_dicts, reduce_graph
        from ..reduce.runner import undo as undo_fn

        st = state(ctx)
        code = _nation(nation)
        if undo and dry_run:
            fail("--undo and --dry-run cannot be combined")
        with store_for(ctx, write=not dry_run) as store:
            if undo:
                print_rows([undo_fn(store, code)], as_json=as_json, title=f"undo reduce {code}")
                return
            try:
                rows = reduce_graph(store, st.settings, code, rounds=rounds, dry_run=dry_run)
            except (ValueError, ReduceBusy) as e:
                fail(str(e))
        out = as_dicts(rows)
        print_rows(out, as_json=as_json, title=f"reduce {code}" + (" (dry run: nothing written)" if dry_run else ""))
        if not as_json and not st.quiet:
            console.print(f"removed {sum(r['removed'] for r in out)} statements in {len(out)} round(s)")
