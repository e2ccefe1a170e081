"""MC scoring speed on one GPU: packed shared-prefix vs naive two-sequence scorer, 8B-class Llama, random bf16 weights.

    python benchmarks/mc_gpu.py [--n 256] [--batch-size 32] [--repeats 3] [--layers 32] [--lm-eval]

Same items, encoding (BOS policy auto), timing and report as benchmarks/mc.py (imported from it); only the model
differs: a Llama-3.1-8B-shaped config (hidden 4096, 32 layers, GQA 32/8, vocab 128256) with random weights in bf16,
and SmolLM2's tokenizer for the text (random weights make the tokenizer choice irrelevant for speed).
--lm-eval also times lm-evaluation-harness's HFLM on the same model object (bench extra); lm-eval takes its
log-softmax in bf16, navab-eval in float32, so their log-likelihoods differ by bf16 rounding there.
Needs CUDA; a few minutes on one H100/H200-class GPU. Numbers differ between scorers only by bf16 rounding.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mc  # noqa: E402  (shared CPU-side logic)


def build_model(layers: int, vocab: int):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=vocab, hidden_size=4096, intermediate_size=14336, num_hidden_layers=layers,
                      num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192,
                      rope_theta=500000.0, rms_norm_eps=1e-5)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = LlamaForCausalLM(cfg).to(torch.bfloat16)
    return model.eval()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--layers", type=int, default=32)
    ap.add_argument("--lm-eval", action="store_true", help="also time lm-evaluation-harness's HFLM")
    args = ap.parse_args()
    import torch

    if not torch.cuda.is_available():
        sys.exit("mc_gpu.py needs a CUDA GPU; run benchmarks/mc.py on CPU")
    from navab_eval.models import load_model

    _, tok = load_model("smollm2", device="cpu")  # tokenizer only
    t = time.perf_counter()
    model = build_model(args.layers, vocab=128256)
    print(f"random Llama-8B-shaped ({args.layers} layers) bf16 on {torch.cuda.get_device_name()} "
          f"built in {time.perf_counter() - t:.1f} s; {mc.machine_line()}; batch {args.batch_size} pairs")
    for chat in (False, True):
        label = "chat template" if chat else "plain prompt"
        items = mc.encode_items(tok, args.n, chat, "auto")
        best, diff, _ = mc.time_scorers(model, items, args.batch_size, 8192, tok.pad_token_id, args.repeats,
                                        sync=torch.cuda.synchronize)
        mc.report(label, items, best, diff)
        if args.lm_eval:
            requests = mc.bench_requests(tok, args.n, chat)
            res = mc.vs_lm_eval(model, tok, requests, args.batch_size, args.repeats, sync=torch.cuda.synchronize)
            mc.report_lm_eval(label, items, args.batch_size, *res)
    print(f"peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")


if __name__ == "__main__":
    main()
