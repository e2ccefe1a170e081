"""Token-level scoring with a transformers causal LM: lm-evaluation-harness's path and the packed shared-prefix path.

Hand-written because no library scores two continuations from one shared prefix: lm-evaluation-harness runs one
full, right-padded sequence per (context, continuation); vLLM shares prefixes only inside its own engine.

Packed shared prefix (:func:`shared_prefix_pairs`, :func:`score_groups`). The input sequences of an MC item,
a = ctx+S and b = ctx+RS without their last token, agree on their first m tokens (the context, often more: S and RS
tend to start alike). The item becomes one *segment* [shared m | tail a | tail b], a two-branch tree: tail b sees
the shared tokens and itself, not tail a, and its positions restart at m. The segments of ``batch_size`` items are
laid end to end in ONE row (no padding) and run in one forward pass. Attention goes through
:func:`_packed_attention`, registered with transformers' AttentionInterface and switched on for that pass only:
each branch is a causal square over its own keys (branch a: shared + tail a; branch b: shared + tail b), branches
of similar length are gathered into one batched causal SDPA call (a few per layer), so segments never see each
other and no work goes to the cross-segment pairs a block mask would drop. The prefix common to every item of a call (a chat
template's system prompt) is computed once; its KV cache is read by every pass. The LM head and log-softmax run
only on positions that predict scored tokens, each position once. The log-likelihoods equal lm-evaluation-harness's
up to float rounding (tests compare with HFLM itself and with a one-sequence reference). While a pass runs, the
model's config names the packed attention: do not run the same model object from another thread meanwhile.

Models whose logits are not lm_head(hidden) (checked once), whose attention is not plain softmax attention (sdpa,
eager), with a sliding window shorter than the sequences, or with layers that mix tokens outside attention
(detected: fewer attention calls than layers) are scored by :func:`naive_loglikelihood` or from full logits.
"""
from __future__ import annotations

import inspect
import logging
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch

from .base import LogLik

Pair = tuple[list[int], list[int]]
Triple = tuple[list[int], list[int], list[int]]
log = logging.getLogger(__name__)

_SOFTMAX_ATTENTION = {"sdpa", "eager"}  # plain softmax attention, which _packed_attention reproduces block by block


def _cache_kwarg(module) -> str:
    # transformers 5.x renamed `past_key_values` to `cache`; accept both.
    return "cache" if "cache" in inspect.signature(module.forward).parameters else "past_key_values"


def _gather(logits: torch.Tensor, targets: list[int]) -> tuple[float, bool]:
    """Sum of log-probs of targets under logits (T, V) and whether every target is the argmax."""
    logp = torch.log_softmax(logits.float(), dim=-1)
    tgt = torch.tensor(targets, device=logits.device)
    total = logp.gather(-1, tgt[:, None]).sum().item()
    greedy = bool((logp.argmax(-1) == tgt).all().item())
    return total, greedy


