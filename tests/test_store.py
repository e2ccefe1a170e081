"""The GraphStore seam on the real embedded FalkorDB: server lifecycle, locks, auth, read-only mode."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import redis

from navab_graph.store import ensure_schema, run_named
from navab_graph.store.embedded import EmbeddedServer
from navab_graph.store.falkor import FalkorStore


def test_run_returns_rows_as_dicts(store):
    store.run("UNWIND range(1, 3) AS i CREATE (:N {id: i, name: 'n' + toString(i)})")
    rows = store.run("MATCH (n:N) RETURN n.id AS id, n AS node ORDER BY id", write=False)
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["node"] == {"id": 1, "name": "n1"}


def test_values_travel_as_parameters(store):
    evil = "x'}) DETACH DELETE n //"
    store.run("CREATE (:P {name: $name})", {"name": evil})
    assert store.run("MATCH (p:P {name: $name}) RETURN count(p) AS c", {"name": evil})[0]["c"] == 1


def test_read_only_mode_refuses_writes(store):
    assert store.run("MATCH (n) RETURN n", write=False) == []  # empty graph: nothing to read, no error
    store.run("CREATE (:Y)")
    with pytest.raises(Exception, match="read-only"):
        store.run("CREATE (:X)", write=False)
    assert store.run("MATCH (x:X) RETURN count(x) AS c")[0]["c"] == 0


def test_schema_is_idempotent(store):
    first = ensure_schema(store)
    assert first > 0
    from navab_graph.store import _SCHEMA_DONE
    _SCHEMA_DONE.discard(id(store))
    ensure_schema(store)  # second application must not raise
    idx = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties", write=False)
    labels = {r["label"] for r in idx}
    assert {"Article", "Statement", "Topic", "Source"} <= labels


def test_server_needs_password(_server):
    r = redis.Redis(unix_socket_path=str(_server.sock))
    with pytest.raises(redis.exceptions.AuthenticationError):
        r.ping()
    assert oct(_server.sock.stat().st_mode & 0o777) == "0o700"
    assert oct((_server.data_dir / "secret").stat().st_mode & 0o777) == "0o600"


def test_ephemeral_server_stops_with_last_user(tmp_path):
    s1 = FalkorStore(graph="g", data_dir=tmp_path)
    assert s1.started
    s2 = FalkorStore(graph="g", data_dir=tmp_path)  # reuses the running server
    assert not s2.started
    pid = s1.server.pid()
    s1.close()
    assert EmbeddedServer(tmp_path).running(), "server must stay while another user holds it"
    s2.run("CREATE (:Kept)")
    s2.close()
    for _ in range(100):
        if not _alive(pid):
            break
        time.sleep(0.05)
    assert not _alive(pid)
    s3 = FalkorStore(graph="g", data_dir=tmp_path)  # data survives via AOF
    assert s3.run("MATCH (k:Kept) RETURN count(k) AS c")[0]["c"] == 1
    s3.close()


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_stale_pidfile_and_socket_are_recovered(tmp_path):
    srv = EmbeddedServer(tmp_path)
    srv.ensure(persistent=True)
    pid = srv.pid()
    os.kill(pid, signal.SIGKILL)  # crash: pid file and socket stay behind
    for _ in range(100):
        if not _alive(pid):
            break
        time.sleep(0.05)
    assert srv.pidfile.exists()
    assert srv.ensure(persistent=True) is True  # a new server, not a hang on the stale files
    assert srv.running() and srv.pid() != pid
    srv.stop()
    assert not srv.running()


def test_two_processes_never_start_two_servers(tmp_path):
    code = ("import sys; from navab_graph.store.embedded import EmbeddedServer as E; "
            "s=E(sys.argv[1]); s.acquire(); print(int(s.ensure(persistent=True))); print(s.pid())")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=60)[0].split() for p in procs]
    assert sum(int(o[0]) for o in outs) == 1, outs  # exactly one started it
    assert len({o[1] for o in outs}) == 1, outs  # all talk to the same pid
    EmbeddedServer(tmp_path).stop()


def test_info_reports_engine_and_counts(store):
    store.run("CREATE (:A)-[:R]->(:B)")
    info = store.info()
    assert info["engine"] == "falkordb" and info["version"].startswith("4.")
    assert info["nodes"] == 2 and info["edges"] == 1


def test_run_named_uses_registry(store):
    ensure_schema(store)
    run_named(store, "load/sources", {"rows": [{"nation": "FR", "source": "lemonde"}]})
    assert store.run("MATCH (s:Source {id: 'lemonde'}) RETURN s.nation AS n")[0]["n"] == "FR"
