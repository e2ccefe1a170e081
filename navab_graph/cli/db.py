"""`navab-graph db start|stop|status|init|reset`."""
from __future__ import annotations

import json

import typer

from .common import console, fail, print_rows, state, store_for


def register(app: typer.Typer) -> None:
    db = typer.Typer(no_args_is_help=True, help="The graph database (embedded FalkorDB or a server).")
    app.add_typer(db, name="db")

    @db.command("start")
    def start(ctx: typer.Context):
        """Start the embedded FalkorDB for the data dir and keep it running until `db stop`.

        Example: navab-graph --data-dir .navab db start
        """
        st = state(ctx)
        if st.settings.graph_url != "embedded":
            fail("db start manages the embedded engine only; the configured graph_url is a server")
        from ..store.embedded import EmbeddedServer

        srv = EmbeddedServer(st.settings.data_dir)
        started = srv.ensure(persistent=True)
        console.print(("started" if started else "already running") + f" embedded FalkorDB at {srv.sock} "
                      f"(pid {srv.pid()})")

    @db.command("stop")
    def stop(ctx: typer.Context):
        """Stop the embedded FalkorDB of the data dir (AOF is fsynced first).

        Example: navab-graph db stop
        """
        from ..store.embedded import EmbeddedServer

        srv = EmbeddedServer(state(ctx).settings.data_dir)
        console.print("stopped" if srv.stop() else "not running")

    @db.command("status")
    def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")):
        """Engine, version, data dir, node and edge counts (per label with --json).

        Example: navab-graph db status --json
        """
        st = state(ctx)
        with store_for(ctx) as store:
            info = store.info()
            info["data_dir"] = str(st.settings.data_dir.resolve())
            labels = store.run("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label", write=False)
            info["labels"] = {r["label"]: r["n"] for r in labels}
        if as_json:
            print(json.dumps(info, indent=1, default=str))
        else:
            print_rows([{"key": k, "value": v} for k, v in info.items()], title="graph")

    @db.command("init")
    def init(ctx: typer.Context):
        """Apply the schema (constraints and indexes from cypher/schema/), idempotently.

        Example: navab-graph db init
        """
        from ..store import ensure_schema

        with store_for(ctx) as store:
            n = ensure_schema(store)
        console.print(f"schema applied ({n} statements new, the rest already present)")

    @db.command("reset")
    def reset(ctx: typer.Context, yes: bool = typer.Option(False, "--yes", help="Really delete everything.")):
        """Delete the whole graph (asks for --yes).

        Example: navab-graph db reset --yes
        """
        if not yes:
            fail("db reset deletes every node; pass --yes")
        with store_for(ctx) as store:
            store.drop()
        console.print("graph deleted")
