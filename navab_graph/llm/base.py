"""The LLM layer's interface: every LLM-backed step of the pipeline, with pydantic result schemas.

Two providers implement it: `openai` (langchain-openai against any OpenAI-compatible endpoint, structured
output, retries, cache) and `rules` (deterministic, offline, per-language rules). Stages only see this
interface, so every stage runs offline.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

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


@dataclass
class Usage:
    provider: str = ""
    calls: int = 0
    cached: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)


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
from typing import Any, Callable, Generic, TypeVar  # noqa: E402

T = TypeVar("T")
STEPS = ("label_topic", "tag_documents", "screen_topic", "extract", "judge_source", "construct", "verify_conflict")


@dataclass
class Outcome(Generic[T]):
    """One item of a batch call: the value, or the error that remained after the retries."""
    value: T | None = None
    error: str | None = None
    attempts: int = 1

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
        out: list[Outcome] = []
        for it in items:
            try:
                out.append(Outcome(fn(**it)))
            except Exception as e:  # recorded on the item by the stage, never dropped
                self.usage.failed += 1
                out.append(Outcome(None, f"{type(e).__name__}: {e}"))
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
