"""Issue 17 dead ends on the graph side: a multi-nation `run` finishes every nation it can and says per nation
why one failed; `status` prints whole numbers; `export --out` naming a file is one clear line."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _subset(tmp_path: Path, nation: str, n: int) -> Path:
    lines = (ROOT / "examples" / "data" / f"{nation}.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    p = tmp_path / f"{nation}.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_multi_nation_run_finishes_the_others_and_names_the_failure(tmp_path, cli):
    us, de = _subset(tmp_path, "US", 60), _subset(tmp_path, "DE", 60)
    ov = tmp_path / "screening.yaml"  # screening finds no value topic for DE
    ov.write_text("force_out: [" + ", ".join(f'"DE:{i}"' for i in range(-1, 60)) + "]\n")
    out = tmp_path / "snap"
    res = cli("run", "-n", "DE", "-n", "US", str(de), str(us), "--out", str(out), "--overrides", str(ov), ok=False)
    assert res.exit_code != 0
    text = res.output
    rows = [ln.split("│") for ln in text.splitlines() if ln.startswith("│ ")]
    status = {(r[1].strip(), r[2].strip()): r[3].strip() for r in rows if len(r) > 4}
    assert status[("US", "export")] == "ran", text  # the nation after the failing one ran to the end
    assert status[("DE", "screen")] == "ran" and status[("DE", "extract")] == "failed", text
    assert (out / "with_cr" / "US" / "manifest.json").exists()
    assert not (out / "with_cr" / "DE").exists()
    reason = [ln for ln in text.splitlines() if "DE" in ln and "value-related" in ln]
    assert reason, text
    assert "Traceback" not in text


def test_status_prints_whole_numbers(tmp_path, cli):
    p = tmp_path / "US.jsonl"
    p.write_text("".join(json.dumps({"id": f"u{i}", "title": f"t{i}", "text": f"text {i}"}) + "\n" for i in range(3)))
    cli("load", str(p), "--nation", "US")
    res = cli("status", "--nation", "US")
    assert ".0" not in res.output, res.output
    st = json.loads(cli("status", "--nation", "US", "--json").output)
    assert st["counts"]["articles"] == 3 and all(isinstance(v, int) for v in st["counts"].values()), st["counts"]


def test_export_out_naming_a_file_is_one_clear_line(tmp_path, cli):
    p = tmp_path / "CN.jsonl"
    p.write_text(json.dumps({"id": "c1", "text": "正文。", "statements": [
        {"text": "中国坚持和平发展道路。", "question": "中国的立场是什么？", "reverse": "中国放弃和平发展道路。",
         "kind": "official"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    cli("load", str(p), "--nation", "CN")
    target = tmp_path / "taken.txt"
    target.write_text("not a folder")
    res = cli("export", "--nation", "CN", "--out", str(target), ok=False)
    assert res.exit_code != 0 and "not a folder" in res.output, res.output
    assert "Traceback" not in res.output and "NotADirectoryError" not in res.output
    assert len(res.output.strip().splitlines()) <= 2, res.output
    assert target.read_text() == "not a folder"
