from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from navab_train.models import (ModelError, ModelSource, check_lora_targets, linear_module_names,
                                load_for_training, resolve_model)


def test_missing_pad_token_is_set_to_eos(tiny_model_nopad: Path):
    assert AutoTokenizer.from_pretrained(tiny_model_nopad).pad_token is None
    said = []
    model, tok, precision, notes = load_for_training(ModelSource(str(tiny_model_nopad)), "auto", said.append)
    assert tok.pad_token == tok.eos_token == "</s>"
    assert model.config.pad_token_id == tok.eos_token_id
    assert precision == "fp32"
    assert any("pad_token = eos_token" in n for n in notes) and said == [n for n in notes if "pad" in n]


def test_absent_lora_targets_list_available(tiny_model: Path):
    model = AutoModelForCausalLM.from_pretrained(tiny_model)
    assert linear_module_names(model) == ["down_proj", "gate_proj", "k_proj", "lm_head", "o_proj", "q_proj",
                                          "up_proj", "v_proj"]
    check_lora_targets(model, ["q_proj", "v_proj"])
    check_lora_targets(model, "all-linear")
    with pytest.raises(ModelError) as e:
        check_lora_targets(model, ["q_proj", "c_attn"])
    assert "c_attn" in str(e.value) and "q_proj, up_proj, v_proj" in str(e.value)


def test_not_a_checkpoint_and_missing_gguf(tmp_path: Path):
    with pytest.raises(ModelError, match="no config.json"):
        resolve_model(str(tmp_path))
    with pytest.raises(ModelError, match="GGUF file not found"):
        resolve_model(str(tmp_path / "m.gguf"))
    assert resolve_model("org/name").path == "org/name"
