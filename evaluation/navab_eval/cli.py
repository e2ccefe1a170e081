"""`navab-eval` command line: mc, aj, table, show."""
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

DATA = typer.Option(..., "--data", help="Snapshot root (also the with_cr/ + without_cr/ root `navab-graph run` "
                    "writes), nation dir, one .parquet/.jsonl file, or NaVAB release JSON")
MODEL = typer.Option(..., "--model", help="Hub id, local dir, /path/x.gguf, or 'smollm2' (offline SmolLM2-135M)")


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(2)


def _common(method, data, model, backend, gguf_file, revision, base_url, chat_template, split, sets, nations,
            conditions, limit, batch_size, device, dtype, max_length, bos, out, no_cache, cache_dir, quiet, no_verify,
            **extra) -> RunConfig:
    if split not in ("train", "test", "all"):
        raise typer.BadParameter(f"--split must be train, test or all, not {split!r}")
    return RunConfig(method=method, data=data, model=model, backend=backend, gguf_file=gguf_file, revision=revision,
                     base_url=base_url, chat_template=chat_template, split=split, sets=sets or [],
                     nations=nations or [], conditions=conditions or [], limit=limit, batch_size=batch_size,
                     device=device, dtype=dtype, max_length=max_length, bos=bos,
                     out=out or f"navab-eval-out/{method}", cache=not no_cache, cache_dir=cache_dir, quiet=quiet,
                     verify=not no_verify, **extra)


def _execute(cfg: RunConfig) -> None:
    from .backends.openai_backend import BackendError
    from .judges import JudgeError
    from .models import ModelLoadError
    from .snapshot import SnapshotError
    from .stats import fmt

    try:
        summary = run(cfg)
    except (SnapshotError, ModelLoadError, JudgeError, BackendError, ImportError, ValueError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from e
    if not cfg.quiet:
        for g in summary["groups"]:
            cond = f" {g['condition']}" if g.get("condition") else ""
            invalid = f", {g['invalid']} judge failures left out" if g.get("invalid") else ""
            console.print(f"{g['model']} {g['method'].upper()}{cond} {g['nation']} {g['set']}: "
                          f"{fmt(g['correct_rate'], g['ci_low'], g['ci_high'], g['n'])}{invalid}",
                          highlight=False, soft_wrap=True)
        console.print(f"{summary['items']} items in {summary['seconds']} s ({summary['items_per_s']} items/s), "
                      f"{summary['cached_items']} cached, {summary['truncated']} truncated -> {cfg.out}",
                      highlight=False, soft_wrap=True)


COMMON_HELP = dict(
    backend=typer.Option("hf", help="hf | vllm | openai"),
    gguf_file=typer.Option(None, "--gguf-file", help="GGUF file name inside the --model directory"),
    revision=typer.Option(None, "--revision", help="Hub branch, tag or commit of --model (hf backend)"),
    base_url=typer.Option(None, "--base-url", help="OpenAI-compatible endpoint for --backend openai"),
    chat_template=typer.Option(False, "--chat-template", help="Wrap the question in the model's chat template"),
    split=typer.Option("all", help="train | test | all"),
    sets=typer.Option(None, "--set", help="quoted / official (repeatable; default both)"),
    nations=typer.Option(None, "--nation", help="ISO code, e.g. CN (repeatable; default all)"),
    conditions=typer.Option(None, "--condition", help="with_cr / without_cr (repeatable; default every snapshot "
                            "found under --data, each labelled)"),
    limit=typer.Option(None, "--limit", help="At most N items per condition x nation x set (the first by id)"),
    batch_size=typer.Option(8, "--batch-size", min=1),
    device=typer.Option(None, help="cpu, cuda, cuda:1 (default: cuda when available)"),
    dtype=typer.Option("auto", help="auto (bf16 on GPU, float32 on CPU), float32, bfloat16, float16"),
    max_length=typer.Option(None, "--max-length", help="Override the model context; longer inputs are cut left"),
    bos=typer.Option("auto", "--bos", help="Prepend BOS: auto (as the tokenizer does itself, like lm-eval), "
                     "always, never"),
    out=typer.Option(None, "--out", help="Output directory for items.jsonl and summary.json"),
    no_cache=typer.Option(False, "--no-cache", help="Recompute every item and judge call"),
    cache_dir=typer.Option(None, "--cache-dir", help="Cache root (default $NAVAB_EVAL_CACHE or ~/.cache/navab-eval)"),
    quiet=typer.Option(False, "--quiet", help="No progress bars (also transformers' own) or per-group lines"),
    no_verify=typer.Option(False, "--no-verify", help="Skip the manifest sha256 check"),
)


@app.command("mc")
def mc_cmd(data: str = DATA, model: str = MODEL, backend: str = COMMON_HELP["backend"],
           gguf_file: Optional[str] = COMMON_HELP["gguf_file"], revision: Optional[str] = COMMON_HELP["revision"],
           base_url: Optional[str] = COMMON_HELP["base_url"], chat_template: bool = COMMON_HELP["chat_template"],
           split: str = COMMON_HELP["split"], sets: Optional[List[str]] = COMMON_HELP["sets"],
           nations: Optional[List[str]] = COMMON_HELP["nations"],
           conditions: Optional[List[str]] = COMMON_HELP["conditions"], limit: Optional[int] = COMMON_HELP["limit"],
           batch_size: int = COMMON_HELP["batch_size"], device: Optional[str] = COMMON_HELP["device"],
           dtype: str = COMMON_HELP["dtype"], max_length: Optional[int] = COMMON_HELP["max_length"],
           normalize: str = typer.Option("mean", "--normalize", help="mean (per token: the paper's PPL), sum "
                                         "(lm-eval acc), bytes (acc_bytes), chars (acc_norm)"),
           bos: str = COMMON_HELP["bos"], out: Optional[str] = COMMON_HELP["out"],
           no_cache: bool = COMMON_HELP["no_cache"], cache_dir: Optional[str] = COMMON_HELP["cache_dir"],
           quiet: bool = COMMON_HELP["quiet"], no_verify: bool = COMMON_HELP["no_verify"]):
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
           seed: int = typer.Option(0, help="Seed for the A/B order and, per item with its id, for sampling"),
           max_new_tokens: int = typer.Option(128, "--max-new-tokens", min=1),
           backend: str = COMMON_HELP["backend"], gguf_file: Optional[str] = COMMON_HELP["gguf_file"],
           revision: Optional[str] = COMMON_HELP["revision"], base_url: Optional[str] = COMMON_HELP["base_url"],
           chat_template: bool = COMMON_HELP["chat_template"], split: str = COMMON_HELP["split"],
           sets: Optional[List[str]] = COMMON_HELP["sets"], nations: Optional[List[str]] = COMMON_HELP["nations"],
           conditions: Optional[List[str]] = COMMON_HELP["conditions"], limit: Optional[int] = COMMON_HELP["limit"],
           batch_size: int = COMMON_HELP["batch_size"], device: Optional[str] = COMMON_HELP["device"],
           dtype: str = COMMON_HELP["dtype"], max_length: Optional[int] = COMMON_HELP["max_length"],
           bos: str = COMMON_HELP["bos"], out: Optional[str] = COMMON_HELP["out"],
           no_cache: bool = COMMON_HELP["no_cache"], cache_dir: Optional[str] = COMMON_HELP["cache_dir"],
           quiet: bool = COMMON_HELP["quiet"], no_verify: bool = COMMON_HELP["no_verify"]):
    """Answer-Judgment: the model answers Q, a judge says whether the answer is closer to S or RS.

    API key of an LLM judge: $NAVAB_JUDGE_API_KEY or $OPENAI_API_KEY. Items whose judge fails are left out of
    the correct rate (counted as invalid) and asked again on the next run.

    Example: navab-eval aj --data snapshots/ --model smollm2 --judge gpt-4o-mini --out results/smollm2-aj
    """
    _execute(_common("aj", **locals()))


