"""Backend interface (shaped like lm-evaluation-harness's LM class) and the shared tokenisation rule."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Sequence


@dataclass(frozen=True)
class LogLik:
    """Log-likelihood of a continuation: sum of token log-probs (``logprob``), number of tokens (``n_tokens``),
    all tokens greedy. Normalisations (mean per token, per byte) are computed from these by the caller."""

    logprob: float
    n_tokens: int
    is_greedy: bool
    truncated: bool = False  # the sequence was cut from the left to fit the model's context

    @property
    def nll(self) -> float:
        """Mean negative log-likelihood per token; exp(nll) is the perplexity."""
        return -self.logprob / self.n_tokens


class Backend(ABC):
    """A scored / generating model. Subclasses: hf, vllm, openai (see the registry in ``backends/__init__``)."""

    name: str = "base"
    model_name: str = "unknown"
    chat: bool = False  # True: generate() sends prompts as chat messages (the server applies its template)

    @abstractmethod
    def loglikelihood(self, requests: Sequence[tuple[str, str]]) -> list[LogLik]:
        """(context, continuation) pairs -> LogLik per pair, in input order."""

    @abstractmethod
    def generate(self, prompts: Sequence[str], max_new_tokens: int = 128, temperature: float = 0.0,
                 seed: int = 0) -> list[str]:
        """Greedy (temperature 0) or seeded sampled completions of each prompt, in input order."""

    def truncated(self, prompts: Sequence[str], max_new_tokens: int = 128) -> list[bool]:
        """Per prompt, whether generate() cuts it from the left to fit the context beside max_new_tokens.
        Backends that cut prompts override this; the default (a server that takes or refuses a prompt) cuts none."""
        return [False] * len(prompts)

    def score_pairs(self, requests: Sequence[tuple[str, str, str]]) -> list[tuple[LogLik, LogLik]]:
        """(context, cont_a, cont_b) -> (LogLik a, LogLik b). Backends that can share the context's computation
        override this; the default scores the two sequences independently."""
        flat = self.loglikelihood([(c, x) for c, a, b in requests for x in (a, b)])
        return [(flat[2 * i], flat[2 * i + 1]) for i in range(len(requests))]

    def score_pair(self, context: str, cont_a: str, cont_b: str) -> tuple[LogLik, LogLik]:
        return self.score_pairs([(context, cont_a, cont_b)])[0]

    def close(self) -> None:
        """Release resources (GPU memory, HTTP clients)."""


def resolve_add_bos(bos: str | bool | None, tokenizer: Any) -> bool:
    """BOS policy -> whether to prepend BOS: a bool as is (the older ``add_bos``), None as ``auto``, a policy
    auto | always | never through :func:`navab_eval.models.resolve_add_bos` (the one definition; auto = what the
    tokenizer itself does, lm-evaluation-harness's default: SmolLM2 and most chat models add no BOS)."""
    if isinstance(bos, bool):
        return bos
    from ..models import resolve_add_bos as resolve

    return resolve("auto" if bos is None else str(bos).lower(), tokenizer)


def encode_pair(tokenizer: Any, context: str, continuation: str, add_bos: bool | str) -> tuple[list[int], list[int]]:
    """Tokenise like lm-evaluation-harness: move trailing spaces of the context to the continuation, encode
    context+continuation together and split at the context's token length. BOS is prepended when asked (a bool, or
    a policy for :func:`resolve_add_bos`) and the text does not already start with it (a chat template may render
    it). An empty context is scored from BOS (EOS when there is none), as lm-evaluation-harness does."""
    add_bos = resolve_add_bos(add_bos, tokenizer)
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    if not continuation:
        raise ValueError(f"empty continuation for context {context[:60]!r}")

    def enc(text: str) -> list[int]:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        bos = tokenizer.bos_token_id
        if add_bos and bos is not None and (not ids or ids[0] != bos):
            ids = [bos] + ids
        return ids

    whole = enc(context + continuation)
    ctx = enc(context)
    if not ctx:
        ctx = [tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id]
        whole = ctx + whole
    cont = whole[len(ctx):]
    if not cont:
        raise ValueError(f"continuation {continuation[:60]!r} produced no tokens after the context")
    return ctx, cont
