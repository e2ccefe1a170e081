"""`navab-graph config show`."""
from __future__ import annotations

import json

import typer

from .common import console, state


def register(app: typer.Typer) -> None:
    cfg = typer.Typer(no_args_is_help=True, help="Configuration (navab.toml + NAVAB_* env).")
    app.add_typer(cfg, name="config")

    @cfg.command("show")
    def show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON instead of a tree.")):
        """Print the resolved configuration with secrets masked.

        Example: NAVAB_LLM__BASE_URL=http://localhost:8000/v1 navab-graph config show
        """
        data = state(ctx).settings.masked()
        if as_json:
            print(json.dumps(data, indent=1))
        else:
            console.print_json(json.dumps(data))
