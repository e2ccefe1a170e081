"""Parameter header benchmark: time to write one UNWIND batch of article rows as FalkorDB's `CYPHER k=v`
header (navab_graph.store.falkor.params_header), next to the falkordb client's own writer.

    python benchmarks/params_header.py [--rows 5000] [--repeat 15]
Prints the best of --repeat runs for ASCII (English) and CJK (Chinese) text rows.
"""
from __future__ import annotations

import argparse
import random
import time


def rows(n: int, cjk: bool, seed: int = 0) -> list[dict]:
    rnd = random.Random(seed)
    words = ("政府 经济 合作 发展 人民 和平 安全 改革 开放 创新".split() if cjk else
             "policy government minister economy trade climate rights law security growth reform".split())
    sep = "" if cjk else " "
    return [{"id": f"bench:a{i}", "nation": "CN" if cjk else "US", "source": "bench", "title": f"Article {i}",
             "text": sep.join(rnd.choice(words) for _ in range(rnd.randint(60, 140))), "lang": "zh" if cjk else "en",
             "published": "2024-01-15", "url": f"https://news.example/{i}", "truncated": False} for i in range(n)]


def best(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def main() -> None:
    from falkordb.helpers import stringify_param_value

    from navab_graph.store.falkor import params_header

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=15)
    a = ap.parse_args()
    for label, cjk in (("ascii", False), ("cjk", True)):
        params = {"rows": rows(a.rows, cjk), "load_id": "x" * 32}
        ours = best(lambda: params_header(params), a.repeat)
        client = best(lambda: "CYPHER " + " ".join(f"{k}={stringify_param_value(v)}" for k, v in params.items()),
                      a.repeat)
        size = len(params_header(params))
        print(f"{label:5} {a.rows} rows, header {size / 1e6:5.2f} MB: params_header {ours * 1e3:7.2f} ms  "
              f"falkordb client {client * 1e3:7.2f} ms  (ratio {client / ours:4.2f}x)")


if __name__ == "__main__":
    main()
