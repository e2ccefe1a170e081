"""A real (short) DPO run on a tiny random Llama: the preference is learnt, artefacts are usable."""
import json
from pathlib import Path

import math
import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from navab_train.config import resolve_config
from navab_train.data import load_records, select
from navab_train.dpo import run_dpo
from navab_train.models import resolve_model


@pytest.fixture(scope="module")
def trained(tiny_model, tmp_path_factory):
    from train_snapshots import make_rows, write_snapshot

    root = tmp_path_factory.mktemp("dpo")
    snap = write_snapshot(root / "snap", make_rows(n=30))
    # A random 2-layer model needs a larger step than the paper's 5e-5 to move within 20 steps.
    settings = resolve_config(None, {"learning_rate": 5e-3, "max_steps": 20, "per_device_train_batch_size": 4,
                                     "gradient_accumulation_steps": 1, "seed": 0, "lora.r": 8})
    records = select(load_records(snap), "train", settings, snap)
    run = run_dpo(records, resolve_model(str(tiny_model)), root / "out", settings, quiet=True, say=lambda m: None)
    return run, records


def _margins(run):
    return [h["rewards/margins"] for h in run.log_history if "rewards/margins" in h]


def test_reward_margin_rises(trained):
    run, records = trained
    m = _margins(run)
    assert len(m) == 20 and m[0] == pytest.approx(0.0, abs=1e-6)  # policy == reference at step 1
    assert sum(m[-5:]) / 5 > sum(m[:5]) / 5 + 0.05
    assert run.train_pairs == len(records) > 15


def test_mc_on_training_pairs_does_not_fall(trained, tiny_model):
    from navab_eval.mc import evaluate_mc

    run, records = trained
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    tok = AutoTokenizer.from_pretrained(tiny_model)
    before = evaluate_mc(records, base, tokenizer=tok, batch_size=8)
    after = evaluate_mc(records, run.model, tokenizer=run.tokenizer, batch_size=8)
    rate = lambda items: sum(bool(i["correct"]) for i in items) / len(items)  # noqa: E731
    gap = lambda items: sum(math.log(i["ppl_rs"]) - math.log(i["ppl_s"]) for i in items) / len(items)  # noqa: E731
    assert rate(before) < 1.0  # the random model gets some pairs wrong, so there is room to fall or rise
    assert rate(after) >= rate(before)
    assert gap(after) > gap(before)  # S became likelier relative to RS on the pairs trained on


def test_adapter_reloads_with_same_logits(trained, tiny_model):
    run, records = trained
    tok = run.tokenizer
    batch = tok([r.question for r in records[:4]], return_tensors="pt", padding=True)
    with torch.no_grad():
        trained_logits = run.model(**batch).logits
        base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
        base_logits = base(**batch).logits
        reloaded = PeftModel.from_pretrained(base, run.weights_dir).eval()
        reloaded_logits = reloaded(**batch).logits
    assert torch.allclose(trained_logits, reloaded_logits, atol=1e-5)
    assert not torch.allclose(base_logits, reloaded_logits, atol=1e-4)  # the adapter is not a no-op


def test_artefacts(trained):
    run, _ = trained
    out = run.out_dir
    logged = [json.loads(line) for line in (out / "train_log.jsonl").read_text().splitlines()]
    assert [e["loss"] for e in logged if "loss" in e] == [h["loss"] for h in run.log_history if "loss" in h]
    assert resolve_config(out / "config.yaml") == run.settings
    assert json.loads((out / "config.json").read_text())["learning_rate"] == 5e-3
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    info = json.loads((out / "run.json").read_text())
    assert info["global_steps"] == 20 and info["precision"] == "fp32" and info["train_pairs"] == run.train_pairs
    assert (run.weights_dir / "adapter_config.json").is_file()


def test_prompt_matches_mc_scorer(trained):
    from navab_eval import prompts

    from navab_train.data import pair_texts

    _, records = trained
    r = records[0]
    pair = pair_texts(r)
    assert pair["prompt"] == f"{r.question} {prompts.answer_prefix('en')}"
    assert pair["chosen"] == " " + r.statement and pair["rejected"] == " " + r.reverse_statement
    zh = pair_texts(type(r)(**{**r.to_dict(), "language": "zh"}))
    assert zh["prompt"].endswith("我的答案是") and zh["chosen"] == r.statement
