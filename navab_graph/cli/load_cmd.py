"""`navab-graph load PATH --nation CODE`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import console, fail, print_rows, state, store_for


def register(app: typer.Typer) -> None:
    @app.command("load")
    def load_cmd(ctx: typer.Context, path: Path = typer.Argument(..., help="File or folder of news."),
                 nation: Optional[str] = typer.Option(None, "--nation", "-n", help="ISO code: CN, US, GB, FR, DE..."),
                 source: Optional[str] = typer.Option(None, "--source", help="Source id; article ids are "
                                                      "source:record id (default: each file's name without its "
                                                      "extension; navab-<NATION> for NaVAB release files)."),
                 fmt: str = typer.Option("auto", "--format", help="auto|jsonl|json|csv|parquet|navab"),
                 preset: Optional[str] = typer.Option(None, "--preset", help="Field mapping of a known corpus "
                                                      "(e.g. mnbvc-qa-mfa, bbc-alltime)."),
                 field: List[str] = typer.Option([], "--field", help="Article field=record field, e.g. text=content"),
                 lang: Optional[str] = typer.Option(None, "--lang", help="Language code, or 'auto' to detect."),
                 strict: bool = typer.Option(False, "--strict", help="Stop at the first bad record (or date "
                                             "that cannot be read) with its file, line and reason."),
                 bulk: Optional[bool] = typer.Option(None, "--bulk/--no-bulk", help="Create articles not yet in "
                                                     "the graph with FalkorDB's GRAPH.BULK (faster than MERGE; "
                                                     "embedded engine only); ids already there are merged either "
                                                     "way. Default: bulk for a nation without any article yet."),
                 as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object.")):
        """Load news articles (and ready-made statements) into the graph; idempotent.

        Bad records go to <data dir>/quarantine.jsonl with file, line, reason and raw text; the load goes on.

        Example: navab-graph load bbc.jsonl --nation GB --preset bbc-alltime

        Example: navab-graph load more_news.jsonl --nation GB --bulk

        Example: navab-graph --quiet load news.jsonl -n FR --json | jq .quarantined
        """
        from navab_loaders import UnknownNation
        from navab_loaders.presets import UnknownPreset
        from navab_loaders.readers import UnreadableFile

        from ..stages.load import StrictModeError, load

        st = state(ctx)
        fmap = {}
        for f in field:
            if "=" not in f:
                fail(f"--field {f!r}: expected article_field=record_field (e.g. text=content)")
            k, v = f.split("=", 1)
            if k not in ("id", "text", "title", "url", "published", "lang"):
                fail(f"--field {f!r}: unknown article field {k!r} (id, text, title, url, published, lang)")
            fmap[k] = v
        with store_for(ctx, write=True) as store:
            try:
                rep = load(store, st.settings, path, nation=nation, source=source, fmt=fmt, preset=preset,
                           field_map=fmap, lang=lang, strict=strict, quiet=st.quiet, bulk=bulk)
            except (UnknownNation, UnknownPreset, UnreadableFile, StrictModeError, ValueError, OSError) as e:
                fail(str(e))
        d = rep.as_dict()
        if as_json:
            import json

            print(json.dumps({**d, "nation": nation.upper() if nation else None}, ensure_ascii=False))
            return
        rate = d["read"] / d["seconds"] if d["seconds"] else 0
        print_rows([{"read": d["read"], "loaded": d["loaded"], "updated": d["updated"],
                     "quarantined": d["quarantined"], "date warnings": d["warnings"], "truncated": d["truncated"],
                     "statements": d["statements"], "written by": d["write_path"], "seconds": round(d["seconds"], 2),
                     "records/s": round(rate)}],
                   title="load")
        say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
        srcs = rep.sources
        say("source" + ("s" if len(srcs) != 1 else "") + ": " + ", ".join(srcs[:10])
            + (f" and {len(srcs) - 10} more" if len(srcs) > 10 else "") + " (ids are source:record id)")
        if len(srcs) > 1 and not source and not preset:
            say("each file is its own source (named after the file); pass --source NAME to load them as one")
        if rep.statements_dropped:
            say(f"{rep.statements_dropped} ready-made statement(s) no longer in their re-loaded article were deleted "
                "(a link or reduce already run for the nation is stale now)")
        if rep.skipped:
            say(f"not read ({len(rep.skipped)} file(s) of an unknown format or hidden): " + ", ".join(rep.skipped[:5])
                + (" ..." if len(rep.skipped) > 5 else ""))
        if rep.quarantine_file:
            say(f"quarantined records: {rep.quarantine_file} (first: {rep.first_problem}); fix them in the "
                "source file and load it again (loaded rows are updated, not duplicated)")
