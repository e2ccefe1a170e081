"""Offline rules provider: zh/en/fr/de extraction, speakers, reverses (round-trips), questions, screening."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from navab_graph.config import Settings
from navab_graph.gazetteer import find_places, lookup
from navab_graph.llm import RulesProvider, get_provider
from navab_graph.llm.lang import same_language
from navab_graph.llm.negate import NEGATION_MARKERS, negate

ARTICLES = {
    "zh": ("外交部发言人汪文斌在北京表示，中方坚决反对外部势力干涉中国内政。今天天气晴朗。", "汪文斌", "外交部", "Beijing"),
    "en": ("Foreign Secretary David Lammy said Britain must support Ukraine. It rained in London on Monday.",
           "David Lammy", None, "London"),
    "fr": ("« La France doit défendre la laïcité », a déclaré Emmanuel Macron à Paris. Il faisait beau.",
           "Emmanuel Macron", None, "Paris"),
    "de": ("Deutschland muss die Ukraine unterstützen, sagte Bundeskanzler Olaf Scholz in Berlin. Es regnete.",
           "Olaf Scholz", None, "Berlin"),
}
SENTENCES = {
    "en": ["The government must protect free speech.", "Britain supports the sanctions against Russia.",
           "Parliament should not raise taxes.", "The minister opposes the new pension law."],
    "zh": ["中国坚决支持多边主义。", "我们应当维护国家主权。", "政府必须加强法治建设。", "中方坚决反对单边制裁。"],
    "fr": ["La France doit protéger la laïcité.", "Le gouvernement soutient la réforme des retraites.",
           "Les députés ne doivent pas voter cette loi.", "Paris soutient les sanctions."],
    "de": ["Deutschland muss die Ukraine unterstützen.", "Die Regierung unterstützt den Plan.",
           "Die Partei lehnt das Gesetz ab.", "Der Staat sollte die Rechte schützen."],
}


def test_get_provider_offline_by_default(tmp_path):
    p = get_provider(Settings(data_dir=tmp_path))
    assert p.name == "rules" and p.offline
    assert "rule-based" in p.usage.notes[0]


@pytest.mark.parametrize("lang", ["zh", "en", "fr", "de"])
def test_extract_statement_speaker_location(lang):
    text, speaker, org, place = ARTICLES[lang]
    ex = RulesProvider().extract(text, lang)
    assert len(ex.statements) == 1, ex  # the weather sentence has no value cue
    st0 = ex.statements[0]
    assert st0.speaker == speaker
    assert st0.organization == org
    assert place in ex.locations
    if org:
        assert org in ex.organizations


@pytest.mark.parametrize("lang", ["zh", "en", "fr", "de"])
def test_reverse_round_trip_and_negation(lang):
    p = RulesProvider()
    for s in SENTENCES[lang]:
        t = p.construct(s, lang)
        assert t.statement == s
        assert t.reverse != s
        assert negate(t.reverse, lang) == s, (s, t.reverse)
        assert same_language(s, t.reverse, lang)
        # one side carries a negation / opposition marker
        assert any(m in (t.reverse + s).lower() for m in NEGATION_MARKERS[lang])
        assert t.question.endswith(("?", "？")), t.question


def test_specific_reverses():
    assert negate("Britain supports the sanctions.", "en") == "Britain opposes the sanctions."
    assert negate("中国坚决支持多边主义。", "zh") == "中国坚决反对多边主义。"
    assert negate("Le gouvernement soutient la réforme.", "fr") == "Le gouvernement s'oppose à la réforme."
    assert negate("Die Regierung unterstützt den Plan.", "de") == "Die Regierung lehnt den Plan ab."
    assert negate("La France doit agir.", "fr") == "La France ne doit pas agir."
    assert negate("Deutschland muss handeln.", "de") == "Deutschland darf nicht handeln."


@pytest.mark.parametrize("lang", ["zh", "en", "fr", "de"])
def test_question_is_neutral_between_statement_and_reverse(lang):
    """S and RS get the same question (built on the positive side), and it carries no negation."""
    p = RulesProvider()
    neg = {"en": r"\b(?:not|never|oppose\w*|reject\w*)\b|n't", "de": r"\b(?:nicht|kein\w*|nie|lehnt)\b",
           "fr": r"\b(?:pas|jamais|oppose\w*|rejette)\b", "zh": r"不|没|反对|放弃"}[lang]
    for s in SENTENCES[lang]:
        t = p.construct(s, lang)
        assert p.construct(t.reverse, lang).question == t.question, (s, t)
        assert not re.search(neg, t.question, re.I), t.question


@hsettings(max_examples=60, deadline=None)
@given(st.sampled_from(["en", "fr", "de", "zh", "es", "ja", "xx"]),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_never_crashes_and_round_trips_any_text(lang, text):
    p = RulesProvider()
    p.extract(text, lang)
    t = p.construct(text or "x", lang)
    assert t.reverse != t.statement
    p.verify_conflict(text, t.reverse, lang)
    p.screen_topic(text, [text], [text], lang)


def test_other_language_falls_back():
    t = RulesProvider().construct("El gobierno debe apoyar la reforma.", "es")
    assert t.reverse.startswith("No es cierto que") and t.question.startswith("¿")
    assert negate(t.reverse, "es") == "El gobierno debe apoyar la reforma."


def test_verify_conflict_and_screen():
    p = RulesProvider()
    assert p.verify_conflict("China must support the pension reform.", "China must not support the pension reform.",
                             "en").relation == "conflict"
    assert p.verify_conflict("中国坚决支持多边主义合作。", "中国坚决反对多边主义合作。", "zh").relation == "conflict"
    assert p.verify_conflict("La France doit protéger la laïcité.", "La France doit protéger la laïcité.",
                             "fr").relation == "agree"
    assert p.verify_conflict("Die Regierung unterstützt den Plan.", "Das Wetter in Hamburg war schön heute.",
                             "de").relation == "unrelated"
    assert p.screen_topic("主权 / 领土", ["主权", "领土"], ["中方坚决维护国家主权。"], "zh").value_related
    assert p.screen_topic("Politik", ["Gesetz"], ["Die Regierung muss handeln."], "de").value_related
    assert not p.screen_topic("football / goal", ["football", "goal"], ["He scored a goal."], "en").value_related
    assert p.usage.calls == 7 and p.usage.failed == 0


def test_label_and_tags():
    p = RulesProvider()
    assert p.label_topic(["abortion", "women", "pregnancy", "x"], [], "en").label == "abortion / women / pregnancy"
    tags = p.tag_documents(["The law on immigration changed.", "Le match de football."], "en").tags
    assert len(tags) == 2 and tags[0].tag == "law"


def test_gazetteer_multilingual():
    assert lookup("Pékin").name == "Beijing" and lookup("München").name == "Munich"
    assert abs(lookup("伦敦").lat - 51.5074) < 1e-6
    assert [p.name for p in find_places("Londres et Berlin, 北京")] == ["London", "Berlin", "Beijing"]


def test_many_records_failures():
    p = RulesProvider()
    outs = p.construct_many([{"statement": "We must act.", "lang": "en"}, {"statement": None, "lang": "en"}])
    assert outs[0].ok and outs[0].value.reverse == "We must not act."
    assert not outs[1].ok and outs[1].error.startswith("TypeError")
    assert p.usage.failed == 1
