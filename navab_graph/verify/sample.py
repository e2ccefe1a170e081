"""`verify sample`: the anchor, a seeded random sample of kept statements, its assignment to annotators, and the
files a verifier works with (sheet.csv, index.html)."""
from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..store import GraphStore, run_named

COLUMNS = ["item_id", "anchor_id", "anchor_text", "statement_id", "statement", "label", "annotator"]
_NAME = re.compile(r"^[\w][\w .@-]{0,39}$")


class VerifyError(ValueError):
    """A verification request or sheet that cannot be carried out; the message names what and why."""


@dataclass
class SampleResult:
    nation: str
    anchor_id: str
    anchor_text: str
    anchor_chosen: str            # "given" (--anchor) or "highest weight"
    population: int               # kept statements other than the anchor
    items: int
    rows: int
    annotators: list[str]
    overlap: int
    sheet: Path
    page: Path
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["sheet"], d["page"] = str(self.sheet), str(self.page)
        return d


def annotator_names(count: int, names: list[str] | None) -> list[str]:
    if names:
        if len(names) != count:
            raise VerifyError(f"--names gives {len(names)} name(s) for --annotators {count}")
        bad = [n for n in names if not _NAME.fullmatch(n) or n != n.strip()]
        if bad:
            raise VerifyError(f"annotator name(s) {bad} not allowed: letters, digits, space . @ - _, at most 40")
        if len(set(names)) != len(names):
            raise VerifyError("--names: every annotator needs a different name")
        return list(names)
    return [f"annotator{i + 1}" for i in range(count)]


def assign(items: list[str], annotators: list[str], overlap: int) -> list[tuple[str, str]]:
    """(statement_id, annotator) pairs: the first `overlap` items go to every annotator (the cross-checked
    subset), the others to one annotator each, in turn."""
    out = []
    for i, sid in enumerate(items):
        if i < overlap:
            out += [(sid, a) for a in annotators]
        else:
            out.append((sid, annotators[(i - overlap) % len(annotators)]))
    return out


def pick_anchor(store: GraphStore, nation: str, anchor: str | None) -> tuple[str, str, str]:
    if anchor:
        rows = run_named(store, "verify/statements", {"ids": [anchor]}, write=False)
        if not rows:
            raise VerifyError(f"--anchor {anchor}: no Statement with this id")
        r = rows[0]
        if r["nation"] != nation:
            raise VerifyError(f"--anchor {anchor}: the statement belongs to {r['nation']}, not {nation}")
        if r["status"] != "kept":
            raise VerifyError(f"--anchor {anchor}: the statement was removed by Conflict Reduction; "
                              "the verified original must be a kept statement")
        return r["id"], r["text"] or "", "given"
    rows = run_named(store, "verify/anchor", {"nation": nation}, write=False)
    if not rows:
        raise VerifyError(f"{nation}: no kept statement has a Conflict Reduction weight (run `navab-graph reduce "
                          f"--nation {nation}`), or name the verified original with --anchor STATEMENT_ID")
    return rows[0]["id"], rows[0]["text"] or "", "highest weight"


def sample_sheet(store: GraphStore, nation: str, out: Path, *, n: int = 100, anchor: str | None = None,
                 annotators: int = 2, overlap: int = 20, seed: int = 0,
                 names: list[str] | None = None) -> SampleResult:
    if n < 1:
        raise VerifyError("--n must be at least 1")
    if annotators < 1:
        raise VerifyError("--annotators must be at least 1")
    if overlap < 0 or overlap > n:
        raise VerifyError(f"--overlap must be between 0 and --n ({n}), got {overlap}")
    who = annotator_names(annotators, names)
    warnings = []
    if overlap and annotators < 2:
        warnings.append("--overlap has no effect with one annotator: no agreement can be measured")
        overlap = 0
    anchor_id, anchor_text, chosen = pick_anchor(store, nation, anchor)
    ids = [r["id"] for r in run_named(store, "verify/kept_ids", {"nation": nation}, write=False)
           if r["id"] != anchor_id]
    if not ids:
        raise VerifyError(f"{nation}: no kept statement to sample besides the anchor {anchor_id}")
    if len(ids) < n:
        warnings.append(f"{nation}: only {len(ids)} kept statements besides the anchor; all of them are in the "
                        f"sample (asked for {n})")
    picked = random.Random(seed).sample(ids, min(n, len(ids)))
    overlap = min(overlap, len(picked))
    texts = {r["id"]: r["text"] or "" for r in run_named(store, "verify/statements", {"ids": picked}, write=False)}
    item_of = {sid: f"{nation}-{i + 1:03d}" for i, sid in enumerate(picked)}
    pairs = sorted(assign(picked, who, overlap), key=lambda p: (who.index(p[1]), item_of[p[0]]))
    rows = [{"item_id": item_of[sid], "anchor_id": anchor_id, "anchor_text": anchor_text, "statement_id": sid,
             "statement": texts.get(sid, ""), "label": "", "annotator": a} for sid, a in pairs]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sheet = out / "sheet.csv"
    # utf-8-sig: spreadsheet programs then read Chinese, German and French text correctly
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    from .page import write_page

    page = write_page(out / "index.html", nation=nation, anchor_id=anchor_id, anchor_text=anchor_text,
                      rows=rows, annotators=who, seed=seed)
    return SampleResult(nation=nation, anchor_id=anchor_id, anchor_text=anchor_text, anchor_chosen=chosen,
                        population=len(ids), items=len(picked), rows=len(rows), annotators=who, overlap=overlap,
                        sheet=sheet, page=page, warnings=warnings)
