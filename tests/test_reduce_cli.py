"""`navab-graph reduce` through the CLI on planted graphs written directly: recall of planted removals,
majority and look-alikes kept, no cyclic conflict left, dry run writes nothing, undo restores."""
from __future__ import annotations

import json

import pytest
from planted import write_planted_graph

from navab_graph.reduce import read_graph, reduce_reference

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)

CYCLIC_KEPT = ("MATCH (s:Statement {nation: $n})-[:CONFLICTS]-(t:Statement {nation: $n}) "
               "WHERE coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept' "
               "MATCH (a:Article)-[:STATES]->(s), (b:Article)-[:STATES]->(t) "
               "WHERE a <> b AND (a)-[:LINKED*1..4]->(b) RETURN count(*) AS c")


def _removed(store, nation):
    return {r["id"]: r for r in store.run(
        "MATCH (s:Statement {nation: $n, status: 'removed'}) RETURN s.id AS id, s.removed_round AS round, "
        "s.removed_conflict AS conflict, s.removed_path AS path, s.removed_reason AS reason", {"n": nation})}


def test_reduce_planted_graph(cli, store):
    planted = write_planted_graph(store, nations=("US", "FR", "CN"), n_articles=600)
    for n in planted:
        res = cli("reduce", "--nation", n, "--json")
        rows = json.loads(res.output)
        assert rows[-1]["removed"] == 0 or len(rows) == 5
    for n, p in planted.items():
        removed = _removed(store, n)
        assert p.minority, "the fixture must plant minorities"
        assert len(p.minority & set(removed)) / len(p.minority) >= 0.95, n
        assert len(p.majority - set(removed)) / len(p.majority) >= 0.95, n
        assert not (p.lookalike & set(removed)), n
        assert store.run(CYCLIC_KEPT, {"n": n})[0]["c"] == 0, n
        # the reason is auditable: the conflicting statement and a real LINKED path of <= 4 hops between an
        # article of each
        arts_of = {}
        for a, s in p.graph.states:
            arts_of.setdefault(s, set()).add(a)
        linked = set(p.graph.linked)
        for sid, r in removed.items():
            path = r["path"]
            assert r["conflict"] in r["reason"] and 2 <= len(path) <= 5
            assert path[0] in arts_of[sid] and path[-1] in arts_of[r["conflict"]]
            assert all((x, y) in linked for x, y in zip(path, path[1:]))
    runs = store.run("MATCH (r:ReductionRun {nation: 'US'}) RETURN r.round AS round, r.removed AS removed, "
                     "r.remaining AS remaining, r.params AS params ORDER BY round")
    assert runs and runs[0]["removed"] == len(_removed(store, "US"))
    assert json.loads(runs[0]["params"])["max_hops"] == 4


def test_dry_run_writes_nothing_and_matches(cli, store):
    write_planted_graph(store, nations=("DE",), n_articles=400, seed=7)
    snapshot = "MATCH (n) RETURN count(n) AS n, collect(DISTINCT n.status) AS st"
    props = "MATCH (s:Statement) RETURN count(s.issue_component) AS c"
    before = store.run(snapshot)
    out = json.loads(cli("reduce", "--nation", "DE", "--dry-run", "--json").output)
    assert store.run(snapshot) == before and store.run(props)[0]["c"] == 0
    assert store.run("MATCH (r:ReductionRun) RETURN count(r) AS c")[0]["c"] == 0
    real = json.loads(cli("reduce", "--nation", "DE", "--json").output)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(out) == strip(real) and real[0]["removed"] > 0


def test_undo_restores(cli, store):
    write_planted_graph(store, nations=("GB",), n_articles=400, seed=3)
    cli("reduce", "--nation", "GB")
    assert _removed(store, "GB")
    res = json.loads(cli("reduce", "--undo", "--nation", "GB", "--json").output)
    assert res[0]["restored"] > 0
    assert not _removed(store, "GB")
    left = store.run("MATCH (s:Statement {nation: 'GB'}) WHERE s.removed_reason IS NOT NULL OR "
                     "s.removed_round IS NOT NULL RETURN count(s) AS c")[0]["c"]
    assert left == 0
    assert store.run("MATCH (r:ReductionRun {nation: 'GB'}) WHERE r.undone RETURN count(r) AS c")[0]["c"] > 0
    # reducing again gives the same removals as the reference on the restored graph
    expected = {s for r in reduce_reference(read_graph(store, "GB")) for s in r.removed}
    cli("reduce", "--nation", "GB")
    assert set(_removed(store, "GB")) == expected


def test_bad_input_is_a_clear_error(cli):
    res = cli("reduce", "--nation", "XYZ1", ok=False)
    assert res.exit_code != 0
    res = cli("reduce", "--nation", "US", "--rounds", "0", ok=False)
    assert res.exit_code != 0 and "rounds" in res.output
