"""Who said it: speaker and organization patterns per language for the offline `rules` provider.

Hand-written regexes (no offline NER model covers zh/en/fr/de at once). A speaker is found from attribution
verbs ("X said", "according to X", "X表示", "selon X", "sagte X", ...) and quotes (“”, «», „“, 「」).
Titles ("Foreign Minister", "发言人", "ministre") are split off so the Person node gets the name.
"""
from __future__ import annotations

import re

_CAP = r"[A-ZÀ-ÞÄÖÜ][\w'’.-]*"
_NAME = rf"(?:{_CAP}\s+){{0,5}}{_CAP}"  # up to six capitalised words
_ZH_VERBS = "表示|指出|强调|说|称|认为|介绍|宣布|呼吁|主张"

_END = (r"(?=\s*(?:[,.;:!?»”\"]|$)|\s+(?:in|at|on|during|after|before|to|à|au|aux|en|lors|devant|dans|"
        r"sur|ce|mardi|lundi|mercredi|jeudi|vendredi|samedi|dimanche)\b)")  # a name AFTER the verb must close the clause ("said Britain must" is no speaker)
_FR_TITLE = (r"(?:(?:le|la|l'|les)\s*)?(?:(?:ministre|président|présidente|porte-parole|député|députée|maire|"
             r"secrétaire|premier|Premier|chancelier|sénateur)\s+(?:(?:de la|de l'|des|du|de)\s*[\w'-]+\s+)?)*")
SPEAKER_PATTERNS: dict[str, list[re.Pattern]] = {
    "en": [
        re.compile(rf"[\"“”,]\s*(?:he|she|they)?\s*(?:said|says|added|stressed)\s+(?P<n>{_NAME}){_END}"),
        re.compile(rf"(?:[Aa]ccording to|[Ss]aid|says|stressed|told)\s+(?P<n>(?:the\s+)?{_NAME}){_END}"),
        re.compile(rf"(?P<n>{_NAME})\s+(?:has\s+|had\s+)?(?:said|says|stressed|stated|noted|argued|added|insisted|"
                   rf"told|warned|urged|declared|believes|thinks|emphasized|emphasised|announced)\b"),
    ],
    "fr": [
        re.compile(rf"(?:[Ss]elon|[Dd]'après)\s+(?P<n>{_FR_TITLE}{_NAME}){_END}"),
        re.compile(rf"(?:a déclaré|a affirmé|a souligné|a estimé|a dit|a indiqué|déclare|affirme|souligne|estime|"
                   rf"dit|a martelé|a assuré)\s+(?P<n>{_FR_TITLE}{_NAME}){_END}"),
        re.compile(rf"(?P<n>{_NAME})\s+(?:a déclaré|a affirmé|a souligné|a estimé|a dit|a indiqué|déclare|affirme|"
                   rf"souligne|estime|a assuré|a martelé)\b"),
    ],
    "de": [
        re.compile(rf"(?:[Ll]aut|so|sagte|betonte|erklärte|meinte|forderte|warnte)\s+(?P<n>(?:der |die )?{_NAME})"
                   rf"(?=\s*(?:[,.;:!?»“\"]|$)|\s+[a-zäöü])"),
        re.compile(rf"(?P<n>{_NAME})\s+(?:sagte|betonte|erklärte|meinte|forderte|warnte|sagt|betont|erklärt)\b"),
    ],
}
_ZH_SPEAKER = re.compile(rf"(?:据|根据)(?P<n>[\u4e00-\u9fff·]{{2,14}}?)(?:称|表示|消息)|"
                         rf"(?:^|[，。：；、“”「」\s])(?P<m>[\u4e00-\u9fff·]{{2,14}}?)(?:{_ZH_VERBS})")
QUOTE = re.compile(r"[\"“„«「『](?P<q>[^\"“”„«»「」『』]{4,})[\"”“»」』]")

