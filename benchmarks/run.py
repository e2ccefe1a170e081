"""Real-size, multi-language `navab-graph run` (issue 18): time per stage and peak RSS, on the embedded engine.

Usage: python benchmarks/run.py [--per-nation 3000] [--nations CN,DE,FR,US] [--data-dir DIR] [--keep]

Corpus per nation (zh, de, fr, en): the nation's sample articles (examples/data/<NATION>.jsonl: stance sentences
the offline rules provider extracts, planted conflicts; at most half of the corpus) padded to 1,000-2,000
characters with plain reporting and bylines, then generated long articles (navab_graph.topics.synthetic.long_corpus,
six topics; on a value topic 3 stance sentences among plain reporting) up to --per-nation. Both carry what real
news mixes and what broke the engine in issue 18: full-width colons and quotes in Chinese, « » with no-break
spaces, „ “, ß, umlauts, accents, Latin abbreviations and emoji inside Chinese text.

The whole `navab-graph run -n CN -n DE -n FR -n US <files>` (load -> topics -> screen -> extract -> construct ->
link -> reduce -> export) runs in a child process on a fresh data folder with a cold embedding cache; it prints
the seconds of every stage of every nation (as the run records them), the wall time, and peak RSS of the run's
process and of the engine (redis-server, where the graph lives).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATION_LANG = {"CN": "zh", "DE": "de", "FR": "fr", "US": "en"}
SEP = {"zh": ""}
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def corpus(nation: str, n: int, seed: int = 7, min_chars: int = 1000, max_chars: int = 2000) -> list[dict]:
    """n articles for a nation: its sample articles padded to realistic length, then generated long ones."""
    from navab_graph.topics.synthetic import EXTRA, NEUTRAL, WHO, long_corpus

    lang = NATION_LANG[nation]
    rng = random.Random(f"run-bench:{seed}:{nation}")
    sample = [json.loads(line) for line in (ROOT / "examples" / "data" / f"{nation}.jsonl").open(encoding="utf-8")]
    rows = []
    for r in sample[:min(len(sample), max(n // 2, 1))]:  # half of a small corpus at most: both kinds in a smoke run
        want = rng.randint(min_chars, max_chars)
        # padded with plain reporting and bylines (no value cues, no other topic): the sample's own stance
        # sentences stay its statements and its topic stays its topic
        pad: list[str] = []
        while len(r["text"]) + sum(map(len, pad)) < want:
            pool = EXTRA[lang] if rng.random() < 0.3 else NEUTRAL[lang]
            pad.append(rng.choice(pool).format(n=rng.randint(2, 99), who=rng.choice(WHO[lang])))
        rows.append({**r, "text": r["text"] + "\n\n" + SEP.get(lang, " ").join(pad)})
    # value-topic articles state 3 of their topic's sentences among plain reporting (~1-3 statements an article,
    # as the 7,282 real Chinese articles gave 10,167)
    for a in long_corpus(lang, max(0, n - len(rows)), seed=seed, min_chars=min_chars, max_chars=max_chars,
                         nation=nation, value_sentences=3):
        rows.append({"id": a["id"], "title": a["title"], "text": a["text"], "source": f"{nation.lower()}-wire"})
    return rows


def write_corpus(folder: Path, nations: list[str], per_nation: int, seed: int = 7, **kw) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for nation in nations:
        path = folder / f"{nation}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for r in corpus(nation, per_nation, seed, **kw):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def _engine_hwm_mb(data_dir: Path) -> float | None:
    try:
        pid = int((data_dir / "falkordb.pid").read_text().strip())
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def child(data_dir: Path, nations: list[str], paths: list[Path], out: Path) -> None:
    """The run, as `navab-graph run` does it, in this process; then the figures as one JSON line."""
    from navab_graph.config import Settings
    from navab_graph.pipeline import run
    from navab_graph.store import open_store

    settings = Settings(data_dir=data_dir)
    store = open_store(settings, persistent=True)  # kept up until the engine's peak RSS is read
    t0 = time.perf_counter()
    results = {}
    try:
        for nation in nations:
            mine = [p for p in paths if p.name.split(".")[0] == nation]
            res = run(store, settings, nation, mine, out=out, quiet=True)
            results[nation] = [{"stage": r.stage, "status": r.status, "seconds": round(r.seconds, 1),
                                "summary": r.summary} for r in res]
        wall = time.perf_counter() - t0
        engine_mb = _engine_hwm_mb(data_dir)
    finally:
        store.close()
        from navab_graph.store.embedded import EmbeddedServer

        EmbeddedServer(data_dir).stop()
    print(json.dumps({"wall_s": round(wall, 1), "results": results, "engine_peak_rss_mb": engine_mb,
                      "client_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _brief(stage: str, s: dict) -> str:
    keys = {"load": ("loaded", "quarantined"), "topics": ("topics", "outliers", "embedded", "embed_docs_per_s"),
            "screen": ("value_related", "topics"), "extract": ("statements", "articles"),
            "construct": ("triples", "failed"), "link": ("conflicts", "agrees", "embedded", "embed_docs_per_s"),
            "reduce": ("removed", "rounds")}.get(stage, ())
    got = {k: s[k] for k in keys if k in s}
    if stage == "export":
        # triples written per variant (counts per set), and the statements CR removed that with_cr left out
        got = {k: sum(c.get("total", 0) for c in (v.get("counts") or {}).values()) for k, v in s.items()
               if isinstance(v, dict)}
        got["removed_skipped"] = (s.get("with_cr") or {}).get("removed_skipped")
    return ", ".join(f"{k} {v}" for k, v in got.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-nation", type=int, default=3000)
    ap.add_argument("--nations", default="CN,DE,FR,US")
    ap.add_argument("--data-dir", default=None, help="fresh folder for the engine and caches (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the data folder and snapshots")
    ap.add_argument("--child", nargs=3, metavar=("DATA", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    nations = [n.strip().upper() for n in a.nations.split(",") if n.strip()]
    if a.child:
        data, folder, out = map(Path, a.child)
        child(data, nations, sorted(folder.glob("*.jsonl")), out)
        return
    work = Path(a.data_dir or tempfile.mkdtemp(prefix="navab_bench_run_"))
    if work.exists() and any(work.iterdir()) and a.data_dir:
        sys.exit(f"{work} is not empty: the benchmark needs a fresh folder (cold cache, empty graph)")
    folder, data, out = work / "corpus", work / "data", work / "snapshots"
    print(f"# run benchmark; {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"load average at start {os.getloadavg()[0]:.1f}", flush=True)
    t0 = time.perf_counter()
    paths = write_corpus(folder, nations, a.per_nation)
    chars = {p.stem: [len(json.loads(x)["text"]) for x in p.open(encoding="utf-8")] for p in paths}
    print(f"corpus: {', '.join(f'{k} {len(v)} articles, {sum(v) // len(v)} chars mean' for k, v in chars.items())} "
          f"(written in {time.perf_counter() - t0:.0f} s, untimed)", flush=True)
    proc = subprocess.run([sys.executable, __file__, "--nations", ",".join(nations), "--child", str(data),
                           str(folder), str(out)], capture_output=True, text=True)
    from navab_graph.store.embedded import EmbeddedServer

    EmbeddedServer(data).stop()  # normally stopped by the child already; not left running after a failure
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not line:
        print(f"FAILED rc={proc.returncode}\n{proc.stderr[-3000:]}", flush=True)
        sys.exit(1)
    r = json.loads(line[-1])
    for nation, stages in r["results"].items():
        for s in stages:
            print(f"{nation} {s['stage']:<9} {s['status']:<7} {s['seconds']:>8.1f} s  {_brief(s['stage'], s['summary'])}")
    total = {}
    for stages in r["results"].values():
        for s in stages:
            total[s["stage"]] = total.get(s["stage"], 0.0) + s["seconds"]
    print("all nations: " + ", ".join(f"{k} {v:.1f} s" for k, v in total.items()))
    print(f"wall {r['wall_s']} s for {sum(len(v) for v in chars.values())} articles; peak RSS: run process "
          f"{r['client_peak_rss_mb']:.0f} MB, engine {r['engine_peak_rss_mb'] and round(r['engine_peak_rss_mb'])} MB; "
          f"load average now {os.getloadavg()[0]:.1f}", flush=True)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
