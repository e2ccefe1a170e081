"""`navab-graph verify sample|import|stats` (paper Appendix B, Table 7) on a planted graph built through the CLI."""
from __future__ import annotations

import csv
import json

import pytest
from _verify_graph import build_planted, statements

COLUMNS = ["item_id", "anchor_id", "anchor_text", "statement_id", "statement", "label", "annotator"]


@pytest.fixture
def planted(cli, tmp_path):
    return build_planted(cli, tmp_path)


def _sheet(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _verified(store):
    return store.run("MATCH (a:Annotator)-[v:VERIFIED]->(s:Statement) RETURN a.name AS who, s.id AS sid, "
                     "v.label AS label, v.anchor_id AS anchor, v.at AS at, v.previous_label AS prev ORDER BY who, sid")


def test_sample_sheet_anchor_overlap_and_seed(planted, cli, store, tmp_path):
    out = tmp_path / "v"
    res = cli("verify", "sample", "--nation", "US", "--n", "10", "--out", str(out), "--annotators", "2",
              "--overlap", "4", "--seed", "3", "--json")
    info = json.loads(res.output)
    sts = statements(store, "US")
    kept = [s for s in sts if s["status"] == "kept"]
    top = max(kept, key=lambda s: (s["weight"] or -1, [-ord(c) for c in s["id"]]))
    assert info["anchor_id"] == top["id"] and info["anchor_chosen"] == "highest weight"
    assert info["population"] == len(kept) - 1 and info["items"] == 10
    header, rows = _sheet(out / "sheet.csv")
    assert header == COLUMNS
    assert len(rows) == 4 * 2 + 6 == info["rows"]
    by_item = {}
    for r in rows:
        by_item.setdefault(r["item_id"], set()).add(r["annotator"])
        assert r["anchor_id"] == top["id"] and r["anchor_text"] == top["text"] and r["label"] == ""
    assert len(by_item) == 10
    assert sum(len(a) == 2 for a in by_item.values()) == 4  # the overlap, labelled by both annotators
    kept_ids = {s["id"]: s["text"] for s in kept}
    for r in rows:
        assert r["statement_id"] in kept_ids and r["statement_id"] != top["id"]
        assert r["statement"] == kept_ids[r["statement_id"]]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "http" not in page.lower().replace("http-equiv", "")
    # the same seed gives the same sheet; another seed another sample
    again = tmp_path / "v2"
    cli("verify", "sample", "--nation", "US", "--n", "10", "--out", str(again), "--annotators", "2", "--overlap",
        "4", "--seed", "3")
    assert (again / "sheet.csv").read_bytes() == (out / "sheet.csv").read_bytes()
    other = tmp_path / "v3"
    cli("verify", "sample", "--nation", "US", "--n", "10", "--out", str(other), "--seed", "4")
    assert {r["statement_id"] for r in _sheet(other / "sheet.csv")[1]} != {r["statement_id"] for r in rows}


def test_sample_given_anchor_small_population_and_bad_requests(planted, cli, store, tmp_path):
    sts = statements(store, "CN")
    kept = [s for s in sts if s["status"] == "kept"]
    removed = [s for s in sts if s["status"] == "removed"]
    anchor = kept[-1]
    out = tmp_path / "cn"
    res = cli("verify", "sample", "--nation", "CN", "--n", "500", "--out", str(out), "--anchor", anchor["id"],
              "--annotators", "1", "--overlap", "0")
    assert "all of them are in the sample" in res.output
    _, rows = _sheet(out / "sheet.csv")
    assert {r["statement_id"] for r in rows} == {s["id"] for s in kept} - {anchor["id"]}
    assert all(r["anchor_text"] == anchor["text"] for r in rows)  # Chinese text survives the CSV
    bad = cli("verify", "sample", "--nation", "CN", "--out", str(out), "--anchor", removed[0]["id"], ok=False)
    assert bad.exit_code != 0 and "removed by Conflict Reduction" in bad.output
    bad = cli("verify", "sample", "--nation", "US", "--out", str(out), "--anchor", anchor["id"], ok=False)
    assert bad.exit_code != 0 and "belongs to CN" in bad.output
    bad = cli("verify", "sample", "--nation", "US", "--out", str(out), "--n", "5", "--overlap", "9", ok=False)
    assert bad.exit_code != 0 and "--overlap" in bad.output
    bad = cli("verify", "sample", "--nation", "FR", "--out", str(out), ok=False)  # no statements at all
    assert bad.exit_code != 0 and "--anchor" in bad.output


def _filled(sheet_dir, labels_by_who):
    """Fill the sampled sheet: labels_by_who[annotator] is a list of labels in the sheet's row order."""
    _, rows = _sheet(sheet_dir / "sheet.csv")
    seen = {}
    for r in rows:
        k = seen.get(r["annotator"], 0)
        r["label"] = labels_by_who[r["annotator"]][k]
        seen[r["annotator"]] = k + 1
    return rows


def test_import_rates_kappa_and_idempotence(planted, cli, store, tmp_path):
    out = tmp_path / "v"
    cli("verify", "sample", "--nation", "US", "--n", "8", "--out", str(out), "--annotators", "2", "--overlap", "4")
    # rows are per annotator in item order; the first 4 items of each annotator are the shared ones
    a1 = ["align", "unrelated", "unrelated", "conflict", "unrelated", "unrelated"]
    a2 = ["align", "unrelated", "conflict", "conflict", "unrelated", "align"]
    rows = _filled(out, {"annotator1": a1, "annotator2": a2})
    f1 = _write(tmp_path / "a1.csv", [r for r in rows if r["annotator"] == "annotator1"])
    f2 = _write(tmp_path / "a2.csv", [r for r in rows if r["annotator"] == "annotator2"])
    res = cli("verify", "import", str(f1), str(f2), "--json")
    got = json.loads(res.output)["US"]
    # by hand: 8 items; shared items weigh each label 1/2
    # shared: (align, align) (unr, unr) (unr, conf) (conf, conf); single: unr, unr, unr, align
    assert got["n"] == 8
    assert got["align_rate"] == pytest.approx((1 + 1) / 8, abs=1e-4)
    assert got["conflict_rate"] == pytest.approx((0.5 + 1) / 8, abs=1e-4)
    assert got["unrelated_rate"] == pytest.approx((1 + 0.5 + 3) / 8, abs=1e-4)
    # Cohen's kappa on the 4 shared items: po = 3/4, pe = .25*.25 + .5*.25 + .25*.5 = .3125
    assert got["kappa"] == pytest.approx((0.75 - 0.3125) / (1 - 0.3125), abs=1e-4)
    assert got["agreement"] == 0.75 and got["overlap"] == 4 and got["annotators"] == 2
    stored = _verified(store)
    assert len(stored) == 12 and {r["who"] for r in stored} == {"annotator1", "annotator2"}
    assert all(r["at"] for r in stored)
    # idempotent: the same sheets again change nothing
    res = cli("verify", "import", str(f1), str(f2))
    assert "0 new, 0 changed, 12 unchanged" in res.output
    assert _verified(store) == stored
    # a corrected label replaces the old one, which is kept as previous_label
    rows2 = [dict(r) for r in rows if r["annotator"] == "annotator2"]
    rows2[2]["label"] = "Unrelated "  # case and spaces are forgiven
    res = cli("verify", "import", str(_write(tmp_path / "a2b.csv", rows2)))
    assert "0 new, 1 changed, 5 unchanged" in res.output
    changed = [r for r in _verified(store) if r["prev"]]
    assert len(changed) == 1 and changed[0]["prev"] == "conflict" and changed[0]["label"] == "unrelated"
    stats = json.loads(cli("verify", "stats", "--json").output)
    assert stats["US"]["agreement"] == 1.0 and stats["US"]["kappa"] == pytest.approx(1.0)


def test_import_bad_rows_are_named_and_nothing_is_imported(planted, cli, store, tmp_path):
    out = tmp_path / "v"
    cli("verify", "sample", "--nation", "US", "--n", "5", "--out", str(out), "--annotators", "1", "--overlap", "0")
    _, rows = _sheet(out / "sheet.csv")
    for r in rows:
        r["label"] = "align"
    rows[1]["label"] = "agree"
    rows[2]["statement_id"] = "no-such-statement"
    rows[3]["label"] = ""
    cn = statements(store, "CN")[0]["id"]
    rows[4]["anchor_id"] = cn
    bad = _write(tmp_path / "bad.csv", rows)
    res = cli("verify", "import", str(bad), ok=False)
    assert res.exit_code != 0
    assert "4 problem(s) in the sheet(s); nothing was imported" in res.output
    assert "bad.csv, line 3: label 'agree' is not one of align|conflict|unrelated" in res.output
    assert "line 4: statement_id 'no-such-statement' is not a Statement" in res.output
    assert "line 5: no label" in res.output
    assert "line 6:" in res.output and "different nations" in res.output
    assert _verified(store) == []
    # a contradicting duplicate across two sheets is refused too; missing columns are named
    ok = [dict(r, label="align") for r in _sheet(out / "sheet.csv")[1]]
    contra = [dict(ok[0], label="conflict")]
    res = cli("verify", "import", str(_write(tmp_path / "ok.csv", ok)), str(_write(tmp_path / "c.csv", contra)),
              ok=False)
    assert res.exit_code != 0 and "'align' in" in res.output and "'conflict' here" in res.output
    (tmp_path / "cols.csv").write_text("statement_id,label\nx,align\n", encoding="utf-8")
    res = cli("verify", "import", str(tmp_path / "cols.csv"), ok=False)
    assert res.exit_code != 0 and "missing column(s) anchor_id, annotator" in res.output
    assert _verified(store) == []
    # --allow-blank skips unlabelled rows and says how many
    part = [dict(r, label="") if i == 0 else dict(r, label="unrelated") for i, r in enumerate(ok)]
    res = cli("verify", "import", str(_write(tmp_path / "part.csv", part)), "--allow-blank")
    assert "1 unlabelled row(s) skipped" in res.output and len(_verified(store)) == len(ok) - 1


def test_annotation_page_saves_a_sheet_that_imports(planted, cli, store, tmp_path):
    """The offline page in headless Chromium: pick an annotator, label by click and by key, save, import."""
    import shutil
    import time

    from selenium.webdriver.common.by import By
    from test_report_browser import _browser

    out = tmp_path / "v"
    cli("verify", "sample", "--nation", "CN", "--n", "6", "--out", str(out), "--annotators", "2", "--overlap", "2",
        "--names", "li,wang")
    downloads = tmp_path / "dl"
    downloads.mkdir()
    driver, profile = _browser()
    try:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.get((out / "index.html").as_uri() + "#annotator=wang")
        assert driver.find_element(By.ID, "who").get_attribute("value") == "wang"
        items = driver.find_elements(By.CSS_SELECTOR, "#items .item")
        assert len(items) == 2 + 2  # the overlap plus wang's half of the rest
        assert "anchor" not in driver.find_element(By.ID, "anchor-text").text.lower()  # the text itself, not a label
        assert driver.find_element(By.ID, "anchor-text").text.strip()
        items[0].find_elements(By.CSS_SELECTOR, "input")[1].click()      # conflict
        items[1].click()
        items[1].send_keys("a")                                          # align, focus moves on
        driver.switch_to.active_element.send_keys("3")                   # unrelated on the third
        assert driver.find_element(By.ID, "progress").text == "3 / 4 labelled"
        driver.refresh()  # labels survive a reload (localStorage)
        assert driver.find_element(By.ID, "progress").text == "3 / 4 labelled"
        driver.find_elements(By.CSS_SELECTOR, "#items .item")[3].find_elements(By.CSS_SELECTOR, "input")[2].click()
        driver.find_element(By.ID, "save").click()
        target = downloads / "sheet_CN_wang.csv"
        for _ in range(50):
            if target.is_file() and target.stat().st_size:
                break
            time.sleep(0.1)
        status = driver.find_element(By.ID, "status").text
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    assert status == "saved sheet_CN_wang.csv"
    header, rows = _sheet(target)
    assert header == COLUMNS and [r["label"] for r in rows] == ["conflict", "align", "unrelated", "unrelated"]
    _, sampled = _sheet(out / "sheet.csv")
    assert [r["statement"] for r in rows] == [r["statement"] for r in sampled if r["annotator"] == "wang"]
    got = json.loads(cli("verify", "import", str(target), "--json").output)
    assert got["CN"]["n"] == 4 and got["CN"]["conflict_rate"] == 0.25 and got["CN"]["kappa"] is None
    assert {r["who"] for r in _verified(store)} == {"wang"}
