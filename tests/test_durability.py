"""kill -9 of the database or of the loader mid-load, then the same load again: nothing lost, nothing doubled."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from navab_graph.store.embedded import EmbeddedServer
from navab_graph.store.falkor import FalkorStore

N = 20000


def _write(path):
    with open(path, "w") as f:
        for i in range(N):
            f.write(json.dumps({"id": f"d{i}", "title": f"title {i}", "text": f"body of article {i} " * 5}) + "\n")
        f.write(json.dumps({"id": "d5", "text": "duplicate"}) + "\n")  # one in-file duplicate
        f.write("{broken\n")  # one malformed


def _load(data_dir, path):
    env = {**os.environ, "NAVAB_DATA_DIR": str(data_dir), "NAVAB_BATCH_SIZE": "1000"}
    return subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(path), "--nation", "US"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _articles(data_dir):
    s = FalkorStore(graph="navab", data_dir=data_dir)
    try:
        return s.run("MATCH (a:Article) RETURN count(a) AS c, count(DISTINCT a.id) AS d", write=False)[0]
    finally:
        s.close()


def _wait_some_loaded(data_dir, proc):
    srv = EmbeddedServer(data_dir)
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError("loader finished before it could be killed: " + proc.stdout.read())
        if srv.running():
            import redis
            r = redis.Redis(unix_socket_path=str(srv.sock), password=srv.password())
            try:
                c = r.execute_command("GRAPH.RO_QUERY", "navab", "MATCH (a:Article) RETURN count(a)")[1][0][0]
            except Exception:
                c = 0
            if c >= 2000:
                return srv
        time.sleep(0.02)
    raise AssertionError("nothing was loaded in time")


def test_kill_database_then_kill_loader_then_reload(tmp_path):
    data = tmp_path / "news.jsonl"
    _write(data)
    d = tmp_path / "db"
    # 1. kill -9 the database mid-load
    p = _load(d, data)
    srv = _wait_some_loaded(d, p)
    os.kill(srv.pid(), signal.SIGKILL)
    out = p.communicate(timeout=120)[0]
    assert p.returncode != 0, out
    # 2. kill -9 the loader mid-load (the server it started for itself is left behind, stale lock files too)
    p = _load(d, data)
    _wait_some_loaded(d, p)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    # 3. the same load again completes
    p = _load(d, data)
    out = p.communicate(timeout=300)[0]
    assert p.returncode == 0, out
    counts = _articles(d)
    assert counts == {"c": N, "d": N}
    EmbeddedServer(d).stop()
