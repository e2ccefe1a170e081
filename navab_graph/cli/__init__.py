"""`navab-graph` CLI: thin commands over the library. Each module in this package registers its commands
(`register(app)`), so a new stage adds one file and touches nothing else."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Optional

import typer

from ..config import load_settings
from . import common
from .common import State

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False,
                  help="NaVAB national-value benchmarks as a graph (embedded FalkorDB or Neo4j).\n\n"
                       "Example: navab-graph load news.jsonl --nation CN && navab-graph db status")

GLOBAL_FLAGS = ("--quiet", "-q", "--wait", "--debug")


@app.callback()
def _root(ctx: typer.Context,
          graph_url: Optional[str] = typer.Option(None, "--graph-url", envvar="NAVAB_GRAPH_URL",
                                                  help="embedded | falkor://host:port | bolt://host:7687"),
          data_dir: Optional[Path] = typer.Option(None, "--data-dir", envvar="NAVAB_DATA_DIR",
                                                  help="Data dir of the embedded engine and caches (.navab)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars (for scripts)."),
          wait: bool = typer.Option(False, "--wait", help="When another command writes the same nation, wait "
                                    "for it instead of exiting with `busy: ...`."),
          debug: bool = typer.Option(False, "--debug", envvar="NAVAB_DEBUG",
                                     help="Full tracebacks instead of one-line errors.")) -> None:
    try:
        settings = load_settings(graph_url=graph_url, data_dir=data_dir)
    except Exception as e:  # a bad navab.toml or NAVAB_* value: pydantic says which field and why
        if debug:
            raise
        common.fail(f"configuration: {e}")
    ctx.obj = State(settings, quiet, wait, debug)


for mod in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
    if mod != "common":
        importlib.import_module(f"{__name__}.{mod}").register(app)


class Terminated(BaseException):
    """SIGTERM, raised where the process is: a BaseException, so no `except Exception` in a stage swallows it,
    and every `with` unwinds (writer lock and users lock released, an engine started for this command
    stopped cleanly)."""


def _on_sigterm(signum, frame):  # noqa: ARG001
    raise Terminated()


def main() -> None:
    import os
    import signal
    import sys

    from ..config import scrub

    # global flags are accepted anywhere on the line, as scripts tend to put them last
    args = sys.argv[1:]
    for flag in GLOBAL_FLAGS:
        if flag in args[1:]:
            args.remove(flag)
            args.insert(0, flag)
    common.ARGV = list(sys.argv[1:])
    debug = "--debug" in args or os.environ.get("NAVAB_DEBUG", "").lower() in ("1", "true", "yes")
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        app(args=args, prog_name="navab-graph")  # usage errors, Exit and Ctrl-C are typer's
    except SystemExit:
        raise
    except Terminated:
        _say(f"terminated (SIGTERM): what was written before is stored; re-run `{common.command_line()}` to resume")
        sys.exit(143)
    except Exception as e:  # noqa: BLE001 - the one place that turns any other failure into one line
        if debug:
            import traceback

            sys.stderr.write(scrub("".join(traceback.format_exception(e))))
            sys.exit(1)
        from ..locks import Busy

        if common._is_connection_error(e):
            msg = common.lost_message(e, _state_or_default())
        elif isinstance(e, Busy):
            msg = str(e)
        else:
            text = " ".join(ln.strip() for ln in str(e).splitlines() if ln.strip())
            msg = f"{type(e).__name__}: {text} (run with --debug for the traceback)"
        _say(msg)
        sys.exit(1)


def _say(msg: str) -> None:
    from rich.markup import escape

    from ..config import scrub

    common.err_console.print(f"[bold red]error:[/] {escape(scrub(msg))}", soft_wrap=True, highlight=False)


def _state_or_default() -> State:
    try:
        return State(load_settings())
    except Exception:  # noqa: BLE001
        from ..config import Settings

        return State(Settings.model_construct())
