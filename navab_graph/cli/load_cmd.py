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
                 source: Optional[str] = typer.Option(None, "--source", help="Source id (default: file name)."),
                 fmt: str = typer.Option("auto", "--format", help="auto|jsonl|json|csv|parquet|navab"),
                 preset: Optional[str] = typer.Option(None, "--preset", help="Field mapping of a known corpus "
                                                      "(e.g. mnbvc-qa-mfa, bbc-alltime)."),
                 field: List[str] = typer.Option([], "--field", help="Article field=record field, e.g. text=content"),
                 lang: Optional[str] = typer.Option(None, "--lang", help="Language code, or 'auto' to detect."),
                 strict: bool = typer.Option(False, "--strict", help="Any bad record is an error exit.")):
        """Load news articles (and ready-made statements) into the graph; idempotent.

        Example: navab-graph load bbc.jsonl --nation GB --preset bbc-alltime
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
                           field_map=fmap, lang=lang, strict=strict, quiet=st.quiet)
            except (UnknownNation, UnknownPreset, UnreadableFile, StrictModeError, ValueError) as e:
                fail(str(e))
        d = rep.as_dict()
        rate = d["read"] / d["seconds"] if d["seconds"] else 0
        print_rows([{"read": d["read"], "loaded": d["loaded"], "updated": d["updated"],
                     "quarantined": d["quarantined"], "truncated": d["truncated"], "statements": d["statements"],
                     "seconds": round(d["seconds"], 2), "records/s": round(rate)}], title="load")
        if rep.quarantine_file:
            console.print(f"quarantined records: {rep.quarantine_file}")
