"""Throughput of the openai provider against a REAL OpenAI-compatible server: calls/s at max_concurrency 1, 4
and 8, then the cached re-run, with the failure rate.

    python benchmarks/llm.py [--items 12] [--base-url URL --model NAME]

Without --base-url it starts `transformers serve` with the offline SmolLM2-135M-Instruct (dequantised once
into ~/.cache/navab-graph/bench-llm, as tests/llm_server.py does) on a free port, and stops it at the end.
Each concurrency level asks a fresh set of `label_topic` items (no cache hits); the cached re-run asks the last
set again through a new provider on the same data dir: zero HTTP calls. A warm-up item first lets the provider
learn which structured-output method the endpoint needs, so the levels compare the same requests.
The machine may be shared: compare the levels of one run, not absolute figures across runs.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ["pension", "election", "border", "climate", "court", "press", "tax", "school", "army", "health", "trade",
         "energy", "housing", "police", "church", "farm"]


def items(n: int, level: int) -> list[dict]:
    out = []
    for i in range(n):
        a, b = WORDS[(i + level) % len(WORDS)], WORDS[(3 * i + 2 * level + 1) % len(WORDS)]
        out.append({"keywords": [a, b, f"reform{level}{i}"], "lang": "en",
                    "docs": [f"The government must change {a} policy and {b} rules, the minister said ({level}.{i})."]})
    return out


def run_level(settings, batch: list[dict], concurrency: int):
    from navab_graph.llm import get_provider

    s = settings.model_copy(update={"llm": settings.llm.model_copy(update={"max_concurrency": concurrency})})
    p = get_provider(s)
    t0 = time.perf_counter()
    outs = p.label_topic_many(batch)
    dt = time.perf_counter() - t0
    return dt, p.usage, sum(not o.ok for o in outs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=12, help="items per concurrency level")
    ap.add_argument("--base-url", help="a running OpenAI-compatible server (default: start transformers serve)")
    ap.add_argument("--model", help="model name at --base-url")
    ap.add_argument("--levels", default="1,4,8")
    args = ap.parse_args()
    server = None
    if not args.base_url:
        sys.path.insert(0, str(REPO / "tests"))
        from llm_server import smollm2_folder, start_server

        cache = Path.home() / ".cache" / "navab-graph" / "bench-llm"
        cache.mkdir(parents=True, exist_ok=True)
        server = start_server(smollm2_folder(cache), cache / "serve.log")
        args.base_url, args.model = server.base_url, server.model
        print(f"server: transformers serve, SmolLM2-135M-Instruct (CPU), up in {server.started_s:.1f} s")
    try:
        from navab_graph.config import Settings

        data = Path(tempfile.mkdtemp(prefix="bench-llm-"))
        settings = Settings(data_dir=data, llm={"base_url": args.base_url, "model": args.model, "api_key": "sk-local",
                                                "timeout_s": 300, "parse_retries": 1,
                                                "max_tokens": {"label_topic": 24}})
        run_level(settings, items(1, 99), 1)  # warm-up: the endpoint's working method is learnt here
        last: list[dict] = []
        for level in [int(x) for x in args.levels.split(",")]:
            last = items(args.items, level)
            dt, u, failed = run_level(settings, last, level)
            print(f"max_concurrency {level}: {args.items} items in {dt:.1f} s = {args.items / dt:.2f} items/s, "
                  f"{u.calls} HTTP calls = {u.calls / dt:.2f} calls/s, {u.retried} retried, "
                  f"failure rate {failed / args.items:.0%}, {u.completion_tokens / dt:.1f} generated tokens/s")
        dt, u, failed = run_level(settings, last, 8)
        print(f"cached re-run: {args.items} items in {dt * 1000:.1f} ms = {args.items / dt:.0f} items/s, "
              f"{u.calls} HTTP calls, {u.cached} cached, failure rate {failed / args.items:.0%}")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
