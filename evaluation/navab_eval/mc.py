"""Multiple-Choice (MC) evaluation (paper section 4.1).

Context = question + per-language answer prefix; S and RS are scored by the log-likelihood of their tokens
only. The scorer returns per continuation the summed log-probability and its token count; the comparison is
normalised here (``normalize``):
- mean: mean log-prob per token, i.e. the paper's perplexity (the default); correct when PPL(S) < PPL(RS)
- sum: the summed log-prob (lm-evaluation-harness's ``acc``)
- bytes: per UTF-8 byte of the answer text (lm-eval's ``acc_bytes``)
- chars: per character of the answer text (lm-eval's ``acc_norm``)
The answer text is S / RS without the separator, as lm-eval measures its choices. Ties are not correct.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from .backends import Backend
from .cache import ItemCache, group_by_key, item_key, relabel, split_cached
from .models import open_backend
from .progress import progress
from .prompts import mc_context, mc_continuation
from .snapshot import Record

NORMALIZE = ("mean", "sum", "bytes", "chars")


def ppl(nll: float) -> float:
    return math.exp(nll) if nll < 700 else math.inf


def mc_requests(records: Sequence[Record], tokenizer: Any = None, chat_template: bool = False
                ) -> list[tuple[str, str, str]]:
    """(context, " S", " RS") per record, in the record's language."""
    return [(mc_context(r.question, r.language, tokenizer, chat_template),
             mc_continuation(r.statement, r.language), mc_continuation(r.reverse_statement, r.language))
            for r in records]


def mc_keys(records: Sequence[Record], requests: Sequence[tuple[str, str, str]]) -> list[str]:
    """Cache key per item: its content and the exact strings scored."""
    return [item_key(r, *q) for r, q in zip(records, requests)]


def score(logprob: float, n_tokens: int, text: str, normalize: str) -> float:
    """Lower is better: the negative log-likelihood under the chosen normalisation."""
    if normalize == "mean":
        return -logprob / n_tokens
    if normalize == "sum":
        return -logprob
    size = len(text.encode("utf-8")) if normalize == "bytes" else len(text)
    return -logprob / max(1, size)


def _check_normalize(normalize: str) -> None:
    if normalize not in NORMALIZE:
        raise ValueError(f"--normalize must be one of {', '.join(NORMALIZE)}, not {normalize!r}")


def mc_item(r: Record, request: tuple[str, str, str], s: Any, rs: Any, be: Backend, normalize: str
            ) -> dict[str, Any]:
    context, cont_s, cont_rs = request
    score_s = score(s.logprob, s.n_tokens, r.statement.strip(), normalize)
    score_rs = score(rs.logprob, rs.n_tokens, r.reverse_statement.strip(), normalize)
    nll_s, nll_rs = -s.logprob / s.n_tokens, -rs.logprob / rs.n_tokens
    return {
        "id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
        "condition": r.condition, "method": "mc", "model": be.model_name, "backend": be.name,
        "correct": score_s < score_rs, "normalize": normalize, "score_s": score_s, "score_rs": score_rs,
        "ppl_s": ppl(nll_s), "ppl_rs": ppl(nll_rs), "nll_s": nll_s, "nll_rs": nll_rs,
        "logprob_s": s.logprob, "logprob_rs": rs.logprob, "n_tokens_s": s.n_tokens, "n_tokens_rs": rs.n_tokens,
        "n_bytes_s": len(r.statement.strip().encode("utf-8")),
        "n_bytes_rs": len(r.reverse_statement.strip().encode("utf-8")),
        "greedy_s": getattr(s, "is_greedy", None), "greedy_rs": getattr(rs, "is_greedy", None),
        "truncated": bool(getattr(s, "truncated", False) or getattr(rs, "truncated", False)),
        "context": context, "continuation_s": cont_s, "continuation_rs": cont_rs,
    }


def evaluate_mc(records: Sequence[Record], model: Any, tokenizer: Any = None, backend: str = "hf",
                batch_size: int = 8, chat_template: bool = False, cache: ItemCache | None = None,
                quiet: bool = True, normalize: str = "mean", bos: str | None = None,
                **backend_kwargs: Any) -> list[dict[str, Any]]:
    """Score every record; -> one result dict per record, in input order.

    model: a name/path (loaded by the backend), a loaded transformers model (pass tokenizer), or a Backend.
    cache: reuse and store item results (see ItemCache). normalize: mean | sum | bytes | chars (module doc).
    bos: auto | always | never (None: the backend's default). Keys of each dict: id, nation, set, split,
    language, condition, method="mc", model, backend, correct, normalize, score_s, score_rs, ppl_s, ppl_rs,
    nll_s, nll_rs (mean per token), logprob_s, logprob_rs (sums), n_tokens_s, n_tokens_rs, n_bytes_s,
    n_bytes_rs, greedy_s, greedy_rs, truncated, and the scored texts context, continuation_s, continuation_rs.
    """
    _check_normalize(normalize)
    be: Backend = open_backend(backend, model, tokenizer=tokenizer, bos=bos, batch_size=batch_size,
                               quiet=quiet, **backend_kwargs)
    tok = getattr(be, "tokenizer", None)
    requests = mc_requests(records, tok, chat_template)
    keys = mc_keys(records, requests)
    results, todo = split_cached(records, cache, keys, be)
    same = group_by_key(todo, keys)  # a statement in both with_cr and without_cr is scored once
    # longest first, so each batch holds sequences of similar length (less padding)
    order = sorted(same, key=lambda i: -(len(requests[i][0]) + max(len(requests[i][1]), len(requests[i][2]))))
    step = max(1, batch_size)
    with progress("MC", len(todo), quiet) as advance:
        for start in range(0, len(order), step):
            part = order[start:start + step]
            scored = be.score_pairs([requests[i] for i in part])
            new = []
            for i, (s, rs) in zip(part, scored):
                item = mc_item(records[i], requests[i], s, rs, be, normalize)
                for j in same[i]:
                    results[j] = relabel(item, records[j])
                new.append((keys[i], item))
            if cache:
                cache.put_many(new)
            advance(sum(len(same[i]) for i in part))
    return results  # type: ignore[return-value]
