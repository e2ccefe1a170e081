"""Conflict Reduction benchmark: the Cypher procedure set on the embedded FalkorDB vs the plain-Python
reference, on generated graphs written directly into the engine (navab_graph.reduce.synthetic).

    python benchmarks/conflict.py                  # 20k and 200k articles
    python benchmarks/conflict.py --sizes 20000 --steps
    python benchmarks/conflict.py --sizes 1000000  # the issue-16 size: 1M articles / 250k statements
    python benchmarks/conflict.py --sizes 3000 --in-links 10 --cycles-ab   # a dense context graph, as CN's

--cycles-ab also times the cycle search alone (step 4b, round 1) with both of its statements on the same graph
(08_cycles: algo.SPpaths; 08_cycles_bfs: a breadth-first shortestPath cut at max_hops), checks that both mark the
same conflicts with witnesses of the same length, and prints which one the runner picks for the graph.

Prints the exact shape of each graph, the wall time of `reduce` (up to 5 rounds; it stops after a round that
removes nothing), the reference's wall time on the same input in the same run, their ratio, whether both
removed the same statements in the same rounds, and peak RSS: this process's and the engine's (the graph lives
in the redis-server process, so its high-water mark is the figure that bounds a nation's size in memory).
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import tempfile
import time
from pathlib import Path

from navab_graph import cypher
from navab_graph.config import Settings
from navab_graph.reduce import reduce_reference
from navab_graph.reduce import runner
from navab_graph.reduce.synthetic import generate
from navab_graph.reduce.write import write_signed_graph
from navab_graph.store import base as store_base
from navab_graph.store.falkor import FalkorStore


def _engine_hwm_mb(store: FalkorStore) -> float | None:
    """VmHWM of the embedded redis-server (peak resident set), from /proc."""
    pid = store.server.pid() if store.server is not None else None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, TypeError):
        return None
    return None


def cycles_ab(store: FalkorStore, max_hops: int = 4) -> None:
    """Step 4b alone with both of its plans on the same graph (marks cleared after), and the runner's choice."""
    marked = "MATCH ()-[c:CONFLICTS]->() WHERE c.cyclic_run = $r RETURN id(c) AS e, size(c.witness) AS n"
    out = {}
    for name in (runner.ROUND_CYCLES, runner.ROUND_CYCLES_BFS):
        text = cypher.bind_bounds(cypher.get(name, "falkordb"), {"max_hops": max_hops})
        p = {"nation": "XX", "max_hops": max_hops, "key": name, "run_id": name}
        t = time.perf_counter()
        n = store.run(text, p)[0]["cyclic"]
        out[name] = (time.perf_counter() - t, n, {r["e"]: r["n"] for r in store.run(marked, {"r": name})})
        print(f"cycle search, {name:24s} {out[name][0]:7.2f} s  cyclic {n}", flush=True)
    (a_s, _, a), (b_s, _, b) = out.values()
    t = time.perf_counter()
    plan = runner.cycles_plan(store, "XX", max_hops)
    print(f"cycle search: SPpaths / shortestPath = {a_s / b_s:.2f}x | same conflicts, same witness lengths: "
          f"{a == b} | the runner takes {plan} (chosen in {time.perf_counter() - t:.2f} s)", flush=True)
    store.run("MATCH ()-[c:CONFLICTS]->() WHERE c.cyclic_run IS NOT NULL "
              "SET c.cyclic_key = NULL, c.cyclic_run = NULL, c.witness = NULL")


def bench(n: int, data_dir: Path, steps: bool, seed: int, shape: dict | None = None, ab: bool = False) -> dict:
    t = time.perf_counter()
    p = generate(n, nation="XX", seed=seed, **(shape or {}))
    gen_s = time.perf_counter() - t
    print(f"\n== {n} articles ==\nshape: {json.dumps(p.shape)}", flush=True)
    store = FalkorStore(graph=f"bench_{n}", data_dir=data_dir)
    try:
        store.drop()
        t = time.perf_counter()
        write_signed_graph(store, p.graph, "XX")
        write_s = time.perf_counter() - t
        print(f"generate {gen_s:.1f} s, write into FalkorDB {write_s:.1f} s", flush=True)
        if ab:
            cycles_ab(store)
        else:
            print(f"cycle search plan: {runner.cycles_plan(store, 'XX', 4)}", flush=True)
        timings: dict[str, float] = {}
        if steps:
            orig = runner.run_named

            def timed(st, name, params=None, write=True):
                t0 = time.perf_counter()
                try:
                    return orig(st, name, params, write=write)
                finally:
                    timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
            runner.run_named = timed
        settings = Settings(data_dir=data_dir, graph_name=f"bench_{n}")
        t = time.perf_counter()
        rows = runner.reduce_graph(store, settings, "XX", rounds=5)
        cypher_s = time.perf_counter() - t
        if steps:
            runner.run_named = store_base.run_named
        t = time.perf_counter()
        ref = reduce_reference(p.graph, rounds=5)
        ref_s = time.perf_counter() - t
        got = {r["id"]: r["round"] for r in store.run(
            "MATCH (s:Statement {nation: 'XX'}) WHERE s.removed_round IS NOT NULL "
            "RETURN s.id AS id, s.removed_round AS round")}
        same = got == {s: r.round for r in ref for s in r.removed}
        print("round  open  cyclic  removed  remaining  seconds")
        for r in rows:
            print(f"{r.round:5d} {r.open_conflicts:5d} {r.cyclic:7d} {r.removed:8d} {r.remaining:10d} {r.seconds:8.2f}")
        if steps:
            for k, v in sorted(timings.items()):
                print(f"  {k:32s} {v:7.2f} s")
        client_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine_mb = _engine_hwm_mb(store)
        print(f"reduce (Cypher, FalkorDB): {cypher_s:.2f} s, {len(rows)} rounds | reference (Python): {ref_s:.2f} s | "
              f"reference/Cypher = {ref_s / cypher_s:.2f}x | same removals and rounds: {same}", flush=True)
        print(f"peak RSS: engine (redis-server) {engine_mb if engine_mb is None else round(engine_mb, 1)} MB, "
              f"this process (generator + reference) {client_mb:.1f} MB", flush=True)
        return {"articles": n, "statements": p.shape.get("statements"), "cypher_s": cypher_s, "reference_s": ref_s,
                "same": same, "rounds": len(rows), "engine_peak_rss_mb": engine_mb, "client_peak_rss_mb": client_mb}
    finally:
        store.drop()
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20000,200000", help="Article counts, comma-separated.")
    ap.add_argument("--steps", action="store_true", help="Also print the time per Cypher step.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--context-size", type=int, default=None, help="Articles per context (generator default 40).")
    ap.add_argument("--in-links", type=int, default=None, help="LINKED per article within its context (default 2).")
    ap.add_argument("--cycles-ab", action="store_true", help="Also time step 4b alone, before vs now.")
    ap.add_argument("--data-dir", type=Path, default=None, help="Embedded engine dir (default: a temp dir).")
    a = ap.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    data_dir = a.data_dir or Path(tempfile.mkdtemp(prefix="navab_bench_"))
    shape = {k: v for k, v in (("context_size", a.context_size), ("in_links", a.in_links)) if v is not None}
    out = [bench(int(s), data_dir, a.steps, a.seed, shape, a.cycles_ab) for s in a.sizes.split(",")]
    print("\nsummary: " + json.dumps(out))


if __name__ == "__main__":
    main()
