"""Load benchmark: the whole `load` stage against the raw engine on the same rows, and the bulk path against MERGE.

One generated JSONL file of --articles articles; every run on a fresh data dir (its own embedded engine) in a
fresh subprocess (peak RSS is that run's alone), timed from the file (or the rows) to the last write:
  raw    the anchor: the same article rows (parsed beforehand, untimed), same properties, one plain
         `UNWIND $rows AS r MERGE (a:Article {id: r.id}) SET a += r` per --batch rows through the same client
  merge  load(..., bulk=False): read, normalise, quarantine, duplicate lookup, MERGE with sources and edges
  bulk   load(...) on a nation without articles: the bulk path (GRAPH.BULK for new ids)
The three alternate (order rotated) for --rounds rounds, so the machine's load hits them alike; ratios are
of the medians and, per round, of runs next to each other. The first round also re-loads the bulk run's
file (nothing may change) and checks that merge and bulk stored the same articles, edges and properties.
    python benchmarks/load.py [--articles 100000] [--batch 5000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import hashlib
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

WORDS = ("policy government minister economy trade climate rights law security growth reform education health "
         "energy market people nation development cooperation support oppose said must should").split()
MODES = ("raw", "merge", "bulk")
RAW = "UNWIND $rows AS r MERGE (a:Article {id: r.id}) SET a += r"


def generate(path: Path, n: int, seed: int = 0) -> int:
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 140)))
            f.write(json.dumps({"id": f"a{i}", "title": f"Article {i}", "text": text, "date": "2024-01-15",
                                "url": f"https://news.example/{i}"}) + "\n")
    return path.stat().st_size


def _rows(path: Path) -> list[dict]:
    """The article rows `load` writes for this file, with every property it sets (load_id included)."""
    from navab_graph.stages.load import _ART_KEYS
    from navab_loaders import iter_records, normalize

    out = []
    for raw in iter_records(path):
        a = normalize(raw.data, nation="US", source="bench", lang="en")
        out.append({**{k: a.get(k) for k in _ART_KEYS}, "load_id": "0" * 32})
    return out


def _state(store, props: bool) -> dict:
    """Counts, and a digest of every article's properties (load_id aside) and of its source."""
    one = lambda q: store.run(q, write=False)[0]["c"]  # noqa: E731
    out = {"articles": one("MATCH (a:Article) RETURN count(a) AS c"),
           "edges": one("MATCH (:Article)-[r:PUBLISHED_BY]->(:Source) RETURN count(r) AS c"),
           "nodes": one("MATCH (n) RETURN count(n) AS c"), "all_edges": one("MATCH ()-[r]->() RETURN count(r) AS c")}
    if props:
        h = hashlib.sha256()
        for r in store.run("MATCH (a:Article) OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source) "
                           "RETURN a AS a, s.id AS s ORDER BY a.id", write=False):
            a = {k: v for k, v in r["a"].items() if k != "load_id"}
            h.update(json.dumps([a, r["s"]], sort_keys=True).encode())
        out["digest"] = h.hexdigest()[:16]
    return out


def child(mode: str, path: str, data_dir: str, batch: int, check: bool) -> None:
    from navab_graph.config import Settings
    from navab_graph.stages.load import load
    from navab_graph.store import ensure_schema, open_store

    s = Settings(data_dir=Path(data_dir), batch_size=batch)
    store = open_store(s, persistent=True)
    out: dict = {}
    if mode == "raw":
        rows = _rows(Path(path))
        ensure_schema(store)  # the same indexes as a load
        t0 = time.perf_counter()
        for i in range(0, len(rows), batch):
            store.run(RAW, {"rows": rows[i:i + batch]})
        out["seconds"] = time.perf_counter() - t0
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # all rows are in memory
    else:
        t0 = time.perf_counter()
        rep = load(store, s, Path(path), nation="US", source="bench", quiet=True,
                   bulk=False if mode == "merge" else None)
        out["seconds"] = time.perf_counter() - t0
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["path"] = rep.write_path
        out.update(_state(store, check))
        if check and mode == "bulk":  # the same file again: nothing may change
            t0 = time.perf_counter()
            again = load(store, s, Path(path), nation="US", source="bench", quiet=True)
            out["reload_seconds"] = time.perf_counter() - t0
            out["reload_path"] = again.write_path
            out["reload_updated"] = again.updated
            out["reload"] = _state(store, True)
    out["in_graph"] = store.run("MATCH (a:Article) RETURN count(a) AS c", write=False)[0]["c"]
    store.close()
    print(json.dumps(out))


