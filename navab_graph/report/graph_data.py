"""What the report reads from the graph: Table 1 counts, topic-map points, Conflict Reduction rounds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..store import GraphStore, run_named

COUNT_COLUMNS = ["articles", "topics", "value_topics", "statements", "quoted", "official", "triples", "removed"]


@dataclass
class GraphData:
    nations: list[str]
    counts: list[dict[str, Any]]                      # one row per nation, COUNT_COLUMNS
    points: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # nation -> [{x, y, topic, label}]
    topics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # nation -> topics, largest first
    rounds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # nation -> latest run's rounds


def _by_nation(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["nation"]: r for r in rows if r.get("nation")}


def read_graph(store: GraphStore, nations: list[str] | None) -> GraphData:
    p = {"nations": nations or None}
    arts = _by_nation(run_named(store, "report/article_counts", p, write=False))
    tops = _by_nation(run_named(store, "report/topic_counts", p, write=False))
    sts = _by_nation(run_named(store, "report/statement_counts", p, write=False))
    runs = run_named(store, "report/reduction_runs", p, write=False)
    found = set(arts) | set(tops) | set(sts) | {r["nation"] for r in runs if r.get("nation")}
    order = nations or sorted(found, key=_nation_key)
    counts = []
    for n in order:
        row = {"nation": n}
        for src in (arts, tops, sts):
            row.update({k: v for k, v in src.get(n, {}).items() if k != "nation"})
        counts.append({"nation": n, **{c: int(row.get(c) or 0) for c in COUNT_COLUMNS}})
    data = GraphData(nations=list(order), counts=counts)
    for n in order:
        data.points[n] = run_named(store, "report/topic_points", {"nation": n}, write=False)
        data.topics[n] = run_named(store, "report/topics", {"nation": n}, write=False)
        data.rounds[n] = latest_run([r for r in runs if r.get("nation") == n])
    return data


def latest_run(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rounds of the most recent reduction run (a re-run writes a new run_id; older runs stay for audit)."""
    if not rows:
        return []
    last = max(rows, key=lambda r: (str(r.get("at") or ""), str(r.get("run_id") or "")))["run_id"]
    mine = [r for r in rows if r.get("run_id") == last]
    return sorted(mine, key=lambda r: int(r.get("round") or 0))


PAPER_ORDER = ["CN", "US", "GB", "FR", "DE"]
# one spelling of each nation everywhere in the report (tables, figures, headings)
NATION_NAMES = {"CN": "China", "US": "United States", "GB": "United Kingdom", "FR": "France", "DE": "Germany"}


def nation_name(code: str) -> str:
    return NATION_NAMES.get(code, code)


def is_outlier(topic_id: Any) -> bool:
    """The topics stage names the outlier pseudo-topic '<NATION>:-1' (or plain -1)."""
    return topic_id is None or str(topic_id) == "-1" or str(topic_id).endswith(":-1")


def _nation_key(n: str) -> tuple[int, str]:
    return (PAPER_ORDER.index(n) if n in PAPER_ORDER else len(PAPER_ORDER), n)
