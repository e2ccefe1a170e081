"""MC scoring speed: shared-prefix scorer vs the naive two-sequence scorer, same items, same run.

    OMP_WAIT_POLICY=PASSIVE python benchmarks/mc.py [--n 64] [--batch-size 8] [--repeats 3]

Model: the offline SmolLM2-135M-Instruct (GGUF, dequantised to float32) on CPU. Items: --n realistic
<Q, S, RS> triples in en/zh/fr/de (navab_eval.fixtures), scored with and without the chat template.
The CPU-side logic (items, encoding, timing, report) is shared with benchmarks/mc_gpu.py.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch: spinning threads distort a busy machine


def encode_items(tokenizer, n: int, chat_template: bool, add_bos: bool = True):
    """n token triples (ctx, cont_S, cont_RS) of realistic MC items."""
    from navab_eval.backends.base import encode_pair
    from navab_eval.fixtures import sample_records
    from navab_eval.mc import mc_requests

    items = []
    for ctx, a, b in mc_requests(sample_records(n), tokenizer, chat_template):
        c1, ta = encode_pair(tokenizer, ctx, a, add_bos)
        c2, tb = encode_pair(tokenizer, ctx, b, add_bos)
        assert c1 == c2
        items.append((c1, ta, tb))
    return items


def time_scorers(model, items, batch_size: int, max_length: int, pad_id: int, repeats: int, sync=lambda: None):
    """Best-of-`repeats` seconds for each scorer (alternating, so load drift hits both), and the max relative
    difference of their per-sequence NLLs."""
    from navab_eval.backends.scoring import naive_loglikelihood, shared_prefix_pairs

    flat = [(c, x) for c, a, b in items for x in (a, b)]

    def naive():
        return naive_loglikelihood(model, flat, 2 * batch_size, max_length, pad_id)

    def shared():
        return shared_prefix_pairs(model, items, batch_size, max_length, pad_id)

    naive(), shared()  # warm-up (allocations, kernels)
    best = {"naive": float("inf"), "shared": float("inf")}
    for _ in range(repeats):
        for name, fn in (("naive", naive), ("shared", shared)):
            sync()
            t = time.perf_counter()
            out = fn()
            sync()
            best[name] = min(best[name], time.perf_counter() - t)
    res_n, res_s = naive(), shared()
    diff = max(abs(x.nll - y.nll) / abs(y.nll) for (a, b), (c, d) in
               zip(res_s, zip(res_n[0::2], res_n[1::2])) for x, y in ((a, c), (b, d)))
    return best, diff, out


def token_stats(items):
    ctx = sum(len(c) for c, _, _ in items) / len(items)
    cont = sum((len(a) + len(b)) / 2 for _, a, b in items) / len(items)
    return ctx, cont


def report(label: str, items, best, diff) -> None:
    n = len(items)
    ctx, cont = token_stats(items)
    print(f"[{label}] {n} pairs, mean context {ctx:.1f} tokens, mean answer {cont:.1f} tokens")
    print(f"  naive two-sequence : {best['naive']:.3f} s  {n / best['naive']:.2f} pairs/s")
    print(f"  shared prefix      : {best['shared']:.3f} s  {n / best['shared']:.2f} pairs/s")
    print(f"  speed-up {best['naive'] / best['shared']:.2f}x   max relative NLL difference {diff:.2e}")


def machine_line() -> str:
    import torch

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.machine()} {os.cpu_count()} CPUs, torch {torch.__version__}, threads "
            f"{torch.get_num_threads()}, load average {load:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    from navab_eval.models import load_model

    model, tok = load_model("smollm2", device="cpu", dtype="float32")
    print(f"SmolLM2-135M-Instruct float32 CPU; {machine_line()}; batch {args.batch_size} pairs")
    for chat in (False, True):
        items = encode_items(tok, args.n, chat)
        best, diff, _ = time_scorers(model, items, args.batch_size, model.config.max_position_embeddings,
                                     tok.pad_token_id, args.repeats)
        report("chat template" if chat else "plain prompt", items, best, diff)


if __name__ == "__main__":
    main()
