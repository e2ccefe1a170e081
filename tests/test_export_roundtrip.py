"""Graph -> export -> navab_eval reader round trips, NaVAB release interop, byte-identical re-export."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from navab_eval.snapshot import COLUMNS, load_snapshot, navab_id

from test_export_helpers import load_cn, set_topics, sid, text_split

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)


def _expected(arts, topics=None, source="xinhua"):
    """The records the export must produce, computed from the input files alone (the oracle)."""
    out = {}
    for a in arts:
        for st in a["statements"]:
            if not st.get("question") or not st.get("reverse"):
                continue
            rid = sid(a, st, source)
            kind = st.get("kind") or ("quoted" if st.get("speaker") else "official")
            out[rid] = {"id": rid, "nation": "CN", "set": kind, "question": st["question"],
                        "statement": st["text"], "reverse_statement": st["reverse"], "language": "zh",
                        "split": text_split("CN", st["text"]), "cr_status": "kept", "topic": (topics or {}).get(f"{source}:{a['id']}"),
                        "speaker": st.get("speaker"), "source": source, "article_id": f"{source}:{a['id']}",
                        "url": a["url"], "published": a["published"], "cr_round": None, "cr_reason": None}
    return out


def test_graph_export_reader_same_records(cli, tmp_path):
    arts = load_cn(cli, tmp_path)
    topics = set_topics(cli)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))
    snap = load_snapshot(tmp_path / "snap")  # verifies every sha256 in the manifest
    # every field of the contract (COLUMNS: the snapshot's columns), compared value for value
    got = {r.id: {c: getattr(r, c) for c in COLUMNS} for r in snap.records}
    exp = _expected(arts, topics)
    assert len(exp) == 25  # 12 x 2 + the kind-less statement; the incomplete one is not a triple
    assert all(list(e) == list(COLUMNS) for e in exp.values())  # the oracle covers each contract field
    assert got == exp
    # the reader's provenance field, from the manifest: this graph was never reduced, so without CR
    man = json.loads((tmp_path / "snap/CN/manifest.json").read_text())
    assert man["with_conflict_reduction"] is False and {r.condition for r in snap.records} == {"without_cr"}
    assert [r.id for r in snap.records if r.set == "quoted"] == sorted(r for r in exp if exp[r]["set"] == "quoted")
    # the kind-less statement with a speaker landed in the quoted set
    kindless = next(r for r in snap.records if r.statement == "无类别但有发言人。")
    assert kindless.set == "quoted" and kindless.speaker == "发言人甲"
    # parquet and jsonl twins hold the same rows, in id order
    pq_rows = pq.read_table(tmp_path / "snap/CN/quoted.parquet").to_pylist()
    jl_rows = [json.loads(x) for x in (tmp_path / "snap/CN/quoted.jsonl").read_text(encoding="utf-8").splitlines()]
    assert pq_rows == jl_rows and [r["id"] for r in pq_rows] == sorted(r["id"] for r in pq_rows)


def test_reexport_is_byte_identical(cli, tmp_path):
    load_cn(cli, tmp_path)
    set_topics(cli)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "one"))
    # a re-load of the same files must not change ids or bytes either
    cli("load", str(tmp_path / "xinhua.jsonl"), "--nation", "CN", "--source", "xinhua")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "two"))
    names = ["quoted.parquet", "quoted.jsonl", "official.parquet", "official.jsonl"]
    for n in names:
        assert (tmp_path / "one/CN" / n).read_bytes() == (tmp_path / "two/CN" / n).read_bytes(), n
    m1 = json.loads((tmp_path / "one/CN/manifest.json").read_text())
    m2 = json.loads((tmp_path / "two/CN/manifest.json").read_text())
    assert m1["files"] == m2["files"] and m1["counts"] == m2["counts"]


def test_split_seed_from_settings_is_used_and_recorded(cli, tmp_path, monkeypatch):
    load_cn(cli, tmp_path)
    monkeypatch.setenv("NAVAB_EXPORT__SPLIT_SEED", "other-seed")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "s"))
    man = json.loads((tmp_path / "s/CN/manifest.json").read_text())
    assert man["split_seed"] == "other-seed"
    rows = load_snapshot(tmp_path / "s").records
    assert man["split_key"] == "statement_text"
    assert all(r.split == text_split("CN", r.statement, "other-seed") for r in rows)
    assert any(text_split("CN", r.statement, "other-seed") != text_split("CN", r.statement) for r in rows)


def test_navab_release_json_load_export_reader(cli, tmp_path):
    folder = tmp_path / "China"
    folder.mkdir()
    human = [{"statement": f"我们坚持一个中国原则 {i}。", "source": "外交部发言人", "generated Q": f"中国对台湾的立场？{i}",
              "generated reverse statement": f"我们放弃一个中国原则 {i}。", "raw_news": f"新闻全文 {i}",
              "date": "2023-05-01", "url": f"https://mfa.example/{i}"} for i in range(8)]
    official = [{"statement": f"政府支持多边主义 {i}。", "source": "新华社", "generated Q": f"政府如何看待多边主义？{i}",
                 "generated reverse statement": f"政府反对多边主义 {i}。"} for i in range(6)]
    (folder / "human_statement_result.json").write_text(json.dumps(human, ensure_ascii=False), encoding="utf-8")
    (folder / "official_statement_result.json").write_text(json.dumps(official, ensure_ascii=False),
                                                             encoding="utf-8")
    cli("load", str(folder / "human_statement_result.json"), "--nation", "CN")
    cli("load", str(folder / "official_statement_result.json"), "--nation", "CN")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))

    from_release = {r.id: r for r in load_snapshot(folder).records}
    exported = {r.id: r for r in load_snapshot(tmp_path / "snap").records}
    assert len(from_release) == 14 and exported.keys() == from_release.keys()
    for rid, r in exported.items():
        ref = from_release[rid]
        assert rid == navab_id("CN", r.set, r.statement)
        for col in ("nation", "set", "question", "statement", "reverse_statement", "language", "url",
                    "published", "split"):
            assert getattr(r, col) == getattr(ref, col), (rid, col)
        # both key the split by the statement text (the release read directly splits as its export does)
        assert r.split == text_split("CN", r.statement)
    quoted = [r for r in exported.values() if r.set == "quoted"]
    assert len(quoted) == 8 and {r.speaker for r in quoted} == {"外交部发言人"}


def test_manifest_and_rows_match_the_contract(cli, tmp_path):
    load_cn(cli, tmp_path)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))
    d = tmp_path / "snap/CN"
    man = json.loads((d / "manifest.json").read_text())
    for key in ("schema_version", "nation", "with_conflict_reduction", "pipeline_version", "config_hash",
                "created_at", "split_seed", "counts", "files"):
        assert key in man, key
    # never reduced: the manifest does not claim Conflict Reduction (computed from the graph, issue 12)
    assert man["schema_version"] == "1.0" and man["nation"] == "CN" and man["with_conflict_reduction"] is False
    assert man["created_at"].endswith("Z")
    assert set(man["files"]) == {"quoted.parquet", "quoted.jsonl", "official.parquet", "official.jsonl"}
    for name, digest in man["files"].items():
        assert hashlib.sha256((d / name).read_bytes()).hexdigest() == digest
    from navab_eval.snapshot import COLUMNS, REQUIRED

    schema = pq.read_schema(d / "quoted.parquet")
    assert set(schema.names) == set(COLUMNS)  # every column the reader's Record has, and no other
    contract = Path(__file__).resolve().parents[1] / "docs/SNAPSHOT_FORMAT.md"
    table = [ln.split("|")[1].strip() for ln in contract.read_text(encoding="utf-8").split("## manifest.json")[0]
             .splitlines() if ln.startswith("| ") and not ln.startswith("| column")]
    assert list(schema.names) == table  # in the contract's column order
    types = {f.name: str(f.type) for f in schema}
    assert types["cr_round"] == "int64" and all(types[c] == "string" for c in COLUMNS if c != "cr_round")
    assert all(not schema.field(c).nullable for c in REQUIRED)
    for set_name in ("quoted", "official"):
        rows = pq.read_table(d / f"{set_name}.parquet").to_pylist()
        assert {r["split"] for r in rows} <= {"train", "test"} and {r["set"] for r in rows} == {set_name}
        assert {r["cr_status"] for r in rows} == {"kept"}
        c = man["counts"][set_name]
        assert c["total"] == len(rows) == c["train"] + c["test"]
        assert c["train"] == sum(r["split"] == "train" for r in rows)


def test_reader_rejects_a_file_changed_after_export(cli, tmp_path):
    load_cn(cli, tmp_path, n=3)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))
    p = tmp_path / "snap/CN/official.jsonl"
    p.write_text(p.read_text(encoding="utf-8").replace("open trade", "closed trade"), encoding="utf-8")
    import pytest
    from navab_eval.snapshot import SnapshotError

    with pytest.raises(SnapshotError, match="sha256 mismatch"):
        load_snapshot(tmp_path / "snap")
    assert not list(Path(tmp_path / "snap/CN").glob(".*tmp"))


def test_split_rule_is_the_contracts_and_keyed_by_text():
    from navab_graph.export.schema import normalize_statement, split_of as ours

    texts = [f"Statement {i}: the state {hashlib.sha256(str(i).encode()).hexdigest()[:8]}." for i in range(20000)]
    assert all(ours("CN", t, "navab-v1") == text_split("CN", t) for t in texts)
    train = sum(ours("CN", t, "navab-v1") == "train" for t in texts) / len(texts)
    assert 0.79 < train < 0.81
    # the same text however spaced, and composed or decomposed, is one key; case is not folded
    assert normalize_statement("  Caf\u0065\u0301 is\t open \n") == "Caf\u00e9 is open"
    assert normalize_statement("A  b") != normalize_statement("a b")
    assert all(ours("CN", t, "navab-v1") == ours("CN", f" {t.replace(' ', chr(10) + '  ')} ", "navab-v1")
               for t in texts[:2000])
    # the nation is part of the key: nations split independently
    assert any(ours("CN", t, "navab-v1") != ours("US", t, "navab-v1") for t in texts[:200])
    assert ours("CN", texts[0], "navab-v1", 100) == "train" and ours("CN", texts[0], "navab-v1", 0) == "test"
