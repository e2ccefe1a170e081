"""The `openai` provider: any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp, `transformers serve`)
through langchain-openai.

One factory builds ChatOpenAI from Settings (temperature 0, seed, timeout). Structured output goes through
`structured.StructuredCaller`: the configured method (json_schema strict), then JSON mode, tool calling and plain
text read tolerantly, with the per-endpoint memory of what works; 429 / timeouts / 5xx are retried with backoff
and counted; a reply that is unreadable or fails validation (e.g. RS equal to S) is asked again `parse_retries`
times; what still fails is returned for the item (reason + raw reply), recorded in `usage.failures` and appended
to data_dir/llm_failures.jsonl. `max_tokens` is sized to each step's input. Results are cached on disk by
(model, step, rendered prompt). `map` runs many items with at most `max_concurrency` calls in flight.
`preflight()` checks the endpoint and the model name once, before a stage starts.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from . import prompts
from .base import (BatchMixin, ConflictVerdict, DocTags, Extraction, LLMUnavailable, Outcome, Screening,
                   SourceJudgment, STEPS, TopicLabel, Triple, Usage)
from .cache import ResultCache, cache_key
from .structured import RAW_KEEP, EndpointDown, ItemFailed, StructuredCaller, book_for, describe
from .validate import triple_problem

log = logging.getLogger(__name__)
SCHEMAS: dict[str, type[BaseModel]] = {"label_topic": TopicLabel, "tag_documents": DocTags,
                                       "screen_topic": Screening, "extract": Extraction,
                                       "judge_source": SourceJudgment, "construct": Triple,
                                       "verify_conflict": ConflictVerdict}
MAX_DOC_CHARS = 1500  # per document in topic prompts: a topic is judged from samples, not whole articles
MAX_ARTICLE_CHARS = 12000
_CJK = ("zh", "ja", "ko")
LOST_BEFORE_PROBE = 3  # items in a row without a connection before the endpoint is probed


class LLMCallError(RuntimeError):
    def __init__(self, msg: str, attempts: int, method: str = "", raw: str = "") -> None:
        super().__init__(msg)
        self.attempts, self.method, self.raw = attempts, method, raw


def build_chat_model(settings, api_key: str | None):
    """ChatOpenAI from the [llm] settings (the one place that builds it). Its own retries are off: the
    StructuredCaller retries (and counts) 429s, timeouts and 5xx itself."""
    from langchain_openai import ChatOpenAI

    c = settings.llm
    return ChatOpenAI(base_url=c.base_url, model=c.model, api_key=api_key or "EMPTY", temperature=c.temperature,
                      seed=c.seed, timeout=c.timeout_s, max_retries=0)


def _docs(docs: list[str]) -> str:
    return "\n".join(f"[Document {i + 1}] {d[:MAX_DOC_CHARS]}" for i, d in enumerate(docs))


def _tokens(text: str, lang: str) -> int:
    """A generous estimate of the tokens of a text (CJK: ~1.5 per character; others ~1 per 3.5 characters)."""
    return int(len(text) * 1.5) if lang in _CJK else len(text) // 3 + 1


def max_tokens_for(step: str, args: dict[str, Any], overrides: dict[str, int] | None = None) -> int:
    """max_tokens sized to the task: short for labels and verdicts, proportional to the text for extraction and
    triples (statements are close to the article's wording). `[llm] max_tokens = {step = N}` overrides."""
    if overrides and overrides.get(step):
        return int(overrides[step])
    lang = args.get("lang") or "en"
    if step == "label_topic":
        return 48
    if step == "tag_documents":
        return 32 + 48 * len(args["docs"])
    if step == "extract":
        return min(2048, 256 + _tokens(args["text"][:MAX_ARTICLE_CHARS], lang))
    if step == "construct":
        return min(1024, 96 + 3 * _tokens(args["statement"], lang))
    if step == "judge_source":
        return 96
    return 128  # screen_topic, verify_conflict: a boolean / label and one sentence


def _item(step: str, args: dict[str, Any]) -> str:
    """A short description of an item for failure records (stages record their own ids on the item)."""
    if step in ("extract",):
        text = args["text"]
    elif step in ("construct", "judge_source"):
        text = args["statement"]
    elif step in ("label_topic", "screen_topic"):
        text = "-".join(args["keywords"][:6])
    elif step == "tag_documents":
        text = f"{len(args['docs'])} documents: {args['docs'][0] if args['docs'] else ''}"
    else:
        text = f"{args['a']} | {args['b']}"
    return " ".join(text.split())[:80]


class OpenAIProvider(BatchMixin):
    offline = False

    def __init__(self, chat_model, *, model: str, method: str = "json_schema", parse_retries: int = 2,
                 max_concurrency: int = 4, cache: ResultCache | None = None, secret: str | None = None,
                 base_url: str = "", max_retries: int = 4, max_tokens: dict[str, int] | None = None,
                 failure_log: Path | None = None, backoff_s: float = 0.5) -> None:
        self.name = f"openai:{model}"
        self.model = model
        self.base_url = base_url or str(getattr(chat_model, "openai_api_base", "") or "")
        self.endpoint = f"{self.base_url}|{model}"
        self.usage = Usage(provider=self.name)
        self._chat = chat_model
        self._concurrency = max(1, max_concurrency)
        self._cache = cache
        self._secret = secret
        self._lock = threading.Lock()
        self._max_tokens = dict(max_tokens or {})
        self._failure_log = failure_log
        self._down: str | None = None
        self._lost = 0  # items in a row that could not reach the server
        self.book = book_for(self.endpoint, method)
        if cache is not None and not any(sum(s.values()) for s in self.book.as_dict().values()):
            saved = cache.get_methods(self.endpoint)
            if saved:
                self.book.load(saved)
        self.caller = StructuredCaller(chat_model, self.book, max_retries=max_retries, parse_retries=parse_retries,
                                       backoff_s=backoff_s, scrub=self._scrub)

    @classmethod
    def from_settings(cls, settings) -> "OpenAIProvider":
        key = settings.llm_api_key()
        c = settings.llm
        cache = ResultCache(settings.data_dir / "llm_cache.sqlite") if c.cache else None
        return cls(build_chat_model(settings, key), model=c.model, method=c.structured_method,
                   parse_retries=c.parse_retries, max_concurrency=c.max_concurrency, cache=cache, secret=key,
                   base_url=c.base_url, max_retries=c.max_retries, max_tokens=getattr(c, "max_tokens", None),
                   failure_log=settings.data_dir / "llm_failures.jsonl")

    # --- checks -------------------------------------------------------------------------------------------
    def list_models(self, timeout: float = 10.0) -> list[str] | None:
        """Model ids the endpoint serves; None when it has no /models listing. Raises LLMUnavailable."""
        import openai

        client = self._chat.root_client.with_options(timeout=timeout, max_retries=0)
        where = self.base_url or "the OpenAI API"
        try:
            return [m.id for m in client.models.list().data]
        except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
            raise LLMUnavailable(self._scrub(
                f"the LLM endpoint {where} rejected the API key ({describe(e)[:160]}); set NAVAB_LLM__API_KEY "
                "or OPENAI_API_KEY")) from None
        except openai.APIConnectionError as e:
            raise LLMUnavailable(self._scrub(
                f"the LLM endpoint {where} is unreachable ({type(e).__name__}: {getattr(e, 'message', e)}); start "
                "the server or fix [llm] base_url (NAVAB_LLM__BASE_URL)")) from None
        except openai.APIStatusError:
            return None  # no /models route (some gateways): the first call will tell

    def preflight(self) -> None:
        """Before any work: the endpoint answers and serves the configured model (one clear line if not)."""
        ids = self.list_models()
        if ids and self.model not in ids:
            shown = ", ".join(ids[:8]) + (f" (+{len(ids) - 8} more)" if len(ids) > 8 else "")
            raise LLMUnavailable(f"model {self.model!r} is not served at {self.base_url}; it serves: {shown}. "
                                 "Set [llm] model (NAVAB_LLM__MODEL)")

    # --- plumbing -------------------------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def _messages(self, step: str, args: dict[str, Any]) -> list[tuple[str, str]]:
        lang = args.get("lang") or "en"
        if step == "label_topic":
            v = {"documents": _docs(args["docs"]), "keywords": "-".join(args["keywords"])}
        elif step == "tag_documents":
            v = {"documents": _docs(args["docs"])}
        elif step == "screen_topic":
            v = {"label": args["label"], "keywords": ", ".join(args["keywords"]), "documents": _docs(args["docs"])}
        elif step == "extract":
            v = {"text": args["text"][:MAX_ARTICLE_CHARS]}
        elif step == "judge_source":
            v = {"statement": args["statement"], "context": (args.get("context") or "")[:MAX_DOC_CHARS]}
        elif step == "construct":
            v = {"statement": args["statement"]}
        else:
            v = {"a": args["a"], "b": args["b"]}
        return prompts.render(step, lang, **v)

    def _example(self, step: str, lang: str) -> tuple[str, str]:
        args, answer = prompts.EXAMPLES[step]
        user = self._messages(step, {**args, "lang": lang})[-1][1]
        return user, json.dumps(answer, ensure_ascii=False)

    def _check(self, step: str, value: BaseModel, args: dict[str, Any]) -> str | None:
        if step == "construct":
            return triple_problem(value, args["statement"], args.get("lang") or "en")
        if step == "tag_documents" and len(value.tags) != len(args["docs"]):
            return f"{len(value.tags)} tags for {len(args['docs'])} documents"
        return None

    def _call(self, step: str, args: dict[str, Any]) -> BaseModel:
        """One item: the cache, else the structured caller (methods, retries); raises LLMCallError."""
        schema = SCHEMAS[step]
        msgs = self._messages(step, args)
        key = cache_key(self.model, step, msgs)
        if self._cache is not None:
            hit = self._cache.get(key)
            if hit is not None:
                with self._lock:
                    self.usage.cached += 1
                    self.usage.step(step).cached += 1
                return schema.model_validate(hit)
        if self._down:
            raise LLMCallError(f"not asked: {self._down}", 0)
        lang = args.get("lang") or "en"
        try:
            res = self.caller.call(schema, msgs, max_tokens=max_tokens_for(step, args, self._max_tokens),
                                   example=self._example(step, lang), check=lambda v: self._check(step, v, args))
        except ItemFailed as e:
            self._count(step, e.calls, e.method, ok=False, tokens=e.tokens)
            self._lost = self._lost + 1 if e.unreachable else 0
            if self._lost >= LOST_BEFORE_PROBE:
                self._probe()
            raw = f"; raw reply: {e.raw[:200]!r}" if e.raw else ""
            raise LLMCallError(f"{e.reason}{raw}", e.attempts, e.method, e.raw) from None
        except EndpointDown as e:
            self._mark_down(str(e))
            raise LLMCallError(str(e), 1) from None
        self._lost = 0
        self._count(step, res.calls, res.method, ok=True, tokens=(res.prompt_tokens, res.completion_tokens))
        if self._cache is not None:
            self._cache.put(key, step, res.value.model_dump())
        return res.value

    def _mark_down(self, reason: str) -> None:
        with self._lock:
            if not self._down:
                self._down = f"the endpoint is down: {reason}"
                self.usage.notes.append(self._down)
                log.error("%s: %s", self.name, self._down)

    def _probe(self) -> None:
        """Several items in a row lost the connection: if the server is gone, stop asking (items are recorded)."""
        try:
            self.list_models(timeout=5.0)
        except LLMUnavailable as e:
            self._mark_down(str(e))

    def _count(self, step: str, calls: int, method: str, *, ok: bool, tokens: tuple[int, int] = (0, 0)) -> None:
        with self._lock:
            s = self.usage.step(step)
            self.usage.calls += calls
            s.calls += calls
            extra = max(0, calls - 1)
            self.usage.retried += extra
            s.retried += extra
            self.usage.prompt_tokens += tokens[0]
            self.usage.completion_tokens += tokens[1]
            if ok:
                s.methods[method] = s.methods.get(method, 0) + 1

    def _record_failure(self, step: str, args: dict[str, Any], out: Outcome) -> None:
        rec = {"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "provider": self.name, "step": step,
               "item": _item(step, args), "method": out.method, "attempts": out.attempts,
               "reason": (out.error or "")[:500], "raw": out.raw[:RAW_KEEP]}
        with self._lock:
            self.usage.failed += 1
            self.usage.step(step).failed += 1
            self.usage.record_failure(rec)
            if self._failure_log is not None:
                try:
                    self._failure_log.parent.mkdir(parents=True, exist_ok=True)
                    with open(self._failure_log, "a", encoding="utf-8") as f:
                        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                except OSError as e:  # the failure is still on the item and in usage.failures
                    log.warning("cannot append to %s: %s", self._failure_log, e)

    def map(self, step: str, items: list[dict[str, Any]],
            progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """Many items of one step with at most llm.max_concurrency calls in flight; errors per item."""
        from langchain_core.runnables import RunnableLambda

        if step not in STEPS:
            raise ValueError(f"unknown LLM step {step!r}; expected one of {STEPS}")

        def one(args: dict[str, Any]) -> Outcome:
            with self._lock:
                self.usage.step(step).items += 1
            try:
                out = Outcome(self._call(step, args))
            except LLMCallError as e:
                out = Outcome(None, str(e), e.attempts, e.method, e.raw)
            except Exception as e:  # a bug in rendering etc.: still recorded on the item
                out = Outcome(None, self._scrub(f"{type(e).__name__}: {e}"), 1)
            if not out.ok:
                self._record_failure(step, args, out)
            if progress:
                progress(1)
            return out

        try:
            return RunnableLambda(one).batch(items, config={"max_concurrency": self._concurrency})
        finally:
            if self._cache is not None:
                self._cache.put_methods(self.endpoint, self.book.as_dict())

    def _single(self, step: str, **args: Any) -> Any:
        out = self.map(step, [args])[0]
        if not out.ok:
            raise LLMCallError(out.error or "failed", out.attempts, out.method, out.raw)
        return out.value

    # --- the interface --------------------------------------------------------------------------------------
    def label_topic(self, keywords, docs, lang):
        return self._single("label_topic", keywords=keywords, docs=docs, lang=lang)

    def tag_documents(self, docs, lang):
        return self._single("tag_documents", docs=docs, lang=lang)

    def screen_topic(self, label, keywords, docs, lang):
        return self._single("screen_topic", label=label, keywords=keywords, docs=docs, lang=lang)

    def extract(self, text, lang):
        return self._single("extract", text=text, lang=lang)

    def judge_source(self, statement, context, lang):
        return self._single("judge_source", statement=statement, context=context, lang=lang)

    def construct(self, statement, lang, context=""):
        return self._single("construct", statement=statement, lang=lang, context=context)

    def verify_conflict(self, a, b, lang):
        return self._single("verify_conflict", a=a, b=b, lang=lang)
