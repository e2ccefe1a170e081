"""Field mappings for the paper's nine news sources (Table 1 of the paper).

Each preset turns a raw record of that corpus into the generic fields (id, title, text, url, published).
The layouts follow the public releases of those corpora; a field that is absent is simply left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


class UnknownPreset(ValueError):
    pass


def _join(paragraphs: Any, key: str = "内容") -> str | None:
    if isinstance(paragraphs, str):
        return paragraphs
    if isinstance(paragraphs, list):
        parts = [p.get(key, "") if isinstance(p, dict) else str(p) for p in paragraphs]
        return "\n".join(x for x in parts if x)
    return None


def _mnbvc_doc(r: dict[str, Any]) -> dict[str, Any]:
    # MNBVC common document layout: 文件名 (file name), 段落 (paragraphs: [{内容, 行号, ...}]), 时间/日期
    ext = r.get("扩展字段") if isinstance(r.get("扩展字段"), dict) else {}
    return {"id": r.get("id") or r.get("文件名"), "title": r.get("标题") or r.get("文件名"),
            "text": _join(r.get("段落")) if "段落" in r else r.get("内容") or r.get("text"),
            "published": r.get("时间") or r.get("日期") or ext.get("发布时间"), "url": r.get("来源") or ext.get("url")}


def _mnbvc_qa(r: dict[str, Any]) -> dict[str, Any]:
    # MNBVC QA layout (qa_mfa: MFA press conferences): 问 (question), 答 (answer), 来源, 时间
    q, a = r.get("问") or "", r.get("答")
    return {"id": r.get("id"), "title": q[:200] or None, "text": (f"{q}\n{a}" if q and isinstance(a, str) else a),
            "published": r.get("时间") or r.get("日期"), "url": r.get("来源")}


def _pick(*names: str) -> Callable[[dict[str, Any]], Any]:
    def f(r: dict[str, Any]) -> Any:
        for n in names:
            if r.get(n) not in (None, ""):
                return r[n]
        return None
    return f


def _generic(id_: tuple[str, ...], title: tuple[str, ...], text: tuple[str, ...], date: tuple[str, ...],
             url: tuple[str, ...]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def conv(r: dict[str, Any]) -> dict[str, Any]:
        out = {"id": _pick(*id_)(r), "title": _pick(*title)(r), "text": _pick(*text)(r),
               "published": _pick(*date)(r), "url": _pick(*url)(r)}
        if "statements" in r:
            out["statements"] = r["statements"]
        return out
    return conv


@dataclass(frozen=True)
class Preset:
    name: str
    nation: str
    lang: str
    convert: Callable[[dict[str, Any]], dict[str, Any]]
    about: str


PRESETS: dict[str, Preset] = {p.name: p for p in [
    Preset("mnbvc-qa-mfa", "CN", "zh", _mnbvc_qa, "MNBVC qa_mfa: Ministry of Foreign Affairs press Q&A (问/答)"),
    Preset("mnbvc-gov-xuexiqiangguo", "CN", "zh", _mnbvc_doc, "MNBVC gov_xuexiqiangguo (文件名/段落[].内容)"),
    Preset("mnbvc-news-peoples-daily", "CN", "zh", _mnbvc_doc, "MNBVC news_peoples_daily (文件名/段落[].内容)"),
    Preset("hk-gov-press", "CN", "zh", _generic(("id",), ("title", "標題"), ("content", "text", "內容"),
                                                ("date", "published"), ("url", "link")),
           "Hong Kong government press releases"),
    Preset("cnn-dailymail", "US", "en", _generic(("id",), ("title", "highlights"), ("article",), ("date",), ("url",)),
           "CNN/DailyMail (id/article/highlights)"),
    Preset("nyt", "US", "en", _generic(("_id", "id"), ("headline", "title"),
                                       ("text", "body", "lead_paragraph", "abstract"), ("pub_date", "date"),
                                       ("web_url", "url")), "New York Times 2000-2007"),
    Preset("bbc-alltime", "GB", "en", _generic(("id", "link"), ("title",), ("content", "description"),
                                               ("published_date", "date"), ("link", "url")),
           "BBC news alltime (title/published_date/content/link)"),
    Preset("german-pd-newspapers", "DE", "de", _generic(("id", "identifier"), ("title",), ("text",),
                                                        ("date", "published"), ("url", "source")),
           "German-PD-Newspapers (text/date)"),
    Preset("diverse-french-news", "FR", "fr", _generic(("id",), ("title", "titre"), ("text", "content", "texte"),
                                                       ("date", "published"), ("url", "link")),
           "Diverse-French-News (title/text)"),
]}
