"""Lineage through `navab-graph run` on real sample news (90 FR articles): after `reduce --undo`, after a new
screening and after a new topic model, `run` re-derives what went stale, `status` counts stale work per stage,
`export` refuses stale state with one line naming the stage, and the manifest's claims come from the graph."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)

ROOT = Path(__file__).resolve().parent.parent
BAD = ("MATCH (a:Article)-[:STATES]->(s:Statement {nation: 'FR'}) WHERE s.id IN $ids "
       "OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic) WITH s, collect(t.value_related) AS flags "
       "WHERE NOT true IN flags RETURN s.id AS id")


def _data(tmp_path: Path, n: int = 90) -> Path:
    lines = (ROOT / "examples" / "data" / "FR.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    p = tmp_path / "FR.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _manifest(out: Path, kind: str = "with_cr") -> dict:
    return json.loads((out / kind / "FR" / "manifest.json").read_text())


def _ids(out: Path, kind: str) -> set[str]:
    ids = set()
    for name in ("quoted", "official"):
        for line in (out / kind / "FR" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            ids.add(json.loads(line)["id"])
    return ids


def _stages(output: str) -> dict[str, str]:
    rows = [ln for ln in output.splitlines() if "│ FR" in ln]
    return {ln.split("│")[2].strip(): ln.split("│")[3].strip() for ln in rows}


def _total(m: dict) -> int:
    return sum(v["total"] for v in m["counts"].values())


def test_undo_then_run_reduces_again_and_export_refuses_in_between(tmp_path, cli, store):
    data, out = _data(tmp_path), tmp_path / "snap"
    cli("run", "--nation", "FR", str(data), "--out", str(out))
    m1 = _manifest(out)
    kept, removed = _total(m1), m1["left_out"]["removed_by_cr"]
    assert removed > 0 and m1["with_conflict_reduction"] is True

    cli("reduce", "--undo", "--nation", "FR")
    res = cli("run", "--nation", "FR", str(data), "--out", str(out))
    assert _stages(res.output)["reduce"] == "ran", res.output
    m2 = _manifest(out)
    assert m2["with_conflict_reduction"] is True
    assert _total(m2) == kept and m2["left_out"]["removed_by_cr"] == removed
    # one row per statement text (several articles state the same one; docs/SNAPSHOT_FORMAT.md): the kept texts
    graph_kept = {" ".join(unicodedata.normalize("NFC", r["t"]).split()) for r in store.run(
        "MATCH (s:Statement {nation: 'FR', status: 'kept'}) WHERE s.question IS NOT NULL "
        "AND s.reverse IS NOT NULL RETURN s.text AS t")}
    assert _total(m2) == len(graph_kept)
    assert m2["conflict_reduction"]["removed"] == removed
    st = json.loads(cli("status", "--nation", "FR", "--json").output)
    assert all(v["stale"] == 0 for v in st["stages"].values()), st["stages"]

    # in between, the undone reduction is stale: status counts it, export refuses with one line
    cli("reduce", "--undo", "--nation", "FR")
    st = json.loads(cli("status", "--nation", "FR", "--json").output)
    assert st["stages"]["reduce"]["stale"] > 0, st["stages"]["reduce"]
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "e"), ok=False)
    assert res.exit_code != 0 and "reduce" in res.output and len(res.output.strip().splitlines()) <= 3, res.output
    assert not (tmp_path / "e" / "FR").exists()
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "e"), "--without-cr")  # nothing removed: honest
    m3 = json.loads((tmp_path / "e" / "FR" / "manifest.json").read_text())
    assert m3["with_conflict_reduction"] is False and _total(m3) == kept + removed
    assert m3["cr_counts"]["quoted"]["removed"] + m3["cr_counts"]["official"]["removed"] == 0


def test_new_screening_and_new_topics_retire_statements_never_exported(tmp_path, cli, store):
    data, out = _data(tmp_path), tmp_path / "snap"
    cli("run", "--nation", "FR", str(data), "--out", str(out))
    # a value topic that gave statements; a human now screens it out
    top = store.run("MATCH (a:Article)-[:IN_TOPIC]->(t:Topic {nation: 'FR', value_related: true}) "
                    "MATCH (a)-[:STATES]->(s:Statement) RETURN t.id AS id, count(s) AS c ORDER BY c DESC, id "
                    "LIMIT 1")[0]
    assert top["c"] > 0
    gone = {r["id"] for r in store.run("MATCH (a:Article)-[:IN_TOPIC]->(:Topic {id: $t}) "
                                        "MATCH (a)-[:STATES]->(s:Statement) RETURN s.id AS id", {"t": top["id"]})}
    assert gone & _ids(out, "with_cr")
    ov = tmp_path / "screening.yaml"
    ov.write_text(f'force_out: ["{top["id"]}"]\n')
    cli("run", "--nation", "FR", str(data), "--out", str(out), "--overrides", str(ov))
    for kind in ("with_cr", "without_cr"):
        ids = _ids(out, kind)
        assert not (gone & ids), kind
        assert store.run(BAD, {"ids": sorted(ids)}) == [], kind
    assert store.run("MATCH (s:Statement) WHERE s.id IN $ids RETURN count(s) AS c", {"ids": sorted(gone)})[0]["c"] == 0

    # a new topic model: screening, extraction and everything after are stale until `run`
    cli("topics", "--nation", "FR", "--min-cluster-size", "6")
    from navab_graph import lineage

    topics_run = lineage.last_runs(store, "FR")["topics"]  # the command is a StageRun, as run's stage is
    assert json.loads(topics_run["settings"])["min_cluster_size"] == 6, topics_run
    st = json.loads(cli("status", "--nation", "FR", "--json").output)
    assert st["stages"]["screen"]["stale"] > 0, st["stages"]
    assert isinstance(st["counts"]["articles"], int)
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "e"), ok=False)
    assert res.exit_code != 0 and "screen" in res.output, res.output
    res = cli("run", "--nation", "FR", str(data), "--out", str(out), "--overrides", str(ov))
    assert _stages(res.output)["screen"] == "ran"
    for kind in ("with_cr", "without_cr"):
        ids = _ids(out, kind)
        assert ids and store.run(BAD, {"ids": sorted(ids)}) == [], kind
    m = _manifest(out)
    assert m["with_conflict_reduction"] is True
    st = json.loads(cli("status", "--nation", "FR", "--json").output)
    assert all(v["stale"] == 0 for v in st["stages"].values()), st["stages"]
