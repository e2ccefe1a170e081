"""AJ: per-item seeds (issue 12.7) and judge failures kept out of the correct / wrong counts."""
import re

from navab_eval.aj import evaluate_aj
from navab_eval.cache import ItemCache
from navab_eval.summary import summarize


class OverlapJudge:
    """An in-process stand-in for a remote judge: the reference sharing more words with the answer."""

    name = "overlap"

    def __init__(self, fail_ids=()):
        self.fail_ids, self.requests = set(fail_ids), []

    def judge(self, requests):
        self.requests += requests
        out = []
        for question, answer, a, b in requests:
            if question in self.fail_ids:
                out.append({"choice": None, "reason": "judge server error", "cached": False})
                continue
            words = set(re.findall(r"\w+", answer.lower()))
            sa = len(words & set(re.findall(r"\w+", a.lower())))
            sb = len(words & set(re.findall(r"\w+", b.lower())))
            out.append({"choice": "A" if sa >= sb else "B", "reason": "overlap", "cached": False})
        return out


def answers(items):
    return [it["answer"] for it in items]


def test_sampled_answers_do_not_depend_on_batching_or_cache(tiny, records, tmp_path):
    model, tok = tiny
    subset = records[:8]
    kw = dict(judge=OverlapJudge(), temperature=1.0, seed=3, max_new_tokens=8)
    one = evaluate_aj(subset, model, tok, batch_size=1, **kw)
    eight = evaluate_aj(subset, model, tok, batch_size=8, **kw)
    assert answers(one) == answers(eight)
    cache = ItemCache({"test": "half-cached"}, tmp_path)
    evaluate_aj(subset[1::2], model, tok, batch_size=3, cache=cache, **kw)  # every other item cached first
    half = evaluate_aj(subset, model, tok, batch_size=8, cache=cache, **kw)
    assert answers(half) == answers(one)
    assert len(set(answers(one))) > 1  # sampling is on: items get different answers
    other_seed = evaluate_aj(subset, model, tok, batch_size=8, **{**kw, "seed": 4})
    assert answers(other_seed) != answers(one)
    assert [it["seed"] for it in one] == [it["seed"] for it in half] and len({it["seed"] for it in one}) == 8


def test_judge_failures_are_neither_correct_nor_wrong(tiny, records):
    model, tok = tiny
    subset = [r for r in records if r.nation == "US"][:4]
    judge = OverlapJudge(fail_ids=[subset[0].question])
    items = evaluate_aj(subset, model, tok, judge=judge, max_new_tokens=6)
    assert items[0]["verdict"] == "invalid" and items[0]["correct"] is None
    assert all(it["correct"] in (True, False) for it in items[1:])
    summary = summarize(items)
    groups = summary["groups"]
    assert sum(g["invalid"] for g in groups) == 1
    assert sum(g["n"] for g in groups) == 3 == summary["n"] and summary["items"] == 4
    correct = sum(it["correct"] is True for it in items)
    assert summary["correct_rate"] == correct / 3
    # the texts the judge saw are kept with the item
    for it, r in zip(items, subset):
        assert it["statement"] == r.statement and it["reverse_statement"] == r.reverse_statement
        assert it["prompt"].startswith(r.question)


def test_cut_prompts_are_flagged_and_counted(tiny, records):
    from navab_eval.backends.hf import HFBackend

    model, tok = tiny
    r = records[0]
    long_q = r.__class__(**{**r.to_dict(), "question": " ".join([r.question] * 12)})
    be = HFBackend(model, tok, max_length=64)
    items = evaluate_aj([long_q, records[1]], be, judge=OverlapJudge(), max_new_tokens=8)
    assert [it["truncated"] for it in items] == [True, False]
    assert summarize(items)["truncated"] == 1


def test_max_new_tokens_must_leave_room_for_the_prompt(tiny, records):
    import pytest

    from navab_eval.backends.hf import HFBackend
    from navab_eval.run import RunConfig, run

    model, tok = tiny
    with pytest.raises(ValueError, match="max_new_tokens=64 leaves no room for the prompt in the model's "
                                         "context of 64 tokens"):
        evaluate_aj(records[:1], HFBackend(model, tok, max_length=64), judge=OverlapJudge(), max_new_tokens=64)
    with pytest.raises(ValueError, match="--max-new-tokens 8 leaves no room for the prompt in --max-length 8"):
        run(RunConfig(method="aj", data="unused", model="unused", max_length=8, max_new_tokens=8))


def test_embedding_judge_tie_is_not_correct(tiny, records):
    # S and RS alike: equal cosines; picking A would make the item correct for every S-RS order
    from navab_eval.judges import EmbeddingJudge

    model, tok = tiny
    same = [r.__class__(**{**r.to_dict(), "reverse_statement": r.statement}) for r in records[:6]]
    judge = EmbeddingJudge()
    assert [v["choice"] for v in judge.judge([("q?", "an answer", "same text", "same text")])] == ["tie"]
    items = evaluate_aj(same, model, tok, judge=judge, max_new_tokens=6)
    assert {it["order"] for it in items} == {"S-RS", "RS-S"}
    assert [(it["verdict"], it["correct"]) for it in items] == [("tie", False)] * len(same)
    summary = summarize(items)
    assert (summary["n"], summary["correct"], summary["invalid"]) == (len(same), 0, 0)
