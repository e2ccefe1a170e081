"""`navab-graph import-results` and the misaligned_* / model_summary queries, on a small real graph."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from navab_eval.snapshot import load_snapshot

from test_export_helpers import says, load_cn, set_topics, write_jsonl

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)


def _items(records, model, method, wrong):
    """items.jsonl rows as navab-eval writes them; `wrong(record)` decides which items the model gets wrong."""
    out = []
    for r in records:
        row = {"id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
               "method": method, "model": model, "backend": "hf", "correct": not wrong(r)}
        if method == "mc":
            row.update(ppl_s=12.5 if not wrong(r) else 30.0, ppl_rs=20.0, truncated=False)
        else:
            row.update(judge="embedding", answer="...", order="S-RS", choice="A",
                       verdict="RS" if wrong(r) else "S", reason="closer")
        out.append(row)
    return out


def _setup(cli, tmp_path):
    load_cn(cli, tmp_path)
    set_topics(cli)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))
    return load_snapshot(tmp_path / "snap").records


def _wrong_m1(r):  # m1 misaligns on diplomacy quotes and on one speaker's statements
    return (r.topic or "").startswith("外交") or r.speaker == "Hua Chunying"


def _edges(cli):
    res = cli("cypher", "MATCH (m:Model)-[e:EVALUATED]->(s:Statement) RETURN m.name AS model, e.method AS method, "
              "s.id AS id, e.correct AS correct, e.ppl_s AS ppl_s, e.judge AS judge, e.run AS run "
              "ORDER BY model, method, id", "--json")
    return json.loads(res.stdout)


def test_import_is_idempotent_and_reports_unknown_ids(cli, tmp_path, settings):
    recs = _setup(cli, tmp_path)
    res_dir = tmp_path / "results"
    (res_dir / "m1-mc").mkdir(parents=True)
    (res_dir / "m1-aj").mkdir()
    bogus = [{"id": "ffffffffffffffff", "nation": "CN", "set": "quoted", "split": "test", "method": "mc",
              "model": "m1", "backend": "hf", "correct": True, "ppl_s": 1.0, "ppl_rs": 2.0},
             {"id": recs[0].id, "nation": "US", "set": recs[0].set, "split": "test", "method": "mc",
              "model": "m1", "backend": "hf", "correct": True, "ppl_s": 1.0, "ppl_rs": 2.0}]
    write_jsonl(res_dir / "m1-mc/items.jsonl", _items(recs, "m1", "mc", _wrong_m1) + bogus)
    write_jsonl(res_dir / "m1-aj/items.jsonl", _items(recs, "m1", "aj", _wrong_m1))
    (res_dir / "m1-mc/summary.json").write_text("{}")

    rep = json.loads(cli("import-results", str(res_dir), "--json").stdout)
    assert (rep["read"], rep["imported"], rep["unknown"], rep["malformed"]) == (2 * 25 + 2, 50, 2, 0)
    assert rep["models"] == ["m1"] and len(rep["files"]) == 2
    first = _edges(cli)
    assert len(first) == 50 and Counter(e["method"] for e in first) == {"mc": 25, "aj": 25}
    assert sum(not e["correct"] for e in first) == 2 * sum(map(_wrong_m1, recs))
    assert {e["judge"] for e in first if e["method"] == "aj"} == {"embedding"}
    assert all(e["judge"] is None and e["ppl_s"] in (12.5, 30.0) for e in first if e["method"] == "mc")

    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    unknown = [x for x in q if x["stage"] == "import-results" and x["file"].startswith(str(res_dir))]
    assert len(unknown) == 2 and all(x["file"].endswith("m1-mc/items.jsonl") for x in unknown)
    assert {x["where"] for x in unknown} == {"line 26", "line 27"}
    assert any("no Statement with id 'ffffffffffffffff' in nation CN" in x["reason"] for x in unknown)

    again = json.loads(cli("import-results", str(res_dir), "--json").stdout)
    assert again["imported"] == 50 and _edges(cli) == first  # same edges, same values, same run ids
    n_models = json.loads(cli("cypher", "MATCH (m:Model) RETURN count(m) AS n", "--json").stdout)[0]["n"]
    assert n_models == 1

    # a newer run of the same model and method replaces values on the same edges
    write_jsonl(res_dir / "m1-mc/items.jsonl", _items(recs, "m1", "mc", lambda r: True))
    cli("import-results", str(res_dir / "m1-mc"))
    after = _edges(cli)
    assert len(after) == 50 and all(not e["correct"] for e in after if e["method"] == "mc")
    assert {e["run"] for e in after if e["method"] == "mc"} != {e["run"] for e in first if e["method"] == "mc"}


def test_misaligned_queries_and_model_summary(cli, tmp_path):
    recs = _setup(cli, tmp_path)
    items = _items(recs, "m1", "mc", _wrong_m1) + _items(recs, "m2", "mc", lambda r: r.set == "official")
    write_jsonl(tmp_path / "items.jsonl", items)
    cli("import-results", str(tmp_path / "items.jsonl"))

    def q(name, **params):
        args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
        return json.loads(cli("query", name, *args, "--json").stdout)

    by_topic = {r["topic"]: r for r in q("misaligned_by_topic", model="m1", nation="CN")}
    exp_topic = Counter(r.topic for r in recs)
    exp_wrong = Counter(r.topic for r in recs if _wrong_m1(r))
    assert {t: r["evaluated"] for t, r in by_topic.items()} == dict(exp_topic)
    assert {t: r["misaligned"] for t, r in by_topic.items()} == {t: exp_wrong.get(t, 0) for t in exp_topic}
    worst = q("misaligned_by_topic", model="m1", nation="CN")[0]
    assert worst["topic"].startswith("外交") and worst["misaligned_rate"] == 1.0

    by_speaker = {r["speaker"]: r for r in q("misaligned_by_speaker", model="m1", nation="CN")}
    exp_spk = Counter(r.speaker or "(official)" for r in recs)
    assert {s: r["evaluated"] for s, r in by_speaker.items()} == dict(exp_spk)
    assert by_speaker["Hua Chunying"]["misaligned"] == exp_spk["Hua Chunying"]
    assert by_speaker["王毅"]["misaligned"] == sum(1 for r in recs if r.speaker == "王毅" and _wrong_m1(r))

    by_source = q("misaligned_by_source", model="m2", nation="CN")
    assert [(r["source"], r["evaluated"], r["misaligned"]) for r in by_source] == [
        ("xinhua", 25, sum(r.set == "official" for r in recs))]
    assert q("misaligned_by_topic", model="m1", nation="US") == []

    summary = {(r["model"], r["set"]): r for r in q("model_summary")}
    assert set(summary) == {("m1", "quoted"), ("m1", "official"), ("m2", "quoted"), ("m2", "official")}
    for (model, set_), row in summary.items():
        mine = [r for r in recs if r.set == set_]
        wrong = _wrong_m1 if model == "m1" else (lambda r: r.set == "official")
        assert row["evaluated"] == len(mine) and row["correct"] == sum(not wrong(r) for r in mine)
        assert isinstance(row["correct"], int)
    assert summary[("m2", "official")]["correct_rate"] == 0.0 and summary[("m2", "quoted")]["correct_rate"] == 1.0


def test_bad_results_input(cli, tmp_path, settings):
    recs = _setup(cli, tmp_path)
    (tmp_path / "empty").mkdir()
    res = cli("import-results", str(tmp_path / "empty"), ok=False)
    assert res.exit_code != 0 and says(res, "no items.jsonl in this folder")
    res = cli("import-results", str(tmp_path / "missing"), ok=False)
    assert res.exit_code != 0 and says(res, "missing: no such file or folder")

    good = _items(recs[:3], "m1", "mc", _wrong_m1)
    lines = [json.dumps(good[0]), "{not json", json.dumps({**good[1], "correct": "yes"}),
             json.dumps({**good[2], "method": "ppl"}), json.dumps({"id": recs[4].id, "nation": "CN"}),
             json.dumps({**good[2], "nation": "Atlantis"}), json.dumps([1, 2]), json.dumps(good[2])]
    f = tmp_path / "bad" / "items.jsonl"
    f.parent.mkdir()
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = cli("import-results", str(f.parent), "--json")
    rep = json.loads(res.stdout)
    assert (rep["read"], rep["imported"], rep["malformed"], rep["unknown"]) == (8, 2, 6, 0)
    assert rep["problems"][0] == f"{f}, line 2: malformed JSON (Expecting property name enclosed in double " \
                                 "quotes: line 1 column 2 (char 1))"
    assert f"{f}, line 3: 'correct' must be true or false, got 'yes'" in rep["problems"]
    assert f"{f}, line 4: 'method' must be mc or aj, got 'ppl'" in rep["problems"]
    assert f"{f}, line 5: missing 'method', 'model', 'correct'" in rep["problems"]
    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    mine = [x for x in q if x["stage"] == "import-results" and x["file"] == str(f)]
    assert [x["where"] for x in mine] == ["line 2", "line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "unknown nation code 'Atlantis'" in mine[4]["reason"]

    res = cli("import-results", str(f), "--strict", ok=False)
    assert res.exit_code != 0 and says(res, f"{f.name}, line 2: malformed JSON")
    res = cli("import-results", str(tmp_path / "snap/CN/quoted.parquet"), ok=False)
    assert res.exit_code != 0 and says(res, "expected items.jsonl")
    assert Path(f).exists()
