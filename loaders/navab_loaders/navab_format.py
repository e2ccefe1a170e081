"""The NaVAB release format: JSON lists, `human_statement_result.json` (quoted) and
`official_statement_result.json` (official); keys `raw_news`, `statement`, `source`, `generated Q`,
`generated reverse statement`. Each row becomes an article carrying one ready-made statement."""
from __future__ import annotations

from typing import Any

REQUIRED = ("statement", "generated Q", "generated reverse statement")


def navab_record(raw: dict[str, Any], set_hint: str) -> dict[str, Any]:
    from .records import BadRecord

    missing = [k for k in REQUIRED if not isinstance(raw.get(k), str) or not raw.get(k, "").strip()]
    if missing:
        raise BadRecord("NaVAB record missing key(s): " + ", ".join(repr(k) for k in missing))
    speaker = raw.get("source") if set_hint == "quoted" else None
    text = raw.get("raw_news") or raw.get("news") or raw["statement"]
    return {
        "text": text if isinstance(text, str) else raw["statement"],
        "title": raw.get("title"), "url": raw.get("url"), "published": raw.get("date") or raw.get("published"),
        "statements": [{"text": raw["statement"], "question": raw["generated Q"],
                        "reverse": raw["generated reverse statement"],
                        "speaker": speaker if isinstance(speaker, str) else None, "kind": set_hint}],
    }
