"""Read-only means read-only: no LOAD CSV (files, URLs) and no procedure off the read allow-list, on every
read path (the store seam), with a message that says what was refused and why."""
from __future__ import annotations

import select
import socket

import pytest

from navab_graph.store.base import ReadOnlyViolation, check_read_only


@pytest.fixture
def listener():
    """A TCP port on loopback that records whether anybody connected (the database must not)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.setblocking(False)
    port = s.getsockname()[1]

    def connected(wait: float = 0.5) -> bool:
        return bool(select.select([s], [], [], wait)[0])
    yield port, connected
    s.close()


LOADS = [
    "LOAD CSV FROM 'https://127.0.0.1:{port}/x.csv' AS r RETURN r",
    "load csv with headers from \"http://127.0.0.1:{port}/x.csv\" AS r RETURN r",
    "MATCH (n) WITH n LIMIT 1 LOAD /* sneaky */ CSV FROM 'http://127.0.0.1:{port}/y' AS r RETURN r",
    "CALL {{ LOAD\nCSV FROM 'http://127.0.0.1:{port}/z' AS r RETURN r }} RETURN 1",
    "// comment\nLOAD\tCSV FROM 'file:///etc/passwd' AS r RETURN r",
]


@pytest.mark.parametrize("text", LOADS)
def test_load_csv_is_refused_without_touching_the_network(store, listener, text):
    port, connected = listener
    store.run("MERGE (:Seed)")
    with pytest.raises(ReadOnlyViolation, match="LOAD CSV") as e:
        store.run(text.format(port=port), write=False)
    assert "read-only" in str(e.value) and "files or URLs" in str(e.value)
    assert not connected()


@pytest.mark.parametrize("text", [
    "CALL db.idx.fulltext.createNodeIndex('Seed', 'name')",
    "CALL `db`.`idx`.fulltext.drop('Seed')",
    "CALL db.idx.fulltext . createNodeIndex('Seed', 'x')",
    "MATCH (n) CALL db.idx.fulltext.drop('Seed') RETURN n",
])
def test_procedures_off_the_allow_list_are_refused(store, text):
    store.run("MERGE (:Seed {name: 'a'})")
    with pytest.raises(ReadOnlyViolation, match="not on the read-only allow-list"):
        store.run(text, write=False)
    assert store.run("CALL db.indexes() YIELD label RETURN count(label) AS c", write=False)[0]["c"] == 0


def test_allowed_reads_still_work(store):
    store.run("CREATE (:Seed {name: 'LOAD CSV FROM x'})-[:R]->(:Seed {name: 'b'})")
    assert store.run("MATCH (s:Seed {name: 'LOAD CSV FROM x'}) RETURN s.name AS n", write=False) == [
        {"n": "LOAD CSV FROM x"}]  # the words inside a string are data, not a clause
    assert store.run("CALL db.labels() YIELD label RETURN label", write=False) == [{"label": "Seed"}]
    rows = store.run("CALL algo.pageRank('Seed', 'R') YIELD node, score RETURN count(node) AS c", write=False)
    assert rows == [{"c": 2}]
    assert store.run("CALL { MATCH (s:Seed) RETURN count(s) AS c } RETURN c", write=False) == [{"c": 2}]


def test_write_mode_is_not_restricted(store):
    store.run("CALL db.idx.fulltext.createNodeIndex('Seed', 'name')")
    assert store.run("CALL db.indexes() YIELD label RETURN label", write=False) == [{"label": "Seed"}]


def test_cypher_cli_refuses_load_csv_with_a_clear_message(cli, store, listener):
    port, connected = listener
    store.run("MERGE (:Seed)")
    res = cli("cypher", f"LOAD CSV FROM 'https://127.0.0.1:{port}/x.csv' AS r RETURN r", ok=False)
    assert res.exit_code == 1 and "read-only" in res.output and "LOAD CSV" in res.output
    assert "Missing parameters" not in res.output
    assert not connected()


def test_neo4j_store_checks_before_the_driver():
    from navab_graph.store.neo4j import Neo4jStore

    s = object.__new__(Neo4jStore)  # no server here: the check must come before any driver call
    s.driver = None
    with pytest.raises(ReadOnlyViolation, match="apoc.load.json"):
        s.run("CALL apoc.load.json('http://127.0.0.1:1/x') YIELD value RETURN value", write=False)
    with pytest.raises(ReadOnlyViolation, match="LOAD CSV"):
        s.run("LOAD CSV FROM 'file:///x' AS r RETURN r", write=False)


def test_checker_allow_lists_per_engine():
    check_read_only("CALL db.labels() YIELD label RETURN label", "neo4j")
    check_read_only("CALL db.index.vector.queryNodes('i', 5, $v) YIELD node RETURN node", "neo4j")
    check_read_only("CALL gds.pageRank.stream('g') YIELD nodeId RETURN nodeId", "neo4j")
    check_read_only("CALL (x) { RETURN x AS y } RETURN y", "neo4j")  # a Neo4j 5 subquery, not a procedure
    check_read_only("MATCH (n) RETURN n.`CALL apoc.load.json` AS x", "neo4j")
    for bad in ("CALL apoc.periodic.iterate('a', 'b', {})", "CALL gds.pageRank.write('g', {})",
                "CALL dbms.setConfigValue('a', 'b')", "CALL db.idx.vector.queryNodes('A', 'e', 1, $v)"):
        with pytest.raises(ReadOnlyViolation):
            check_read_only(bad, "neo4j")
    check_read_only("CALL db.idx.vector.queryNodes('A', 'e', 1, vecf32($v)) YIELD node RETURN node", "falkordb")
