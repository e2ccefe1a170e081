"""The report's new sections on a planted graph built through the CLI (load -> link -> reduce -> construct with
the offline rules provider -> verify): honest labels and the demo-quality banner, pictures of the largest
contested issues (with the witness path of each removal), human verification (paper Table 7); rendered in
headless Chromium with a screenshot of the graph section."""
from __future__ import annotations

import base64
import csv
import json
import os
import re
import shutil

import pytest
from _verify_graph import build_planted, statements
from selenium.webdriver.common.by import By
from test_report_browser import _browser


@pytest.fixture
def graph(cli, store, tmp_path):
    truth = build_planted(cli, tmp_path)
    cli("construct", "--nation", "US")  # the offline rules provider: questions, stamped constructed_by = rules
    # the pipeline's records of LLM-backed stages, written by its own recorder (navab_graph.lineage): US
    # construct by the offline rules; CN extract first by the rules, then again by an LLM (the latest counts)
    from types import SimpleNamespace

    from navab_graph.lineage import recorded

    llm = SimpleNamespace(offline=False, name="openai:Qwen/Qwen2.5-7B-Instruct", model="Qwen/Qwen2.5-7B-Instruct")
    for nation, stage, provider in (("US", "construct", None), ("CN", "extract", None), ("CN", "extract", llm)):
        with recorded(store, nation, stage, settings={"k": 1}, provider=provider):
            pass
    out = tmp_path / "v"
    cli("verify", "sample", "--nation", "US", "--n", "6", "--out", str(out), "--annotators", "2", "--overlap", "3")
    with open(out / "sheet.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, r in enumerate(rows):
        r["label"] = "unrelated" if i % 4 else "align"
    filled = tmp_path / "filled.csv"
    with open(filled, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    stats = json.loads(cli("verify", "import", str(filled), "--json").output)
    return {"truth": truth, "stats": stats, "anchor": rows[0]["anchor_id"]}


def test_report_graph_pictures_provenance_and_verification(graph, cli, store, tmp_path):
    out = tmp_path / "report"
    cli("report", "--out", str(out))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for sid in ("provenance", "graphs", "verification", "counts", "reduction"):
        assert rep["sections"][sid] == "ok", sid
    # honest labels: US made by rules (the StageRun and the stamps construct wrote), CN by an LLM
    us, cn = rep["provenance"]["US"], rep["provenance"]["CN"]
    assert us["demo"] and any("construct" in r for r in us["demo_reasons"])
    assert any("given a question" in r for r in us["demo_reasons"])
    assert not cn["demo"] and cn["stages"][0]["model"] == "Qwen/Qwen2.5-7B-Instruct"
    assert [s["provider"] for s in us["stages"]] == ["rules"]
    html = (out / "index.html").read_text(encoding="utf-8")
    banner = re.search(r'<div class="demo" id="demo-banner" data-demo="([A-Z,]+)">(.*?)</div>', html, re.S)
    assert banner and banner.group(1) == "US" and "United States" in banner.group(2)
    assert "DEMO QUALITY" in banner.group(2) and "China" not in banner.group(2)
    (cn_extract,) = cn["stages"]
    assert cn_extract["provider"] == "openai" and len(cn_extract["prompt_version"]) == 12
    assert cn_extract["prompt_version"] in html and "Qwen/Qwen2.5-7B-Instruct" in html
    # two issues per nation, largest first, each removal drawn with its partner and witness path
    issues = rep["contested_issues"]
    assert [i["nation"] for i in issues] == ["CN", "CN", "US", "US"]
    for nation in ("US", "CN"):
        removed = [s for s in statements(store, nation) if s["status"] == "removed"]
        mine = [i for i in issues if i["nation"] == nation]
        assert mine[0]["statements"] >= mine[1]["statements"]
        for i in mine:
            svg = (out / i["file"]).read_text(encoding="utf-8")
            assert svg.lstrip().startswith("<?xml") and ">S1<" in svg
            block = re.search(rf'<div class="issue" data-issue="{re.escape(i["issue"])}">(.*?)</details></div>',
                              html, re.S).group(1)
            gone = [s for s in removed if s["id"] in block]
            assert len(gone) == i["removed"] >= 1
            for s in gone:
                assert s["partner"] in block and all(a in block for a in s["path"]), s
                assert ">A1<" in svg  # witness-path articles are drawn
    # Table 7: the report's figures are the ones `verify import` printed
    v = rep["verification"]["US"]
    assert {k: v[k] for k in graph["stats"]["US"]} == graph["stats"]["US"]
    assert v["n"] == 6 and v["overlap"] == 3
    assert "Average Align Rate" in html and graph["anchor"] in html
    # nation names: one spelling everywhere
    assert ">United States<" in html and ">US<" not in html


def test_report_graphs_render_in_chromium(graph, cli, tmp_path):
    out = tmp_path / "report"
    cli("report", "--out", str(out))
    driver, profile = _browser()
    try:
        driver.get((out / "index.html").as_uri())
        banner = driver.find_element(By.ID, "demo-banner")
        assert banner.is_displayed() and banner.rect["y"] < 250 and banner.rect["height"] > 30
        imgs = driver.execute_script("""
            return [...document.querySelectorAll('#graphs .issue img')].map(i => ({complete: i.complete,
              w: i.naturalWidth, shown: i.getBoundingClientRect().width}));""")
        assert len(imgs) == 4 and all(i["complete"] and i["w"] > 300 and i["shown"] > 300 for i in imgs), imgs
        rows = driver.execute_script("return document.querySelectorAll('#verification tbody tr').length")
        assert rows >= 2  # the rates row and the examples
        section = driver.find_element(By.ID, "graphs")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        r = section.rect
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": r["x"], "y": r["y"], "width": r["width"], "height": min(r["height"], 2600), "scale": 1}})
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG")
    path = out / "graphs_screenshot.png"
    path.write_bytes(png)
    if os.environ.get("NAVAB_GRAPHS_SCREENSHOT"):
        shutil.copyfile(path, os.environ["NAVAB_GRAPHS_SCREENSHOT"])
