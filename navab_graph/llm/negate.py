"""Rule-based reversal of a statement's stance, per language (the offline `rules` provider's RS).

Hand-written because no library negates clauses in zh/en/fr/de. The tables are *symmetric*: every rule has
its mirror, so negating twice gives the original back. Only ONE cue is rewritten: the leftmost match of the
strongest tier (stance verbs and modals before copulas), which keeps the rest of the sentence verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# (positive, negative) pairs; tier 1 = stance verbs / modals, tier 2 = generic auxiliaries.
_PAIRS: dict[str, list[list[tuple[str, str]]]] = {
    "en": [
        [("must", "must not"), ("should", "should not"), ("supports", "opposes"), ("support", "oppose"),
         ("supported", "opposed"), ("supporting", "opposing"), ("welcomes", "condemns"), ("welcome", "condemn"),
         ("welcomed", "condemned"), ("accepts", "rejects"), ("accept", "reject"), ("accepted", "rejected"),
         ("ought to", "ought not to"), ("needs to", "does not need to"), ("need to", "do not need to"),
         ("insists on", "gives up"), ("defends", "abandons"), ("defend", "abandon"), ("protects", "undermines"),
         ("protect", "undermine"), ("favours", "disfavours"), ("favors", "disfavors"), ("agrees", "disagrees"),
         ("agree", "disagree"), ("will", "will not"), ("can", "cannot"), ("benefits", "harms"),
         ("strengthen", "weaken"), ("strengthens", "weakens"), ("promotes", "hinders"), ("promote", "hinder")],
        [("is", "is not"), ("are", "are not"), ("was", "was not"), ("were", "were not"), ("has", "has not"),
         ("have", "have not")],
    ],
    "zh": [
        [("坚决支持", "坚决反对"), ("支持", "反对"), ("不应当", "应当"), ("不应该", "应该"), ("必须", "不得"),
         ("坚持", "放弃"), ("维护", "破坏"), ("捍卫", "损害"), ("欢迎", "拒绝"), ("赞扬", "谴责"),
         ("促进", "阻碍"), ("加强", "削弱"), ("尊重", "无视"), ("有利于", "不利于"), ("同意", "不同意"),
         ("认同", "不认同"), ("积极", "消极"), ("可以", "不可以"), ("能够", "不能")],
        [("是", "不是"), ("有", "没有")],
    ],
    "fr": [
        [("ne doit jamais", "doit toujours"), ("doit", "ne doit pas"), ("doivent", "ne doivent pas"),
         ("devrait", "ne devrait pas"), ("devraient", "ne devraient pas"), ("faut", "ne faut pas"),
         ("soutient les", "s'oppose aux"), ("soutient le", "s'oppose au"), ("soutient la", "s'oppose à la"),
         ("soutient l'", "s'oppose à l'"), ("soutient", "s'oppose à"),
         ("soutiennent les", "s'opposent aux"), ("soutiennent le", "s'opposent au"),
         ("soutiennent la", "s'opposent à la"), ("soutiennent", "s'opposent à"),
         ("salue", "condamne"), ("approuve", "rejette"), ("défend", "abandonne"), ("protège", "menace"),
         ("renforce", "affaiblit"), ("favorise", "freine"), ("exige", "n'exige pas"), ("peut", "ne peut pas")],
        [("est", "n'est pas"), ("sont", "ne sont pas"), ("a", "n'a pas"), ("ont", "n'ont pas")],
    ],
    "de": [
        [("muss", "darf nicht"), ("müssen", "dürfen nicht"), ("soll", "soll nicht"), ("sollte", "sollte nicht"),
         ("sollten", "sollten nicht"), ("begrüßt", "verurteilt"), ("begrüßen", "verurteilen"),
         ("verteidigt", "gibt preis"), ("stärkt", "schwächt"), ("stärken", "schwächen"), ("fördert", "behindert"),
         ("schützt", "gefährdet"), ("kann", "kann nicht")],
        [("ist", "ist nicht"), ("sind", "sind nicht"), ("wird", "wird nicht"), ("werden", "werden nicht")],
    ],
}
# German separable verb: "unterstützt X" <-> "lehnt X ab" (the particle goes to the clause end).
_DE_SEP = [
    (re.compile(r"\b(unterstützt|befürwortet)\b([^,.;:!?]*?)(?=[,.;:!?]|$)"), lambda m: f"lehnt{m.group(2)} ab"),
    (re.compile(r"\b(unterstützen|befürworten)\b([^,.;:!?]*?)(?=[,.;:!?]|$)"), lambda m: f"lehnen{m.group(2)} ab"),
    (re.compile(r"\blehnt\b([^,.;:!?]*?)\s+ab(?=[,.;:!?]|$)"), lambda m: f"unterstützt{m.group(1)}"),
    (re.compile(r"\blehnen\b([^,.;:!?]*?)\s+ab(?=[,.;:!?]|$)"), lambda m: f"unterstützen{m.group(1)}"),
]
# Last resort when no cue is found: a sentence prefix (also symmetric: removed when present).
FALLBACK_PREFIX = {"en": "It is not the case that ", "zh": "并非", "fr": "Il est faux que ",
                   "de": "Es stimmt nicht, dass ", "es": "No es cierto que ", "it": "Non è vero che ",
                   "pt": "Não é verdade que "}
_LOWER_FIRST = {"The", "A", "An", "This", "These", "Those", "It", "Le", "La", "Les", "Un", "Une", "Il", "Elle",
                "Die", "Der", "Das", "Ein", "Eine", "Es", "El", "Los", "Las", "Il", "Lo", "O", "Os"}
NEGATION_MARKERS = {"en": ["not", "oppose", "reject", "condemn", "never"], "zh": ["不", "反对", "没", "非", "放弃"],
                    "fr": ["pas", "oppose", "rejette", "condamne", "faux"], "de": ["nicht", "lehnt", "keinesfalls"]}


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    repl: object  # str or callable(match) -> str
    polarity: int  # +1 if the matched cue is the positive member, -1 negative


def _word(s: str, lang: str) -> str:
    esc = re.escape(s).replace(r"\ ", r"\s+")
    if lang == "zh":
        return esc
    tail = "" if s.endswith("'") else r"\b"
    return r"(?<![\w'])" + esc + tail


def _compile(lang: str) -> list[list[_Rule]]:
    tiers: list[list[_Rule]] = []
    for i, pairs in enumerate(_PAIRS.get(lang, [])):
        rules = []
        for pos, neg in pairs:
            rules.append(_Rule(re.compile(_word(pos, lang), re.I), neg, +1))
            rules.append(_Rule(re.compile(_word(neg, lang), re.I), pos, -1))
        if lang == "de" and i == 0:
            for j, (pat, fn) in enumerate(_DE_SEP):
                rules.append(_Rule(pat, fn, +1 if j < 2 else -1))
        tiers.append(rules)
    return tiers


_RULES = {lang: _compile(lang) for lang in _PAIRS}


def _find(text: str, lang: str) -> tuple[_Rule, re.Match] | None:
    for tier in _RULES.get(lang, []):
        best = None
        for rule in tier:
            m = rule.pattern.search(text)
            if m and (best is None or m.start() < best[1].start()
                      or (m.start() == best[1].start() and m.end() > best[1].end())):
                best = (rule, m)
        if best:
            return best
    return None


def _match_case(src: str, dst: str) -> str:
    return dst[:1].upper() + dst[1:] if src[:1].isupper() else dst


def negate(text: str, lang: str) -> str:
    """The statement with its stance reversed (one cue rewritten, or a fallback prefix added/removed)."""
    base = lang if lang in _PAIRS else "en"
    found = _find(text, base) if lang in _PAIRS or lang == "en" else None
    if found:
        rule, m = found
        new = rule.repl(m) if callable(rule.repl) else _match_case(m.group(0), rule.repl)
        return text[: m.start()] + new + text[m.end():]
    prefix = FALLBACK_PREFIX.get(lang, FALLBACK_PREFIX["en"])
    if text.startswith(prefix):
        rest = text[len(prefix):]
        return rest[:1].upper() + rest[1:] if lang != "zh" else rest
    first = text.split(" ", 1)[0]
    body = text[:1].lower() + text[1:] if first in _LOWER_FIRST else text
    return prefix + body


def polarity(text: str, lang: str) -> int:
    """+1 / -1 from the strongest stance cue (the one `negate` would flip); 0 when no cue is present."""
    found = _find(text, lang if lang in _PAIRS else "en")
    if found:
        return found[0].polarity
    prefix = FALLBACK_PREFIX.get(lang, FALLBACK_PREFIX["en"])
    return -1 if text.startswith(prefix) else 0
