"""`navab-graph extract`, `construct` and `status` (the LLM-backed stages and their bookkeeping)."""
from __future__ import annotations

from typing import Optional

import typer

from .common import console, fail, print_rows, state, store_for
from .llm_cmd import print_usage, provider_for


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(ctx: typer.Context,
                    nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                    all_topics: bool = typer.Option(False, "--all-topics", help="Extract from every article of the "
                                                    "nation, not only those in value-related topics."),
                    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N articles this run."),
                    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Extract value statements, speakers, organizations and locations from a nation's articles; resumable.

        Example: navab-graph extract --nation CN --limit 500
        """
        from navab_loaders import UnknownNation

        from ..stages.extract import TopicsMissing, extract

        st = state(ctx)
        llm = provider_for(st.settings)
        with store_for(ctx, write=True) as store:
            try:
                rep = extract(store, st.settings, nation, all_topics=all_topics, limit=limit, provider=llm,
                              quiet=st.quiet)
            except (UnknownNation, TopicsMissing) as e:
                fail(str(e))
        d = rep.as_dict()
        d.pop("notes")
        d["seconds"] = round(d["seconds"], 2)
        print_rows([d], as_json=as_json, title="extract")
        if not as_json:
            print_usage(llm.usage)
            if rep.failed:
                console.print(f"{rep.failed} articles failed; see `navab-graph status --nation {rep.nation}`; "
                              "a re-run retries them")

    @app.command("construct")
    def construct_cmd(ctx: typer.Context,
                      nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                      limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N statements."),
                      as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Judge sources (quoted / official) and build <Q, S, RS> triples for kept statements; resumable.

        Example: navab-graph construct --nation FR
        """
        from navab_loaders import UnknownNation

        from ..stages.construct import construct

        st = state(ctx)
        llm = provider_for(st.settings)
        with store_for(ctx, write=True) as store:
            try:
                rep = construct(store, st.settings, nation, limit=limit, provider=llm, quiet=st.quiet)
            except UnknownNation as e:
                fail(str(e))
        d = rep.as_dict()
        d.pop("notes")
        d["seconds"] = round(d["seconds"], 2)
        print_rows([d], as_json=as_json, title="construct")
        if not as_json:
            print_usage(llm.usage)
            if rep.failed:
                console.print(f"{rep.failed} statements without a triple (reason in triple_error); see "
                              f"`navab-graph status --nation {rep.nation}`")

    @app.command("status")
    def status_cmd(ctx: typer.Context,
                   nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                   max_failures: int = typer.Option(50, "--max-failures", help="Failures to list."),
                   as_json: bool = typer.Option(False, "--json", help="Print as JSON.")):
        """Per-stage counts of a nation, each stage's last run (what made it, what is stale or pending) and
        the items whose LLM call failed.

        Example: navab-graph status --nation DE
        """
        import json
        import sys

        from navab_loaders import UnknownNation

        from rich.markup import escape

        from ..stages.status import demo_line, stage_rows, status

        with store_for(ctx) as store:
            try:
                rep = status(store, nation, max_failures=max_failures)
            except UnknownNation as e:
                fail(str(e))
        if as_json:
            sys.stdout.write(json.dumps(rep, ensure_ascii=False, default=str, indent=1) + "\n")
            return
        print_rows([rep["counts"]], title=f"status {rep['nation']}")
        print_rows(stage_rows(rep), title="stages (stale: made from inputs that changed since; pending: not done)")
        if demo_line(rep):
            console.print(f"[yellow]warning:[/] {escape(demo_line(rep))}", soft_wrap=True, highlight=False)
        if rep["failures_total"]:
            print_rows(rep["failures"], title=f"failures ({rep['failures_total']})")
        else:
            console.print("no failures")
