"""Issue 14: scores a researcher can inspect and compare (logged samples, n + 95 % interval, misaligned items,
normalisation and BOS policy written down)."""
import csv
import json
import math

import pytest
from typer.testing import CliRunner

from navab_eval.backends.hf import HFBackend
from navab_eval.cli import app
from navab_eval.mc import evaluate_mc
from navab_eval.prompts import mc_context
from navab_eval.summary import summarize

runner = CliRunner()


def wilson_by_hand(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def read_items(out):
    return [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]


def test_wilson_interval_and_n_on_every_rate():
    from navab_eval.stats import wilson

    for k, n in ((7, 10), (0, 12), (12, 12), (33, 50)):
        lo, hi = wilson(k, n)
        ref = wilson_by_hand(k, n)
        assert lo == pytest.approx(max(0.0, ref[0]), abs=1e-9) and hi == pytest.approx(min(1.0, ref[1]), abs=1e-9)
    items = [{"method": "mc", "nation": "CN", "set": "quoted", "model": "m", "backend": "hf", "correct": i < 7}
             for i in range(10)]
    summary = summarize(items)
    g = summary["groups"][0]
    assert (g["n"], g["correct"], g["correct_rate"]) == (10, 7, 0.7)
    assert (g["ci_low"], g["ci_high"]) == pytest.approx(wilson_by_hand(7, 10))
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx(wilson_by_hand(7, 10))


def test_items_keep_the_scored_texts_and_token_counts(tiny, tiny_dir, snapshot_root, tmp_path):
    model, tok = tiny
    out = tmp_path / "out"
    res = runner.invoke(app, ["mc", "--data", str(snapshot_root), "--model", str(tiny_dir), "--out", str(out),
                              "--cache-dir", str(tmp_path / "c"), "--quiet", "--device", "cpu", "--bos", "never"])
    assert res.exit_code == 0, res.output
    from navab_eval.snapshot import load_snapshot

    records = {r.id: r for r in load_snapshot(snapshot_root).records}
    be = HFBackend(model, tok, add_bos=False)
    for it in read_items(out):
        r = records[it["id"]]
        assert it["context"] == mc_context(r.question, r.language)
        sep = "" if r.language == "zh" else " "
        assert (it["continuation_s"], it["continuation_rs"]) == (sep + r.statement, sep + r.reverse_statement)
        assert it["n_tokens_s"] == len(be.encode(it["context"], it["continuation_s"])[1])
        assert it["n_tokens_rs"] == len(be.encode(it["context"], it["continuation_rs"])[1])
        assert it["nll_s"] == pytest.approx(-it["logprob_s"] / it["n_tokens_s"])
        assert it["n_bytes_s"] == len(r.statement.encode("utf-8"))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["normalize"] == "mean" and summary["bos"] == "never" and summary["add_bos"] is False
    for g in summary["groups"]:
        assert g["ci_low"] <= g["correct_rate"] <= g["ci_high"] and g["n"] > 0


def test_normalize_modes(tiny, records):
    model, tok = tiny
    subset = records[:8]
    by_mode = {m: evaluate_mc(subset, model, tok, normalize=m) for m in ("mean", "sum", "bytes", "chars")}
    for k, r in enumerate(subset):
        mean, total, per_byte, per_char = (by_mode[m][k] for m in ("mean", "sum", "bytes", "chars"))
        lp_s, lp_rs = mean["logprob_s"], mean["logprob_rs"]
        assert mean["correct"] == (lp_s / mean["n_tokens_s"] > lp_rs / mean["n_tokens_rs"])
        assert total["correct"] == (lp_s > lp_rs)  # lm-eval's acc
        assert per_byte["correct"] == (lp_s / len(r.statement.encode()) > lp_rs / len(r.reverse_statement.encode()))
        assert per_char["correct"] == (lp_s / len(r.statement) > lp_rs / len(r.reverse_statement))  # acc_norm
        assert total["score_s"] == pytest.approx(-lp_s) and mean["score_s"] == pytest.approx(mean["nll_s"])
    with pytest.raises(ValueError, match="normalize"):
        evaluate_mc(subset, model, tok, normalize="median")


def test_bos_policy(tiny, records, smollm2):
    from navab_eval.models import resolve_add_bos

    model, tok = tiny
    # the tiny tokenizer has a BOS token but does not add it itself; SmolLM2's BOS is <|im_start|>, not added
    assert resolve_add_bos("auto", tok) is False and resolve_add_bos("always", tok) is True
    assert resolve_add_bos("never", tok) is False
    assert resolve_add_bos("auto", smollm2[1]) is False
    subset = records[:4]
    never = evaluate_mc(subset, model, tok, bos="never")
    always = evaluate_mc(subset, model, tok, bos="always")
    ref_never = evaluate_mc(subset, HFBackend(model, tok, add_bos=False))
    ref_always = evaluate_mc(subset, HFBackend(model, tok, add_bos=True))
    assert [it["nll_s"] for it in never] == pytest.approx([it["nll_s"] for it in ref_never], rel=1e-6)
    assert [it["nll_s"] for it in always] == pytest.approx([it["nll_s"] for it in ref_always], rel=1e-6)
    assert [it["nll_s"] for it in never] != pytest.approx([it["nll_s"] for it in always], rel=1e-6)
    with pytest.raises(ValueError, match="bos"):
        evaluate_mc(subset, model, tok, bos="sometimes")


def test_show_misaligned_lists_wrong_items_with_texts(tiny_dir, snapshot_root, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["mc", "--data", str(snapshot_root), "--model", str(tiny_dir), "--out", str(out),
                              "--cache-dir", str(tmp_path / "c"), "--quiet", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    items = read_items(out)
    wrong = [it for it in items if not it["correct"]]
    assert wrong and len(wrong) < len(items)  # the random model gets some right and some wrong
    res = runner.invoke(app, ["show", str(out), "--misaligned", "--json", "--limit", "0"])
    assert res.exit_code == 0, res.output
    shown = json.loads(res.output)
    assert [s["id"] for s in shown] == [it["id"] for it in wrong]
    assert all({"context", "continuation_s", "continuation_rs"} <= set(s) for s in shown)
    res = runner.invoke(app, ["show", str(out), "--misaligned", "--limit", "0"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert f"{len(wrong)} of {len(items)} items misaligned" in res.output
    assert wrong[0]["continuation_s"].strip()[:30] in res.output
    res = runner.invoke(app, ["show", str(out), "--misaligned", "--nation", "FR", "--json", "--limit", "0"])
    assert [s["id"] for s in json.loads(res.output)] == [it["id"] for it in wrong if it["nation"] == "FR"]
    res = runner.invoke(app, ["show", str(tmp_path / "nothing")])
    assert res.exit_code == 2 and "items.jsonl" in res.output


def test_table_carries_n_and_interval(tmp_path):
    groups = [{"model": "m1", "backend": "hf", "method": "mc", "nation": "CN", "set": "quoted", "n": 10,
               "correct": 7, "correct_rate": 0.7, "truncated": 0, "invalid": 0}]  # an older summary: no interval
    d = tmp_path / "m1"
    d.mkdir()
    (d / "summary.json").write_text(json.dumps({"n": 10, "groups": groups}))
    out = tmp_path / "table"
    res = runner.invoke(app, ["table", str(d), "--out", str(out)], terminal_width=200)
    assert res.exit_code == 0, res.output
    rows = list(csv.reader((out / "table.csv").open()))
    assert rows[0] == ["set", "model", "China MC", "China MC n", "China MC ci_low", "China MC ci_high"]
    lo, hi = wilson_by_hand(7, 10)
    assert rows[1][:4] == ["quoted", "m1", "0.7", "10"]
    assert float(rows[1][4]) == pytest.approx(lo, abs=1e-3) and float(rows[1][5]) == pytest.approx(hi, abs=1e-3)
    md = (out / "table.md").read_text()
    assert f"0.700 [{lo:.2f}, {hi:.2f}] n=10" in md
    assert "n=10" in res.output
