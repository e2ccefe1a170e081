"""Rule-based reversal of a statement's stance, per language (the offline `rules` provider's RS).

Hand-written because no library negates clauses in zh/en/fr/de. The tables are *symmetric*: every rule has
its mirror, so negating twice gives the original back. Only ONE cue is rewritten: the leftmost match of the
strongest tier (stance verbs and modals before copulas), which keeps the rest of the sentence verbatim.
Where the negation goes depends on the language: German puts "nicht" by verb position (before the clause-final
infinitive: "Wir müssen uns schützen" -> "Wir dürfen uns nicht schützen"; "ist ein" <-> "ist kein"), French wraps
the verb and its object clitics in ne…pas with elision ("il y a" -> "il n'y a pas"), Chinese cues count only as
whole words ("所有" holds no "有"; "舍不得" is no modal), English skips cues already negated ("will never") and
the noun "will".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

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
        [("is", "is not"), ("are", "are not"), ("was", "was not"), ("were", "were not"), ("always", "never"),
         ("it's", "it is not"), ("that's", "that is not"), ("there's", "there is not")],
    ],
    "zh": [
        [("坚决支持", "坚决反对"), ("支持", "反对"), ("应当", "不应当"), ("应该", "不应该"), ("必须", "不得"),
         ("坚持", "放弃"), ("维护", "破坏"), ("捍卫", "损害"), ("欢迎", "拒绝"), ("赞扬", "谴责"),
         ("促进", "阻碍"), ("加强", "削弱"), ("尊重", "无视"), ("有利于", "不利于"), ("同意", "不同意"),
         ("认同", "不认同"), ("积极", "消极"), ("可以", "不可以"), ("能够", "不能"), ("需要", "不需要"),
         ("应", "不应"), ("要", "不要"), ("会", "不会"), ("可", "不可")],
        [("是", "不是"), ("有", "没有")],
    ],
    "fr": [
        [("ne doit jamais", "doit toujours"), ("doit", "ne doit pas"), ("doivent", "ne doivent pas"),
         ("devons", "ne devons pas"), ("devez", "ne devez pas"), ("dois", "ne dois pas"),
         ("devrait", "ne devrait pas"), ("devraient", "ne devraient pas"), ("devrions", "ne devrions pas"),
         ("devriez", "ne devriez pas"), ("devrais", "ne devrais pas"), ("faut", "ne faut pas"),
         ("faudrait", "ne faudrait pas"),
         ("soutient les", "s'oppose aux"), ("soutient le", "s'oppose au"), ("soutient la", "s'oppose à la"),
         ("soutient l'", "s'oppose à l'"), ("soutient", "s'oppose à"),
         ("soutiennent les", "s'opposent aux"), ("soutiennent le", "s'opposent au"),
         ("soutiennent la", "s'opposent à la"), ("soutiennent", "s'opposent à"),
         ("salue", "condamne"), ("approuve", "rejette"), ("défend", "abandonne"), ("protège", "menace"),
         ("renforce", "affaiblit"), ("favorise", "freine"), ("exige", "n'exige pas"), ("peut", "ne peut pas"),
         ("peuvent", "ne peuvent pas"), ("pouvons", "ne pouvons pas"), ("veut", "ne veut pas")],
        [("c'est", "ce n'est pas"), ("est", "n'est pas"), ("sont", "ne sont pas"), ("était", "n'était pas"),
         ("sera", "ne sera pas"), ("a", "n'a pas"), ("ont", "n'ont pas")],
    ],
    "de": [
        [("begrüßt", "verurteilt"), ("begrüßen", "verurteilen"), ("verteidigt", "gibt preis"), ("stärkt", "schwächt"),
         ("stärken", "schwächen"), ("fördert", "behindert"), ("schützt", "gefährdet")],
        [("immer", "nie")],
    ],
}
# German finite verbs whose negation is placed by verb position: positive -> the verb of the negative form.
_DE_MODALS = {"muss": "darf", "müssen": "dürfen", "musst": "darfst", "soll": "soll", "sollen": "sollen",
              "sollte": "sollte", "sollten": "sollten", "kann": "kann", "können": "können", "will": "will",
              "wollen": "wollen"}
_DE_AUX = {"ist": "ist", "sind": "sind", "war": "war", "waren": "waren", "wird": "wird", "werden": "werden"}
_DE_KEIN_VERBS = r"ist|sind|war|waren|gibt|gab|hat|haben|hatte|braucht|brauchen|kennt|kennen"
# German separable verb: "unterstützt X" <-> "lehnt X ab" (the particle goes to the clause end).
_DE_SEP = [
    (re.compile(r"\b(unterstützt|befürwortet)\b([^,.;:!?]*?)(?=[,.;:!?]|$)"), lambda m: f"lehnt{m.group(2)} ab"),
    (re.compile(r"\b(unterstützen|befürworten)\b([^,.;:!?]*?)(?=[,.;:!?]|$)"), lambda m: f"lehnen{m.group(2)} ab"),
    (re.compile(r"\blehnt\b([^,.;:!?]*?)\s+ab(?=[,.;:!?]|$)"), lambda m: f"unterstützt{m.group(1)}"),
    (re.compile(r"\blehnen\b([^,.;:!?]*?)\s+ab(?=[,.;:!?]|$)"), lambda m: f"unterstützen{m.group(1)}"),
]
# Last resort when no cue is found: a sentence prefix (also symmetric: removed when present). German and French
# take a colon so that the statement keeps its own (verb-second / indicative) word order.
FALLBACK_PREFIX = {"en": "It is not the case that ", "zh": "并非", "fr": "Il est faux de dire que ",
                   "de": "Es stimmt nicht: ", "es": "No es cierto que ", "it": "Non è vero che ",
                   "pt": "Não é verdade que "}
_LOWER_FIRST = {"The", "A", "An", "This", "These", "Those", "It", "There", "We", "You", "They", "He", "She", "Our",
                "Your", "Their", "His", "Her", "My", "Its", "All", "Some", "Many", "Most", "No", "Every", "Each",
                "Nothing", "Everything", "Everyone", "Nobody", "People", "Men", "Women", "What", "When", "If",
                "Le", "La", "Les", "Un", "Une", "Il", "Elle", "On", "Nous", "Vous", "Ils", "Elles", "Ce", "Cette",
                "Ces", "Tout", "Tous", "Rien", "Ceux", "Celui", "Quand", "Si",
                "Die", "Der", "Das", "Ein", "Eine", "Es", "Wir", "Man", "Ihr", "Alle", "Jeder", "Jede", "Nichts",
                "Wer", "Was", "Wenn", "El", "Los", "Las", "Lo", "O", "Os"}
NEGATION_MARKERS = {"en": ["not", "oppose", "reject", "condemn", "never"], "zh": ["不", "反对", "没", "非", "放弃"],
                    "fr": ["pas", "oppose", "rejette", "condamne", "faux", "jamais"],
                    "de": ["nicht", "lehnt", "keinesfalls", "kein", "nie"]}


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    repl: object  # str or callable(match) -> str
    polarity: int  # +1 if the matched cue is the positive member, -1 negative
    guard: Callable[[str, re.Match], bool] | None = None  # False: this match is no cue here


# --- English ----------------------------------------------------------------------------------------------
_EN_NEGATED = re.compile(r"\s*(?:not|never|no|nothing|none|nobody|neither|nor|no longer|always)\b|['’]t\b", re.I)
_EN_NOUN_BEFORE = re.compile(r"(?:\b(?:the|a|free|his|her|their|our|my|your|its|good|ill|own|political|popular|"
                             r"general)\s+|['’]s\s+)$", re.I)


def _en_guard(text: str, m: re.Match) -> bool:
    if _EN_NEGATED.match(text, m.end()) or re.search(r"\bnot\s+$", text[: m.start()], re.I):
        return False  # "will never", "is no", "can't", "not always": negative already; "is always": always<->never
    word = m.group(0).lower()
    return not (word in {"will", "can", "must"} and _EN_NOUN_BEFORE.search(text[: m.start()]))


def _en_have() -> list[_Rule]:
    """has/have: "has not" before a participle ("has not been"), else do-support ("does not have a duty")."""
    perfect = r"(?=\s+(?:(?:\w+ly|ever|already|just|also)\s+)?(?:been|\w+ed|\w+en)\b)"
    return [
        _Rule(re.compile(rf"(?<![\w'’])(?P<v>has|have){perfect}", re.I), lambda m: m.group(0) + " not", +1, _en_guard),
        _Rule(re.compile(rf"(?<![\w'’])(?P<v>has|have)\s+not{perfect}", re.I), lambda m: m.group("v"), -1),
        _Rule(re.compile(r"(?<![\w'’])(?P<v>has|have)(?![\w'’])", re.I),
              lambda m: _match_case(m.group(0), "does not have" if m.group(0).lower() == "has" else "do not have"), +1,
              _en_guard),
        _Rule(re.compile(r"(?<![\w'’])(?P<d>does|do)\s+not\s+have(?![\w'’])", re.I),
              lambda m: _match_case(m.group(0), "has" if m.group("d").lower() == "does" else "have"), -1),
    ]


# --- French ------------------------------------------------------------------------------------------------
_FR_CLITICS = r"(?:(?:me|te|se|le|la|les|lui|leur|y|en)\s+|[mtsl][’'])*"
_VOWEL = re.compile(r"[aeiouyéèêëàâîïôûœh]", re.I)


def _ne(rest: str) -> str:
    return ("n'" if _VOWEL.match(rest) else "ne ") + rest


def _fr_rules(pos: str, neg: str) -> list[_Rule]:
    """ne…pas pairs with object clitics and elision; other pairs (soutient/s'oppose à) as plain words."""
    if not re.match(r"(?:ne |n')", neg):
        return []
    verb_neg = re.sub(r"^(?:ne |n')", "", neg)  # "doit pas"
    verb = verb_neg.rsplit(" ", 1)[0]
    tail = verb_neg[len(verb):]  # " pas"
    p_pos = re.compile(rf"(?<![\w'’-])(?P<cl>{_FR_CLITICS})(?P<v>{re.escape(pos)})(?![\w'’-])", re.I)
    p_neg = re.compile(rf"(?<![\w'’])(?:ne\s+|n['’])(?P<cl>{_FR_CLITICS})(?P<v>{re.escape(verb)}){re.escape(tail)}"
                       rf"(?![\w'’])", re.I)

    def pos_guard(text: str, m: re.Match) -> bool:  # "ne … que / jamais / plus": not a positive cue
        return not re.search(r"(?:\bne\s+|\bn['’])$", text[: m.start()], re.I)

    def to_neg(m: re.Match) -> str:
        out = _ne(m.group("cl").lower() + verb + tail) if m.group("cl") else _ne(verb + tail)
        return out[:1].upper() + out[1:] if m.group(0)[:1].isupper() else out

    def to_pos(m: re.Match) -> str:
        out = m.group("cl") + pos
        return out[:1].upper() + out[1:] if m.group(0)[:1].isupper() else out

    return [_Rule(p_pos, to_neg, +1, pos_guard), _Rule(p_neg, to_pos, -1)]


# --- German ------------------------------------------------------------------------------------------------
_DE_STOP = re.compile(r"[,.;:!?–—\n\"“”„»«()]|\s-\s|\s(?:und|oder|aber|denn|sondern|doch|weil|dass|wenn|als|"
                      r"damit|obwohl)\s")
_DE_FUNC = {"den", "einen", "keinen", "meinen", "deinen", "seinen", "ihren", "unseren", "euren", "denen", "wen",
            "allen", "diesen", "jenen", "welchen", "solchen", "vielen", "wenigen", "anderen", "eigenen", "ganzen",
            "morgen", "oben", "unten", "gern", "gerne", "eben", "neben", "hinten", "vorn", "vorne", "seitdem"}
_DE_PRON = {"mir", "dir", "uns", "euch", "ihm", "ihr", "sich", "es", "ihn", "ihnen", "mich", "dich", "ich", "du",
            "er", "sie", "wir", "man"}
_DE_FINITE_MORE = {"könnte", "könnten", "würde", "würden", "möchte", "möchten", "dürfte", "müsste", "müssten",
                   "hätte", "hätten", "wäre", "wären", "darf", "dürfen", "hat", "haben", "habe"}
_DE_VERBAL = re.compile(r"(?:zu)?[a-zäöüß]+(?:en|ern|eln)|sein|tun|ge[a-zäöüß]+t|[a-zäöüß]+iert")
_DE_PARTICLES = {"ab", "an", "auf", "aus", "ein", "mit", "vor", "weg", "zurück", "zu", "fest", "hin", "her", "bei",
                 "nach", "los", "fort", "heim", "um"}
_DE_NEG_WORD = re.compile(r"\b(?:nicht|kein\w*|nie|niemals|keinesfalls)\b(?!\s+(?:nur|zuletzt|wahr)\b)")


def _clause_end(text: str, start: int) -> int:
    m = _DE_STOP.search(text, start)
    return m.start() if m else len(text)


def _de_place(rest: str, modal: bool) -> str:
    """`rest` (what follows the finite verb up to the clause end) with "nicht" put by verb position."""
    toks = re.split(r"(\s+)", rest)
    words = [i for i, t in enumerate(toks) if t.strip()]
    k = len(words)
    # the clause-final verbal complex: infinitives / participles (and a separable particle) at the end
    while k > 0:
        w = toks[words[k - 1]]
        prev = toks[words[k - 2]].lower() if k >= 2 else ""
        if w in _DE_FUNC or w.endswith("sten") or prev in {"am", "zum", "aufs"} or not (
                _DE_VERBAL.fullmatch(w) or (k == len(words) and w in _DE_PARTICLES and not modal)):
            break
        k -= 1
    if k == len(words) and len(words) >= 2 and toks[words[-2]].lower() == "am":  # "war … am größten"
        k = len(words) - 2
    elif k == len(words):  # no verbal complex: after leading pronouns ("ist mir wichtig" -> "ist mir nicht wichtig")
        k = 0
        while k < len(words) and toks[words[k]].lower() in _DE_PRON:
            k += 1
        if k == len(words):
            return rest + " nicht"
    i = words[k]
    return "".join(toks[:i]) + "nicht " + "".join(toks[i:])


def _de_v2(verbs: dict[str, str]) -> list[_Rule]:
    """Verb-second / verb-first clauses: the finite verb, then the clause up to its end."""
    pos_of: dict[str, str] = {}
    for v, n in verbs.items():
        pos_of.setdefault(n, v)
    pos_alt = "|".join(sorted(verbs, key=len, reverse=True))
    neg_alt = "|".join(sorted(pos_of, key=len, reverse=True))
    finite = set(_DE_MODALS) | set(_DE_AUX) | set(_DE_MODALS.values()) | _DE_FINITE_MORE
    p_pos = re.compile(rf"(?<![\wäöüß])(?P<v>{pos_alt})(?P<rest>\s+[^,.;:!?–—\n\"“”„»«()]+)", re.I)

    def pos_guard(text: str, m: re.Match) -> bool:
        end = _clause_end(text, m.end("v"))
        nxt = m.group("rest").split()
        prev = (re.findall(r"[\wäöüß]+", text[max(0, m.start() - 40): m.start()]) or [""])[-1]
        clause = text[m.end("v"):_clause_end(text, m.end("v"))]
        if m.group("v").lower() in _DE_AUX and re.search(r"\b(?:immer|nie|niemals)\b", clause) and not re.search(
                r"\bimmer noch\b|\bnoch immer\b", clause):
            return False  # "war … immer am größten": the immer<->nie pair, not "nicht"
        after = [w.lower() for w in nxt if w.lower() not in _DE_PRON][:1]
        if re.search(r"\b(?:zu|um)\s*$", text[: m.start()]) or (nxt and nxt[0].lower() in finite) or (
                after and after[0] in {"immer", "nie", "niemals"}):
            return False  # "zu müssen ist …": an infinitive; "ist immer": the immer<->nie pair
        if prev[:1].islower() and _DE_VERBAL.fullmatch(prev) and prev not in _DE_FUNC:
            return False  # "getan werden könnte": the end of a verb-last clause
        if m.group("v").lower() in _DE_KEIN_VERBS.split("|") and re.match(r"\s+k?ein(?:e|en|em|er|es)?\b",
                                                                          m.group("rest")):
            return False  # "ist ein" / "ist kein": the kein rule
        return not _DE_NEG_WORD.search(text[m.end("v"):end])

    def to_neg(m: re.Match) -> str:
        end = _clause_end(m.string, m.end("v")) - m.end("v")
        rest = m.group("rest")
        v = m.group("v")
        nv = verbs[v.lower()]
        return (nv[:1].upper() + nv[1:] if v[:1].isupper() else nv) + _de_place(rest[:end], v.lower() in _DE_MODALS) \
            + rest[end:]

    p_neg = re.compile(rf"(?<![\wäöüß])(?P<v>{neg_alt})(?P<mid>(?:\s+[^\s,.;:!?–—\n\"“”„»«()]+)*?)\s+nicht\b"
                       rf"(?!\s+(?:nur|zuletzt|wahr)\b)", re.I)

    def neg_guard(text: str, m: re.Match) -> bool:
        return _clause_end(text, m.end("v")) >= m.end() and not re.search(r"\b(?:zu|um)\s*$", text[: m.start()])

    def to_pos(m: re.Match) -> str:
        v = m.group("v")
        pv = pos_of[v.lower()]
        return (pv[:1].upper() + pv[1:] if v[:1].isupper() else pv) + m.group("mid")

    return [_Rule(p_pos, to_neg, +1, pos_guard), _Rule(p_neg, to_pos, -1, neg_guard)]


def _de_vl(verbs: dict[str, str]) -> list[_Rule]:
    """Verb-last (subordinate) clauses: "…, weil wir uns schützen müssen" -> "…, weil wir uns nicht schützen dürfen"."""
    pos_of = {n: v for v, n in reversed(list(verbs.items()))}
    pos_alt = "|".join(sorted(verbs, key=len, reverse=True))
    neg_alt = "|".join(sorted(pos_of, key=len, reverse=True))
    end = r"(?=\s*(?:[,.;:!?)\"“”„»«]|$))"
    func = "|".join(sorted(_DE_FUNC))
    inf = rf"(?P<inf>(?:(?!(?:{func})\s)[a-zäöüß]+(?:en|ern|eln)\s+)+)"
    p_pos = re.compile(rf"(?<![\wäöüß]){inf}(?P<v>{pos_alt}){end}")
    p_neg = re.compile(rf"(?<![\wäöüß])nicht\s+{inf}(?P<v>{neg_alt}){end}")
    return [_Rule(p_pos, lambda m: "nicht " + m.group("inf") + verbs[m.group("v")], +1,
                  lambda t, m: not _DE_NEG_WORD.search(t[max(0, m.start() - 30): m.start()])),
            _Rule(p_neg, lambda m: m.group("inf") + pos_of[m.group("v")], -1)]


def _de_kein() -> list[_Rule]:
    """"ist ein Problem" <-> "ist kein Problem", "gibt eine Lösung" <-> "gibt keine Lösung"."""
    p_ein = re.compile(rf"(?<![\wäöüß])(?P<v>{_DE_KEIN_VERBS})\s+(?P<a>ein(?:e|en|em|er|es)?)\b", re.I)
    p_kein = re.compile(rf"(?<![\wäöüß])(?P<v>{_DE_KEIN_VERBS})\s+k(?P<a>ein(?:e|en|em|er|es)?)\b", re.I)
    return [_Rule(p_ein, lambda m: f"{m.group('v')} k{m.group('a')}", +1),
            _Rule(p_kein, lambda m: f"{m.group('v')} {m.group('a')}", -1)]


def _de_pair_guard(text: str, m: re.Match) -> bool:
    """"immer noch" / "noch immer" (still) is no "always"."""
    return not (m.group(0).lower() == "immer" and (re.match(r"\s+noch\b", text[m.end():])
                                                   or re.search(r"\bnoch\s+$", text[: m.start()])))


def _de_rules(tier: int) -> list[_Rule]:
    if tier == 0:
        return _de_v2(_DE_MODALS) + _de_kein() + [_Rule(p, fn, +1 if j < 2 else -1) for j, (p, fn) in enumerate(_DE_SEP)]
    return _de_v2(_DE_AUX) + _de_vl(_DE_MODALS)


# --- Chinese ----------------------------------------------------------------------------------------------
_ZH_POTENTIAL = "着舍怪免少当记顾由恨巴见使要说怨容禁饶惹动吃来去过巴得"


@lru_cache(maxsize=4096)
def _zh_bounds(text: str) -> frozenset[int]:
    from .lang import _jieba

    out, pos = {0}, 0
    for w in _jieba().lcut(text):
        pos += len(w)
        out.add(pos)
    return frozenset(out)


def _zh_guard(text: str, m: re.Match) -> bool:
    cue = m.group(0)
    if "不得" in cue and (re.match(r"已|不", text[m.end():]) or text[m.start() - 1:m.start()] in _ZH_POTENTIAL):
        return False  # 不得已, 不得不, 舍不得, 着不得: no modal
    if len(cue) <= 2 or cue in {"不要", "不会", "不能", "不可", "不应"}:
        b = _zh_bounds(text)
        return m.start() in b and m.end() in b
    return True


def _word(s: str, lang: str) -> str:
    esc = re.escape(s).replace(r"\ ", r"\s+")
    if lang == "zh":
        return esc
    hy = "-" if lang == "fr" else ""  # "peut-être" holds no "peut"
    tail = "" if s.endswith("'") else rf"(?![\w'’{hy}])"
    return rf"(?<![\w'’{hy}])" + esc + tail


def _compile(lang: str) -> list[list[_Rule]]:
    tiers: list[list[_Rule]] = []
    for i, pairs in enumerate(_PAIRS.get(lang, [])):
        rules: list[_Rule] = []
        if lang == "de":
            rules += _de_rules(i)
        for pos, neg in pairs:
            if lang == "fr":
                fr = _fr_rules(pos, neg)
                if fr:
                    rules += fr
                    continue
            guard = _en_guard if lang == "en" else _zh_guard if lang == "zh" else _de_pair_guard if lang == "de" else None
            rules.append(_Rule(re.compile(_word(pos, lang), re.I), neg, +1, guard))
            rules.append(_Rule(re.compile(_word(neg, lang), re.I), pos, -1, _zh_guard if lang == "zh" else None))
        if lang == "en" and i == 0:  # "Don't ever slam a door" -> "Ever slam a door" (imperative, one way)
            rules.append(_Rule(re.compile(r"^(?:don['’]t|do not)\s+(?=\w)", re.I), lambda m: "", -1))
        if lang == "en" and i == 0:  # contractions: one way only (their positive side is the full form)
            for neg, pos in [("can't", "can"), ("won't", "will"), ("shouldn't", "should"), ("mustn't", "must"),
                             ("wouldn't", "would"), ("couldn't", "could"), ("don't", "do"), ("doesn't", "does"),
                             ("didn't", "did")]:
                rules.append(_Rule(re.compile(_word(neg, lang).replace("'", "['’]"), re.I), pos, -1))
        if lang == "en" and i == 1:
            rules += _en_have()
            for neg, pos in [("isn't", "is"), ("aren't", "are"), ("wasn't", "was"), ("weren't", "were"),
                             ("hasn't", "has"), ("haven't", "have")]:
                rules.append(_Rule(re.compile(_word(neg, lang).replace("'", "['’]"), re.I), pos, -1))
        tiers.append(rules)
    return tiers


_RULES = {lang: _compile(lang) for lang in _PAIRS}


@lru_cache(maxsize=8192)  # negate, polarity and the question read the same cue of a statement
def _find(text: str, lang: str) -> tuple[_Rule, re.Match] | None:
    for tier in _RULES.get(lang, []):
        best = None
        for rule in tier:
            for m in rule.pattern.finditer(text):
                if rule.guard is None or rule.guard(text, m):
                    if best is None or m.start() < best[1].start() or (
                            m.start() == best[1].start() and m.end() > best[1].end()):
                        best = (rule, m)
                    break
        if best:
            return best
    return None


def _match_case(src: str, dst: str) -> str:
    return dst[:1].upper() + dst[1:] if src[:1].isupper() else dst


def _prefixes(lang: str) -> tuple[str, ...]:
    p = FALLBACK_PREFIX.get(lang, FALLBACK_PREFIX["en"])
    return (p, p[:-4] + "qu'") if lang == "fr" else (p,)


def negate(text: str, lang: str) -> str:
    """The statement with its stance reversed (one cue rewritten, or a fallback prefix added/removed)."""
    base = lang if lang in _PAIRS else "en"
    for prefix in _prefixes(lang):
        if text.startswith(prefix):  # our own fallback: take it off again (symmetry before any cue)
            rest = text[len(prefix):]
            return rest[:1].upper() + rest[1:] if lang != "zh" else rest
    found = _find(text, base) if lang in _PAIRS or lang == "en" else None
    if found:
        rule, m = found
        new = rule.repl(m) if callable(rule.repl) else _match_case(m.group(0), rule.repl)
        out = text[: m.start()] + new + text[m.end():]
        return out[:1].upper() + out[1:] if m.start() == 0 and text[:1].isupper() else out
    prefix = FALLBACK_PREFIX.get(lang, FALLBACK_PREFIX["en"])
    first = text.split(" ", 1)[0]
    body = text[:1].lower() + text[1:] if first in _LOWER_FIRST and not prefix.endswith(": ") else text
    if lang == "fr" and _VOWEL.match(body):
        return prefix[:-4] + "qu'" + body
    return prefix + body


def polarity(text: str, lang: str) -> int:
    """+1 / -1 from the strongest stance cue (the one `negate` would flip); 0 when no cue is present."""
    if text.startswith(_prefixes(lang)):
        return -1
    found = _find(text, lang if lang in _PAIRS else "en")
    return found[0].polarity if found else 0


def positive_form(text: str, lang: str) -> str:
    """The statement's positive side (itself, or its reverse when its strongest cue is negative)."""
    return negate(text, lang) if polarity(text, lang) < 0 else text
