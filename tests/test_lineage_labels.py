"""Honest labels: the LLM-backed stage runs record provider, model and prompt version; the manifest, `status`
and an `export` warning say when the offline rules provider made a benchmark (demo quality)."""
from __future__ import annotations

import json
from pathlib import Path

from navab_graph.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_provenance_of_providers():
    from navab_graph.llm import RulesProvider
    from navab_graph.llm.provenance import provenance
    from navab_graph.llm.openai_provider import OpenAIProvider

    rules = provenance(RulesProvider(), "extract")
    assert rules["provider"] == "rules" and rules["demo_quality"] is True and rules["model"] is None
    s = Settings(llm={"base_url": "http://127.0.0.1:9/v1", "model": "qwen2.5-7b-instruct"})
    oa = provenance(OpenAIProvider.from_settings(s), "extract")
    assert oa["provider"] == "openai" and oa["model"] == "qwen2.5-7b-instruct" and oa["demo_quality"] is False
    assert len(oa["prompt_version"]) == 12
    # the prompt version names the prompt files of the stage: another stage's prompts give another version
    assert provenance(OpenAIProvider.from_settings(s), "construct")["prompt_version"] != oa["prompt_version"]


def _topics(cli, ids: list[str]) -> None:
    """Two topics, as the topics stage writes them (IN_TOPIC, topic_id, label, keywords, sample ids)."""
    half = len(ids) // 2
    for k, members in enumerate((ids[:half], ids[half:])):
        cli("cypher", "MERGE (t:Topic {id: $t}) SET t.nation = 'US', t.n = $n, t.label = $l, t.keywords = $kw, "
            "t.sample_ids = $ids, t.size = size($ids), t.lang = 'en' WITH t UNWIND $ids AS aid "
            "MATCH (a:Article {id: aid}) MERGE (a)-[:IN_TOPIC]->(t) SET a.topic_id = t.id",
            "-p", f"t=US:{k}", "-p", f"n={k}", "-p", f"l=topic {k}", "-p", 'kw=["policy", "government"]',
            "-p", f"ids={json.dumps(members)}", "--write")


def test_rules_made_benchmark_says_so_everywhere(tmp_path, cli, store):
    lines = (ROOT / "examples" / "data" / "US.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines]
    keep = [r for r in rows if any(w in r["text"] for w in ("said", "must", "should"))][:16]
    p = tmp_path / "US.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in keep), encoding="utf-8")
    cli("load", str(p), "--nation", "US", "--source", "s")
    _topics(cli, sorted(f"s:{r['id']}" for r in keep))
    ov = tmp_path / "screening.yaml"
    ov.write_text('force_in: ["US:0", "US:1"]\n')
    cli("screen", "--nation", "US", "--overrides", str(ov))
    cli("extract", "--nation", "US")
    cli("construct", "--nation", "US")
    runs = {r["stage"]: r for r in store.run(
        "MATCH (r:StageRun {nation: 'US'}) WHERE r.state = 'done' RETURN r.stage AS stage, r.provider AS provider, "
        "r.model AS model, r.prompt_version AS prompt_version, r.demo_quality AS demo, r.run_id AS run_id")}
    for stage in ("screen", "extract", "construct"):
        assert runs[stage]["provider"] == "rules" and runs[stage]["demo"] is True, runs
    n = store.run("MATCH (s:Statement {nation: 'US'}) RETURN count(s) AS c, count(s.extract_run) AS e, "
                  "count(s.construct_run) AS k")[0]
    assert n["c"] > 0 and n["e"] == n["c"] and n["k"] > 0
    assert store.run("MATCH (s:Statement {nation: 'US'}) RETURN collect(DISTINCT s.extract_run) AS r")[0]["r"] == \
        [runs["extract"]["run_id"]]

    st = cli("status", "--nation", "US")
    assert "demo quality" in st.output and "rules" in st.output, st.output
    st_json = json.loads(cli("status", "--nation", "US", "--json").output)
    assert st_json["stages"]["extract"]["provider"] == "rules" and st_json["demo_quality"] is True

    res = cli("export", "--nation", "US", "--out", str(tmp_path / "snap"))
    assert "demo quality" in res.output, res.output
    m = json.loads((tmp_path / "snap" / "US" / "manifest.json").read_text())
    made = m["made_by"]
    assert made["demo_quality"] is True
    assert set(made["statements"]) == {"rules"} and set(made["triples"]) == {"rules"}
    assert made["stage_runs"]["extract"]["provider"] == "rules"
    # nothing reduced this graph: the snapshot does not claim Conflict Reduction
    assert m["with_conflict_reduction"] is False and m["conflict_reduction"]["state"] == "none"
