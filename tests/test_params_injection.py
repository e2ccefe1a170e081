"""Parameters never become Cypher text that can break out (issue 13).

FalkorDB takes parameters as a `CYPHER k=v ...` text header that our own literal writer builds
(navab_graph/store/falkor.py). Checked against the bundled engine (4.16.3): inside a backticked map key
every character but the backtick is literal, and no escape for a backtick is accepted (neither doubled nor
backslashed), so keys holding one are refused; NUL ends FalkorDB's C string, lone surrogates cannot be
encoded, and integers beyond 64 bits are silently clamped by the engine: all are refused with the name of
the parameter. Everything else must come back verbatim.
"""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from navab_graph.store import falkor as _falkor
from navab_graph.store.falkor import ParameterError


def params_header(p):
    return _falkor.params_header(p)

INJECTION = '{"k`:1} CREATE (:Pwn) RETURN 1 AS injected //":1}'
INT64 = (-(2 ** 63), 2 ** 63 - 1)


def _pwned(store) -> int:
    return store.run("MATCH (n:Pwn) RETURN count(n) AS c", write=False)[0]["c"]


def test_backtick_in_a_map_key_cannot_inject(cli, store):
    for extra in ([], ["--write"]):
        res = cli("cypher", "RETURN $m AS m", "-p", f"m={INJECTION}", *extra, ok=False)
        assert res.exit_code == 1, res.output
        assert "injected" not in res.stdout
        assert "backtick" in res.output and "'m'" in res.output  # names the parameter and the reason
        assert "Traceback" not in res.output
    assert _pwned(store) == 0 and store.counts()["nodes"] == 0


def test_backtick_in_a_parameter_name_cannot_inject(cli, store):
    res = cli("cypher", "RETURN 1 AS x", "-p", "a`=1 CREATE (:Pwn) WITH 1 AS `b=2", "--write", ok=False)
    assert res.exit_code == 1 and "backtick" in res.output and "Traceback" not in res.output
    assert _pwned(store) == 0


def test_nested_keys_and_values_of_any_shape_stay_data(store):
    v = {"a": [{"`": 1}]}
    with pytest.raises(ParameterError, match=r"parameter 'p'.*backtick"):
        store.run("RETURN $p AS p", {"p": v})
    odd = {"": 1, "a b": 2, "//": 3, "$x": 4, "}": 5, "'\"\\": 6, "ключ 中 é": 7, "\n\t": 8, "\u202e": 9}
    assert store.run("RETURN $p AS p", {"p": odd})[0]["p"] == odd
    assert store.run("RETURN $`a b` AS p", {"a b": 1})[0]["p"] == 1


@pytest.mark.parametrize("value,why", [
    ("a\x00b", "NUL"), ({"k": ["x\x00"]}, "NUL"), ({"k\x00": 1}, "NUL"),
    ("a\ud800b", "surrogate"), ({"\udfff": 1}, "surrogate"),
    (float("inf"), "Infinity"), (float("nan"), "NaN"), ([1.0, float("-inf")], "Infinity"),
    (2 ** 63, "64 bits"), (-(2 ** 63) - 1, "64 bits"),
    (object(), "cannot be sent"),
])
def test_values_the_engine_cannot_hold_are_refused_with_the_parameter_name(store, value, why):
    with pytest.raises(ParameterError, match=f"parameter 'v'.*{why}"):
        params_header({"v": value})
    assert store.counts()["nodes"] == 0


def test_str_subclasses_and_int_like_values_are_written_as_data(store):
    class S(str):
        def __str__(self):
            return '" CREATE (:Pwn) //'
    assert store.run("RETURN $v AS v", {"v": S("plain")})[0]["v"] == "plain"
    import decimal

    import numpy as np
    got = store.run("RETURN $v AS v", {"v": [np.float32(1.5), np.int64(3), np.bool_(True), np.array([1, 2]),
                                             decimal.Decimal("2.5")]})[0]["v"]
    assert got == [1.5, 3, True, [1, 2], 2.5]
    assert _pwned(store) == 0


# --- property tests -----------------------------------------------------------------------------------------

_keys = st.text(max_size=12)
# the engine prints doubles with 15 significant digits, so the largest ones come back as inf: not generated
_floats = st.one_of(st.floats(min_value=-1e300, max_value=1e300),
                    st.sampled_from([float("nan"), float("inf"), float("-inf")]))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                     st.text(max_size=30), _floats)
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(_keys, inner, max_size=4)), max_leaves=12)


def _representable(v) -> bool:
    """What FalkorDB's header can carry; everything else must be refused (not mangled, not injected)."""
    if isinstance(v, str):
        return "\x00" not in v and not any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, bool) or v is None:
        return True
    if isinstance(v, int):
        return INT64[0] <= v <= INT64[1]
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, list):
        return all(_representable(x) for x in v)
    return all(_representable(k) and "`" not in k for k in v) and all(_representable(x) for x in v.values())


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return a == b or math.isclose(a, b, rel_tol=1e-14, abs_tol=1e-300)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(v=_values)
def test_any_value_round_trips_or_is_refused(store, v):
    if _representable(v):
        got = store.run("RETURN $v AS v", {"v": v}, write=True)[0]["v"]
        assert _same(v, got), (v, got)
    else:
        with pytest.raises(ParameterError, match="parameter 'v'"):
            store.run("RETURN $v AS v", {"v": v}, write=True)
    assert store.counts()["nodes"] == 0


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=_keys, v=_values)
def test_cypher_cli_round_trips_random_keys_and_values(cli, store, key, v):
    m = {key: v, "k`:1} CREATE (:Pwn) RETURN 1 AS injected //": 1} if key.startswith("`") else {key: v}
    res = cli("cypher", "RETURN $m AS m", "-p", "m=" + json.dumps(m), "--json", "--write", ok=False)
    if _representable(m):
        assert res.exit_code == 0, res.output
        assert _same(m, json.loads(res.stdout)[0]["m"])
    else:
        assert res.exit_code == 1 and "parameter 'm'" in res.output and "Traceback" not in res.output
    assert store.counts()["nodes"] == 0


