"""import-results and model_summary never pass a result off for statements, sets or a Conflict Reduction it was
not evaluated on: stale items are quarantined at import, edges that went stale later are counted apart, runs are
never added together, an interrupted import is marked, and a row whose `correct` contradicts its own verdict or
scores is malformed."""
from __future__ import annotations

import json

import pytest
from navab_loaders.records import statement_id

import navab_graph.stages.results as results_mod

TEXTS = ["The UK must cut emissions.", "The UK must fund the NHS.", "The UK must support Ukraine."]


def _news(tmp_path, reverse_of=lambda t: t.replace("must", "must not"), version=""):
    arts = [{"id": f"x{i}", "text": f"Minister said: {t}",
             "statements": [{"text": t, "question": f"Q{i}?", "reverse": reverse_of(t), "kind": "quoted",
                             "speaker": "Minister"}]} for i, t in enumerate(TEXTS)]
    f = tmp_path / version / "s.jsonl"  # the same file name: the same source, so the same articles
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text("".join(json.dumps(a) + "\n" for a in arts))
    return f


def _setup(cli, tmp_path, reduce=True) -> list[str]:
    cli("load", str(_news(tmp_path)), "--nation", "GB")
    if reduce:
        cli("link", "--nation", "GB")
        cli("reduce", "--nation", "GB")
    return [statement_id("GB", t, f"s:x{i}") for i, t in enumerate(TEXTS)]


def _item(sid, i, correct=True, condition="without_cr", model="m1", method="mc", texts=True, **kw):
    row = {"id": sid, "nation": "GB", "set": "quoted", "split": "test", "language": "en", "condition": condition,
           "method": method, "model": model, "backend": "hf", "correct": correct}
    if method == "mc":
        row.update(score_s=1.0, score_rs=2.0 if correct else 0.5, ppl_s=10.0, ppl_rs=20.0)
    else:
        row.update(judge="j", order="S-RS", choice="A" if correct else "B", verdict="S" if correct else "RS")
    if texts:
        t = TEXTS[i]
        row.update(question=f"Q{i}?", statement=t, reverse_statement=t.replace("must", "must not"))
    return {**row, **kw}


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _import(cli, path):
    return json.loads(cli("import-results", str(path), "--json").stdout)


