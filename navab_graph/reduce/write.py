"""Write a SignedGraph straight into the engine (tests and benchmarks): articles, statements with side and
status, STATES, AGREES / CONFLICTS and LINKED edges, through batched UNWIND statements. Creates (does not
merge) edges: meant for a fresh graph."""
from __future__ import annotations

from ..store import GraphStore, ensure_schema, run_batches
from .model import SignedGraph


def write_signed_graph(store: GraphStore, g: SignedGraph, nation: str, *, batch_size: int = 20000,
                       article_nation: dict[str, str] | None = None, progress=None) -> None:
    ensure_schema(store)
    nat = article_nation or {}
    steps = [
        ("conflict/fixture_articles", [{"id": a, "nation": nat.get(a, nation)} for a in g.articles]),
        ("conflict/fixture_statements", [{"id": s, "side": st.get("side"), "status": st.get("status") or "kept",
                                          "text": st.get("text", s)} for s, st in g.statements.items()]),
        ("conflict/fixture_states", [{"a": a, "s": s} for a, s in g.states]),
        ("conflict/fixture_agrees", [{"s": s, "t": t} for s, t in g.agrees]),
        ("conflict/fixture_conflicts", [{"s": s, "t": t} for s, t in g.conflicts]),
        ("conflict/fixture_linked", [{"a": a, "b": b} for a, b in g.linked]),
    ]
    for name, rows in steps:
        run_batches(store, name, rows, batch_size=batch_size, params={"nation": nation}, on_batch=progress)
