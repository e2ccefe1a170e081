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
from .attribution import (MAX_QUOTE_CHARS, attributed_person, find_organizations, find_speaker, quoted_text,
                          split_attribution, without_attribution)
from .base import (BatchMixin, ConflictVerdict, DocTag, DocTags, ExtractedStatement, Extraction, Screening,
                   SourceJudgment, TopicLabel, Triple, Usage)
from .lexicon import VALUE_CUES, cue_hits, value_hits
from .negate import _PAIRS, NEGATION_MARKERS, _find, negate, polarity, positive_form
from .questions import AUXILIARIES, _clause_bounds, inverted_question, issue_words

NOTE = "rule-based offline provider (no LLM): statements, speakers, reverses and questions come from rules"
QUESTION = {
    "en": "What is your position on {kw}?",
    "zh": "你对{kw}问题持什么立场？",
    "fr": "Quelle est votre position sur {kw} ?",
    "de": "Wie stehen Sie zum Thema „{kw}“?",  # a quoted topic: no case agreement to get wrong
    "es": "¿Cuál es su posición sobre {kw}?",
    "it": "Qual è la sua posizione su {kw}?",
    "pt": "Qual é a sua posição sobre {kw}?",
}
_AND = {"en": " and ", "zh": "和", "fr": " et ", "de": " und ", "es": " y ", "it": " e ", "pt": " e "}
# When neither an inversion nor an issue word is found: a yes/no question over the whole (positive) statement.
AGREE = {"en": "Do you agree that {s}?", "zh": "你是否同意“{s}”？", "fr": "Êtes-vous d'accord avec ceci : « {s} » ?",
         "de": "Stimmen Sie dem zu: „{s}“?", "es": "¿Está de acuerdo con que {s}?", "it": "È d'accordo che {s}?",
         "pt": "Concorda que {s}?"}
_MIN_LEN = {"zh": 8}


def _stance_words(lang: str) -> set[str]:
    words = {w.lower() for w in VALUE_CUES.get(lang, VALUE_CUES["en"])}
    for tier in _PAIRS.get(lang, _PAIRS["en"]):
        for pos, neg in tier:
            words |= {pos.lower(), neg.lower(), *pos.lower().split(), *neg.lower().split()}
    return words | set(NEGATION_MARKERS.get(lang, []))


def _base(lang: str) -> str:
    return lang if lang in {"zh", "en", "fr", "de"} else "en"


def _unwrap(sentence: str) -> str:
    """One line: hard line wraps and indentation of the source text become single spaces."""
    return re.sub(r"\s*\n\s*", "" if L.script_lang(sentence) == "zh" else " ", sentence.strip())


def _quotation(text: str, lang: str) -> tuple[str, str | None, str | None]:
    """(text without its attribution line, speaker, organization) — a speaker only for a short quotation."""
    body, attribution = split_attribution(text or "")
    if attribution is None:
        return text or "", None, None
    speaker, org = attributed_person(attribution, lang)
    return body, (speaker if len(body) <= MAX_QUOTE_CHARS else None), (org if len(body) <= MAX_QUOTE_CHARS else None)


def _agree_body(s: str, lang: str) -> str:
    """The clause that holds the stance cue (else the first clause), in running text: what "Do you agree that
    …?" asks about."""
    s = _unwrap(s)
    found = _find(s, _base(lang)) if lang in {"zh", "en", "fr", "de"} else None
    if found:
        c0, c1 = _clause_bounds(s, found[1].start(), found[1].end())
        s = s[c0:c1]
    s = re.split(r"\s*(?:[;；:：]|\s--\s|\s[-–—]\s)\s*", s.strip(), maxsplit=1)[0].rstrip(" .。!！,，")
    first = s.split(" ", 1)[0]
    if lang not in {"zh", "de"} and (first in _LOWER_WORDS or first.lower() in L.STOPWORDS.get(lang, set())):
        s = s[:1].lower() + s[1:]
    return s


_LOWER_WORDS = {"The", "A", "An", "This", "These", "Those", "It", "There", "We", "You", "They", "He", "She", "Our",
                "Your", "Their", "His", "Her", "My", "All", "Some", "Many", "Most", "Every", "Each", "People",
                "Le", "La", "Les", "Un", "Une", "Il", "Elle", "On", "Nous", "Vous", "Ils", "Elles", "Ce", "Cette",
                "Ces", "Tout", "Tous", "Ceux"}


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
        body, line_speaker, line_org = _quotation(text, b)
        orgs = find_organizations(body, b)
        for sent in L.sentences(body):
            sent = _unwrap(sent)
            if not cue_hits(sent, b) or len(sent) < _MIN_LEN.get(b, 20) or sent.rstrip("”」』\"'»)").endswith(("?", "？")):
                continue  # no cue, too short, or a question (not a statement)
            speaker, org = find_speaker(sent, b)
            if not speaker and line_speaker:
                speaker, org = line_speaker, line_org
            if org and org not in orgs:
                orgs.append(org)
            stmts.append(ExtractedStatement(text=sent, speaker=speaker, organization=org))
        return Extraction(statements=stmts, organizations=orgs, locations=[p.name for p in find_places(text)])

    def judge_source(self, statement: str, context: str, lang: str) -> SourceJudgment:
        self._count()
        b = _base(lang)
        speaker, _ = find_speaker(statement, b)
        if not speaker and context:
            body, line_speaker, _ = _quotation(context, b)
            if line_speaker and _unwrap(statement)[:40] in _unwrap(body):
                return SourceJudgment(kind="quoted", speaker=line_speaker)
        if not speaker and context:
            # The sentence of the article that holds the statement may carry the attribution.
            for sent in L.sentences(context):
                if statement[:40] in sent or (quoted_text(sent) or "\0") in statement:
                    speaker, _ = find_speaker(sent, b)
                    break
        return SourceJudgment(kind="quoted" if speaker else "official", speaker=speaker)

    def construct(self, statement: str, lang: str, context: str = "") -> Triple:
        self._count()
        if not isinstance(statement, str):
            raise TypeError(f"statement must be a string, not {type(statement).__name__}")
        reverse = negate(statement, lang)
        return Triple(question=self.question(statement, lang), statement=statement, reverse=reverse)

    def question(self, statement: str, lang: str) -> str:
        """A neutral question that S and RS answer: the same for both (built on the positive side).

        First an auxiliary / modal inversion of the clause that carries the stance cue ("Should X Y?",
        "Muss X … ?", "Faut-il … ?" / "Est-ce que … ?", "X是否…？" / "…吗？"), else the issue template over the
        statement's nouns without the stance words, else "Do you agree that …?"."""
        b = _base(lang)
        said = without_attribution(split_attribution(statement)[0], b)
        pos = positive_form(said, lang) if lang in {"zh", "en", "fr", "de"} else said
        if lang != b:  # no rules of its own: the issue's most frequent words, as before
            kws = L.keywords([pos], b, n=3, extra_stop=_stance_words(b)) or [pos.strip().rstrip(".。!！")[:60]]
            return QUESTION.get(lang, QUESTION[b]).format(kw=_join(kws, lang if lang in _AND else b))
        q = inverted_question(pos, b)
        if q:
            return q
        kws = issue_words(pos, b, n=3, extra_stop=_stance_words(b))
        if kws:
            return QUESTION.get(lang, QUESTION[b]).format(kw=_join(kws, lang if lang in _AND else b))
        return AGREE.get(lang, AGREE[b]).format(s=_agree_body(pos, lang))

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
