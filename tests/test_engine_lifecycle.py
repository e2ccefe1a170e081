"""The embedded engine's lifecycle as a user meets it: truthful `db status`, no signal to a process that is
not ours, no long waits, one-line errors when the engine dies (its own last log line), restart on the next
command, a socket path that would be too long."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from navab_graph.store.embedded import EmbeddedServer, last_log_line


def _cli(data_dir, *args, timeout=60, env=None):
    e = {k: v for k, v in os.environ.items() if k != "NAVAB_GRAPH_URL"}
    e.update({"NAVAB_DATA_DIR": str(data_dir), "COLUMNS": "250", **(env or {})})
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "navab_graph", *args], env=e, capture_output=True, text=True,
                       timeout=timeout)
    return p, time.monotonic() - t0


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    st = Path(f"/proc/{pid}/stat").read_text()
    return st[st.rindex(")") + 2] != "Z"


def test_stale_pidfile_naming_a_live_unrelated_process(tmp_path):
    other = subprocess.Popen(["sleep", "120"])
    try:
        d = tmp_path / "db"
        d.mkdir()
        (d / "falkordb.pid").write_text(f"{other.pid}\n")  # a reused pid after a reboot
        (d / "falkordb.sock").write_text("")  # and a socket file nobody answers on
        srv = EmbeddedServer(d)
        assert srv.pid() is None  # not ours: never reported, never signalled
        p, secs = _cli(d, "db", "status", "--json")
        assert p.returncode == 0, p.stderr
        assert secs < 20, secs
        info = json.loads(p.stdout)
        assert info["state"] == "stopped" and info["started_for_this_command"] is True
        p, secs = _cli(d, "db", "stop")
        assert p.returncode == 0 and "not running" in p.stdout and secs < 20
        assert _alive(other.pid), "a process that is not ours was signalled"
    finally:
        other.kill()
        other.wait()


def test_db_status_says_whether_the_engine_runs(tmp_path):
    d = tmp_path / "db"
    p, _ = _cli(d, "db", "status")
    assert p.returncode == 0, p.stderr
    assert "stopped" in p.stdout and "started for this command" in p.stdout
    assert not EmbeddedServer(d).running()  # and it is stopped again
    _cli(d, "db", "start")
    try:
        srv = EmbeddedServer(d)
        p, _ = _cli(d, "db", "status", "--json")
        info = json.loads(p.stdout)
        assert info["state"] == "running" and info["pid"] == srv.pid() and info["started_for_this_command"] is False
        assert info["socket"] == str(srv.sock) and info["log"] == str(d.resolve() / "falkordb.log")
        p, _ = _cli(d, "db", "status")
        assert "running" in p.stdout and str(srv.pid()) in p.stdout
    finally:
        EmbeddedServer(d).stop()


def _big_file(path, n=30000):
    with open(path, "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"d{i}", "title": f"title {i}", "text": f"body of article {i} " * 5}) + "\n")


def _loaded(srv):
    import redis

    r = redis.Redis(unix_socket_path=str(srv.sock), password=srv.password(), socket_timeout=2)
    try:
        return r.execute_command("GRAPH.RO_QUERY", "navab", "MATCH (a:Article) RETURN count(a)")[1][0][0]
    except Exception:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGKILL])
def test_engine_crash_mid_load_is_one_line_with_the_engines_last_words(tmp_path, sig):
    data = tmp_path / "news.jsonl"
    _big_file(data)
    d = tmp_path / "db"
    env = {**os.environ, "NAVAB_DATA_DIR": str(d), "NAVAB_BATCH_SIZE": "500"}
    p = subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(data), "--nation", "US"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    srv = EmbeddedServer(d)
    for _ in range(1500):
        if p.poll() is None and srv.pid() and _loaded(srv) >= 1000:
            break
        time.sleep(0.02)
    assert p.poll() is None, "the load finished before the engine could crash"
    os.kill(srv.pid(), sig)  # SIGSEGV: redis writes a crash report to its log; SIGKILL: nothing
    out, err = p.communicate(timeout=120)
    assert p.returncode != 0
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    line = lines[0]
    assert "engine" in line and "is gone" in line and str(d.resolve() / "falkordb.log") in line
    if sig == signal.SIGSEGV:
        assert "its log ends with: Redis" in line and "crashed by signal: 11" in line
    assert f"re-run `navab-graph --quiet load {data} --nation US`" in line  # the command to resume
    # the next command restarts the engine and sees what was stored
    q, _ = _cli(d, "cypher", "MATCH (a:Article) RETURN count(a) AS c", "--json")
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout)[0]["c"] >= 1000
    srv.stop()


def test_debug_flag_keeps_the_traceback(tmp_path):
    env = {"NAVAB_GRAPH_URL": "falkor://127.0.0.1:1"}
    p, secs = _cli(tmp_path, "db", "status", env=env)
    assert p.returncode == 1 and "Traceback" not in p.stderr and secs < 20
    assert len([ln for ln in p.stderr.splitlines() if ln.strip()]) == 1, p.stderr
    p, _ = _cli(tmp_path, "--debug", "db", "status", env=env)
    assert p.returncode == 1 and "Traceback" in p.stderr


def test_last_log_line_prefers_the_engines_own_reason(tmp_path):
    log = tmp_path / "falkordb.log"
    log.write_text("1:M 02 Dec 2026 05:31:46.237 * Server initialized\n"
                   "1:M 02 Dec 2026 05:31:47.001 # Guru Meditation: Redis aborting for OUT OF MEMORY. "
                   "Allocating 18446744073709551615 bytes! #server.c:4100\n"
                   "\n------ STACK TRACE ------\nEIP:\n/usr/bin/redis-server(foo+0x1)[0x1]\n")
    assert last_log_line(log).startswith("Guru Meditation: Redis aborting for OUT OF MEMORY")
    log.write_text("1:M 02 Dec 2026 05:31:46.237 * Ready to accept connections unix\n")
    assert last_log_line(log) == "Ready to accept connections unix"
    assert last_log_line(tmp_path / "missing.log") is None


def test_socket_path_too_long_uses_a_short_private_runtime_dir(tmp_path):
    d = tmp_path / ("x" * 60) / ("y" * 60)
    assert len(str(d / "falkordb.sock")) > 107
    p, secs = _cli(d, "cypher", "MERGE (:T) RETURN 1 AS one", "--json", "--write")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == [{"one": 1}] and secs < 30
    srv = EmbeddedServer(d)
    assert len(str(srv.sock)) <= 107 and srv.sock.parent != d.resolve()
    srv.ensure(persistent=True)
    try:
        assert srv.running() and oct(srv.sock.parent.stat().st_mode & 0o777) == "0o700"
    finally:
        srv.stop()
    assert not srv.runtime_dir.exists()  # removed with its engine


def test_sigterm_to_a_loader_is_one_line_and_leaves_nothing_behind(tmp_path):
    from navab_graph.locks import active_writers

    data = tmp_path / "news.jsonl"
    _big_file(data)
    d = tmp_path / "db"
    env = {**os.environ, "NAVAB_DATA_DIR": str(d), "NAVAB_BATCH_SIZE": "500"}
    env.pop("NAVAB_GRAPH_URL", None)
    p = subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(data), "--nation", "US"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    srv = EmbeddedServer(d)
    for _ in range(1500):
        if p.poll() is None and srv.pid() and _loaded(srv) >= 1000:
            break
        time.sleep(0.02)
    assert p.poll() is None, "the load finished before it could be terminated"
    engine = srv.pid()
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert p.returncode == 143 and len(lines) == 1 and "Traceback" not in err, err
    assert "terminated" in lines[0] and f"re-run `navab-graph --quiet load {data} --nation US`" in lines[0]
    assert not _alive(engine), "the engine started for the load must be stopped with it"
    assert active_writers(d) == []


def test_db_stop_during_a_real_load_is_refused_and_the_load_completes(tmp_path):
    data = tmp_path / "news.jsonl"
    _big_file(data, n=20000)
    d = tmp_path / "db"
    env = {**os.environ, "NAVAB_DATA_DIR": str(d), "NAVAB_BATCH_SIZE": "500"}
    env.pop("NAVAB_GRAPH_URL", None)
    p = subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(data), "--nation", "US"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    srv = EmbeddedServer(d)
    for _ in range(1500):
        if p.poll() is None and srv.pid() and _loaded(srv) >= 500:
            break
        time.sleep(0.02)
    assert p.poll() is None, "the load finished before db stop could be tried"
    q, secs = _cli(d, "db", "stop")
    assert q.returncode == 1 and f"busy: load (pid {p.pid})" in q.stderr and secs < 20, q.stderr
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    r, _ = _cli(d, "cypher", "MATCH (a:Article) RETURN count(a) AS c", "--json")
    assert json.loads(r.stdout) == [{"c": 20000}]


def test_a_slow_aof_replay_is_loading_not_hung(tmp_path):
    """Seen on a 6,000-article graph: after `reduce`, the next command's engine replayed the logged path searches
    for 30 s without answering PING, and the command gave up after 20 s as if it were hung. A start is judged
    by the engine's own log: started and not yet ready means loading (the long load timeout applies)."""
    srv = EmbeddedServer(tmp_path / "d")
    srv.data_dir.mkdir(parents=True)
    pid = 4242
    start = [f"{pid}:C 02 Dec 2026 15:09:59.493 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
             f"{pid}:M 02 Dec 2026 15:09:59.507 * Server initialized",
             f"{pid}:M 02 Dec 2026 15:10:00.877 * DB loaded from base file appendonly.aof.9.base.rdb: 1.370 seconds"]
    ready = f"{pid}:M 02 Dec 2026 15:10:30.827 * Ready to accept connections unix"
    srv.log.write_text("\n".join(["999:M 02 Dec 2026 15:09:30.117 * Ready to accept connections unix"] + start) + "\n")
    assert srv._starting(pid)
    srv.log.write_text("\n".join(start + [ready]) + "\n")
    assert not srv._starting(pid)  # ready: a silent engine now is busy or hung, judged by the short timeout
    srv.log.write_text(ready + "\n")
    assert not srv._starting(pid)  # its start is out of view: not assumed to be loading
    assert not srv._starting(777)


