"""Per-language word lists of the offline provider: value/position cues (statement extraction) and the value
lexicon (topic screening). Lower-case; matched on word starts for Latin scripts, as substrings for Chinese."""
from __future__ import annotations

import re
from functools import lru_cache

VALUE_CUES = {
    "en": ["must", "should", "ought", "oppose", "opposes", "opposed", "support", "supports", "supported", "firmly",
           "resolutely", "insist", "insists", "condemn", "condemns", "reject", "rejects", "urge", "urges",
           "call on", "calls on", "calls for", "believe", "believes", "defend", "defends", "protect", "stand against",
           "never accept", "committed to", "welcomes", "need to", "needs to",
           # judgements of real quotations ("Never trust …", "It is better to …", "… is our duty")
           "never", "always", "better", "worse", "duty", "necessary", "essential", "wrong", "cannot", "can't",
           "don't", "mustn't", "shouldn't", "ought not"],
    "zh": ["坚决", "坚持", "反对", "支持", "应当", "应该", "必须", "维护", "捍卫", "谴责", "主张", "呼吁", "决不",
           "绝不", "敦促", "不得", "认为", "赞扬", "致力于",
           "不要", "不可", "不能", "应", "必", "勿", "莫", "须", "宜", "最好", "重要"],
    "fr": ["doit", "doivent", "devrait", "devraient", "faut", "soutient", "soutiennent", "s'oppose", "s'opposent",
           "oppose", "fermement", "condamne", "défend", "défendre", "soutenir", "exige", "appelle", "rejette", "estime", "salue",
           "devons", "devez", "dois", "jamais", "toujours", "mieux", "meilleur", "pire", "devoir", "nécessaire"],
    "de": ["muss", "müssen", "soll", "sollte", "sollten", "unterstützt", "unterstützen", "lehnt", "lehnen",
           "fordert", "verurteilt", "unterstützen", "entschieden", "verteidigt", "setzt sich", "darf nicht", "begrüßt", "warnt",
           "nie", "niemals", "immer", "besser", "Pflicht", "notwendig", "falsch", "darf", "dürfen", "kann nicht",
           "können nicht"],
}
VALUE_LEXICON = {
    "en": ["policy", "policies", "right", "rights", "law", "laws", "legal", "moral", "morality", "sovereignty",
           "democracy", "democratic", "freedom", "liberty", "justice", "equality", "human rights", "election",
           "government", "abortion", "immigration", "religion", "discrimination", "racism", "constitution",
           "security", "independence", "values", "corruption", "protest", "welfare", "climate", "gun", "tax"],
    "zh": ["政策", "权利", "人权", "法治", "法律", "主权", "民主", "自由", "公平", "正义", "平等", "道德", "价值观",
           "宪法", "安全", "统一", "独立", "腐败", "选举", "政府", "宗教", "歧视", "领土", "内政", "改革"],
    "fr": ["politique", "droit", "droits", "loi", "lois", "morale", "souveraineté", "démocratie", "liberté",
           "justice", "égalité", "laïcité", "république", "gouvernement", "élection", "immigration", "religion",
           "discrimination", "constitution", "sécurité", "valeurs", "corruption", "manifestation", "réforme"],
    "de": ["politik", "rechte", "recht", "gesetz", "gesetze", "moral", "souveränität", "demokratie", "freiheit",
           "gerechtigkeit", "gleichheit", "regierung", "wahl", "wahlen", "migration", "religion", "diskriminierung",
           "verfassung", "sicherheit", "werte", "korruption", "protest", "grundgesetz", "menschenrechte"],
}


@lru_cache(maxsize=None)
def _pattern(kind: str, lang: str) -> re.Pattern:
    words = (VALUE_CUES if kind == "cue" else VALUE_LEXICON).get(lang) or (VALUE_CUES if kind == "cue"
                                                                          else VALUE_LEXICON)["en"]
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if lang == "zh":
        return re.compile(alt)
    # Lexicon words match word starts ("rights", "Politikwechsel"); cues match whole words.
    tail = r"\w*" if kind == "lex" else r"\b"
    return re.compile(rf"(?<![\w'])(?:{alt}){tail}", re.I)


def cue_hits(text: str, lang: str) -> list[str]:
    return [m.group(0) for m in _pattern("cue", lang).finditer(text or "")]


def value_hits(text: str, lang: str) -> list[str]:
    out = [m.group(0).lower() for m in _pattern("lex", lang).finditer(text or "")]
    if lang == "de":  # German compounds: "Menschenrechtspolitik" holds "politik" inside
        low = (text or "").lower()
        out += [w for w in VALUE_LEXICON["de"] if len(w) >= 5 and w in low and w not in out]
    return out
