"""Small language helpers for the offline provider and for validating triples.

Sentence splitting and keyword counting are hand-written (regex + stopword lists) because the offline
provider must not download NLTK/spaCy models; Chinese words come from jieba (a declared dependency).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A boundary: CJK terminator (a closing quote after it ends the sentence only before another quote: “…！”他说。); Latin terminator (+quotes) before whitespace and an
# upper-case letter / quote / CJK, not after a single capital (U.S., E.U.).
_SENT = re.compile(r"[。！？]+(?![”」』\"'»])\s*|[。！？]+[”」』\"'»]+\s*(?=[“「『\"«]|$)|(?<!\b[A-Z])[.!?]+[\"'”»」]*\s+(?=[A-Z\u00C0-\u00DE\"“«„「\u3400-\u9fff])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)

STOPWORDS = {
    "en": set("""a an the and or but if of to in on at by for with from as is are was were be been being it its this
that these those he she they we you i his her their our your not no do does did has have had will would can could
should must may might said says say also than then there here which who whom what when where how why all any more
most other some such into over about after before under between up down out so very just""".split()),
    "fr": set("""le la les un une des du de d l et ou mais si à au aux en dans par pour sur avec sans sous est sont
était être a ont avait il elle ils elles nous vous je tu on ce cette ces son sa ses leur leurs notre votre qui que
quoi dont où ne pas plus moins très aussi comme été selon entre a déclaré doit""".split()),
    "de": set("""der die das den dem des ein eine einen einem einer eines und oder aber wenn von zu in im am an auf
mit für aus bei nach über unter ist sind war waren sein hat haben wird werden er sie es wir ihr ich du nicht kein
keine auch als wie so sehr noch nur dass daß sich sagte laut muss soll sollte""".split()),
    "zh": set("的 了 和 与 及 在 是 对 将 等 也 都 而 并 就 这 那 其 之 为 以 于 中 上 下 我 你 他 她 它 们 我们 表示 指出 强调 说 称".split()),
}


def script_lang(text: str) -> str:
    """'zh' when the text is mostly CJK, else 'latin' (cheap same-language check)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "none"
    cjk = sum(1 for c in letters if _CJK.match(c))
    return "zh" if cjk / len(letters) > 0.3 else "latin"


def detect_lang(text: str) -> str | None:
    """langdetect with a fixed seed (deterministic); None when undecidable."""
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        code = detect(text)
    except Exception:
        return None
    return "zh" if code.startswith("zh") else code


def same_language(a: str, b: str, lang: str) -> bool:
    """True when b is plausibly in the same language as a (script first; langdetect for long Latin texts)."""
    if script_lang(a) != script_lang(b):
        return False
    if script_lang(b) == "latin" and lang in {"en", "fr", "de"} and len(b.split()) >= 8:
        got = detect_lang(b)
        return got is None or got == lang or detect_lang(a) == got
    return True


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENT.finditer(text or ""):
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append((text or "")[start:].strip())
    return [p for p in out if p]


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str, lang: str) -> list[str]:
    if lang == "zh" or script_lang(text) == "zh":
        return [w for w in _jieba().lcut(text) if _CJK.search(w) or _WORD.fullmatch(w)]
    return [w.lower() for w in _WORD.findall(text)]


def _raw_tokens(text: str, lang: str) -> list[str]:
    if lang == "zh" or script_lang(text) == "zh":
        return tokens(text, lang)
    return _WORD.findall(text)


def content_words(text: str, lang: str, extra_stop: set[str] | None = None) -> list[str]:
    stop = STOPWORDS.get(lang, STOPWORDS["en"]) | (extra_stop or set())
    out = []
    for w in tokens(text, lang):
        if w in stop or (lang == "zh" and len(w) < 2) or (lang != "zh" and len(w) < 3):
            continue
        out.append(w)
    return out


def keywords(texts: list[str], lang: str, n: int = 5, extra_stop: set[str] | None = None) -> list[str]:
    """Most frequent content words over the texts (ties broken by first appearance: deterministic)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    shown: dict[str, str] = {}  # first-seen spelling ("Ukraine", not "ukraine")
    stop = STOPWORDS.get(lang, STOPWORDS["en"]) | (extra_stop or set())
    for t in texts:
        for raw in _raw_tokens(t, lang):
            w = raw.lower()
            if w in stop or (lang == "zh" and len(w) < 2) or (lang != "zh" and len(w) < 3):
                continue
            counts[w] += 1
            first.setdefault(w, len(first))
            shown.setdefault(w, raw)
    return [shown[w] for w in sorted(counts, key=lambda w: (-counts[w], first[w]))[:n]]
