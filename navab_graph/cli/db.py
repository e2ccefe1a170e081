"""`navab-graph db start|stop|status|init|reset`."""
from __future__ import annotations

import json

import typer

from .common import console, err_console, fail, print_rows, state, store_for


def _embedded(ctx: typer.Context, what: str):
    st = state(ctx)
    if st.settings.graph_url != "embedded":
        fail(f"db {what} manages the embedded engine only; the configured graph_url is a server")
    from ..store.embedded import EmbeddedServer

    return EmbeddedServer(st.settings.data_dir)


def register(app: typer.Typer) -> None:
    db = typer.Typer(no_args_is_help=True, help="The graph database (embedded FalkorDB or a server).")
    app.add_typer(db, name="db")

    @db.command("start")
    def start(ctx: typer.Context):
        """Start the embedded FalkorDB for the data dir and keep it running until `db stop`.

        Example: navab-graph --data-dir .navab db start
        """
        srv = _embedded(ctx, "start")
        try:
            started = srv.ensure(persistent=True)
        except Exception as e:
            fail(str(e))
        console.print(("started" if started else "already running") + f" embedded FalkorDB at {srv.sock} "
                      f"(pid {srv.pid()})", soft_wrap=True, highlight=False)

    @db.command("stop")
    def stop(ctx: typer.Context, force: bool = typer.Option(False, "--force", help="Stop it even while a "
                                                             "writing command (load, reduce, ...) uses it.")):
        """Stop the embedded FalkorDB of the data dir (AOF is fsynced first). Refused while a writing command
        runs, unless --force.

        Example: navab-graph db stop
        """
        from ..locks import active_writers

        st = state(ctx)
        srv = _embedded(ctx, "stop")
        writers = active_writers(st.settings.data_dir)
        if writers:
            from ..locks import _describe

            busy = "; ".join(_describe(w) for w in writers)
            if not force:
                fail(f"db stop refused: {busy} uses the engine; wait for it, or pass --force to stop the engine "
                     "under it (it will fail and can be re-run)")
            err_console.print(f"warning: stopping the engine under a running writer ({busy}) because of --force",
                              soft_wrap=True, highlight=False, markup=False)
        try:
            stopped = srv.stop()
        except Exception as e:
            fail(str(e))
        console.print("stopped" if stopped else "not running")

    @db.command("status")
    def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"),
               no_start: bool = typer.Option(False, "--no-start", help="Do not start a stopped engine to count "
                                             "nodes: report its state only.")):
        """Whether the engine runs (pid, socket, log), then engine, version, data dir, node and edge counts
        (per label with --json). A stopped embedded engine is started for the count and stopped again, and
        the output says so (--no-start: state only).

        Example: navab-graph db status --json
        """
        st = state(ctx)
        info: dict = {}
        if st.settings.graph_url == "embedded":
            from ..store.embedded import EmbeddedServer

            before = EmbeddedServer(st.settings.data_dir).status()
            info.update(before)
            info["started_for_this_command"] = False
            if before["state"] != "running" and (no_start or before["state"] != "stopped"):
                info["data_dir"] = str(st.settings.data_dir.resolve())
                return _print_status(info, as_json)
            info["started_for_this_command"] = before["state"] == "stopped"
        else:
            info["state"] = "server"
        with store_for(ctx) as store:
            info.update(store.info())
            info["data_dir"] = str(st.settings.data_dir.resolve())
            labels = store.run("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label", write=False)
            info["labels"] = {r["label"]: r["n"] for r in labels}
        if info.get("started_for_this_command"):
            info["pid"] = None  # it was stopped again with this command
        _print_status(info, as_json)

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
        """Delete the whole graph (asks for --yes); refused while a writing command runs.

        Example: navab-graph db reset --yes
        """
        if not yes:
            fail("db reset deletes every node; pass --yes")
        with store_for(ctx, lock=True) as store:
            store.drop()
        console.print("graph deleted")


def _engine_line(info: dict) -> str:
    s = info.get("state")
    if s == "server":
        return f"engine: a server at {info.get('location')}"
    if info.get("started_for_this_command"):
        return (f"engine: stopped (started for this command to count, and stopped again); socket {info['socket']}, "
                f"log {info['log']}")
    if s == "running":
        kept = "kept running by `db start`" if info.get("kept_running") else "started by a running command"
        return (f"engine: running, pid {info['pid']} since {info.get('since') or '?'} ({kept}); socket "
                f"{info['socket']}, log {info['log']}")
    return f"engine: {s}; socket {info['socket']}, log {info['log']}"


def _print_status(info: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(info, indent=1, default=str))
        return
    console.print(_engine_line(info), soft_wrap=True, highlight=False, markup=False)
    rows = [{"key": k, "value": v} for k, v in info.items()
            if k not in ("state", "pid", "socket", "log", "since", "kept_running", "started_for_this_command")]
    print_rows(rows, title="graph")
