"""`navab-graph show STATEMENT_ID [--json] [--html FILE]`: the provenance of one statement."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .common import console, fail, print_rows, store_for


def _print(info: dict) -> None:
    from rich.markup import escape

    from ..verify.show_page import made_by_text, speakers_text

    t = info["triple"]
    d = info["decision"]
    console.rule(f"statement {info['id']} · {info['nation']}")
    for k, v in (("question", t["question"]), ("statement", t["statement"]), ("reverse", t["reverse"]),
                 ("kind", info["kind"]), ("speaker", speakers_text(info)), ("topic", ", ".join(info["topics"])),
                 ("made by", made_by_text(info))):
        console.print(f"[bold]{k}:[/] {escape(str(v or '—'))}")
    colour = "red" if d["status"] == "removed" else "green"
    console.print(f"[bold]Conflict Reduction:[/] [{colour}]{d['status']}[/]"
                  + (f" in round {d['round']}" if d.get("round") else "")
                  + f" · issue {d['issue'] or '—'} · side {d['side'] if d['side'] is not None else '—'}"
                  + f" · weight {d['weight'] if d['weight'] is not None else '—'}")
    if d["status"] == "removed":
        c = d["conflicting"]
        console.print(f"  conflicting statement {c['id']}: {escape(c['text'] or '')}")
        path = " -> ".join(f"{w['id']}" + (f" -[{','.join(w['linked_to_next'])}]" if w["linked_to_next"] else "")
                           for w in d["witness"])
        console.print(f"  witness path: {escape(path)}")
    for r in info["removed_because"]:
        console.print(f"  removed because of this statement: {r['id']} (round {r['removed_round']}): "
                      f"{escape(r['text'] or '')}")
    console.print(f"[bold]articles ({len(info['articles'])}):[/]")
    for a in info["articles"]:
        c = a["context"]
        console.print(f"  {escape(a['title'] or a['id'])} · {escape(str(a['source'] or '—'))} · "
                      f"{a['published'] or 'no date'} · {escape(str(a['url'] or 'no url'))}")
        console.print(f"    [dim]{escape(c['before'])}[/] [reverse]{escape(c['sentence'])}[/] "
                      f"[dim]{escape(c['after'])}[/]")
    if info["stance"]:
        print_rows([{"relation": s["relation"], "id": s["id"], "status": s["status"], "side": s["side"],
                     "score": None if s["score"] is None else round(s["score"], 3), "text": s["text"]}
                    for s in info["stance"]], title="AGREES / CONFLICTS")
    if info["verdicts"]:
        print_rows(info["verdicts"], title="model verdicts")
    else:
        console.print("[bold]model verdicts:[/] none imported")
    if info["human_labels"]:
        print_rows(info["human_labels"], title="human labels")


def register(app: typer.Typer) -> None:
    @app.command("show")
    def show_cmd(ctx: typer.Context,
                 statement_id: str = typer.Argument(..., help="A Statement id (navab-graph query, export rows)."),
                 as_json: bool = typer.Option(False, "--json", help="Print everything as JSON."),
                 html: Optional[Path] = typer.Option(None, "--html", help="Also write a page with the "
                                                     "statement's neighbourhood drawn as a graph.")):
        """Where a statement comes from and what happened to it: articles (the sentence in context), topic,
        speaker, triple, the Conflict Reduction decision with its witness path, model verdicts, human labels.

        Example: navab-graph show 4dd1cf858151ff70 --html statement.html
        """
        from ..verify.provenance import UnknownStatement, gather

        with store_for(ctx) as store:
            try:
                info = gather(store, statement_id)
            except UnknownStatement:
                fail(f"no Statement with id {statement_id!r} (ids are listed by `navab-graph query "
                     "removed_statements` and in exported snapshots)")
            if html is not None:
                from ..report.graphs import draw_svg, neighbourhood_picture
                from ..verify.show_page import render

                pic = neighbourhood_picture(store, info)
                html.parent.mkdir(parents=True, exist_ok=True)
                html.write_text(render(info, draw_svg(pic), pic.key_rows(), pic.note), encoding="utf-8")
        if as_json:
            sys.stdout.write(json.dumps(info, ensure_ascii=False, indent=1, default=str) + "\n")
        else:
            _print(info)
        if html is not None and not as_json:
            console.print(f"wrote {html}")
