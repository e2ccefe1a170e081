"""`navab-graph verify sample|import|stats`: human verification of a benchmark (paper Appendix B, Table 7)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import console, err_console, fail, print_rows, state, store_for

verify_app = typer.Typer(no_args_is_help=True, help="Human verification (paper Appendix B): sample a sheet, "
                         "import the filled sheets, print the rates.\n\n"
                         "Example: navab-graph verify sample --nation CN --n 100 --out verify/CN")


def _nation(code: str) -> str:
    from navab_loaders import UnknownNation, check_nation

    try:
        return check_nation(code)
    except UnknownNation as e:
        fail(str(e))


def _stats_rows(stats: dict) -> list[dict]:
    def pct(v):
        return "" if v is None else f"{100 * v:.1f}%"
    return [{"nation": n, "n": s["n"], "align_rate": pct(s["align_rate"]), "conflict_rate": pct(s["conflict_rate"]),
             "unrelated_rate": pct(s["unrelated_rate"]),
             "kappa": "n/a" if s["kappa"] is None else f"{s['kappa']:.3f}",
             "agreement": pct(s["agreement"]), "overlap_items": s["overlap"], "annotators": s["annotators"]}
            for n, s in stats.items()]


def _print_stats(stats: dict, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=1) + "\n")
    else:
        print_rows(_stats_rows(stats), title="human verification (paper Table 7)")


@verify_app.command("sample")
def sample_cmd(ctx: typer.Context,
               nation: str = typer.Option(..., "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
               n: int = typer.Option(100, "--n", help="Statements to sample (the paper: 100)."),
               out: Path = typer.Option(..., "--out", "-o", help="Folder for sheet.csv and index.html."),
               anchor: Optional[str] = typer.Option(None, "--anchor", help="Statement id of the verified "
                                                    "original (default: the kept statement of highest weight)."),
               annotators: int = typer.Option(2, "--annotators", help="Number of annotators."),
               overlap: Optional[int] = typer.Option(None, "--overlap", help="Items every annotator labels (the "
                                                    "cross-checked subset; default a fifth of --n)."),
               names: Optional[str] = typer.Option(None, "--names", help="Comma-separated annotator names "
                                                   "(default annotator1, annotator2, ...)."),
               seed: int = typer.Option(0, "--seed", help="Random seed of the sample."),
               as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")):
    """Write DIR/sheet.csv (one row per item and annotator) and DIR/index.html (an offline annotation page
    that saves the filled sheet as CSV).

    Example: navab-graph verify sample --nation CN --n 100 --out verify/CN --annotators 3 --overlap 20 --seed 1
    """
    from ..verify import VerifyError, sample_sheet

    code = _nation(nation)
    who = [x.strip() for x in names.split(",")] if names else None
    if overlap is None:
        overlap = n // 5 if annotators > 1 else 0
    with store_for(ctx) as store:
        try:
            res = sample_sheet(store, code, out, n=n, anchor=anchor, annotators=annotators, overlap=overlap,
                               seed=seed, names=who)
        except VerifyError as e:
            fail(str(e))
    for w in res.warnings:
        err_console.print(f"[yellow]warning:[/] {w}")
    if as_json:
        sys.stdout.write(json.dumps(res.as_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    print_rows([{"nation": res.nation, "anchor": res.anchor_id, "anchor chosen by": res.anchor_chosen,
                 "kept statements": res.population, "items": res.items, "overlap": res.overlap,
                 "annotators": ", ".join(res.annotators), "rows": res.rows}], title="verify sample")
    console.print(f"anchor: {res.anchor_text}")
    console.print(f"wrote {res.sheet} and {res.page}")


@verify_app.command("import")
def import_cmd(ctx: typer.Context,
               sheets: List[Path] = typer.Argument(..., help="Filled sheet CSV file(s)."),
               allow_blank: bool = typer.Option(False, "--allow-blank", help="Skip rows without a label instead "
                                                "of refusing the import."),
               as_json: bool = typer.Option(False, "--json", help="Print the per-nation figures as JSON.")):
    """Validate filled sheets (labels align|conflict|unrelated) and store them in the graph (idempotent), then
    print per nation n, align / conflict / unrelated rates and the inter-annotator kappa.

    Example: navab-graph verify import verify/CN/sheet_CN_annotator1.csv verify/CN/sheet_CN_annotator2.csv --json
    """
    from ..verify import VerifyError, import_sheets, nation_stats, stored_labels

    st = state(ctx)
    # a writing command: store_for holds the writer lock (no --nation: the lock of every nation)
    with store_for(ctx, write=True) as store:
        try:
            res = import_sheets(store, sheets, allow_blank=allow_blank, batch_size=st.settings.batch_size)
        except VerifyError as e:
            fail(str(e))
        stats = nation_stats(stored_labels(store, res.nations))
    if not as_json:
        console.print(f"imported {res.imported} label(s) from {len(res.files)} sheet(s): {res.new} new, "
                      f"{res.changed} changed, {res.unchanged} unchanged"
                      + (f"; {res.blank} unlabelled row(s) skipped" if res.blank else ""))
    _print_stats(stats, as_json)


@verify_app.command("stats")
def stats_cmd(ctx: typer.Context,
              nation: List[str] = typer.Option([], "--nation", "-n", help="Only these nations; repeatable."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Print the human-verification figures stored in the graph (per nation).

    Example: navab-graph verify stats --nation CN --json
    """
    from ..verify import nation_stats, stored_labels

    codes = [_nation(x) for x in nation] or None
    with store_for(ctx) as store:
        stats = nation_stats(stored_labels(store, codes))
    if not stats and not as_json:
        console.print("no human labels in the graph (run `navab-graph verify import SHEET.csv`)")
        return
    _print_stats(stats, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(verify_app, name="verify")
