"""The inputs of Conflict Reduction as a plain in-memory description, and how to read them from the graph."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..store import GraphStore, run_named


@dataclass
class SignedGraph:
    """Everything the definition looks at, nothing else.

    statements: id -> {"side": +1 | -1 | None, "status": "kept" | "removed"} (the nation's statements);
    agrees / conflicts: stored (s, t) statement edges (direction as stored, one entry per edge);
    states: (article id, statement id) pairs; articles: ALL article ids of the graph (PageRank runs on the
    whole Article/LINKED graph, as algo.pageRank does); linked: directed (a, b) LINKED pairs (parallel edges of
    different kinds collapse: the engine's adjacency matrix is boolean).
    """

    statements: dict[str, dict] = field(default_factory=dict)
    agrees: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    linked: list[tuple[str, str]] = field(default_factory=list)


def read_graph(store: GraphStore, nation: str) -> SignedGraph:
    """Snapshot of the graph as the reference sees it (read-only)."""
    g = SignedGraph()
    for r in run_named(store, "conflict/read_statements", {"nation": nation}, write=False):
        g.statements[r["id"]] = {"side": r["side"], "status": r["status"] or "kept"}
    for r in run_named(store, "conflict/read_stance_edges", {"nation": nation}, write=False):
        (g.conflicts if r["rel"] == "CONFLICTS" else g.agrees).append((r["s"], r["t"]))
    g.states = [(r["a"], r["s"]) for r in run_named(store, "conflict/read_states", {"nation": nation}, write=False)]
    g.articles = [r["id"] for r in run_named(store, "conflict/read_articles", {}, write=False)]
    g.linked = [(r["a"], r["b"]) for r in run_named(store, "conflict/read_linked", {}, write=False)]
    return g