@torch.inference_mode()
def naive_loglikelihood(model, pairs: Sequence[Pair], batch_size: int, max_length: int, pad_id: int,
                        ) -> list[LogLik]:
    """lm-evaluation-harness's scoring: one full forward pass per (ctx, cont), right-padded batches sorted by
    length (longest first), input cut from the left to max_length (flagged in LogLik.truncated). A continuation
    longer than max_length is scored on its last max_length tokens (n_tokens says how many; truncated).
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
            n = len(inps[r])
            cut = len(pairs[i][0]) + len(pairs[i][1]) - 1 > max_length
            # a continuation longer than the context window: only its last n tokens have a prediction in it
            cont = pairs[i][1][-n:]
            total, greedy = _gather(logits[r, n - len(cont):n], cont)
            out[i] = LogLik(total, len(cont), greedy, cut)
    return out  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------- packing
class Unpackable(RuntimeError):
    """The model cannot run the packed attention (raised inside its forward; the scorer falls back to naive)."""


@dataclass
class _Segment:
    """One item as a tree: tokens [p0:m] shared by all its sequences, then one tail per sequence."""

    item: int
    ctx_len: int
    fulls: list[list[int]]  # ctx + continuation, per sequence
    m: int  # leading tokens shared by every input sequence of the item
    p0: int = 0  # leading tokens served by the call-wide prefix cache
    tails: list[list[int]] = field(default_factory=list)

    def __post_init__(self):
        self.tails = [f[self.m:-1] for f in self.fulls]

    @property
    def size(self) -> int:
        return self.m - self.p0 + sum(len(t) for t in self.tails)

    def column(self, seq: int, j: int) -> int:
        """Segment-local column of input position j (>= p0) of sequence `seq`."""
        if j < self.m:
            return j - self.p0
        return self.m - self.p0 + sum(len(t) for t in self.tails[:seq]) + j - self.m

    def tokens(self) -> tuple[list[int], list[int]]:
        """-> (token ids, position ids) of the segment: shared part, then each tail (positions restart at m)."""
        ids = self.fulls[0][self.p0:self.m] + [t for tail in self.tails for t in tail]
        pos = list(range(self.p0, self.m)) + [self.m + k for tail in self.tails for k in range(len(tail))]
        return ids, pos

    def blocks(self, off: int) -> list[tuple[list[tuple[int, int]], int]]:
        """Attention blocks of the segment placed at row column `off`: (key ranges, nq). Each block is causal
        attention over its keys, whose last nq are its queries: branch 0 = prefix + shared part + first tail
        (queries: shared part + first tail); every further tail = prefix + shared part + that tail (queries: the
        tail). Key coordinates count the p0 prefix keys first, then row columns."""
        p0, s = self.p0, self.m - self.p0
        q0 = s + len(self.tails[0])
        out = [(_merge([(0, p0), (p0 + off, p0 + off + q0)]), q0)]
        start = off + q0
        for tail in self.tails[1:]:
            n = len(tail)
            if n:
                out.append((_merge([(0, p0), (p0 + off, p0 + off + s), (p0 + start, p0 + start + n)]), n))
            start += n
        return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        if b <= a:
            continue
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _common_prefix(seqs: Sequence[Sequence[int]], cap: int) -> int:
    k = 0
    first = seqs[0]
    while k < cap and all(len(s) > k and s[k] == first[k] for s in seqs):
        k += 1
    return k


class _Plan:
    """The attention blocks of one packed pass as a few padded batches of causal squares: blocks of similar key
    length are gathered into a (blocks, width) index, and the queries sit on the diagonal of their keys, so each
    layer runs one causal SDPA call per size group (no mask tensor; the kernel skips the upper triangle) whatever
    the number of items. Query rows that are not a block's queries (its prefix/shared keys, padding) are computed
    and dropped."""

    def __init__(self, blocks: list, p0: int, n: int, device, max_groups: int = 4, slack: float = 0.75):
        self.calls = 0
        order = sorted(range(len(blocks)), key=lambda b: -_keys(blocks[b]))
        groups: list[list[int]] = []
        for b in order:  # a new group when a block is much shorter than its group's longest
            if not groups or (len(groups) < max_groups and _keys(blocks[b]) < slack * _keys(blocks[groups[-1][0]])):
                groups.append([])
            groups[-1].append(b)
        self.groups = []
        source = torch.empty(n, dtype=torch.long)  # row column -> index of its output in the concatenated groups
        base = 0
        for members in groups:
            width = _keys(blocks[members[0]])
            k_index = torch.zeros(len(members), width, dtype=torch.long)
            q_index = torch.zeros(len(members), width, dtype=torch.long)
            for g, b in enumerate(members):
                ranges, nq = blocks[b]
                keys = torch.cat([torch.arange(x, y) for x, y in ranges])
                nk = len(keys)
                k_index[g, :nk] = keys
                q_index[g, nk - nq:nk] = keys[nk - nq:] - p0
                source[keys[nk - nq:] - p0] = torch.arange(base + g * width + nk - nq, base + g * width + nk)
            base += len(members) * width
            self.groups.append((q_index.to(device), k_index.to(device)))
        self.source = source.to(device)


def _keys(block) -> int:
    return sum(y - x for x, y in block[0])


_PLAN: ContextVar[_Plan | None] = ContextVar("navab_packed_plan", default=None)
_ATTN = "navab_packed"


def _packed_attention(module, query, key, value, attention_mask, dropout: float = 0.0, scaling=None, **kwargs):
    """transformers attention interface: softmax attention within each block of the pass (see _Segment.blocks and
    _Plan), so that packed sequences never see each other and little work goes to pairs a mask would drop."""
    plan = _PLAN.get()
    # (a sliding window is fine: packable() ensures no sequence is longer than the window)
    for unsupported in ("softcap", "s_aux"):
        if kwargs.get(unsupported) is not None:
            raise Unpackable(f"attention with {unsupported}")
    if plan is None:
        raise Unpackable("packed attention called outside a packed pass")
    plan.calls += 1
    outs = []
    for q_index, k_index in plan.groups:
        # (1, heads, N, d) -> (blocks, heads, width, d)
        q = query[0][:, q_index].transpose(0, 1)
        k = key[0][:, k_index].transpose(0, 1)
        v = value[0][:, k_index].transpose(0, 1)
        o = torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=dropout, scale=scaling,
                                                             is_causal=True, enable_gqa=q.shape[1] != k.shape[1])
        outs.append(o.transpose(1, 2).reshape(-1, o.shape[1], o.shape[3]))  # (blocks * width, heads, d)
    o = outs[0] if len(outs) == 1 else torch.cat(outs)
    return o[plan.source][None], None


@contextmanager
def _attention_swapped(model):
    """Route the model's attention through _packed_attention for the duration (every config the model's modules
    read, restored afterwards)."""
    from transformers import AttentionInterface, PretrainedConfig

    AttentionInterface.register(_ATTN, _packed_attention)
    configs = {id(model.config): model.config}
    for mod in model.modules():
        cfg = getattr(mod, "config", None)
        if isinstance(cfg, PretrainedConfig):
            configs[id(cfg)] = cfg
    if not all(hasattr(cfg, "_attn_implementation_internal") for cfg in configs.values()):
        raise Unpackable("this transformers version keeps the attention choice elsewhere")
    saved = [(cfg, cfg._attn_implementation_internal) for cfg in configs.values()]
    try:
        for cfg, _ in saved:
            cfg._attn_implementation_internal = _ATTN
        yield
    finally:
        for cfg, value in saved:
            cfg._attn_implementation_internal = value


_HEADS: "weakref.WeakKeyDictionary[Any, tuple[Any, Any] | None]" = weakref.WeakKeyDictionary()


def _split_head(model) -> tuple[Any, Any] | None:
    """(decoder, lm_head) when the model's logits are exactly lm_head(decoder hidden states), checked once per model
    on a short input (a model that scales or soft-caps its logits fails the check) -> None: use full logits."""
    if model in _HEADS:
        return _HEADS[model]
    try:
        with torch.inference_mode():
            found = _check_split(model)
    except (AttributeError, NotImplementedError, TypeError):
        found = None
    _HEADS[model] = found
    return found


def _check_split(model) -> tuple[Any, Any] | None:
    decoder, head = model.get_decoder(), model.get_output_embeddings()
    if decoder is model or head is None:
        return None
    device = next(model.parameters()).device
    ids = (torch.arange(7, device=device)[None] * 31 + 5) % model.config.get_text_config().vocab_size
    ref = model(input_ids=ids, use_cache=False).logits.float()
    mine = head(decoder(input_ids=ids, use_cache=False).last_hidden_state).float()
    if torch.allclose(ref, mine, rtol=1e-4, atol=1e-4 * float(ref.abs().max())):
        return decoder, head
    return None


class _Forward:
    """Runs one packed row through the model and scores tokens at chosen row columns."""

    def __init__(self, model):
        self.model = model
        self.split = _split_head(model)
        self.body = self.split[0] if self.split else model
        self.cache_kw = _cache_kwarg(self.body)
        self.device = next(model.parameters()).device
        self.layers = model.config.get_text_config().num_hidden_layers
        self.prefix_kv: list[tuple[torch.Tensor, torch.Tensor]] = []
        self.p0 = 0

    def prefix(self, ids: list[int]) -> None:
        """Compute the call-wide prefix once (the model's own attention); every pass reuses its keys/values."""
        from transformers import DynamicCache

        cache = DynamicCache(config=self.model.config)
        self.body(input_ids=torch.tensor([ids], device=self.device),
                  position_ids=torch.arange(len(ids), device=self.device)[None], use_cache=True,
                  **{self.cache_kw: cache})
        self.prefix_kv = [(layer[0], layer[1]) for layer in cache]
        self.p0 = len(ids)

    def __call__(self, ids: list[int], pos: list[int], blocks: list, columns: list[int], picks: list[int],
                 targets: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (log-prob, is-argmax) of targets[i] at row column columns[picks[i]]; the LM head runs once per
        column, in float32 like lm-evaluation-harness's log-softmax."""
        from transformers import DynamicCache

        kwargs: dict[str, Any] = {"input_ids": torch.tensor([ids], device=self.device),
                                  "position_ids": torch.tensor([pos], device=self.device)}
        if self.prefix_kv:
            kwargs.update(use_cache=True, **{self.cache_kw: DynamicCache(ddp_cache_data=self.prefix_kv,
                                                                          config=self.model.config)})
        else:
            kwargs["use_cache"] = False
        plan = _Plan(blocks, self.p0, len(ids), self.device)
        token = _PLAN.set(plan)
        try:
            with _attention_swapped(self.model):
                if self.split:
                    out = self.body(**kwargs).last_hidden_state[0]
                else:
                    out = self.model(**kwargs, logits_to_keep=0).logits[0]
        finally:
            _PLAN.reset(token)
        if plan.calls != self.layers:  # a layer that mixes tokens without attention (recurrent, conv) would leak
            raise Unpackable(f"{plan.calls} packed attention calls for {self.layers} layers")
        out = out[torch.tensor(columns, device=self.device)]
        logits = (self.split[1](out) if self.split else out).float()
        rows = torch.tensor(picks, device=self.device)
        tgt = torch.tensor(targets, device=self.device)
        logp = torch.log_softmax(logits, dim=-1)  # (torch.logsumexp is slower on CPU)
        return logp[rows, tgt], logp.argmax(-1)[rows] == tgt


def packable(model, longest: int) -> bool:
    """Whether the packed path can run this model: standard softmax attention (sdpa or eager) and no sliding
    window shorter than the longest sequence."""
    cfg = model.config.get_text_config()
    window = getattr(cfg, "sliding_window", None)
    if window and getattr(cfg, "use_sliding_window", True) is not False and longest > window:
        return False
    return getattr(model.config, "_attn_implementation", "eager") in _SOFTMAX_ATTENTION


@torch.inference_mode()
def shared_prefix_pairs(model, items: Sequence[Triple], batch_size: int, max_length: int, pad_id: int,
                        stats: dict | None = None) -> list[tuple[LogLik, LogLik]]:
    """Score (ctx, cont_a, cont_b) token triples, packed (see module doc). -> (LogLik a, LogLik b) in input order.

    Items too long for the model (truncated from the left like lm-evaluation-harness) go through
    :func:`naive_loglikelihood`, as does everything when the model cannot run the packed attention.
    stats: if given, filled with counts of the packed passes (tokens, prefix, head, passes).
    """
    res = score_groups(model, [(c, [a, b]) for c, a, b in items], batch_size, max_length, pad_id, stats)
    return [(r[0], r[1]) for r in res]


@torch.inference_mode()
def score_groups(model, groups: Sequence[tuple[list[int], Sequence[list[int]]]], batch_size: int, max_length: int,
                 pad_id: int, stats: dict | None = None) -> list[list[LogLik]]:
    """(ctx, [cont, ...]) token groups -> LogLik per continuation, one packed segment per group (see module doc).
    batch_size: groups per forward pass."""
    out: list[list[LogLik] | None] = [None] * len(groups)
    st = {"passes": 0, "tokens": 0, "prefix": 0, "head": 0}
    longest = max((len(c) + len(x) for c, conts in groups for x in conts), default=0)
    too_long = [i for i, (c, conts) in enumerate(groups) if max(len(c) + len(x) for x in conts) - 1 > max_length]
    naive = set(too_long)
    if not packable(model, longest):
        naive = set(range(len(groups)))
    todo = [i for i in range(len(groups)) if i not in naive]
    if todo:
        try:
            _score_packed(model, groups, todo, batch_size, out, st)
        except Unpackable as e:
            log.warning("packed scoring not possible for %s (%s); scoring unpacked", type(model).__name__, e)
            naive = set(range(len(groups)))
            st = {"passes": 0, "tokens": 0, "prefix": 0, "head": 0}
    if naive:
        order = sorted(naive)
        flat = [(groups[i][0], x) for i in order for x in groups[i][1]]
        res = iter(naive_loglikelihood(model, flat, batch_size * 2, max_length, pad_id))
        for i in order:
            out[i] = [next(res) for _ in groups[i][1]]
    if stats is not None:
        stats.update(st)
    return out  # type: ignore[return-value]


def _score_packed(model, groups, todo: list[int], batch_size: int, out: list, st: dict) -> None:
    segs = []
    for i in todo:
        ctx, conts = groups[i]
        if not ctx or not conts or any(not x for x in conts):
            raise ValueError(f"group {i}: empty context or continuation tokens")
        fulls = [ctx + list(x) for x in conts]
        segs.append(_Segment(i, len(ctx), fulls, _common_prefix(fulls, min(len(f) - 1 for f in fulls))))
    fwd = _Forward(model)
    # the call-wide prefix stops before every item's first scored prediction, so all of those are in a segment
    p0 = _common_prefix([s.fulls[0][:s.m] for s in segs], min(s.ctx_len - 1 for s in segs))
    if p0:
        fwd.prefix(segs[0].fulls[0][:p0])
        st["prefix"] = st["tokens"] = p0
        for s in segs:
            s.p0 = p0
    segs.sort(key=lambda s: (-s.size, s.item))
    for start in range(0, len(segs), max(1, batch_size)):
        _packed_pass(fwd, segs[start:start + batch_size], out, st)


def _packed_pass(fwd: _Forward, segs: list[_Segment], out: list, st: dict) -> None:
    ids: list[int] = []
    pos: list[int] = []
    blocks: list = []
    offsets = []
    for seg in segs:
        offsets.append(len(ids))
        blocks += seg.blocks(len(ids))
        s_ids, s_pos = seg.tokens()
        ids += s_ids
        pos += s_pos
    # the positions whose logits score a token, each once; shared positions serve every sequence of an item
    index: dict[int, int] = {}
    picks: list[int] = []
    targets: list[int] = []
    lengths: list[int] = []
    for seg, off in zip(segs, offsets):
        for q, full in enumerate(seg.fulls):
            for j in range(seg.ctx_len - 1, len(full) - 1):  # input position j predicts token j + 1
                picks.append(index.setdefault(off + seg.column(q, j), len(index)))
                targets.append(full[j + 1])
            lengths.append(len(full) - seg.ctx_len)
    token_lp, greedy = fwd(ids, pos, blocks, list(index), picks, targets)
    k = a = 0
    for seg in segs:
        res = []
        for _ in seg.fulls:
            b = a + lengths[k]
            # float32 sum per sequence, like lm-evaluation-harness's .sum()
            res.append(LogLik(token_lp[a:b].sum().item(), b - a, bool(greedy[a:b].all().item())))
            a, k = b, k + 1
        out[seg.item] = res
    st["passes"] += 1
    st["tokens"] += len(ids)
    st["head"] += len(index)
