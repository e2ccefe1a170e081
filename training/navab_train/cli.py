"""`navab-train` command line (typer)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .config import ConfigError, resolve_config
from .data import DataError
from .models import ModelError, silence_libraries

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="DPO (trl + peft LoRA) on NaVAB snapshots, and the Conflict Reduction ablation.")
err = Console(stderr=True, soft_wrap=True)  # long paths must stay greppable


def _fail(e: Exception) -> None:
    err.print(f"[red]error:[/] {e}", highlight=False)
    raise typer.Exit(2)


def _overrides(max_steps, lora, seed, precompute_ref, learning_rate, epochs, nations, sets) -> dict:
    return {"max_steps": max_steps, "use_lora": lora, "seed": seed, "precompute_ref_log_probs": precompute_ref,
            "learning_rate": learning_rate, "num_train_epochs": epochs,
            "nations": list(nations) if nations else None, "sets": list(sets) if sets else None}


DATA_HELP = "Snapshot: a root of nation dirs, one nation dir (with manifest.json), or one set file."
MODEL_HELP = "Hub name, checkpoint dir, a .gguf file, or the alias 'smollm2' (offline SmolLM2-135M-Instruct)."


@app.command("dpo")
def dpo_cmd(
    data: Path = typer.Option(..., "--data", help=DATA_HELP),
    model: str = typer.Option(..., "--model", help=MODEL_HELP),
    out: Path = typer.Option(..., "--out", help="Output dir: adapter/, config.yaml, train_log.jsonl, curves.png."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file overriding the paper's defaults."),
    lora: Optional[bool] = typer.Option(None, "--lora/--full", help="LoRA adapter (default) or full fine-tuning."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Stop after N optimizer steps."),
    epochs: Optional[float] = typer.Option(None, "--epochs", help="Epochs (default 3, the paper's)."),
    learning_rate: Optional[float] = typer.Option(None, "--lr", help="Learning rate (default 5e-5)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default 42)."),
    precompute_ref: Optional[bool] = typer.Option(None, "--precompute-ref/--no-precompute-ref",
                                                  help="Compute reference log-probs once before training."),
    nation: Optional[list[str]] = typer.Option(None, "--nation", help="Train on these nations only (repeat)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="quoted and/or official (repeat)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Where GGUF models are dequantised to."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or info messages."),
) -> None:
    """Train a DPO adapter on a snapshot's train split.

    Example: navab-train dpo --data snapshots/with_cr --model smollm2 --out runs/dpo --max-steps 20
    """
    from .data import load_records, select
    from .dpo import run_dpo
    from .models import resolve_model

    console = Console(quiet=quiet, soft_wrap=True)
    if quiet:
        silence_libraries()
    say = lambda m: console.print(m, highlight=False)  # noqa: E731
    try:
        settings = resolve_config(config, _overrides(max_steps, lora, seed, precompute_ref, learning_rate, epochs,
                                                     nation, set_))
        records = select(load_records(data, say), "train", settings, data, say=say)
        source = resolve_model(model, cache_dir, say)
        run = run_dpo(records, source, out, settings, quiet=quiet, say=say)
    except (ConfigError, DataError, ModelError) as e:
        _fail(e)
    last = next((h for h in reversed(run.log_history) if "rewards/margins" in h), {})
    say(f"[green]done[/]: {run.train_pairs} pairs, reward margin {last.get('rewards/margins', float('nan')):.4f}, "
        f"{run.samples_per_second:.2f} samples/s; weights in {run.weights_dir}")


@app.command("ablation")
def ablation_cmd(
    data_with_cr: Path = typer.Option(..., "--data-with-cr", help="Snapshot exported with Conflict Reduction."),
    data_without_cr: Path = typer.Option(..., "--data-without-cr", help="Snapshot exported with --without-cr."),
    model: str = typer.Option(..., "--model", help=MODEL_HELP),
    out: Path = typer.Option(..., "--out", help="Output dir: ablation.csv/.md, ablation.png, dpo/, items_*.jsonl."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file overriding the DPO defaults."),
    aj: bool = typer.Option(False, "--aj", help="Also score Answer-Judgment with the offline embedding judge."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Stop DPO after N optimizer steps."),
    epochs: Optional[float] = typer.Option(None, "--epochs", help="DPO epochs (default 3)."),
    learning_rate: Optional[float] = typer.Option(None, "--lr", help="DPO learning rate (default 5e-5)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default 42)."),
    batch_size: int = typer.Option(8, "--batch-size", help="Evaluation batch size."),
    max_new_tokens: int = typer.Option(48, "--max-new-tokens", help="AJ answer length."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Score at most N test items per nation x set "
                                        "(the first by id): quick runs such as make demo."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Where GGUF models are dequantised to."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or info messages."),
) -> None:
    """The paper's Table 3: base model on the test split without and with CR, then with CR + DPO.

    Example: navab-train ablation --data-with-cr snap/cr --data-without-cr snap/nocr --model smollm2 --out runs/abl
    """
    from .ablation import run_ablation

    console = Console(quiet=quiet, soft_wrap=True)
    if quiet:
        silence_libraries()
    try:
        settings = resolve_config(config, _overrides(max_steps, None, seed, None, learning_rate, epochs, None, None))
        result = run_ablation(data_with_cr, data_without_cr, model, out, settings, aj=aj, batch_size=batch_size,
                              max_new_tokens=max_new_tokens, cache_dir=cache_dir, quiet=quiet, console=console,
                              limit=limit)
    except (ConfigError, DataError, ModelError) as e:
        _fail(e)
    console.print(f"[green]done[/]: {', '.join(str(p) for p in result.files.values())}", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
