"""Checks of LLM results that the schema cannot express (shared by the openai provider and the stages)."""
from __future__ import annotations

import threading

from .base import Triple
from .lang import same_language

# langdetect loads its language profiles into a global on first use, and a second thread can detect with a
# half-loaded table (a wrong language, now and then): the openai provider checks triples from several threads.
_LANGDETECT = threading.Lock()


def triple_problem(t: Triple, statement: str, lang: str) -> str | None:
    """Why a <Q, S, RS> triple is unusable, or None when it is fine."""
    q, s, rs = (t.question or "").strip(), (t.statement or "").strip(), (t.reverse or "").strip()
    if not q or not s or not rs:
        return "empty question, statement or reverse"
    if rs == s or rs == statement.strip():
        return "reverse statement equals the statement"
    if not q.endswith(("?", "？", "؟")):
        return f"question does not end with a question mark: {q[-20:]!r}"
    with _LANGDETECT:
        rs_ok, q_ok = same_language(statement, rs, lang), same_language(statement, q, lang)
    if not rs_ok:
        return f"reverse statement is not in the statement's language ({lang})"
    if not q_ok:
        return f"question is not in the statement's language ({lang})"
    return None
