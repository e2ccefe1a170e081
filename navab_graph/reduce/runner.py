"""Runs the Conflict Reduction procedure set (cypher/conflict/NN_*.cypher) round by round on a GraphStore.

Every step is one named Cypher statement with parameters; this module only sequences them, passes the
parameters and collects the counts. `dry_run` computes the same rounds with the reference implementation on a
read-only snapshot (the procedure set needs to write intermediate properties, so it cannot run read-only);
the property tests prove both give the same rounds.
"""
from __future__ import annotations

import json
import os
import random
import socket
import time
import uuid
from dataclasses import asdict, dataclass

from .. import __version__
from ..config import Settings
from ..cypher import MAX_BOUND
from ..lineage import last_runs, now_iso, proc_start, process_alive, settings_fp
from ..store import GraphStore, run_named
from .model import read_graph
from .reference import reduce_reference

# One string literal per step, in order (the Cypher registry test scans the code for these names).
STARTED = "conflict/00_started"
CLAIM = ["conflict/00_claim", "conflict/00_promote", "conflict/00_withdraw"]
ISSUE_SEEDS = "conflict/01_issue_seeds"
ISSUE_PROPAGATE = "conflict/02_issue_propagate"  # repeated with its own frontier until that is empty
ROUND_CENTRALITY = ["conflict/03_project_context", "conflict/04_centrality", "conflict/05_drop_context"]
ROUND_DOMINANCE = "conflict/06_dominance"
ROUND_OPEN = "conflict/07_open_conflicts"
ROUND_CYCLES = "conflict/08_cycles"  # round 1 (algo.SPpaths on FalkorDB)
ROUND_CYCLES_BFS = "conflict/08_cycles_bfs"  # round 1, FalkorDB, dense context graphs (see cycles_plan)
CONTEXT_SHAPE = "conflict/context_shape"
ROUND_CYCLES_KNOWN = "conflict/08_cycles_known"  # rounds 2+
ROUND_REMOVE = "conflict/09_remove"  # removes and records the round in one statement
FINISH = "conflict/10_finish"
ROLLBACK = ["conflict/80_rollback_statements", "conflict/81_rollback_rounds", "conflict/82_rollback_run"]
UNDO = ["conflict/90_undo_statements", "conflict/91_undo_runs", "conflict/92_undo_headers"]
MAX_PROPAGATION = 10_000
ACTIVE: set[str] = set()  # run ids executing in this process (a started run of ours not in it was interrupted)


class ReduceBusy(RuntimeError):
    """Another reduction of the nation is running; its rounds must not interleave with a second one."""


@dataclass
class RoundRow:
    round: int
    open_conflicts: int
    cyclic: int
    removed: int
    remaining: int
    seconds: float = 0.0


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _params(settings: Settings, rounds: int) -> dict:
    r = settings.reduce
    return {"rounds": rounds, "max_hops": r.max_hops, "damping": r.damping, "tie_epsilon": r.tie_epsilon}


def check_params(store: GraphStore, settings: Settings) -> None:
    r = settings.reduce
    if not 1 <= r.max_hops <= MAX_BOUND:
        raise ValueError(f"reduce.max_hops must be 1..{MAX_BOUND} (got {r.max_hops})")
    if not 0 < r.damping < 1:
        raise ValueError(f"reduce.damping must be in (0, 1) (got {r.damping})")
    if store.engine == "falkordb" and abs(r.damping - 0.85) > 1e-12:
        raise ValueError("reduce.damping: FalkorDB's algo.pageRank has a fixed damping of 0.85; "
                         f"got {r.damping} (use Neo4j GDS for another value)")


