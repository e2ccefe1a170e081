"""The LLM layer: `get_provider(settings)` returns the `openai` provider when `llm.base_url` is set, else the
offline rule-based one. Stages call the `LLMProvider` interface (navab_graph.llm.base) only."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .base import (ConflictVerdict, DocTag, DocTags, ExtractedStatement, Extraction, LLMProvider, LLMUnavailable,
                   Outcome, Screening, SourceJudgment, StepStats, TopicLabel, Triple, Usage)
from .rules import RulesProvider

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["get_provider", "LLMProvider", "LLMUnavailable", "RulesProvider", "Usage", "StepStats", "Outcome",
           "TopicLabel", "DocTag", "DocTags", "Screening", "ExtractedStatement", "Extraction", "SourceJudgment",
           "Triple", "ConflictVerdict"]

_CHECKED: set[tuple[str, str]] = set()  # endpoints whose preflight passed in this process
_CHECK_LOCK = threading.Lock()


def get_provider(settings: "Settings", *, preflight: bool = True) -> LLMProvider:
    """`openai` provider for an OpenAI-compatible endpoint (settings.llm.base_url), else the offline `rules` one.

    The first time an endpoint is used in a process it is checked (reachable, key accepted, model served), so
    a misconfiguration stops a stage with one clear line (LLMUnavailable) before any work starts."""
    if settings.llm.base_url:
        from . import openai_provider as op

        p = op.OpenAIProvider.from_settings(settings)
        key = (settings.llm.base_url, settings.llm.model)
        if preflight and key not in _CHECKED:
            p.preflight()
            with _CHECK_LOCK:
                _CHECKED.add(key)
        return p
    return RulesProvider()
