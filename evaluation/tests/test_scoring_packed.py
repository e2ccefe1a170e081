"""The packed shared-prefix scorer (backends/scoring.py) against the naive one-sequence-per-continuation path and
lm-evaluation-harness's HFLM; the BOS policy (issue 14)."""
import random

import pytest
import torch

from navab_eval.backends import scoring
from navab_eval.backends.base import encode_pair, resolve_add_bos
from navab_eval.backends.hf import HFBackend
from navab_eval.backends.scoring import naive_loglikelihood, score_groups, shared_prefix_pairs


def random_items(rng, n, vocab, common=()):
    """Triples with random context lengths and S/RS sharing 0..all of their tokens, including one continuation
    being a prefix of the other, identical continuations and one-token continuations."""
    items = []
    for _ in range(n):
        ctx = list(common) + [rng.randrange(4, vocab) for _ in range(rng.randint(1, 40))]
        a = [rng.randrange(4, vocab) for _ in range(rng.choice([1, 2, rng.randint(1, 60)]))]
        kind = rng.random()
        if kind < 0.15:
            b = list(a)  # identical
        elif kind < 0.3:
            b = a + [rng.randrange(4, vocab) for _ in range(rng.randint(1, 10))]  # a is a prefix of b
        else:
            k = rng.randint(0, len(a) - 1)
            b = a[:k] + [rng.randrange(4, vocab) for _ in range(rng.randint(1, 50))]
        items.append((ctx, a, b) if rng.random() < 0.5 else (ctx, b, a))
    return items


def assert_same(packed, model, items, max_length=512, rel=1e-5):
    flat = [(c, x) for c, a, b in items for x in (a, b)]
    ref = naive_loglikelihood(model, flat, 3, max_length, 0)
    for (x, y), r in zip(packed, zip(ref[0::2], ref[1::2])):
        for got, want in zip((x, y), r):
            assert got.logprob == pytest.approx(want.logprob, rel=rel)
            assert (got.n_tokens, got.is_greedy, got.truncated) == (want.n_tokens, want.is_greedy, want.truncated)


