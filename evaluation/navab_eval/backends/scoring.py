"""Token-level scoring with a transformers causal LM: the naive two-sequence path and the shared-prefix path.

Hand-written because no library scores two continuations from one cached prefix: lm-evaluation-harness runs
one full sequence per (context, continuation); vLLM shares prefixes only inside its own engine.

Shared prefix (per item): sequences a = ctx+cont_a and b = ctx+cont_b agree on their first k tokens (at least
the context, often more: S and RS tend to start alike). One forward pass over those m <= k tokens fills a KV
cache and yields the logits of every shared position; one batched pass per item pair then runs only the
differing tails of a and b on top of the cache (duplicated per row). The logits equal those of the naive
full-sequence pass up to float rounding (tests assert it).
"""
from __future__ import annotations

import inspect
from typing import Sequence

import torch

from .base import LogLik

Pair = tuple[list[int], list[int]]


def _cache_kwarg(model) -> str:
    # transformers 5.x renamed `past_key_values` to `cache`; accept both.
    return "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"


def _gather(logits: torch.Tensor, targets: list[int]) -> tuple[float, bool]:
    """Sum of log-probs of targets under logits (T, V) and whether every target is the argmax."""
    logp = torch.log_softmax(logits.float(), dim=-1)
    tgt = torch.tensor(targets, device=logits.device)
    total = logp.gather(-1, tgt[:, None]).sum().item()
    greedy = bool((logp.argmax(-1) == tgt).all().item())
    return total, greedy


def _merge(parts: list[tuple[float, bool]], n: int, truncated: bool = False) -> LogLik:
    return LogLik(sum(p[0] for p in parts), n, all(p[1] for p in parts), truncated)


@torch.inference_mode()
def naive_loglikelihood(model, pairs: Sequence[Pair], batch_size: int, max_length: int, pad_id: int,
                        ) -> list[LogLik]:
    """lm-evaluation-harness's scoring: one full forward pass per (ctx, cont), right-padded batches sorted by
    length (longest first), input cut from the left to max_length (flagged in LogLik.truncated).
    -> results in input order."""
    device = next(model.parameters()).device
    order = sorted(range(len(pairs)), key=lambda i: -(len(pairs[i][0]) + len(pairs[i][1])))
    out: list[LogLik | None] = [None] * len(pairs)
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        inps = []
        for i in idx:
            ctx, cont = pairs[i]
            full = ctx + cont
            inps.append(full[-(max_length + 1):][:-1])
        width = max(len(x) for x in inps)
        ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for r, x in enumerate(inps):
            ids[r, :len(x)] = torch.tensor(x)
            mask[r, :len(x)] = 1
        logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
        for r, i in enumerate(idx):
            cont = pairs[i][1]
            n = len(inps[r])
            cut = len(pairs[i][0]) + len(cont) - 1 > max_length
            out[i] = _merge([_gather(logits[r, n - len(cont):n], cont)], len(cont), cut)
    return out  # type: ignore[return-value]


def _plan(ctx: list[int], a: list[int], b: list[int]) -> int:
    """Number m of leading tokens computed once for both sequences (0: use the naive path)."""
    fa, fb = ctx + a, ctx + b
    k = 0
    for x, y in zip(fa, fb):
        if x != y:
            break
        k += 1
    # each tail keeps at least one input token so both rows of the second pass are non-empty
    return max(0, min(k, len(fa) - 2, len(fb) - 2))


@torch.inference_mode()
def shared_prefix_pairs(model, items: Sequence[tuple[list[int], list[int], list[int]]], batch_size: int,
                        max_length: int, pad_id: int) -> list[tuple[LogLik, LogLik]]:
    """Score (ctx, cont_a, cont_b) token triples with one prefix pass per item (see module doc).

    Items too long for the model (truncated from the left like the naive path) or with nothing to share go
    through :func:`naive_loglikelihood`. -> results in input order.
    """
    from transformers import DynamicCache

    device = next(model.parameters()).device
    cache_kw = _cache_kwarg(model)
    out: list[tuple[LogLik, LogLik] | None] = [None] * len(items)
    plans = [_plan(*it) for it in items]
    fallback = [i for i, (c, a, b) in enumerate(items)
                if plans[i] < 1 or max(len(c) + len(a), len(c) + len(b)) - 1 > max_length]
    if fallback:
        flat = [(items[i][0], x) for i in fallback for x in (items[i][1], items[i][2])]
        res = naive_loglikelihood(model, flat, batch_size * 2, max_length, pad_id)
        for j, i in enumerate(fallback):
            out[i] = (res[2 * j], res[2 * j + 1])
    skip = set(fallback)
    order = sorted((i for i in range(len(items)) if i not in skip),
                   key=lambda i: -(len(items[i][0]) + max(len(items[i][1]), len(items[i][2]))))
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        ms = [plans[i] for i in idx]
        fulls = [(items[i][0] + items[i][1], items[i][0] + items[i][2]) for i in idx]
        ctx_lens = [len(items[i][0]) for i in idx]
        # --- pass 1: shared prefixes, left-padded so every row's last prefix token sits at the same column
        width = max(ms)
        ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        pos = torch.zeros((len(idx), width), dtype=torch.long)
        for r, m in enumerate(ms):
            ids[r, width - m:] = torch.tensor(fulls[r][0][:m])
            mask[r, width - m:] = 1
            pos[r, width - m:] = torch.arange(m)
        # logits of shared positions ctx_len-1 .. m-1 (they predict continuation tokens)
        keep = max(1, max(m - c + 1 for m, c in zip(ms, ctx_lens)))
        cache = DynamicCache(config=model.config)
        pre_logits = model(input_ids=ids.to(device), attention_mask=mask.to(device), position_ids=pos.to(device),
                           use_cache=True, logits_to_keep=keep, **{cache_kw: cache}).logits
        # --- pass 2: both tails per item on top of the duplicated cache rows (a then b)
        cache.batch_repeat_interleave(2)
        tails = [full[m:-1] for m, pair in zip(ms, fulls) for full in pair]
        twidth = max(len(t) for t in tails)
        tids = torch.full((len(tails), twidth), pad_id, dtype=torch.long)
        tmask = torch.zeros((len(tails), twidth), dtype=torch.long)
        tpos = torch.zeros((len(tails), twidth), dtype=torch.long)
        for r, t in enumerate(tails):
            m = ms[r // 2]
            tids[r, :len(t)] = torch.tensor(t)
            tmask[r, :len(t)] = 1
            tpos[r, :len(t)] = torch.arange(m, m + len(t))
        full_mask = torch.cat([mask.repeat_interleave(2, dim=0), tmask], dim=1)
        tail_logits = model(input_ids=tids.to(device), attention_mask=full_mask.to(device),
                            position_ids=tpos.to(device), use_cache=True, **{cache_kw: cache}).logits
        for r, i in enumerate(idx):
            m, c = ms[r], ctx_lens[r]
            res = []
            for j, full in enumerate(fulls[r]):
                parts = []
                n_pre = m - c + 1  # continuation targets predicted inside the prefix pass
                if n_pre > 0:
                    parts.append(_gather(pre_logits[r, keep - n_pre:], full[c:m + 1]))
                first = max(m + 1, c)  # first target predicted by the tail pass
                t0 = first - 1 - m  # its column in the tail pass
                parts.append(_gather(tail_logits[2 * r + j, t0:len(full) - 1 - m], full[first:]))
                res.append(_merge(parts, len(full) - c))
            out[i] = (res[0], res[1])
    return out  # type: ignore[return-value]