def _quarantined(settings, f):
    p = settings.data_dir / "quarantine.jsonl"
    rows = [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []
    return {r["where"]: r["reason"] for r in rows if r["file"] == str(f)}


def _summary(cli):
    return json.loads(cli("query", "model_summary", "--json").stdout)


def test_items_evaluated_on_other_texts_are_stale_not_imported(cli, settings, tmp_path):
    ids = _setup(cli, tmp_path, reduce=False)
    # the graph's reverse of statement 0 changes after the snapshot the items were scored on
    cli("load", str(_news(tmp_path, lambda t: t.replace("must", "should never"), "v2")), "--nation", "GB")
    rows = [_item(ids[0], 0), _item(ids[1], 1, texts=False)]
    f = _write(tmp_path / "r" / "items.jsonl", rows)
    rep = _import(cli, f)
    assert (rep["imported"], rep["stale"], rep["unverified"]) == (1, 1, 1)
    why = _quarantined(settings, f)
    assert "reverse_statement" in why["line 1"] and why["line 1"].startswith("stale:")
    got = _summary(cli)
    assert [(r["evaluated"], r["stale"]) for r in got] == [(1, 0)]


def test_a_statement_reloaded_after_import_counts_as_stale(cli, tmp_path):
    ids = _setup(cli, tmp_path, reduce=False)
    f = _write(tmp_path / "r" / "items.jsonl", [_item(s, i) for i, s in enumerate(ids)])
    assert _import(cli, f)["imported"] == 3
    assert [(r["evaluated"], r["correct"], r["stale"]) for r in _summary(cli)] == [(3, 3, 0)]
    cli("load", str(_news(tmp_path, lambda t: t.replace("must", "should never"), "v2")), "--nation", "GB")
    assert [(r["evaluated"], r["correct"], r["stale"]) for r in _summary(cli)] == [(0, 0, 3)]
    # re-loading the same file again does not make them fresh, nor staler
    cli("load", str(tmp_path / "v2" / "s.jsonl"), "--nation", "GB")
    assert [(r["evaluated"], r["stale"]) for r in _summary(cli)] == [(0, 3)]


def test_with_cr_results_follow_the_conflict_reduction(cli, settings, tmp_path):
    ids = _setup(cli, tmp_path)
    f = _write(tmp_path / "r" / "items.jsonl", [_item(s, i, condition="with_cr") for i, s in enumerate(ids)])
    assert _import(cli, f)["imported"] == 3
    runs = json.loads(cli("cypher", "MATCH (:Model)-[e:EVALUATED]->() RETURN DISTINCT e.cr_run AS r",
                          "--json").stdout)
    assert len(runs) == 1 and runs[0]["r"]  # the current reduction run, recorded on the edge
    assert [(r["condition"], r["evaluated"], r["stale"]) for r in _summary(cli)] == [("with_cr", 3, 0)]
    # a snapshot of another reduction run is not this one's result
    other = _write(tmp_path / "o" / "items.jsonl", [_item(ids[0], 0, condition="with_cr", model="m2",
                                                           cr_run="GB-reduce-elsewhere")])
    assert _import(cli, other)["stale"] == 1
    assert "reduction run GB-reduce-elsewhere" in _quarantined(settings, other)["line 1"]
    cli("reduce", "--nation", "GB", "--undo")
    # no Conflict Reduction any more: with-CR results describe nothing in the graph
    assert [(r["condition"], r["evaluated"], r["stale"]) for r in _summary(cli)] == [("with_cr", 0, 3)]
    again = _import(cli, f)
    assert (again["imported"], again["stale"]) == (0, 3)
    assert "Conflict Reduction is undone" in _quarantined(settings, f)["line 1"]


def test_a_statement_removed_by_the_reduction_is_stale_for_with_cr_only(cli, settings, tmp_path):
    ids = _setup(cli, tmp_path)
    f = _write(tmp_path / "r" / "items.jsonl",
               [_item(ids[0], 0, condition="with_cr"), _item(ids[0], 0, condition="without_cr")])
    assert _import(cli, f)["imported"] == 2
    cli("cypher", "MATCH (s:Statement {id: $id}) SET s.status = 'removed'", "-p", f"id={ids[0]}", "--write")
    got = {r["condition"]: (r["evaluated"], r["stale"]) for r in _summary(cli)}
    assert got == {"with_cr": (0, 1), "without_cr": (1, 0)}


def test_runs_are_reported_apart_never_mixed(cli, tmp_path):
    ids = _setup(cli, tmp_path, reduce=False)
    a = _write(tmp_path / "a" / "items.jsonl", [_item(s, i, correct=False) for i, s in enumerate(ids)])
    b = _write(tmp_path / "b" / "items.jsonl", [_item(ids[0], 0, correct=True)])  # a later run on a subset
    _import(cli, a)
    _import(cli, b)
    got = sorted((r["evaluated"], r["correct"]) for r in _summary(cli))
    assert got == [(1, 1), (2, 0)]  # b's one statement, a's two left; never 1 of 3 as one cell
    assert len({r["run"] for r in _summary(cli)}) == 2


def test_correct_must_follow_from_the_items_own_verdict_and_set(cli, settings, tmp_path):
    ids = _setup(cli, tmp_path, reduce=False)
    rows = [_item(ids[0], 0, method="aj", verdict="RS"),            # RS but correct true
            _item(ids[1], 1, correct=False, score_s=1.0, score_rs=2.0),  # S more likely, yet wrong
            _item(ids[2], 2, set="official"),                       # a quoted statement
            _item(ids[2], 2, method="aj", verdict="S-ish")]
    f = _write(tmp_path / "h" / "items.jsonl", rows)
    rep = _import(cli, f)
    assert (rep["imported"], rep["malformed"], rep["stale"]) == (0, 3, 1)
    why = _quarantined(settings, f)
    assert "verdict is 'RS'" in why["line 1"] and "score_s 1.0 < score_rs 2.0" in why["line 2"]
    assert "set 'official'" in why["line 3"] and "'verdict' must be one of" in why["line 4"]
    assert _summary(cli) == []


def test_an_interrupted_import_is_marked_incomplete(cli, settings, tmp_path, monkeypatch):
    ids = _setup(cli, tmp_path, reduce=False)
    f = _write(tmp_path / "r" / "items.jsonl", [_item(s, i) for i, s in enumerate(ids)])
    real = results_mod.run_batches

    def dies_after_one_batch(store, name, rows, batch_size, on_batch=None):
        real(store, name, rows[:1], batch_size=1)
        raise KeyboardInterrupt  # the process is gone after its first batch (kill -9 leaves the same graph)

    monkeypatch.setattr(results_mod, "run_batches", dies_after_one_batch)
    res = cli("import-results", str(f), ok=False)
    assert res.exit_code == 130 and "interrupted" in res.output
    monkeypatch.undo()
    got = _summary(cli)
    assert [(r["evaluated"], r["complete"]) for r in got] == [(1, False)]
    _import(cli, f)
    assert [(r["evaluated"], r["complete"]) for r in _summary(cli)] == [(3, True)]



def test_items_from_an_exported_snapshot_are_verified_against_the_graph(cli, tmp_path):
    """The texts navab-eval copies from an export's records are the graph's: nothing stale, nothing unverified
    (zh text with the export's stripping), and the with_cr items name the snapshot's reduction run."""
    from navab_eval.cache import relabel
    from navab_eval.snapshot import load_snapshot

    from test_export_helpers import load_cn, set_topics

    load_cn(cli, tmp_path)
    set_topics(cli)
    cli("link", "--nation", "CN")
    cli("reduce", "--nation", "CN")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap" / "with_cr"))
    recs = load_snapshot(tmp_path / "snap").records
    assert recs and all(r.cr_run and r.condition == "with_cr" for r in recs)
    items = [relabel({"method": "mc", "model": "m1", "backend": "hf", "correct": True, "score_s": 1.0,
                      "score_rs": 2.0}, r) for r in recs]
    rep = _import(cli, _write(tmp_path / "r" / "items.jsonl", items))
    assert (rep["imported"], rep["stale"], rep["unverified"]) == (len(recs), 0, 0)
    assert [(r["condition"], r["evaluated"], r["stale"]) for r in _summary(cli) if r["evaluated"]] == \
        [("with_cr", sum(1 for r in recs if r.set == s), 0) for s in sorted({r.set for r in recs})]