@pytest.mark.parametrize("seed", range(4))
def test_random_lengths_equal_naive(tiny, seed):
    model, tok = tiny
    rng = random.Random(seed)
    items = random_items(rng, 25, len(tok))
    batch = rng.choice([1, 3, 8, 32])
    stats = {}
    packed = shared_prefix_pairs(model, items, batch, 512, 0, stats=stats)
    assert_same(packed, model, items)
    real = sum(len(c) + len(a) + len(b) - 2 for c, a, b in items)
    assert 0 < stats["tokens"] < real and stats["passes"] == -(-25 // batch) and stats["prefix"] == 0
    assert stats["head"] <= sum(len(a) + len(b) for _, a, b in items)


def test_common_prefix_computed_once(tiny):
    model, tok = tiny
    rng = random.Random(7)
    system = [rng.randrange(4, len(tok)) for _ in range(30)]  # a chat template's system prompt
    items = random_items(rng, 12, len(tok), common=system)
    stats = {}
    packed = shared_prefix_pairs(model, items, 4, 512, 0, stats=stats)
    assert stats["prefix"] >= 30 and stats["passes"] == 3
    assert_same(packed, model, items)
    # a context that is all common prefix: the call-wide prefix stops before its first scored prediction
    items.append((list(system), [5, 6, 7], [5, 9]))
    assert_same(shared_prefix_pairs(model, items, 4, 512, 0), model, items)


def test_groups_with_several_continuations(tiny):
    model, tok = tiny
    rng = random.Random(3)
    groups = []
    for _ in range(6):
        ctx = [rng.randrange(4, len(tok)) for _ in range(rng.randint(1, 20))]
        base = [rng.randrange(4, len(tok)) for _ in range(8)]
        conts = [base[:rng.randint(0, 7)] + [rng.randrange(4, len(tok))] for _ in range(rng.randint(1, 4))]
        groups.append((ctx, conts))
    res = score_groups(model, groups, 2, 512, 0)
    flat = [(c, x) for c, conts in groups for x in conts]
    ref = iter(naive_loglikelihood(model, flat, 4, 512, 0))
    for got, (_, conts) in zip(res, groups):
        assert len(got) == len(conts)
        for g in got:
            assert g.logprob == pytest.approx(next(ref).logprob, rel=1e-5)


def test_too_long_items_go_naive_and_are_flagged(tiny):
    model, tok = tiny
    rng = random.Random(5)
    items = random_items(rng, 6, len(tok))
    assert max(len(c) + max(len(a), len(b)) for c, a, b in items) <= 128
    items[2] = ([9] * 140, [10, 11, 12], [10, 13])  # longer than max_length=128
    stats = {}
    packed = shared_prefix_pairs(model, items, 4, 128, 0, stats=stats)
    assert packed[2][0].truncated and packed[2][1].truncated
    assert not any(x.truncated for i, p in enumerate(packed) if i != 2 for x in p)
    assert stats["passes"] == 2  # the five others, packed
    assert_same(packed, model, items, max_length=128)


def test_eager_model_is_packed_too(tiny_dir):
    """A model loaded with eager attention: the prefix runs on its own attention, the passes on the packed one."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_dir, attn_implementation="eager").eval()
    items = random_items(random.Random(11), 10, model.config.vocab_size, common=[7, 8, 9, 10, 11])
    stats = {}
    assert_same(shared_prefix_pairs(model, items, 4, 512, 0, stats=stats), model, items)
    assert stats["passes"] == 3 and stats["prefix"] >= 5
    assert model.config._attn_implementation == "eager"  # switched back after the passes


def test_unpackable_models_fall_back_to_naive(tiny, monkeypatch):
    model, tok = tiny
    items = random_items(random.Random(12), 5, len(tok))
    monkeypatch.setattr(scoring, "_SOFTMAX_ATTENTION", set())  # e.g. flash-attention: no way to keep segments apart
    stats = {}
    assert_same(shared_prefix_pairs(model, items, 4, 512, 0, stats=stats), model, items)
    assert stats["passes"] == 0
    monkeypatch.undo()
    # a layer that mixes tokens without going through the attention interface (recurrent, convolution) would leak
    # across packed segments: simulated by one layer whose call is not seen, it must be detected
    real_attention = scoring._packed_attention

    def one_layer_unseen(module, *args, **kwargs):
        out = real_attention(module, *args, **kwargs)
        if module.layer_idx == 1:
            scoring._PLAN.get().calls -= 1
        return out

    monkeypatch.setattr(scoring, "_packed_attention", one_layer_unseen)
    stats = {}
    assert_same(shared_prefix_pairs(model, items, 4, 512, 0, stats=stats), model, items)
    assert stats["passes"] == 0


def test_model_with_scaled_logits_uses_full_logits(tiny_dir):
    """The LM head is applied to selected positions only when logits == lm_head(hidden); a model that post-processes
    its logits (here: scaled) is detected and scored from its own full logits."""
    from transformers import LlamaForCausalLM

    class Scaled(LlamaForCausalLM):
        def forward(self, *args, **kwargs):
            out = super().forward(*args, **kwargs)
            out.logits = out.logits * 2.0
            return out

    model = Scaled.from_pretrained(tiny_dir).eval()
    assert scoring._split_head(model) is None
    items = random_items(random.Random(13), 6, model.config.vocab_size)
    assert_same(shared_prefix_pairs(model, items, 3, 512, 0), model, items)


def test_equals_lm_eval_hflm(tiny, records):
    """Same strings through lm-evaluation-harness's own HFLM (bench extra) and navab-eval: equal log-likelihoods."""
    pytest.importorskip("lm_eval")
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    from navab_eval.mc import mc_requests

    model, tok = tiny
    requests = mc_requests(records, tok, chat_template=False) + mc_requests(records[:6], tok, chat_template=True)
    lm = HFLM(pretrained=model, tokenizer=tok, batch_size=8, device="cpu")
    insts = [Instance("loglikelihood", {}, (c, x), idx=k) for k, (c, a, b) in enumerate(requests) for x in (a, b)]
    ref = lm.loglikelihood(insts, disable_tqdm=True)
    ours = [x for pair in HFBackend(model, tok, batch_size=8).score_pairs(requests) for x in pair]
    assert len(ours) == len(ref)
    for got, (ll, greedy) in zip(ours, ref):
        assert got.logprob == pytest.approx(ll, rel=1e-5) and got.is_greedy == greedy


# ------------------------------------------------------------------------------------------------ BOS policy
def bos_adding_tokenizer(tok):
    """A copy of the tiny tokenizer whose own encoding prepends <s> (like Llama-2's)."""
    import copy

    from tokenizers import processors

    t = copy.deepcopy(tok)
    t.backend_tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", tok.bos_token_id)])
    assert t("hello")["input_ids"][0] == tok.bos_token_id
    return t


def test_bos_policy_resolution(tiny):
    _, tok = tiny
    assert resolve_add_bos("auto", tok) is False and resolve_add_bos(None, tok) is False
    assert resolve_add_bos("always", tok) is True and resolve_add_bos("never", tok) is False
    assert resolve_add_bos(True, tok) is True and resolve_add_bos("ALWAYS", tok) is True
    assert resolve_add_bos("auto", bos_adding_tokenizer(tok)) is True
    with pytest.raises(ValueError, match="bos must be one of"):
        resolve_add_bos("sometimes", tok)


def test_bos_policy_in_encoding_and_backend(tiny):
    model, tok = tiny
    ctx = "Question? My answer is"
    assert encode_pair(tok, ctx, " yes", "auto")[0][0] != tok.bos_token_id
    assert encode_pair(tok, ctx, " yes", "always")[0][0] == tok.bos_token_id
    assert HFBackend(model, tok).encode(ctx, " yes")[0][0] != tok.bos_token_id  # default: auto
    be = HFBackend(model, tok, bos="always")
    assert (be.bos, be.add_bos) == ("always", True) and be.encode(ctx, " yes")[0].count(tok.bos_token_id) == 1
    assert HFBackend(model, tok, bos="always", add_bos=False).bos == "never"  # the older bool wins
    assert HFBackend(model, bos_adding_tokenizer(tok)).add_bos is True
    # an empty context is scored from BOS, as lm-evaluation-harness does
    assert encode_pair(tok, "", "yes", "never")[0] == [tok.bos_token_id]
    with pytest.raises(ValueError, match="bos"):
        HFBackend(model, tok, bos="sometimes")


def test_smollm2_plain_prompt_gets_no_im_start(smollm2):
    model, tok = smollm2
    assert tok.bos_token == "<|im_start|>"
    ctx, cont = HFBackend(model, tok).encode("Should taxes rise? My answer is", " yes")
    assert tok.bos_token_id not in ctx + cont
    ctx_always, _ = HFBackend(model, tok, bos="always").encode("Should taxes rise? My answer is", " yes")
    assert ctx_always == [tok.bos_token_id] + ctx


def test_benchmark_against_lm_eval_runs_on_tiny_model(tiny, capsys):
    """benchmarks/mc.py's lm-eval comparison (timing, agreement, token and FLOP accounting) on the tiny model."""
    pytest.importorskip("lm_eval")
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_mc_lm_eval", Path(__file__).resolve().parents[2] / "benchmarks" / "mc.py")
    mc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mc)
    model, tok = tiny
    triples = mc.bench_triples(58)
    assert len({q for _, q, _, _ in triples}) == 58 and {lang for lang, *_ in triples} == {"zh", "de", "en", "fr"}
    assert any(s.split(".")[0] == rs.split(".")[0] for lang, _, s, rs in triples if lang != "zh")  # shared starts
    requests = mc.bench_requests(tok, 6, chat_template=True)
    items = mc.encode_items(tok, 6, True, "auto")
    best, diff, greedy_same, stats = mc.vs_lm_eval(model, tok, requests, 4, repeats=1)
    assert diff < 1e-5 and greedy_same and best["lm-eval"] > 0 and best["navab-eval"] > 0
    assert stats["prefix"] > 0 and stats["tokens"] < mc.lm_eval_tokens(items, 4)[0]
    mc.report_lm_eval("chat template", items, 4, best, diff, greedy_same, stats)
    out = capsys.readouterr().out
    assert "ratio vs lm-eval" in out and "token bound" in out and "matmul work" in out
