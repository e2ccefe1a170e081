"""DPO step throughput: `navab-train` (run_dpo) vs plain trl DPOTrainer, same model, settings and data.

Usage: python benchmarks/dpo.py [--model smollm2] [--steps 8] [--repeats 3] [--pairs 64]
Prints: samples/s of each path per repeat (trl's train_samples_per_second, i.e. training steps only), the
median of each and the ratio navab-train / plain trl (1.00 = the wrapper adds no per-step overhead), and the
wall time of each whole call (setup included). The two paths alternate so machine load hits both alike.
The GPU variant (benchmarks/dpo_gpu.py) reuses this file's functions.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

VERBS = [("helps", "harms"), ("supports", "hurts"), ("protects", "endangers"), ("improves", "worsens")]


def make_records(n: int):
    """Synthetic train-split records (English), built with navab_eval's Record so both paths see the same rows."""
    from navab_eval.snapshot import Record

    out = []
    for i in range(n):
        good, bad = VERBS[i % len(VERBS)]
        out.append(Record(id=f"b{i:05d}", nation="US", set="quoted" if i % 2 else "official",
                          question=f"Does the new plan number {i} for the region help the people who live there?",
                          statement=f"The new plan number {i} {good} the people of the region.",
                          reverse_statement=f"The new plan number {i} {bad} the people of the region.",
                          language="en", split="train"))
    return out


def bench_settings(steps: int, precision: str, batch: int = 2, accum: int = 1):
    from navab_train.config import resolve_config

    return resolve_config(None, {"max_steps": steps, "per_device_train_batch_size": batch,
                                 "gradient_accumulation_steps": accum, "precision": precision, "seed": 0,
                                 "logging_steps": max(1, steps)})


def run_navab(records, source, settings, out: Path) -> tuple[float, float]:
    from navab_train.dpo import run_dpo

    t0 = time.perf_counter()
    run = run_dpo(records, source, out, settings, quiet=True, say=lambda m: None)
    return run.samples_per_second, time.perf_counter() - t0


def run_plain_trl(records, source, settings, out: Path) -> tuple[float, float]:
    """The same run written directly against transformers/trl/peft, without navab_train."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, PrinterCallback, set_seed
    from trl import DPOConfig, DPOTrainer
    from navab_eval.prompts import mc_context, mc_continuation

    t0 = time.perf_counter()
    set_seed(settings.seed)
    bf16 = settings.precision == "bf16"
    tok = AutoTokenizer.from_pretrained(source.path)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(source.path, dtype=torch.bfloat16 if bf16 else torch.float32)
    ds = Dataset.from_list([{"prompt": mc_context(r.question, r.language),
                             "chosen": mc_continuation(r.statement, r.language),
                             "rejected": mc_continuation(r.reverse_statement, r.language)} for r in records])
    args = DPOConfig(output_dir=str(out), learning_rate=settings.learning_rate, max_steps=settings.max_steps,
                     per_device_train_batch_size=settings.per_device_train_batch_size,
                     gradient_accumulation_steps=settings.gradient_accumulation_steps, beta=settings.beta,
                     max_length=settings.max_length, bf16=bf16, use_cpu=not torch.cuda.is_available(),
                     seed=settings.seed, data_seed=settings.seed, logging_steps=settings.logging_steps,
                     activation_checkpointing=False, save_strategy="no", report_to=[], disable_tqdm=True)
    lc = settings.lora
    trainer = DPOTrainer(model=model, args=args, train_dataset=ds, processing_class=tok,
                         peft_config=LoraConfig(r=lc.r, lora_alpha=lc.alpha, lora_dropout=lc.dropout,
                                                target_modules=lc.target_modules, task_type="CAUSAL_LM"))
    trainer.remove_callback(PrinterCallback)
    metrics = trainer.train().metrics
    trainer.model.save_pretrained(out / "adapter")
    return float(metrics["train_samples_per_second"]), time.perf_counter() - t0


def run_benchmark(model: str, steps: int, repeats: int, pairs: int, precision: str, batch: int, accum: int,
                  label: str) -> None:
    import datasets
    import torch
    import transformers

    from navab_train.models import resolve_model

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    source = resolve_model(model, say=lambda m: print(f"# {m}"))
    records = make_records(pairs)
    settings = bench_settings(steps, precision, batch, accum)
    print(f"# {label}: model {Path(source.path).name}, {pairs} pairs, {steps} steps x batch {batch} x accum "
          f"{accum}, LoRA r={settings.lora.r} {settings.lora.target_modules}, precision {precision}, "
          f"torch threads {torch.get_num_threads()}")
    nav, plain, nav_wall, plain_wall = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            s, w = run_plain_trl(records, source, settings, Path(tmp) / f"trl{i}")
            plain.append(s), plain_wall.append(w)
            s, w = run_navab(records, source, settings, Path(tmp) / f"navab{i}")
            nav.append(s), nav_wall.append(w)
            print(f"repeat {i + 1}: plain trl {plain[-1]:.3f} samples/s ({plain_wall[-1]:.1f} s call), "
                  f"navab-train {nav[-1]:.3f} samples/s ({nav_wall[-1]:.1f} s call)")
    mp, mn = statistics.median(plain), statistics.median(nav)
    print(f"median samples/s: plain trl {mp:.3f}, navab-train {mn:.3f}; ratio navab-train / plain trl = "
          f"{mn / mp:.3f}")
    print(f"median call seconds (load + tokenise + train + save): plain trl {statistics.median(plain_wall):.1f}, "
          f"navab-train {statistics.median(nav_wall):.1f}")


def parse(argv=None, default_precision: str = "fp32", default_steps: int = 8) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2", help="model spec as navab-train takes it (default smollm2)")
    ap.add_argument("--steps", type=int, default=default_steps)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=64)
    ap.add_argument("--batch", type=int, default=2, help="per-device batch (paper: 2)")
    ap.add_argument("--accum", type=int, default=1, help="gradient accumulation (paper: 8; 1 keeps this short)")
    ap.add_argument("--precision", default=default_precision, choices=["fp32", "bf16", "fp16", "auto"])
    return ap.parse_args(argv)


if __name__ == "__main__":
    a = parse()
    run_benchmark(a.model, a.steps, a.repeats, a.pairs, a.precision, a.batch, a.accum, "CPU")
