"""An embedding change makes topics and link stale: their vectors come from the embedding model, so `run` must
not call topics made with another model (or token limit, or USE pass) up to date. The default configuration is
left out of the recorded settings, so runs recorded before the model was recorded still match."""
from __future__ import annotations

from pathlib import Path

from navab_graph.pipeline import _link_settings, _topics_settings, why_run

ROOT = Path(__file__).resolve().parent.parent


def _stages(output: str) -> dict[str, str]:
    rows = [ln for ln in output.splitlines() if "│ FR" in ln]
    return {ln.split("│")[2].strip(): ln.split("│")[3].strip() for ln in rows}


def test_an_embedding_change_makes_topics_and_link_stale(tmp_path, cli, store, settings, monkeypatch):
    lines = (ROOT / "examples" / "data" / "FR.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    data = tmp_path / "FR.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("run", "--nation", "FR", str(data), "--out", str(tmp_path / "snap"))
    assert "embedding" not in _topics_settings(settings, {})  # the default: recorded as before
    assert why_run(store, settings, "FR", "topics", _topics_settings(settings, {})) == ""
    assert why_run(store, settings, "FR", "link", _link_settings(settings)) == ""
    for change in ({"max_tokens": 128}, {"models": {"*": "minilm"}}, {"models": {"fr": "minilm", "*": "usem3"}},
                   {"package_forward": True}):
        s2 = settings.model_copy(update={"embedding": settings.embedding.model_copy(update=change)})
        assert why_run(store, s2, "FR", "topics", _topics_settings(s2, {})) == "settings changed", change
        assert why_run(store, s2, "FR", "link", _link_settings(s2)) == "settings changed", change
    # through the CLI: another token limit re-runs topics and link, and the run after that skips them again
    monkeypatch.setenv("NAVAB_EMBEDDING__MAX_TOKENS", "128")
    res = cli("run", "--nation", "FR", str(data), "--out", str(tmp_path / "snap"))
    st = _stages(res.output)
    assert st["topics"] == "ran" and st["link"] == "ran", res.output
    res = cli("run", "--nation", "FR", str(data), "--out", str(tmp_path / "snap"))
    st = _stages(res.output)
    assert st["topics"] == "skipped" and st["link"] == "skipped", res.output
