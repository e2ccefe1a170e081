"""Questions of the offline `rules` provider: auxiliary / modal inversion, and issue words for the template.

The question is built on the statement's positive side (`negate.positive_form`), so S and RS get the same,
neutral question. Inversion only where the clause allows it: the stance cue that `negate` flips is the finite
verb of a main clause whose subject is a short noun phrase at the clause start (no comma, no subordinator, no
relative pronoun); anything else returns None and the caller falls back to the issue template. Hand-written:
no offline parser covers zh/en/fr/de, and a wrong inversion is worse than the template.
"""
from __future__ import annotations

import re

from . import lang as L
from .negate import _DE_VERBAL, _PAIRS, _find

AUXILIARIES = {
    "en": ("must", "should", "can", "will", "ought", "is", "are", "was", "were", "has", "have", "do", "does", "did"),
    "de": ("muss", "müssen", "musst", "soll", "sollen", "sollte", "sollten", "kann", "können", "will", "wollen",
           "ist", "sind", "war", "waren", "wird", "werden", "gibt", "hat", "haben", "begrüßt", "begrüßen",
           "verteidigt", "stärkt", "stärken", "fördert", "schützt", "unterstützt", "unterstützen", "befürwortet",
           "befürworten", "braucht", "brauchen"),
    "fr": ("doit", "doivent", "devons", "devez", "dois", "devrait", "devraient", "devrions", "devriez", "devrais",
           "faut", "faudrait", "peut", "peuvent", "pouvons", "veut", "est", "sont", "a", "ont", "est-ce"),
    "zh": (),
}
_CLAUSE = re.compile(r"[.;:!?。；：！？\n]|\s--\s|\s[-–—]\s")
_EN_SUBJ_BAD = set("who whom whose which that what when where why how if because while although though whether "
                   "than as and but or so yet then just only also now even still to for nor unless until is are was "
                   "were be been being am has have had do does did can could will would shall should must may might "
                   "ought not never".split())
_EN_PRON = {"he", "she", "it", "we", "you", "they", "i", "one"}
_RESUME = re.compile(r",\s*(?:but|and|or|yet|so|for|mais|et|ou|car|donc|or|aber|und|oder|denn|doch)\b|\s(?:but|or|and)\s+"
                     r"(?:there|it|he|she|they|we|i|you)\b|\s+--|\s[-–—]\s")
_EN_LOWER = set("the a an this these those it there we you they he she our your their his her my its all some "
                "many most every each people men women one".split())
_EN_MODAL = {"must", "should", "can", "will", "is", "are", "was", "were", "ought"}
_DE_SUBJ_BAD = set("wer was wenn weil dass daß ob wie als nur auch doch dann so hier heute da deshalb darum denn "
                   "aber und oder noch schon nie immer jetzt nun zwar gar sehr".split())
_DE_LOWER = set("der die das den dem des ein eine einer eines einem einen wir ich du er sie es man ihr unser "
                "unsere jeder jede jedes alle viele diese dieser dieses mein meine sein seine kein keine".split())
_FR_SUBJ_BAD = set("que qu qui quoi si s quand lorsque comme où dont car mais et ou donc puis parce pourquoi "
                   "comment ne n pas c est sont a ont faut doit peut en dans pour par sur avec sans à au aux chez "
                   "vers entre sous après avant pendant depuis y".split())
_DE_PERSONAL = {"ich", "du", "er", "sie", "es", "wir", "ihr", "man"}
_DE_MODAL_SET = {"muss", "müssen", "musst", "soll", "sollen", "sollte", "sollten", "kann", "können", "will", "wollen"}
_FR_LOWER = set("le la les l' un une des ce cet cette ces il elle on nous vous ils elles je tu mon ma mes ton ta "
                "tes son sa ses notre nos votre vos leur leurs tout tous toute toutes chaque".split())
