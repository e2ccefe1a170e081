"""Shared CLI plumbing: state, store context (with the writer lock), table/JSON output, one-line errors."""
from __future__ import annotations

import json
import shlex
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..config import Settings, mask_url, scrub

console = Console()
err_console = Console(stderr=True)
ARGV: list[str] | None = None  # the command line as typed (set by main), for "re-run ... to resume"


@dataclass
class State:
    settings: Settings
    quiet: bool = False
    wait: bool = False
    debug: bool = False


def state(ctx: typer.Context) -> State:
    obj = ctx.obj
    while obj is None and ctx.parent is not None:
        ctx = ctx.parent
        obj = ctx.obj
    return obj


def command_line(ctx: typer.Context | None = None) -> str:
    args = ARGV if ARGV is not None else (ctx.command_path.split()[1:] if ctx is not None else [])
    return "navab-graph " + shlex.join(args)


def _is_connection_error(e: BaseException) -> bool:
    from ..store import GraphUnavailable

    if isinstance(e, (GraphUnavailable, ConnectionError)):
        return True
    return type(e).__module__.split(".")[0] in ("redis", "neo4j") and any(
        c.__name__ in ("ConnectionError", "TimeoutError", "ServiceUnavailable", "SessionExpired")
        for c in type(e).__mro__)


def lost_message(e: BaseException, st: State, ctx: typer.Context | None = None) -> str:
    """One line for a lost engine or server: what happened, what is stored, how to resume."""
    from ..store.embedded import EngineDown

    what = str(e) if not isinstance(e, OSError) or str(e) else type(e).__name__
    if st.settings.graph_url == "embedded":
        stored = ("What was written before is stored (the engine's AOF); the next command restarts the engine"
                  if isinstance(e, EngineDown) else "What was written before is stored")
    else:
        stored = f"What {mask_url(st.settings.graph_url)} acknowledged is stored"
    return f"{what}. {stored}; re-run `{command_line(ctx)}` to resume (writes are idempotent)"


@contextmanager
def _writer_lock(ctx: typer.Context, st: State):
    """The lock of the nation(s) in the command's --nation (none given: every nation)."""
    from ..locks import Busy, writer_lock

    command = " ".join(ctx.command_path.split()[1:]) or ctx.info_name or "writer"
    nation = ctx.params.get("nation") or None
    lock = writer_lock(st.settings.data_dir, nation, command, graph=st.settings.graph_name, wait=st.wait,
                       on_wait=lambda m: err_console.print(f"waiting: {escape(m)} ...", soft_wrap=True))
    try:
        lock.__enter__()
    except Busy as e:
        fail(str(e))
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


@contextmanager
def store_for(ctx: typer.Context, *, write: bool = False, persistent: bool = False,
              lock: bool | None = None) -> Iterator[Any]:
    """Open the configured graph for one command. `write=True` also applies the schema and holds the writer
    lock of the command's --nation (`lock=` overrides: False for ad-hoc writes, True for a reader that must
    not run under a writer). A lost engine or server ends the command with one line (--debug: traceback)."""
    from ..store import ensure_schema, open_store

    st = state(ctx)
    with _writer_lock(ctx, st) if (write if lock is None else lock) else _nothing():
        try:
            store = open_store(st.settings, persistent=persistent)
        except Exception as e:
            from ..store.embedded import EngineDown

            if st.debug:
                raise
            if isinstance(e, EngineDown):
                fail(lost_message(e, st, ctx))
            where = (f"embedded (data dir {st.settings.data_dir.resolve()})" if st.settings.graph_url == "embedded"
                     else mask_url(st.settings.graph_url))
            fail(f"cannot open the graph at {where}: {e}")
        try:
            if write:
                ensure_schema(store)
            yield store
        except KeyboardInterrupt:  # typer exits 130 without a word
            err_console.print(f"interrupted: what was written before is stored; re-run `{command_line(ctx)}` to "
                              "resume", soft_wrap=True, highlight=False, markup=False)
            raise
        except Exception as e:
            if st.debug or isinstance(e, typer.Exit) or not _is_connection_error(e):
                raise
            fail(lost_message(e, st, ctx))
        finally:
            store.close()


@contextmanager
def _nothing():
    yield


def fail(msg: str, code: int = 1) -> None:
    """One line on stderr (secrets scrubbed, never wrapped), then exit."""
    err_console.print(f"[bold red]error:[/] {escape(scrub(str(msg)))}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def print_rows(rows: list[dict[str, Any]], *, as_json: bool = False, title: str | None = None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str, indent=1) + "\n")
        return
    if not rows:
        console.print("(no rows)")
        return
    t = Table(title=title)
    cols = list(rows[0].keys())
    for c in cols:
        t.add_column(str(c))
    for r in rows:
        t.add_row(*[_cell(r.get(c)) for c in cols])
    print_table(t)


def print_table(t: Table) -> None:
    """On a terminal, fit its width; into a pipe or a file, print the whole table (rich would cut at 80)."""
    if console.is_terminal:
        console.print(t)
        return
    from rich.measure import Measurement

    width = Measurement.get(console, console.options.update_width(100_000), t).maximum
    # Console.print(width=) cannot exceed the console's width: a console as wide as the table
    Console(file=console.file, width=max(width, 20), no_color=console.no_color, highlight=False).print(t)


def _cell(v: Any) -> str:
    if isinstance(v, (dict, list)):
        s = json.dumps(v, ensure_ascii=False, default=str)
    else:
        s = "" if v is None else str(v)
    return escape(s if len(s) <= 120 else s[:117] + "...")


def parse_params(items: list[str]) -> dict[str, Any]:
    """--param k=v: v parsed as JSON when it is JSON (numbers, lists, true/false/null), else a string."""
    out: dict[str, Any] = {}
    for it in items:
        if "=" not in it:
            fail(f"--param {it!r}: expected key=value")
        k, v = it.split("=", 1)
        try:
            out[k] = json.loads(v)
        except json.JSONDecodeError:
            out[k] = v
    return out
