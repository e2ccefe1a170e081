"""The annotation page of `verify sample`: one self-contained HTML file (inline CSS and script, the sheet as
embedded JSON, no network) that shows the anchor and one annotator's items, keeps the labels in the browser's
localStorage while working, and saves the filled sheet as CSV (the columns of sheet.csv)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .sample import COLUMNS

LABELS = ["align", "conflict", "unrelated"]

PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verify {{NATION}}: align / conflict / unrelated</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:20px auto;
     max-width:980px;padding:0 14px;color:#1a202c;font-size:16px;line-height:1.45}
h1{font-size:1.4em;margin:0 0 6px} .meta{color:#4a5568;font-size:.92em}
.anchor{background:#ebf8ff;border-left:5px solid #2b6cb0;padding:10px 14px;margin:12px 0;font-size:1.05em}
.bar{position:sticky;top:0;background:#fff;border-bottom:1px solid #e2e8f0;padding:8px 0;display:flex;gap:12px;
     align-items:center;flex-wrap:wrap;z-index:2}
.item{border:1px solid #e2e8f0;border-radius:6px;padding:10px 12px;margin:10px 0}
.item.done{border-color:#9ae6b4;background:#f0fff4}
.item .id{color:#718096;font-size:.85em} .item .text{margin:4px 0 8px}
.item label{margin-right:16px;cursor:pointer;padding:3px 8px;border-radius:4px;border:1px solid #cbd5e0}
.item input{margin-right:4px}
button{font-size:1em;padding:6px 14px;border-radius:5px;border:1px solid #2b6cb0;background:#2b6cb0;color:#fff;
       cursor:pointer} select{font-size:1em;padding:4px}
#status{color:#2f855a} .help{font-size:.9em;color:#4a5568}
</style></head><body>
<h1>Human verification: {{NATION}}</h1>
<p class="meta">Paper Appendix B / Table 7. Read the verified original statement, then label every statement below:
<b>Align</b> (agrees with it), <b>Conflict</b> (contradicts it) or <b>Unrelated</b> (about something else).
Keys: <kbd>1</kbd>/<kbd>a</kbd> align, <kbd>2</kbd>/<kbd>c</kbd> conflict, <kbd>3</kbd>/<kbd>u</kbd> unrelated on the
focused item. Your labels stay in this browser until you save; nothing is sent anywhere.</p>
<div class="anchor"><div class="meta">Verified original statement <code id="anchor-id"></code></div>
<div id="anchor-text"></div></div>
<div class="bar">
 <label>I am <select id="who"></select></label>
 <span id="progress"></span>
 <button id="save" type="button">Save filled sheet (CSV)</button>
 <span id="status"></span>
</div>
<div id="items"></div>
<p class="help">Import the saved file with <code>navab-graph verify import FILE.csv</code>.</p>
<script type="application/json" id="sheet-data">{{DATA}}</script>
<script>
"use strict";
const DATA = JSON.parse(document.getElementById("sheet-data").textContent);
const LABELS = ["align", "conflict", "unrelated"];
const KEY = "navab-verify:" + DATA.key;
let saved = {};
try { saved = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { saved = {}; }
const rowKey = r => r.annotator + "|" + r.statement_id;
for (const r of DATA.rows) { if (saved[rowKey(r)]) r.label = saved[rowKey(r)]; }
document.getElementById("anchor-id").textContent = DATA.anchor_id;
document.getElementById("anchor-text").textContent = DATA.anchor_text;
const who = document.getElementById("who");
for (const a of DATA.annotators) { const o = document.createElement("option"); o.value = o.textContent = a; who.appendChild(o); }
const fromHash = new URLSearchParams(location.hash.slice(1)).get("annotator");
if (fromHash && DATA.annotators.includes(fromHash)) who.value = fromHash;
const mine = () => DATA.rows.filter(r => r.annotator === who.value);

function persist() {
  const m = {};
  for (const r of DATA.rows) if (r.label) m[rowKey(r)] = r.label;
  try { localStorage.setItem(KEY, JSON.stringify(m)); } catch (e) { /* private mode: labels live until saved */ }
}
function progress() {
  const rows = mine(), done = rows.filter(r => r.label).length;
  document.getElementById("progress").textContent = done + " / " + rows.length + " labelled";
}
function render() {
  const box = document.getElementById("items");
  box.textContent = "";
  for (const r of mine()) {
    const div = document.createElement("div");
    div.className = "item" + (r.label ? " done" : "");
    div.tabIndex = 0;
    div.dataset.statement = r.statement_id;
    const id = document.createElement("div"); id.className = "id"; id.textContent = r.item_id + " · " + r.statement_id;
    const tx = document.createElement("div"); tx.className = "text"; tx.textContent = r.statement;
    div.append(id, tx);
    for (const lab of LABELS) {
      const l = document.createElement("label"), i = document.createElement("input");
      i.type = "radio"; i.name = "l-" + r.item_id + "-" + r.annotator; i.value = lab; i.checked = r.label === lab;
      i.addEventListener("change", () => { r.label = lab; div.className = "item done"; persist(); progress(); });
      l.append(i, document.createTextNode(lab[0].toUpperCase() + lab.slice(1)));
      div.appendChild(l);
    }
    div.addEventListener("keydown", ev => {
      const k = {"1": 0, "a": 0, "2": 1, "c": 1, "3": 2, "u": 2}[ev.key];
      if (k === undefined) return;
      div.querySelectorAll("input")[k].click();
      const next = div.nextElementSibling; if (next) next.focus();
    });
    box.appendChild(div);
  }
  progress();
}
const cell = v => '"' + String(v == null ? "" : v).replace(/"/g, '""') + '"';
function csvText() {
  const lines = [DATA.columns.join(",")];
  for (const r of mine()) lines.push(DATA.columns.map(c => cell(r[c])).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}
document.getElementById("save").addEventListener("click", () => {
  const blob = new Blob([csvText()], {type: "text/csv;charset=utf-8"});
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "sheet_" + DATA.nation + "_" + who.value + ".csv";
  document.body.appendChild(a); a.click(); a.remove();
  const open = mine().filter(r => !r.label).length;
  document.getElementById("status").textContent = "saved " + a.download +
    (open ? " (" + open + " still unlabelled)" : "");
});
who.addEventListener("change", render);
render();
</script>
</body></html>
"""


def _json_for_script(obj) -> str:
    # inside <script>, "</" would end the element early; "\u003c" reads back as "<"
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c")


def write_page(path: Path, *, nation: str, anchor_id: str, anchor_text: str, rows: list[dict],
               annotators: list[str], seed: int) -> Path:
    key = hashlib.sha256(json.dumps([nation, anchor_id, seed, [r["statement_id"] for r in rows]]).encode())
    data = {"nation": nation, "anchor_id": anchor_id, "anchor_text": anchor_text, "annotators": annotators,
            "columns": COLUMNS, "rows": rows, "key": key.hexdigest()[:16]}
    html = PAGE.replace("{{NATION}}", nation).replace("{{DATA}}", _json_for_script(data))
    path.write_text(html, encoding="utf-8")
    return path
