"""The LLM layer's interface: every LLM-backed step of the pipeline, with pydantic result schemas.

Two providers implement it: `openai` (langchain-openai against any OpenAI-compatible endpoint, structured
output, retries, cache) and `rules` (deterministic, offline, per-language rules). Stages only see this
interface, so every stage runs offline.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field


class TopicLabel(BaseModel):
    label: str = Field(description="Short topic label (2-6 words) in the documents' language.")


class DocTag(BaseModel):
    tag: str = Field(description="Short topic tag for the document.")
    explanation: str = Field("", description="Why this tag fits.")


class DocTags(BaseModel):
    tags: list[DocTag] = Field(description="One tag per input document, in input order.")


class Screening(BaseModel):
    value_related: bool = Field(description="Is the topic related to national values / positions?")
    reason: str = Field("", description="One sentence why.")


class ExtractedStatement(BaseModel):
    text: str = Field(description="A value statement, verbatim or minimally edited, in the article's language.")
    speaker: str | None = Field(None, description="Person the statement is attributed to, if any.")
    organization: str | None = Field(None, description="Organization the speaker speaks for, if any.")


class Extraction(BaseModel):
    statements: list[ExtractedStatement] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list, description="Organizations mentioned.")
    locations: list[str] = Field(default_factory=list, description="Places mentioned.")


class SourceJudgment(BaseModel):
    kind: Literal["quoted", "official"] = Field(description="quoted when attributed to a specific speaker.")
    speaker: str | None = None


class Triple(BaseModel):
    question: str = Field(description="A question whose answer is the statement's stance; ends with '?'.")
    statement: str = Field(description="The statement (S), in its language.")
    reverse: str = Field(description="The reverse statement (RS): the opposite stance, same language.")


class ConflictVerdict(BaseModel):
    relation: Literal["conflict", "agree", "unrelated"]
    reason: str = ""


class LLMUnavailable(RuntimeError):
    """The LLM endpoint cannot serve this run (unreachable, key rejected, model not served); the message is one
    line that says what to fix. Raised before any work starts (get_provider's preflight)."""


@dataclass
class StepStats:
    """One step's (stage's) LLM work: items asked, HTTP calls, results from the cache, extra calls (transport
    retries, re-asks, method fallbacks), items that failed, and which structured-output method produced results."""
    items: int = 0
    calls: int = 0
    cached: int = 0
    retried: int = 0
    failed: int = 0
    methods: dict[str, int] = field(default_factory=dict)

    def line(self, step: str) -> str:
        used = ", ".join(f"{m}={n}" for m, n in sorted(self.methods.items(), key=lambda kv: -kv[1])) or "-"
        return (f"{step}: {self.items} items, {self.calls} calls, {self.cached} cached, {self.retried} retried, "
                f"{self.failed} failed, method {used}")


@dataclass
class Usage:
    provider: str = ""
    calls: int = 0
    cached: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)
    retried: int = 0
    steps: dict[str, StepStats] = field(default_factory=dict)
    # the last MAX_FAILURES failed items: {step, item, method, attempts, reason, raw}
    failures: list[dict[str, Any]] = field(default_factory=list)
    MAX_FAILURES = 200

    def step(self, name: str) -> StepStats:
        if name not in self.steps:
            self.steps[name] = StepStats()
        return self.steps[name]

    def record_failure(self, failure: dict[str, Any]) -> None:
        self.failures.append(failure)
        del self.failures[:-self.MAX_FAILURES]

    def lines(self) -> list[str]:
        """The run summary the CLI prints: totals, then one line per step."""
        head = (f"LLM provider {self.provider}: {self.calls} calls, {self.cached} cached, {self.retried} retried, "
                f"{self.failed} failed, {self.prompt_tokens}+{self.completion_tokens} tokens")
        return [head] + [f"  {s.line(name)}" for name, s in self.steps.items()] + [f"note: {n}" for n in self.notes]


class LLMProvider(Protocol):
    name: str  # "openai:<model>" or "rules"
    offline: bool
    usage: Usage

    def label_topic(self, keywords: list[str], docs: list[str], lang: str) -> TopicLabel: ...

    def tag_documents(self, docs: list[str], lang: str) -> DocTags: ...

    def screen_topic(self, label: str, keywords: list[str], docs: list[str], lang: str) -> Screening: ...

    def extract(self, text: str, lang: str) -> Extraction: ...

    def judge_source(self, statement: str, context: str, lang: str) -> SourceJudgment: ...

    def construct(self, statement: str, lang: str, context: str = "") -> Triple: ...

    def verify_conflict(self, a: str, b: str, lang: str) -> ConflictVerdict: ...


# --- Batch calls (added by the LLM-layer issue; the names above are the agreed interface) -------------------------
from typing import Callable, Generic, TypeVar  # noqa: E402

T = TypeVar("T")
STEPS = ("label_topic", "tag_documents", "screen_topic", "extract", "judge_source", "construct", "verify_conflict")


@dataclass
class Outcome(Generic[T]):
    """One item of a batch call: the value, or the error that remained after the retries."""
    value: T | None = None
    error: str | None = None
    attempts: int = 1
    method: str = ""  # structured-output method of the reply that was used (openai provider)
    raw: str = ""  # the last raw reply of a failed item, truncated

    @property
    def ok(self) -> bool:
        return self.error is None and self.value is not None


class BatchMixin:
    """`map(step, items)` and `<step>_many(items)`: many calls of one step, failures returned per item.

    Items are dicts of the step's keyword arguments. The base implementation runs them one after the other and
    turns an exception into an Outcome.error; the openai provider overrides `map` with bounded concurrency.
    """

    def map(self, step: str, items: list[dict[str, Any]],
            progress: Callable[[int], None] | None = None) -> list[Outcome]:
        if step not in STEPS:
            raise ValueError(f"unknown LLM step {step!r}; expected one of {STEPS}")
        fn = getattr(self, step)
        stats = self.usage.step(step)
        out: list[Outcome] = []
        for it in items:
            before = self.usage.calls
            stats.items += 1
            try:
                out.append(Outcome(fn(**it)))
            except Exception as e:  # recorded on the item by the stage, never dropped
                self.usage.failed += 1
                stats.failed += 1
                out.append(Outcome(None, f"{type(e).__name__}: {e}"))
            stats.calls += self.usage.calls - before
            if progress:
                progress(1)
        return out

    def extract_many(self, items, progress=None):
        return self.map("extract", items, progress)

    def judge_source_many(self, items, progress=None):
        return self.map("judge_source", items, progress)

    def construct_many(self, items, progress=None):
        return self.map("construct", items, progress)

    def label_topic_many(self, items, progress=None):
        return self.map("label_topic", items, progress)

    def screen_topic_many(self, items, progress=None):
        return self.map("screen_topic", items, progress)

    def tag_documents_many(self, items, progress=None):
        return self.map("tag_documents", items, progress)

    def verify_conflict_many(self, items, progress=None):
        return self.map("verify_conflict", items, progress)
