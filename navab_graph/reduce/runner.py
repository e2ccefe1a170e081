"""Runs the Conflict Reduction procedure set (cypher/conflict/NN_*.cypher) round by round on a GraphStore.

Every step is one named Cypher statement with parameters; this module only sequences them, passes the
parameters and collects the counts. `dry_run` computes the same rounds with the reference implementation on a
read-only snapshot (the procedure set needs to write intermediate properties, so it cannot run read-only);
the property tests prove both give the same rounds.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass

from ..config import Settings
from ..store import GraphStore, run_named
from .model import read_graph
from .reference import reduce_reference

# One string literal per step, in order (the Cypher registry test scans the code for these names).
ISSUE_SEEDS = "conflict/01_issue_seeds"
ISSUE_PROPAGATE = "conflict/02_issue_propagate"  # repeated with its own frontier until that is empty
ROUND_CENTRALITY = ["conflict/03_project_context", "conflict/04_centrality", "conflict/05_drop_context"]
ROUND_DOMINANCE = "conflict/06_dominance"
ROUND_OPEN = "conflict/07_open_conflicts"
ROUND_CYCLES = "conflict/08_cycles"  # round 1
ROUND_CYCLES_KNOWN = "conflict/08_cycles_known"  # rounds 2+
ROUND_REMOVE = "conflict/09_remove"
ROUND_RECORD = "conflict/10_record_round"
UNDO = ["conflict/90_undo_statements", "conflict/91_undo_runs"]
MAX_PROPAGATION = 10_000


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
    if r.max_hops < 1:
        raise ValueError(f"reduce.max_hops must be >= 1 (got {r.max_hops})")
    if not 0 < r.damping < 1:
        raise ValueError(f"reduce.damping must be in (0, 1) (got {r.damping})")
    if store.engine == "falkordb" and abs(r.damping - 0.85) > 1e-12:
        raise ValueError("reduce.damping: FalkorDB's algo.pageRank has a fixed damping of 0.85; "
                         f"got {r.damping} (use Neo4j GDS for another value)")


def reduce_graph(store: GraphStore, settings: Settings, nation: str, *, rounds: int | None = None,
                 dry_run: bool = False, on_round=None) -> list[RoundRow]:
    """Run up to `rounds` rounds (default settings.reduce.rounds); stop after a round that removes nothing."""
    rounds = settings.reduce.rounds if rounds is None else rounds
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1 (got {rounds})")
    check_params(store, settings)
    if dry_run:
        return _dry_run(store, settings, nation, rounds, on_round)
    run_id = f"{nation}:{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}:{uuid.uuid4().hex[:6]}"
    base = {"nation": nation, "run_id": run_id, "graph": f"navab_cr_{nation}_{uuid.uuid4().hex[:6]}",
            **{k: v for k, v in _params(settings, rounds).items() if k != "rounds"}}
    params_json = json.dumps(_params(settings, rounds), sort_keys=True)
    out: list[RoundRow] = []
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
        cyclic = _one(run_named(store, ROUND_CYCLES if rnd == 1 else ROUND_CYCLES_KNOWN, p), "cyclic")
        removed = _one(run_named(store, ROUND_REMOVE, p), "removed")
        remaining = _one(run_named(store, ROUND_RECORD, {**p, "open_conflicts": open_c, "cyclic": cyclic,
                                                          "removed": removed, "params": params_json,
                                                          "at": _now()}), "remaining")
        row = RoundRow(rnd, open_c, cyclic, removed, remaining, time.perf_counter() - t0)
        out.append(row)
        if on_round:
            on_round(row)
        if removed == 0:
            break
    return out


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
    """Restore every statement a reduction removed; mark the nation's ReductionRun nodes undone."""
    restored = _one(run_named(store, UNDO[0], {"nation": nation}), "restored")
    runs = _one(run_named(store, UNDO[1], {"nation": nation, "at": _now()}), "runs")
    return {"restored": restored, "runs_undone": runs}


def _ids(rows: list[dict]) -> list[str]:
    return list(rows[0]["frontier"] or []) if rows else []


def _one(rows: list[dict], key: str) -> int:
    return int(rows[0][key]) if rows and rows[0].get(key) is not None else 0


def as_dicts(rows: list[RoundRow]) -> list[dict]:
    return [{**asdict(r), "seconds": round(r.seconds, 3)} for r in rows]
