"""The `navab-train dpo` command end to end, and its errors on bad input."""
import json
from pathlib import Path

from typer.testing import CliRunner

from train_snapshots import make_rows, split_of
from navab_train.cli import app

runner = CliRunner()
FAST = ["--max-steps", "2", "--seed", "0"]


def _yaml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "dpo.yaml"
    p.write_text("per_device_train_batch_size: 2\ngradient_accumulation_steps: 1\n" + text)
    return p


def test_dpo_command_full_finetune_and_pad_token(snapshot_factory, tiny_model_nopad, tmp_path):
    snap = snapshot_factory(rows=make_rows(n=12))
    out = tmp_path / "run"
    res = runner.invoke(app, ["dpo", "--data", str(snap / "US"), "--model", str(tiny_model_nopad), "--out", str(out),
                              "--full", "--config", str(_yaml(tmp_path, "precompute_ref_log_probs: true\n")), *FAST])
    assert res.exit_code == 0, res.output
    assert "no pad token: set pad_token = eos_token" in res.output
    assert (out / "model" / "model.safetensors").is_file() and not (out / "adapter").exists()
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["use_lora"] is False and cfg["precompute_ref_log_probs"] is True and cfg["max_steps"] == 2
    assert len([line for line in (out / "train_log.jsonl").read_text().splitlines() if '"loss"' in line]) == 2


def test_quiet_prints_nothing_on_success(snapshot_factory, tiny_model, tmp_path):
    snap = snapshot_factory(rows=make_rows(n=12))
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o"),
                              "--config", str(_yaml(tmp_path, "")), "--quiet", *FAST])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == ""
    assert (tmp_path / "o" / "adapter" / "adapter_model.safetensors").is_file()


def test_snapshot_without_train_split(snapshot_factory, tiny_model, tmp_path):
    rows = [r for r in make_rows(n=40) if split_of(r["id"]) == "test"]
    assert rows
    snap = snapshot_factory(rows=rows)
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "no train split" in res.output and str(snap) in res.output and "test (" in res.output


def test_empty_train_split_after_selection(snapshot_factory, tiny_model, tmp_path):
    rows = [r for r in make_rows(n=40) if not (r["set"] == "official" and split_of(r["id"]) == "train")]
    snap = snapshot_factory(rows=rows)
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o"),
                              "--set", "official"])
    assert res.exit_code == 2
    assert "train split is empty after selecting sets=['official']" in res.output


def test_empty_snapshot(snapshot_factory, tiny_model, tmp_path):
    snap = snapshot_factory(rows=[])
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "cannot train on" in res.output and "empty snapshot" in res.output


def test_absent_lora_target(snapshot_factory, tiny_model, tmp_path):
    snap = snapshot_factory(rows=make_rows(n=12))
    cfg = _yaml(tmp_path, "lora:\n  target_modules: [c_attn, q_proj]\n")
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o"),
                              "--config", str(cfg), *FAST])
    assert res.exit_code == 2
    flat = " ".join(res.output.split())
    assert "['c_attn']" in flat and "down_proj, gate_proj, k_proj, lm_head, o_proj, q_proj, up_proj, v_proj" in flat


def test_bad_config_value(snapshot_factory, tiny_model, tmp_path):
    snap = snapshot_factory(rows=make_rows(n=12))
    cfg = _yaml(tmp_path, "precision: fp8\n")
    res = runner.invoke(app, ["dpo", "--data", str(snap), "--model", str(tiny_model), "--out", str(tmp_path / "o"),
                              "--config", str(cfg)])
    assert res.exit_code == 2 and "precision" in res.output and "dpo.yaml" in res.output


def test_help_has_example():
    for cmd in ("dpo", "ablation"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "Example: navab-train " + cmd in " ".join(res.output.split())