TITLES = {
    "en": r"(?:(?:Foreign|Prime|Defence|Defense|Finance|Interior|Home|Trade|Chief|Deputy|Vice|Senior|Former|White "
          r"House|Government|Ministry|State|Press)\s+)*(?:President|Premier|Minister|Secretary|Chancellor|"
          r"Spokesperson|Spokesman|Spokeswoman|Senator|Governor|Ambassador|Mayor|Professor|Prof\.?|Dr\.?|Mr\.?|"
          r"Mrs\.?|Ms\.?|Leader|Representative|Congresswoman|Congressman|MP|General|Chair|Chairman|Director)\s+",
    "fr": r"(?:(?:le|la|l')\s*)?(?:président|présidente|ministre|Premier ministre|porte-parole|député|députée|"
          r"sénateur|maire|chancelier|secrétaire|professeur|M\.|Mme)(?:\s+(?:de|des|du)\s+\S+)?\s+",
    "de": r"(?:(?:der|die)\s+)?(?:Bundeskanzler|Bundeskanzlerin|Kanzler|Kanzlerin|Präsident|Präsidentin|Minister|"
          r"Ministerin|Außenminister|Außenministerin|Sprecher|Sprecherin|Abgeordnete|Bürgermeister|Professor|"
          r"Regierungssprecher|Bundespräsident|Herr|Frau)\s+",
}
_ZH_TITLE = re.compile(r"^(?P<org>.*?)(?P<title>发言人|主席|总理|副总理|部长|外长|大使|总统|首相|总书记|委员长|"
                       r"书记|主任|秘书长|局长|司长|教授|院长|代表)(?P<name>[\u4e00-\u9fff·]{2,4})$")

ORG_WORDS = {
    "en": r"(?:Ministry|Department|Party|Government|Council|Commission|Union|Association|Parliament|Congress|"
          r"Senate|Court|Agency|Bank|Office|Organization|Organisation|Committee|Assembly|Federation|Institute|"
          r"University|Corporation|Company|Army|Administration|Foundation|League|Nations|Treasury|Cabinet|"
          r"Pentagon|Kremlin|Police|Labour|Conservatives|Tories|Democrats|Republicans)",
    "fr": r"(?:ministère|Ministère|gouvernement|Gouvernement|Parti|parti|Assemblée|Sénat|Conseil|Commission|Union|"
          r"Cour|Banque|Agence|Université|Élysée|Association)",
    "de": r"(?:\w*[Mm]inisterium|\w*[Rr]egierung|Bundestag|Bundesrat|Partei|\w*[Gg]ericht|Kommission|Union|"
          r"Bundesbank|Universität|Verband)",
}
ORG_PATTERNS = {
    "en": re.compile(rf"(?:the\s+)?(?P<o>(?:{_CAP}\s+)*{ORG_WORDS['en']}(?:\s+(?:of|for)(?:\s+the)?\s+{_CAP})*"
                     rf"(?:\s+{_CAP})*)|\b(?P<a>UN|NATO|EU|WHO|WTO|IMF|CPC|NPC|FBI|CIA|NHS|BBC)\b"),
    "fr": re.compile(rf"(?P<o>{ORG_WORDS['fr']}(?:\s+(?:de la|de l'|des|du|de)\s*[\w'-]+|\s+{_CAP})*)|"
                     rf"\b(?P<a>ONU|OTAN|UE|OMS|LR|PS|RN)\b"),
    "de": re.compile(rf"(?P<o>{ORG_WORDS['de']}(?:\s+{_CAP})?)|\b(?P<a>CDU|CSU|SPD|FDP|AfD|EU|UN|NATO|UNO)\b"),
}
_ZH_ORG = re.compile(r"(?P<o>(?:中国|中华人民共和国|国务院|全国人大|中共中央|美国|英国|法国|德国|联合国|欧盟)?"
                     r"[\u4e00-\u9fff]{0,6}?(?:外交部|国防部|商务部|教育部|财政部|国务院|人大常委会|全国人大|"
                     r"中共中央|共产党|政府|委员会|联合国|欧盟|世界卫生组织|北约|国会|议会))")


def _strip_title(name: str, lang: str) -> tuple[str, str | None]:
    """(person name, title-or-organization prefix) — for zh, the prefix before the title is an organization."""
    name = name.strip(" ,，:：\"“”'")
    if lang == "zh":
        # adverbials between the speaker and the verb: "汪文斌在北京表示", "汪文斌今天指出"
        name = re.sub(r"(?:在|于|今天|昨天|日前|近日|当天|此前|也|还|再次|则|曾|已经).*$", "", name) or name
        m = _ZH_TITLE.match(name)
        if m:
            return m.group("name"), (m.group("org") or None)
        return name, None
    pat = TITLES.get(lang, TITLES["en"])
    stripped = re.sub(rf"^{pat}", "", name, flags=re.I if lang != "en" else 0)
    stripped = re.sub(r"^(?:le|la|l'|der|die|the)\s+", "", stripped, flags=re.I)
    return (stripped or name), None


