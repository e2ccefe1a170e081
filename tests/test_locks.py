"""One writer per data dir, graph and nation: a second writer says who is busy, or waits with --wait;
`db stop` refuses while a writer runs; a kill -9'd holder never blocks anyone (flock)."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from navab_graph.locks import Busy, active_writers, writer_lock

HOLD = """
import sys, time
from navab_graph.locks import writer_lock
nation = None if sys.argv[2] == '-' else sys.argv[2].split(',')
with writer_lock(sys.argv[1], nation, sys.argv[3], graph=sys.argv[4]):
    print('held', flush=True)
    time.sleep(float(sys.argv[5]))
"""


def _hold(data_dir, nation, command, graph="navab", seconds=60.0):
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(data_dir), nation, command, graph, str(seconds)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def _end(p):
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)


def test_second_writer_is_told_who_is_busy_and_a_killed_holder_releases(tmp_path):
    p = _hold(tmp_path, "US", "load")
    try:
        with pytest.raises(Busy) as e:
            with writer_lock(tmp_path, "US", "reduce"):
                pass
        msg = str(e.value)
        assert msg.startswith(f"busy: load (pid {p.pid}) since "), msg
        assert "--wait" in msg
        with writer_lock(tmp_path, "FR", "reduce"):  # another nation is free
            pass
        with pytest.raises(Busy, match="busy: load"):
            with writer_lock(tmp_path, None, "import-results"):  # a writer of every nation waits for all
                pass
        assert [w["command"] for w in active_writers(tmp_path)] == ["load"]
    finally:
        _end(p)  # kill -9: the lock file stays behind with its JSON, but flock is released by the kernel
    assert (tmp_path / "locks").exists()
    with writer_lock(tmp_path, "US", "reduce"):
        assert [w["command"] for w in active_writers(tmp_path)] == ["reduce"]
    assert active_writers(tmp_path) == []


def test_all_nation_writer_blocks_each_nation_and_reentry_in_one_process(tmp_path):
    p = _hold(tmp_path, "-", "import-results")
    try:
        with pytest.raises(Busy, match=r"busy: import-results \(pid \d+\)"):
            with writer_lock(tmp_path, ["CN", "FR"], "run"):
                pass
    finally:
        _end(p)
    with writer_lock(tmp_path, ["CN", "FR"], "run"):
        with writer_lock(tmp_path, "CN", "extract"):  # the same process may nest (run -> stages)
            pass


def test_wait_waits_for_the_holder(tmp_path):
    p = _hold(tmp_path, "US", "load", seconds=3.0)
    t0 = time.monotonic()
    seen = []
    with writer_lock(tmp_path, "US", "reduce", wait=True, on_wait=seen.append):
        waited = time.monotonic() - t0
    p.wait(timeout=30)
    assert waited >= 0.5 and seen and seen[0].startswith("busy: load")


def _writer_commands(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"id": "1", "text": "t"}) + "\n")
    return [("load", str(f), "--nation", "US"), ("load", str(f)), ("topics", "--nation", "US"),
            ("screen", "--nation", "US"), ("extract", "--nation", "US"), ("construct", "--nation", "US"),
            ("link", "--nation", "US"), ("reduce", "--nation", "US"), ("reduce", "--nation", "US", "--undo"),
            ("import-results", str(tmp_path)), ("run", "--nation", "FR", "--nation", "US")]


def test_every_writing_command_takes_the_lock(tmp_path, cli, settings, store):
    p = _hold(settings.data_dir, "US", "load", graph=settings.graph_name)
    try:
        for args in _writer_commands(tmp_path):
            t0 = time.monotonic()
            res = cli(*args, ok=False)
            assert res.exit_code != 0 and f"busy: load (pid {p.pid}) since" in res.output, (args, res.output)
            assert time.monotonic() - t0 < 20, args
        # readers are not writers
        assert cli("cypher", "RETURN 1 AS one").exit_code == 0
        assert cli("reduce", "--nation", "US", "--dry-run").exit_code == 0
    finally:
        _end(p)
    assert cli("reduce", "--nation", "US", "--undo").exit_code == 0


def test_global_wait_flag(tmp_path, cli, settings, store):
    p = _hold(settings.data_dir, "US", "load", graph=settings.graph_name, seconds=3.0)
    res = cli("--wait", "reduce", "--nation", "US", "--undo")
    p.wait(timeout=30)
    assert res.exit_code == 0 and "waiting" in res.output


def test_db_stop_refuses_while_a_writer_runs(tmp_path):
    from typer.testing import CliRunner

    from navab_graph.cli import app
    from navab_graph.store.embedded import EmbeddedServer

    env = {"NAVAB_DATA_DIR": str(tmp_path), "COLUMNS": "250"}
    run = lambda *a: CliRunner().invoke(app, list(a), env=env, catch_exceptions=False)  # noqa: E731
    assert run("db", "start").exit_code == 0
    srv = EmbeddedServer(tmp_path)
    p = _hold(tmp_path, "US", "load")
    try:
        res = run("db", "stop")
        assert res.exit_code != 0 and f"busy: load (pid {p.pid})" in res.output and "--force" in res.output
        assert srv.running()
        res = run("db", "stop", "--force")
        assert res.exit_code == 0 and "warning" in res.output.lower() and not srv.running()
    finally:
        _end(p)
        srv.stop()
