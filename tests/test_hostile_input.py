"""A hostile-input corpus, generated here (>= 40 kinds, in JSONL, CSV, Parquet, JSON and the NaVAB release
format), loaded through the CLI into the real embedded FalkorDB (issue 13).

For every kind: a bad row is quarantined with its file and line (row for Parquet), a reason a person
understands and its raw text (truncated); the load goes on; every valid row is loaded exactly once, with its
text verbatim, and nothing else is (asserted on the graph). `--strict` stops at the first bad row.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import string
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from navab_loaders.records import short_hash

NATION = "US"
DEEP = 100_000  # nesting depth far beyond Python's recursion limit
INJECT = "\"}) MATCH (n) DETACH DELETE n // `x` $p ' \\\" ]]> {{7*7}}"


def _sid(text: str, set_: str) -> str:
    return hashlib.sha256(f"{NATION}|{set_}|{text}".encode()).hexdigest()[:16]


@dataclass
class Corpus:
    root: Path
    articles: dict[str, str] = field(default_factory=dict)  # id -> text: exactly these, nothing else
    props: dict[str, dict] = field(default_factory=dict)  # id -> further expected properties
    statements: set[str] = field(default_factory=set)  # NaVAB statement ids
    bad: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, where) -> part of the reason
    kept: dict[tuple[str, str], str] = field(default_factory=dict)  # loaded with a warning
    kinds: list[str] = field(default_factory=list)

    def path(self, name: str) -> Path:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def ok(self, stem: str, n: int) -> dict:
        row = {"id": f"v{n}", "title": f"valid {n}", "text": f"valid row {n} of {stem}", "date": "2024-01-15"}
        self.articles[f"{stem}:v{n}"] = row["text"]
        return row

    def jsonl(self, kind: str, hostile: list, *, loaded: dict | None = None, bad: dict | None = None,
              kept: dict | None = None, ext: str = ".jsonl", props: dict | None = None) -> None:
        """v1 on line 1, the hostile lines from line 2 on, v2 on the last line."""
        stem = kind
        lines = [json.dumps(self.ok(stem, 1)).encode()]
        for h in hostile:
            lines.append(h if isinstance(h, bytes) else json.dumps(h, ensure_ascii=False).encode())
        lines.append(json.dumps(self.ok(stem, 2)).encode())
        self.path(stem + ext).write_bytes(b"\n".join(lines) + b"\n")
        self._expect(kind, stem + ext, stem, loaded, bad, kept, props)

    def _expect(self, kind, name, stem, loaded, bad, kept, props) -> None:
        self.kinds.append(kind)
        for rid, text in (loaded or {}).items():
            self.articles[f"{stem}:{rid}"] = text
        for rid, p in (props or {}).items():
            self.props[f"{stem}:{rid}"] = p
        for where, why in (bad or {}).items():
            self.bad[(name, where)] = why
        for where, why in (kept or {}).items():
            self.kept[(name, where)] = why

    def csv(self, kind: str, body: bytes, *, loaded=None, bad=None, header: bytes = b"id,title,text") -> None:
        """header on line 1, v1 on line 2, the hostile body from line 3 on, v2 on the last line."""
        ok1, ok2 = self.ok(kind, 1), self.ok(kind, 2)
        row = lambda r: f"{r['id']},{r['title']},{r['text']}".encode()  # noqa: E731
        self.path(kind + ".csv").write_bytes(header + b"\n" + row(ok1) + b"\n" + body + row(ok2) + b"\n")
        self._expect(kind, kind + ".csv", kind, loaded, bad, None, None)

    def parquet(self, kind: str, table: pa.Table, *, loaded=None, bad=None, props=None) -> None:
        pq.write_table(table, self.path(kind + ".parquet"))
        self._expect(kind, kind + ".parquet", kind, loaded, bad, None, props)

    def raw(self, kind: str, name: str, data: bytes, *, bad=None, loaded=None, stem=None) -> None:
        self.path(name).write_bytes(data)
        self._expect(kind, name, stem or kind, loaded, bad, None, None)


def _navab(statement: str, news: str, **extra) -> dict:
    return {"raw_news": news, "statement": statement, "source": "Spokesperson", "generated Q": f"Q: {statement}",
            "generated reverse statement": f"Not: {statement}", **extra}


def build(root: Path) -> Corpus:
    c = Corpus(root)
    deep = "[" * DEEP + "]" * DEEP

    # ---- JSONL: encodings, control characters, structure
    c.jsonl("nul_escape", [{"id": "h", "text": "before\u0000after"}], bad={"line 2": "NUL character"})
    c.jsonl("nul_in_title", [{"id": "h", "text": "fine", "title": "t\u0000"}], bad={"line 2": "NUL character"})
    c.jsonl("lone_surrogate", [b'{"id": "h", "text": "a \\ud800 b"}'], bad={"line 2": "lone surrogate"})
    c.jsonl("surrogate_pair_ok", [b'{"id": "h", "text": "smile \\ud83d\\ude00"}'], loaded={"h": "smile \U0001F600"})
    c.jsonl("invalid_utf8", [b'{"id": "h", "text": "caf\xe9"}'], bad={"line 2": "not valid UTF-8"})
    c.jsonl("crlf", [b'{"id": "h", "text": "windows line"}\r'], loaded={"h": "windows line"})
    c.raw("bom_jsonl", "bom_jsonl.jsonl", b"\xef\xbb\xbf" + json.dumps({"id": "h", "text": "after a BOM"}).encode(),
          loaded={"h": "after a BOM"})
    c.raw("utf16_jsonl", "utf16_jsonl.jsonl", json.dumps({"id": "h", "text": "wide"}).encode("utf-16"),
          bad={"whole file": "UTF-16"})
    c.jsonl("deep_nesting", [f'{{"id": "h", "text": "t", "meta": {deep}}}'.encode()],
            bad={"line 2": "nested too deeply"})
    c.jsonl("malformed_json", [b'{"id": "h", "text": "cut here'], bad={"line 2": "malformed JSON"})
    c.jsonl("huge_malformed_line", [b'{"id": "h", "text": "' + b"z" * 200_000], bad={"line 2": "malformed JSON"})
    c.jsonl("not_an_object", [[1, 2, 3]], bad={"line 2": "expected a JSON object"})
    c.jsonl("huge_text", [{"id": "h", "text": "w" * 300_000}], loaded={"h": "w" * 100_000},
            props={"h": {"truncated": True}})
    c.jsonl("empty_text", [{"id": "h", "text": "  \t "}], bad={"line 2": "empty text"})
    c.jsonl("invisible_text", [{"id": "h", "text": "\u200b\u200b\ufeff"}], bad={"line 2": "empty text"})
    c.jsonl("missing_text", [{"id": "h", "title": "no body"}], bad={"line 2": "missing text"})
    # ---- wrong types
    c.jsonl("text_number", [{"id": "h", "text": 42}], bad={"line 2": "'text' must be a string"})
    c.jsonl("text_nan", [b'{"id": "h", "text": NaN}'], bad={"line 2": "'text' must be a string"})
    c.jsonl("title_object", [{"id": "h", "text": "t", "title": {"a": 1}}], bad={"line 2": "'title' must be a string"})
    c.jsonl("id_true", [{"id": True, "text": "t"}], bad={"line 2": "'id' must be a string or an integer"})
    c.jsonl("id_nan", [b'{"id": NaN, "text": "t"}'], bad={"line 2": "'id' must be a string or an integer"})
    c.jsonl("id_infinity", [b'{"id": Infinity, "text": "t"}'], bad={"line 2": "'id' must be a string or an integer"})
    c.jsonl("id_float", [{"id": 1.5, "text": "t"}], bad={"line 2": "'id' must be a string or an integer"})
    c.jsonl("id_list", [{"id": ["a"], "text": "t"}], bad={"line 2": "'id' must be a string or an integer"})
    c.jsonl("id_integer", [{"id": 7, "text": "seven"}], loaded={"7": "seven"})
    c.jsonl("id_bigint", [{"id": 2 ** 80, "text": "big"}], loaded={str(2 ** 80): "big"})
    c.jsonl("statements_not_list", [{"id": "h", "text": "t", "statements": "x"}],
            bad={"line 2": "'statements' must be a list"})
    c.jsonl("statement_nul", [{"id": "h", "text": "t", "statements": [{"text": "s\u0000", "kind": "quoted"}]}],
            bad={"line 2": "NUL character"})
    # ---- dates, nations, ids
    c.jsonl("date_invalid", [{"id": "h", "text": "t13", "date": "2023-13-45"}], loaded={"h": "t13"},
            kept={"line 2": "not a valid date"}, props={"h": {"published": None, "published_raw": "2023-13-45"}})
    c.jsonl("date_vague", [{"id": "h", "text": "ty", "date": "yesterday-ish"}], loaded={"h": "ty"},
            kept={"line 2": "not a valid date"}, props={"h": {"published": None, "published_raw": "yesterday-ish"}})
    c.jsonl("date_ambiguous", [{"id": "h", "text": "ta", "date": "03/04/2021"}], loaded={"h": "ta"},
            kept={"line 2": "ambiguous"}, props={"h": {"published": None, "published_raw": "03/04/2021"}})
    c.jsonl("date_unambiguous", [{"id": "h", "text": "tu", "date": "25/12/2021"}], loaded={"h": "tu"},
            props={"h": {"published": "2021-12-25", "published_raw": None}})
    c.jsonl("nation_conflict", [{"id": "h", "text": "t", "nation": "FR"}], bad={"line 2": "differs from --nation US"})
    c.jsonl("nation_unknown", [{"id": "h", "text": "t", "nation": "Atlantis"}], bad={"line 2": "unknown nation code"})
    c.jsonl("nation_same", [{"id": "h", "text": "same nation", "nation": "us"}], loaded={"h": "same nation"})
    c.jsonl("duplicate_id", [{"id": "v1", "text": "other content"}], bad={"line 2": "duplicate id"})
    c.jsonl("zero_width_id", [{"id": "v\u200b1", "text": "look-alike"}], bad={"line 2": "invisible character"})
    c.jsonl("rtl_override_id", [{"id": "\u202ev1", "text": "look-alike"}], bad={"line 2": "invisible character"})
    c.jsonl("homoglyph_id", [{"id": "\u04351", "text": "cyrillic id"}], loaded={"\u04351": "cyrillic id"})
    c.jsonl("huge_id", [{"id": "i" * 5000, "text": "t"}], bad={"line 2": "'id' is 5000 characters"})
    # ---- strings that must stay data, verbatim
    c.jsonl("cypher_text", [{"id": "h", "text": INJECT, "title": INJECT}], loaded={"h": INJECT.strip()})
    shell = "$(rm -rf ~); `reboot` && echo $HOME | tee /etc/passwd > /dev/null; %s%n"
    c.jsonl("shell_text", [{"id": "h", "text": shell}], loaded={"h": shell})
    html = "<script>alert('x')</script><img src=x onerror=alert(1)>&amp;"
    c.jsonl("html_text", [{"id": "h", "text": html}], loaded={"h": html})
    rtl = "مرحبا \u202eevil\u202c עברית \u2067x\u2069"
    c.jsonl("rtl_text", [{"id": "h", "text": rtl}], loaded={"h": rtl})
    zw = "zero\u200bwidth\u200djoin\ufeffbom"
    c.jsonl("zero_width_text", [{"id": "h", "text": zw}], loaded={"h": zw})
    ctl = "bell\x07 escape\x1b[31mred\x1b[0m tab\tform\x0cfeed"
    c.jsonl("control_chars_text", [{"id": "h", "text": ctl}], loaded={"h": ctl})
    c.jsonl("hostile_keys", [{"k`:1} CREATE (:Pwn) RETURN 1 AS injected //": 1, "`": "`", "id": "h",
                              "text": "keys"}], loaded={"h": "keys"})
    # ---- gzip and empty files
    rng = random.Random(0)
    noise = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(60_000))
    stream = "\n".join([json.dumps(c.ok("broken_gzip", 1)), json.dumps(c.ok("broken_gzip", 2)),
                        json.dumps({"id": "n3", "text": noise}), json.dumps({"id": "n4", "text": "small"})]).encode()
    gz = gzip.compress(stream)
    c.raw("broken_gzip", "broken_gzip.jsonl.gz", gz[: len(gz) // 2], bad={"line 3": "truncated"})
    c.raw("not_gzip", "not_gzip.jsonl.gz", b'{"id": "h", "text": "plain"}\n', bad={"line 1": "not a gzip file"})
    c.raw("empty_jsonl", "empty_jsonl.jsonl", b"", bad={"whole file": "empty file"})
    c.raw("blank_jsonl", "blank_jsonl.jsonl", b"\n \n\r\n", bad={"whole file": "no records"})

    # ---- CSV
    rows5 = b"".join(f"r{i},T,row {i} text\n".encode() for i in range(1, 6))
    c.csv("csv_stray_quote", b's3,T,"stray quote opens here\n' + rows5 + b'r6,T,ends with a quote"\n',
          loaded={**{f"r{i}": f"row {i} text" for i in range(1, 6)}, "r6": 'ends with a quote"'},
          bad={"line 3": "unbalanced quote"})
    c.csv("csv_unclosed_quote", b'u3,T,"never closed\n' + rows5,
          loaded={f"r{i}": f"row {i} text" for i in range(1, 6)}, bad={"line 3": "unbalanced quote"})
    c.csv("csv_bad_quote", b'q3,T,"he said "hi" there\n', bad={"line 3": "quote"})
    c.csv("csv_multiline_ok", b'm1,T,"para one\npara two, with a comma\n""quoted"" para three"\n',
          loaded={"m1": 'para one\npara two, with a comma\n"quoted" para three'})
    c.raw("csv_two_col_multiline", "csv_two_col_multiline.csv",
          b'id,text\n5,"Beijing, the capital.\nShanghai, the port."\n6,next\n',
          loaded={"5": "Beijing, the capital.\nShanghai, the port.", "6": "next"})
    c.csv("csv_raw_nul", b"n3,T,a\x00b\n", bad={"line 3": "NUL character"})
    c.csv("csv_latin1", b"l3,T,caf\xe9\n", bad={"line 3": "not valid UTF-8"})
    c.csv("csv_ragged_long", b"x3,T,text,extra\n", bad={"line 3": "4 fields, the header has 3"})
    c.csv("csv_ragged_short", b"x3,T\n", bad={"line 3": "2 fields, the header has 3"})
    c.csv("csv_crlf", b"c3,T,carriage\r\n", loaded={"c3": "carriage"})
    c.csv("csv_injection_text", b'j3,T,"' + INJECT.replace('"', '""').encode() + b'"\n', loaded={"j3": INJECT.strip()})
    c.raw("csv_bom", "csv_bom.csv", b"\xef\xbb\xbfid,text\nb1,with a BOM\n", loaded={"b1": "with a BOM"})
    c.raw("csv_utf16", "csv_utf16.csv", "id,text\nw1,wide\n".encode("utf-16"), bad={"whole file": "UTF-16"})
    c.raw("csv_empty", "csv_empty.csv", b"", bad={"whole file": "empty file"})
    c.raw("csv_header_only", "csv_header_only.csv", b"id,text\n", bad={"whole file": "no records"})
    c.raw("csv_duplicate_columns", "csv_duplicate_columns.csv", b"id,text,text\nd1,a,b\n",
          bad={"whole file": "duplicate column"})

    # ---- Parquet
    ok1, ok2 = c.ok("pq_nul", 1)["text"], c.ok("pq_nul", 2)["text"]
    c.parquet("pq_nul", pa.table({"id": ["v1", "h", "v2"], "text": [ok1, "a\x00b", ok2]}),
              bad={"row 2": "NUL character"})
    ok1, ok2 = c.ok("pq_text_int", 1)["text"], c.ok("pq_text_int", 2)["text"]
    c.parquet("pq_text_int", pa.table({"id": ["v1", "h", "v2"], "text": [ok1, None, ok2], "content": [None, 5, None]}),
              bad={"row 2": "'text' must be a string"})
    c.parquet("pq_float_ids", pa.table({"id": [1.0, float("nan")], "text": ["one", "two"]}),
              bad={"row 1": "'id' must be a string or an integer", "row 2": "'id' must be a string or an integer"})
    c.parquet("pq_struct_text", pa.table({"id": ["s1", "s2"], "text": [{"a": "x"}, {"a": "y"}]}),
              bad={"row 1": "'text' must be a string", "row 2": "'text' must be a string"})
    c.parquet("pq_timestamps",
              pa.table({"id": ["t1"], "text": ["dated"], "date": pd.to_datetime(["2022-02-03 10:00"])}),
              loaded={"t1": "dated"}, props={"t1": {"published": "2022-02-03"}})
    pq.write_table(pa.table({"id": ["g1", "g2"], "text": ["g one", "g two"]}), c.path("tmp.parquet"))
    whole = c.path("tmp.parquet").read_bytes()
    c.path("tmp.parquet").unlink()
    c.raw("pq_truncated", "pq_truncated.parquet", whole[: len(whole) // 2],
          bad={"whole file": "not a readable Parquet file"})
    c.raw("pq_garbage", "pq_garbage.parquet", b"PAR1 this is not parquet at all",
          bad={"whole file": "not a readable Parquet file"})

    # ---- JSON lists and the NaVAB release format (one item per line, so lines are known)
    def json_list(items: list) -> bytes:
        return b"[\n" + b",\n".join(i if isinstance(i, bytes) else json.dumps(i, ensure_ascii=False).encode()
                                    for i in items) + b"\n]\n"
    ok_n = [_navab(f"Nation keeps its word {i}.", f"news {i}") for i in range(3)]
    ok_o = [_navab(f"The government supports trade {i}.", f"official news {i}") for i in range(3)]
    c.statements |= {_sid(r["statement"], "quoted") for r in ok_n} | {_sid(r["statement"], "official") for r in ok_o}
    for r in ok_n + ok_o:  # NaVAB rows carry no id: source "navab-<nation>", hashed id (docs/user_guide.md)
        c.articles[f"navab-{NATION}:{short_hash(f'navab-{NATION}', None, None, r['raw_news'])}"] = r["raw_news"]
    bad_deep = f'{{"statement": "deep", "meta": {deep}}}'.encode()
    c.raw("navab_deep_nesting", "navab_deep/human_statement_result.json",
          json_list([ok_n[0], bad_deep, ok_n[1]]), bad={"line 3 (item 2)": "nested too deeply"})
    c.raw("navab_malformed_item", "navab_malformed/official_statement_result.json",
          json_list([ok_o[0], b'{"statement": "x" "generated Q": "y"}', ok_o[1],
                     {"statement": "nul \u0000 here", "generated Q": "q", "generated reverse statement": "r"},
                     {"statement": "only a statement"}, ok_o[2]]),
          bad={"line 3 (item 2)": "malformed JSON", "line 5 (item 4)": "NUL character",
               "line 6 (item 5)": "missing key"})
    c.raw("navab_truncated", "navab_truncated/human_statement_result.json",
          json_list([ok_n[2], _navab("never finished", "n")])[:-25], bad={"line 3 (item 2)": "malformed JSON"})
    c.raw("json_not_list", "json_not_list.json", b'"just a string"', bad={"whole file": "expected a JSON list"})
    c.raw("json_empty", "json_empty.json", b"", bad={"whole file": "empty file"})
    c.raw("json_items", "json_items.json", json_list([{"id": "j1", "text": "json one"}, 42,
                                                      {"id": "j2", "text": "json two"}]),
          loaded={"j1": "json one", "j2": "json two"}, bad={"line 3 (item 2)": "expected a JSON object"})
    # ---- paths
    c.raw("dir_named_like_a_file", "folder.jsonl/inner.jsonl", json.dumps({"id": "i1", "text": "inside"}).encode(),
          loaded={"i1": "inside"}, stem="inner")
    c.raw("unknown_extension", "notes.txt", b"not news", stem="notes")
    c.raw("control_char_in_file_name", "tab\tname.jsonl", json.dumps({"id": "t", "text": "t"}).encode(),
          bad={"whole file": "cannot serve as its source"})
    return c


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return build(tmp_path / "hostile")


def _articles(store) -> dict[str, dict]:
    rows = store.run("MATCH (a:Article) RETURN a.id AS id, a.text AS text, a.truncated AS truncated, "
                     "a.published AS published, a.published_raw AS published_raw, a.nation AS nation", write=False)
    return {r["id"]: r for r in rows}


def _quarantine(settings, root: Path) -> list[dict]:
    p = settings.data_dir / "quarantine.jsonl"
    rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []
    return [r for r in rows if r.get("file") and r["file"].startswith(str(root))]


def test_corpus_has_at_least_40_kinds(corpus):
    assert len(set(corpus.kinds)) >= 40, len(corpus.kinds)
    exts = {Path(f).suffix for f, _ in corpus.bad}
    assert {".jsonl", ".csv", ".parquet", ".json", ".gz"} <= exts


def test_every_bad_row_is_quarantined_and_every_valid_row_loaded_once(corpus, cli, store, settings):
    res = cli("load", str(corpus.root), "--nation", NATION)
    assert "Traceback" not in res.output
    got = _articles(store)
    assert set(got) == set(corpus.articles), (set(got) ^ set(corpus.articles))
    for aid, text in corpus.articles.items():
        assert got[aid]["text"] == text, aid
        assert got[aid]["nation"] == NATION
        for k, v in corpus.props.get(aid, {}).items():
            assert got[aid][k] == v, (aid, k, got[aid][k])
    sts = {r["id"] for r in store.run("MATCH (s:Statement) RETURN s.id AS id", write=False)}
    assert sts == corpus.statements
    assert store.run("MATCH (n:Pwn) RETURN count(n) AS c", write=False)[0]["c"] == 0

    q = _quarantine(settings, corpus.root)
    rel = lambda r: str(Path(r["file"]).relative_to(corpus.root))  # noqa: E731
    bad = {(rel(r), r["where"]): r for r in q if not r.get("kept")}
    kept = {(rel(r), r["where"]): r for r in q if r.get("kept")}
    assert set(bad) == set(corpus.bad), (set(bad) ^ set(corpus.bad))
    assert set(kept) == set(corpus.kept), (set(kept) ^ set(corpus.kept))
    for key, why in {**corpus.bad, **corpus.kept}.items():
        r = bad.get(key) or kept[key]
        assert why in r["reason"], (key, r["reason"])
        assert "Error" not in r["reason"] and "Traceback" not in r["reason"], r["reason"]  # words, not exceptions
        if key[1] != "whole file" and "could not be read" not in r["reason"]:  # (a broken gzip stream has none)
            assert isinstance(r["record"], str) and r["record"], key  # the raw text
            assert len(r["record"]) <= 2100, (key, len(r["record"]))  # truncated
    huge = bad[("huge_malformed_line.jsonl", "line 2")]
    assert huge["record"].startswith('{"id": "h", "text": "zzz') and huge["record_chars"] > 200_000
    assert bad[("invalid_utf8.jsonl", "line 2")]["record"] == '{"id": "h", "text": "caf\\xe9"}'
    assert "notes.txt" in res.output  # a file of unknown format is reported, not silently skipped

    # loading it all again changes nothing: ids do not depend on how the files were named
    cli("load", str(corpus.root / "crlf.jsonl"), "--nation", NATION)
    cli("load", str(corpus.root / "folder.jsonl"), "--nation", NATION)
    assert set(_articles(store)) == set(corpus.articles)


def test_strict_stops_at_the_first_bad_row_with_its_place_and_reason(corpus, cli, store):
    res = cli("load", str(corpus.root / "nul_escape.jsonl"), "--nation", NATION, "--strict", ok=False)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"{corpus.root / 'nul_escape.jsonl'}, line 2: " in res.output.replace("\n", "")
    assert "NUL character" in res.output
    res = cli("load", str(corpus.root / "csv_stray_quote.csv"), "--nation", NATION, "--strict", ok=False)
    assert res.exit_code == 1 and "line 3" in res.output and "unbalanced quote" in res.output
    res = cli("load", str(corpus.root / "broken_gzip.jsonl.gz"), "--nation", NATION, "--strict", ok=False)
    assert res.exit_code == 1 and "line 3" in res.output and "truncated" in res.output


def test_a_whole_unreadable_file_given_alone_is_reported_in_one_line(corpus, cli):
    for name in ("pq_garbage.parquet", "utf16_jsonl.jsonl", "json_not_list.json"):
        res = cli("load", str(corpus.root / name), "--nation", NATION)
        assert "Traceback" not in res.output and "quarantined" in res.output
