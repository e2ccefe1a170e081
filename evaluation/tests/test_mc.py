import math

import pytest
import torch

from navab_eval.backends.hf import HFBackend
from navab_eval.mc import evaluate_mc
from navab_eval.prompts import answer_prefix, mc_context


def reference_nll(model, tok, context, continuation):
    """Straightforward computation, written independently of navab_eval: trailing context spaces move to
    the continuation, context+continuation encoded together (special tokens as the tokenizer itself adds them:
    the default BOS policy "auto", as lm-evaluation-harness does) and split at the context length,
    one full forward pass over the single sequence, mean NLL of the continuation tokens."""
    stripped = context.rstrip()
    continuation = context[len(stripped):] + continuation
    ctx = tok(stripped)["input_ids"]
    whole = tok(stripped + continuation)["input_ids"]
    seq = ctx + whole[len(ctx):]
    with torch.no_grad():
        logits = model(torch.tensor([seq])).logits[0].double()
    logp = torch.log_softmax(logits, -1)
    targets = seq[len(ctx):]
    lp = sum(logp[len(ctx) - 1 + j, t].item() for j, t in enumerate(targets))
    return -lp / len(targets)


def assert_matches_reference(items, records, model, tok, chat_template=False, rel=1e-4):
    for it, r in zip(items, records):
        sep = "" if r.language == "zh" else " "
        ctx = mc_context(r.question, r.language, tok, chat_template)
        ref_s = reference_nll(model, tok, ctx, sep + r.statement)
        ref_rs = reference_nll(model, tok, ctx, sep + r.reverse_statement)
        assert it["id"] == r.id
        assert it["nll_s"] == pytest.approx(ref_s, rel=rel)
        assert it["nll_rs"] == pytest.approx(ref_rs, rel=rel)
        assert it["ppl_s"] == pytest.approx(math.exp(ref_s), rel=rel)
        assert it["correct"] == (ref_s < ref_rs)


def test_tiny_equals_reference_and_naive(tiny, records):
    model, tok = tiny
    shared = evaluate_mc(records, model, tok, batch_size=5)
    assert_matches_reference(shared, records, model, tok)
    naive = evaluate_mc(records, HFBackend(model, tok, batch_size=5, shared_prefix=False))
    for a, b in zip(shared, naive):
        assert a["nll_s"] == pytest.approx(b["nll_s"], rel=1e-4)
        assert a["nll_rs"] == pytest.approx(b["nll_rs"], rel=1e-4)
    assert {it["method"] for it in shared} == {"mc"} and not any(it["truncated"] for it in shared)


def test_tiny_chat_template(tiny, records):
    model, tok = tiny
    items = evaluate_mc(records[:6], model, tok, chat_template=True)
    assert_matches_reference(items, records[:6], model, tok, chat_template=True)
    assert mc_context("Q?", "de", tok, chat_template=True) == "<s>user: Q?\nassistant: Meine Antwort ist"


def test_batch_size_does_not_change_results(tiny, records):
    model, tok = tiny
    runs = [evaluate_mc(records, model, tok, batch_size=bs) for bs in (1, 3, 16)]
    for other in runs[1:]:
        for a, b in zip(runs[0], other):
            assert a["nll_s"] == pytest.approx(b["nll_s"], rel=1e-5)
            assert a["nll_rs"] == pytest.approx(b["nll_rs"], rel=1e-5)
            assert a["correct"] == b["correct"]


def test_long_question_truncated_from_left(tiny, records):
    model, tok = tiny
    long_q = records[0].__class__(**{**records[0].to_dict(), "question": " ".join([records[0].question] * 12)})
    be = HFBackend(model, tok, max_length=64)
    items = evaluate_mc([long_q, records[1]], be)
    assert [it["truncated"] for it in items] == [True, False]
    # truncation keeps the last 64 input tokens, as lm-evaluation-harness does
    ctx, cont = be.encode(mc_context(long_q.question, "en"), " " + long_q.statement)
    seq = (ctx + cont)[-65:]
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([seq[:-1]])).logits[0].double(), -1)
    lp = sum(logp[len(seq) - 1 - len(cont) + j, t].item() for j, t in enumerate(cont))
    assert items[0]["nll_s"] == pytest.approx(-lp / len(cont), rel=1e-4)
    assert_matches_reference(items[1:], [records[1]], model, tok)


