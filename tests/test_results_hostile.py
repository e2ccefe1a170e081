"""`navab-graph import-results` on hostile items.jsonl lines (issue 13): each bad line is quarantined with its
line and a reason, the good lines are imported exactly once, values stay data; --strict stops at the first."""
from __future__ import annotations

import json

from navab_loaders.records import statement_id

INJECT = '"}) CREATE (:Pwn) // `x`'


def _setup(cli, tmp_path) -> str:
    art = {"id": "x1", "text": "Minister said the UK must cut emissions.",
           "statements": [{"text": "The UK must cut emissions.", "question": "Should the UK cut emissions?",
                           "reverse": "The UK must not cut emissions.", "kind": "quoted"}]}
    (tmp_path / "s.jsonl").write_text(json.dumps(art))
    cli("load", str(tmp_path / "s.jsonl"), "--nation", "GB")
    return statement_id("GB", "The UK must cut emissions.", "s:x1")


def test_hostile_result_lines(cli, store, settings, tmp_path):
    sid = _setup(cli, tmp_path)
    row = lambda model, **kw: json.dumps({"id": sid, "nation": "GB", "method": "mc", "model": model,  # noqa: E731
                                          "correct": True, "ppl_s": 1.5, "ppl_rs": 2.5, **kw}).encode()
    lines = [
        row("m1"),
        row("m2").replace(b"1.5", b"Infinity"),
        row("m2").replace(b"1.5", b"NaN"),
        row("m2").replace(b"1.5", b"1e999"),
        row("m2").replace(b'"correct"', b'"deep": ' + b"[" * 100_000 + b"]" * 100_000 + b', "correct"'),
        row("m\u0000"),
        row("m2").replace(b'"m2"', b'"m\\ud800"'),
        row("m2").replace(b'"m2"', b'"caf\xe9"'),
        row(INJECT),
        row(" m1"),
        row("m3", ppl_s=10 ** 400),
        row("m3"),
    ]
    f = tmp_path / "res" / "items.jsonl"
    f.parent.mkdir()
    f.write_bytes(b"\n".join(lines) + b"\n")
    res = cli("import-results", str(f), "--json")
    rep = json.loads(res.stdout)
    assert (rep["read"], rep["imported"], rep["malformed"]) == (12, 3, 9)
    models = sorted(r["m"] for r in store.run("MATCH (m:Model)-[:EVALUATED]->(:Statement) RETURN m.name AS m",
                                               write=False))
    assert models == sorted(["m1", INJECT, "m3"])
    assert store.run("MATCH (n:Pwn) RETURN count(n) AS c", write=False)[0]["c"] == 0
    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    why = {r["where"]: r["reason"] for r in q if r["file"] == str(f)}
    assert "Infinity is not valid JSON" in why["line 2"] and "NaN is not valid JSON" in why["line 3"]
    assert "'ppl_s' must be a finite number" in why["line 4"] and "'ppl_s' must be a finite number" in why["line 11"]
    assert "nested too deeply" in why["line 5"]
    assert "NUL character" in why["line 6"] and "lone surrogate" in why["line 7"]
    assert "not valid UTF-8" in why["line 8"] and "whitespace at its ends" in why["line 10"]
    assert set(why) == {f"line {i}" for i in (2, 3, 4, 5, 6, 7, 8, 10, 11)}
    rec = {r["where"]: r for r in q if r["file"] == str(f)}
    assert rec["line 8"]["record"].count("\\xe9") == 1 and len(rec["line 5"]["record"]) == 2000

    res = cli("import-results", str(f), "--strict", ok=False)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"{f}, line 2: Infinity is not valid JSON" in res.output.replace("\n", "")


def test_problems_quoting_row_text_print_as_text(cli, tmp_path):
    sid = _setup(cli, tmp_path)
    f = tmp_path / "m" / "items.jsonl"
    f.parent.mkdir()
    f.write_text(json.dumps({"id": sid, "nation": "GB", "method": "[/bold]", "model": "m", "correct": True}) + "\n")
    res = cli("import-results", str(f))
    assert "'method' must be mc or aj, got '[/bold]'" in res.output.replace("\n", "")
