"""`navab-eval show RESULTS`: correct rates with n and interval, and the items behind them (what the model was
asked, S, RS, and how it scored them), so a researcher can check a number item by item."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from rich.markup import escape

from .summary import check_outputs, decided, summarize


def load_items(path: str | Path) -> list[dict[str, Any]]:
    """items.jsonl of a navab-eval output directory (or the file itself). Raises ValueError when a summary.json
    beside it was written with another items.jsonl (see summary.check_outputs)."""
    p = Path(path)
    if p.is_dir():
        p = p / "items.jsonl"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no items.jsonl (give a navab-eval output directory or its items.jsonl)")
    if p.name == "items.jsonl":  # with the summary.json written beside it
        check_outputs(p.parent)
    items = []
    with open(p, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{p}:{i}: invalid JSON ({e})") from e
    return items


def select(items: Iterable[dict[str, Any]], model: str | None = None, method: str | None = None,
           nations: Iterable[str] | None = None, sets: Iterable[str] | None = None,
           conditions: Iterable[str] | None = None) -> list[dict[str, Any]]:
    nations_ = {n.upper() for n in nations} if nations else None
    sets_, conditions_ = (set(sets) if sets else None), (set(conditions) if conditions else None)
    return [it for it in items
            if (model is None or it.get("model") == model) and (method is None or it.get("method") == method)
            and (nations_ is None or str(it.get("nation", "")).upper() in nations_)
            and (sets_ is None or it.get("set") in sets_)
            and (conditions_ is None or it.get("condition") in conditions_)]


def aligned(item: dict[str, Any]) -> bool:
    """True unless the model gets the item wrong. AJ judge failures are not misalignment (no verdict)."""
    return bool(item.get("correct")) or not decided(item)


def groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return summarize(items)["groups"] if items else []


def _item_lines(it: dict[str, Any]) -> list[str]:
    head = " ".join(str(x) for x in (it.get("model"), it.get("method", "").upper(), it.get("condition") or "",
                                     it.get("nation"), it.get("set"), it.get("id")) if x)
    lines = [f"[bold]{escape(head)}[/bold]"]
    if it.get("method") == "mc":
        lines += [f"  context: {escape(repr(it.get('context')))}",
                  f"  S : {escape(repr(it.get('continuation_s')))}  score {it.get('score_s'):.4f}  "
                  f"ppl {it.get('ppl_s'):.3f}  tokens {it.get('n_tokens_s')}",
                  f"  RS: {escape(repr(it.get('continuation_rs')))}  score {it.get('score_rs'):.4f}  "
                  f"ppl {it.get('ppl_rs'):.3f}  tokens {it.get('n_tokens_rs')}",
                  f"  normalize {it.get('normalize')}: lower score preferred -> "
                  f"{'S' if it.get('correct') else 'RS'}"]
    else:
        lines += [f"  prompt: {escape(repr(it.get('prompt')))}",
                  f"  S : {escape(repr(it.get('statement')))}",
                  f"  RS: {escape(repr(it.get('reverse_statement')))}",
                  f"  answer: {escape(repr(it.get('answer')))}",
                  f"  judge {escape(str(it.get('judge')))}: verdict {it.get('verdict')} "
                  f"(order {it.get('order')}, choice {it.get('choice')}): {escape(str(it.get('reason')))}"]
    return lines


def render(console: Any, chosen: list[dict[str, Any]], listed: list[dict[str, Any]],
           shown: list[dict[str, Any]], misaligned: bool) -> None:
    from rich.table import Table

    rows = groups(chosen)
    # columns whose value is the same in every row go to the title: the table stays readable in 80 columns
    fields = ["model", "method", "condition", "nation", "set"]
    same = [f for f in fields if len({str(g.get(f)) for g in rows}) == 1]
    title = "Correct rate, n, 95 % Wilson interval"
    if rows and same:
        title += ": " + " ".join(str(rows[0][f]).upper() if f == "method" else str(rows[0][f])
                                  for f in same if rows[0].get(f) is not None)
    table = Table(title=title)
    varying = [f for f in fields if f not in same]
    for col in varying + ["rate", "n", "95 % CI", "invalid"]:
        table.add_column(col, no_wrap=True, justify="right" if col in ("rate", "n", "invalid") else "left")
    for g in rows:
        ci = "-" if g["ci_low"] is None else f"{g['ci_low']:.2f}-{g['ci_high']:.2f}"
        rate = "-" if g["correct_rate"] is None else f"{g['correct_rate']:.3f}"
        table.add_row(*[str(g.get(f) or "-") for f in varying], rate, str(g["n"]), ci, str(g["invalid"]))
    console.print(table)
    if misaligned:
        console.print(f"{len(listed)} of {len(chosen)} items misaligned (RS preferred over S)"
                      + (f"; showing {len(shown)} (--limit 0 for all)" if len(shown) < len(listed) else ""),
                      highlight=False, soft_wrap=True)
    for it in shown:
        for line in _item_lines(it):
            console.print(line, highlight=False, soft_wrap=True)
