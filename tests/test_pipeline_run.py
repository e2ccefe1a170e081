"""`navab-graph run`: the whole recipe on one sample nation, then again: every stage skipped, same graph."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)

ROOT = Path(__file__).resolve().parent.parent


def _counts(store):
    q = ("MATCH (n) WITH labels(n)[0] AS l, count(n) AS c RETURN l, c ORDER BY l")
    return {r["l"]: r["c"] for r in store.run(q)}


def test_run_twice_skips_done_stages(tmp_path, cli, store):
    data = ROOT / "examples" / "data" / "FR.jsonl"
    out = tmp_path / "snap"
    first = cli("run", "--nation", "FR", str(data), "--out", str(out)).output
    for stage in ("load", "topics", "screen", "extract", "construct", "link", "reduce", "export"):
        assert stage in first
    before = _counts(store)
    assert before["Article"] == sum(1 for _ in data.open()) and before["Statement"] > 0
    assert before.get("ReductionRun", 0) >= 1
    removed = store.run("MATCH (s:Statement {nation: 'FR', status: 'removed'}) RETURN count(s) AS c")[0]["c"]
    manifest = json.loads((out / "with_cr" / "FR" / "manifest.json").read_text())
    kept_total = sum(v["total"] for v in manifest["counts"].values())
    full = json.loads((out / "without_cr" / "FR" / "manifest.json").read_text())
    assert sum(v["total"] for v in full["counts"].values()) == kept_total + removed

    second = cli("run", "--nation", "FR", str(data), "--out", str(out)).output
    rows = [ln for ln in second.splitlines() if "│ FR" in ln]
    status = {ln.split("│")[2].strip(): ln.split("│")[3].strip() for ln in rows}
    assert all(status[s] == "skipped" for s in ("load", "topics", "screen", "extract", "construct", "link",
                                                 "reduce")), status
    assert _counts(store) == before  # nothing duplicated, no second set of reduction rounds
