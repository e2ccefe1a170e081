"""One DPO run: trl DPOTrainer (+ peft LoRA) on a snapshot's train split, with its artefacts.

Writes into the output directory:
  adapter/ (LoRA; or model/ with --full)   the trained weights + tokenizer, loadable with from_pretrained
  config.yaml, config.json                 the resolved settings
  train_log.jsonl                          the trainer's log history, one JSON object per log event
  curves.png                               loss and reward margin over steps
  run.json                                 model source, notes (GGUF conversion, pad token), counts, speed, and
                                           `data`: what select() dropped (pairs in the test split, duplicates)
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch

from .config import DPOSettings
from .data import build_dataset
from .models import ModelSource, check_lora_targets, load_for_training, silence_libraries


@dataclass
class DPORun:
    """What a finished run hands back (the in-memory model is kept for evaluation right after)."""

    out_dir: Path
    model: Any
    tokenizer: Any
    settings: DPOSettings
    precision: str
    log_history: list[dict]
    train_pairs: int
    samples_per_second: float
    weights_dir: Path
    notes: list[str] = field(default_factory=list)


def _jsonl_callback(path: Path):
    from transformers import TrainerCallback

    class JsonlLog(TrainerCallback):
        """Append each log event as soon as it happens, so a crashed run still leaves its curve."""

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and state.is_world_process_zero:
                with path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps({"step": state.global_step, "epoch": state.epoch, **logs}) + "\n")

    return JsonlLog()


def _compact_progress():
    """transformers' progress bar, but one short line per log event instead of the whole metrics dict."""
    from transformers import ProgressCallback

    class CompactProgress(ProgressCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if state.is_world_process_zero and self.training_bar is not None and logs and "loss" in logs:
                self.training_bar.write(
                    f"step {state.global_step}: loss {logs['loss']:.4f}  reward margin "
                    f"{logs.get('rewards/margins', float('nan')):.4f}  reward acc "
                    f"{logs.get('rewards/accuracies', float('nan')):.2f}")

    return CompactProgress


def _checkpointing_arg() -> str:
    import dataclasses

    from trl import DPOConfig

    names = {f.name for f in dataclasses.fields(DPOConfig)}
    # transformers 5 renamed it and warns on the old name
    return "activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing"


def dpo_args(settings: DPOSettings, out_dir: Path, precision: str, quiet: bool):
    """The trl DPOConfig for these settings (shared with the benchmark's plain-trl baseline)."""
    from trl import DPOConfig

    return DPOConfig(
        output_dir=str(out_dir / "trainer"),
        learning_rate=settings.learning_rate,
        num_train_epochs=settings.num_train_epochs,
        max_steps=settings.max_steps,
        per_device_train_batch_size=settings.per_device_train_batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation_steps,
        beta=settings.beta,
        loss_type=[settings.loss_type],
        lr_scheduler_type=settings.lr_scheduler_type,
        warmup_steps=settings.warmup_ratio,  # transformers 5: a float < 1 is a ratio
        max_length=settings.max_length,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        use_cpu=not torch.cuda.is_available(),
        precompute_ref_log_probs=settings.precompute_ref_log_probs,
        seed=settings.seed,
        data_seed=settings.seed,
        logging_steps=settings.logging_steps,
        # Always explicit: trl's DPOConfig turns checkpointing on by default (slower; only worth it on big models).
        **{_checkpointing_arg(): settings.gradient_checkpointing},
        save_strategy="no",
        report_to=[],
        disable_tqdm=quiet,
        dataloader_num_workers=0,
    )


def lora_config(settings: DPOSettings):
    from peft import LoraConfig

    lc = settings.lora
    return LoraConfig(r=lc.r, lora_alpha=lc.alpha, lora_dropout=lc.dropout, task_type="CAUSAL_LM",
                      target_modules=lc.target_modules if isinstance(lc.target_modules, str) else list(lc.target_modules))


def run_dpo(records: list[Any], source: ModelSource, out_dir: Path, settings: DPOSettings,
            quiet: bool = False, say: Callable[[str], None] = print) -> DPORun:
    """Train on already-selected train records; see the module docstring for what is written."""
    from transformers import PrinterCallback, ProgressCallback, set_seed
    from trl import DPOTrainer

    out_dir.mkdir(parents=True, exist_ok=True)
    if quiet:
        silence_libraries()
    set_seed(settings.seed)
    model, tokenizer, precision, notes = load_for_training(source, settings.precision, say)
    if settings.use_lora:
        check_lora_targets(model, settings.lora.target_modules)
    dataset, skipped = build_dataset(records, tokenizer, settings.chat_template)
    if skipped:
        notes.append(f"skipped {len(skipped)} rows with empty or identical statement/reverse: {skipped[:10]}")
        say(notes[-1])
    settings.save(out_dir)
    log_path = out_dir / "train_log.jsonl"
    log_path.write_text("", encoding="utf-8")

    trainer = DPOTrainer(
        model=model,
        args=dpo_args(settings, out_dir, precision, quiet),
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=lora_config(settings) if settings.use_lora else None,
        callbacks=[_jsonl_callback(log_path)],
    )
    trainer.remove_callback(PrinterCallback)  # with disable_tqdm it would print every log dict
    trainer.remove_callback(ProgressCallback)
    if not quiet:
        trainer.add_callback(_compact_progress())
    say(f"DPO on {len(dataset)} pairs, {'LoRA' if settings.use_lora else 'full'} fine-tuning, {precision}, "
        f"device {trainer.args.device}")
    t0 = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - t0

    trainer_dir = out_dir / "trainer"
    if trainer_dir.is_dir() and not any(trainer_dir.iterdir()):
        trainer_dir.rmdir()  # save_strategy="no" leaves it empty
    weights_dir = out_dir / ("adapter" if settings.use_lora else "model")
    trainer.model.save_pretrained(weights_dir)
    tokenizer.save_pretrained(weights_dir)
    history = list(trainer.state.log_history)
    from .plots import plot_curves

    plot_curves(history, out_dir / "curves.png", title=f"DPO on {len(dataset)} pairs ({Path(source.path).name})")
    sps = float(result.metrics.get("train_samples_per_second", 0.0))
    run_info = {
        "model": source.path, "gguf_file": source.gguf_file, "notes": notes, "precision": precision,
        "train_pairs": len(dataset), "skipped_ids": skipped, "global_steps": trainer.state.global_step,
        "seconds": round(seconds, 3), "train_samples_per_second": sps, "weights": str(weights_dir),
        "final_metrics": result.metrics,
        # select()'s report: train pairs dropped because their statement is in the test split, and duplicates
        "data": getattr(records, "report", None),
    }
    (out_dir / "run.json").write_text(json.dumps(run_info, indent=2, default=str), encoding="utf-8")
    trainer.model.eval()
    return DPORun(out_dir, trainer.model, tokenizer, settings, precision, history, len(dataset), sps,
                  weights_dir, notes)
