import csv
import json
import shutil

from typer.testing import CliRunner

from navab_eval.cli import app
from navab_eval.mc import evaluate_mc
from navab_eval.snapshot import load_snapshot
from openai_server import FakeOpenAI

runner = CliRunner()


def read_items(path):
    return [json.loads(line) for line in (path / "items.jsonl").read_text().splitlines()]


def test_mc_cli_writes_results_and_reuses_cache(tiny, tiny_dir, snapshot_root, tmp_path, monkeypatch):
    model_dir = tmp_path / "model"
    shutil.copytree(tiny_dir, model_dir)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["mc", "--data", str(snapshot_root), "--model", str(model_dir), "--out", str(out), "--cache-dir",
            str(cache), "--batch-size", "4", "--quiet", "--device", "cpu"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    items = read_items(out)
    snap = load_snapshot(snapshot_root)
    assert [it["id"] for it in items] == [r.id for r in snap.records]
    expected = evaluate_mc(snap.records, *tiny, bos="auto")  # the CLI's default BOS policy
    for it, ex in zip(items, expected):
        assert abs(it["nll_s"] - ex["nll_s"]) <= 1e-4 * abs(ex["nll_s"]) and it["correct"] == ex["correct"]
        assert it["model"] == "model" and it["backend"] == "hf" and it["method"] == "mc"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n"] == len(items) and summary["data_sha256"] == snap.data_sha256
    assert summary["truncated"] == 0 and summary["cached_items"] == 0 and summary["items_per_s"] > 0
    cn_quoted = [it for it in items if it["nation"] == "CN" and it["set"] == "quoted"]
    group = next(g for g in summary["groups"] if (g["nation"], g["set"], g["method"]) == ("CN", "quoted", "mc"))
    assert group["n"] == len(cn_quoted)
    assert group["correct_rate"] == sum(it["correct"] for it in cn_quoted) / len(cn_quoted)

    # every item is cached: the re-run does not even load the model
    import navab_eval.models

    def no_loading(*a, **k):
        raise navab_eval.models.ModelLoadError("cannot load model: loading is switched off in this test")

    monkeypatch.setattr(navab_eval.models, "load_model", no_loading)
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert read_items(out) == items
    assert json.loads((out / "summary.json").read_text())["cached_items"] == len(items)
    res = runner.invoke(app, args + ["--no-cache"])
    assert res.exit_code == 2 and "cannot load model" in res.output


def test_mc_cli_filters_and_smollm2_alias(snapshot_root, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["mc", "--data", str(snapshot_root), "--model", "smollm2", "--nation", "FR",
                              "--set", "quoted", "--out", str(out), "--cache-dir", str(tmp_path / "c"), "--quiet"])
    assert res.exit_code == 0, res.output
    items = read_items(out)
    assert items and {(it["nation"], it["set"]) for it in items} == {("FR", "quoted")}
    assert {it["model"] for it in items} == {"SmolLM2-135M-Instruct"}


def test_aj_cli_with_llm_judge_then_cache(tiny_dir, snapshot_root, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-cli-secret")
    out = tmp_path / "aj"
    with FakeOpenAI() as srv:
        args = ["aj", "--data", str(snapshot_root), "--model", str(tiny_dir), "--judge", "judge-x",
                "--judge-base-url", srv.base_url, "--nation", "US", "--max-new-tokens", "6", "--out", str(out),
                "--cache-dir", str(tmp_path / "cache"), "--device", "cpu"]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        n_calls = len(srv.calls)
        items = read_items(out)
        assert n_calls == len(items) > 0
        assert all(it["verdict"] in ("S", "RS") and it["order"] in ("S-RS", "RS-S") for it in items)
        assert "sk-cli-secret" not in res.output
        res = runner.invoke(app, args + ["--no-cache"])  # items and judge replies recomputed
        assert res.exit_code == 0 and len(srv.calls) == 2 * n_calls
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and len(srv.calls) == 2 * n_calls  # cached: zero HTTP calls
    summary = json.loads((out / "summary.json").read_text())
    assert summary["method"] == "aj" and summary["n"] == len(items)


def test_bad_inputs_exit_with_clear_message(tmp_path, tiny_dir, monkeypatch):
    from navab_eval.fixtures import sample_records, write_snapshot

    write_snapshot([], tmp_path / "snap", "GB")
    res = runner.invoke(app, ["mc", "--data", str(tmp_path / "snap"), "--model", str(tiny_dir), "--quiet"])
    assert res.exit_code == 2 and "empty snapshot" in res.output
    res = runner.invoke(app, ["mc", "--data", str(tmp_path / "nope"), "--model", str(tiny_dir)])
    assert res.exit_code == 2 and "does not exist" in res.output
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "vllm" else real(name, *a))
    write_snapshot(sample_records(8), tmp_path / "ok", "US")
    res = runner.invoke(app, ["mc", "--data", str(tmp_path / "ok"), "--model", "x", "--backend", "vllm"])
    assert res.exit_code == 2 and "pip install navab-eval[vllm]" in res.output


def test_table_cli(tmp_path):
    def summary(model, method, rates):
        groups = [{"model": model, "backend": "hf", "method": method, "nation": n, "set": s, "n": 10,
                   "correct": round(r * 10), "correct_rate": r, "truncated": 0, "invalid": 0}
                  for (n, s), r in rates.items()]
        d = tmp_path / f"{model}-{method}"
        d.mkdir()
        (d / "summary.json").write_text(json.dumps({"n": 40, "groups": groups}))
        return d

    dirs = [summary("m1", "mc", {("CN", "quoted"): 0.9, ("US", "quoted"): 0.8, ("CN", "official"): 0.7,
                                 ("KE", "quoted"): 0.6}),
            summary("m1", "aj", {("CN", "quoted"): 0.4, ("US", "official"): 0.5}),
            summary("m2", "mc", {("CN", "quoted"): 0.55})]
    out = tmp_path / "table"
    res = runner.invoke(app, ["table", *map(str, dirs), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Quoted Statements" in res.output and "Official Statements" in res.output
    rows = [[r[0], r[1], *r[2::4]] for r in csv.reader((out / "table.csv").open())]  # rates; n and CI beside
    assert rows[0] == ["set", "model", "China MC", "China AJ", "US MC", "US AJ", "KE MC"]
    assert rows[1] == ["quoted", "m1", "0.9", "0.4", "0.8", "", "0.6"]
    assert rows[2] == ["quoted", "m2", "0.55", "", "", "", ""]
    assert rows[3] == ["official", "m1", "0.7", "", "", "0.5", ""]
    md = (out / "table.md").read_text()
    assert "| m1 | 0.900 [0.60, 0.98] n=10 | 0.400 [0.17, 0.69] n=10 | 0.800 [0.49, 0.94] n=10 |  |" in md
    assert "**Official Statements**" in md
    assert (out / "heatmap.png").read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(app, ["table", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "no summary.json" in res.output


def _mc_args(data, model, out, cache, *extra):
    return ["mc", "--data", str(data), "--model", str(model), "--out", str(out), "--cache-dir", str(cache),
            "--quiet", "--device", "cpu", *extra]


def test_outputs_are_replaced_whole_even_when_writing_fails(tiny_dir, snapshot_root, tmp_path):
    import os
    import resource
    import subprocess
    import sys

    out, other, cache = tmp_path / "out", tmp_path / "other", tmp_path / "cache"
    assert runner.invoke(app, _mc_args(snapshot_root, tiny_dir, out, cache, "--limit", "1")).exit_code == 0
    assert runner.invoke(app, _mc_args(snapshot_root, tiny_dir, other, cache)).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("items.jsonl", "summary.json")}
    full = (other / "items.jsonl").stat().st_size
    limit = (len(before["items.jsonl"]) + full) // 2  # a disk that fills up while the new items.jsonl is written
    assert len(before["summary.json"]) < limit and (other / "summary.json").stat().st_size < limit

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    res = subprocess.run([sys.executable, "-m", "navab_eval.cli", *_mc_args(snapshot_root, tiny_dir, out, cache)],
                         preexec_fn=small_disk, capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert res.returncode != 0 and "File too large" in res.stderr, res.stderr[-2000:]
    assert {name: (out / name).read_bytes() for name in before} == before  # the earlier run, whole
    assert sorted(p.name for p in out.iterdir()) == ["items.jsonl", "summary.json"]  # no half-written file left
    assert runner.invoke(app, ["show", str(out)]).exit_code == 0


def test_show_and_table_refuse_items_that_are_not_the_summarys(tiny_dir, snapshot_root, tmp_path):
    out, other, cache = tmp_path / "out", tmp_path / "other", tmp_path / "cache"
    assert runner.invoke(app, _mc_args(snapshot_root, tiny_dir, out, cache, "--limit", "1")).exit_code == 0
    assert runner.invoke(app, _mc_args(snapshot_root, tiny_dir, other, cache)).exit_code == 0
    for command in (["show"], ["table"]):
        assert runner.invoke(app, [*command, str(other)]).exit_code == 0
    # a run killed after replacing items.jsonl, before summary.json: the new items beside the earlier summary
    shutil.copyfile(other / "items.jsonl", out / "items.jsonl")
    for command in (["show"], ["table"]):
        res = runner.invoke(app, [*command, str(out)])
        assert res.exit_code == 2 and f"{out}: items.jsonl and summary.json disagree (items.jsonl sha256" \
            in res.output, res.output
    # a summary written before items_sha256 was recorded: the item count is compared
    summary = json.loads((out / "summary.json").read_text())
    del summary["items_sha256"]
    (out / "summary.json").write_text(json.dumps(summary))
    res = runner.invoke(app, ["show", str(out / "items.jsonl")])
    assert res.exit_code == 2 and f"items.jsonl holds {len(read_items(other))} items, summary.json " \
        f"{summary['items']}" in res.output, res.output


def test_table_refuses_one_cell_from_runs_with_different_settings(tmp_path):
    def summary(name, rate, limit):
        d = tmp_path / name
        d.mkdir()
        group = {"model": "m1", "backend": "hf", "method": "mc", "nation": "CN", "set": "quoted", "n": 10,
                 "correct": round(rate * 10), "correct_rate": rate, "truncated": 0, "invalid": 0}
        (d / "summary.json").write_text(json.dumps({"n": 10, "split": "all", "normalize": "mean",
                                                    "config": {"limit": limit}, "groups": [group]}))
        return d

    full, limited, rerun = summary("full", 0.9, None), summary("limited", 0.5, 2), summary("rerun", 0.8, None)
    res = runner.invoke(app, ["table", str(full), str(limited)])
    assert res.exit_code == 2, res.output
    assert f"{full / 'summary.json'} and {limited / 'summary.json'} both give the cell m1/mc/CN/quoted " \
        "under different settings (limit None vs 2)" in res.output
    res = runner.invoke(app, ["table", str(full), str(rerun), "--out", str(tmp_path / "t")])  # a re-run: last wins
    assert res.exit_code == 0, res.output
    assert [r[2] for r in csv.reader((tmp_path / "t" / "table.csv").open())] == ["China MC", "0.8"]
