"""Structured output that degrades gracefully, for any OpenAI-compatible chat endpoint.

A real endpoint may enforce `response_format` (OpenAI, vLLM), reject it (HTTP 400), or accept and ignore it
(`transformers serve`), and a weak model may answer in prose, wrap the JSON in a code fence, or stop at
`max_tokens`. So one item is asked with the methods of a chain, in order:

    json_schema (strict)  ->  json_mode  ->  function_calling  ->  text

`json_mode` and `text` put the schema's shape and one worked example into the prompt (a demonstration turn is
what makes small models answer in JSON); every reply is read with a tolerant JSON reader (code fences, the first
balanced object, trailing commas, Python literals) and validated with pydantic. Per endpoint a `MethodBook`
remembers which methods worked, were rejected by the server, or keep producing unreadable replies, so later items
start with the method that works. Transport errors (429, timeouts, 5xx, dropped connections) are retried with
exponential backoff honouring Retry-After; unreadable replies are asked again with the reason; everything is
bounded and what still fails is raised as `ItemFailed` (reason, raw reply, method) for the caller to record.
Nothing here knows the pipeline: navab_graph.llm.openai_provider and `navab-graph llm check` use it.
"""
from __future__ import annotations

import ast
import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)
METHODS = ("json_schema", "json_mode", "function_calling", "text")
DEAD_AFTER = 3  # unreadable replies, with no success at all, after which an endpoint's method is skipped
MAX_TOKENS_CAP = 4096
RAW_KEEP = 300  # characters of a raw reply kept in failure records
_METHOD_WORDS = re.compile(r"response_format|json_schema|json_object|structured|tool|function|schema|strict|"
                           r"grammar|guided", re.I)


class EndpointDown(RuntimeError):
    """Asking again will not help: the key is rejected or the model is unknown (HTTP 401/403/404)."""


class ItemFailed(RuntimeError):
    def __init__(self, reason: str, *, method: str = "", raw: str = "", calls: int = 0, attempts: int = 0,
                 unreachable: bool = False, tokens: tuple[int, int] = (0, 0)):
        super().__init__(reason)
        self.reason, self.method, self.raw, self.calls, self.attempts = reason, method, raw, calls, attempts
        self.unreachable = unreachable  # no connection to the server after the retries
        self.tokens = tokens  # (prompt, completion) tokens the failed attempts used


@dataclass
class Result:
    value: BaseModel
    method: str
    calls: int  # HTTP requests made for the item, transport retries included
    attempts: int  # replies read
    raw: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0


# --- per-endpoint memory -------------------------------------------------------------------------------------
@dataclass
class MethodStats:
    ok: int = 0  # replies that parsed into the schema
    bad: int = 0  # replies that did not
    rejected: int = 0  # HTTP 400/422 naming the method's parameters: the server does not support it


