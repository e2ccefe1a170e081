"""`verify import`: filled sheets -> (:Annotator)-[:VERIFIED]->(:Statement). Every row of every sheet is checked
first (columns, label, annotator, ids known to the graph, anchor and statement of one nation, no contradicting
duplicates); one bad row stops the whole import with a message per bad row, so nothing is half-imported."""
from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..store import GraphStore, run_batches, run_named
from .sample import COLUMNS, VerifyError, _NAME
from .stats import LABELS

REQUIRED = ["anchor_id", "statement_id", "label", "annotator"]
_MAX_ERRORS = 25


@dataclass
class ImportResult:
    files: list[str]
    rows: int = 0
    imported: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    blank: int = 0
    duplicates: int = 0
    nations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _read(path: Path, errors: list[str]) -> list[dict[str, Any]]:
    if not path.is_file():
        errors.append(f"{path}: no such file")
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                errors.append(f"{path}: missing column(s) {', '.join(missing)} (a sheet has {', '.join(COLUMNS)})")
                return []
            reader.fieldnames = header
            rows = []
            for r in reader:
                rows.append({"_where": f"{path}, line {reader.line_num}",
                             **{k: (v or "").strip() for k, v in r.items() if k is not None}})
            return rows
    except (UnicodeDecodeError, csv.Error) as e:
        errors.append(f"{path}: not a readable UTF-8 CSV ({e})")
        return []


def _check_rows(rows: list[dict[str, Any]], allow_blank: bool, errors: list[str],
                res: ImportResult) -> dict[tuple[str, str, str], dict[str, Any]]:
    keep: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        where = r["_where"]
        label = r.get("label", "").lower()
        if not label:
            if allow_blank:
                res.blank += 1
                continue
            errors.append(f"{where}: no label (expected one of {'|'.join(LABELS)}; --allow-blank skips "
                          "unlabelled rows)")
            continue
        if label not in LABELS:
            errors.append(f"{where}: label {r['label']!r} is not one of {'|'.join(LABELS)}")
            continue
        missing = [c for c in ("anchor_id", "statement_id", "annotator") if not r.get(c)]
        if missing:
            errors.append(f"{where}: empty {', '.join(missing)}")
            continue
        if not _NAME.match(r["annotator"]):
            errors.append(f"{where}: annotator {r['annotator']!r} not allowed (letters, digits, space . @ - _, "
                          "at most 40)")
            continue
        key = (r["anchor_id"], r["statement_id"], r["annotator"])
        if key in keep:
            if keep[key]["label"] != label:
                errors.append(f"{where}: {r['annotator']} labelled statement {r['statement_id']} "
                              f"{keep[key]['label']!r} in {keep[key]['_where']} and {label!r} here")
            else:
                res.duplicates += 1
            continue
        keep[key] = {**r, "label": label}
    return keep


def import_sheets(store: GraphStore, paths: list[Path], *, allow_blank: bool = False,
                  batch_size: int = 500) -> ImportResult:
    """Validate every row of every sheet, then store the labels; VerifyError lists the bad rows."""
    paths = [Path(p) for p in paths]
    res = ImportResult(files=[str(p) for p in paths])
    errors: list[str] = []
    rows = [r for p in paths for r in _read(p, errors)]
    res.rows = len(rows)
    keep = _check_rows(rows, allow_blank, errors, res)
    ids = sorted({k[0] for k in keep} | {k[1] for k in keep})
    known = {r["id"]: r for r in run_named(store, "verify/statements", {"ids": ids}, write=False)} if ids else {}
    for (anchor, sid, _), r in keep.items():
        if sid not in known:
            errors.append(f"{r['_where']}: statement_id {sid!r} is not a Statement in this graph")
        elif anchor not in known:
            errors.append(f"{r['_where']}: anchor_id {anchor!r} is not a Statement in this graph")
        elif known[anchor]["nation"] != known[sid]["nation"]:
            errors.append(f"{r['_where']}: statement {sid} ({known[sid]['nation']}) and anchor {anchor} "
                          f"({known[anchor]['nation']}) belong to different nations")
    if errors:
        more = f"\n... and {len(errors) - _MAX_ERRORS} more" if len(errors) > _MAX_ERRORS else ""
        raise VerifyError(f"{len(errors)} problem(s) in the sheet(s); nothing was imported:\n" +
                          "\n".join(errors[:_MAX_ERRORS]) + more)
    if not keep:
        raise VerifyError("no labelled row in " + ", ".join(res.files) + "; nothing was imported")
    payload = [{"statement_id": sid, "anchor_id": anchor, "annotator": who, "label": r["label"],
                "item_id": r.get("item_id") or None, "nation": known[sid]["nation"],
                "sheet": Path(r["_where"].rsplit(", line", 1)[0]).name}
               for (anchor, sid, who), r in sorted(keep.items())]
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out = run_batches(store, "verify/write_labels", payload, batch_size=batch_size,
                      params={"at": at, "import": uuid.uuid4().hex})
    res.imported = len(out)
    res.new = sum(bool(o["created"]) for o in out)
    res.changed = sum(bool(o["changed"]) and not o["created"] for o in out)
    res.unchanged = res.imported - res.new - res.changed
    res.nations = sorted({p["nation"] for p in payload})
    return res
