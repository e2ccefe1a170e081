"""The `openai` provider: any OpenAI-compatible chat endpoint through langchain-openai.

One factory builds ChatOpenAI from Settings (temperature 0, seed, timeout, max_retries: the openai client
retries 429 / timeouts / 5xx with exponential backoff and honours Retry-After). Structured output uses the
pydantic schemas of base.py. A malformed JSON reply or a result that fails validation is asked again
`parse_retries` times, then raised (the stage records it on the item). Successful results are cached on disk by
(model, step, rendered prompt). `map` runs many items with bounded concurrency (Runnable.batch).
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from pydantic import BaseModel

from . import prompts
from .base import (BatchMixin, ConflictVerdict, DocTags, Extraction, Outcome, Screening, SourceJudgment, STEPS,
                   TopicLabel, Triple, Usage)
from .cache import ResultCache, cache_key
from .validate import triple_problem

log = logging.getLogger(__name__)
SCHEMAS: dict[str, type[BaseModel]] = {"label_topic": TopicLabel, "tag_documents": DocTags,
                                       "screen_topic": Screening, "extract": Extraction,
                                       "judge_source": SourceJudgment, "construct": Triple,
                                       "verify_conflict": ConflictVerdict}
MAX_DOC_CHARS = 1500  # per document in topic prompts: a topic is judged from samples, not whole articles
MAX_ARTICLE_CHARS = 12000


class LLMCallError(RuntimeError):
    def __init__(self, msg: str, attempts: int) -> None:
        super().__init__(msg)
        self.attempts = attempts


def build_chat_model(settings, api_key: str | None):
    """ChatOpenAI from the [llm] settings (the one place that builds it)."""
    from langchain_openai import ChatOpenAI

    c = settings.llm
    return ChatOpenAI(base_url=c.base_url, model=c.model, api_key=api_key or "EMPTY", temperature=c.temperature,
                      seed=c.seed, timeout=c.timeout_s, max_retries=c.max_retries)


def _docs(docs: list[str]) -> str:
    return "\n".join(f"[Document {i + 1}] {d[:MAX_DOC_CHARS]}" for i, d in enumerate(docs))


class OpenAIProvider(BatchMixin):
    offline = False

    def __init__(self, chat_model, *, model: str, method: str = "json_schema", parse_retries: int = 2,
                 max_concurrency: int = 4, cache: ResultCache | None = None, secret: str | None = None) -> None:
        self.name = f"openai:{model}"
        self.model = model
        self.usage = Usage(provider=self.name)
        self._chat = chat_model
        self._method = method
        self._parse_retries = parse_retries
        self._concurrency = max(1, max_concurrency)
        self._cache = cache
        self._secret = secret
        self._lock = threading.Lock()
        self._runnables: dict[str, Any] = {}

    @classmethod
    def from_settings(cls, settings) -> "OpenAIProvider":
        key = settings.llm_api_key()
        cache = ResultCache(settings.data_dir / "llm_cache.sqlite") if settings.llm.cache else None
        return cls(build_chat_model(settings, key), model=settings.llm.model, method=settings.llm.structured_method,
                   parse_retries=settings.llm.parse_retries, max_concurrency=settings.llm.max_concurrency,
                   cache=cache, secret=key)

    # --- plumbing -------------------------------------------------------------------------------------------
    def _runnable(self, step: str):
        if step not in self._runnables:
            self._runnables[step] = self._chat.with_structured_output(SCHEMAS[step], method=self._method,
                                                                      include_raw=True)
        return self._runnables[step]

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

    def _check(self, step: str, value: BaseModel, args: dict[str, Any]) -> str | None:
        if step == "construct":
            return triple_problem(value, args["statement"], args.get("lang") or "en")
        if step == "tag_documents" and len(value.tags) != len(args["docs"]):
            return f"{len(value.tags)} tags for {len(args['docs'])} documents"
        return None

    def _call(self, step: str, args: dict[str, Any]) -> BaseModel:
        """One item: cache, then up to 1 + parse_retries calls (the HTTP client retries 429/timeouts itself)."""
        schema = SCHEMAS[step]
        msgs = self._messages(step, args)
        key = cache_key(self.model, step, msgs)
        if self._cache is not None:
            hit = self._cache.get(key)
            if hit is not None:
                with self._lock:
                    self.usage.cached += 1
                return schema.model_validate(hit)
        problem, attempts = "", 0
        for attempts in range(1, self._parse_retries + 2):
            with self._lock:
                self.usage.calls += 1
            try:
                out = self._runnable(step).invoke(msgs)
            except Exception as e:
                if not _is_parse_error(e):
                    raise LLMCallError(self._scrub(f"{type(e).__name__}: {e}"), attempts) from None
                problem = self._scrub(f"malformed reply: {type(e).__name__}: {e}")[:500]
                log.warning("%s: %s (attempt %d)", step, problem, attempts)
                continue
            self._count_tokens(out.get("raw"))
            value, err = out.get("parsed"), out.get("parsing_error")
            if err is not None or value is None:
                problem = self._scrub(f"malformed reply: {err or 'no structured output'}")[:500]
            else:
                problem = self._check(step, value, args) or ""
                if not problem:
                    if self._cache is not None:
                        self._cache.put(key, step, value.model_dump())
                    return value
                problem = f"invalid result: {problem}"
            log.warning("%s: %s (attempt %d)", step, problem, attempts)
        raise LLMCallError(problem, attempts)

    def _count_tokens(self, raw: Any) -> None:
        meta = getattr(raw, "usage_metadata", None) or {}
        with self._lock:
            self.usage.prompt_tokens += int(meta.get("input_tokens", 0) or 0)
            self.usage.completion_tokens += int(meta.get("output_tokens", 0) or 0)

    def map(self, step: str, items: list[dict[str, Any]],
            progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """Many items of one step with at most llm.max_concurrency calls in flight; errors per item."""
        from langchain_core.runnables import RunnableLambda

        if step not in STEPS:
            raise ValueError(f"unknown LLM step {step!r}; expected one of {STEPS}")

        def one(args: dict[str, Any]) -> Outcome:
            try:
                out = Outcome(self._call(step, args))
            except LLMCallError as e:
                with self._lock:
                    self.usage.failed += 1
                out = Outcome(None, str(e), e.attempts)
            except Exception as e:  # a bug in rendering etc.: still recorded on the item
                with self._lock:
                    self.usage.failed += 1
                out = Outcome(None, self._scrub(f"{type(e).__name__}: {e}"), 1)
            if progress:
                progress(1)
            return out

        return RunnableLambda(one).batch(items, config={"max_concurrency": self._concurrency})

    def _single(self, step: str, **args: Any) -> Any:
        out = self.map(step, [args])[0]
        if not out.ok:
            raise LLMCallError(out.error or "failed", out.attempts)
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


def _is_parse_error(e: Exception) -> bool:
    """A reply that arrived but could not be parsed (retry it) vs a transport/API error (already retried)."""
    import json

    from pydantic import ValidationError

    name = type(e).__name__
    return isinstance(e, (json.JSONDecodeError, ValidationError, ValueError)) and "APIError" not in name or \
        name in {"OutputParserException", "LengthFinishReasonError", "ContentFilterFinishReasonError"}
