"""Throughput of the offline rules provider (extract + construct) on synthetic articles in zh/en/fr/de.

Run: python benchmarks/bench_llm_rules.py [N_PER_LANG]
"""
from __future__ import annotations

import sys
import time

from navab_graph.llm import RulesProvider

ARTICLES = {
    "zh": "外交部发言人汪文斌在北京表示，中方坚决反对外部势力干涉中国内政{i}。今天天气晴朗。我们应当维护国家主权。",
    "en": "Foreign Secretary David Lammy said Britain must support Ukraine {i}. It rained in London. "
          "The government should not raise taxes.",
    "fr": "« La France doit défendre la laïcité {i} », a déclaré Emmanuel Macron à Paris. Le gouvernement soutient "
          "la réforme.",
    "de": "Deutschland muss die Ukraine {i} unterstützen, sagte Bundeskanzler Olaf Scholz in Berlin. Die Regierung "
          "unterstützt den Plan.",
}


def main(n: int) -> None:
    p = RulesProvider()
    p.extract("warm up jieba: 中国支持和平。", "zh")
    for lang, tpl in ARTICLES.items():
        t0 = time.perf_counter()
        stmts = [s.text for i in range(n) for s in p.extract(tpl.format(i=i), lang).statements]
        t1 = time.perf_counter()
        triples = [p.construct(s, lang) for s in stmts]
        t2 = time.perf_counter()
        print(f"{lang}: {n} articles extract {n / (t1 - t0):.0f} articles/s, {len(stmts)} statements; "
              f"construct {len(triples) / (t2 - t1):.0f} triples/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
