"""The paper's ablation (section 4.4, Table 3; Figure 6 for the before/after bars).

1. base model, test split of the snapshot exported WITHOUT Conflict Reduction  -> "NaVAB without CR"
2. base model, test split of the snapshot exported WITH Conflict Reduction     -> "NaVAB with CR"
3. DPO on the with-CR train split, then the with-CR test split again           -> "NaVAB with CR + DPO"
Scoring is navab_eval's (MC always; AJ with the offline embedding judge when asked), so the numbers are the
benchmark's own. The base model is loaded once by the same loader training uses, so rows 2 and 3 differ only
by the adapter.
"""
from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console

from .config import DPOSettings
from .data import load_records, select
from .dpo import run_dpo
from .models import load_for_training, resolve_model
from .plots import plot_before_after
from .table import before_after, rates, to_rich, write_tables


@dataclass
class AblationResult:
    table: pd.DataFrame  # long form: variant, method, set, nation, correct_rate, n, ci_low, ci_high, invalid
    files: dict[str, Path]


def evaluate(records: list[Any], model, tokenizer, settings: DPOSettings, aj: bool, batch_size: int,
             max_new_tokens: int, quiet: bool = True) -> dict[str, list[dict]]:
    """Score records with navab_eval: {"mc": items, "aj": items (when asked)}."""
    from navab_eval.mc import evaluate_mc

    out = {"mc": evaluate_mc(records, model, tokenizer=tokenizer, backend="hf", batch_size=batch_size,
                             chat_template=settings.chat_template, quiet=quiet)}
    if aj:
        from navab_eval.aj import evaluate_aj

        out["aj"] = evaluate_aj(records, model, tokenizer=tokenizer, backend="hf", judge="embedding",
                                batch_size=batch_size, chat_template=settings.chat_template,
                                max_new_tokens=max_new_tokens, seed=settings.seed)
    return out


def _write_items(path: Path, variant: str, scored: dict[str, list[dict]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for method, items in scored.items():
            for it in items:
                f.write(json.dumps({"variant": variant, "method": method, **it}, default=str) + "\n")


def _limit(records: list[Any], n: int) -> list[Any]:
    """At most n test items per nation x set, the first by id (quick runs such as `make demo`)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for r in sorted(records, key=lambda r: r.id):
        k = (r.nation, r.set)
        if seen.get(k, 0) < n:
            seen[k] = seen.get(k, 0) + 1
            out.append(r)
    return out


def run_ablation(data_with_cr: Path, data_without_cr: Path, model_spec: str, out_dir: Path, settings: DPOSettings,
                 aj: bool = False, batch_size: int = 8, max_new_tokens: int = 48, cache_dir: Path | None = None,
                 quiet: bool = False, console: Console | None = None, limit: int | None = None) -> AblationResult:
    console = console or Console(quiet=quiet)
    say = lambda m: console.print(m, highlight=False)  # noqa: E731
    out_dir.mkdir(parents=True, exist_ok=True)
    # Read and check both snapshots before spending time on models; each by its condition, so that the root
    # `navab-graph run` writes (with_cr/ and without_cr/ below it) can be passed as both.
    with_cr = load_records(data_with_cr, say, conditions=("with_cr",))
    without_cr = load_records(data_without_cr, say, conditions=("without_cr",))
    # train pairs whose statement is in the with-CR test split are dropped (and counted; dpo/run.json `data`)
    train = select(with_cr, "train", settings, data_with_cr, say=say)
    test_with = select(with_cr, "test", settings, data_with_cr, say=say)
    test_without = select(without_cr, "test", settings, data_without_cr, say=say)
    if limit is not None:
        test_with, test_without = _limit(test_with, limit), _limit(test_without, limit)
    say(f"test items: without CR {len(test_without)}, with CR {len(test_with)}; DPO train pairs {len(train)}")

    source = resolve_model(model_spec, cache_dir, say)
    model, tokenizer, _, _ = load_for_training(source, settings.precision, say)
    model.eval()
    parts: list[pd.DataFrame] = []

    def score(variant: str, records, m, tok) -> None:
        say(f"scoring '{variant}' on {len(records)} items")
        scored = evaluate(records, m, tok, settings, aj, batch_size, max_new_tokens, quiet)
        slug = variant.lower().replace(" + ", "_").replace(" ", "_")
        _write_items(out_dir / f"items_{slug}.jsonl", variant, scored)
        parts.append(rates([it for items in scored.values() for it in items], variant))

    score("NaVAB without CR", test_without, model, tokenizer)
    score("NaVAB with CR", test_with, model, tokenizer)
    del model
    gc.collect()

    run = run_dpo(train, source, out_dir / "dpo", settings, quiet=quiet, say=say)
    score("NaVAB with CR + DPO", test_with, run.model, run.tokenizer)

    long = pd.concat(parts, ignore_index=True)
    files = write_tables(long, out_dir, Path(source.path).name)
    labels, before, after = before_after(long)
    files["png"] = plot_before_after(labels, before, after, out_dir / "ablation.png",
                                     title=f"Before / after DPO ({Path(source.path).name}, test split, with CR)")
    files["adapter"] = run.weights_dir
    for t in to_rich(long, Path(source.path).name):
        console.print(t)
    return AblationResult(long, files)
