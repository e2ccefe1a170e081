"""DPO settings as one typed object, with the paper's defaults.

The paper (Tables 5 and 6) gives: learning rate 5e-5, 3 epochs, bf16, batch size 2, gradient
accumulation 8, trained with LLaMA-Factory using LoRA. It does not give the LoRA rank, alpha, dropout,
targets or the DPO beta; those defaults are LLaMA-Factory's own (lora_rank 8, lora_alpha = 2 x rank,
lora_dropout 0, lora_target "all" linear layers, pref_beta 0.1, pref_loss sigmoid), i.e. what the paper's
runs used unless its authors changed them silently.

All overrides (YAML file, then CLI flags) go through :func:`resolve_config`, the one place where they are
checked.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class ConfigError(ValueError):
    """A configuration file or override is invalid (the message names the file and field)."""


class LoraSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    r: int = Field(8, gt=0, description="LoRA rank (LLaMA-Factory default; not given in the paper).")
    alpha: int = Field(16, gt=0, description="LoRA alpha (LLaMA-Factory default 2 x rank).")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="LoRA dropout (LLaMA-Factory default 0).")
    target_modules: list[str] | Literal["all-linear"] = Field(
        "all-linear",
        description="Module names to adapt, e.g. [q_proj, v_proj]; 'all-linear' = every Linear layer except "
        "the output head (LLaMA-Factory's lora_target=all).",
    )


class DPOSettings(BaseModel):
    """Everything a DPO run needs besides the data, model and output paths."""

    model_config = ConfigDict(extra="forbid")

    learning_rate: float = Field(5e-5, gt=0, description="Peak learning rate (paper: 5e-5).")
    num_train_epochs: float = Field(3.0, gt=0, description="Epochs over the train split (paper: 3).")
    max_steps: int = Field(-1, description="Stop after this many optimizer steps; -1 = use the epochs.")
    per_device_train_batch_size: int = Field(2, gt=0, description="Pairs per device per step (paper: 2).")
    gradient_accumulation_steps: int = Field(8, gt=0, description="Micro-batches per optimizer step (paper: 8).")
    beta: float = Field(0.1, gt=0, description="DPO beta: strength of the KL tie to the reference model.")
    loss_type: str = Field("sigmoid", description="trl DPO loss type (sigmoid = the original DPO loss).")
    lr_scheduler_type: str = Field("linear", description="transformers scheduler name.")
    warmup_ratio: float = Field(0.0, ge=0.0, lt=1.0, description="Fraction of steps for linear warm-up.")
    max_length: int = Field(1024, gt=8, description="Truncate prompt+answer to this many tokens.")
    precision: Literal["auto", "bf16", "fp16", "fp32"] = Field(
        "auto", description="auto = bf16 on a GPU that supports it (paper), fp32 on CPU."
    )
    use_lora: bool = Field(True, description="Train a LoRA adapter (paper) instead of all weights.")
    lora: LoraSettings = Field(default_factory=LoraSettings, description="LoRA settings (used when use_lora).")
    precompute_ref_log_probs: bool = Field(
        False, description="Compute the reference model's log-probs once before training (saves memory/time "
        "per step; trl's precompute_ref_log_probs)."
    )
    seed: int = Field(42, description="Seed for data order, LoRA init and dropout.")
    logging_steps: int = Field(1, gt=0, description="Log loss and rewards every N optimizer steps.")
    gradient_checkpointing: bool = Field(False, description="Trade compute for memory on large models.")
    sets: list[Literal["quoted", "official"]] = Field(
        ["quoted", "official"], description="Statement sets of the snapshot to train on."
    )
    nations: list[str] | None = Field(None, description="Nations to train on (ISO alpha-2); None = all.")
    chat_template: bool = Field(
        False, description="Wrap the question in the tokenizer's chat template, as the MC scorer's option does."
    )

    @field_validator("nations")
    @classmethod
    def _upper(cls, v: list[str] | None) -> list[str] | None:
        return [n.upper() for n in v] if v is not None else None

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)

    def save(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "config.yaml").write_text(self.to_yaml(), encoding="utf-8")
        (out_dir / "config.json").write_text(json.dumps(self.model_dump(mode="json"), indent=2), encoding="utf-8")


def _set_path(data: dict[str, Any], key: str, value: Any) -> None:
    """Apply a dotted override (``lora.r``) to a nested dict."""
    parts = key.split(".")
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ConfigError(f"override {key!r}: {p!r} is not a section")
    node[parts[-1]] = value


def resolve_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> DPOSettings:
    """Defaults <- YAML file <- CLI overrides (dotted keys; None values are ignored), validated once."""
    data: dict[str, Any] = {}
    where = "defaults"
    if path is not None:
        where = str(path)
        if not Path(path).is_file():
            raise ConfigError(f"{path}: config file not found")
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: not valid YAML: {e}") from e
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping of settings, got {type(loaded).__name__}")
        data = loaded
    for key, value in (overrides or {}).items():
        if value is not None:
            _set_path(data, key, value)
            where = f"{where} + command-line options" if "command-line" not in where else where
    try:
        return DPOSettings.model_validate(data)
    except ValidationError as e:
        lines = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()]
        raise ConfigError(f"invalid DPO config ({where}):\n  " + "\n  ".join(lines)) from None
