"""The bundled synthetic sample corpus (examples/): reproducible, consistent with its ground truth, loadable, and
its planted statements are found by the offline rule-based LLM provider."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from _report_graph import DATA, ROOT, truth

NATIONS = {"CN": "zh", "US": "en", "GB": "en", "FR": "fr", "DE": "de"}


def _articles(nation: str) -> dict[str, dict]:
    rows = [json.loads(line) for line in (DATA / f"{nation}.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in rows}


def test_committed_files_equal_a_regeneration_and_seed_matters(tmp_path):
    gen = ROOT / "examples" / "generate.py"
    res = subprocess.run([sys.executable, str(gen), "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    subprocess.run([sys.executable, str(gen), "--out", str(tmp_path), "--nations", "FR", "--seed", "8"], check=True,
                   capture_output=True)
    assert (tmp_path / "FR.jsonl").read_text(encoding="utf-8") != (DATA / "FR.jsonl").read_text(encoding="utf-8")
    bad = subprocess.run([sys.executable, str(gen), "--out", str(tmp_path), "--nations", "JP"], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "JP" in bad.stderr
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 2_000_000


@pytest.mark.parametrize("nation", sorted(NATIONS))
def test_truth_matches_the_articles(nation):
    t, arts = truth(nation), _articles(nation)
    assert t["lang"] == NATIONS[nation] and t["synthetic"] is True
    assert 150 <= len(arts) == t["articles"] <= 250
    assert set(t["article_topics"]) == set(arts)
    assert len(t["topics"]) == 8 and sum(x["value_related"] for x in t["topics"]) == 5
    for r in arts.values():
        assert set(r) == {"id", "title", "text", "published", "url", "source"} and r["text"].strip()
    for s in t["statements"]:
        assert s["text"] in arts[s["article"]]["text"]
    linked = [i for i in t["issues"] if i["planted"] == "linked_minority"]
    looks = [i for i in t["issues"] if i["planted"] == "lookalike"]
    assert len(linked) == 3 and len(looks) == 2
    for issue in linked:
        assert len(issue["minority"]) == 2 and issue["majority_statements"] >= 5 * len(issue["minority"])
        for m in issue["minority"]:
            host, mine = arts[m["context_of"]], arts[m["article"]]
            assert host["source"] == mine["source"] == m["source"]
            for shared in (m["speaker"], m["city"]):  # same speaker and city in both texts: a linked context
                assert shared in host["text"] and shared in mine["text"]
    for issue in looks:
        (lk,) = issue["lookalikes"]
        others = [a["text"] for aid, a in arts.items() if aid != lk["article"]]
        # an unrelated context: its city and speaker appear in no other article, its source only in lookalikes
        assert not any(lk["city"] in x or lk["speaker"] in x for x in others)
        look_articles = {i["lookalikes"][0]["article"] for i in looks}
        assert {aid for aid, a in arts.items() if a["source"] == lk["source"]} == look_articles
        assert [s for s in t["statements"] if s["article"] == lk["article"]] == [
            {"article": lk["article"], "issue": issue["id"], "stance": "lookalike", "kind": "quoted",
             "speaker": lk["speaker"], "text": lk["text"]}]


def test_every_nation_loads_without_quarantine(cli):
    for nation in NATIONS:
        res = cli("load", str(DATA / f"{nation}.jsonl"), "--nation", nation)
        nums = [int(x) for x in re.findall(r"│\s*(\d+)\s*", res.output)]
        # read, loaded, updated, quarantined ...
        assert nums[:4] == [truth(nation)["articles"], truth(nation)["articles"], 0, 0], res.output


@pytest.mark.parametrize("nation", sorted(NATIONS))
def test_rule_provider_finds_the_planted_statements(nation):
    from navab_graph.llm import RulesProvider

    lang, t, arts = NATIONS[nation], truth(nation), _articles(nation)
    rules = RulesProvider()
    found = kind_ok = 0
    for s in t["statements"]:
        got = [e.text.rstrip(".。") for e in rules.extract(arts[s["article"]]["text"], lang).statements]
        found += any(g in s["text"] or s["text"].rstrip(".。") in g for g in got)
        kind_ok += rules.judge_source(s["text"], arts[s["article"]]["text"], lang).kind == s["kind"]
    assert found == len(t["statements"])
    assert kind_ok >= 0.95 * len(t["statements"])
    non_value = [a for a, k in t["article_topics"].items() if k in ("weather", "sports", "entertainment")]
    assert sum(len(rules.extract(arts[a]["text"], lang).statements) for a in non_value) == 0
