"""Benchmark of the topic stage: wall time and peak RSS of `run_topics` on generated articles.

Usage: python benchmarks/topics.py [--sizes 10000 100000] [--lang en] [--data-dir /tmp/navab_bench_topics]

Each size runs in its own child process (clean peak RSS, cold embedding cache): articles from the synthetic
generator (6 topics, 10% mixed articles) are loaded into an embedded FalkorDB graph first, untimed; then the
child runs the whole topic stage (embed with the offline USE model, BERTopic fit, outliers, keywords, graph write)
and prints its figures. The goal is 100k articles under 5 minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _settings(data_dir: str, graph: str):
    from navab_graph.config import Settings

    return Settings(data_dir=Path(data_dir), graph_name=graph)


def prepare(n: int, lang: str, data_dir: str, graph: str) -> str:
    from navab_graph.stages.load import load
    from navab_graph.store import open_store
    from navab_graph.topics.synthetic import NATION_OF, TOPICS, generate

    per_topic = -(-n // len(TOPICS))
    arts = generate(lang, per_topic, seed=7, mixed=0.1)[:n]
    path = Path(tempfile.mkdtemp()) / f"bench_{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for a in arts:
            f.write(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}, ensure_ascii=False) + "\n")
    s = _settings(data_dir, graph)
    store = open_store(s, persistent=True)
    try:
        load(store, s, path, nation=NATION_OF[lang], lang=lang, quiet=True)
    finally:
        store.close()
    path.unlink()
    return NATION_OF[lang]


def child(nation: str, data_dir: str, graph: str) -> None:
    from navab_graph.stages.topics import run_topics
    from navab_graph.store import open_store

    s = _settings(data_dir, graph)
    s = s.model_copy(update={"embedding": s.embedding.model_copy(update={"cache": False})})
    store = open_store(s, persistent=True)
    t0 = time.perf_counter()
    try:
        rep = run_topics(store, s, nation, quiet=True)
    finally:
        store.close()
    wall = time.perf_counter() - t0
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": rep.articles, "wall_s": round(wall, 1), "peak_rss_mib": round(rss_mib),
                      "topics": rep.topics, "outliers": rep.outliers, "min_cluster_size": rep.min_cluster_size,
                      "phases_s": rep.seconds, "assigned_by": rep.assigned_by}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "navab_bench_topics"))
    ap.add_argument("--child", nargs=2, metavar=("NATION", "GRAPH"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.data_dir, a.child[1])
        return
    print(f"# topic stage benchmark; {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"load average at start {os.getloadavg()[0]:.1f}", flush=True)
    for n in a.sizes:
        graph = f"bench_topics_{n}"
        t0 = time.perf_counter()
        nation = prepare(n, a.lang, a.data_dir, graph)
        print(f"prepared {n} articles ({nation}) in {time.perf_counter() - t0:.0f} s (untimed)", flush=True)
        out = subprocess.run([sys.executable, __file__, "--data-dir", a.data_dir, "--child", nation, graph],
                             capture_output=True, text=True)
        line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if out.returncode != 0 or not line:
            print(f"size {n}: FAILED rc={out.returncode}\n{out.stderr[-2000:]}", flush=True)
            continue
        r = json.loads(line[-1])
        print(f"size {r['articles']}: wall {r['wall_s']} s, peak RSS {r['peak_rss_mib']} MiB, topics {r['topics']}, "
              f"outliers {r['outliers']}, min_cluster_size {r['min_cluster_size']}, phases {r['phases_s']}, "
              f"load average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
