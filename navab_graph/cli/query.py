"""`navab-graph cypher TEXT` and `navab-graph query NAME`: read-only unless --write."""
from __future__ import annotations

from typing import Any, List

import typer

from .. import cypher as registry
from .common import console, err_console, fail, parse_params, print_rows, state, store_for


def _run(ctx, text: str, params: dict, write: bool, as_json: bool, title: str | None = None) -> None:
    from ..store.base import ReadOnlyViolation, parameters

    missing = [p for p in parameters(text) if p not in params]
    if missing:  # named here: the engine only says "Missing parameters"
        fail(f"missing parameter{'s' if len(missing) > 1 else ''} " + ", ".join(f"${m}" for m in missing)
             + ": pass " + " ".join(f"-p {m}=VALUE" for m in missing))
    hint = None
    # ad-hoc writes (--write) do not take the writer lock: they are a person's deliberate repair
    with store_for(ctx, write=write, lock=False) as store:
        try:
            rows = store.run(text, params, write=write)
        except ReadOnlyViolation as e:
            fail(str(e))
        except Exception as e:
            from .common import _is_connection_error

            if _is_connection_error(e):
                raise
            fail(str(e))
        if not rows and isinstance(params.get("nation"), str):
            hint = _nation_hint(store, params["nation"])
    print_rows(rows, as_json=as_json, title=title)
    if hint:
        (err_console if as_json else console).print(hint, soft_wrap=True, highlight=False, markup=False)


def _nation_hint(store: Any, nation: str) -> str | None:
    present = [r["n"] for r in store.run("MATCH (x) WHERE x.nation IS NOT NULL RETURN DISTINCT x.nation AS n "
                                         "ORDER BY n LIMIT 200", write=False)]
    if nation in present:
        return None
    return (f"hint: the graph has no nodes of nation {nation!r}; "
            + (f"nations present: {', '.join(map(str, present))}" if present else "it holds no nation's data yet"))


def register(app: typer.Typer) -> None:
    @app.command("cypher")
    def cypher_cmd(ctx: typer.Context, text: str = typer.Argument(..., help="Cypher statement."),
                   param: List[str] = typer.Option([], "--param", "-p", help="key=value (JSON values allowed)."),
                   as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
                   write: bool = typer.Option(False, "--write", help="Allow writes.")):
        """Run a Cypher statement, values as parameters. Without --write it is read-only: writes, LOAD CSV and
        procedures off the read allow-list are refused.

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
        from ..store import engine_of

        if not name:
            print_rows([{"name": n.split("/", 1)[1], "about": registry.description(n)}
                        for n in registry.names("queries/")], title="named queries")
            return
        full = name if name.startswith("queries/") else f"queries/{name}"
        try:
            text = registry.get(full, engine_of(state(ctx).settings))
        except registry.UnknownQuery as e:
            fail(str(e).strip('"'))
        _run(ctx, text, parse_params(param), write, as_json, title=name)
