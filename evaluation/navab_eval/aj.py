"""Answer-Judgment (AJ) evaluation (paper section 4.1).

The evaluated model answers Q (greedy by default, sampled with ``temperature`` > 0); a judge says whether the
answer is closer to reference A or B. Which of S / RS is A is drawn per item from (seed, id) and recorded as
`order`. The item is correct when the judge picks S.

Seeds are per item: a sampled answer is drawn with ``item_seed(id, seed)``, so it does not depend on the batch
size, on the other items of the run or on which items were cached. Outcomes: verdict S / RS (correct True /
False); "empty" when the model answered nothing (not correct: it did not state S); "tie" when the judge finds
the answer equally close to both (the embedding judge on equal cosines; not correct, as a tie in MC);
"invalid" when the judge gave no usable verdict: correct is None, the item is neither correct nor wrong (left
out of n, counted as invalid) and is asked again on the next run.
"""
from __future__ import annotations

import hashlib
import os
import random
from typing import Any, Sequence

from .backends import Backend
from .cache import ItemCache, JudgeCache, group_by_key, item_key, relabel, split_cached
from .judges import make_judge
from .models import open_backend
from .progress import progress
from .prompts import aj_prompt
from .snapshot import Record

_VERDICT_KEYS = ("choice", "reason", "cached")


def ab_order(record_id: str, seed: int) -> str:
    """"S-RS" (A = S) or "RS-S" (A = RS), fixed by (seed, id) and independent of the other items."""
    return "S-RS" if random.Random(f"{seed}:{record_id}").random() < 0.5 else "RS-S"


def item_seed(record_id: str, seed: int) -> int:
    """The sampling seed of one item: fixed by (seed, id), independent of batching and caching."""
    return int(hashlib.sha256(f"navab-aj:{seed}:{record_id}".encode()).hexdigest()[:8], 16)


def resolve_judge_base_url(judge: Any, base_url: str | None = None) -> str | None:
    """The endpoint an LLM judge talks to (same precedence as judges.LLMJudge); None for the offline judge
    or the client library's default endpoint."""
    if not isinstance(judge, str):
        return getattr(judge, "base_url", None)
    if judge == "embedding":
        return None
    return base_url or os.environ.get("NAVAB_JUDGE_BASE_URL") or os.environ.get("OPENAI_BASE_URL") or None


def aj_prompts(records: Sequence[Record], tokenizer: Any, chat_template: bool, chat: bool) -> list[str]:
    """What the evaluated model is asked: the question alone for chat backends (the server applies its
    template), else the MC context for the model to complete."""
    return [r.question if chat else aj_prompt(r.question, r.language, tokenizer, chat_template) for r in records]


def aj_keys(records: Sequence[Record], prompts: Sequence[str]) -> list[str]:
    return [item_key(r, p) for r, p in zip(records, prompts)]


def _answers(be: Backend, prompts: list[str], seeds: list[int], temperature: float, max_new_tokens: int
             ) -> list[str]:
    if temperature <= 0:  # greedy: no randomness, batching is safe (tests assert batch-size invariance)
        return be.generate(prompts, max_new_tokens=max_new_tokens, temperature=0.0, seed=0)
    if getattr(be, "per_prompt_seed", False):  # a backend that takes one seed per prompt
        return be.generate(prompts, max_new_tokens=max_new_tokens, temperature=temperature, seed=seeds)
    # Batched sampling draws every row from one random stream, so an answer would depend on its batch:
    # sample each prompt on its own, from its own seed.
    return [be.generate([p], max_new_tokens=max_new_tokens, temperature=temperature, seed=s)[0]
            for p, s in zip(prompts, seeds)]


