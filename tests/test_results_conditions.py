"""import-results and navab-eval's newer items: AJ items whose judge failed (`correct: null`, verdict `invalid`)
and the `condition` (with_cr / without_cr) of the snapshot an item was read from."""
from __future__ import annotations

import json
import re

from navab_eval.summary import summarize
from navab_loaders.records import statement_id

TEXTS = ["The UK must cut emissions.", "The UK must fund the NHS.", "The UK must support Ukraine."]


def _setup(cli, tmp_path) -> list[str]:
    arts = [{"id": f"x{i}", "text": f"Minister said: {t}",
             "statements": [{"text": t, "question": f"Q{i}?", "reverse": t.replace("must", "must not"),
                             "kind": "quoted", "speaker": "Minister"}]} for i, t in enumerate(TEXTS)]
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(a) + "\n" for a in arts))
    cli("load", str(tmp_path / "s.jsonl"), "--nation", "GB")
    cli("link", "--nation", "GB")  # a current Conflict Reduction: with_cr results describe it
    cli("reduce", "--nation", "GB")
    return [statement_id("GB", t, f"s:x{i}") for i, t in enumerate(TEXTS)]


def _item(sid, method, correct, condition="with_cr", model="m1", **kw):
    row = {"id": sid, "nation": "GB", "set": "quoted", "split": "test", "language": "en", "condition": condition,
           "method": method, "model": model, "backend": "hf", "correct": correct}
    if method == "aj":
        verdict = "invalid" if correct is None else ("S" if correct else "RS")
        row.update(judge="gpt-judge", order="S-RS", choice=None if correct is None else ("A" if correct else "B"),
                   verdict=verdict, reason="judge failed: timeout" if correct is None else "closer")
    else:
        row.update(ppl_s=10.0, ppl_rs=20.0 if correct else 5.0, truncated=False)
    return {**row, **kw}


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _import(cli, path, *extra):
    return json.loads(cli("import-results", str(path), "--json", *extra).stdout)


def _edges(store):
    return sorted((r["model"], r["method"], r["cond"], r["id"], r["correct"], r["verdict"]) for r in store.run(
        "MATCH (m:Model)-[e:EVALUATED]->(s:Statement) RETURN m.name AS model, e.method AS method, "
        "e.condition AS cond, s.id AS id, e.correct AS correct, e.verdict AS verdict", write=False))


