"""Lineage state transitions on small graphs (no topic model): Conflict Reduction none -> current -> stale /
undone / interrupted / running, what `export` makes of each, a reduction held by another live process, and
statements retired when their topic leaves the value-related set (and re-made when it returns)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from planted import write_planted_graph

from navab_graph.export.stage import StaleExport, export_nation
from navab_graph.lineage import assess, proc_start
from navab_graph.reduce import runner

ROOT = Path(__file__).resolve().parent.parent


def _triples(store, nation):
    """Planted statements get a question and a reverse, so they export."""
    store.run("MATCH (s:Statement {nation: $n}) SET s.question = s.id + '?', s.reverse = 'not ' + s.id, "
              "s.kind = 'official'", {"n": nation})


def _state(store, nation):
    return assess(store, nation, stages=("reduce",))["reduce"]["state"]


def test_reduction_states_and_what_export_makes_of_them(store, settings, tmp_path):
    write_planted_graph(store, nations=("US",), n_articles=160, seed=5)
    _triples(store, "US")
    assert _state(store, "US") == "none"
    rep = export_nation(store, settings, "US", tmp_path / "a", with_cr=True, quiet=True)
    assert rep.with_conflict_reduction is False and any("no Conflict Reduction" in w for w in rep.warnings)

    runner.reduce_graph(store, settings, "US")
    assert _state(store, "US") == "current"
    rep = export_nation(store, settings, "US", tmp_path / "b", with_cr=True, quiet=True)
    man = json.loads((tmp_path / "b/US/manifest.json").read_text())
    assert rep.with_conflict_reduction and man["with_conflict_reduction"] is True
    assert man["conflict_reduction"]["state"] == "current" and man["conflict_reduction"]["removed"] > 0
    assert man["reduction_runs"] == man["conflict_reduction"]["rounds"]

    # a statement changes status behind the reduction's back: stale, both exports refuse
    store.run("MATCH (s:Statement {nation: 'US', status: 'kept'}) WITH s ORDER BY s.id LIMIT 1 "
              "SET s.status = 'removed'")
    assert _state(store, "US") == "stale"
    for with_cr in (True, False):
        with pytest.raises(StaleExport, match="reduce is stale"):
            export_nation(store, settings, "US", tmp_path / "c", with_cr=with_cr, quiet=True)
    assert not (tmp_path / "c").exists()

    # undone: nothing removed any more; the ablation export is honest, the CR export refuses
    runner.undo(store, "US")
    store.run("MATCH (s:Statement {nation: 'US'}) SET s.status = 'kept'")
    assert _state(store, "US") == "undone"
    with pytest.raises(StaleExport, match="undone"):
        export_nation(store, settings, "US", tmp_path / "d", with_cr=True, quiet=True)
    rep = export_nation(store, settings, "US", tmp_path / "d", with_cr=False, quiet=True)
    assert rep.with_conflict_reduction is False

    # interrupted: a started run whose process is gone; export refuses, the next reduce rolls it back
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store.run("CREATE (:StageRun {id: 'US:dead', run_id: 'US:dead', nation: 'US', stage: 'reduce', "
              "state: 'started', pid: $pid, host: $host, started_ns: $ns})",
              {"pid": dead.pid, "host": socket.gethostname(), "ns": time.time_ns()})
    store.run("MATCH (s:Statement {nation: 'US'}) WITH s ORDER BY s.id LIMIT 3 "
              "SET s.status = 'removed', s.removed_run = 'US:dead', s.removed_round = 1")
    assert _state(store, "US") == "interrupted"
    with pytest.raises(StaleExport, match="interrupted"):
        export_nation(store, settings, "US", tmp_path / "e", with_cr=False, quiet=True)
    runner.reduce_graph(store, settings, "US")
    assert _state(store, "US") == "current"
    assert store.run("MATCH (s:Statement) WHERE s.removed_run = 'US:dead' RETURN count(s) AS c")[0]["c"] == 0
    assert store.run("MATCH (r:StageRun {id: 'US:dead'}) RETURN r.state AS s")[0]["s"] == "rolled_back"


def test_a_reduction_held_by_a_live_process_is_busy(store, settings, cli):
    write_planted_graph(store, nations=("FR",), n_articles=120, seed=1)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        store.run("CREATE (:StageRun {id: 'FR:held', run_id: 'FR:held', nation: 'FR', stage: 'reduce', "
                  "state: 'started', pid: $pid, host: $host, proc_start: $ps, started_ns: $ns, "
                  "started_at: '2026-01-01T00:00:00Z'})",
                  {"pid": holder.pid, "host": socket.gethostname(), "ps": proc_start(holder.pid),
                   "ns": time.time_ns()})
        with pytest.raises(runner.ReduceBusy, match=rf"busy: reduce of FR \(run FR:held, pid {holder.pid}"):
            runner.reduce_graph(store, settings, "FR")
        res = cli("reduce", "--nation", "FR", ok=False)
        assert res.exit_code != 0 and "busy: reduce of FR" in res.output
        assert _state(store, "FR") == "running"
    finally:
        holder.kill()
        holder.wait()
    assert _state(store, "FR") == "interrupted"
    runner.reduce_graph(store, settings, "FR")  # the holder is gone: rolled back, then a fresh run
    assert _state(store, "FR") == "current"
    assert os.getpid() not in {r["pid"] for r in store.run(
        "MATCH (r:StageRun {stage: 'reduce'}) WHERE r.state = 'started' RETURN r.pid AS pid")}


def _topic(store, tid, flag, ids):
    store.run("MERGE (t:Topic {id: $t}) SET t.nation = 'GB', t.value_related = $f, t.screened_by = 'human' "
              "WITH t UNWIND $ids AS aid MATCH (a:Article {id: aid}) MERGE (a)-[:IN_TOPIC]->(t)",
              {"t": tid, "f": flag, "ids": ids})


def test_statements_of_a_topic_screened_out_are_retired_and_come_back(cli, store, tmp_path):
    rows = [json.loads(x) for x in (ROOT / "examples/data/GB.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if " said" in r["text"]][:8]
    p = tmp_path / "GB.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cli("load", str(p), "--nation", "GB", "--source", "s")
    ids = sorted(f"s:{r['id']}" for r in rows)
    _topic(store, "GB:0", True, ids[:4])
    _topic(store, "GB:1", True, ids[4:])
    cli("extract", "--nation", "GB")
    cli("construct", "--nation", "GB")
    q = ("MATCH (a:Article)-[:STATES]->(s:Statement) WHERE a.id IN $ids RETURN s.id AS id, s.extract_run AS run "
         "ORDER BY id")
    first = store.run(q, {"ids": ids[4:]})
    assert first
    store.run("MATCH (t:Topic {id: 'GB:1'}) SET t.value_related = false")  # a new screening verdict
    st = json.loads(cli("status", "--nation", "GB", "--json").output)
    assert st["stages"]["extract"]["stale"] == len(first)
    res = cli("export", "--nation", "GB", "--out", str(tmp_path / "s"), "--without-cr", ok=False)
    assert res.exit_code != 0 and "extract is stale" in res.output, res.output
    out = json.loads(cli("extract", "--nation", "GB", "--json").output)
    assert out[0]["retired"] == len(first)
    assert store.run(q, {"ids": ids[4:]}) == []
    assert store.run("MATCH (a:Article) WHERE a.id IN $ids AND a.extracted_at IS NOT NULL RETURN count(a) AS c",
                     {"ids": ids[4:]})[0]["c"] == 0
    cli("construct", "--nation", "GB")
    cli("export", "--nation", "GB", "--out", str(tmp_path / "s"), "--without-cr")
    # the topic returns: the same statements (stable ids) are extracted again, by a new run
    store.run("MATCH (t:Topic {id: 'GB:1'}) SET t.value_related = true")
    cli("extract", "--nation", "GB")
    again = store.run(q, {"ids": ids[4:]})
    assert [r["id"] for r in again] == [r["id"] for r in first]
    assert {r["run"] for r in again} != {r["run"] for r in first}
