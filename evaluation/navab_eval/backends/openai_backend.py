"""OpenAI-compatible server backend (OpenAI, a vLLM server, ...).

Generation: chat completions through the openai client (the prompt is sent as one user message).
Scoring: only where the server returns prompt log-probs through the legacy completions API
(``echo=True, logprobs=1``; vLLM does, api.openai.com does not); otherwise a clear BackendError.
The continuation's tokens are those whose text offset is at or after the end of the context (the server
tokenises context+continuation as one string, as lm-evaluation-harness does).
"""
from __future__ import annotations

import os
from typing import Any, Sequence

from .base import Backend, LogLik


class BackendError(RuntimeError):
    pass


def api_key(*names: str) -> str:
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    # Local servers (vLLM without --api-key) accept any key; the openai client insists on one.
    return "EMPTY"


class OpenAIBackend(Backend):
    name = "openai"
    chat = True  # prompts are sent as chat messages, not raw text

    def __init__(self, model: str, base_url: str | None = None, max_retries: int = 6, timeout: float = 120.0,
                 concurrency: int = 4, **_: Any):
        from openai import OpenAI

        if not isinstance(model, str):
            raise ValueError("the openai backend takes a model name served by the endpoint")
        self.model_name = model
        self.concurrency = max(1, concurrency)
        # The openai client retries 429 / 5xx / timeouts with exponential backoff (and honours Retry-After).
        self.client = OpenAI(base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
                             api_key=api_key("NAVAB_EVAL_API_KEY", "OPENAI_API_KEY"),
                             max_retries=max_retries, timeout=timeout)
        self._preflight()

    def _preflight(self) -> None:
        """Before any work: the server answers and serves the model (one clear BackendError if not)."""
        import openai

        where = self.client.base_url
        try:
            ids = [m.id for m in self.client.with_options(timeout=10, max_retries=0).models.list().data]
        except openai.APIConnectionError as e:
            raise BackendError(f"the server at {where} is unreachable ({type(e).__name__}); start it or fix "
                               "--base-url") from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
            raise BackendError(f"the server at {where} rejected the API key (HTTP {e.status_code}); set "
                               "NAVAB_EVAL_API_KEY or OPENAI_API_KEY") from None
        except openai.APIStatusError:
            return  # no /models route: the first request will tell
        if ids and self.model_name not in ids:
            raise BackendError(f"model {self.model_name!r} is not served at {where}; it serves: {', '.join(ids[:8])}")

    def _map(self, fn, items: Sequence[Any]) -> list[Any]:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.concurrency) as pool:
            return list(pool.map(fn, items))

    def generate(self, prompts: Sequence[str], max_new_tokens: int = 128, temperature: float = 0.0,
                 seed: int = 0) -> list[str]:
        import openai

        def one(prompt: str) -> str:
            try:
                resp = self.client.chat.completions.create(
                    model=self.model_name, messages=[{"role": "user", "content": prompt}],
                    max_tokens=max_new_tokens, temperature=temperature, seed=seed)
            except openai.APIError as e:  # after the client's retries: stop with one line, cached items kept
                raise BackendError(f"the server at {self.client.base_url} failed to answer for model "
                                   f"{self.model_name}: {type(e).__name__}: {getattr(e, 'message', e)}") from None
            return (resp.choices[0].message.content or "").strip()

        return self._map(one, prompts)

    def loglikelihood(self, requests: Sequence[tuple[str, str]]) -> list[LogLik]:
        def one(req: tuple[str, str]) -> LogLik:
            context, continuation = req
            resp = self.client.completions.create(model=self.model_name, prompt=context + continuation,
                                                  max_tokens=1, temperature=0, echo=True, logprobs=1)
            lp = resp.choices[0].logprobs
            if lp is None or not lp.token_logprobs or lp.text_offset is None:
                raise BackendError(
                    f"the server at {self.client.base_url} returned no prompt logprobs for model "
                    f"{self.model_name}; MC scoring needs echo+logprobs on /v1/completions (a vLLM server "
                    "has it). Use --backend hf or --backend vllm, or a server that supports it.")
            end, start = len(context) + len(continuation), len(context)
            total, n, greedy = 0.0, 0, True
            for i, (tok, off, logp) in enumerate(zip(lp.tokens, lp.text_offset, lp.token_logprobs)):
                if off < start or off >= end:
                    continue
                if logp is None:
                    raise BackendError(f"server returned no logprob for continuation token {i} ({tok!r})")
                total += logp
                n += 1
                top = (lp.top_logprobs or [None] * len(lp.tokens))[i]
                if top:
                    greedy &= max(top, key=top.get) == tok
            if n == 0:
                raise BackendError(f"no continuation tokens found in the echoed prompt for {continuation[:60]!r}")
            return LogLik(total, n, greedy)

        return self._map(one, requests)

    def close(self) -> None:
        self.client.close()
