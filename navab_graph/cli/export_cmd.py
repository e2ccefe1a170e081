"""`navab-graph export`, `navab-graph import-results`, `navab-graph snapshot diff`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from .common import console, err_console, fail, print_rows, state, store_for

snapshot_app = typer.Typer(no_args_is_help=True, help="Work with exported benchmark snapshots.\n\n"
                           "Example: navab-graph snapshot diff snap-v1/CN snap-v2/CN")


def register(app: typer.Typer) -> None:
    app.add_typer(snapshot_app, name="snapshot")

    @app.command("export")
    def export_cmd(ctx: typer.Context,
                   out: Path = typer.Option(..., "--out", "-o", help="Snapshot root; files go to OUT/<NATION>/."),
                   nation: Optional[str] = typer.Option(None, "--nation", "-n", help="ISO code: CN, US, GB..."),
                   all_: bool = typer.Option(False, "--all", help="Every nation that has triples."),
                   without_cr: bool = typer.Option(False, "--without-cr", help="All statements with their "
                                                   "cr_status (the ablation); default: kept ones only."),
                   formats: str = typer.Option("parquet,jsonl", "--format", help="Comma list: parquet,jsonl."),
                   as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON.")):
        """Export per-nation benchmark snapshots (docs/SNAPSHOT_FORMAT.md): quoted/official triples + manifest.

        Example: navab-graph export --nation CN --out snapshots/ --format parquet,jsonl
        """
        from navab_loaders import UnknownNation

        from ..export import ExportError, export_nation, nations_with_statements
        from ..export.stage import StaleExport

        if bool(nation) == all_:
            fail("pass exactly one of --nation CODE or --all")
        fmts = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
        st = state(ctx)
        reports, skipped, stale = [], [], []
        # the nation's writer lock (every nation's with --all): a reduce, load or extract must not change the
        # graph between the staleness check and the last row read, or the manifest would describe another state
        with store_for(ctx, lock=True) as store:
            try:
                targets = [nation] if nation else nations_with_statements(store)
                if not targets:
                    fail("the graph holds no statements: nothing to export (load news with statements first)")
                for code in targets:
                    try:
                        reports.append(export_nation(store, st.settings, code, out, with_cr=not without_cr,
                                                     formats=fmts, quiet=st.quiet))
                    except StaleExport as e:
                        if nation:
                            raise
                        stale.append(str(e))  # with --all: the others are exported, then a non-zero exit
                    except ExportError as e:
                        if nation:
                            raise
                        skipped.append(f"{code}: {e}")  # with --all, a nation without triples is reported
            except (ExportError, UnknownNation) as e:
                fail(str(e))
        for s in skipped:
            err_console.print(f"[yellow]skipped[/] {s}")
        for r in reports:
            for w in r.warnings:
                err_console.print(f"[yellow]warning:[/] {escape(w)}", soft_wrap=True, highlight=False)
        if not reports:
            fail(" | ".join(stale) or "no nation had triples to export")
        rows = [{"nation": r.nation,
                 **{f"{s} train/test": f"{r.counts[s]['train']}/{r.counts[s]['test']}" for s in ("quoted", "official")},
                 "left out": f"{r.incomplete} incomplete, {r.removed_skipped} removed, {r.duplicates} duplicates",
                 "CR": "applied" if r.with_conflict_reduction else "no",
                 "s": round(r.seconds, 2), "dir": r.out_dir} for r in reports]
        if as_json:
            sys.stdout.write(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=1) + "\n")
        else:
            print_rows(rows, title="export" + (" (without CR)" if without_cr else ""))
        if stale:
            fail(" | ".join(stale))

    @app.command("import-results")
    def import_results_cmd(ctx: typer.Context,
                           path: Path = typer.Argument(..., help="navab-eval output folder (holding items.jsonl, "
                                                       "or sub-folders that do), or an items.jsonl file."),
                           strict: bool = typer.Option(False, "--strict", help="A malformed row is an error exit."),
                           as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Load per-item evaluation results as (:Model)-[:EVALUATED]->(:Statement); idempotent.

        A bad line goes to <data dir>/quarantine.jsonl with file, line, reason and raw text; the import goes on.

        Example: navab-graph import-results navab-eval-out/ && navab-graph query model_summary
        """
        from ..stages.results import ResultsError, import_results

        st = state(ctx)
        with store_for(ctx, write=True) as store:
            try:
                rep = import_results(store, st.settings, path, strict=strict, quiet=st.quiet)
            except ResultsError as e:
                fail(str(e))
        if as_json:
            sys.stdout.write(json.dumps(rep.as_dict(), ensure_ascii=False, indent=1) + "\n")
        else:
            print_rows([{"files": len(rep.files), "read": rep.read, "imported": rep.imported,
                         "unknown_ids": rep.unknown, "malformed": rep.malformed, "judge_failed": rep.judge_failed,
                         "duplicates": rep.duplicates, "stale": rep.stale, "unverified": rep.unverified,
                         "models": ", ".join(rep.models), "seconds": round(rep.seconds, 2)}],
                       title="import-results")
        from rich.markup import escape as _esc  # problems quote the rows' own text

        for p in rep.problems:
            err_console.print(f"[yellow]quarantined[/] {_esc(p)}", soft_wrap=True, highlight=False)
        if rep.quarantine_file:
            err_console.print(f"quarantined rows: {_esc(rep.quarantine_file)} (fix them and import the same file "
                              "again: imported rows are updated, not duplicated)", soft_wrap=True, highlight=False)


@snapshot_app.command("diff")
def diff_cmd(a: Path = typer.Argument(..., help="Older snapshot: a nation folder or a snapshot root."),
             b: Path = typer.Argument(..., help="Newer snapshot: a nation folder or a snapshot root."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON (with example ids)."),
             verify: bool = typer.Option(True, "--verify/--no-verify", help="Check sha256 against the manifests."),
             examples: int = typer.Option(5, "--examples", help="Example ids per kind of change (--json).")):
    """Count added / removed / changed triples (by id) between two snapshots.

    Example: navab-graph snapshot diff snap-v1/CN snap-v2/CN --json
    """
    from ..export.diff import SnapshotReadError, diff_snapshots

    try:
        res = diff_snapshots(a, b, verify=verify, examples=examples)
    except SnapshotReadError as e:
        fail(str(e))
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=1) + "\n")
        return
    print_rows([{"nation": n, "a": d["a"], "b": d["b"], "added": d["added"], "removed": d["removed"],
                 "changed": d["changed"], "unchanged": d["unchanged"],
                 "changed_fields": ", ".join(f"{k}={v}" for k, v in d["changed_fields"].items() if v) or "-"}
                for n, d in res.items()], title=f"snapshot diff {a} -> {b}")
    console.print()
