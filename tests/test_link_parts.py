"""Link stage parts: geo links by engine distance, missing reverses from the LLM layer, the uncertain band and
the LLM verifier, side decision from all pairs."""
from __future__ import annotations

import json

import numpy as np

from navab_graph.link.stance import decide_sides


def _load(cli, tmp_path, nation, rows):
    f = tmp_path / f"{nation}.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    cli("load", str(f), "--nation", nation)


def test_geo_links_use_engine_distance(cli, store, tmp_path):
    _load(cli, tmp_path, "FR", [{"id": f"g{i}", "title": t, "text": t} for i, t in enumerate(
        ["Marché de Noël à Paris", "Le château de Versailles rouvre", "Festival des lumières à Lyon"])])
    # loader article ids are "<source>:<id>" (source = the file's stem)
    store.run("UNWIND $rows AS r MATCH (a:Article {id: r.a}) MERGE (l:Location {name: r.name}) "
              "SET l.lat = r.lat, l.lon = r.lon MERGE (a)-[:MENTIONS]->(l)",
              {"rows": [{"a": "FR:g0", "name": "Paris", "lat": 48.8566, "lon": 2.3522},
                        {"a": "FR:g1", "name": "Versailles", "lat": 48.8049, "lon": 2.1204},
                        {"a": "FR:g2", "name": "Lyon", "lat": 45.764, "lon": 4.8357}]})
    cli("link", "--nation", "FR")
    geo = {(r["a"], r["b"]) for r in store.run(
        "MATCH (a:Article)-[l:LINKED {kind: 'geo'}]->(b:Article) RETURN a.id AS a, b.id AS b")}
    assert geo == {("FR:g0", "FR:g1"), ("FR:g1", "FR:g0")}  # Paris-Versailles ~18 km; Lyon ~390 km away


def test_missing_reverse_constructed_and_uncertain_pairs_verified(cli, store, tmp_path, monkeypatch):
    texts = ["The government must expand subsidies for renewable energy.",
             "Officials said the government must expand subsidies for renewable energy.",
             "The government must not expand subsidies for renewable energy."]
    _load(cli, tmp_path, "US", [{"id": f"u{i}", "text": t, "statements": [{"text": t}]} for i, t in enumerate(texts)])
    # a margin above any score: every same-issue pair is uncertain
    monkeypatch.setenv("NAVAB_LINK__MARGIN", "2.0")
    out = json.loads(cli("link", "--nation", "US", "--json").output)[0]
    assert out["reverse_constructed"] == 3 and out["skipped_no_reverse"] == 0
    assert out["uncertain"] == out["same_issue_pairs"] > 0
    assert out["llm_verified"] == 0 and out["uncertain_unverified"] == out["uncertain"]  # offline: counted only
    assert store.run("MATCH ()-[r:AGREES|CONFLICTS]->() RETURN count(r) AS c")[0]["c"] == 0
    rev = store.run("MATCH (s:Statement) RETURN s.reverse AS r, s.reverse_by AS by")
    assert all(r["r"] and r["by"] == "rules" for r in rev)
    out = json.loads(cli("link", "--nation", "US", "--verify", "--json").output)[0]
    assert out["llm_verified"] == out["uncertain"] > 0
    by = {r["by"] for r in store.run("MATCH ()-[r:AGREES|CONFLICTS]->() RETURN r.verified_by AS by")}
    assert by == {"rules"}


def test_sides_from_all_pairs_outvote_a_noisy_edge():
    # 0,1,2 agree with each other, 3 conflicts with all; one noisy edge says 0 and 1 conflict
    i = np.array([0, 0, 1, 0, 1, 2])
    j = np.array([1, 2, 2, 3, 3, 3])
    agreement = np.array([-0.2, 0.9, 0.9, -0.9, -0.9, -0.9])
    s = decide_sides(4, i, j, agreement, ["a", "b", "c", "d"])
    assert list(s.side) == [1, 1, 1, -1] and len(set(s.issue)) == 1