def _quarantined(settings, f):
    p = settings.data_dir / "quarantine.jsonl"
    rows = [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []
    return {r["where"]: r["reason"] for r in rows if r["file"] == str(f)}


def test_judge_failures_are_skipped_and_counted_never_recorded(cli, store, settings, tmp_path):
    a, b, c = _setup(cli, tmp_path)
    first = _write(tmp_path / "run1" / "items.jsonl", [_item(a, "aj", True), _item(b, "aj", False)])
    _import(cli, first)
    second = [_item(a, "aj", None), _item(b, "aj", None), _item(c, "aj", None), _item(c, "aj", True, model="m2")]
    f = _write(tmp_path / "run2" / "items.jsonl", second)
    rep = _import(cli, f)
    assert (rep["read"], rep["imported"], rep["judge_failed"], rep["malformed"], rep["unknown"]) == (4, 1, 3, 0, 0)
    assert _quarantined(settings, f) == {}  # not bad input: navab-eval asks the judge again on its next run
    # the earlier verdicts stand; a failed judge call is no verdict (none for c from m1)
    assert _edges(store) == sorted([("m1", "aj", "with_cr", a, True, "S"), ("m1", "aj", "with_cr", b, False, "RS"),
                                    ("m2", "aj", "with_cr", c, True, "S")])
    # the graph holds exactly the items navab-eval counts in n
    n = sum(g["n"] for g in summarize(second)["groups"])
    assert n == 1 == rep["imported"]
    with_strict = _import(cli, f, "--strict")
    assert with_strict["judge_failed"] == 3 and with_strict["malformed"] == 0
    lines = cli("import-results", str(f)).output.splitlines()  # the table a person reads names them, too
    head = next(i for i, ln in enumerate(lines) if "judge_failed" in ln)
    cells = lambda ln: [c.strip() for c in re.split("[│┃]", ln)]  # noqa: E731
    value_row = next(ln for ln in lines[head + 1:] if ln.startswith("│"))
    assert cells(value_row)[cells(lines[head]).index("judge_failed")] == "3"


def test_inconsistent_judge_failures_are_malformed(cli, store, settings, tmp_path):
    a, _, _ = _setup(cli, tmp_path)
    rows = [_item(a, "aj", None, verdict="S"),  # no verdict value but a verdict
            _item(a, "aj", True, verdict="invalid"),  # a failed judge cannot make an item correct
            _item(a, "mc", None),  # MC has no judge
            _item(a, "aj", None, condition="with-cr")]
    f = _write(tmp_path / "bad" / "items.jsonl", rows)
    rep = _import(cli, f)
    assert (rep["imported"], rep["judge_failed"], rep["malformed"]) == (0, 0, 4)
    why = _quarantined(settings, f)
    assert "missing 'correct'" in why["line 1"] and "missing 'correct'" in why["line 3"]
    assert "verdict 'invalid'" in why["line 2"]
    assert "'condition' must be one of with_cr, without_cr" in why["line 4"]
    assert _edges(store) == []


def test_conditions_are_stored_and_kept_apart(cli, store, settings, tmp_path):
    a, b, _ = _setup(cli, tmp_path)
    rows = [_item(a, "mc", True, "with_cr"), _item(a, "mc", False, "without_cr"), _item(b, "mc", True, "without_cr"),
            _item(a, "aj", True, "with_cr"), _item(a, "aj", True, "without_cr")]
    f = _write(tmp_path / "both" / "items.jsonl", rows)
    rep = _import(cli, f)
    assert (rep["imported"], rep["duplicates"], rep["malformed"]) == (5, 0, 0)
    want = sorted([("m1", "mc", "with_cr", a, True, None), ("m1", "mc", "without_cr", a, False, None),
                   ("m1", "mc", "without_cr", b, True, None), ("m1", "aj", "with_cr", a, True, "S"),
                   ("m1", "aj", "without_cr", a, True, "S")])
    assert _edges(store) == want
    assert _import(cli, f)["imported"] == 5 and _edges(store) == want  # idempotent
    # per condition, the graph's counts are navab-eval's summary groups
    summary = {(g["method"], g["condition"]): (g["n"], g["correct"]) for g in summarize(rows)["groups"]}
    got = store.run("MATCH (:Model)-[e:EVALUATED]->(:Statement) RETURN e.method AS method, e.condition AS cond, "
                    "count(e) AS n, sum(CASE WHEN e.correct THEN 1 ELSE 0 END) AS correct", write=False)
    assert {(r["method"], r["cond"]): (r["n"], r["correct"]) for r in got} == summary
    # model_summary keeps the conditions apart as well
    ms = json.loads(cli("query", "model_summary", "--json").stdout)
    assert {(r["method"], r["condition"]): (r["evaluated"], r["correct"]) for r in ms} == summary


def test_items_without_condition_and_edges_from_before(cli, store, tmp_path):
    a, _, _ = _setup(cli, tmp_path)
    # an edge written before conditions were imported (no condition property)
    store.run("MATCH (s:Statement {id: $a}) MERGE (m:Model {name: 'm1'}) "
              "MERGE (m)-[:EVALUATED {method: 'mc', correct: false, run: 'old'}]->(s)", {"a": a})
    plain = {k: v for k, v in _item(a, "mc", True).items() if k != "condition"}
    f = _write(tmp_path / "plain" / "items.jsonl", [plain])
    assert _import(cli, f)["imported"] == 1
    assert _edges(store) == [("m1", "mc", "", a, True, None)]  # the old edge updated, not a second one
    g = _write(tmp_path / "labelled" / "items.jsonl", [_item(a, "mc", False)])
    _import(cli, g)
    assert _edges(store) == [("m1", "mc", "", a, True, None), ("m1", "mc", "with_cr", a, False, None)]
