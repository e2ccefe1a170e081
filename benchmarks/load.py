"""Load benchmark: articles/s for loading generated JSONL articles into the embedded FalkorDB, and peak RSS.

Each size runs in a fresh subprocess (so peak RSS is that load's alone) on a fresh data dir:
    python benchmarks/load.py [--sizes 50000 200000] [--batch 5000]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("policy government minister economy trade climate rights law security growth reform education health "
         "energy market people nation development cooperation support oppose said must should").split()


def generate(path: Path, n: int, seed: int = 0) -> int:
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 140)))
            f.write(json.dumps({"id": f"a{i}", "title": f"Article {i}", "text": text, "date": "2024-01-15",
                                "url": f"https://news.example/{i}"}) + "\n")
    return path.stat().st_size


def child(path: str, data_dir: str, batch: int) -> None:
    from navab_graph.config import Settings
    from navab_graph.stages.load import load
    from navab_graph.store import open_store

    s = Settings(data_dir=Path(data_dir), batch_size=batch)
    store = open_store(s, persistent=True)
    t0 = time.perf_counter()
    rep = load(store, s, Path(path), nation="US", source="bench", quiet=True)
    dt = time.perf_counter() - t0
    n = store.run("MATCH (a:Article) RETURN count(a) AS c", write=False)[0]["c"]
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"loaded": rep.loaded, "in_graph": n, "seconds": dt, "rss_mb": rss}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--child", nargs=2)
    a = ap.parse_args()
    if a.child:
        return child(a.child[0], a.child[1], a.batch)
    print(f"load benchmark: python {sys.version.split()[0]}, {os.cpu_count()} cores, batch {a.batch}")
    for n in a.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "news.jsonl"
            size = generate(f, n)
            out = subprocess.run([sys.executable, __file__, "--batch", str(a.batch), "--child", str(f),
                                  str(Path(tmp) / "db")], capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr[-3000:])
                raise SystemExit(1)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            from navab_graph.store.embedded import EmbeddedServer
            EmbeddedServer(Path(tmp) / "db").stop()
            print(f"{n:>8} articles  {size / 1e6:7.1f} MB JSONL  {r['seconds']:7.2f} s  "
                  f"{n / r['seconds']:9.0f} articles/s  peak RSS {r['rss_mb']:6.1f} MB  in graph {r['in_graph']}")


if __name__ == "__main__":
    main()