def test_tokenisation_rules(tiny):
    model, tok = tiny
    be = HFBackend(model, tok, bos="always")
    ctx, cont = be.encode("Question? My answer is ", "yes")
    assert ctx[0] == tok.bos_token_id and ctx.count(tok.bos_token_id) == 1
    assert tok.decode(cont) == " yes"  # the trailing space moved to the continuation
    assert HFBackend(model, tok, add_bos=False).encode("Question?", " yes")[0][0] != tok.bos_token_id
    with pytest.raises(ValueError, match="empty continuation"):
        be.encode("Question?", "")


def test_answer_prefixes():
    assert answer_prefix("en") == "My answer is"
    assert answer_prefix("zh") == "我的答案是"
    assert answer_prefix("fr") == "Ma réponse est"
    assert answer_prefix("de") == "Meine Antwort ist"
    assert answer_prefix("sw") == "My answer is"
    assert mc_context("你好吗？", "zh") == "你好吗？我的答案是"
    assert mc_context("Ça va ?", "fr") == "Ça va ? Ma réponse est"


def test_smollm2_equals_reference(smollm2, records):
    model, tok = smollm2
    subset = records[:4]  # one item per language
    items = evaluate_mc(subset, model, tok, batch_size=3)
    assert_matches_reference(items, subset, model, tok)
    again = evaluate_mc(subset, model, tok, batch_size=1)
    for a, b in zip(items, again):
        assert a["nll_s"] == pytest.approx(b["nll_s"], rel=1e-5) and a["correct"] == b["correct"]
    chat = evaluate_mc(subset[:2], model, tok, chat_template=True, batch_size=2)
    assert_matches_reference(chat, subset[:2], model, tok, chat_template=True)


def test_cached_items_carry_the_current_runs_model_name(tiny, records, tmp_path):
    # one cache file serves every name of the same model (the alias smollm2 and its GGUF path): an item served
    # from it must carry the name of the run that reads it, not of the run that computed it
    from navab_eval.cache import ItemCache
    from navab_eval.summary import summarize

    model, tok = tiny
    subset = [r for r in records if r.nation == "US"]
    cache = ItemCache({"test": "two names"}, tmp_path)
    first = HFBackend(model, tok)
    first.model_name = "SmolLM2-135M-Instruct"
    evaluate_mc(subset[:2], first, cache=cache)
    second = HFBackend(model, tok)
    second.model_name, second.name = "SmolLM2-135M-Instruct.Q4_1", "hf-other"
    items = evaluate_mc(subset, second, cache=cache)
    assert {(it["model"], it["backend"]) for it in items} == {("SmolLM2-135M-Instruct.Q4_1", "hf-other")}
    assert {g["model"] for g in summarize(items)["groups"]} == {"SmolLM2-135M-Instruct.Q4_1"}


def test_statement_longer_than_the_context_is_cut_and_flagged(tiny, records):
    # the continuation alone exceeds the context: its last tokens that fit are scored, flagged truncated
    model, tok = tiny
    r = records[0]
    long_s = r.__class__(**{**r.to_dict(), "statement": " ".join([r.statement] * 30)})
    for shared in (True, False):
        be = HFBackend(model, tok, max_length=64, shared_prefix=shared)
        items = evaluate_mc([long_s, records[1]], be)
        assert [it["truncated"] for it in items] == [True, False]
        assert items[0]["n_tokens_s"] == 64 and items[0]["n_tokens_rs"] < 64
        ctx, cont = be.encode(mc_context(long_s.question, "en"), " " + long_s.statement)
        assert len(cont) > 65
        seq = (ctx + cont)[-65:]  # the last 64 inputs and the 64 tokens they predict, all of the statement
        with torch.no_grad():
            logp = torch.log_softmax(model(torch.tensor([seq[:-1]])).logits[0].double(), -1)
        lp = sum(logp[j, t].item() for j, t in enumerate(seq[1:]))
        assert items[0]["logprob_s"] == pytest.approx(lp, rel=1e-4)
