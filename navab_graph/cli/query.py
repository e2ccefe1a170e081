"""`navab-graph cypher TEXT` and `navab-graph query NAME`: read-only unless --write."""
from __future__ import annotations

from typing import List

import typer

from .. import cypher as registry
from .common import fail, parse_params, print_rows, store_for

_WRITE_WORDS = ("CREATE", "MERGE", "DELETE", "SET ", "REMOVE", "DROP", "LOAD CSV")


def _run(ctx, text: str, params: dict, write: bool, as_json: bool, title: str | None = None) -> None:
    with store_for(ctx, write=write) as store:
        try:
            rows = store.run(text, params, write=write)
        except Exception as e:
            msg = str(e)
            if not write and any(w in text.upper() for w in _WRITE_WORDS):
                msg += " (the statement writes: pass --write)"
            fail(msg)
    print_rows(rows, as_json=as_json, title=title)


def register(app: typer.Typer) -> None:
    @app.command("cypher")
    def cypher_cmd(ctx: typer.Context, text: str = typer.Argument(..., help="Cypher statement."),
                   param: List[str] = typer.Option([], "--param", "-p", help="key=value (JSON values allowed)."),
                   as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
                   write: bool = typer.Option(False, "--write", help="Allow writes.")):
        """Run a Cypher statement, values as parameters.

        Example: navab-graph cypher "MATCH (s:Statement {nation: $n}) RETURN s.text LIMIT 5" -p n=CN
        """
        _run(ctx, text, parse_params(param), write, as_json)

    @app.command("query")
    def query_cmd(ctx: typer.Context, name: str = typer.Argument(None, help="Name under cypher/queries/ "
                                                                   "(omit to list them)."),
                  param: List[str] = typer.Option([], "--param", "-p", help="key=value (JSON values allowed)."),
                  as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
                  write: bool = typer.Option(False, "--write", help="Allow writes.")):
        """Run a named query from cypher/queries/.

        Example: navab-graph query dominant_stance -p nation=CN
        """
        if not name:
            print_rows([{"name": n.split("/", 1)[1], "about": registry.description(n)}
                        for n in registry.names("queries/")], title="named queries")
            return
        full = name if name.startswith("queries/") else f"queries/{name}"
        with store_for(ctx) as store:
            try:
                text = registry.get(full, store.engine)
            except registry.UnknownQuery as e:
                fail(str(e).strip('"'))
        _run(ctx, text, parse_params(param), write, as_json, title=name)
