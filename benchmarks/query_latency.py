"""Interactive latency of the real CLI (a subprocess per command, as a user types it) on a 1k-article graph.

    python benchmarks/query_latency.py [--articles 1000] [--runs 7] [--baseline /tmp/old]

cold: the embedded engine is not running (the command starts it, queries, and stops it again);
warm: the engine runs (`navab-graph db start`). Goals (issue 16): cold <= 2.0 s, warm <= 0.8 s wall.
Anchors measured in the same run: `python -c pass` and `import navab_graph.cli`. CPU is the command's own
user+sys time (the engine is a daemon, not counted): on a shared machine it is steadier than wall time.
--baseline DIR: the same series with another tree of the code first on PYTHONPATH (e.g. the last commit:
`git archive HEAD navab_graph cypher loaders | tar -x -C /tmp/old`), on its own data dir, for ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = "MATCH (a:Article) RETURN count(a)"
WORDS = ("policy government minister economy trade climate rights law security growth reform education health "
         "energy market people nation development cooperation support oppose said must should").split()
CLI = [sys.executable, "-m", "navab_graph"]


def _env(data_dir: Path, code: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAVAB_")}
    env.update({"NAVAB_DATA_DIR": str(data_dir), "COLUMNS": "120"})
    if code is not None:
        env["PYTHONPATH"] = f"{code}:{code / 'loaders'}"
        env["NAVAB_CYPHER_DIR"] = str(code / "cypher")
    return env


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=Path(env["NAVAB_DATA_DIR"]).parent)
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
    return dt, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime


def _series(cmd: list[str], env: dict, n: int) -> tuple[list[float], list[float]]:
    runs = [_timed(cmd, env) for _ in range(n)]
    return [w for w, _ in runs], [c for _, c in runs]


def _stats(s: tuple[list[float], list[float]]) -> str:
    wall, cpu = s
    return (f"wall median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}); "
            f"CPU median {statistics.median(cpu):.2f} s (n={len(wall)})")


def _cold_warm(d: Path, src: Path, code: Path | None, runs: int) -> dict:
    env = _env(d, code)
    load_s, _ = _timed(CLI + ["--quiet", "load", str(src), "--nation", "US"], env)
    out = subprocess.run(CLI + ["cypher", QUERY, "--json"], env=env, capture_output=True, text=True,
                         cwd=d.parent).stdout
    cold = _series(CLI + ["cypher", QUERY], env, runs)
    _timed(CLI + ["db", "start"], env)
    try:
        warm = _series(CLI + ["cypher", QUERY], env, runs)
    finally:
        _timed(CLI + ["db", "stop"], env)
    imp = _series([sys.executable, "-c", "import navab_graph.cli"], env, runs)
    return {"load": load_s, "count": json.loads(out)[0]["count(a)"], "cold": cold, "warm": warm, "import": imp}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--baseline", type=Path, help="another tree of the code (navab_graph/, cypher/, loaders/)")
    a = ap.parse_args()
    print(f"query latency: python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} (shared machine: figures are noisy; compare within one run)")
    with tempfile.TemporaryDirectory(prefix="navab-lat-") as tmp:
        src = Path(tmp) / "news.jsonl"
        rnd = random.Random(0)
        with open(src, "w") as f:
            for i in range(a.articles):
                text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(150, 350)))
                f.write(json.dumps({"id": f"a{i}", "title": f"Article {i}", "text": text, "date": "2024-01-15"}) + "\n")
        py = _series([sys.executable, "-c", "pass"], _env(Path(tmp) / "none"), a.runs)
        print(f"python -c pass             : {_stats(py)}")
        trees = [("this tree", None)] + ([(f"baseline {a.baseline}", a.baseline)] if a.baseline else [])
        res = {}
        for name, code in trees:
            r = res[name] = _cold_warm(Path(tmp) / f"db{len(res)}", src, code, a.runs)
            print(f"[{name}] {a.articles} articles loaded in {r['load']:.2f} s (whole `load` command); "
                  f"count = {r['count']}")
            print(f"[{name}] import navab_graph.cli : {_stats(r['import'])}")
            print(f"[{name}] cold cypher (engine off): {_stats(r['cold'])}")
            print(f"[{name}] warm cypher (db start)  : {_stats(r['warm'])}")
        mine = res["this tree"]
        cold, warm = statistics.median(mine["cold"][0]), statistics.median(mine["warm"][0])
        print(f"goals: cold {cold:.2f} s <= 2.0 s: {'met' if cold <= 2.0 else 'NOT met'}; "
              f"warm {warm:.2f} s <= 0.8 s: {'met' if warm <= 0.8 else 'NOT met'}")
        if a.baseline:
            base = res[trees[1][0]]
            for k in ("cold", "warm"):
                bw, bc = statistics.median(base[k][0]), statistics.median(base[k][1])
                mw, mc = statistics.median(mine[k][0]), statistics.median(mine[k][1])
                print(f"{k}: baseline / this tree = {bw / mw:.2f}x wall, {bc / mc:.2f}x CPU")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
