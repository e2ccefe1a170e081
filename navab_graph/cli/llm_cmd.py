"""`navab-graph llm check`: what an OpenAI-compatible endpoint can do, before a long run; and the helpers the
LLM-backed commands share (the provider with its preflight, the usage summary)."""
from __future__ import annotations

import time
from typing import Optional

import typer

from .common import console, fail, print_rows, state

llm_app = typer.Typer(no_args_is_help=True, help="The LLM endpoint: check what it supports.\n\n"
                                                 "Example: navab-graph llm check --base-url http://localhost:8000/v1")
# a question the worked example does not answer, so a copied example cannot pass for a working method
PROBE = {"keywords": ["election", "vote", "parliament", "date"],
         "docs": ["Parliament must hold the election in May, the president said."], "lang": "en"}


def provider_for(settings):
    """The settings' provider; an unreachable endpoint or unknown model ends the command with one line."""
    from ..llm import LLMUnavailable, get_provider

    try:
        return get_provider(settings)
    except LLMUnavailable as e:
        fail(str(e), code=2)


def print_usage(usage) -> None:
    """Totals, then per step: items, calls, cached, retried, failed and the structured-output method used."""
    for line in usage.lines():
        console.print(line, highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(llm_app, name="llm")


@llm_app.command("check")
def check_cmd(ctx: typer.Context,
              base_url: Optional[str] = typer.Option(None, "--base-url", help="Endpoint (default: [llm] base_url)."),
              model: Optional[str] = typer.Option(None, "--model", help="Model name (default: [llm] model)."),
              as_json: bool = typer.Option(False, "--json", help="Print the results as JSON.")):
    """List the endpoint's models, then make one structured call per method (json_schema, json_mode,
    function_calling, text) and print which work and how long each took. Runs remember the result and start with
    the first method that works.

    Example: navab-graph llm check --base-url http://localhost:8000/v1 --model Qwen/Qwen2.5-7B-Instruct
    """
    from ..llm import LLMUnavailable
    from ..llm.base import TopicLabel
    from ..llm.openai_provider import OpenAIProvider
    from ..llm.structured import METHODS, ItemFailed, StructuredCaller

    st = state(ctx)
    upd = {k: v for k, v in (("base_url", base_url), ("model", model)) if v}
    settings = st.settings.model_copy(update={"llm": st.settings.llm.model_copy(update=upd)})
    c = settings.llm
    if not c.base_url:
        fail("no LLM endpoint configured: pass --base-url or set [llm] base_url (NAVAB_LLM__BASE_URL); without "
             "one the stages use the offline rules provider", code=2)
    p = OpenAIProvider.from_settings(settings)
    t0 = time.perf_counter()
    try:
        ids = p.list_models()
    except LLMUnavailable as e:
        fail(str(e), code=2)
    listed = time.perf_counter() - t0
    if ids is None:
        console.print(f"{c.base_url}: no /models listing (not checked); model {c.model!r}")
    else:
        console.print(f"{c.base_url}: {len(ids)} model(s) in {listed:.2f} s: {', '.join(ids[:8])}", highlight=False,
                      markup=False)
        if c.model not in ids:
            fail(f"model {c.model!r} is not served at {c.base_url}; set [llm] model (NAVAB_LLM__MODEL) or "
                 "pass --model", code=2)
    book = p.book
    book.load({m: {"ok": 0, "bad": 0, "rejected": 0} for m in METHODS})  # measure afresh
    caller = StructuredCaller(p._chat, book, max_retries=1, parse_retries=0, scrub=p._scrub)
    msgs = p._messages("label_topic", PROBE)
    rows = []
    for method in METHODS:
        t = time.perf_counter()
        try:
            res = caller.call(TopicLabel, msgs, max_tokens=48, example=p._example("label_topic", "en"),
                              methods=[method])
            result, detail = "works", f"label={res.value.label!r}"
        except ItemFailed as e:
            result = "rejected" if book.stats[method].rejected else "invalid output"
            detail = e.reason + (f"; raw: {e.raw[:80]!r}" if e.raw else "")
        except Exception as e:  # key rejected, model unknown, network: the method's row says so
            result, detail = "error", f"{type(e).__name__}: {e}"
        rows.append({"method": method, "result": result, "seconds": round(time.perf_counter() - t, 2),
                     "detail": p._scrub(detail)[:160]})
    if p._cache is not None:
        p._cache.put_methods(p.endpoint, book.as_dict())
    print_rows(rows, as_json=as_json, title=f"structured output at {c.base_url} ({c.model})")
    works = [r["method"] for r in rows if r["result"] == "works"]
    if not works:
        fail("no structured-output method worked at this endpoint: every item would fail; try a larger model",
             code=1)
    if not as_json:
        console.print(f"runs start with {works[0]} (remembered for this endpoint in the data dir)"
                      + ("" if c.structured_method in works else
                         f"; [llm] structured_method = {c.structured_method} did not work here"), highlight=False,
                      markup=False)
