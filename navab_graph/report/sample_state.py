"""Graph state of the later stages (topics with map coordinates, removed statements, ReductionRun rounds),
written from the sample corpus' ground truth (examples/data/<NATION>.truth.json) with named statements under
cypher/report/fixture_*. For the report's tests, benchmarks and previews without running those stages; the
stages themselves write the same properties (see docs/user_guide.md, section 4).
"""
from __future__ import annotations

import random

from ..store import GraphStore, run_batches, run_named


def write_sample_state(store: GraphStore, t: dict, source: str | None = None) -> dict:
    """Topic nodes + Article.x/y + removed minority statements + ReductionRun rounds; returns what was written."""
    nation = t["nation"]
    src = source or nation  # the load's default source is the file stem
    keys = [x["key"] for x in t["topics"]]
    topics = [{"id": f"{nation}:{x['key']}", "nation": nation, "label": x["label"], "keywords": [x["key"]],
               "size": x["articles"], "value_related": x["value_related"]} for x in t["topics"]]
    run_named(store, "report/fixture_topics", {"rows": topics})
    rng = random.Random(nation)
    rows = []
    for k, (aid, key) in enumerate(sorted(t["article_topics"].items())):
        i = keys.index(key)
        outlier = not t["topics"][i]["value_related"] and k % 9 == 0
        rows.append({"article_id": f"{src}:{aid}", "topic_id": f"{nation}:-1" if outlier else f"{nation}:{key}",
                     "by": "outlier" if outlier else "cluster",
                     "x": (i % 4) * 3.0 + rng.gauss(0, 0.6), "y": (i // 4) * 3.0 + rng.gauss(0, 0.6)})
    run_batches(store, "report/fixture_article_topics", rows, batch_size=500)
    minority = [m for i in t["issues"] for m in i["minority"]]
    removed = [{"article_id": f"{src}:{m['article']}", "text": m["text"], "round": 1 if j < len(minority) - 1
                else 2, "reason": f"minority in a cyclic conflict (context of {m['context_of']})"}
               for j, m in enumerate(minority)]
    n_removed = run_named(store, "report/fixture_removed", {"rows": removed})[0]["removed"]
    total = len(t["statements"])
    r1 = sum(r["round"] == 1 for r in removed)
    latest = [
        {"round": 1, "open_conflicts": 2 * len(minority) + 2, "cyclic": 2 * len(minority), "removed": r1,
         "remaining": total - r1},
        {"round": 2, "open_conflicts": 4, "cyclic": 2, "removed": len(removed) - r1, "remaining": total - len(removed)},
        {"round": 3, "open_conflicts": 2, "cyclic": 0, "removed": 0, "remaining": total - len(removed)}]
    runs = [{**r, "id": f"new-{nation}:{r['round']}", "nation": nation, "run_id": f"new-{nation}",
             "at": "2026-11-28T12:00:00Z", "undone": None} for r in latest]
    # an older run and an undone one: the report must show only the latest live run
    runs += [{"id": f"old-{nation}:1", "nation": nation, "run_id": f"old-{nation}", "round": 1, "open_conflicts": 999,
              "cyclic": 998, "removed": 997, "remaining": 0, "at": "2026-11-01T00:00:00Z", "undone": None},
             {"id": f"undone-{nation}:1", "nation": nation, "run_id": f"undone-{nation}", "round": 1,
              "open_conflicts": 555, "cyclic": 554, "removed": 553, "remaining": 0, "at": "2026-12-01T00:00:00Z",
              "undone": True}]
    run_batches(store, "report/fixture_runs", runs, batch_size=100)
    return {"removed": n_removed, "rounds": latest, "statements": total,
            "quoted": sum(s["kind"] == "quoted" for s in t["statements"])}