def test_write_seconds_reads_the_engines_commandstats():
    from navab_graph.store.embedded import _write_seconds

    class Conn:
        def info(self, section):
            assert section == "commandstats"
            return {"cmdstat_graph.QUERY": "calls=3,usec=2500000,usec_per_call=833333.33,rejected_calls=0",
                    "cmdstat_graph.RO_QUERY": "calls=9,usec=9000000,usec_per_call=1000000.00",
                    "cmdstat_ping": "calls=1,usec=1,usec_per_call=1.00"}

    assert _write_seconds(Conn()) == 2.5  # write queries only: reads leave nothing in the AOF


def test_lost_connection_waits_for_a_dying_engine_before_calling_it_running(tmp_path):
    """A killed engine closes its socket before the kernel marks it dead: the client may see the drop first."""
    from navab_graph.store.embedded import EngineDown
    from navab_graph.store.falkor import FalkorStore

    dying = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    store = object.__new__(FalkorStore)
    store.server, store.server_pid, store.location = EmbeddedServer(tmp_path / "db"), dying.pid, "sock"

    threading.Timer(0.4, lambda: (dying.kill(), dying.wait())).start()
    assert isinstance(store._lost(ConnectionError("reset")), EngineDown)  # alive when asked, dead 0.4 s later
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    store.server_pid = alive.pid
    try:
        err = store._lost(ConnectionError("timeout"))
        assert not isinstance(err, EngineDown) and "still running" in str(err)
    finally:
        alive.kill()
        alive.wait()
