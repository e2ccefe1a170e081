"""Multiple-Choice (MC) evaluation (paper section 4.1).

Context = question + per-language answer prefix; the score of S and RS is the perplexity of their tokens only.
An item is correct when PPL(S) < PPL(RS).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from .backends import Backend, get_backend
from .cache import ItemCache, record_key, split_cached
from .progress import progress
from .prompts import mc_context, mc_continuation
from .snapshot import Record


def ppl(nll: float) -> float:
    return math.exp(nll) if nll < 700 else math.inf


def mc_requests(records: Sequence[Record], tokenizer: Any = None, chat_template: bool = False
                ) -> list[tuple[str, str, str]]:
    """(context, " S", " RS") per record, in the record's language."""
    return [(mc_context(r.question, r.language, tokenizer, chat_template),
             mc_continuation(r.statement, r.language), mc_continuation(r.reverse_statement, r.language))
            for r in records]


def evaluate_mc(records: Sequence[Record], model: Any, tokenizer: Any = None, backend: str = "hf",
                batch_size: int = 8, chat_template: bool = False, cache: ItemCache | None = None,
                quiet: bool = True, **backend_kwargs: Any) -> list[dict[str, Any]]:
    """Score every record; -> one result dict per record, in input order.

    model: a name/path (loaded by the backend), a loaded transformers model (pass tokenizer), or a Backend.
    cache: reuse and store item results (see ItemCache). Keys of each dict: id, nation, set, split, language,
    method="mc", model, backend, correct, ppl_s, ppl_rs, nll_s, nll_rs, n_tokens_s, n_tokens_rs, truncated.
    """
    be: Backend = get_backend(backend, model, tokenizer=tokenizer, batch_size=batch_size, **backend_kwargs)
    tok = getattr(be, "tokenizer", None)
    results, todo = split_cached(records, cache)
    requests = mc_requests([records[i] for i in todo], tok, chat_template)
    chunk = max(1, batch_size) * 4
    with progress("MC", len(todo), quiet) as advance:
        for start in range(0, len(todo), chunk):
            part = todo[start:start + chunk]
            scored = be.score_pairs(requests[start:start + chunk])
            new = []
            for i, (s, rs) in zip(part, scored):
                r = records[i]
                item = {
                    "id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
                    "method": "mc", "model": be.model_name, "backend": be.name,
                    "correct": s.nll < rs.nll, "ppl_s": ppl(s.nll), "ppl_rs": ppl(rs.nll),
                    "nll_s": s.nll, "nll_rs": rs.nll, "n_tokens_s": s.n_tokens, "n_tokens_rs": rs.n_tokens,
                    "truncated": s.truncated or rs.truncated,
                }
                results[i] = item
                new.append((record_key(r), item))
            if cache:
                cache.put_many(new)
            advance(len(part))
    return results  # type: ignore[return-value]