def _is_org(name: str, lang: str) -> bool:
    return bool(re.search(ORG_WORDS.get(lang, ORG_WORDS["en"]), name)) or name.isupper()


def find_speaker(sentence: str, lang: str) -> tuple[str | None, str | None]:
    """(speaker, organization) of a sentence; speaker None when no attribution is found.

    When the one who speaks is an organization ("the Foreign Ministry said"), it is returned as both.
    """
    person, org, _ = speaker_match(sentence, lang)
    return person, org


def without_attribution(sentence: str, lang: str) -> str:
    """The sentence with its attribution ("X said", "外交部发言人X表示") cut out: what was said.

    A quotation counts only in an attributed sentence (quotes also mark terms: 炼金术的“等价交换”原则)."""
    _, _, span = speaker_match(sentence, lang)
    if span is None:
        return sentence
    q = quoted_text(sentence)
    if q and len(q) >= 0.4 * len(sentence) - len(sentence[span[0]:span[1]]):
        return q
    return (sentence[: span[0]] + " " + sentence[span[1]:]).strip(" ，,")


def speaker_match(sentence: str, lang: str) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """find_speaker plus the span of the attribution in the sentence."""
    if lang == "zh":
        m = _ZH_SPEAKER.search(sentence)
        if not m:
            return None, None, None
        raw = (m.group("n") or m.group("m") or "").strip()
        if not raw or raw in {"他", "她", "他们", "我们", "有人", "报道", "据悉", "文章"}:
            return None, None, None
        person, org = _strip_title(raw, "zh")
        if not org and _ZH_ORG.fullmatch(raw):
            return raw, raw, m.span()
        return person, org, m.span()
    from ..gazetteer import lookup

    for pat in SPEAKER_PATTERNS.get(lang, SPEAKER_PATTERNS["en"]):
        for m in pat.finditer(sentence):
            raw = re.sub(r"(?<=[a-z]{2})\.$", "", m.group("n").strip())
            person, _ = _strip_title(raw, lang)
            first = person.split()[0] if person.split() else ""
            if not person or first in {"The", "This", "It", "He", "She", "They", "We", "Il", "Elle", "Er", "Sie",
                                       "Es", "Le", "La", "Les", "Der", "Die", "Das", "In", "On", "But", "And"}:
                continue
            if lookup(person):  # "Beijing said": the government of a place speaks
                return person, person, m.span()
            if _is_org(raw, lang):
                org = re.sub(r"^(?:the|le|la|l'|der|die)\s+", "", raw)
                return org, org, m.span()
            return person, None, m.span()
    return None, None, None


def find_organizations(text: str, lang: str) -> list[str]:
    """Organizations mentioned in a text (first-mention order, no duplicates)."""
    out: list[str] = []
    if lang == "zh" or re.search(r"[\u4e00-\u9fff]", text or ""):
        cands = [m.group("o") for m in _ZH_ORG.finditer(text or "")]
    else:
        pat = ORG_PATTERNS.get(lang, ORG_PATTERNS["en"])
        cands = [(m.group("o") or m.group("a") or "").strip() for m in pat.finditer(text or "")]
    for c in cands:
        c = re.sub(r"^(?:The|the|Le|La|Les|L'|Der|Die|Das)\s+", "", c.strip(" ,.;:"))
        if len(c) >= 2 and c not in out:
            out.append(c)
    return out


def quoted_text(sentence: str) -> str | None:
    m = QUOTE.search(sentence)
    return m.group("q").strip() if m else None


