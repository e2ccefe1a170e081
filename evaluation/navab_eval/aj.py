"""Answer-Judgment (AJ) evaluation (paper section 4.1).

The evaluated model answers Q (greedy by default, seeded otherwise); a judge says whether the answer is closer
to reference A or B. Which of S / RS is A is drawn per item from a seeded RNG and recorded as `order`.
The item is correct when the judge picks S.
"""
from __future__ import annotations

import random
from typing import Any, Sequence

from .backends import Backend, get_backend
from .cache import ItemCache, JudgeCache, record_key, split_cached
from .judges import make_judge
from .progress import progress
from .prompts import aj_prompt
from .snapshot import Record


def ab_order(record_id: str, seed: int) -> str:
    """"S-RS" (A = S) or "RS-S" (A = RS), fixed by (seed, id) and independent of the other items."""
    return "S-RS" if random.Random(f"{seed}:{record_id}").random() < 0.5 else "RS-S"


def evaluate_aj(records: Sequence[Record], model: Any, tokenizer: Any = None, backend: str = "hf",
                judge: Any = "embedding", judge_base_url: str | None = None, batch_size: int = 8,
                chat_template: bool = False, temperature: float = 0.0, seed: int = 0, max_new_tokens: int = 128,
                cache: ItemCache | None = None, judge_cache: JudgeCache | None = None, quiet: bool = True,
                **backend_kwargs: Any) -> list[dict[str, Any]]:
    """Answer and judge every record; -> one dict per record, in input order.

    judge: "embedding" (offline), a chat model name served at judge_base_url (OpenAI-compatible), or a judge
    object with ``name`` and ``judge(requests)``. Keys of each dict: id, nation, set, split, language,
    method="aj", model, backend, judge, answer, order, choice, verdict ("S" | "RS" | "invalid"), reason, correct.
    """
    be: Backend = get_backend(backend, model, tokenizer=tokenizer, batch_size=batch_size, **backend_kwargs)
    judge_obj = make_judge(judge, judge_base_url, judge_cache) if isinstance(judge, str) else judge
    tok = getattr(be, "tokenizer", None)
    results, todo = split_cached(records, cache)
    chunk = max(1, batch_size) * 4
    with progress("AJ", len(todo), quiet) as advance:
        for start in range(0, len(todo), chunk):
            part = [records[i] for i in todo[start:start + chunk]]
            prompts = [r.question if be.chat else aj_prompt(r.question, r.language, tok, chat_template)
                       for r in part]
            answers = be.generate(prompts, max_new_tokens=max_new_tokens, temperature=temperature, seed=seed)
            orders = [ab_order(r.id, seed) for r in part]
            asked = [(k, r) for k, r in enumerate(part) if answers[k]]
            verdicts = judge_obj.judge([
                (r.question, answers[k], *((r.statement, r.reverse_statement) if orders[k] == "S-RS"
                                           else (r.reverse_statement, r.statement))) for k, r in asked])
            by_k = {k: v for (k, _), v in zip(asked, verdicts)}
            new = []
            for k, (i, r) in enumerate(zip(todo[start:start + chunk], part)):
                v = by_k.get(k, {"choice": None, "reason": "empty answer"})
                if v["choice"] is None:
                    verdict = "invalid"
                else:
                    verdict = "S" if (v["choice"] == "A") == (orders[k] == "S-RS") else "RS"
                item = {"id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
                        "method": "aj", "model": be.model_name, "backend": be.name, "judge": judge_obj.name,
                        "answer": answers[k], "order": orders[k], "choice": v["choice"], "verdict": verdict,
                        "reason": v["reason"], "correct": verdict == "S"}
                results[i] = item
                if verdict != "invalid":  # an invalid verdict is retried on the next run
                    new.append((record_key(r), item))
            if cache:
                cache.put_many(new)
            advance(len(part))
    return results  # type: ignore[return-value]
