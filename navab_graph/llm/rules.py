"""The offline, deterministic `rules` provider: the LLMProvider interface without any model.

Per-language rules for zh, en, fr, de (others fall back to English rules and never crash): statements are
sentences with value/position cues, speakers come from attribution patterns, reverse statements from symmetric
negation tables, questions from per-language templates over the statement's issue keywords (the stance words are
left out, so the question does not give the answer away). Every run summary says it is rule-based.
"""
from __future__ import annotations

import re

from ..gazetteer import find_places
from . import lang as L
from .attribution import find_organizations, find_speaker, quoted_text, without_attribution
from .base import (BatchMixin, ConflictVerdict, DocTag, DocTags, ExtractedStatement, Extraction, Screening,
                   SourceJudgment, TopicLabel, Triple, Usage)
from .lexicon import VALUE_CUES, cue_hits, value_hits
from .negate import _PAIRS, NEGATION_MARKERS, negate, polarity

NOTE = "rule-based offline provider (no LLM): statements, speakers, reverses and questions come from rules"
QUESTION = {
    "en": "What is your position on {kw}?",
    "zh": "你对{kw}问题持什么立场？",
    "fr": "Quelle est votre position sur {kw} ?",
    "de": "Welche Haltung haben Sie zu {kw}?",
    "es": "¿Cuál es su posición sobre {kw}?",
    "it": "Qual è la sua posizione su {kw}?",
    "pt": "Qual é a sua posição sobre {kw}?",
}
_AND = {"en": " and ", "zh": "和", "fr": " et ", "de": " und ", "es": " y ", "it": " e ", "pt": " e "}
_MIN_LEN = {"zh": 8}


def _stance_words(lang: str) -> set[str]:
    words = {w.lower() for w in VALUE_CUES.get(lang, VALUE_CUES["en"])}
    for tier in _PAIRS.get(lang, _PAIRS["en"]):
        for pos, neg in tier:
            words |= {pos.lower(), neg.lower(), *pos.lower().split(), *neg.lower().split()}
    return words | set(NEGATION_MARKERS.get(lang, []))


def _base(lang: str) -> str:
    return lang if lang in {"zh", "en", "fr", "de"} else "en"


def _join(words: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(words[:-1]) + (_AND["zh"] if len(words) > 1 else "") + words[-1]
    sep = _AND.get(lang, _AND["en"])
    return ", ".join(words[:-1]) + (sep if len(words) > 1 else "") + words[-1]


class RulesProvider(BatchMixin):
    name = "rules"
    offline = True

    def __init__(self) -> None:
        self.usage = Usage(provider="rules", notes=[NOTE])

    def _count(self) -> None:
        self.usage.calls += 1

    # --- topics ---------------------------------------------------------------------------------------------
    def label_topic(self, keywords: list[str], docs: list[str], lang: str) -> TopicLabel:
        self._count()
        kws = [k for k in keywords if k and k.strip()][:3] or L.keywords(docs, _base(lang), n=3) or ["misc"]
        return TopicLabel(label=("、".join(kws) if lang == "zh" else " / ".join(kws)))

    def tag_documents(self, docs: list[str], lang: str) -> DocTags:
        self._count()
        tags = []
        for d in docs:
            kws = L.keywords([d], _base(lang), n=3, extra_stop=_stance_words(_base(lang)))
            vals = value_hits(d, _base(lang))
            tag = (vals[0] if vals else (kws[0] if kws else "misc"))
            tags.append(DocTag(tag=tag, explanation="rules: value words " + ", ".join(vals[:3]) if vals
                               else "rules: top words " + ", ".join(kws)))
        return DocTags(tags=tags)

    def screen_topic(self, label: str, keywords: list[str], docs: list[str], lang: str) -> Screening:
        self._count()
        b = _base(lang)
        head = value_hits(" ".join([label, *keywords]), b)
        doc_hits = [value_hits(d, b) or cue_hits(d, b) for d in docs]
        frac = sum(1 for h in doc_hits if h) / len(docs) if docs else 0.0
        related = bool(head) or frac >= 0.3
        found = sorted({*head, *(w.lower() for h in doc_hits for w in h)})[:6]
        reason = (f"rules: value words in label/keywords {head[:4]}; {frac:.0%} of documents with value words or "
                  f"position cues ({', '.join(found)})" if related or found else "rules: no value word or cue found")
        return Screening(value_related=related, reason=reason)

    # --- statements -----------------------------------------------------------------------------------------
    def extract(self, text: str, lang: str) -> Extraction:
        self._count()
        b = _base(lang)
        stmts: list[ExtractedStatement] = []
        orgs = find_organizations(text, b)
        for sent in L.sentences(text):
            if not cue_hits(sent, b) or len(sent) < _MIN_LEN.get(b, 20):
                continue
            speaker, org = find_speaker(sent, b)
            if org and org not in orgs:
                orgs.append(org)
            stmts.append(ExtractedStatement(text=sent, speaker=speaker, organization=org))
        return Extraction(statements=stmts, organizations=orgs, locations=[p.name for p in find_places(text)])

    def judge_source(self, statement: str, context: str, lang: str) -> SourceJudgment:
        self._count()
        b = _base(lang)
        speaker, _ = find_speaker(statement, b)
        if not speaker and context:
            # The sentence of the article that holds the statement may carry the attribution.
            for sent in L.sentences(context):
                if statement[:40] in sent or (quoted_text(sent) or "\0") in statement:
                    speaker, _ = find_speaker(sent, b)
                    break
        return SourceJudgment(kind="quoted" if speaker else "official", speaker=speaker)

    def construct(self, statement: str, lang: str, context: str = "") -> Triple:
        self._count()
        b = _base(lang)
        # The issue = what was said, without who said it and without the stance words.
        kws = L.keywords([without_attribution(statement, b)], b, n=3, extra_stop=_stance_words(b))
        if not kws:
            kws = [statement.strip().rstrip(".。!！")[:60]]
        q = QUESTION.get(lang, QUESTION[b]).format(kw=_join(kws, lang if lang in _AND else b))
        return Triple(question=q, statement=statement, reverse=negate(statement, lang))

    def verify_conflict(self, a: str, b: str, lang: str) -> ConflictVerdict:
        self._count()
        base = _base(lang)
        stop = _stance_words(base)
        wa, wb = set(L.content_words(a, base, stop)), set(L.content_words(b, base, stop))
        overlap = len(wa & wb) / max(1, len(wa | wb))
        if overlap < 0.2:
            return ConflictVerdict(relation="unrelated", reason=f"rules: word overlap {overlap:.2f} < 0.20")
        pa, pb = polarity(a, base), polarity(b, base)
        if pa == 0 or pb == 0:
            pa, pb = (-1 if _neg_count(a, base) % 2 else 1), (-1 if _neg_count(b, base) % 2 else 1)
        rel = "conflict" if pa != pb else "agree"
        return ConflictVerdict(relation=rel, reason=f"rules: overlap {overlap:.2f}, stance cues {pa:+d}/{pb:+d}")


def _neg_count(text: str, lang: str) -> int:
    marks = NEGATION_MARKERS.get(lang, NEGATION_MARKERS["en"])
    if lang == "zh":
        return sum(text.count(m) for m in marks)
    return sum(len(re.findall(rf"\b{re.escape(m)}\w*", text, re.I)) for m in marks)
