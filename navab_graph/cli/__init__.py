"""`navab-graph` CLI: thin commands over the library. Each module in this package registers its commands
(`register(app)`), so a new stage adds one file and touches nothing else."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Optional

import typer

from ..config import load_settings
from .common import State

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False,
                  help="NaVAB national-value benchmarks as a graph (embedded FalkorDB or Neo4j).\n\n"
                       "Example: navab-graph load news.jsonl --nation CN && navab-graph db status")


@app.callback()
def _root(ctx: typer.Context,
          graph_url: Optional[str] = typer.Option(None, "--graph-url", envvar="NAVAB_GRAPH_URL",
                                                  help="embedded | falkor://host:port | bolt://host:7687"),
          data_dir: Optional[Path] = typer.Option(None, "--data-dir", envvar="NAVAB_DATA_DIR",
                                                  help="Data dir of the embedded engine and caches (.navab)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars (for scripts).")) -> None:
    ctx.obj = State(load_settings(graph_url=graph_url, data_dir=data_dir), quiet)


for mod in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
    if mod != "common":
        importlib.import_module(f"{__name__}.{mod}").register(app)


def main() -> None:
    import sys

    # --quiet is a global option; accept it anywhere on the line, as scripts tend to put it last
    args = sys.argv[1:]
    for flag in ("--quiet", "-q"):
        if flag in args[1:]:
            args.remove(flag)
            args.insert(0, flag)
    app(args=args, prog_name="navab-graph")
