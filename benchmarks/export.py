"""Throughput of snapshot export, import-results and snapshot diff on a synthetic nation (embedded FalkorDB).

Usage: python benchmarks/export.py [--articles 10000]
Prints: statements loaded, export seconds and statements/s (parquet + jsonl), whether a re-export is
byte-identical, import-results items/s (first import and idempotent re-import), diff seconds.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from navab_graph.config import Settings
from navab_graph.export import export_nation
from navab_graph.export.diff import diff_snapshots
from navab_graph.stages.load import load
from navab_graph.stages.results import import_results
from navab_graph.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="navab-export-bench-"))
    settings = Settings(data_dir=tmp / ".navab", graph_name="bench")
    news = tmp / "news.jsonl"
    with open(news, "w", encoding="utf-8") as f:
        for i in range(args.articles):
            sts = [{"text": f"中国坚持和平发展道路，第{i}条。", "question": f"中国的立场是什么？{i}",
                    "reverse": f"中国放弃和平发展道路，第{i}条。", "speaker": f"发言人{i % 50}", "kind": "quoted"},
                   {"text": f"The government supports open trade, item {i}.", "question": f"Trade? {i}",
                    "reverse": f"The government opposes open trade, item {i}.", "kind": "official"}]
            f.write(json.dumps({"id": f"a{i}", "text": f"正文 {i}", "url": f"https://x.cn/{i}",
                                "published": "2024-01-01", "statements": sts}, ensure_ascii=False) + "\n")
    store = open_store(settings)
    try:
        rep = load(store, settings, news, nation="CN", source="xinhua", quiet=True)
        print(f"loaded articles={rep.loaded} statements={rep.statements} in {rep.seconds:.1f}s")
        t0 = time.perf_counter()
        ex = export_nation(store, settings, "CN", tmp / "v1", quiet=True)
        dt = time.perf_counter() - t0
        n = sum(c["total"] for c in ex.counts.values())
        print(f"export: {n} triples in {dt:.2f}s = {n / dt:.0f} triples/s (parquet+jsonl)")
        export_nation(store, settings, "CN", tmp / "v2", quiet=True)
        same = all((tmp / "v1/CN" / k).read_bytes() == (tmp / "v2/CN" / k).read_bytes() for k in ex.files)
        print(f"re-export byte-identical: {same}")
        items = tmp / "res" / "items.jsonl"
        items.parent.mkdir()
        with open(items, "w", encoding="utf-8") as f:
            for set_name in ("quoted", "official"):
                for line in open(tmp / f"v1/CN/{set_name}.jsonl", encoding="utf-8"):
                    r = json.loads(line)
                    f.write(json.dumps({"id": r["id"], "nation": "CN", "set": set_name, "split": r["split"],
                                        "method": "mc", "model": "bench", "backend": "hf",
                                        "correct": hash(r["id"]) % 3 != 0, "ppl_s": 10.0, "ppl_rs": 12.0}) + "\n")
        for label in ("import-results", "re-import (idempotent)"):
            t0 = time.perf_counter()
            ir = import_results(store, settings, items.parent, quiet=True)
            dt = time.perf_counter() - t0
            print(f"{label}: {ir.imported} items in {dt:.2f}s = {ir.imported / dt:.0f} items/s")
        t0 = time.perf_counter()
        d = diff_snapshots(tmp / "v1", tmp / "v2")["CN"]
        print(f"snapshot diff: {d['a']} vs {d['b']} triples in {time.perf_counter() - t0:.2f}s "
              f"(changed={d['changed']})")
    finally:
        store.drop()
        store.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
