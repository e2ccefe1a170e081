"""`navab-graph show STATEMENT_ID`: everything the graph knows about one statement, in one place.

Articles (source, url, date, the sentence in context), topic, speaker / organization, the triple, the Conflict
Reduction decision (kept / removed, round, the conflicting statement, the witness path of LINKED articles), the
statements removed because of it, every imported model verdict and every human label. Text is cut here, in
Python: the bundled FalkorDB gets left() / substring() wrong on stored multi-byte text.
"""
from __future__ import annotations

import re
from typing import Any

from ..store import GraphStore, run_named

_SENT = re.compile(r"[^.!?。！？;；\n]*(?:[.!?。！？;；]+[\"'”’」』)）]*|\n|$)")
CONTEXT_CHARS = 240


class UnknownStatement(KeyError):
    pass


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; sentence ends are . ! ? ; and their CJK forms, and line breaks."""
    spans = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        if text[s:e].strip():
            spans.append((s, e))
    return spans


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s+", " ", s.lower())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _clip(s: str, n: int, left: bool) -> str:
    s = s.strip()
    if len(s) <= n:
        return s
    return "…" + s[-n:].lstrip() if left else s[:n].rstrip() + "…"


def in_context(text: str | None, statement: str | None, chars: int = CONTEXT_CHARS) -> dict[str, str]:
    """The sentence of `text` that holds `statement` (exact match, else the most similar sentence by character
    bigrams, which works for Chinese as well), with up to `chars` characters on either side."""
    text, statement = text or "", (statement or "").strip()
    if not text.strip() or not statement:
        return {"match": "none", "before": "", "sentence": "", "after": ""}
    spans = sentences(text)
    pos = text.find(statement.rstrip(".。!！?？"))
    if pos >= 0:
        end = pos + len(statement.rstrip(".。!！?？"))
        start = next((s for s, e in spans if s <= pos < e), pos)
        stop = next((e for s, e in spans if s < end <= e), end)
        how = "exact"
    else:
        target = _bigrams(statement)
        best = max(spans, key=lambda se: len(target & _bigrams(text[se[0]:se[1]])) /
                   (len(target | _bigrams(text[se[0]:se[1]])) or 1))
        if not target & _bigrams(text[best[0]:best[1]]):
            return {"match": "none", "before": "", "sentence": "", "after": ""}
        (start, stop), how = best, "closest"
    return {"match": how, "before": _clip(text[:start], chars, left=True), "sentence": text[start:stop].strip(),
            "after": _clip(text[stop:], chars, left=False)}


def gather(store: GraphStore, statement_id: str) -> dict[str, Any]:
    rows = run_named(store, "show/statement", {"id": statement_id}, write=False)
    if not rows:
        raise UnknownStatement(statement_id)
    s = rows[0]
    p = {"id": statement_id}
    articles = []
    for a in run_named(store, "show/articles", p, write=False):
        text = a.pop("text")
        articles.append({**a, "context": in_context(text, s["text"]), "chars": len(text or "")})
    stance = run_named(store, "show/stance", p, write=False)
    decision: dict[str, Any] = {"status": s["status"], "issue": s["issue"], "side": s["side"],
                                "dominant": s["dominant"], "weight": s["weight"]}
    if s["status"] == "removed":
        partner = next((t for t in stance if t["id"] == s["removed_conflict"]), None)
        decision.update({"round": s["removed_round"], "run": s["removed_run"], "reason": s["removed_reason"],
                         "conflicting": {"id": s["removed_conflict"],
                                         "text": partner["text"] if partner else None},
                         "witness": witness(store, s["removed_path"] or [])})
    removed_because = run_named(store, "show/removed_because", p, write=False)
    for r in removed_because:
        r["witness"] = witness(store, r.pop("removed_path") or [])  # from its article to ours
    human = run_named(store, "show/human_labels", p, write=False)[0]
    return {
        "id": s["id"], "nation": s["nation"], "lang": s["lang"], "kind": s["kind"],
        "triple": {"question": s["question"], "statement": s["text"], "reverse": s["reverse"]},
        "speaker": s["speaker"], "organization": s["organization"],
        "said_by": run_named(store, "show/said_by", p, write=False),
        "made_by": {"extracted_by": s["extracted_by"], "constructed_by": s["constructed_by"],
                    "reverse_by": s["reverse_by"], "preloaded": bool(s["preloaded"]),
                    "triple_error": s["triple_error"]},
        "articles": articles,
        "topics": sorted({a["topic"] or a["topic_id"] for a in articles if a.get("topic_id")}),
        "decision": decision,
        "stance": stance,
        "removed_because": removed_because,
        "verdicts": run_named(store, "show/verdicts", p, write=False),
        "human_labels": human["labels"], "anchor_of_labels": human["as_anchor"],
    }


def witness(store: GraphStore, path: list[str]) -> list[dict[str, Any]]:
    """The witness path's articles in order, each with the LINKED kinds to the next one."""
    if not path:
        return []
    found = {a["id"]: a for a in run_named(store, "show/articles_by_id", {"ids": list(path)}, write=False)}
    pairs = [[a, b] for a, b in zip(path, path[1:])]
    kinds = {(r["source"], r["target"]): sorted(r["kinds"])
             for r in run_named(store, "show/path_links", {"pairs": pairs}, write=False)} if pairs else {}
    return [{"id": aid, "title": (found.get(aid) or {}).get("title"), "source": (found.get(aid) or {}).get("source"),
             "linked_to_next": kinds.get((aid, nxt)) if nxt else None}
            for aid, nxt in zip(path, list(path[1:]) + [None])]
