"""Benchmark of the topic stage: wall time per sub-step, embedding rate, quality (ARI) and peak RSS of `run_topics`.

Usage: python benchmarks/topics.py [--sizes 10000 100000] [--corpus short|long] [--lang en] [--compare]
                                   [--data-dir /tmp/navab_bench_topics]

Each size runs in its own child process (clean peak RSS, cold embedding cache): articles from the synthetic
generator are loaded into an embedded FalkorDB graph first, untimed; then the child runs the whole topic stage
(embed with the offline USE model, BERTopic fit, outliers, keywords, graph write) and prints its figures.
- `--corpus short`: navab_graph.topics.synthetic.generate (6 topics, 10% mixed articles, ~280 characters);
  `--corpus long`: long_corpus (6 topics, 1,000-2,000 characters, mixed-width punctuation; issue 18's 7k real
  Chinese articles are ~1,200 characters).
- quality: adjusted Rand index of the final assignment against the generator's topics, and purity (share of
  articles whose topic's majority label is their own: 1.0 when topics only split true ones).
- `--package-forward`: the offline USE model computed by its package's own pass (A/B of embed/use_fast.py).
- `--compare`: the same size also runs as before issues 16/18 (USE with 2 BLAS threads in one process and no token
  limit, pynndescent neighbours, UMAP's spectral initial layout, the 2-D map after the 5-D UMAP instead of beside
  it; only the jieba cache stays): the ratio is printed from the same run.
The goal is 100k articles under 5 minutes on 2 cores.
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
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _settings(data_dir: str, graph: str, before: bool = False):
    from navab_graph.config import Settings

    emb = {"cache": False, "package_forward": os.environ.get("BENCH_PACKAGE_FORWARD") == "1"}
    if before:
        emb.update(threads=2, processes=1, max_tokens=0, package_forward=True)
    return Settings(data_dir=Path(data_dir), graph_name=graph, embedding=emb)


def _articles(n: int, lang: str, kind: str) -> list[dict]:
    from navab_graph.topics.synthetic import TOPICS, generate, long_corpus

    if kind == "long":
        return long_corpus(lang, n, seed=7)
    return generate(lang, -(-n // len(TOPICS)), seed=7, mixed=0.1)[:n]


def prepare(n: int, lang: str, kind: str, data_dir: str, graph: str) -> str:
    from navab_graph.stages.load import load
    from navab_graph.store import open_store
    from navab_graph.topics.synthetic import NATION_OF

    path = Path(tempfile.mkdtemp()) / f"bench_{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for a in _articles(n, lang, kind):
            f.write(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}, ensure_ascii=False) + "\n")
    s = _settings(data_dir, graph)
    store = open_store(s, persistent=True)
    try:
        load(store, s, path, nation=NATION_OF[lang], lang=lang, quiet=True)
    finally:
        store.close()
    path.unlink()
    return NATION_OF[lang]


def quality(store, nation: str, n: int, lang: str, kind: str) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from navab_graph.store import run_named

    truth = {f"bench_{n}:{a['id']}": a["topic"] for a in _articles(n, lang, kind)}
    pts = run_named(store, "topics/map", {"nation": nation}, write=False)
    got = {p["id"]: p["topic"] for p in pts if p["id"] in truth}
    ids = sorted(got)
    major = {}
    for t in set(got.values()):
        major[t] = Counter(truth[i] for i in ids if got[i] == t).most_common(1)[0][0]
    return {"ari": round(adjusted_rand_score([truth[i] for i in ids], [got[i] for i in ids]), 3),
            "purity": round(sum(truth[i] == major[got[i]] for i in ids) / len(ids), 3)}


def child(nation: str, data_dir: str, graph: str, n: int, lang: str, kind: str, before: bool) -> None:
    from navab_graph.stages.topics import run_topics
    from navab_graph.store import open_store
    from navab_graph.topics import model

    if before:  # as the stage ran before issues 16/18
        model.MAP_PROCESS_MIN = 1 << 62  # the 2-D map after the 5-D UMAP, in this process
        model.PCA_INIT_MIN = 1 << 62  # UMAP's spectral initial layout at every size
        model.EXACT_KNN_MAX = 0  # pynndescent for the shared neighbour graph from 4,096 documents
    s = _settings(data_dir, graph, before)
    store = open_store(s, persistent=True)
    t0 = time.perf_counter()
    try:
        rep = run_topics(store, s, nation, quiet=True)
        wall = time.perf_counter() - t0
        q = quality(store, nation, n, lang, kind)
    finally:
        store.close()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": rep.articles, "wall_s": round(wall, 1), "peak_rss_mib": round(rss_mib),
                      "topics": rep.topics, "outliers": rep.outliers, "min_cluster_size": rep.min_cluster_size,
                      "embed_docs_per_s": rep.embed_docs_per_s, "max_tokens": rep.embed_max_tokens,
                      "phases_s": rep.seconds, "assigned_by": rep.assigned_by, **q}))


def _line(label: str, r: dict) -> str:
    ph = r["phases_s"]
    sub = ", ".join(f"{k[4:]} {v}" for k, v in ph.items() if k.startswith("fit."))
    return (f"{label}: wall {r['wall_s']} s | embed {ph.get('embed')} s ({r['embed_docs_per_s']} docs/s, "
            f"max_tokens {r['max_tokens']}) | fit {ph.get('fit')} s [{sub}] | outliers {ph.get('outliers')} s | "
            f"keywords {ph.get('represent')} s | write {ph.get('write')} s || topics {r['topics']}, outliers "
            f"{r['outliers']}, min_cluster_size {r['min_cluster_size']}, ARI {r['ari']}, purity {r['purity']}, "
            f"peak RSS {r['peak_rss_mib']} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--corpus", choices=["short", "long"], default="short")
    ap.add_argument("--compare", action="store_true", help="also run each size as before (same run, ratio)")
    ap.add_argument("--package-forward", action="store_true", help="USE with its package's own forward pass and "
                    "tokenizer (embedding.package_forward), everything else as now: the A/B of use_fast.py")
    ap.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "navab_bench_topics"))
    ap.add_argument("--child", nargs=4, metavar=("NATION", "GRAPH", "N", "BEFORE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        nation, graph, n, before = a.child
        child(nation, a.data_dir, graph, int(n), a.lang, a.corpus, before == "1")
        return
    if a.package_forward:
        os.environ["BENCH_PACKAGE_FORWARD"] = "1"  # read by the children's _settings
    print(f"# topic stage benchmark ({a.corpus} {a.lang} articles); {platform.machine()}, {os.cpu_count()} CPUs, "
          f"python {platform.python_version()}, load average at start {os.getloadavg()[0]:.1f}"
          + ("; USE by its package's own pass" if a.package_forward else ""), flush=True)
    # numba compiles UMAP / pynndescent / HDBSCAN code once and caches it on disk: a small untimed run first, so
    # that no measured child (and not only the first) pays the compile
    # (5,000 articles: above 4,096 the shared kNN graph takes the pynndescent path, which compiles too)
    warm = f"bench_topics_warmup_{a.lang}"
    nation = prepare(5000, a.lang, "short", a.data_dir, warm)
    subprocess.run([sys.executable, __file__, "--data-dir", a.data_dir, "--lang", a.lang, "--corpus", "short",
                    "--child", nation, warm, "5000", "0"], capture_output=True, text=True)
    print("warm-up run (5,000 articles, compiles numba code; untimed) done", flush=True)
    try:
        _sizes(a)
    finally:
        from navab_graph.store.embedded import EmbeddedServer

        EmbeddedServer(Path(a.data_dir)).stop()  # prepare and the children keep it up between them


def _sizes(a) -> None:
    for n in a.sizes:
        graph = f"bench_topics_{a.corpus}_{a.lang}_{n}"
        t0 = time.perf_counter()
        nation = prepare(n, a.lang, a.corpus, a.data_dir, graph)
        print(f"prepared {n} articles ({nation}) in {time.perf_counter() - t0:.0f} s (untimed)", flush=True)
        got = {}
        for before in ([False, True] if a.compare else [False]):
            out = subprocess.run([sys.executable, __file__, "--data-dir", a.data_dir, "--lang", a.lang, "--corpus",
                                  a.corpus, "--child", nation, graph, str(n), "1" if before else "0"],
                                 capture_output=True, text=True)
            line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
            if out.returncode != 0 or not line:
                print(f"size {n}: FAILED rc={out.returncode}\n{out.stderr[-2000:]}", flush=True)
                break
            got[before] = json.loads(line[-1])
            print(_line(f"size {n} {'before' if before else 'now'}", got[before]) +
                  f" | load average now {os.getloadavg()[0]:.1f}", flush=True)
        if len(got) == 2:
            print(f"size {n}: now / before wall = {got[False]['wall_s'] / got[True]['wall_s']:.2f}, embedding "
                  f"{got[False]['embed_docs_per_s'] / max(got[True]['embed_docs_per_s'], 1e-9):.2f}x docs/s; ARI "
                  f"{got[True]['ari']} -> {got[False]['ari']}", flush=True)


if __name__ == "__main__":
    main()
