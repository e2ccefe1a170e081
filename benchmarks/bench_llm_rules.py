"""Throughput of the offline rules provider (extract + construct) on synthetic articles in zh/en/fr/de.

Run: python benchmarks/bench_llm_rules.py [N_PER_LANG] [--compare REV]
--compare REV also times `git archive REV` of navab_graph (e.g. HEAD = before a change) in a fresh interpreter,
alternating with the work tree, and prints after/before ratios measured in the same run (the machine is shared:
compare ratios, not absolute figures across runs).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLES = {
    "zh": "外交部发言人汪文斌在北京表示，中方坚决反对外部势力干涉中国内政{i}。今天天气晴朗。我们应当维护国家主权。",
    "en": "Foreign Secretary David Lammy said Britain must support Ukraine {i}. It rained in London. "
          "The government should not raise taxes.",
    "fr": "« La France doit défendre la laïcité {i} », a déclaré Emmanuel Macron à Paris. Le gouvernement soutient "
          "la réforme.",
    "de": "Deutschland muss die Ukraine {i} unterstützen, sagte Bundeskanzler Olaf Scholz in Berlin. Die Regierung "
          "unterstützt den Plan.",
}
REPO = Path(__file__).resolve().parents[1]


def measure(n: int) -> dict:
    from navab_graph.llm import RulesProvider

    p = RulesProvider()
    p.extract("warm up jieba: 中国支持和平。", "zh")
    out = {}
    for lang, tpl in ARTICLES.items():
        t0 = time.perf_counter()
        stmts = [s.text for i in range(n) for s in p.extract(tpl.format(i=i), lang).statements]
        t1 = time.perf_counter()
        triples = [p.construct(s, lang) for s in stmts]
        t2 = time.perf_counter()
        out[lang] = {"articles_s": n / (t1 - t0), "statements": len(stmts), "triples_s": len(triples) / (t2 - t1)}
    return out


def _run(tree: str | None, n: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = (tree or str(REPO)) + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run([sys.executable, __file__, str(n), "--inner"], capture_output=True, text=True, env=env,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=500)
    ap.add_argument("--compare", default=None, help="git revision to compare with (e.g. HEAD)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        print(json.dumps(measure(args.n)))
        return
    if not args.compare:
        for lang, m in measure(args.n).items():
            print(f"{lang}: {args.n} articles extract {m['articles_s']:.0f} articles/s, {m['statements']} statements; "
                  f"construct {m['triples_s']:.0f} triples/s")
        return
    with tempfile.TemporaryDirectory() as tmp:
        arch = subprocess.run(["git", "-C", str(REPO), "archive", args.compare, "navab_graph"], capture_output=True,
                              check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=arch, check=True)
        runs = {"before": [], "after": []}
        for _ in range(args.rounds):  # alternate, so both see the same machine load
            runs["before"].append(_run(tmp, args.n))
            runs["after"].append(_run(None, args.n))
    print(f"rules provider, {args.n} articles per language, best of {args.rounds} alternating runs "
          f"(before = {args.compare}, after = work tree)")
    for lang in ARTICLES:
        b = {k: max(r[lang][k] for r in runs["before"]) for k in ("articles_s", "triples_s")}
        a = {k: max(r[lang][k] for r in runs["after"]) for k in ("articles_s", "triples_s")}
        print(f"{lang}: extract {b['articles_s']:.0f} -> {a['articles_s']:.0f} articles/s "
              f"(x{a['articles_s'] / b['articles_s']:.2f}); construct {b['triples_s']:.0f} -> {a['triples_s']:.0f} "
              f"triples/s (x{a['triples_s'] / b['triples_s']:.2f})")


if __name__ == "__main__":
    main()