def run(mode: str, f: Path, tmp: Path, batch: int, check: bool) -> dict:
    from navab_graph.store.embedded import EmbeddedServer

    d = Path(tempfile.mkdtemp(dir=tmp, prefix=mode))
    try:
        p = subprocess.run([sys.executable, __file__, "--batch", str(batch), "--child", mode, str(f), str(d)]
                           + (["--check"] if check else []), capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stderr[-3000:])
            raise SystemExit(1)
        return json.loads(p.stdout.strip().splitlines()[-1])
    finally:
        EmbeddedServer(d).stop()
        subprocess.run(["rm", "-rf", str(d)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs=3, metavar=("MODE", "FILE", "DATA_DIR"))
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if a.child:
        return child(a.child[0], a.child[1], a.child[2], a.batch, a.check)
    n = a.articles
    print(f"load benchmark: python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, {n} articles, batch {a.batch}, {a.rounds} rounds")
    times: dict[str, list[float]] = {m: [] for m in MODES}
    ratios: dict[str, list[float]] = {"merge/raw": [], "bulk/merge": [], "bulk/raw": []}
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "news.jsonl"
        size = generate(f, n)
        print(f"file: {size / 1e6:.1f} MB JSONL")
        for rnd in range(a.rounds):
            order = MODES[rnd % 3:] + MODES[:rnd % 3]
            res = {}
            for mode in order:
                r = res[mode] = run(mode, f, Path(tmp), a.batch, check=rnd == 0)
                times[mode].append(r["seconds"])
                extra = (f"  path {r['path']:5}  edges {r['edges']}" if mode != "raw" else "")
                print(f"round {rnd + 1}  {mode:5}  {r['seconds']:7.2f} s  {n / r['seconds']:8.0f} articles/s  "
                      f"peak RSS {r['rss_mb']:6.1f} MB  in graph {r['in_graph']}{extra}  "
                      f"(load average {os.getloadavg()[0]:.1f})", flush=True)
                if r["in_graph"] != n or (mode != "raw" and r["edges"] != n):
                    raise SystemExit(f"{mode}: {r['in_graph']} articles, {r.get('edges')} edges; expected {n}")
            t = {m: res[m]["seconds"] for m in MODES}
            for k in ratios:  # throughput ratios: the anchor's time over the path's
                path, anchor = k.split("/")
                ratios[k].append(t[anchor] / t[path])
            print(f"round {rnd + 1}  load (merge) / raw {ratios['merge/raw'][-1]:.2f}x   bulk / merge "
                  f"{ratios['bulk/merge'][-1]:.2f}x   bulk / raw {ratios['bulk/raw'][-1]:.2f}x", flush=True)
            if rnd == 0:
                b, m = res["bulk"], res["merge"]
                same = {k: b[k] for k in ("articles", "edges", "nodes", "all_edges", "digest")}
                print(f"re-load of the bulk run's file: {b['reload_seconds']:.2f} s by {b['reload_path']}, "
                      f"{b['reload_updated']} updated; counts and properties unchanged: {b['reload'] == same}")
                print(f"bulk and merge stored the same articles, edges and properties: "
                      f"{same == {k: m[k] for k in same}}  (digest {b['digest']})")
    med = {m: statistics.median(t) for m, t in times.items()}
    print("median times: " + "  ".join(f"{m} {med[m]:.2f} s ({n / med[m]:.0f}/s)" for m in MODES))
    r = {k: statistics.median(v) for k, v in ratios.items()}
    span = {k: f"{min(v):.2f}-{max(v):.2f}" for k, v in ratios.items()}
    print(f"load (merge path) / raw engine: {r['merge/raw']:.2f}x median of rounds ({span['merge/raw']})  "
          "(goal >= 0.8x)")
    print(f"bulk path / merge path: {r['bulk/merge']:.2f}x median of rounds ({span['bulk/merge']})  (goal >= 3x)")
    print(f"bulk path / raw engine: {r['bulk/raw']:.2f}x median of rounds ({span['bulk/raw']})")


if __name__ == "__main__":
    main()
