"""Checks of LLM results that the schema cannot express (shared by the openai provider and the stages)."""
from __future__ import annotations

from .base import Triple
from .lang import same_language


def triple_problem(t: Triple, statement: str, lang: str) -> str | None:
    """Why a <Q, S, RS> triple is unusable, or None when it is fine."""
    q, s, rs = (t.question or "").strip(), (t.statement or "").strip(), (t.reverse or "").strip()
    if not q or not s or not rs:
        return "empty question, statement or reverse"
    if rs == s or rs == statement.strip():
        return "reverse statement equals the statement"
    if not q.endswith(("?", "？", "؟")):
        return f"question does not end with a question mark: {q[-20:]!r}"
    if not same_language(statement, rs, lang):
        return f"reverse statement is not in the statement's language ({lang})"
    if not same_language(statement, q, lang):
        return f"question is not in the statement's language ({lang})"
    return None
