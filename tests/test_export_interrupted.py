"""An export never leaves a folder that reads as a valid snapshot of another state: it runs under the nation's
writer lock, re-checks the graph after reading the rows, drops the old manifest before writing, and readers
read only what the manifest lists (a parquet left by an interrupted export beside an older jsonl-only manifest
was read as the snapshot, sha256 checks passing)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from navab_eval.snapshot import load_snapshot

from navab_graph.export import diff as export_diff
from navab_graph.export import stage as export_stage
from navab_graph.export.diff import SnapshotReadError, read_nation
from navab_graph.locks import writer_lock
from test_export_helpers import load_cn, remove, sid


def test_export_waits_for_no_writer_of_its_nation(cli, settings, tmp_path):
    load_cn(cli, tmp_path)
    env = {**os.environ, "NAVAB_DATA_DIR": str(settings.data_dir), "NAVAB_GRAPH_NAME": settings.graph_name}
    with writer_lock(settings, "CN", "reduce --nation CN"):  # a reduce of CN holds the lock
        p = subprocess.run([sys.executable, "-m", "navab_graph", "--quiet", "export", "--nation", "CN", "--out",
                            str(tmp_path / "snap")], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and "busy: reduce --nation CN" in p.stderr, p.stderr
    assert not (tmp_path / "snap").exists()


def test_a_change_while_the_rows_are_read_writes_nothing(cli, store, settings, tmp_path, monkeypatch):
    arts = load_cn(cli, tmp_path)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "snap"))
    before = (tmp_path / "snap" / "CN" / "manifest.json").read_text()
    orig = export_stage.collect_rows

    def racing(*a, **k):  # a writer navab-graph's locks cannot see (a hand-written query) slips in
        out = orig(*a, **k)
        store.run("MATCH (s:Statement {id: $id}) SET s.status = 'removed'", {"id": sid(arts[2], arts[2]["statements"][0])})
        return out
    monkeypatch.setattr(export_stage, "collect_rows", racing)
    with pytest.raises(export_stage.StaleExport, match="changed while the export read it"):
        export_stage.export_nation(store, settings, "CN", tmp_path / "snap")
    assert (tmp_path / "snap" / "CN" / "manifest.json").read_text() == before  # the old snapshot is untouched
    assert len(read_nation(tmp_path / "snap" / "CN")) == 25


def test_an_export_cut_short_leaves_no_readable_mix(cli, store, settings, tmp_path, monkeypatch):
    arts = load_cn(cli, tmp_path)
    snap = tmp_path / "snap"
    cli("export", "--nation", "CN", "--out", str(snap), "--format", "jsonl")
    remove(cli, sid(arts[3], arts[3]["statements"][0]), 1, "minority side")
    calls = []
    orig = export_stage.write_set

    def killed(nation_dir, set_name, rows, formats):
        if calls:
            raise KeyboardInterrupt  # the process dies after the first new file is in place
        calls.append(set_name)
        return orig(nation_dir, set_name, rows, formats)
    monkeypatch.setattr(export_stage, "write_set", killed)
    (snap / "CN" / ".quoted.parquet.abc123.tmp").write_bytes(b"")  # left by an export killed earlier
    with pytest.raises(KeyboardInterrupt):
        export_stage.export_nation(store, settings, "CN", snap, with_cr=False, formats=("parquet",))
    assert (snap / "CN" / "quoted.parquet").is_file() and not (snap / "CN" / "manifest.json").exists()
    with pytest.raises(SnapshotReadError):
        export_diff.diff_snapshots(snap, snap)
    with pytest.raises(Exception, match="manifest"):
        load_snapshot(snap)
    assert not list((snap / "CN").glob(".*.tmp"))
    monkeypatch.setattr(export_stage, "write_set", orig)
    export_stage.export_nation(store, settings, "CN", snap, with_cr=False, formats=("parquet",))
    assert len(read_nation(snap / "CN")) == 25


def test_readers_refuse_a_data_file_the_manifest_does_not_list(cli, tmp_path):
    load_cn(cli, tmp_path)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "a"), "--format", "jsonl")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "b"), "--format", "parquet")
    stray = tmp_path / "a" / "CN" / "quoted.parquet"
    stray.write_bytes((tmp_path / "b" / "CN" / "quoted.parquet").read_bytes())
    with pytest.raises(SnapshotReadError, match="does not list"):
        read_nation(tmp_path / "a" / "CN")
    assert len(read_nation(tmp_path / "a" / "CN", verify=False)) == 25  # the listed jsonl only
    # a listed file cut short is caught by its count even without the sha256 check
    stray.unlink()
    jl = tmp_path / "a" / "CN" / "official.jsonl"
    jl.write_text("".join(jl.read_text(encoding="utf-8").splitlines(keepends=True)[:3]), encoding="utf-8")
    with pytest.raises(SnapshotReadError, match="manifest.json says"):
        read_nation(tmp_path / "a" / "CN", verify=False)
    m = json.loads((tmp_path / "a" / "CN" / "manifest.json").read_text())
    assert set(m["files"]) == {"quoted.jsonl", "official.jsonl"}
