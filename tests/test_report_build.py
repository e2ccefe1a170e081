"""`navab-graph report` on a graph built from the sample corpus: numbers, sections, files, bad input."""
from __future__ import annotations

import json
import re

from _report_graph import DATA, build_everything, truth

PNG = b"\x89PNG\r\n\x1a\n"


def _report(cli, out, *extra):
    return cli("report", "--out", str(out), *extra)


def test_report_every_section_from_graph_and_results(cli, store, tmp_path):
    facts = build_everything(cli, store, tmp_path)
    out = tmp_path / "report"
    _report(cli, out, "--results", str(tmp_path / "results"), "--results", str(tmp_path / "ablation"))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {k: rep["sections"][k] for k in ("counts", "topics", "reduction", "alignment", "dpo")} == {
        k: "ok" for k in ("counts", "topics", "reduction", "alignment", "dpo")}
    assert rep["nations"] == ["CN", "FR"]  # the paper's order, not alphabetical
    assert rep["warnings"] == []  # incl. the topics stage's plot_topic_map, when installed, ran on this graph
    for row in rep["counts"]:
        g, t = facts["graph"][row["nation"]], truth(row["nation"])
        assert row["articles"] == g["articles"] == t["articles"]
        assert (row["topics"], row["value_topics"]) == (8, 5)
        assert row["statements"] == g["statements"] == len(t["statements"])
        assert row["quoted"] == g["quoted"] and row["official"] == g["statements"] - g["quoted"]
        assert row["removed"] == g["removed"] == sum(len(i["minority"]) for i in t["issues"]) > 0
        assert row["triples"] == g["statements"] - g["removed"]
    # only the latest live reduction run, in round order
    for n in ("CN", "FR"):
        got = [{k: r[k] for k in ("round", "open_conflicts", "cyclic", "removed", "remaining")}
               for r in rep["rounds"][n]]
        assert got == facts["graph"][n]["rounds"]
    html = (out / "index.html").read_text(encoding="utf-8")
    # Table 2 cells are the summaries' correct rates; Table 3 and the DPO deltas come from the ablation
    for (model, nation, set_, method), rate in facts["eval"].items():
        cell = next(a for a in rep["alignment"] if (a["model"], a["nation"], a["set"], a["method"]) ==
                    (model, nation, set_, method))
        assert abs(cell["correct_rate"] - rate) < 1e-12
        assert f"{rate:.3f}" in html
    before = facts["ablation"][("NaVAB with CR", "FR", "quoted", "MC")]
    after = facts["ablation"][("NaVAB with CR + DPO", "FR", "quoted", "MC")]
    assert f"{after - before:+.3f}" in html
    assert {a["model"] for a in rep["ablation"]} == {"smollm2-135m"}  # the model named in ablation.md
    assert {a["condition"] for a in rep["ablation"]} == {"without_cr", "with_cr", "with_cr_dpo"}
    # self-contained: images inline, no external resources; scripts only inline (the interactive topic maps)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html) and not re.search(r"<script[^>]*\bsrc=", html)
    # this graph has no stance edges and no human labels: only those two sections say so
    assert "No data" not in re.sub(r'<section id="(graphs|verification)".*?</section>', "", html, flags=re.S)
    imgs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(imgs) == 1 + 2 + 1 + 1 + 1  # counts, two topic maps, reduction, alignment, DPO
    for name in ("counts", "topic_map_CN", "topic_map_FR", "reduction", "alignment", "dpo"):
        assert (out / f"{name}.png").read_bytes().startswith(PNG), name
    text = re.sub(r"<script.*?</script>", "", re.sub(r"base64,[^\"]+", "", html), flags=re.S)
    assert "997" not in text  # the older run's numbers are not shown


def test_report_on_empty_graph_says_each_section_is_absent(cli, tmp_path):
    out = tmp_path / "r"
    _report(cli, out)
    html = (out / "index.html").read_text(encoding="utf-8")
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(rep["sections"].values()) == {"absent"}
    for sid in ("counts", "topics", "reduction", "alignment", "dpo"):
        sec = re.search(rf'<section id="{sid}" data-status="absent">(.*?)</section>', html, re.S)
        assert sec and "No data:" in sec.group(1) and "<img" not in sec.group(1), sid


def test_report_nation_filter_and_partial_graph(cli, tmp_path):
    for n in ("DE", "US"):
        cli("load", str(_slice(n, tmp_path, 30)), "--nation", n)
    out = tmp_path / "r"
    _report(cli, out, "--nation", "de")
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["nations"] == ["DE"] and rep["counts"][0]["articles"] == 30
    assert rep["sections"]["counts"] == "ok" and rep["sections"]["topics"] == "absent"
    res = cli("report", "--out", str(out), "--nation", "XX", ok=False)
    assert res.exit_code != 0 and "XX" in res.output


def _slice(nation, tmp, n):
    lines = (DATA / f"{nation}.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    p = tmp / f"{nation}.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_report_bad_result_files_are_named_and_skipped(cli, tmp_path):
    res = cli("report", "--out", str(tmp_path / "r"), "--results", str(tmp_path / "nope"), ok=False)
    assert res.exit_code != 0 and "nope" in res.output and "no such file" in res.output
    bad = tmp_path / "res"
    (bad / "a").mkdir(parents=True)
    (bad / "a" / "summary.json").write_text("{not json", encoding="utf-8")
    (bad / "b").mkdir()
    (bad / "b" / "summary.json").write_text(json.dumps({"groups": [
        {"model": "m", "method": "mc", "nation": "FR", "set": "quoted", "n": 10, "correct_rate": 0.7},
        {"model": "m", "method": "mc", "nation": "FR", "set": "quoted", "n": 10, "correct_rate": 7},
        {"model": "m", "method": "xx", "nation": "FR", "set": "quoted", "n": 10, "correct_rate": 0.5}]}),
        encoding="utf-8")
    (bad / "c").mkdir()
    (bad / "c" / "ablation.json").write_text(json.dumps({"model": "m", "rows": [
        {"nation": "FR", "set": "quoted", "method": "MC", "condition": "with_cr", "correct_rate": 0.5},
        {"nation": "FR", "set": "quoted", "method": "MC", "condition": "with CR + DPO", "correct_rate": 0.6},
        {"nation": "FR", "set": "quoted", "method": "MC", "condition": "sometimes", "correct_rate": 0.6}]}),
        encoding="utf-8")
    out = tmp_path / "r"
    res = _report(cli, out, "--results", str(bad))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    w = "\n".join(rep["warnings"])
    assert "a/summary.json: skipped, not readable JSON" in w
    assert "b/summary.json: groups[1]: skipped, correct_rate 7" in w
    assert "b/summary.json: groups[2]: skipped, method 'xx'" in w
    assert "c/ablation.json: row 3: skipped, unknown condition 'sometimes'" in w
    assert "skipped" in res.output  # warnings are printed, too
    assert rep["sections"]["alignment"] == "ok" and rep["sections"]["dpo"] == "ok"
    assert [a["correct_rate"] for a in rep["alignment"]] == [0.7]
    assert sorted(a["condition"] for a in rep["ablation"]) == ["with_cr", "with_cr_dpo"]
    assert "+0.100" in (out / "index.html").read_text(encoding="utf-8")
