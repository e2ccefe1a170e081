"""`navab-graph show STATEMENT_ID` on a planted graph (load -> link -> reduce -> import-results -> verify)."""
from __future__ import annotations

import json
import re

import pytest
from _verify_graph import build_planted, import_verdicts, statements

from navab_graph.verify.provenance import in_context


@pytest.fixture
def planted(cli, tmp_path):
    return build_planted(cli, tmp_path)


def _show(cli, sid, *extra):
    return json.loads(cli("show", sid, "--json", *extra).output)


def test_show_removed_statement_decision_witness_articles_verdicts(planted, cli, store, tmp_path):
    removed = [s for s in statements(store, "US") if s["status"] == "removed"]
    r = removed[0]
    import_verdicts(cli, tmp_path, [
        {"id": r["id"], "nation": "US", "method": "mc", "model": "smollm2", "correct": False, "ppl_s": 12.5,
         "ppl_rs": 9.25, "set": "quoted", "split": "test"},
        {"id": r["id"], "nation": "US", "method": "aj", "model": "smollm2", "correct": True, "judge": "embedding",
         "verdict": "S"}])
    info = _show(cli, r["id"])
    assert info["nation"] == "US" and info["triple"]["statement"] == r["text"]
    d = info["decision"]
    assert d["status"] == "removed" and d["round"] == r["round"]
    assert d["conflicting"]["id"] == r["partner"]
    partner_text = next(s["text"] for s in statements(store, "US") if s["id"] == r["partner"])
    assert d["conflicting"]["text"] == partner_text
    assert [w["id"] for w in d["witness"]] == r["path"]
    # each hop of the witness path is a real LINKED edge, and the kinds are named
    assert all(w["linked_to_next"] for w in d["witness"][:-1]) and d["witness"][-1]["linked_to_next"] is None
    (art,) = info["articles"]
    assert art["id"] == r["path"][0] and art["context"]["match"] == "exact"
    assert r["text"].rstrip(".") in art["context"]["sentence"]
    assert {(v["model"], v["method"], v["correct"]) for v in info["verdicts"]} == {
        ("smollm2", "mc", False), ("smollm2", "aj", True)}
    mc = next(v for v in info["verdicts"] if v["method"] == "mc")
    assert (mc["ppl_s"], mc["ppl_rs"], mc["split"]) == (12.5, 9.25, "test")
    assert any(p["kind"] == "Person" for p in info["said_by"])
    assert info["made_by"]["preloaded"] is True
    # the partner knows what it caused
    partner = _show(cli, r["partner"])
    assert partner["decision"]["status"] == "kept"
    assert [x["id"] for x in partner["removed_because"]] == [r["id"]]
    assert any(s["id"] == r["id"] and s["relation"] == "CONFLICTS" for s in partner["stance"])
    # the plain text view names the same facts
    out = cli("show", r["id"]).output
    assert "removed" in out and r["partner"] in out and "witness path" in out and "smollm2" in out


def test_show_chinese_context_is_cut_in_python_and_html_page(planted, cli, store, tmp_path):
    removed = [s for s in statements(store, "CN") if s["status"] == "removed"][0]
    page = tmp_path / "s.html"
    info = _show(cli, removed["id"], "--html", str(page))
    ctx = info["articles"][0]["context"]
    assert ctx["match"] == "exact" and removed["text"].rstrip("。") in ctx["sentence"]
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    svg = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    import base64

    drawing = base64.b64decode(svg.group(1)).decode()
    assert drawing.lstrip().startswith("<?xml") and "<svg" in drawing
    # the key table lists the statement, its conflicting partner and the witness-path articles
    for must in (removed["id"], removed["partner"], *removed["path"]):
        assert must in html, must
    assert "S1" in drawing and "A1" in drawing  # node keys are drawn as text


def test_show_unknown_id_is_a_clear_error(cli):
    res = cli("show", "nope", ok=False)
    assert res.exit_code != 0 and "no Statement with id 'nope'" in res.output


def test_in_context_cuts_multibyte_text_and_finds_the_closest_sentence():
    text = "天文学家昨晚观测到一颗彗星。" * 30 + "李明表示，政府应该扩大对可再生能源的补贴。" + "业余望远镜能看到它。" * 30
    c = in_context(text, "政府应该扩大对可再生能源的补贴。", chars=20)
    assert c["match"] == "exact" and c["sentence"] == "李明表示，政府应该扩大对可再生能源的补贴。"
    assert c["before"].startswith("…") and len(c["before"]) == 21 and len(c["after"]) == 21
    assert c["before"][-1] == "。" and c["after"].startswith("业余望远镜")
    de = "Das Wetter war schön. Der Minister sagte, die Förderung müsse ausgebaut werden! Dann regnete es."
    c = in_context(de, "Die Förderung erneuerbarer Energien muss ausgebaut werden")
    assert c["match"] == "closest" and c["sentence"] == "Der Minister sagte, die Förderung müsse ausgebaut werden!"
    assert in_context("Nothing here.", "完全无关")["match"] == "none"