@dataclass
class MethodBook:
    """Which structured-output methods work at one endpoint (base_url + model)."""

    configured: str = "json_schema"
    stats: dict[str, MethodStats] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.configured not in METHODS:
            raise ValueError(f"[llm] structured_method = {self.configured!r}: expected one of {', '.join(METHODS)}")
        for m in METHODS:
            self.stats.setdefault(m, MethodStats())

    def chain(self) -> list[str]:
        return [self.configured] + [m for m in METHODS if m != self.configured]

    def dead(self, method: str) -> bool:
        s = self.stats[method]
        return s.rejected > 0 or (s.ok == 0 and s.bad >= DEAD_AFTER)

    def order(self) -> list[str]:
        """Methods to try for the next item: the first that has worked, then the others still worth a try."""
        with self._lock:
            alive = [m for m in self.chain() if not self.dead(m)]
            if not alive:  # everything looked bad: keep trying whatever the server accepts, text last
                alive = [m for m in self.chain() if not self.stats[m].rejected] or ["text"]
            best = next((m for m in alive if self.stats[m].ok), None)
            return [best] + [m for m in alive if m != best] if best else alive

    def note(self, method: str, outcome: str) -> None:
        with self._lock:
            s = self.stats[method]
            setattr(s, outcome, getattr(s, outcome) + 1)

    def working(self) -> str | None:
        order = self.order()
        return order[0] if self.stats[order[0]].ok else None

    def as_dict(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {m: vars(s).copy() for m, s in self.stats.items()}

    def load(self, saved: dict[str, dict[str, int]]) -> None:
        with self._lock:
            for m, s in saved.items():
                if m in self.stats:
                    self.stats[m] = MethodStats(**{k: int(v) for k, v in s.items() if k in ("ok", "bad", "rejected")})


_BOOKS: dict[str, MethodBook] = {}
_BOOKS_LOCK = threading.Lock()


def book_for(endpoint: str, configured: str) -> MethodBook:
    """One book per endpoint and configured method for the whole process (several providers share it)."""
    with _BOOKS_LOCK:
        key = f"{endpoint}|{configured}"
        if key not in _BOOKS:
            _BOOKS[key] = MethodBook(configured)
        return _BOOKS[key]


# --- schemas in prompts and requests -------------------------------------------------------------------------
def shape(schema: type[BaseModel]) -> str:
    """A compact picture of the JSON a schema wants: {"label": string, "tags": [{"tag": string}, ...]}."""
    js = schema.model_json_schema()
    defs = js.get("$defs", {})

    def walk(node: dict) -> str:
        if "$ref" in node:
            return walk(defs[node["$ref"].split("/")[-1]])
        if "anyOf" in node:
            return " | ".join(walk(n) for n in node["anyOf"])
        if "enum" in node:
            return " | ".join(json.dumps(v, ensure_ascii=False) for v in node["enum"])
        if "const" in node:
            return json.dumps(node["const"], ensure_ascii=False)
        t = node.get("type")
        if t == "object" or "properties" in node:
            return "{" + ", ".join(f"{json.dumps(k)}: {walk(v)}" for k, v in node.get("properties", {}).items()) + "}"
        if t == "array":
            return f"[{walk(node.get('items', {}))}, ...]"
        return str(t or "any")

    return walk(js)


def format_hint(schema: type[BaseModel]) -> str:
    return f"Answer with one JSON object and nothing else, shaped like this: {shape(schema)}"


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """OpenAI strict json_schema response_format (the schema adjusted for strict mode by langchain)."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    fn = convert_to_openai_tool(schema, strict=True)["function"]
    spec = {"name": fn["name"], "schema": fn["parameters"], "strict": True}
    if fn.get("description"):
        spec["description"] = fn["description"]
    return {"type": "json_schema", "json_schema": spec}


def tool_spec(schema: type[BaseModel]) -> dict[str, Any]:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    return convert_to_openai_tool(schema)


# --- reading replies -----------------------------------------------------------------------------------------
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)(?:```|$)", re.S)


def find_json(text: str) -> tuple[str | None, str]:
    """The JSON object in a reply (inside a code fence, else the first balanced {...}); (None, why) if none."""
    m = _FENCE.search(text)
    if m and "{" in m.group(1):
        text = m.group(1)
    start = text.find("{")
    if start < 0:
        return None, "no JSON object in the reply"
    depth, in_str, esc = 0, False, False
    for i in range(start, len(text)):
        c = text[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1], ""
    return None, "unterminated JSON object (the reply was cut short)"


def _python_literals(block: str) -> str:
    """true/false/null -> True/False/None outside quoted strings, so ast.literal_eval reads JSON-ish dicts."""
    out, quote, i = [], "", 0
    words = {"true": "True", "false": "False", "null": "None"}
    while i < len(block):
        c = block[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(block):
                out.append(block[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            out.append(c)
        else:
            m = re.match(r"true|false|null", block[i:])
            if m and not (i and (block[i - 1].isalnum() or block[i - 1] == "_")):
                out.append(words[m.group(0)])
                i += len(m.group(0))
                continue
            out.append(c)
        i += 1
    return "".join(out)


def loads_tolerant(block: str) -> Any:
    """json.loads, then the usual slips of models: trailing commas, single quotes, Python/JSON literal mixes."""
    try:
        return json.loads(block, strict=False)
    except json.JSONDecodeError as e:
        first = e
    no_commas = re.sub(r",\s*([}\]])", r"\1", block)
    try:
        return json.loads(no_commas, strict=False)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(_python_literals(no_commas))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f"invalid JSON: {first.msg} at char {first.pos}") from None


def _short(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, er['loc'])) or 'value'}: {er['msg']}" for er in e.errors()[:4])


def coerce(obj: Any, schema: type[BaseModel]) -> BaseModel:
    """Validate, also accepting the common wrappings: {"Name": {...}}, {"properties": {...}}, a bare list."""
    tries = [obj]
    if isinstance(obj, dict):
        tries += [v for v in obj.values() if isinstance(v, dict)] if len(obj) <= 2 else []
    lists = [k for k, f in schema.model_fields.items() if "list" in str(f.annotation).lower()]
    if isinstance(obj, list) and len(lists) == 1:
        tries.append({lists[0]: obj})
    first: ValidationError | None = None
    for t in tries:
        try:
            return schema.model_validate(t)
        except ValidationError as e:
            first = first or e
    raise ValueError(f"does not fit the schema: {_short(first)}") from None  # type: ignore[arg-type]


def read_reply(method: str, msg: Any, schema: type[BaseModel]) -> tuple[BaseModel | None, str, str, bool]:
    """(value, problem, raw text, cut at max_tokens) of one chat reply."""
    meta = getattr(msg, "response_metadata", None) or {}
    cut = meta.get("finish_reason") == "length"
    content = msg.content if isinstance(msg.content, str) else "".join(
        b.get("text", "") if isinstance(b, dict) else str(b) for b in msg.content or [])
    refusal = (getattr(msg, "additional_kwargs", None) or {}).get("refusal")
    if refusal:
        return None, f"the model refused: {refusal}", str(refusal), cut
    if meta.get("finish_reason") == "content_filter":
        return None, "the reply was stopped by the server's content filter", "", cut
    if method == "function_calling":
        calls = getattr(msg, "tool_calls", None) or []
        if calls:
            raw = json.dumps(calls[0].get("args"), ensure_ascii=False)
            obj: Any = calls[0].get("args")
        else:
            bad = getattr(msg, "invalid_tool_calls", None) or []
            if not bad:
                return None, "no tool call in the reply", content, cut
            raw = str(bad[0].get("args") or "")
            block, why = find_json(raw)
            if block is None:
                return None, f"tool call arguments: {why}", raw, cut
            try:
                obj = loads_tolerant(block)
            except ValueError as e:
                return None, f"tool call arguments: {e}", raw, cut
    else:
        raw = content
        block, why = find_json(content)
        if block is None:
            return None, why + (" at max_tokens" if cut else ""), raw, cut
        try:
            obj = loads_tolerant(block)
        except ValueError as e:
            return None, str(e), raw, cut
    try:
        return coerce(obj, schema), "", raw, cut
    except ValueError as e:
        return None, f"reply {e}", raw, cut


# --- calling ---------------------------------------------------------------------------------------------------
def _retryable(e: Exception) -> bool:
    import openai

    if isinstance(e, (openai.RateLimitError, openai.APIConnectionError, openai.InternalServerError)):
        return True
    return isinstance(e, openai.APIStatusError) and e.status_code in (408, 409, 425, 502, 503, 504)


def _retry_after(e: Exception) -> float | None:
    headers = getattr(getattr(e, "response", None), "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


def as_message(completion: Any, error: Exception) -> Any:
    """The AIMessage of a completion the openai client raised on (finish_reason length / content_filter)."""
    from langchain_core.messages import AIMessage

    choice = completion.choices[0] if completion is not None and completion.choices else None
    usage = getattr(completion, "usage", None)
    meta = {"input_tokens": usage.prompt_tokens, "output_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens} if usage else None
    finish = getattr(choice, "finish_reason", None) or ("length" if "length" in type(error).__name__.lower()
                                                         else "content_filter")
    content = (choice.message.content if choice is not None else None) or ""
    return AIMessage(content=content, response_metadata={"finish_reason": finish}, usage_metadata=meta)


def describe(e: Exception) -> str:
    msg = getattr(e, "message", None) or str(e)
    code = getattr(e, "status_code", None)
    return f"{type(e).__name__}{f' (HTTP {code})' if code else ''}: {msg}"[:400]


Messages = list[tuple[str, str]]


class StructuredCaller:
    """Calls one chat model for pydantic results with the method chain, retries and a `MethodBook`."""

    def __init__(self, chat: Any, book: MethodBook, *, max_retries: int = 4, parse_retries: int = 2,
                 backoff_s: float = 0.5, max_backoff_s: float = 30.0, scrub: Callable[[str], str] = str,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.chat, self.book = chat, book
        self.max_retries, self.parse_retries = max(0, max_retries), max(0, parse_retries)
        self.backoff_s, self.max_backoff_s = backoff_s, max_backoff_s
        self.scrub, self.sleep = scrub, sleep

    def request(self, method: str, messages: Messages, schema: type[BaseModel], max_tokens: int) -> tuple[Any, int]:
        """One reply, retrying 429 / timeouts / 5xx / dropped connections with backoff -> (AIMessage, requests)."""
        import openai

        kwargs: dict[str, Any] = {"max_tokens": int(max_tokens)}
        if method == "json_schema":
            kwargs["response_format"] = response_format(schema)
        elif method == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        elif method == "function_calling":
            tool = tool_spec(schema)
            kwargs["tools"] = [tool]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": tool["function"]["name"]}}
        for attempt in range(self.max_retries + 1):
            try:
                return self.chat.invoke(messages, **kwargs), attempt + 1
            except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as e:
                # with response_format set, the client refuses a reply cut at max_tokens: read it as a reply
                return as_message(getattr(e, "completion", None), e), attempt + 1
            except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as e:
                raise EndpointDown(self.scrub(describe(e))) from None
            except Exception as e:
                if not _retryable(e) or attempt == self.max_retries:
                    e.requests = attempt + 1  # type: ignore[attr-defined]
                    raise
                wait = _retry_after(e)
                if wait is None or wait > 120:
                    wait = min(self.max_backoff_s, self.backoff_s * 2 ** attempt) * (0.5 + random.random() / 2)
                log.info("LLM request: %s; retrying in %.2f s", self.scrub(describe(e))[:200], wait)
                self.sleep(wait)
        raise AssertionError("unreachable")

    def messages_for(self, method: str, messages: Messages, schema: type[BaseModel],
                     example: tuple[str, str] | None, feedback: tuple[str, str] | None) -> Messages:
        msgs = list(messages)
        if method in ("json_mode", "text"):
            hint = format_hint(schema)
            if msgs and msgs[0][0] == "system":
                msgs[0] = ("system", f"{msgs[0][1]}\n\n{hint}")
            else:
                msgs.insert(0, ("system", hint))
            if example:
                msgs[-1:-1] = [("user", example[0]), ("assistant", example[1])]
        if feedback:  # in the system message: the question stays the last message, as servers and fakes expect
            raw, problem = feedback
            again = ("Call the function with the arguments." if method == "function_calling"
                     else "Answer with only the JSON object.")
            note = f"An earlier answer to this request could not be used ({problem[:200]}). {again}"
            if msgs and msgs[0][0] == "system":
                msgs[0] = ("system", f"{msgs[0][1]}\n\n{note}")
            else:
                msgs.insert(0, ("system", note))
        return msgs

    def call(self, schema: type[BaseModel], messages: Messages, *, max_tokens: int,
             example: tuple[str, str] | None = None, check: Callable[[BaseModel], str | None] | None = None,
             methods: list[str] | None = None) -> Result:
        """One item. Raises ItemFailed (recorded by the caller) or EndpointDown; other errors are bugs."""
        import openai

        order = methods or self.book.order()
        pos = same = attempts = calls = 0
        feedback: tuple[str, str] | None = None
        problem, raw, method = "", "", order[0]
        tokens = [0, 0]
        while attempts <= self.parse_retries and pos < len(order):
            method = order[pos]
            msgs = self.messages_for(method, messages, schema, example, feedback)
            try:
                msg, n = self.request(method, msgs, schema, max_tokens)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as e:
                calls += 1
                problem = self.scrub(describe(e))
                if method != "text" and _METHOD_WORDS.search(str(e)):
                    self.book.note(method, "rejected")  # the server does not take this method's parameters
                    log.info("%s rejected by the server: %s", method, problem[:200])
                    pos, same = pos + 1, 0
                    continue
                raise ItemFailed(f"rejected by the server: {problem}", method=method, calls=calls,
                                 attempts=attempts + 1, tokens=(tokens[0], tokens[1])) from None
            except EndpointDown:
                raise
            except Exception as e:
                if _retryable(e):
                    calls += getattr(e, "requests", 1)
                    lost = isinstance(e, openai.APIConnectionError) and not isinstance(e, openai.APITimeoutError)
                    raise ItemFailed(self.scrub(f"{describe(e)} (after {getattr(e, 'requests', 1)} tries)"),
                                     method=method, calls=calls, attempts=attempts + 1, unreachable=lost,
                                     tokens=(tokens[0], tokens[1])) from None
                raise
            calls += n
            attempts += 1
            meta = getattr(msg, "usage_metadata", None) or {}
            tokens[0] += int(meta.get("input_tokens", 0) or 0)
            tokens[1] += int(meta.get("output_tokens", 0) or 0)
            value, problem, raw, cut = read_reply(method, msg, schema)
            raw = self.scrub(raw)
            if value is not None:
                self.book.note(method, "ok")  # the method gave schema-valid JSON, whatever check says
                problem = (check(value) if check else None) or ""
                if not problem:
                    return Result(value, method, calls, attempts, raw, tokens[0], tokens[1])
                problem = f"invalid result: {problem}"
            elif cut:  # too long for max_tokens: not the method's fault; ask again with twice the tokens
                problem = f"malformed reply ({method}): {problem}"
                max_tokens = min(MAX_TOKENS_CAP, max_tokens * 2)
            else:
                self.book.note(method, "bad")
                problem = f"malformed reply ({method}): {problem}"
                same += 1
                if same >= 2 or self.book.dead(method):
                    pos, same = pos + 1, 0
            log.info("%s (attempt %d)", problem[:300], attempts)
            feedback = (raw, problem)
        if pos >= len(order) and not problem:
            problem = "no structured-output method left to try"
        raise ItemFailed(problem[:500], method=method, raw=raw[:RAW_KEEP], calls=calls, attempts=attempts,
                         tokens=(tokens[0], tokens[1]))