_FR_PRON = {"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
_ZH_SUBORD = re.compile(r"假如|如果|若|虽然|虽|但是|因为|所以|而且|即使|只要|只有|除非|要是|倘若|一旦|为了|之所以|既然|无论|不管")
_ZH_QWORDS = re.compile(r"吗|呢|何|谁|什么|怎|岂|哪|吧|么|乎|哉|耶|欤|“|”|「|」")


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = 0
    for m in _CLAUSE.finditer(text, 0, start):
        s = m.end()
    m = _CLAUSE.search(text, end)
    return s, (m.start() if m else len(text))


def _tidy(rest: str) -> str:
    m = _RESUME.search(rest)
    rest = rest[: m.start()] if m else rest
    rest = re.sub(r"\s+", " ", rest).strip(" ,\"“”„»«'")
    for a, b in ("“”", "„“", "«»", "()", "「」"):
        if rest.count(a) != rest.count(b):
            rest = rest.replace(a, "").replace(b, "")
    if rest.count('"') % 2:
        rest = rest.replace('"', "")
    return rest


def _lower_first(phrase: str, lower: set[str]) -> str:
    first = phrase.split(" ", 1)[0]
    return phrase[:1].lower() + phrase[1:] if first.lower() in lower and first != "I" else phrase


def inverted_question(pos: str, lang: str) -> str | None:
    """Yes/no question by inversion of the statement's (positive) stance clause; None where it does not fit."""
    found = _find(pos, lang)
    if not found or found[0].polarity < 0:
        return None
    m = found[1]
    fn = {"en": _en, "de": _de, "fr": _fr, "zh": _zh}.get(lang)
    try:
        return fn(pos, m) if fn else None
    except (IndexError, KeyError):
        return None


def _after_comma(subj: str, pronouns: set[str]) -> str:
    """"Pour sauver son crédit, il" -> "il": a clause after a comma counts when its subject is a pronoun."""
    if "," in subj and subj.rsplit(",", 1)[1].strip().lower() in pronouns:
        return subj.rsplit(",", 1)[1].strip()
    return subj


def _en(text: str, m: re.Match) -> str | None:
    cue = m.group(0)
    c0, c1 = _clause_bounds(text, m.start(), m.end())
    subj = _after_comma(text[c0:m.start()].strip(), _EN_PRON)
    rest = _tidy(text[m.end():c1])
    words = subj.split()
    if not 1 <= len(words) <= 6 or "," in subj or not rest or re.search(r"[\[\]()\"“”]|n't\b", subj) or any(
            w.lower() in _EN_SUBJ_BAD for w in words):
        return None
    subj = _lower_first(subj.strip("\"“”'"), _EN_LOWER)
    low = cue.lower()
    if low == "always":  # "X is always Y" / "X can always Y": the auxiliary before it is the one to invert
        aux_m = re.search(r"\b(must|should|can|will|is|are|was|were|has|have)\s+$", text[c0:m.start()], re.I)
        if not aux_m:
            return None
        subj = _after_comma(text[c0:c0 + aux_m.start()].strip(), _EN_PRON)
        words = subj.split()
        if not 1 <= len(words) <= 6 or "," in subj or any(w.lower() in _EN_SUBJ_BAD for w in words):
            return None
        return f"{aux_m.group(1).capitalize()} {_lower_first(subj, _EN_LOWER)} always {rest}?"
    first_rest = rest.split(" ", 1)[0].lower()
    if low in _EN_MODAL or (low in {"has", "have"} and (first_rest == "been" or first_rest.endswith(("ed", "en")))):
        aux = "Ought" if low.startswith("ought") else cue[:1].upper() + cue[1:].lower()
        tail = " to " + rest if low.startswith("ought") else " " + rest
        return f"{aux} {subj}{tail}?"
    base, do = _en_base(low)
    if base is None:
        return None
    return f"{do} {subj} {base} {rest}?".replace("  ", " ")


def _en_base(verb: str) -> tuple[str | None, str]:
    """(base form, do-support auxiliary) of a positive English stance verb ("supports" -> ("support", "Does"))."""
    words = verb.split()
    head, tail = words[0], " ".join(words[1:])
    positives = {p.split()[0] for tier in _PAIRS["en"] for p, _ in tier}
    if head in {"has", "have"}:
        return ("have", "Does" if head == "has" else "Do")
    if head.endswith("ed"):
        for cand in (head[:-1], head[:-2]):
            if cand in positives:
                return (f"{cand} {tail}".strip(), "Did")
        return (None, "")
    if head.endswith("s") and not head.endswith("ss"):
        for cand in (head[:-1], head[:-2]):
            if cand in positives:
                return (f"{cand} {tail}".strip(), "Does")
        return (None, "")
    if head in positives and head not in {"always"}:
        return (f"{head} {tail}".strip(), "Do")
    return (None, "")


def _de(text: str, m: re.Match) -> str | None:
    v = m.groupdict().get("v") or m.group(0).split()[0]
    vstart = m.start("v") if "v" in m.groupdict() else m.start()
    if v.lower() not in AUXILIARIES["de"] or ("inf" in m.groupdict()):
        return None  # verb-last clauses (subordinate) are not inverted
    vend = vstart + len(v)
    c0, c1 = _clause_bounds(text, vstart, vend)
    comma = text.find(",", vend, c1)
    c1 = comma if comma >= 0 else c1
    vorfeld = text[c0:vstart].strip()
    rest = _tidy(text[vend:c1])
    words = vorfeld.split()
    if not 1 <= len(words) <= 5 or "," in vorfeld or not rest or any(w.lower() in _DE_SUBJ_BAD for w in words):
        return None
    if not (words[0].lower() in _DE_LOWER or words[0][:1].isupper()):
        return None
    if (words[0].lower() in _DE_PERSONAL and len(words) > 1) or (
            words[0].lower() not in _DE_PERSONAL and rest.split()[0].lower() in _DE_PERSONAL):
        return None  # "Ich finde wir sollten …", "Eigentlich sollte man …": the Vorfeld is no subject
    if v.lower() in _DE_MODAL_SET and not _DE_VERBAL.fullmatch(rest.split()[-1]):
        return None  # a modal's clause ends in its infinitive; anything else was cut short
    if any(w[:1].islower() and w.lower() not in _DE_LOWER and not re.fullmatch(r"[a-zäöüß]+(?:e|en|er|es|em)", w)
           for w in words[1:]):
        return None  # a lowercase word that is no article / inflected adjective: not a plain noun phrase
    return f"{v[:1].upper() + v[1:].lower()} {_lower_first(vorfeld, _DE_LOWER)} {rest}?"


def _fr(text: str, m: re.Match) -> str | None:
    gd = m.groupdict()
    vstart = m.start("cl") if "cl" in gd else m.start()
    c0, c1 = _clause_bounds(text, vstart, m.end())
    subj = _after_comma(text[c0:vstart].strip(), _FR_PRON)
    pred = _tidy(text[vstart:c1])
    rest = _tidy(text[m.end():c1])
    words = subj.split()
    if not 1 <= len(words) <= 6 or "," in subj or not pred or any(
            w.lower() in _FR_SUBJ_BAD for w in re.split(r"[\s'’]+", subj) if w):
        return None
    verb = (gd.get("v") or m.group(0)).lower()
    if subj.lower() == "il" and verb in {"faut", "faudrait"} and not gd.get("cl") and rest:
        return f"{verb.capitalize()}-il {rest} ?"
    if subj.lower() in _FR_PRON and not gd.get("cl") and rest and verb in AUXILIARIES["fr"] and " " not in verb:
        pron = subj.lower()
        if pron == "je":
            return None
        t = "-t" if verb[-1] in "aeioué" and pron in {"il", "elle", "on"} else ""
        return f"{verb.capitalize()}{t}-{pron} {rest} ?"
    if words[0].lower() not in _FR_LOWER and not words[0][:1].isupper():
        return None
    subj = _lower_first(subj, _FR_LOWER | {"l'"})
    que = "Est-ce qu'" if re.match(r"[aeiouyéèêàâîôûh]", subj, re.I) else "Est-ce que "
    return f"{que}{subj} {pred} ?"


def _zh(text: str, m: re.Match) -> str | None:
    c0, c1 = _clause_bounds(text, m.start(), m.end())
    comma = [i for i in (text.rfind("，", c0, m.start()), text.rfind(",", c0, m.start())) if i >= 0]
    c0 = max(comma) + 1 if comma else c0
    nxt = [i for i in (text.find("，", m.end(), c1), text.find(",", m.end(), c1)) if i >= 0]
    c1 = min(nxt) if nxt else c1
    clause = text[c0:c1].strip()
    subj, rest = text[c0:m.start()].strip(), text[m.start():c1].strip()
    if not 4 <= len(clause) <= 40 or _ZH_QWORDS.search(clause) or len(rest) < 2 or _ZH_SUBORD.search(subj):
        return None
    # a subject ending in the copula ("…是维护…") would read "是是否…": the clause takes 吗 instead
    if subj and not subj.endswith("是") and m.group(0) not in {"是", "有"}:
        return f"{subj}是否{rest}？"
    return f"{clause}吗？"


# --- issue words for the template question --------------------------------------------------------------
_DETS = {
    "en": set("the a an his her their our my your its this these those of".split()),
    "fr": set("le la les l' un une des du de d' sa son ses leur leurs notre nos votre vos mon ma mes ce cet cette "
              "ces".split()),
}
_NOUN_SUFFIX = {
    "en": re.compile(r"(?:tion|sion|ment|ness|ity|ism|ship|ence|ance|dom|hood|acy)s?$"),
    "fr": re.compile(r"(?:tion|sion|ment|té|ité|isme|ence|ance|ure|eur|ie|ude|age)s?$"),
    "de": re.compile(r"(?:ung|heit|keit|schaft|tät|ion|ismus|nis|tum)(?:en|e|s)?$"),
}
_ARTICLES = {"en": {"the", "a", "an"}, "fr": {"le", "la", "les", "l'", "un", "une", "des", "du"}}
_NOUNISH = {"news", "laws", "rights", "customs", "arms", "means", "politics", "ethics", "economics"}
_EXTRA_STOP = {
    "en": set("man thing things way something everything nothing anything someone everyone anyone lot kind sort "
              "time times day years year part place case fact point them him me us one ones yourself himself "
              "herself themselves itself myself ourselves mine yours ours theirs two three four five six seven "
              "eight nine ten eleven twelve hundred thousand million own other same".split()),
    "fr": set("chose choses rien quelque tout homme fois jour ans lui leur eux soi moi toi chez".split()),
    "de": set("sie ich er es wir ihr man mensch menschen ding dinge zeit mal jahr jahre ihm ihn ihnen uns euch "
              "mich dich mir dir sich".split()),
    "zh": set("时候 东西 事情 问题 方面 人们 大家 自己 一个 这个 那个 什么".split()),
}


def issue_words(text: str, lang: str, n: int = 3, extra_stop: set[str] | None = None) -> list[str]:
    """Up to n nouns (names included) of the statement, most frequent first: what the question is about."""
    stop = L.STOPWORDS.get(lang, L.STOPWORDS["en"]) | (extra_stop or set()) | _EXTRA_STOP.get(lang, set())
    text = re.sub(r"\s+", " ", text or "")
    cands: list[str] = []
    if lang == "zh":
        import jieba.posseg as pseg

        L._jieba()  # quiet logging, one dictionary load
        cands = [w for w, flag in pseg.lcut(text) if flag[:1] == "n" or flag == "vn"]
        cands = [w for w in cands if len(w) >= 2 and w not in stop and L._CJK.search(w)]
    else:
        toks = re.findall(r"[^\W\d_][\w'’-]*|[.!?;:,]", text)
        lower = [t.lower() for t in toks]
        heads: set[int] = set()
        for i, t in enumerate(toks):
            if lang == "fr" and re.match(r"(?:qu|[cjmnst])['’]", lower[i]):
                continue  # "qu'il", "c'est", "s'il": no noun
            if lang == "fr" and re.match(r"d['’]", lower[i]) and len(t) > 4:
                t = t[2:]  # "d'une" -> "une" (then a stop word); "l'obscurité" keeps its article
            if not t[0].isalpha() or lower[i] in stop or t.lower() in stop or len(t) < 3:
                continue
            if lang == "fr" and re.match(r"l['’]", lower[i]) and (len(t) < 5 or t[2:].lower() in stop):
                continue
            if lang == "fr" and re.search(r"(?:alement|iquement|ivement|eusement|uellement|amment|emment|ablement)$",
                                          lower[i]):
                continue  # adverbs, not -ment nouns
            initial = i == 0 or toks[i - 1] in {".", "!", "?", ";", ":"}
            if lang == "de":
                ok = t[0].isupper() and (not initial or _NOUN_SUFFIX["de"].search(t) or lower.count(lower[i]) > 1)
            else:
                after_det = i > 0 and lower[i - 1] in _DETS[lang]
                after_adj = (i > 1 and lower[i - 2] in _DETS[lang] and lower[i - 1] not in stop
                             and toks[i - 1][0].isalpha() and i - 1 not in heads)
                nxt = lower[i + 1] if i + 1 < len(toks) else "."
                ends_np = not nxt[0].isalpha() or nxt in stop or nxt in _DETS[lang] or (
                    lang == "en" and re.fullmatch(r"\w+(?:[^s]s|ed)", nxt) is not None and nxt not in _NOUNISH)
                head = (after_det or after_adj) and ends_np
                if head:
                    heads.add(i)
                proper = t[0].isupper() and not initial and not re.match(r"I['’]", t)
                ok = head or proper or bool(_NOUN_SUFFIX[lang].search(lower[i]) and not initial)
            if ok and lang != "de" and proper and i + 1 < len(toks) and toks[i + 1][:1].isupper() and (
                    toks[i + 1][0].isalpha()):
                continue  # inside a name: the run is taken at its last word
            if ok and lang != "de" and t[0].isupper() and i > 0 and toks[i - 1][:1].isupper() and (
                    toks[i - 1][0].isalpha()) and not initial:
                j = i
                while j > 0 and toks[j - 1][:1].isupper() and toks[j - 1][0].isalpha() and not (
                        j - 1 == 0 or toks[j - 2] in {".", "!", "?", ";", ":"}):
                    j -= 1
                t = " ".join(toks[j:i + 1])
            if ok and lang != "de" and not proper and i > 0 and (after_det or after_adj):
                j = i - 1 if after_det else i - 2  # keep the article: "the jury", "le vice", "the better lawyer"
                if lower[j] in _ARTICLES[lang]:
                    art = toks[j].lower()
                    t = art + ("" if art.endswith("'") else " ") + " ".join(toks[j + 1:i] + [t])
            if ok:
                cands.append(t)
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for w in cands:
        counts[w.lower()] = counts.get(w.lower(), 0) + 1
        shown.setdefault(w.lower(), w)
    order = sorted(counts, key=lambda w: (-counts[w], list(shown).index(w)))
    return [shown[w] for w in order[:n]]
