"""The embedded path's own wire client (navab_graph/store/falkor_wire.py) returns exactly what the `falkordb`
client returns (after FalkorStore's conversion to plain values), for every value type, on the real engine."""
from __future__ import annotations

import sys

import pytest
from falkordb import FalkorDB

from navab_graph.store.falkor import _plain

QUERIES = [
    "RETURN 1 AS i, -9007199254740993 AS big, 0.1 AS f, -2.5e-300 AS tiny, true AS t, false AS ff, null AS n",
    "RETURN 'plain' AS s, '中文：混合 é ␠ 🙂' AS zh, '' AS empty, 'a\"b\\\\c' AS quoted, 'true' AS not_bool",
    "RETURN [1, 'a', [2.5, null, [true]], {k: [1, {z: 'deep'}]}] AS nested, {a: 1, b: 'x', c: null} AS m",
    "MATCH (a:Art) RETURN a ORDER BY a.id",
    "MATCH (a:Art)-[r:LINKED]->(b:Art) RETURN a, r, b ORDER BY a.id",
    "MATCH p = (a:Art {id: 'a1'})-[:LINKED*1..2]->(b) RETURN p ORDER BY length(p)",
    "MATCH (a:Art) RETURN collect(a) AS all, count(a) AS c",
    "RETURN point({latitude: 48.85, longitude: 2.35}) AS p, vecf32([0.5, -1.0, 2.25]) AS v",
    "MATCH (n:Late) RETURN n",  # labels and keys created after the first query: the name cache refreshes
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "UNWIND range(1, 2000) AS i RETURN i, toString(i) AS s",
]


def _reference(store, text):
    srv = store.server
    g = FalkorDB(unix_socket_path=str(srv.sock), password=srv.password()).select_graph(store.graph_name)
    res = g.ro_query(text)
    if not res.header:
        return []
    cols = [h[1] for h in res.header]
    return [{c: _plain(v) for c, v in zip(cols, row)} for row in res.result_set]


def test_wire_equals_the_falkordb_client(store):
    store.run("CREATE (:Art:Extra {id: 'a1', n: 1, f: 1.5, ok: true, tags: ['x', 'y'], t: '中文 é'})"
              "-[:LINKED {w: 0.5, why: 'geo'}]->(:Art {id: 'a2', n: 2})-[:LINKED {w: 1}]->(:Art {id: 'a3'})")
    first = store.run(QUERIES[3], write=False)
    assert first[0]["a"] == {"id": "a1", "n": 1, "f": 1.5, "ok": True, "tags": ["x", "y"], "t": "中文 é"}
    store.run("CREATE (:Late {brand_new_key: 'v', another: [1, 2]})")
    for q in QUERIES:
        got = store.run(q, write=False)
        want = _reference(store, q)
        assert got == want, q
        assert [type(v) for r in got for v in r.values()] == [type(v) for r in want for v in r.values()], q


def test_temporal_values_match(store):
    store.run("MERGE (:Seed)")
    q = ("RETURN date('2024-03-05') AS d, localdatetime('2024-03-05T10:20:30') AS dt, "
         "localtime('10:20:30') AS t, duration('P1DT2H') AS du")
    try:
        want = _reference(store, q)
    except Exception as e:  # an engine build without one of these functions: compare what it has
        pytest.skip(f"engine lacks a temporal function: {e}")
    assert store.run(q, write=False) == want


def test_errors_and_missing_graph(store):
    from navab_graph.store.falkor_wire import ResponseError

    assert store.run("MATCH (n) RETURN n", write=False) == []  # no graph yet
    with pytest.raises(ResponseError, match="Missing parameters"):
        store.run("MERGE (:S) RETURN $nope")
    with pytest.raises(ResponseError):
        store.run("RETURN nosuchfunction(1)")
    assert store.run("RETURN 1 AS one") == [{"one": 1}]  # the connection is still good after errors


def test_the_cli_never_imports_redis_on_the_embedded_path(tmp_path):
    import subprocess

    code = ("import sys; from navab_graph.cli import main; sys.argv=['navab-graph','cypher','MERGE (:T) "
            "RETURN 1 AS x','--write','--json']\ntry:\n main()\nexcept SystemExit:\n pass\n"
            "print('redis' in sys.modules, 'falkordb' in sys.modules)")
    env = {"NAVAB_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "False False", p.stdout