# --- the same through the loaders and import-results ---------------------------------------------------------

_hostile_text = st.text(max_size=40) | st.sampled_from(['"}) CREATE (:Pwn) //', "`", "a\x00b", "\ud800", "  ",
                                                      "\u200b"])
_extras = st.dictionaries(_keys, _values, max_size=3)
_N = {"n": 0}


def _clean_text(s: str) -> bool:
    return _representable(s) and bool(s.strip())


def _quarantined(settings, file) -> set[str]:
    p = settings.data_dir / "quarantine.jsonl"
    rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []
    return {r["where"] for r in rows if r["file"] == str(file) and not r.get("kept")}


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(recs=st.lists(st.tuples(st.text(alphabet=st.characters(categories=["L", "N"]), max_size=8), _hostile_text,
                               st.none() | _hostile_text, _extras), min_size=1, max_size=4))
def test_loader_round_trips_values_verbatim_or_quarantines_the_line(cli, store, settings, tmp_path, recs):
    _N["n"] += 1
    src, f = f"prop{_N['n']}", tmp_path / f"prop{_N['n']}.jsonl"
    lines = []
    for i, (rid, text, title, extra) in enumerate(recs):
        lines.append(json.dumps({**extra, "id": f"{i}-{rid}", "text": text, "title": title}))  # \ud800 -> escape
    f.write_text("\n".join(lines) + "\n", encoding="ascii")
    before = store.counts()["nodes"]
    nation_there = bool(store.run("MATCH (n:Nation {code: 'US'}) RETURN n.code AS c", write=False))
    res = cli("load", str(f), "--nation", "US", "--source", src)
    assert "Traceback" not in res.output
    got = {r["id"]: r for r in store.run("MATCH (a:Article {source: $s}) RETURN a.id AS id, a.text AS text, "
                                         "a.title AS title", {"s": src}, write=False)}
    q = _quarantined(settings, f)
    for i, (rid, text, title, _) in enumerate(recs):
        aid, line = f"{src}:{i}-{rid}", f"line {i + 1}"
        assert (aid in got) != (line in q), (aid, line, got.keys(), q)  # loaded or quarantined, never both/neither
        if aid in got:
            assert got[aid]["text"] == text.strip() and got[aid]["title"] == (title or None)
        if _clean_text(text) and (title is None or _representable(title)) and text.strip().isprintable():
            assert aid in got, (aid, q)
        if not _representable(text) or (title is not None and not _representable(title)):
            assert line in q
    # the articles, and with the first of them their Source (and Nation, the first time): nothing else
    assert store.counts()["nodes"] == before + len(got) + (bool(got) + (bool(got) and not nation_there))
    assert store.run("MATCH (n:Pwn) RETURN count(n) AS c", write=False)[0]["c"] == 0


@pytest.fixture
def one_statement(cli, tmp_path) -> str:
    art = {"id": "x1", "text": "Minister said the UK must cut emissions.",
           "statements": [{"text": "The UK must cut emissions.", "question": "Should the UK cut emissions?",
                           "reverse": "The UK must not cut emissions.", "kind": "quoted"}]}
    (tmp_path / "s.jsonl").write_text(json.dumps(art))
    cli("load", str(tmp_path / "s.jsonl"), "--nation", "GB")
    from navab_loaders.records import statement_id
    return statement_id("GB", "The UK must cut emissions.", "s:x1")


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.tuples(_hostile_text.filter(bool) | st.sampled_from([" gpt", "gpt\t", "gpt", "g\x01"]),
                                st.none() | _hostile_text), min_size=1, max_size=3, unique_by=lambda t: t[0]))
def test_import_results_round_trips_names_verbatim_or_quarantines(cli, store, settings, tmp_path, one_statement,
                                                                 items):
    _N["n"] += 1
    f = tmp_path / f"r{_N['n']}" / "items.jsonl"
    f.parent.mkdir()
    rows = [{"id": one_statement, "nation": "GB", "method": "aj", "model": m, "correct": True, "judge": j,
             "set": "quoted", "split": "test"} for m, j in items]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="ascii")
    known = {r["m"] for r in store.run("MATCH (m:Model) RETURN m.name AS m", write=False)}
    before = store.counts()["nodes"]
    imports = store.run("MATCH (i:ResultsImport) RETURN count(i) AS n", write=False)[0]["n"]
    rep = json.loads(cli("import-results", str(f), "--json").stdout)
    imports = store.run("MATCH (i:ResultsImport) RETURN count(i) AS n", write=False)[0]["n"] - imports
    assert imports in (0, 1)  # one per file; a file with the same bytes is the same import
    ok = [(m, j) for m, j in items  # indexed names: no control characters (C0, DEL), no whitespace at the ends
          if _representable(m) and m == m.strip() and min(m) >= " " and "\x7f" not in m
          and (j is None or _representable(j))]
    assert rep["imported"] == len(ok) and rep["malformed"] == len(items) - len(ok)
    for m, j in ok:
        got = store.run("MATCH (m:Model {name: $m})-[e:EVALUATED]->(:Statement) RETURN e.judge AS j", {"m": m},
                        write=False)
        assert [r["j"] for r in got] == [j]
    assert store.counts()["nodes"] == before + imports + len({m for m, _ in ok} - known)
    assert _quarantined(settings, f) == {f"line {i + 1}" for i, (m, j) in enumerate(items) if (m, j) not in ok}
