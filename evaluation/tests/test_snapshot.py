import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from navab_eval.fixtures import write_snapshot
from navab_eval.snapshot import (COLUMNS, Record, SnapshotError, load_snapshot, sha256_file, split_of,
                                 text_split)


def _write_contract_parquet(path, rows):
    """Written directly from the contract (docs/SNAPSHOT_FORMAT.md), not with navab_eval's writer."""
    schema = pa.schema([("id", pa.string()), ("nation", pa.string()), ("set", pa.string()),
                        ("question", pa.string()), ("statement", pa.string()), ("reverse_statement", pa.string()),
                        ("language", pa.string()), ("topic", pa.string()), ("speaker", pa.string()),
                        ("source", pa.string()), ("article_id", pa.string()), ("url", pa.string()),
                        ("published", pa.string()), ("split", pa.string()), ("cr_status", pa.string()),
                        ("cr_round", pa.int64()), ("cr_reason", pa.string())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def _contract_row(i, set_name="quoted"):
    rid = f"id{i:03d}"
    return {"id": rid, "nation": "CN", "set": set_name, "question": f"问题{i}？", "statement": f"陈述{i}",
            "reverse_statement": f"反陈述{i}", "language": "zh", "topic": None, "speaker": "张三",
            "source": "xinhua", "article_id": f"a{i}", "url": None, "published": "2024-01-02",
            "split": split_of(rid), "cr_status": "kept" if i % 3 else "removed", "cr_round": None if i % 3 else 2,
            "cr_reason": None if i % 3 else "conflict"}


def test_contract_files_load_and_filter(tmp_path):
    nation_dir = tmp_path / "CN"
    nation_dir.mkdir()
    rows = [_contract_row(i) for i in range(10)]
    _write_contract_parquet(nation_dir / "quoted.parquet", rows)
    manifest = {"schema_version": "1.0", "nation": "CN", "files": {"quoted.parquet":
                                                                   sha256_file(nation_dir / "quoted.parquet")}}
    (nation_dir / "manifest.json").write_text(json.dumps(manifest))
    for path in (tmp_path, nation_dir, nation_dir / "quoted.parquet"):
        snap = load_snapshot(path)
        assert [r.id for r in snap.records] == [r["id"] for r in rows]
        assert snap.records[3].cr_round == 2 and snap.records[3].cr_reason == "conflict"
        assert snap.records[1].cr_round is None and snap.records[1].speaker == "张三"
    test_ids = [r["id"] for r in rows if r["split"] == "test"]
    assert [r.id for r in load_snapshot(tmp_path, split="test").records] == test_ids
    assert len(load_snapshot(tmp_path, cr_status="removed").records) == 4
    with pytest.raises(SnapshotError, match="no records left"):
        load_snapshot(tmp_path, sets=["official"])


def test_writer_roundtrip_all_inputs(records, snapshot_root):
    snap = load_snapshot(snapshot_root)
    assert sorted(r.id for r in snap.records) == sorted(r.id for r in records)
    assert {r.id: r for r in snap.records} == {r.id: r for r in records}
    assert len(snap.files) == 4 * 4  # parquet + jsonl for 2 sets, 4 nations: every manifest file verified
    one = load_snapshot(snapshot_root / "FR" / "official.jsonl")
    assert {r.id for r in one.records} == {r.id for r in records if r.nation == "FR" and r.set == "official"}
    only = load_snapshot(snapshot_root, nations=["germany"], sets=["quoted"], split="train")
    assert {r.id for r in only.records} == {r.id for r in records if r.nation == "DE" and r.set == "quoted"
                                            and r.split == "train"}
    assert len(snap.data_sha256) == 64 and snap.data_sha256 == load_snapshot(snapshot_root).data_sha256


def test_datasets_loads_our_parquet(snapshot_root, records):
    import datasets

    path = snapshot_root / "CN" / "quoted.parquet"
    ds = datasets.load_dataset("parquet", data_files=str(path), split="train")
    assert ds.column_names == list(COLUMNS)
    expected = sorted((r for r in records if r.nation == "CN" and r.set == "quoted"), key=lambda r: r.id)
    assert ds["id"] == [r.id for r in expected]
    assert ds["question"] == [r.question for r in expected]


def test_split_rule_matches_contract():
    rid = "abc123"
    bucket = int(hashlib.sha256(("navab-v1:" + rid).encode()).hexdigest()[:8], 16) % 100
    assert split_of(rid) == ("train" if bucket < 80 else "test")
    splits = [split_of(f"id{i}") for i in range(2000)]
    assert 0.75 < splits.count("train") / 2000 < 0.85


def test_missing_manifest(snapshot_root):
    (snapshot_root / "US" / "manifest.json").unlink()
    with pytest.raises(SnapshotError, match=r"US/manifest.json: missing manifest"):
        load_snapshot(snapshot_root / "US")
    with pytest.raises(SnapshotError, match="missing manifest"):
        load_snapshot(snapshot_root / "US" / "quoted.parquet")


def test_wrong_schema_version(snapshot_root):
    path = snapshot_root / "CN" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["schema_version"] = "2.0"
    path.write_text(json.dumps(manifest))
    with pytest.raises(SnapshotError, match=r"CN/manifest.json: schema_version '2.0' is not supported"):
        load_snapshot(snapshot_root)


def test_sha_mismatch(snapshot_root):
    path = snapshot_root / "DE" / "quoted.jsonl"
    path.write_text(path.read_text().replace("Kohle", "Kohl"))
    with pytest.raises(SnapshotError, match=r"DE/quoted.jsonl: sha256 mismatch"):
        load_snapshot(snapshot_root)
    assert load_snapshot(snapshot_root, verify=False).records  # the check can be switched off


def test_missing_columns_and_bad_rows(tmp_path):
    rows = [_contract_row(i) for i in range(3)]
    nation_dir = tmp_path / "CN"
    nation_dir.mkdir()
    pq.write_table(pa.Table.from_pylist([{k: v for k, v in r.items() if k != "reverse_statement"} for r in rows]),
                   nation_dir / "quoted.parquet")
    # listed (only listed files are read), digest not checked: the rows themselves are what is tested here
    (nation_dir / "manifest.json").write_text(json.dumps({"schema_version": "1.0",
                                                          "files": {"quoted.parquet": "not checked"}}))
    with pytest.raises(SnapshotError, match=r"CN/quoted.parquet: missing columns \['reverse_statement'\]"):
        load_snapshot(nation_dir, verify=False)
    rows[1]["statement"] = ""
    _write_contract_parquet(nation_dir / "quoted.parquet", rows)
    with pytest.raises(SnapshotError, match=r"quoted.parquet:2: empty or non-string required fields \['statement'\]"):
        load_snapshot(nation_dir, verify=False)
    snap = load_snapshot(nation_dir, strict=False, verify=False)
    assert len(snap.records) == 2 and len(snap.skipped) == 1 and "quoted.parquet:2" in snap.skipped[0]


def test_empty_snapshot(tmp_path):
    write_snapshot([], tmp_path, "GB")
    with pytest.raises(SnapshotError, match="empty snapshot"):
        load_snapshot(tmp_path)
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(SnapshotError, match="no manifest.json, nation directories or NaVAB"):
        load_snapshot(tmp_path / "empty_dir")


def test_navab_release_format(tmp_path):
    china = tmp_path / "China"
    china.mkdir()
    quoted = [{"statement": "陈述一", "source": "人民日报", "generated Q": "问题一？",
               "generated reverse statement": "反陈述一", "topic": "经济", "date": "2024-03-01"},
              {"statement": "陈述二", "source": "新华社", "generated Q": "问题二？",
               "generated reverse statement": "反陈述二"}]
    official = [{"statement": "官方陈述", "source": "新华社", "generated Q": "官方问题？",
                 "generated reverse statement": "官方反陈述"}]
    (china / "human_statement_result.json").write_text(json.dumps(quoted, ensure_ascii=False))
    (china / "official_statement_result.json").write_text(json.dumps(official, ensure_ascii=False))
    for path in (tmp_path, china):
        snap = load_snapshot(path)
        assert [(r.nation, r.set, r.language) for r in snap.records] == [("CN", "quoted", "zh")] * 2 + [
            ("CN", "official", "zh")]
        first = snap.records[0]
        assert first.id == hashlib.sha256("CN|quoted|陈述一".encode()).hexdigest()[:16]
        assert first.split == text_split("CN", "陈述一") and first.topic == "经济" and first.published == "2024-03-01"
        assert first.question == "问题一？" and first.reverse_statement == "反陈述一"
    one = load_snapshot(china / "human_statement_result.json", nation="cn")
    assert len(one.records) == 2


def test_navab_missing_keys(tmp_path):
    d = tmp_path / "US"
    d.mkdir()
    data = [{"statement": "s", "source": "cnn", "generated Q": "q?", "generated reverse statement": "rs"},
            {"statement": "s2", "source": "cnn", "generated Q": "q2?"}]
    (d / "human_statement_result.json").write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match=r"human_statement_result.json: record 1: missing or empty keys "
                                            r"\['generated reverse statement'\]"):
        load_snapshot(d)
    snap = load_snapshot(d, strict=False)
    assert [r.statement for r in snap.records] == ["s"] and len(snap.skipped) == 1


def test_record_is_the_contract():
    assert COLUMNS == ("id", "nation", "set", "question", "statement", "reverse_statement", "language", "split",
                       "cr_status", "topic", "speaker", "source", "article_id", "url", "published", "cr_round",
                       "cr_reason")
    # plus two provenance fields that are not columns: the snapshot's condition (with_cr / without_cr) and the
    # Conflict Reduction run its manifest names
    assert Record.__dataclass_fields__.keys() == set(COLUMNS) | {"condition", "cr_run"}
    assert not Record.__dataclass_fields__["condition"].compare and not Record.__dataclass_fields__["cr_run"].compare


def test_duplicate_id_is_refused_naming_both_places(records, tmp_path):
    us = [r for r in records if r.nation == "US" and r.set == "quoted"]
    twin = Record(**{**us[1].to_dict(), "id": us[0].id})  # another statement under the first one's id
    write_snapshot(us + [twin], tmp_path, "US", formats=("jsonl",))
    with pytest.raises(SnapshotError, match=rf"US/quoted.jsonl:\d+: duplicate id '{us[0].id}', already read at "
                                            rf".*US/quoted.jsonl:\d+"):
        load_snapshot(tmp_path)
    snap = load_snapshot(tmp_path, strict=False)  # the existing pattern: skip and report
    assert len(snap.records) == len(us) and len({r.id for r in snap.records}) == len(us)
    assert len(snap.skipped) == 1 and f"duplicate id '{us[0].id}'" in snap.skipped[0]


def test_only_listed_files_are_read_and_an_unlisted_one_is_refused(records, tmp_path):
    us = [r for r in records if r.nation == "US"]
    nation_dir = write_snapshot(us, tmp_path, "US", formats=("jsonl",))
    # a new parquet beside the old manifest, as an export interrupted before its manifest leaves it
    _write_contract_parquet(nation_dir / "quoted.parquet", [_contract_row(0)])
    with pytest.raises(SnapshotError, match=r"US/quoted.parquet: data file not listed in manifest.json \(it lists "
                                            r"official.jsonl, quoted.jsonl\); it may be left by an interrupted export"):
        load_snapshot(tmp_path)
    snap = load_snapshot(tmp_path, verify=False)  # unchecked: still only what the manifest lists
    assert sorted(r.id for r in snap.records) == sorted(r.id for r in us)
    with pytest.raises(SnapshotError, match="not listed in manifest.json"):
        load_snapshot(nation_dir / "quoted.parquet", verify=False)  # asked for by name: refused, not ignored


def test_rows_are_checked_against_the_manifest_counts(records, tmp_path):
    us = [r for r in records if r.nation == "US"]
    nation_dir = write_snapshot(us, tmp_path, "US", formats=("jsonl",))
    path = nation_dir / "quoted.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # cut short at a line boundary
    with pytest.raises(SnapshotError, match=rf"US/quoted.jsonl: {len(lines) - 1} rows, but manifest.json counts "
                                            rf"{len(lines)} quoted records"):
        load_snapshot(tmp_path, verify=False)
    path.unlink()  # the set's file gone altogether
    with pytest.raises(SnapshotError, match=rf"manifest.json counts {len(lines)} quoted records"):
        load_snapshot(tmp_path, verify=False)