def reduce_graph(store: GraphStore, settings: Settings, nation: str, *, rounds: int | None = None,
                 dry_run: bool = False, on_round=None) -> list[RoundRow]:
    """Run up to `rounds` rounds (default settings.reduce.rounds); stop after a round that removes nothing.

    All-or-nothing to readers: the run is claimed first (StageRun {state: 'started'}), each round's removals
    and its ReductionRun are one statement, and the run is marked done (rounds complete) last. A started run
    whose process is gone was interrupted: it is rolled back before a new one starts; a live one makes this
    call raise ReduceBusy."""
    rounds = settings.reduce.rounds if rounds is None else rounds
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1 (got {rounds})")
    check_params(store, settings)
    if dry_run:
        return _dry_run(store, settings, nation, rounds, on_round)
    run_id = f"{nation}:{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}:{uuid.uuid4().hex[:6]}"
    base = {"nation": nation, "run_id": run_id, "graph": f"navab_cr_{nation}_{uuid.uuid4().hex[:6]}",
            **{k: v for k, v in _params(settings, rounds).items() if k != "rounds"}}
    params = _params(settings, rounds)
    params_json = json.dumps(params, sort_keys=True)
    ACTIVE.add(run_id)
    try:
        link = last_runs(store, nation).get("link")
        _claim(store, nation, run_id, {
            "nation": nation, "run_id": run_id, "at": now_iso(), "ns": time.time_ns(), "pid": os.getpid(),
            "host": socket.gethostname(), "proc_start": proc_start(os.getpid()),
            "settings_fp": settings_fp(params), "params": params_json,
            "link_run": link.get("run_id") if link else None, "code_version": __version__})
        try:
            out = _rounds(store, base, rounds, params_json, on_round)
            run_named(store, FINISH, {
                "nation": nation, "run_id": run_id, "at": now_iso(), "ns": time.time_ns(), "rounds": len(out),
                "removed_now": sum(r.removed for r in out), "summary": json.dumps(as_dicts(out))[:4000]})
        except BaseException:
            try:  # best effort; when the engine itself died, the next run rolls this one back
                rollback(store, nation, run_id)
            except Exception:
                pass
            raise
    finally:
        ACTIVE.discard(run_id)
    return out


def _claim(store: GraphStore, nation: str, run_id: str, header: dict, attempts: int = 6) -> None:
    """Announce, then check: hold the nation only if no other run holds or claims it after our announcement
    was written (two claimants can both back off, never both hold). Dead holders are rolled back first."""
    for attempt in range(attempts):
        recover(store, nation)
        run_named(store, CLAIM[0], header)
        others = run_named(store, STARTED, {"nation": nation, "exclude": run_id}, write=False)
        if not others and run_named(store, CLAIM[1], {"run_id": run_id}):
            return
        run_named(store, CLAIM[2], {"run_id": run_id})
        if any(o["state"] == "started" for o in others) or attempt == attempts - 1:
            raise ReduceBusy(_busy_message(store, nation))
        time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))  # both backed off: try again, staggered


def cycles_plan(store: GraphStore, nation: str, max_hops: int) -> str:
    """The statement for the cycle search: on FalkorDB 4.16, algo.SPpaths (08_cycles) costs about 80 ns per
    path of <= max_hops hops from an article (~ mean degree ** max_hops) and shortestPath (08_cycles_bfs)
    about 5 ns per node of the whole graph, per call (measured, docs/benchmarks/conflict.md); both mark the
    same conflicts with witnesses of the same length. Neo4j's shortestPath has no such cost: one statement."""
    if store.engine != "falkordb":
        return ROUND_CYCLES
    shape = run_named(store, CONTEXT_SHAPE, {"nation": nation}, write=False)
    if not shape or not shape[0]["articles"]:
        return ROUND_CYCLES
    degree = shape[0]["linked"] / shape[0]["articles"]
    return ROUND_CYCLES_BFS if degree ** max_hops * 16 > shape[0]["nodes"] else ROUND_CYCLES


