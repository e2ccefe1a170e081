"""Conflict Reduction is all-or-nothing to the user: kill -9 of the embedded server after every step of a run,
restart, reduce again -> the same removals, rounds and ReductionRun records as an uninterrupted run; two runs
at once never interleave their rounds; `--undo` restores exactly."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from planted import write_planted_graph

from navab_graph.config import Settings
from navab_graph.reduce import read_graph, reduce_reference
from navab_graph.reduce import runner
from navab_graph.store.falkor import FalkorStore

NATION = "US"
ROUND_FIELDS = ("round", "open_conflicts", "cyclic", "removed", "remaining", "params")


def _open(d):
    return FalkorStore(graph="cr", data_dir=d, persistent=True)


def _state(store, nation=NATION):
    """What a user sees: removed statements with their round, and the live (not undone) round records."""
    removed = {r["id"]: r["round"] for r in store.run(
        "MATCH (s:Statement {nation: $n}) WHERE s.status = 'removed' RETURN s.id AS id, s.removed_round AS round",
        {"n": nation})}
    rounds = store.run(
        "MATCH (r:ReductionRun {nation: $n}) WHERE r.undone IS NULL RETURN r.run_id AS run_id, r.round AS round, "
        "r.open_conflicts AS open_conflicts, r.cyclic AS cyclic, r.removed AS removed, r.remaining AS remaining, "
        "r.params AS params ORDER BY r.round", {"n": nation})
    runs = {r.pop("run_id") for r in rounds}
    return removed, rounds, runs


def _kill(d):
    from navab_graph.store.embedded import EmbeddedServer, _alive

    pid = EmbeddedServer(d).pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    for _ in range(200):
        if not _alive(pid):
            return
        time.sleep(0.01)
    raise AssertionError("server did not die")


def _compact(store):
    """Rewrite the AOF so the next restart loads a snapshot instead of replaying every query (keeps it fast)."""
    conn = store.db.connection
    try:
        conn.execute_command("BGREWRITEAOF")
    except Exception:
        pass
    for _ in range(500):
        info = conn.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.01)


def test_kill_server_at_every_step_boundary_then_rerun_gives_the_clean_result(tmp_path, monkeypatch):
    d = tmp_path / "db"
    settings = Settings(data_dir=d, graph_name="cr")
    store = _open(d)
    try:
        write_planted_graph(store, nations=(NATION,), n_articles=160, seed=5)
        clean_rows = runner.reduce_graph(store, settings, NATION)
        removed, rounds, runs = _state(store)
        assert removed and len(runs) == 1 and len(rounds) == len(clean_rows) >= 2
        baseline = (removed, rounds)
        runner.undo(store, NATION)

        # the steps of an uninterrupted run, in order (names; the propagation sweep repeats)
        steps: list[str] = []
        real = runner.run_named

        def counting(st, name, *a, **kw):
            out = real(st, name, *a, **kw)
            steps.append(name)
            return out
        monkeypatch.setattr(runner, "run_named", counting)
        runner.reduce_graph(store, settings, NATION)
        monkeypatch.setattr(runner, "run_named", real)
        assert (_state(store)[0], _state(store)[1]) == baseline
        runner.undo(store, NATION)
        _compact(store)
        # one kill after each distinct (step, occurrence-in-run) boundary; repeated sweeps only the first time
        points, seen = [], set()
        for i, name in enumerate(steps):
            key = (name, sum(1 for s in steps[:i] if s == runner.ROUND_REMOVE))
            if key not in seen:
                seen.add(key)
                points.append(i + 1)
        assert len(points) >= 15 and runner.ROUND_REMOVE in steps and runner.FINISH == steps[-1], steps
        t0 = time.perf_counter()
        for k in points:
            calls = {"n": 0}

            def killing(st, name, *a, **kw):
                out = real(st, name, *a, **kw)
                calls["n"] += 1
                if calls["n"] == k:
                    _kill(d)
                return out
            monkeypatch.setattr(runner, "run_named", killing)
            try:
                if k < len(steps):
                    with pytest.raises(Exception):
                        runner.reduce_graph(store, settings, NATION)
                else:  # killed after the last step: the run was complete before the kill
                    runner.reduce_graph(store, settings, NATION)
            finally:
                monkeypatch.setattr(runner, "run_named", real)
            store.close()
            store = _open(d)  # restarts the server: the AOF is replayed
            if k < len(steps):  # (after the last step the run had finished: nothing to redo)
                runner.reduce_graph(store, settings, NATION)
            removed, rounds, runs = _state(store)
            assert (removed, rounds) == baseline, f"killed after step {k} ({steps[k - 1]})"
            assert len(runs) == 1, f"killed after step {k} ({steps[k - 1]}): rounds of {runs} are live"
            runner.undo(store, NATION)
            assert _state(store)[0] == {}
            _compact(store)
        assert time.perf_counter() - t0 < 120
    finally:
        store.close()
        from navab_graph.store.embedded import EmbeddedServer

        EmbeddedServer(d).stop()


def test_two_reduce_at_once_never_interleave_rounds(store, settings, monkeypatch):
    write_planted_graph(store, nations=(NATION,), n_articles=300, seed=2)
    expected = {}
    for res in reduce_reference(read_graph(store, NATION)):
        for s in res.removed:
            expected[s] = res.round
    assert expected
    real = runner.run_named

    def slow(st, name, *a, **kw):  # widen the window so the two runs overlap
        time.sleep(0.02)
        return real(st, name, *a, **kw)
    monkeypatch.setattr(runner, "run_named", slow)
    start = threading.Barrier(3)
    errors: list[BaseException] = []
    done: list[tuple[float, float]] = []

    def one():
        s = FalkorStore(graph=settings.graph_name, data_dir=settings.data_dir)
        try:
            start.wait()
            t0 = time.perf_counter()
            runner.reduce_graph(s, settings, NATION)
            done.append((t0, time.perf_counter()))
        except BaseException as e:  # noqa: BLE001 - collected and asserted on below
            errors.append(e)
        finally:
            s.close()
    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    monkeypatch.setattr(runner, "run_named", real)
    assert len(done) >= 1
    assert all("busy" in str(e) for e in errors), errors
    # the runs that did run (claimed .. finished, as recorded) never overlap
    spans = sorted((r["a"], r["b"]) for r in store.run(
        "MATCH (h:StageRun {nation: $n, stage: 'reduce'}) WHERE h.state = 'done' RETURN h.claimed_ms AS a, "
        "h.finished_ms AS b", {"n": NATION}))
    assert len(spans) == len(done)
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert a1 <= b0, "two reductions of one nation ran at the same time"
    removed, rounds, runs = _state(store)
    assert removed == expected  # each statement removed in the round a clean run removes it
    for rid in runs:
        rs = [r["round"] for r in store.run("MATCH (r:ReductionRun {run_id: $id}) RETURN r.round AS round "
                                            "ORDER BY round", {"id": rid})]
        assert rs == list(range(1, len(rs) + 1))


def test_undo_restores_exactly(store, settings):
    write_planted_graph(store, nations=(NATION,), n_articles=160, seed=5)
    q = ("MATCH (s:Statement {nation: $n}) RETURN s.id AS id, s.status AS status, s.removed_round AS rr, "
         "s.removed_run AS run, s.removed_reason AS why, s.removed_conflict AS c, s.removed_path AS p ORDER BY id")
    before = store.run(q, {"n": NATION})
    runner.reduce_graph(store, settings, NATION)
    assert store.run(q, {"n": NATION}) != before
    out = runner.undo(store, NATION)
    assert out["restored"] > 0
    assert store.run(q, {"n": NATION}) == before
