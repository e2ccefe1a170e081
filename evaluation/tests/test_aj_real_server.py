"""AJ through a REAL OpenAI-compatible server (`transformers serve` + the offline SmolLM2-135M, shared with the
graph tests via tests/llm_server.py): the same server answers the questions (`--backend openai`) and judges
them (`--judge <model> --judge-base-url`). A weak judge fails often; each failure must be recorded on its item
(reason, method, raw reply) and counted neither correct nor wrong. Two items, en and zh; small max tokens."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from navab_eval.cli import app
from navab_eval.judges import METHODS, JudgeError, LLMJudge

pytestmark = pytest.mark.real_llm


def test_aj_answer_and_judge_through_real_server(real_llm, snapshot_root, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-local")
    out = tmp_path / "aj"
    args = ["aj", "--data", str(snapshot_root), "--backend", "openai", "--model", real_llm.model,
            "--base-url", real_llm.base_url, "--judge", real_llm.model, "--judge-base-url", real_llm.base_url,
            "--nation", "US", "--nation", "CN", "--set", "quoted", "--limit", "1", "--max-new-tokens", "24",
            "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--quiet"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    items = [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]
    assert sorted(it["language"] for it in items) == ["en", "zh"]
    for it in items:
        assert it["answer"], it  # the served model answered through /v1/chat/completions
        assert it["verdict"] in ("S", "RS", "invalid")
        if it["verdict"] == "invalid":  # the judge's failure, on the item, neither correct nor wrong
            assert it["correct"] is None and it["reason"].startswith("judge failed")
            assert it["judge_error"] and it["judge_method"] in METHODS and "judge_raw" in it
        else:
            assert it["correct"] == (it["verdict"] == "S") and it["choice"] in ("A", "B")
            assert it["judge_method"] in METHODS
    summary = json.loads((out / "summary.json").read_text())
    invalid = sum(it["verdict"] == "invalid" for it in items)
    assert summary["invalid"] == invalid and summary["n"] == len(items) - invalid
    # a wrong judge model name: one clear line before any answer is generated
    with pytest.raises(JudgeError, match="'no-such-judge' is not served"):
        LLMJudge("no-such-judge", base_url=real_llm.base_url)
    bad = CliRunner().invoke(app, [*args[:6], "no-such-model", *args[7:]])
    assert bad.exit_code == 2 and "'no-such-model' is not served" in bad.output
