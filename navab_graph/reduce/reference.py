"""Plain-Python reference implementation of Conflict Reduction (docs/conflict_reduction.md), the test oracle
and the benchmark baseline. Written for clarity, not speed: networkx for components and BFS, scipy.sparse for
PageRank.

PageRank is LAGraph's standard method (what FalkorDB's algo.pageRank runs): float32 power iteration from 1/n,
damping d, dangling mass spread uniformly, stop when the L1 change is <= 1e-4 or after 100 iterations. Doing
exactly that (rather than calling nx.pagerank) keeps the two implementations within ~1e-7 relative, far inside
the tie epsilon.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .model import SignedGraph

PR_TOL = 1e-4
PR_MAX_ITER = 100


@dataclass
class RoundResult:
    round: int
    open_conflicts: int
    cyclic: int
    removed: dict[str, dict] = field(default_factory=dict)  # statement id -> {"conflict": id, "path": [ids]}
    remaining: int = 0


def pagerank(articles: list[str], linked: list[tuple[str, str]], damping: float = 0.85) -> dict[str, float]:
    n = len(articles)
    if n == 0:
        return {}
    index = {a: i for i, a in enumerate(articles)}
    pairs = {(index[a], index[b]) for a, b in linked if a in index and b in index}
    src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    # column-stochastic transition: r_new[dst] += r[src] / outdeg[src]
    A = sp.csr_matrix((np.ones(len(pairs), np.float32), (dst, src)), shape=(n, n))
    outdeg = np.bincount(src, minlength=n).astype(np.float32)
    sink = outdeg == 0
    inv = np.where(sink, 0, 1 / np.where(sink, 1, outdeg)).astype(np.float32)
    d = np.float32(damping)
    r = np.full(n, 1 / n, np.float32)
    for _ in range(PR_MAX_ITER):
        t = r
        teleport = np.float32((1 - damping) / n) + d * t[sink].sum(dtype=np.float32) / np.float32(n)
        r = (A @ (t * inv * d)).astype(np.float32) + teleport
        if np.abs(r - t).sum(dtype=np.float32) <= PR_TOL:
            break
    return {a: float(r[i]) for a, i in index.items()}


def dominant_sides(components: list[set[str]], statements: dict[str, dict], weight: dict[str, float],
                   tie_epsilon: float) -> dict[str, int]:
    """Statement id -> dominant side of its component. Ties (relative tie_epsilon) go to the side of the
    component's smallest statement id."""
    dom: dict[str, int] = {}
    for comp in components:
        w = {1: 0.0, -1: 0.0}
        for s in comp:
            w[side_of(statements[s])] += weight.get(s, 0.0)
        if abs(w[1] - w[-1]) <= tie_epsilon * max(w[1], w[-1]):
            winner = side_of(statements[min(comp)])
        else:
            winner = 1 if w[1] > w[-1] else -1
        for s in comp:
            dom[s] = winner
    return dom


def side_of(st: dict) -> int:
    return -1 if st.get("side") == -1 else 1


def reduce_reference(g: SignedGraph, *, rounds: int = 5, max_hops: int = 4, damping: float = 0.85,
                     tie_epsilon: float = 1e-5) -> list[RoundResult]:
    """Run the rounds on a copy of the statuses; return one RoundResult per round run."""
    status = {s: (st.get("status") or "kept") for s, st in g.statements.items()}
    arts_of: dict[str, list[str]] = {}
    for a, s in set(g.states):
        arts_of.setdefault(s, []).append(a)
    # LINKED as stored (link writes each edge both ways, so paths are effectively undirected; a one-way edge
    # written by hand is followed in its direction only, exactly as the Cypher step does)
    context = nx.DiGraph()
    context.add_edges_from((a, b) for a, b in g.linked if a != b)
    results: list[RoundResult] = []
    pr = pagerank(g.articles, g.linked, damping)  # a function of LINKED only, which the rounds do not change
    for rnd in range(1, rounds + 1):
        kept = {s for s, v in status.items() if v == "kept"}
        weight = {s: sum(pr.get(a, 0.0) for a in arts_of.get(s, ())) for s in kept}
        issues = nx.Graph()
        issues.add_nodes_from(kept)
        issues.add_edges_from((s, t) for s, t in g.agrees + g.conflicts if s in kept and t in kept)
        dom = dominant_sides([set(c) for c in nx.connected_components(issues)], g.statements, weight, tie_epsilon)
        open_edges = [(s, t) for s, t in g.conflicts if s in kept and t in kept and s != t]
        cyclic_with: dict[str, dict[str, list[str]]] = {}
        n_cyclic = 0
        for s, t in open_edges:
            path = witness(context, arts_of.get(s, []), arts_of.get(t, []), max_hops)
            if path is not None:
                n_cyclic += 1
                cyclic_with.setdefault(s, {}).setdefault(t, path)
                cyclic_with.setdefault(t, {}).setdefault(s, path[::-1])
        res = RoundResult(rnd, len(open_edges), n_cyclic)
        for s in sorted(cyclic_with):
            if side_of(g.statements[s]) != dom[s]:
                partner = min(cyclic_with[s])
                res.removed[s] = {"conflict": partner, "path": cyclic_with[s][partner]}
        for s in res.removed:
            status[s] = "removed"
        res.remaining = len(kept) - len(res.removed)
        results.append(res)
        if not res.removed:
            break
    return results


def witness(context: nx.DiGraph, arts_a: list[str], arts_b: list[str], max_hops: int) -> list[str] | None:
    """A shortest LINKED path (following stored direction) of 1..max_hops hops from an article of one side to
    a different article of the other, or None."""
    best = None
    for a in sorted(arts_a):
        if a not in context:
            continue
        dist = nx.single_source_shortest_path(context, a, cutoff=max_hops)
        for b in sorted(arts_b):
            if b != a and b in dist and (best is None or len(dist[b]) < len(best)):
                best = dist[b]
    return best