def evaluate_aj(records: Sequence[Record], model: Any, tokenizer: Any = None, backend: str = "hf",
                judge: Any = "embedding", judge_base_url: str | None = None, batch_size: int = 8,
                chat_template: bool = False, temperature: float = 0.0, seed: int = 0, max_new_tokens: int = 128,
                cache: ItemCache | None = None, judge_cache: JudgeCache | None = None, quiet: bool = True,
                bos: str | None = None, **backend_kwargs: Any) -> list[dict[str, Any]]:
    """Answer and judge every record; -> one dict per record, in input order.

    judge: "embedding" (offline), a chat model name served at judge_base_url (OpenAI-compatible), or a judge
    object with ``name`` and ``judge(requests)``. Keys of each dict: id, nation, set, split, language,
    condition, method="aj", model, backend, judge, prompt, statement, reverse_statement, answer, seed, order,
    choice, verdict ("S" | "RS" | "empty" | "tie" | "invalid"), reason, correct (None for invalid), truncated (the
    prompt was cut from the left to fit the model's context beside max_new_tokens), and any further details the
    judge reports (prefixed ``judge_``).
    """
    be: Backend = open_backend(backend, model, tokenizer=tokenizer, bos=bos, batch_size=batch_size,
                               quiet=quiet, **backend_kwargs)
    if isinstance(judge, str):
        if judge_cache is not None and judge != "embedding":
            judge_cache = judge_cache.scoped(base_url=resolve_judge_base_url(judge, judge_base_url))
        judge_obj = make_judge(judge, judge_base_url, judge_cache)
    else:
        judge_obj = judge
    prompts = aj_prompts(records, getattr(be, "tokenizer", None), chat_template, be.chat)
    keys = aj_keys(records, prompts)
    results, todo = split_cached(records, cache, keys, be)
    same = group_by_key(todo, keys)
    order = list(same)
    step = max(1, batch_size)
    with progress("AJ", len(todo), quiet) as advance:
        for start in range(0, len(order), step):
            part = order[start:start + step]
            recs = [records[i] for i in part]
            seeds = [item_seed(r.id, seed) for r in recs]
            asked_prompts = [prompts[i] for i in part]
            cuts = be.truncated(asked_prompts, max_new_tokens)  # prompts cut from the left to fit the context
            answers = _answers(be, asked_prompts, seeds, temperature, max_new_tokens)
            orders = [ab_order(r.id, seed) for r in recs]
            asked = [k for k in range(len(recs)) if answers[k]]
            verdicts = judge_obj.judge([
                (recs[k].question, answers[k],
                 *((recs[k].statement, recs[k].reverse_statement) if orders[k] == "S-RS"
                   else (recs[k].reverse_statement, recs[k].statement))) for k in asked])
            by_k = dict(zip(asked, verdicts))
            new = []
            for k, (i, r) in enumerate(zip(part, recs)):
                v = by_k.get(k)
                if v is None:
                    verdict, correct, v = "empty", False, {"choice": None, "reason": "the model gave no answer"}
                elif v.get("choice") == "tie":  # the judge cannot tell S from RS: not correct, as an MC tie
                    verdict, correct = "tie", False
                elif v.get("choice") not in ("A", "B"):
                    verdict, correct = "invalid", None
                else:
                    verdict = "S" if (v["choice"] == "A") == (orders[k] == "S-RS") else "RS"
                    correct = verdict == "S"
                item = {"id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
                        "condition": r.condition, "method": "aj", "model": be.model_name, "backend": be.name,
                        "judge": judge_obj.name, "prompt": prompts[i], "statement": r.statement,
                        "reverse_statement": r.reverse_statement, "answer": answers[k], "seed": seeds[k],
                        "order": orders[k], "choice": v.get("choice"), "verdict": verdict,
                        "reason": v.get("reason"), "correct": correct, "truncated": cuts[k],
                        **{f"judge_{key}": val for key, val in v.items() if key not in _VERDICT_KEYS}}
                for j in same[i]:
                    results[j] = relabel(item, records[j])
                if verdict != "invalid":  # a judge failure is asked again on the next run
                    new.append((keys[i], item))
            if cache:
                cache.put_many(new)
            advance(sum(len(same[i]) for i in part))
    return results  # type: ignore[return-value]
