"""Generated Conflict Reduction inputs with planted truth (tests and benchmarks/conflict.py).

Shape (per nation): articles in *contexts* (blocks of `context_size` consecutive ids); each article links to
`in_links` random articles of its own context and, with probability `long_range`, to one random article of the
nation (small-world shortcuts); LINKED is written both ways. About one statement per `articles_per_statement`
articles. Statements form issues of `issue_size`; a fraction `contested` of the issues has two sides
(majority ~`majority` of the statements); the rest are one-sided. A contested issue is either *in context*
(all its statements in articles of one context: its minority is a planted removal) or, with probability
`lookalike`, *scattered*: each statement in a different, far-apart context (a look-alike conflict across
unrelated contexts, which must be kept when no short path joins them). Stance edges: each statement of an
issue is joined to the next `edges_per_statement` ones in a ring, CONFLICTS across sides, AGREES within.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .model import SignedGraph


@dataclass
class Planted:
    graph: SignedGraph
    minority: set[str] = field(default_factory=set)  # planted removals (in-context minority statements)
    majority: set[str] = field(default_factory=set)  # statements that must be kept (majority sides + one-sided)
    lookalike: set[str] = field(default_factory=set)  # statements of scattered contested issues
    nation_of_article: dict[str, str] = field(default_factory=dict)
    shape: dict = field(default_factory=dict)


def generate(n_articles: int, *, nation: str = "XX", seed: int = 0, context_size: int = 40, in_links: int = 2,
             long_range: float = 0.5, articles_per_statement: int = 4, issue_size: int = 8,
             contested: float = 0.1, majority: float = 0.75, lookalike: float = 0.3,
             edges_per_statement: int = 2, prefix: str = "") -> Planted:
    rng = random.Random(seed)
    g = SignedGraph()
    p = Planted(g)
    arts = [f"{prefix}{nation}-A{i:07d}" for i in range(n_articles)]
    g.articles = arts
    p.nation_of_article = {a: nation for a in arts}
    n_ctx = max(1, n_articles // context_size)
    pairs: set[tuple[int, int]] = set()
    for i in range(n_articles):
        c0 = (i // context_size) * context_size
        c1 = min(n_articles, c0 + context_size)
        for _ in range(in_links):
            j = rng.randrange(c0, c1)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
        if rng.random() < long_range:
            j = rng.randrange(n_articles)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        g.linked += [(arts[i], arts[j]), (arts[j], arts[i])]

    n_stmt = n_articles // articles_per_statement
    n_issues = max(1, n_stmt // issue_size)
    sid = 0
    seen: set[tuple[str, str]] = set()
    n_contested = n_scattered = 0
    for k in range(n_issues):
        is_contested = rng.random() < contested
        scattered = is_contested and rng.random() < lookalike
        members = [f"{prefix}{nation}-S{sid + m:07d}" for m in range(issue_size)]
        sid += issue_size
        n_contested += is_contested
        n_scattered += scattered
        n_major = max(1, round(issue_size * majority)) if is_contested else issue_size
        if scattered:  # contexts far apart: spread over the id range, one context per statement
            step = max(1, n_ctx // issue_size)
            ctxs = [((rng.randrange(n_ctx) + m * step) % n_ctx) for m in range(issue_size)]
        else:
            ctxs = [rng.randrange(n_ctx)] * issue_size
        for m, s in enumerate(members):
            side = 1 if m < n_major else -1
            g.statements[s] = {"side": side, "status": "kept"}
            c0 = ctxs[m] * context_size
            a = arts[min(n_articles - 1, c0 + rng.randrange(context_size))]
            g.states.append((a, s))
            if scattered:
                p.lookalike.add(s)
            elif side == 1:
                p.majority.add(s)
            else:
                p.minority.add(s)
        for m, s in enumerate(members):
            for d in range(1, edges_per_statement + 1):
                t = members[(m + d) % issue_size]
                if t == s or (t, s) in seen or (s, t) in seen:
                    continue
                seen.add((s, t))
                same = g.statements[s]["side"] == g.statements[t]["side"]
                (g.agrees if same else g.conflicts).append((s, t))
    p.shape = {"nation": nation, "articles": n_articles, "statements": len(g.statements),
               "issues": n_issues, "contested_issues": n_contested,
               "scattered_contested_issues": n_scattered,
               "linked_pairs": len(pairs), "linked_edges_stored": len(g.linked),
               "mean_linked_degree": round(2 * len(pairs) / max(1, n_articles), 2),
               "agrees": len(g.agrees), "conflicts": len(g.conflicts), "context_size": context_size,
               "planted_minority": len(p.minority), "lookalike_statements": len(p.lookalike)}
    return p

