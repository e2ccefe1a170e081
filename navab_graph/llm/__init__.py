"""The LLM layer: `get_provider(settings)` returns the `openai` provider when `llm.base_url` is set, else the
offline rule-based one. Stages call the `LLMProvider` interface (navab_graph.llm.base) only."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (ConflictVerdict, DocTag, DocTags, ExtractedStatement, Extraction, LLMProvider, Outcome, Screening,
                   SourceJudgment, TopicLabel, Triple, Usage)
from .rules import RulesProvider

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["get_provider", "LLMProvider", "RulesProvider", "Usage", "Outcome", "TopicLabel", "DocTag", "DocTags",
           "Screening", "ExtractedStatement", "Extraction", "SourceJudgment", "Triple", "ConflictVerdict"]


def get_provider(settings: "Settings") -> LLMProvider:
    """`openai` provider for an OpenAI-compatible endpoint (settings.llm.base_url), else the offline `rules` one."""
    if settings.llm.base_url:
        from .openai_provider import OpenAIProvider

        return OpenAIProvider.from_settings(settings)
    return RulesProvider()
