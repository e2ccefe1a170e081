"""The report's alignment table from navab-eval summaries that carry conditions, n and Wilson intervals: the
with-CR and without-CR cells of one model stay apart, and each cell shows its interval and n."""
from __future__ import annotations

import json
import random
import re

from navab_eval.stats import fmt
from navab_eval.summary import summarize

from navab_graph.report.results_data import find_results
from navab_graph.report.tables import alignment_grid


def _items(model: str, condition: str | None, rate: float, n: int, seed: str) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for nation in ("FR", "CN"):
        for method in ("mc", "aj"):
            for k in range(n):
                it = {"id": f"{nation}-{k}", "nation": nation, "set": "quoted", "split": "test", "method": method,
                      "model": model, "backend": "hf", "correct": rng.random() < rate, "condition": condition}
                if method == "aj" and k == 0:  # one judge failure per group: left out of n
                    it.update(correct=None, verdict="invalid")
                out.append(it)
    return out


def _write(tmp_path, name, items):
    d = tmp_path / "results" / name
    d.mkdir(parents=True)
    summary = summarize(items)
    (d / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


def test_both_conditions_of_one_model_are_two_rows_with_intervals(cli, tmp_path):
    # navab-eval on the snapshots root: one summary holding both conditions, as `navab-eval mc --data snapshots/`
    both = _write(tmp_path, "m1", _items("m1", "with_cr", 0.8, 30, "a") + _items("m1", "without_cr", 0.3, 50, "b"))
    plain = _write(tmp_path, "m2", _items("m2", None, 0.6, 20, "c"))  # a NaVAB release file: no condition
    groups = {(g["model"], g["condition"], g["nation"], g["method"]): g for s in (both, plain) for g in s["groups"]}
    assert len(groups) == 12

    res = find_results([tmp_path / "results"])
    assert res.warnings == [] and len(res.alignment) == 12  # nothing collapsed: before, with_cr lost to without_cr
    for r in res.alignment.to_dict(orient="records"):
        cond = r["condition"] if isinstance(r["condition"], str) else None
        g = groups[(r["model"], cond, r["nation"], r["method"])]
        assert (r["correct_rate"], r["n"], r["ci_low"], r["ci_high"]) == (g["correct_rate"], g["n"], g["ci_low"],
                                                                          g["ci_high"])
    grid, wide = alignment_grid(res.alignment)
    rows = {r["label"]: r["cells"] for b in grid["blocks"] for r in b["rows"]}
    assert set(rows) == {"m1 (with CR)", "m1 (without CR)", "m2"}
    cols = [(n["code"], m) for n in grid["nations"] for m in n["methods"]]
    for label, cond, model in (("m1 (with CR)", "with_cr", "m1"), ("m1 (without CR)", "without_cr", "m1"),
                               ("m2", None, "m2")):
        for (nation, method), cell in zip(cols, rows[label]):
            g = groups[(model, cond, nation, method.lower())]
            # navab-eval's own rendering: "0.700 [0.40, 0.89] n=10"
            assert cell["text"] == fmt(g["correct_rate"], g["ci_low"], g["ci_high"], g["n"])
            size = {"with_cr": 30, "without_cr": 50, None: 20}[cond]
            assert f"n={g['n']}" in cell["text"] and g["n"] == size - (method == "AJ")  # one judge failure
    assert list(wide.index.get_level_values("model")) == ["m1 (with CR)", "m1 (without CR)", "m2"]

    out = tmp_path / "report"
    cli("report", "--out", str(out), "--results", str(tmp_path / "results"))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    got = {(a["model"], a["condition"], a["nation"], a["method"]): (a["correct_rate"], a["n"], a["ci_low"])
           for a in rep["alignment"]}
    assert got == {k: (g["correct_rate"], g["n"], g["ci_low"]) for k, g in groups.items()}
    html = (out / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="alignment".*?</section>', html, re.S).group(0)
    for g in groups.values():
        assert fmt(g["correct_rate"], g["ci_low"], g["ci_high"], g["n"]) in section
    assert "m1 (with CR)" in section and "m1 (without CR)" in section


def test_a_later_summary_replaces_only_its_own_condition(tmp_path):
    _write(tmp_path, "a_first", _items("m1", "with_cr", 0.8, 30, "a") + _items("m1", "without_cr", 0.3, 30, "b"))
    later = _write(tmp_path, "b_rerun", _items("m1", "without_cr", 0.5, 40, "d"))
    res = find_results([tmp_path / "results"])
    df = res.alignment
    assert len(df) == 8 and set(df["condition"]) == {"with_cr", "without_cr"}
    rerun = {(g["nation"], g["method"]): g["n"] for g in later["groups"]}
    for r in df[df["condition"] == "without_cr"].to_dict(orient="records"):
        assert r["n"] == rerun[(r["nation"], r["method"])]  # the re-run's cells, not the first file's
    assert set(df[df["condition"] == "with_cr"]["n"]) == {30, 29}


def test_unknown_condition_in_a_summary_is_a_named_warning(tmp_path):
    d = tmp_path / "results" / "x"
    d.mkdir(parents=True)
    (d / "summary.json").write_text(json.dumps({"groups": [
        {"model": "m", "method": "mc", "nation": "FR", "set": "quoted", "n": 10, "correct_rate": 0.7,
         "condition": "sometimes"},
        {"model": "m", "method": "mc", "nation": "FR", "set": "quoted", "n": 10, "correct_rate": 0.6,
         "condition": "with_cr", "ci_low": 0.31, "ci_high": 0.83}]}), encoding="utf-8")
    res = find_results([tmp_path / "results"])
    assert any("groups[0]: skipped, unknown condition 'sometimes'" in w for w in res.warnings)
    assert res.alignment[["condition", "correct_rate", "ci_low", "ci_high"]].values.tolist() == [
        ["with_cr", 0.6, 0.31, 0.83]]
