from pathlib import Path

import pytest

from navab_train.config import ConfigError, DPOSettings, resolve_config


def test_paper_defaults():
    s = DPOSettings()
    assert (s.learning_rate, s.num_train_epochs, s.per_device_train_batch_size, s.gradient_accumulation_steps) \
        == (5e-5, 3.0, 2, 8)
    assert s.use_lora and s.lora.r == 8 and s.lora.alpha == 16 and s.lora.target_modules == "all-linear"
    assert s.precision == "auto"


def test_yaml_then_cli_overrides(tmp_path: Path):
    cfg = tmp_path / "dpo.yaml"
    cfg.write_text("learning_rate: 1.0e-4\nlora:\n  r: 4\n  target_modules: [q_proj, v_proj]\nseed: 7\n")
    s = resolve_config(cfg, {"seed": 3, "max_steps": None, "lora.alpha": 8})
    assert s.learning_rate == 1e-4 and s.lora.r == 4 and s.lora.target_modules == ["q_proj", "v_proj"]
    assert s.seed == 3  # CLI wins over the file
    assert s.max_steps == -1  # None means "not given"
    assert s.lora.alpha == 8


def test_unknown_and_bad_values_are_named(tmp_path: Path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("learning_rat: 1.0e-4\nper_device_train_batch_size: 0\n")
    with pytest.raises(ConfigError) as e:
        resolve_config(cfg)
    msg = str(e.value)
    assert str(cfg) in msg and "learning_rat" in msg and "per_device_train_batch_size" in msg


def test_not_a_mapping_and_missing_file(tmp_path: Path):
    cfg = tmp_path / "list.yaml"
    cfg.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        resolve_config(cfg)
    with pytest.raises(ConfigError, match="not found"):
        resolve_config(tmp_path / "nope.yaml")


def test_roundtrip_saved_config(tmp_path: Path):
    s = resolve_config(None, {"nations": ["us", "fr"], "precision": "fp32"})
    s.save(tmp_path)
    again = resolve_config(tmp_path / "config.yaml")
    assert again == s and again.nations == ["US", "FR"]
