"""extract / construct / status through the CLI, asserted on the graph: resumability, preloaded statements,
failure recording, source judgment and triples (offline rules provider; the openai path in its own test)."""
from __future__ import annotations

import json

import pytest

from navab_graph.llm import RulesProvider
from navab_graph.stages.construct import construct
from navab_graph.stages.extract import extract

GB = [
    "Foreign Secretary David Lammy said Britain must support Ukraine. It rained in London on Monday.",
    "The government should not raise taxes on pensions, according to the Treasury. Markets were calm.",
    "Labour supports the new housing law in Manchester. The weather was fine.",
    "\"We must protect free speech,\" said Prime Minister Keir Starmer. He spoke in Edinburgh.",
    "The Home Office opposes the plan to close the border. Officials met in Birmingham.",
    "Parliament must defend the rights of workers. The session ended late.",
    "A cat was found on a roof in Glasgow. Firefighters helped.",
]


def _write_corpus(tmp_path, articles, name="gb.jsonl", extra=None):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(articles):
            rec = {"id": f"a{i:02d}", "title": f"Title {i}", "text": text, "published": "2024-01-0%d" % (i % 9 + 1)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for rec in extra or []:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _articles(store):
    # loaded ids are "<source>:<record id>"; the source is the file name
    return {r["id"].split(":", 1)[1]: r for r in store.run("MATCH (a:Article) RETURN a.id AS id, a.extracted_at AS at, "
                                          "a.extract_attempts AS attempts, a.extract_error AS error", write=False)}


def _n(store, q):
    return store.run(q, write=False)[0]["n"]


def test_extract_requires_topics_or_all_topics(cli, store, tmp_path):
    cli("load", str(_write_corpus(tmp_path, GB)), "--nation", "GB")
    res = cli("extract", "--nation", "GB", ok=False)
    assert res.exit_code != 0 and "--all-topics" in res.output and "topics" in res.output
    assert _n(store, "MATCH (s:Statement) RETURN count(s) AS n") == 0


def test_extract_value_topics_only(cli, store, tmp_path):
    cli("load", str(_write_corpus(tmp_path, GB)), "--nation", "GB")
    for tid, flag, ids in [("GB:0", True, ["gb:a00", "gb:a01"]), ("GB:1", False, ["gb:a02", "gb:a06"])]:
        store.run("MERGE (t:Topic {id: $tid}) SET t.nation = 'GB', t.value_related = $flag",
                  {"tid": tid, "flag": flag})
        store.run("MATCH (t:Topic {id: $tid}) MATCH (a:Article) WHERE a.id IN $ids MERGE (a)-[:IN_TOPIC]->(t)",
                  {"tid": tid, "ids": ids})
    assert _n(store, "MATCH (:Article)-[r:IN_TOPIC]->(:Topic) RETURN count(r) AS n") == 4
    cli("extract", "--nation", "GB")
    arts = _articles(store)
    assert {k for k, v in arts.items() if v["at"]} == {"a00", "a01"}


def test_extract_limit_resume_and_graph(cli, store, tmp_path):
    cli("load", str(_write_corpus(tmp_path, GB)), "--nation", "GB")
    cli("extract", "--nation", "GB", "--all-topics", "--limit", "3")
    arts = _articles(store)
    assert sorted(k for k, v in arts.items() if v["at"]) == ["a00", "a01", "a02"]
    cli("extract", "--nation", "GB", "--all-topics")
    arts = _articles(store)
    assert all(v["at"] and v["attempts"] == 1 for v in arts.values()), arts  # nobody processed twice
    # the graph holds exactly what the rules provider extracts from each article
    rp = RulesProvider()
    expected = sum(len(rp.extract(t, "en").statements) for t in GB)
    assert expected >= 6
    assert _n(store, "MATCH (:Article)-[:STATES]->(s:Statement {status: 'kept', nation: 'GB'}) "
                     "RETURN count(s) AS n") == expected
    said = store.run("MATCH (s:Statement)-[:SAID_BY]->(p) RETURN labels(p)[0] AS l, p.name AS name", write=False)
    names = {(r["l"], r["name"]) for r in said}
    assert ("Person", "David Lammy") in names and ("Person", "Keir Starmer") in names
    assert ("Organization", "Treasury") in names
    locs = {r["name"]: r for r in store.run("MATCH (:Article)-[:MENTIONS]->(l:Location) "
                                            "RETURN l.name AS name, l.lat AS lat, l.lon AS lon", write=False)}
    assert abs(locs["London"]["lat"] - 51.5074) < 1e-6 and "Glasgow" in locs
    assert _n(store, "MATCH (:Article {id: 'gb:a04'})-[:MENTIONS]->(o:Organization {name: 'Home Office'}) "
                     "RETURN count(o) AS n") == 1
    # a third run finds nothing to do and changes nothing
    before = _n(store, "MATCH (s:Statement) RETURN count(s) AS n")
    res = cli("extract", "--nation", "GB", "--all-topics", "--json")
    assert json.loads(res.stdout)[0]["pending"] == 0
    assert _n(store, "MATCH (s:Statement) RETURN count(s) AS n") == before


class Interrupting(RulesProvider):
    """Raises KeyboardInterrupt (like Ctrl-C) at the n-th extract call."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def extract(self, text, lang):
        if self.usage.calls >= self.n:
            raise KeyboardInterrupt
        return super().extract(text, lang)


def test_interrupted_extract_resumes(cli, store, settings, tmp_path):
    cli("load", str(_write_corpus(tmp_path, GB)), "--nation", "GB")
    with pytest.raises(KeyboardInterrupt):
        extract(store, settings, "GB", all_topics=True, provider=Interrupting(5), chunk_size=2, quiet=True)
    arts = _articles(store)
    assert sorted(k for k, v in arts.items() if v["at"]) == ["a00", "a01", "a02", "a03"]  # two whole chunks
    res = cli("extract", "--nation", "GB", "--all-topics", "--json")
    assert json.loads(res.stdout)[0]["pending"] == 3
    arts = _articles(store)
    assert all(v["at"] and v["attempts"] == 1 for v in arts.values())


class Failing(RulesProvider):
    def extract(self, text, lang):
        if "cat" in text:
            raise RuntimeError("upstream said no")
        return super().extract(text, lang)

    def construct(self, statement, lang, context=""):
        t = super().construct(statement, lang, context)
        return t.model_copy(update={"reverse": statement}) if "Parliament" in statement else t


def test_failures_recorded_listed_and_retried(cli, store, settings, tmp_path):
    cli("load", str(_write_corpus(tmp_path, GB)), "--nation", "GB")
    rep = extract(store, settings, "GB", all_topics=True, provider=Failing(), quiet=True)
    assert rep.failed == 1
    arts = _articles(store)
    assert arts["a06"]["at"] is None and "upstream said no" in arts["a06"]["error"]
    crep = construct(store, settings, "GB", provider=Failing(), quiet=True)
    assert crep.failed == 1
    bad = store.run("MATCH (s:Statement) WHERE s.triple_error IS NOT NULL RETURN s.text AS t, "
                    "s.triple_error AS e, s.question AS q", write=False)
    assert len(bad) == 1 and "Parliament" in bad[0]["t"] and "reverse statement equals" in bad[0]["e"]
    assert bad[0]["q"] is None
    st = json.loads(cli("status", "--nation", "GB", "--json").stdout)
    assert st["failures_total"] == 2 and {f["stage"] for f in st["failures"]} == {"extract", "construct"}
    assert st["counts"]["extract_failed"] == 1 and st["counts"]["triple_failed"] == 1
    # the real provider succeeds on the re-run; errors are cleared
    cli("extract", "--nation", "GB", "--all-topics")
    cli("construct", "--nation", "GB")
    st = json.loads(cli("status", "--nation", "GB", "--json").stdout)
    assert st["failures_total"] == 0
    c = st["counts"]
    assert c["triples"] == c["statements"] and c["quoted"] + c["official"] == c["statements"]


def test_construct_triples_kinds_and_preloaded(cli, store, tmp_path):
    pre = {"id": "p1", "text": "Preloaded article.", "statements": [
        {"text": "Britain must keep the NHS public.", "question": "Should the NHS stay public?",
         "reverse": "Britain must privatise the NHS.", "speaker": "Jane Roe", "kind": "quoted"}]}
    cli("load", str(_write_corpus(tmp_path, GB[:5], extra=[pre])), "--nation", "GB")
    cli("extract", "--nation", "GB", "--all-topics")
    assert _articles(store)["p1"]["at"] is None  # carries statements: not re-extracted
    cli("construct", "--nation", "GB", "--limit", "2")
    assert _n(store, "MATCH (s:Statement) WHERE s.question IS NOT NULL AND s.constructed_at IS NOT NULL "
                     "RETURN count(s) AS n") == 2
    cli("construct", "--nation", "GB")
    rows = store.run("MATCH (s:Statement) RETURN s.text AS text, s.question AS q, s.reverse AS rs, s.kind AS kind, "
                     "s.speaker AS speaker, s.preloaded AS pre, s.triple_attempts AS att", write=False)
    by = {r["text"]: r for r in rows}
    p = by["Britain must keep the NHS public."]
    assert p["q"] == "Should the NHS stay public?" and p["rs"] == "Britain must privatise the NHS."
    lam = by["Foreign Secretary David Lammy said Britain must support Ukraine."]
    assert lam["kind"] == "quoted" and lam["speaker"] == "David Lammy"
    assert lam["rs"] == "Foreign Secretary David Lammy said Britain must not support Ukraine."
    assert lam["q"].endswith("?") and "must" not in lam["q"]
    lab = by["Labour supports the new housing law in Manchester."]
    assert lab["kind"] == "official" and lab["rs"] == "Labour opposes the new housing law in Manchester."
    assert all(r["q"] and r["rs"] and r["rs"] != r["text"] and r["kind"] for r in rows)
    assert all(r["att"] == 1 for r in rows if not r["pre"])  # the --limit run's statements were not redone
    out = cli("status", "--nation", "GB").stdout
    assert "no failures" in out


@pytest.mark.parametrize("nation,text,cue", [
    ("CN", "外交部发言人汪文斌在北京表示，中方坚决反对外部势力干涉中国内政。今天天气晴朗。", "支持"),
    ("FR", "« La France doit défendre la laïcité », a déclaré Emmanuel Macron à Paris. Il faisait beau.", "ne doit pas"),
    ("DE", "Die Regierung unterstützt den Plan, sagte Bundeskanzler Olaf Scholz in Berlin. Es regnete.", "lehnt"),
])
def test_pipeline_other_languages(cli, store, tmp_path, nation, text, cue):
    cli("load", str(_write_corpus(tmp_path, [text], name=f"{nation}.jsonl")), "--nation", nation)
    cli("extract", "--nation", nation, "--all-topics")
    cli("construct", "--nation", nation)
    rows = store.run("MATCH (a:Article)-[:STATES]->(s:Statement) RETURN s.text AS t, s.reverse AS rs, "
                     "s.question AS q, s.kind AS kind, s.lang AS lang, s.nation AS nation", write=False)
    assert len(rows) == 1
    r = rows[0]
    assert r["kind"] == "quoted" and cue in r["rs"] and r["nation"] == nation and r["q"][-1] in "?？"
    assert _n(store, "MATCH (:Article)-[:MENTIONS]->(l:Location) WHERE l.lat IS NOT NULL RETURN count(l) AS n") >= 1


def test_openai_extract_via_cli_records_malformed(cli, store, tmp_path, monkeypatch):
    from test_llm_openai import FAKE_KEY, FakeOpenAI

    fake = FakeOpenAI()
    try:
        for k, v in {"NAVAB_LLM__BASE_URL": fake.url, "NAVAB_LLM__MODEL": "fake-model", "NAVAB_LLM__API_KEY": FAKE_KEY,
                     "NAVAB_LLM__MAX_CONCURRENCY": "1", "NAVAB_LLM__TIMEOUT_S": "2"}.items():
            monkeypatch.setenv(k, v)
        cli("load", str(_write_corpus(tmp_path, GB[:2])), "--nation", "GB")
        fake.script = ["malformed"] * 3  # the first article's three attempts
        res = cli("extract", "--nation", "GB", "--all-topics")
        assert "openai:fake-model" in res.stdout and FAKE_KEY not in res.output
        arts = _articles(store)
        assert arts["a00"]["at"] is None and "malformed" in arts["a00"]["error"] and arts["a00"]["attempts"] == 3
        assert arts["a01"]["at"] is not None
        n = len(fake.requests)
        cli("extract", "--nation", "GB", "--all-topics")  # retries only the failed article
        assert len(fake.requests) == n + 1 and _articles(store)["a00"]["error"] is None
        cli("construct", "--nation", "GB")
        k = len(fake.requests)
        store.run("MATCH (s:Statement) REMOVE s.question")  # force construct to ask again: served from cache
        cli("construct", "--nation", "GB")
        assert len(fake.requests) == k
        assert _n(store, "MATCH (s:Statement) WHERE s.question IS NOT NULL RETURN count(s) AS n") >= 1
    finally:
        fake.close()
