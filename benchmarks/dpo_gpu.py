"""GPU variant of benchmarks/dpo.py: the same comparison (navab-train vs plain trl DPOTrainer) in bf16 on CUDA.

Usage: python benchmarks/dpo_gpu.py [--model smollm2|org/name|dir] [--steps 20] [--repeats 3] [--batch 2 --accum 8]
Defaults to the paper's compute type (bf16). Fails with a clear message when no CUDA device is visible.
All logic lives in benchmarks/dpo.py; this file only changes the defaults and checks the device.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dpo import parse, run_benchmark  # noqa: E402


def main(argv=None) -> int:
    import torch

    a = parse(argv, default_precision="bf16", default_steps=20)
    if not torch.cuda.is_available():
        print("dpo_gpu.py: no CUDA device visible (torch.cuda.is_available() is False); run benchmarks/dpo.py "
              "on CPU instead", file=sys.stderr)
        return 2
    if a.precision == "bf16" and not torch.cuda.is_bf16_supported():
        print("# this GPU has no bf16: using fp16 mixed precision", file=sys.stderr)
        a.precision = "fp16"
    print(f"# device: {torch.cuda.get_device_name(0)}")
    run_benchmark(a.model, a.steps, a.repeats, a.pairs, a.precision, a.batch, a.accum, "GPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
