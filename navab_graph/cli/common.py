"""Shared CLI plumbing: state, store context, table/JSON output, clear errors."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import typer
from rich.console import Console
from rich.table import Table

from ..config import Settings

console = Console()
err_console = Console(stderr=True)


@dataclass
class State:
    settings: Settings
    quiet: bool = False


def state(ctx: typer.Context) -> State:
    obj = ctx.obj
    while obj is None and ctx.parent is not None:
        ctx = ctx.parent
        obj = ctx.obj
    return obj


@contextmanager
def store_for(ctx: typer.Context, *, write: bool = False, persistent: bool = False) -> Iterator[Any]:
    from ..store import ensure_schema, open_store

    st = state(ctx)
    try:
        store = open_store(st.settings, persistent=persistent)
    except Exception as e:
        fail(f"cannot open the graph at {st.settings.graph_url}: {e}")
    try:
        if write:
            ensure_schema(store)
        yield store
    finally:
        store.close()


def fail(msg: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {msg}")
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
    console.print(t)


def _cell(v: Any) -> str:
    if isinstance(v, (dict, list)):
        s = json.dumps(v, ensure_ascii=False, default=str)
    else:
        s = "" if v is None else str(v)
    return s if len(s) <= 120 else s[:117] + "..."


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
