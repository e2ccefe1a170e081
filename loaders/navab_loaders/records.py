"""Normalise one raw record into an Article dict, or raise BadRecord with the reason."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from typing import Any, Callable

from .keys import MAX_INDEXED_CHARS, NameTooLong, clean_name, text_problem
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
        return _checked(v, field)
    if isinstance(v, (datetime, date)) and field == "published":
        return v.isoformat()
    raise BadRecord(f"field {field!r} must be a string, got {_desc(v)}")


def _desc(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"the number {v!r}" if v == v and v not in (_INF, -_INF) else ("NaN" if v != v else "Infinity")
    return {int: "a number", list: "a list", dict: "an object"}.get(type(v), type(v).__name__)


_INF = float("inf")
_MAX_ID = 512
# whitespace and the invisible format characters (zero-width, joiners, direction marks, BOM) a text may
# consist of without saying anything
_VISIBLE = re.compile(r"[^\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]")


def _checked(s: str, field: str) -> str:
    """A string the graph can hold verbatim: no NUL, no lone surrogate (cheap for the common case)."""
    problem = text_problem(s)
    if problem is None:
        return s
    if problem.startswith("NUL"):
        raise BadRecord(f"{problem} in {field!r}: binary or mis-encoded data (UTF-16?) the graph cannot store; "
                        "remove it and load the file again")
    raise BadRecord(f"{problem} in {field!r}: not valid Unicode text (a broken \\u escape?)")


def _record_id(v: Any) -> str | None:
    """Ids are strings or integers; anything else (true, 1.5, NaN, Infinity, lists) would be stringified
    into an id nobody meant, and invisible characters would make look-alike ids that differ."""
    if type(v) is str:
        # surrounding whitespace is never part of an id (and FalkorDB's index would trim it on lookup only)
        v = v.strip()
        if v.isascii() and v.isprintable() and len(v) <= _MAX_ID:  # the common case
            return v or None
    elif v is None:
        return None
    elif isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    elif isinstance(v, str):
        v = str.__str__(v).strip()
    else:
        raise BadRecord(f"field 'id' must be a string or an integer, got {_desc(v)}")
    if not v:
        return None
    _checked(v, "id")
    if len(v) > _MAX_ID:
        raise BadRecord(f"field 'id' is {len(v)} characters long (at most {_MAX_ID})")
    if not (v.isascii() and v.isprintable()):
        for i, ch in enumerate(v):
            if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or (ch.isspace() and ch != " "):
                raise BadRecord(f"field 'id' holds an invisible character (U+{ord(ch):04X}) at position {i}: it "
                                "would make an id that looks like another one but differs")
    return v


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _iso_date(v: str | None) -> tuple[str | None, str | None]:
    """(ISO date, None), or (None, why) for a date that cannot be read or is ambiguous."""
    if not v:
        return None, None
    s = v.strip()
    if len(s) == 10 and s[4] == "-" and s[7] == "-":  # the common case, without strptime's cost
        try:
            d = date.fromisoformat(s)
        except ValueError:
            return None, f"{v!r} is not a valid date"
        return (s, None) if 1800 <= d.year <= _YEAR_MAX else _plausible(d, v)
    m = _DMY.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a <= 12 and b <= 12 and a != b:
            return None, f"ambiguous date {v!r}: day/month or month/day cannot be told apart; write it as YYYY-MM-DD"
        d, mo = (a, b) if a > 12 or a == b else (b, a)
        try:
            return _plausible(date(y, mo, d), v)
        except ValueError:
            return None, f"{v!r} is not a valid date"
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return _plausible(datetime.strptime(s[: len(datetime(2000, 10, 10).strftime(fmt))], fmt).date(), v)
        except ValueError:
            continue
    try:
        return _plausible(datetime.fromisoformat(s.replace("Z", "+00:00")).date(), v)
    except ValueError:
        return None, f"{v!r} is not a valid date"


_YEAR_MAX = date.today().year + 1


def _plausible(d: date, v: str) -> tuple[str | None, str | None]:
    if 1800 <= d.year <= _YEAR_MAX:
        return d.isoformat(), None
    return None, f"{v!r} is not a plausible publication date (year {d.year})"


def normalize(raw: dict[str, Any], *, nation: str, source: str, lang: str, preset: str | None = None,
              field_map: dict[str, str] | None = None, max_chars: int = 100_000, set_hint: str | None = None,
              detect: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The article dict, or BadRecord with the reason. A date that cannot be read does not drop the
    article: `published` is None, `published_raw` keeps the text and `warnings` says why."""
    field_map = field_map or {}
    _check_own_nation(raw, nation)
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
    if not _VISIBLE.search(text):
        raise BadRecord("empty text (only invisible characters)")
    orig_chars = len(text)
    truncated = orig_chars > max_chars
    if truncated:
        text = text[:max_chars]
    title = _as_str(_pick(raw, "title", field_map), "title")
    url = _as_str(_pick(raw, "url", field_map), "url")
    given = _as_str(_pick(raw, "published", field_map), "published")
    published, date_problem = _iso_date(given)
    rid = _record_id(_pick(raw, "id", field_map))
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
    # what topics and extraction read: a re-load that changes it makes what was derived from it stale (lineage)
    content_sha = short_hash(title, text, n=16)
    art = {"id": aid, "nation": nation, "source": source, "title": title, "text": text, "lang": lang_,
           "published": published, "url": url, "truncated": truncated, "statements": statements,
           "orig_chars": orig_chars if truncated else None, "content_sha": content_sha,
           # the record speaks for its ready-made statements (a list, even empty): a re-load replaces them
           "statements_given": raw.get("statements") not in (None, "")}
    if date_problem:
        art["published_raw"] = given
        art["warnings"] = [f"{date_problem}; the article was loaded without a date"]
    return art


def _check_own_nation(raw: dict[str, Any], nation: str) -> None:
    own = raw.get("nation")
    if own in (None, ""):
        return
    from .nations import UnknownNation, check_nation

    if not isinstance(own, str):
        raise BadRecord(f"the record's own 'nation' must be a string, got {_desc(own)}")
    try:
        code = check_nation(own)
    except UnknownNation as e:
        raise BadRecord(f"the record's own nation: {e}") from None
    if code != nation:
        raise BadRecord(f"the record's own nation {own!r} differs from --nation {nation}: load it with "
                        f"--nation {code}")


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
        _checked(text, f"statements[{i}].text")
        for k in ("question", "reverse", "speaker", "kind"):
            if st.get(k) is not None and not isinstance(st.get(k), str):
                raise BadRecord(f"statements[{i}].{k} must be a string")
            if st.get(k):
                _checked(st[k], f"statements[{i}].{k}")
        try:  # speakers are merged on their name: one person, however the file spaced it (see keys.py)
            speaker = clean_name(st.get("speaker"), max_chars=MAX_INDEXED_CHARS)
        except NameTooLong as e:
            raise BadRecord(f"statements[{i}].speaker: {e}") from None
        kind = st.get("kind") or set_hint
        if kind is not None and kind not in ("quoted", "official"):
            raise BadRecord(f"statements[{i}].kind must be 'quoted' or 'official', got {kind!r}")
        text = text.strip()
        out.append({"id": statement_id(nation, text, aid, set_hint), "text": text,
                    "question": (st.get("question") or "").strip() or None,
                    "reverse": (st.get("reverse") or "").strip() or None,
                    "speaker": speaker, "kind": kind, "lang": lang})
    return out