# --- attribution lines: a quotation followed by who said it ---------------------------------------------------
# "-- J. F. Kennedy", "— Goethe, Maximen und Reflexionen", "-+- Henri Monnier (1799-1877) -+-", "——鲁迅《呐喊》";
# "--《论语》" names a work only (no speaker). Only a short text (a quotation, not an article with a byline) takes
# its attribution line as the speaker of its statements.
_DASH = r"(?:--|-\+-|—{1,2}|―{1,2}|–)"
_LINE_START = re.compile(rf"^[ \t]*{_DASH}[ \t]*(?=\S)")
_INLINE = re.compile(rf"(?<=[.!?。！？”\"»'’)])[ \t]+{_DASH}[ \t]*(?P<a>[^\n]{{2,120}})$")
MAX_QUOTE_CHARS = 800
_PARTICLES = {"de", "du", "des", "la", "le", "von", "van", "der", "den", "di", "da", "del", "della", "bin", "ibn",
              "al", "el", "y", "zu", "ter", "dos", "d'", "St.", "Jr.", "Sr.", "II", "III", "IV", "jr.", "sr."}
_NAME_TITLES = re.compile(
    r"^(?:(?:Sen|Rep|Gov|Gen|Col|Capt|Sgt|Lt|Rev|Pres|Prof|Dr|Mr|Mrs|Ms|Mme|Mlle|Hr|Fr|St)\.\s*|"
    r"(?:Sir|Lord|Lady|Dame|Pope|King|Queen|Emperor|President|Senator|Governor|General|Präsident|Kaiser|König|"
    r"Papst|Président|Général|Saint|Sainte|Le président|Le général)\s+)+")
_MEDIA = r"\b(?:Times|Post|Journal|Magazine|News|Herald|Gazette|Tribune|Review|Press|Reuters|Zeitung|Spiegel|" \
         r"Monde|Figaro|Libération|Bible|Koran|Talmud)\b"
_ZH_WORKS = {"论语", "孟子", "道德经", "老子", "庄子", "诗经", "周易", "易经", "礼记", "左传", "史记", "尚书", "大学",
             "中庸", "谚语", "俗语", "菜根谭", "增广贤文", "三字经", "荀子", "韩非子", "孙子兵法", "战国策", "资治通鉴"}


def split_attribution(text: str) -> tuple[str, str | None]:
    """(text without its trailing attribution line, the attribution) — (text, None) when there is none."""
    t = (text or "").rstrip()
    lines = t.split("\n")
    for j in range(len(lines) - 1, 0, -1):
        if _LINE_START.match(lines[j]):
            attr = " ".join(x.strip() for x in lines[j:])
            body = "\n".join(lines[:j]).rstrip()
            if body.strip():
                return body, _LINE_START.sub("", attr, count=1).strip()
        if not lines[j][:1].isspace():  # only indented continuation lines may follow the attribution line
            break
    m = _INLINE.search(t)
    if m and len(m.group("a").split()) <= 10:
        return t[: m.start()].rstrip(), m.group("a").strip()
    return text, None


def attributed_person(attribution: str | None, lang: str) -> tuple[str | None, str | None]:
    """(speaker, organization) named by an attribution line; (None, None) for a work, a proverb or no name."""
    a = (attribution or "").strip()
    a = re.sub(r"\s*-\+-\s*$", "", a)
    if not a or a.startswith(("《", "「", "\"", "“", "«", "(")):
        return None, None
    if re.match(r"[\u4e00-\u9fff]", a):
        name = re.split(r"[《「(（,，:：\s]", a, 1)[0].strip("·")
        if not 2 <= len(name) <= 12 or name in _ZH_WORKS or any(w in name for w in ("参考", "手册", "准则")):
            return None, None
        person, org = _strip_title(name, "zh")
        return person, org
    name = re.split(r"\s*[,;(«\"“《:]|\s+-\+-|\s+(?:in|on|über|dans|sur)\s", a, 1)[0].strip()
    name = re.sub(r"(?<=[a-zà-ÿ]{2})\.$", "", name)
    name = _NAME_TITLES.sub("", name).strip()
    toks = name.split()
    if not 1 <= len(toks) <= 6 or not toks[0][:1].isupper():
        return None, None
    for tok in toks:
        if tok in _PARTICLES or re.fullmatch(r"[A-ZÀ-Þ]\.(?:[A-ZÀ-Þ]\.)*", tok):
            continue
        if not re.fullmatch(r"[A-ZÀ-ÞÄÖÜ][\w'’.-]*", tok):
            return None, None
    if re.search(_MEDIA, name) or _is_org(name, lang if lang in ORG_WORDS else "en") and len(toks) > 1:
        return name, name
    return name, None
