"""End to end on a planted multilingual corpus, through the CLI: load -> link -> reduce, then the graph."""
from __future__ import annotations

import pytest

from planted import PlantedCorpus, planted_corpus

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)

NATIONS = ("US", "FR", "DE", "CN")


@pytest.fixture
def linked(cli, store, tmp_path):
    truth: dict[str, PlantedCorpus] = {}
    for n in NATIONS:
        f = tmp_path / f"{n}.jsonl"
        truth[n] = planted_corpus(f, n)
        cli("load", str(f), "--nation", n)
        cli("link", "--nation", n)
    return truth


def _ids(store, nation, texts):
    rows = store.run("MATCH (s:Statement {nation: $n}) WHERE s.text IN $t RETURN s.id AS id",
                     {"n": nation, "t": sorted(texts)})
    assert len(rows) == len(texts)
    return {r["id"] for r in rows}


def test_link_finds_planted_conflicts_and_sides(linked, store):
    for n, truth in linked.items():
        maj, mino, look = (_ids(store, n, t) for t in (truth.majority, truth.minority, truth.lookalike))
        rows = store.run("MATCH (s:Statement {nation: $n}) RETURN s.id AS id, s.issue AS issue, s.side AS side",
                         {"n": n})
        side = {r["id"]: (r["issue"], r["side"]) for r in rows}
        # every minority statement sits in an issue with majority statements, on the other side
        for m in mino:
            peers = [s for s in maj if side[s][0] == side[m][0]]
            assert len(peers) == 6, (n, m, side[m])
            assert all(side[p][1] != side[m][1] for p in peers), n
        a, b = sorted(look)
        assert side[a][0] == side[b][0] and side[a][1] != side[b][1], n
        conf = store.run("MATCH (s:Statement {nation: $n})-[c:CONFLICTS]->(t) RETURN s.id AS s, t.id AS t",
                         {"n": n})
        planted_pairs = {frozenset(p) for p in ((x, y) for x in mino for y in maj if side[x][0] == side[y][0])}
        found = {frozenset((r["s"], r["t"])) for r in conf}
        assert frozenset(look) in found, n
        assert len(found & planted_pairs) >= 0.9 * len(planted_pairs), n
        assert found <= planted_pairs | {frozenset(look)}, f"{n}: spurious conflicts {found - planted_pairs}"
        kinds = {r["k"] for r in store.run("MATCH (a:Article {nation: $n})-[l:LINKED]->() RETURN DISTINCT l.kind AS k",
                                           {"n": n})}
        assert {"shared_value", "social", "semantic"} <= kinds, (n, kinds)


def test_reduce_removes_planted_minority_keeps_majority_and_lookalikes(linked, cli, store):
    for n in NATIONS:
        cli("reduce", "--nation", n)
    for n, truth in linked.items():
        maj, mino, look = (_ids(store, n, t) for t in (truth.majority, truth.minority, truth.lookalike))
        removed = {r["id"] for r in store.run("MATCH (s:Statement {nation: $n, status: 'removed'}) RETURN s.id AS id",
                                              {"n": n})}
        assert len(removed & mino) / len(mino) >= 0.95, n
        assert len(maj - removed) / len(maj) >= 0.95, n
        assert not (look & removed), n
        cyclic_kept = store.run(
            "MATCH (s:Statement {nation: $n, status: 'kept'})-[:CONFLICTS]-(t:Statement {status: 'kept'}), "
            "(a:Article)-[:STATES]->(s), (b:Article)-[:STATES]->(t) "
            "WHERE a <> b AND (a)-[:LINKED*1..4]->(b) RETURN count(*) AS c", {"n": n})[0]["c"]
        assert cyclic_kept == 0, n
    res = cli("query", "removed_statements", "-p", "nation=US", "--json")
    assert "cyclic conflict" in res.output


def test_link_is_idempotent(linked, cli, store):
    count = "MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS c ORDER BY t"
    before = store.run(count)
    cli("link", "--nation", "US")
    assert store.run(count) == before
