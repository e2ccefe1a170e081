"""`navab-eval` command line: mc, aj, table."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .run import RunConfig, run

app = typer.Typer(help="NaVAB evaluation: MC and AJ correct rates of LLMs on navab-graph snapshots.",
                  no_args_is_help=True, add_completion=False)
console = Console()

DATA = typer.Option(..., "--data", help="Snapshot root, nation dir, one .parquet/.jsonl file, or NaVAB release JSON")
MODEL = typer.Option(..., "--model", help="Hub id, local dir, /path/x.gguf, or 'smollm2' (offline SmolLM2-135M)")


def _common(method, data, model, backend, gguf_file, base_url, chat_template, split, sets, nations, limit, batch_size,
            device, dtype, max_length, out, no_cache, cache_dir, quiet, no_verify, **extra) -> RunConfig:
    if split not in ("train", "test", "all"):
        raise typer.BadParameter(f"--split must be train, test or all, not {split!r}")
    return RunConfig(method=method, data=data, model=model, backend=backend, gguf_file=gguf_file,
                     base_url=base_url, chat_template=chat_template, split=split, sets=sets or [],
                     nations=nations or [], limit=limit, batch_size=batch_size, device=device, dtype=dtype,
                     max_length=max_length, out=out or f"navab-eval-out/{method}", cache=not no_cache,
                     cache_dir=cache_dir, quiet=quiet, verify=not no_verify, **extra)


def _execute(cfg: RunConfig) -> None:
    from .backends.openai_backend import BackendError
    from .judges import JudgeError
    from .models import ModelLoadError
    from .snapshot import SnapshotError

    try:
        summary = run(cfg)
    except (SnapshotError, ModelLoadError, JudgeError, BackendError, ImportError, ValueError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from e
    if not cfg.quiet:
        for g in summary["groups"]:
            console.print(f"{g['model']} {g['method'].upper()} {g['nation']} {g['set']}: "
                          f"{g['correct_rate']:.3f} (n={g['n']})")
        console.print(f"{summary['n']} items in {summary['seconds']} s ({summary['items_per_s']} items/s), "
                      f"{summary['cached_items']} cached, {summary['truncated']} truncated -> {cfg.out}")


COMMON_HELP = dict(
    backend=typer.Option("hf", help="hf | vllm | openai"),
    gguf_file=typer.Option(None, "--gguf-file", help="GGUF file name inside the --model directory"),
    base_url=typer.Option(None, "--base-url", help="OpenAI-compatible endpoint for --backend openai"),
    chat_template=typer.Option(False, "--chat-template", help="Wrap the question in the model's chat template"),
    split=typer.Option("all", help="train | test | all"),
    sets=typer.Option(None, "--set", help="quoted / official (repeatable; default both)"),
    nations=typer.Option(None, "--nation", help="ISO code, e.g. CN (repeatable; default all)"),
    limit=typer.Option(None, "--limit", help="At most N items per nation x set (the first by id): quick runs"),
    batch_size=typer.Option(8, "--batch-size", min=1),
    device=typer.Option(None, help="cpu, cuda, cuda:1 (default: cuda when available)"),
    dtype=typer.Option("auto", help="auto (bf16 on GPU, float32 on CPU), float32, bfloat16, float16"),
    max_length=typer.Option(None, "--max-length", help="Override the model context; longer inputs are cut left"),
    out=typer.Option(None, "--out", help="Output directory for items.jsonl and summary.json"),
    no_cache=typer.Option(False, "--no-cache", help="Recompute every item and judge call"),
    cache_dir=typer.Option(None, "--cache-dir", help="Cache root (default $NAVAB_EVAL_CACHE or ~/.cache/navab-eval)"),
    quiet=typer.Option(False, "--quiet", help="No progress bars or per-group lines"),
    no_verify=typer.Option(False, "--no-verify", help="Skip the manifest sha256 check"),
)


@app.command("mc")
def mc_cmd(data: str = DATA, model: str = MODEL, backend: str = COMMON_HELP["backend"],
           gguf_file: Optional[str] = COMMON_HELP["gguf_file"], base_url: Optional[str] = COMMON_HELP["base_url"],
           chat_template: bool = COMMON_HELP["chat_template"], split: str = COMMON_HELP["split"],
           sets: Optional[List[str]] = COMMON_HELP["sets"], nations: Optional[List[str]] = COMMON_HELP["nations"],
           limit: Optional[int] = COMMON_HELP["limit"], batch_size: int = COMMON_HELP["batch_size"], device: Optional[str] = COMMON_HELP["device"],
           dtype: str = COMMON_HELP["dtype"], max_length: Optional[int] = COMMON_HELP["max_length"],
           out: Optional[str] = COMMON_HELP["out"], no_cache: bool = COMMON_HELP["no_cache"],
           cache_dir: Optional[str] = COMMON_HELP["cache_dir"], quiet: bool = COMMON_HELP["quiet"],
           no_verify: bool = COMMON_HELP["no_verify"]):
    """Multiple-Choice: correct when PPL(" <answer prefix> S") < PPL(RS) given the question.

    Example: navab-eval mc --data snapshots/ --model smollm2 --split test --out results/smollm2-mc
    """
    _execute(_common("mc", **locals()))


@app.command("aj")
def aj_cmd(data: str = DATA, model: str = MODEL,
           judge: str = typer.Option("embedding", help="'embedding' (offline) or an OpenAI-compatible chat model"),
           judge_base_url: Optional[str] = typer.Option(None, "--judge-base-url",
                                                        help="Judge endpoint (else $NAVAB_JUDGE_BASE_URL)"),
           temperature: float = typer.Option(0.0, help="Answer sampling temperature (0 = greedy)"),
           seed: int = typer.Option(0, help="Seed for sampling and for the A/B order"),
           max_new_tokens: int = typer.Option(128, "--max-new-tokens", min=1),
           backend: str = COMMON_HELP["backend"],
           gguf_file: Optional[str] = COMMON_HELP["gguf_file"], base_url: Optional[str] = COMMON_HELP["base_url"],
           chat_template: bool = COMMON_HELP["chat_template"], split: str = COMMON_HELP["split"],
           sets: Optional[List[str]] = COMMON_HELP["sets"], nations: Optional[List[str]] = COMMON_HELP["nations"],
           limit: Optional[int] = COMMON_HELP["limit"], batch_size: int = COMMON_HELP["batch_size"], device: Optional[str] = COMMON_HELP["device"],
           dtype: str = COMMON_HELP["dtype"], max_length: Optional[int] = COMMON_HELP["max_length"],
           out: Optional[str] = COMMON_HELP["out"], no_cache: bool = COMMON_HELP["no_cache"],
           cache_dir: Optional[str] = COMMON_HELP["cache_dir"], quiet: bool = COMMON_HELP["quiet"],
           no_verify: bool = COMMON_HELP["no_verify"]):
    """Answer-Judgment: the model answers Q, a judge says whether the answer is closer to S or RS.

    API key of an LLM judge: $NAVAB_JUDGE_API_KEY or $OPENAI_API_KEY.

    Example: navab-eval aj --data snapshots/ --model smollm2 --judge gpt-4o-mini --out results/smollm2-aj
    """
    _execute(_common("aj", **locals()))


@app.command("table")
def table_cmd(results: List[Path] = typer.Argument(..., help="summary.json files or output directories"),
              out: Optional[Path] = typer.Option(None, "--out", help="Write table.csv, table.md, heatmap.png here")):
    """Print the paper's Table 2 layout (models x nations x MC/AJ, quoted and official blocks).

    Example: navab-eval table results/*/ --out results/table
    """
    from . import table as t

    try:
        wide = t.wide(t.load_groups(results))
    except (FileNotFoundError, ValueError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from e
    console.print(t.to_rich(wide))
    if out:
        out.mkdir(parents=True, exist_ok=True)
        t.to_csv(wide, out / "table.csv")
        (out / "table.md").write_text(t.to_markdown(wide), encoding="utf-8")
        t.heatmap(wide, out / "heatmap.png")
        console.print(f"wrote {out / 'table.csv'}, {out / 'table.md'}, {out / 'heatmap.png'}")


if __name__ == "__main__":
    app()