@app.command("table")
def table_cmd(results: List[Path] = typer.Argument(..., help="summary.json files or output directories"),
              out: Optional[Path] = typer.Option(None, "--out", help="Write table.csv, table.md, heatmap.png here")):
    """Print the paper's Table 2 layout (models x nations x MC/AJ, quoted and official blocks); every cell is
    the correct rate, its 95 % Wilson interval and n.

    Example: navab-eval table results/*/ --out results/table
    """
    from . import table as t

    try:
        df = t.load_groups(results)
    except (FileNotFoundError, ValueError) as e:
        _fail(str(e))
    for rich_table in t.to_rich_tables(df, console.width):
        console.print(rich_table)
    if out:
        out.mkdir(parents=True, exist_ok=True)
        t.to_csv(df, out / "table.csv")
        (out / "table.md").write_text(t.to_markdown(df), encoding="utf-8")
        t.heatmap(df, out / "heatmap.png")
        console.print(f"wrote {out / 'table.csv'}, {out / 'table.md'}, {out / 'heatmap.png'}", highlight=False,
                      soft_wrap=True)


@app.command("show")
def show_cmd(results: Path = typer.Argument(..., help="navab-eval output directory or its items.jsonl"),
             misaligned: bool = typer.Option(False, "--misaligned", help="List the items the model gets wrong "
                                             "(RS preferred over S), with their texts"),
             every: bool = typer.Option(False, "--all", help="List every item"),
             model: Optional[str] = typer.Option(None, "--model", help="Only this model"),
             method: Optional[str] = typer.Option(None, "--method", help="mc | aj"),
             nations: Optional[List[str]] = COMMON_HELP["nations"], sets: Optional[List[str]] = COMMON_HELP["sets"],
             conditions: Optional[List[str]] = typer.Option(None, "--condition", help="with_cr / without_cr"),
             limit: int = typer.Option(20, "--limit", help="At most N items listed (0 = all)"),
             as_json: bool = typer.Option(False, "--json", help="Print the selected items as a JSON list")):
    """Correct rates (n, 95 % interval) of a result folder and, with --misaligned, the items a model gets wrong:
    question/context, S, RS and the scores (MC) or the answer and the judge's reason (AJ).

    Example: navab-eval show results/smollm2-mc --misaligned --nation CN --limit 10
    """
    import json
    import sys

    from . import show as s

    try:
        items = s.load_items(results)
    except (FileNotFoundError, ValueError) as e:
        _fail(str(e))
    chosen = s.select(items, model=model, method=method, nations=nations, sets=sets, conditions=conditions)
    listed = [it for it in chosen if not s.aligned(it)] if misaligned else chosen if every else []
    if limit:
        listed_shown = listed[:limit]
    else:
        listed_shown = listed
    if as_json:
        sys.stdout.write(json.dumps(listed_shown if (misaligned or every) else s.groups(chosen),
                                    ensure_ascii=False, indent=2) + "\n")
        return
    s.render(console, chosen, listed, listed_shown, misaligned)


if __name__ == "__main__":
    app()
