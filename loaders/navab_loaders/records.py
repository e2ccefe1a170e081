"""Normalise one raw record into an Article dict, or raise BadRecord with the reason."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any, Callable

from .presets import PRESETS, UnknownPreset

CANDIDATES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id", "article_id", "uuid"),
    "text": ("text", "content", "body", "article", "raw_news", "内容", "正文"),
    "title": ("title", "headline", "标题", "文件名"),
    "url": ("url", "link", "web_url", "链接"),
    "published": ("published", "date", "pub_date", "published_date", "datetime", "时间", "日期"),
    "lang": ("lang", "language"),
}


class BadRecord(ValueError):
    pass


def short_hash(*parts: Any, n: int = 20) -> str:
    return hashlib.sha256("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:n]


def statement_id(nation: str, text: str, article_id: str | None = None, set_: str | None = None) -> str:
    """Stable statement id. NaVAB release rows use sha256(nation|set|statement)[:16], as the snapshot reader does."""
    if set_ is not None:
        return short_hash(nation, set_, text, n=16)
    return short_hash(nation, article_id, text, n=16)


def _pick(raw: dict[str, Any], field: str, field_map: dict[str, str]) -> Any:
    if field in field_map:
        return raw.get(field_map[field])
    for k in CANDIDATES[field]:
        if k in raw and raw[k] not in (None, ""):
            return raw[k]
    return None


def _as_str(v: Any, field: str) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and field in ("id",):
        return str(v)
    if isinstance(v, (datetime, date)) and field == "published":
        return v.isoformat()
    raise BadRecord(f"field {field!r} must be a string, got {type(v).__name__}")


def _iso_date(v: str | None) -> str | None:
    if not v:
        return None
    s = v.strip()
    if len(s) == 10 and s[4] == "-" and s[7] == "-":  # the common case, without strptime's cost
        try:
            return date.fromisoformat(s).isoformat()
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d/%m/%Y", "%Y年%m月%d日"):
        try:
            return datetime.strptime(s[: len(datetime(2000, 1, 1).strftime(fmt))], fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return s  # kept as given: a date we cannot parse is not a reason to drop the article


def normalize(raw: dict[str, Any], *, nation: str, source: str, lang: str, preset: str | None = None,
              field_map: dict[str, str] | None = None, max_chars: int = 100_000, set_hint: str | None = None,
              detect: Callable[[str], str] | None = None) -> dict[str, Any]:
    field_map = field_map or {}
    if set_hint is not None:
        from .navab_format import navab_record

        raw = navab_record(raw, set_hint)
    elif preset:
        if preset not in PRESETS:
            raise UnknownPreset(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}")
        raw = PRESETS[preset].convert(raw)
    text = _as_str(_pick(raw, "text", field_map), "text")
    if text is None:
        raise BadRecord("missing text (looked for " + ", ".join(
            [field_map["text"]] if "text" in field_map else CANDIDATES["text"]) + ")")
    text = text.strip()
    if not text:
        raise BadRecord("empty text")
    truncated = len(text) > max_chars
    if truncated:
        text = text[:max_chars]
    title = _as_str(_pick(raw, "title", field_map), "title")
    url = _as_str(_pick(raw, "url", field_map), "url")
    published = _iso_date(_as_str(_pick(raw, "published", field_map), "published"))
    rid = _as_str(_pick(raw, "id", field_map), "id")
    if rid:
        aid = f"{source}:{rid}"
    elif url:
        aid = f"{source}:{short_hash(source, url)}"
    else:
        aid = f"{source}:{short_hash(source, title, published, text)}"
    rec_lang = _as_str(_pick(raw, "lang", field_map), "lang")
    if rec_lang:
        lang_ = rec_lang.lower()[:2]
    elif lang == "auto":
        lang_ = detect(text) if detect else "und"
    else:
        lang_ = lang
    statements = _statements(raw.get("statements"), nation, aid, lang_, set_hint)
    return {"id": aid, "nation": nation, "source": source, "title": title, "text": text, "lang": lang_,
            "published": published, "url": url, "truncated": truncated, "statements": statements,
            "orig_chars": len(text) if not truncated else None}


def _statements(items: Any, nation: str, aid: str, lang: str, set_hint: str | None) -> list[dict[str, Any]]:
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        raise BadRecord(f"'statements' must be a list, got {type(items).__name__}")
    out = []
    for i, st in enumerate(items):
        if not isinstance(st, dict):
            raise BadRecord(f"statements[{i}] must be an object")
        text = st.get("text") or st.get("statement")
        if not isinstance(text, str) or not text.strip():
            raise BadRecord(f"statements[{i}] has no text")
        for k in ("question", "reverse", "speaker", "kind"):
            if st.get(k) is not None and not isinstance(st.get(k), str):
                raise BadRecord(f"statements[{i}].{k} must be a string")
        kind = st.get("kind") or set_hint
        if kind is not None and kind not in ("quoted", "official"):
            raise BadRecord(f"statements[{i}].kind must be 'quoted' or 'official', got {kind!r}")
        text = text.strip()
        out.append({"id": statement_id(nation, text, aid, set_hint), "text": text,
                    "question": (st.get("question") or "").strip() or None,
                    "reverse": (st.get("reverse") or "").strip() or None,
                    "speaker": (st.get("speaker") or "").strip() or None, "kind": kind, "lang": lang})
    return out
