"""The offline SmolLM2-135M-Instruct GGUF: dequantised to float32, cached, and trained through the CLI."""
import json

from transformers import AutoConfig
from typer.testing import CliRunner

from train_snapshots import make_rows
from navab_train.cli import app


def test_smollm2_alias_gguf_to_lora_dpo(snapshot_factory, tmp_path):
    snap = snapshot_factory(rows=make_rows(n=10))
    cache = tmp_path / "cache"
    cfg = tmp_path / "dpo.yaml"
    cfg.write_text("per_device_train_batch_size: 2\ngradient_accumulation_steps: 1\nlora:\n"
                   "  target_modules: [q_proj, v_proj]\n")
    args = ["dpo", "--data", str(snap), "--model", "smollm2", "--out", str(tmp_path / "run"), "--config", str(cfg),
            "--max-steps", "2", "--cache-dir", str(cache)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "dequantising to float32" in res.output and "quantizer dropped" in res.output

    (ckpt,) = (cache / "gguf").iterdir()
    assert ckpt.name.startswith("SmolLM2-135M-Instruct.Q4_1-")
    conf = AutoConfig.from_pretrained(ckpt)
    assert getattr(conf, "quantization_config", None) is None and conf.model_type == "llama"
    info = json.loads((tmp_path / "run" / "run.json").read_text())
    assert info["gguf_file"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf") and info["global_steps"] == 2
    assert any("dequantised to a float32 checkpoint" in n for n in info["notes"])
    adapter = json.loads((tmp_path / "run" / "adapter" / "adapter_config.json").read_text())
    assert sorted(adapter["target_modules"]) == ["q_proj", "v_proj"]

    # second run: the cached conversion is reused, not redone
    res = CliRunner().invoke(app, args[:6] + [str(tmp_path / "run2")] + args[7:])
    assert res.exit_code == 0, res.output
    assert "using the float32 checkpoint converted earlier" in res.output and "dequantising" not in res.output
