"""The report page renders in headless Chromium: every section shows its figures and tables; full-page screenshot.

Needs the Debian packages chromium + chromium-driver (CI installs them). Missing ones FAIL this test, by design.
The screenshot is written to the report folder, and copied to $NAVAB_REPORT_SCREENSHOT when that is set.
"""
from __future__ import annotations

import base64
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from _report_graph import build_everything
from selenium.webdriver.support.ui import WebDriverWait

SECTIONS = ["counts", "topics", "reduction", "alignment", "dpo"]
CHROME_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
DRIVER = "/usr/bin/chromedriver"


def _browser():
    chrome = next((c for c in CHROME_CANDIDATES if Path(c).is_file()), None)
    if chrome is None or not Path(DRIVER).is_file():
        pytest.fail("headless Chromium is required for the report test: install the Debian packages "
                    "`chromium chromium-driver` (apt-get install -y chromium chromium-driver); looked for "
                    f"{', '.join(CHROME_CANDIDATES)} and {DRIVER}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="navab-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
              f"--user-data-dir={profile}", "--window-size=1280,1000"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(DRIVER), options=opts), profile


CHECK_JS = """
const out = {};
for (const id of arguments[0]) {
  const s = document.getElementById(id);
  if (!s) { out[id] = null; continue; }
  // images folded away in a closed <details> (the static twin of an interactive map) are not shown
  const imgs = [...s.querySelectorAll('img')].filter(i => !i.closest('details:not([open])'));
  out[id] = {status: s.dataset.status,
             images: imgs.map(i => ({complete: i.complete, w: i.naturalWidth, h: i.naturalHeight,
                                     shown: i.getBoundingClientRect().width})),
             tables: [...s.querySelectorAll('table')].map(t => t.querySelectorAll('tbody tr').length),
             absent: s.querySelectorAll('[data-absent]').length,
             plots: [...s.querySelectorAll('div[data-figure]')].map(d => ({
               rendered: d.dataset.rendered === '1', points: d.querySelectorAll('.scatterlayer .point').length,
               w: d.getBoundingClientRect().width}))};
}
return out;
"""


def test_report_renders_every_section_in_chromium(cli, store, tmp_path):
    build_everything(cli, store, tmp_path)
    out = tmp_path / "report"
    cli("report", "--out", str(out), "--results", str(tmp_path / "results"), "--results", str(tmp_path / "ablation"))
    driver, profile = _browser()
    try:
        driver.get((out / "index.html").as_uri())
        driver.execute_script("return document.readyState")
        # the topic maps are drawn once the inlined plotly.js is unpacked
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(
            "return document.querySelectorAll('div[data-figure][data-rendered]').length") == 2)
        got = driver.execute_script(CHECK_JS, SECTIONS)
        for sid in SECTIONS:
            sec = got[sid]
            assert sec is not None, f"section {sid} missing"
            assert sec["status"] == "ok" and sec["absent"] == 0, (sid, sec)
            assert sec["images"] or sec["plots"], sid
            assert all(i["complete"] and i["w"] > 0 and i["h"] > 0 and i["shown"] > 0
                       for i in sec["images"]), (sid, sec["images"])
            assert sec["tables"] and all(n > 0 for n in sec["tables"]), (sid, sec["tables"])
        # one interactive map per nation (BERTopic's documents map), every article a point
        assert len(got["topics"]["plots"]) == 2, got["topics"]
        assert all(p["rendered"] and p["points"] >= 150 and p["w"] > 800 for p in got["topics"]["plots"])
        # full page, beyond the viewport
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        png = base64.b64decode(shot["data"])
        height = driver.execute_script("return document.documentElement.scrollHeight")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    assert png.startswith(b"\x89PNG") and height > 2000
    path = out / "report_screenshot.png"
    path.write_bytes(png)
    if os.environ.get("NAVAB_REPORT_SCREENSHOT"):
        shutil.copyfile(path, os.environ["NAVAB_REPORT_SCREENSHOT"])