def _rounds(store, base, rounds, params_json, on_round) -> list[RoundRow]:
    out: list[RoundRow] = []
    run_id = base["run_id"]
    cycles = cycles_plan(store, base["nation"], base["max_hops"])
    for rnd in range(1, rounds + 1):
        t0 = time.perf_counter()
        p = {**base, "round": rnd, "key": f"{run_id}:{rnd}"}
        frontier = _ids(run_named(store, ISSUE_SEEDS, p))
        members = set(frontier)
        for _ in range(MAX_PROPAGATION):  # a fixpoint within (longest shortest path in an issue) sweeps
            if not frontier:
                break
            frontier = _ids(run_named(store, ISSUE_PROPAGATE, {**p, "frontier": frontier}))
            members.update(frontier)
        if rnd == 1:  # centrality is a function of LINKED only, which a run does not change
            for name in ROUND_CENTRALITY:
                run_named(store, name, p)
        run_named(store, ROUND_DOMINANCE, {**p, "members": sorted(members)})
        open_c = _one(run_named(store, ROUND_OPEN, p), "open_conflicts")
        cyclic = _one(run_named(store, cycles if rnd == 1 else ROUND_CYCLES_KNOWN, p), "cyclic")
        res = run_named(store, ROUND_REMOVE, {**p, "open_conflicts": open_c, "cyclic": cyclic,
                                              "params": params_json, "at": now_iso()})
        removed, remaining = _one(res, "removed"), _one(res, "remaining")
        row = RoundRow(rnd, open_c, cyclic, removed, remaining, time.perf_counter() - t0)
        out.append(row)
        if on_round:
            on_round(row)
        if removed == 0:
            break
    return out


def recover(store: GraphStore, nation: str) -> list[dict]:
    """Roll back the nation's interrupted runs (started or claiming, their process gone); ReduceBusy if a live
    run holds the nation (a live claimant is left to its own check)."""
    done = []
    for r in run_named(store, STARTED, {"nation": nation, "exclude": ""}, write=False):
        if process_alive(r, ACTIVE):
            if r["state"] == "started":
                raise ReduceBusy(_busy_message(store, nation))
            continue
        done.append({"run_id": r["run_id"], **rollback(store, nation, r["run_id"])})
    return done


def rollback(store: GraphStore, nation: str, run_id: str) -> dict:
    """Restore what run_id removed, mark its rounds undone, then the run rolled_back (in that order)."""
    at = now_iso()
    restored = _one(run_named(store, ROLLBACK[0], {"nation": nation, "run_id": run_id}), "restored")
    rounds = _one(run_named(store, ROLLBACK[1], {"nation": nation, "run_id": run_id, "at": at}), "rounds")
    run_named(store, ROLLBACK[2], {"run_id": run_id, "at": at})
    return {"restored": restored, "rounds": rounds}


def _busy_message(store: GraphStore, nation: str) -> str:
    rows = run_named(store, STARTED, {"nation": nation, "exclude": ""}, write=False)
    rows = [r for r in rows if r["state"] == "started"] or rows
    if not rows:
        return f"busy: another reduce of {nation} started at the same moment; try again"
    r = rows[0]
    return (f"busy: reduce of {nation} (run {r['run_id']}, pid {r.get('pid')} on {r.get('host')}) since "
            f"{r.get('started_at')}; wait for it to finish")


def _dry_run(store, settings, nation, rounds, on_round) -> list[RoundRow]:
    t0 = time.perf_counter()
    g = read_graph(store, nation)
    r = settings.reduce
    out = []
    for res in reduce_reference(g, rounds=rounds, max_hops=r.max_hops, damping=r.damping,
                                tie_epsilon=r.tie_epsilon):
        row = RoundRow(res.round, res.open_conflicts, res.cyclic, len(res.removed), res.remaining,
                       time.perf_counter() - t0)
        out.append(row)
        if on_round:
            on_round(row)
    return out


def undo(store: GraphStore, nation: str) -> dict:
    """Restore every statement a reduction removed; mark the nation's ReductionRun nodes and reduce runs
    undone (a started one too: this is also the way out of a run whose host cannot be checked)."""
    at = now_iso()
    restored = _one(run_named(store, UNDO[0], {"nation": nation}), "restored")
    runs = _one(run_named(store, UNDO[1], {"nation": nation, "at": at}), "runs")
    run_named(store, UNDO[2], {"nation": nation, "at": at})
    return {"restored": restored, "runs_undone": runs}


def _ids(rows: list[dict]) -> list[str]:
    return list(rows[0]["frontier"] or []) if rows else []


def _one(rows: list[dict], key: str) -> int:
    return int(rows[0][key]) if rows and rows[0].get(key) is not None else 0


def as_dicts(rows: list[RoundRow]) -> list[dict]:
    return [{**asdict(r), "seconds": round(r.seconds, 3)} for r in rows]
