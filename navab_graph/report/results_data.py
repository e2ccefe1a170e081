"""Evaluation and ablation results for the report, read from files (navab_graph never imports navab_eval or
navab_train: the files are the contract).

- navab-eval: `summary.json` with `groups: [{model, method, condition, nation, set, n, correct_rate, ci_low,
  ci_high, ...}]`; condition (with_cr / without_cr, null for NaVAB release input) is part of a cell's identity,
  so one summary of the snapshots root gives a with-CR and a without-CR cell for each model x nation x method.
  Its `snapshots` ([{condition, nation, cr_run, ...}], one per snapshot folder read) names the Conflict Reduction
  run each with-CR snapshot was exported under: a with-CR cell carries those runs (`snapshot_cr_runs`) for
  cr_check.mark_cr to compare with the graph's live Conflict Reduction. A summary written before navab-eval
  recorded `snapshots` gives its with-CR cells `cr_check` "no_snapshots".
- ablation (navab-train): `ablation.json`, either a list of rows or `{"model": ..., "rows": [...]}`, one row per
  cell: `{model, nation, set, method, condition, correct_rate, n?, ci_low?, ci_high?}`; condition is `without_cr`,
  `with_cr` or
  `with_cr_dpo` (training's labels "NaVAB without CR" / "NaVAB with CR" / "NaVAB with CR + DPO" are accepted).
  Training's `ablation.csv` (variant, method, set, nation, correct_rate, n, ci_low, ci_high; the model named in
  ablation.md's
  title, else the folder name) is read when there is no ablation.json beside it.
A bad file or row is skipped with a warning naming it and the reason; the report lists the warnings.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

CONDITIONS = ["with_cr_dpo", "with_cr", "without_cr"]  # the paper's Table 3 row order
CONDITION_TITLES = {"with_cr_dpo": "NaVAB with CR + DPO", "with_cr": "NaVAB with CR",
                    "without_cr": "NaVAB without CR"}
METHODS = ["mc", "aj"]
SETS = ["quoted", "official"]


class ResultsPathError(FileNotFoundError):
    pass


@dataclass
class Results:
    alignment: pd.DataFrame   # model, method, condition, nation, set, correct_rate, n, ci_low, ci_high, file
    ablation: pd.DataFrame    # model, condition, method, nation, set, correct_rate, n, ci_low, ci_high, file
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalize_condition(value: Any) -> str | None:
    s = re.sub(r"\bnavab\b", "", str(value or "").lower()).strip()
    s = re.sub(r"[\s+\-]+", "_", s).strip("_")
    aliases = {"with_cr_and_dpo": "with_cr_dpo", "dpo": "with_cr_dpo", "cr_dpo": "with_cr_dpo",
               "no_cr": "without_cr", "cr": "with_cr"}
    s = aliases.get(s, s)
    return s if s in CONDITIONS else None


def _rate(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if not math.isnan(f) and 0.0 <= f <= 1.0 else None


def _missing(v: Any) -> bool:
    return v is None or v == "" or isinstance(v, float) and math.isnan(v)


def _cell(row: dict[str, Any], where: str, warnings: list[str], extra: tuple[str, ...] = ()) -> dict | None:
    missing = [k for k in ("model", "method", "nation", "set", "correct_rate", *extra) if row.get(k) in (None, "")]
    if missing:
        warnings.append(f"{where}: skipped, missing {', '.join(missing)}")
        return None
    rate = _rate(row["correct_rate"])
    if rate is None:
        warnings.append(f"{where}: skipped, correct_rate {row['correct_rate']!r} is not a number in [0, 1]")
        return None
    method, set_ = str(row["method"]).lower(), str(row["set"]).lower()
    if method not in METHODS or set_ not in SETS:
        warnings.append(f"{where}: skipped, method {row['method']!r} / set {row['set']!r} unknown "
                        f"(expected mc|aj and quoted|official)")
        return None
    n = row.get("n")
    given = [row.get(k) for k in ("ci_low", "ci_high") if not _missing(row.get(k))]
    low, high = _rate(row.get("ci_low")), _rate(row.get("ci_high"))
    if given and (low is None or high is None or not low - 1e-9 <= rate <= high + 1e-9):
        warnings.append(f"{where}: interval [{row.get('ci_low')!r}, {row.get('ci_high')!r}] left out, not an "
                        f"interval in [0, 1] around correct_rate {rate!r}")
        low = high = None
    return {"model": str(row["model"]), "method": method, "nation": str(row["nation"]).upper(), "set": set_,
            "correct_rate": rate, "n": int(n) if isinstance(n, (int, float)) and not pd.isna(n) else None,
            "ci_low": low, "ci_high": high}


def read_summary(path: Path, warnings: list[str]) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        warnings.append(f"{path}: skipped, not readable JSON ({e})")
        return []
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        warnings.append(f"{path}: skipped, not a navab-eval summary (no 'groups' list)")
        return []
    snapshots = data.get("snapshots")
    if snapshots is not None and not isinstance(snapshots, list):
        warnings.append(f"{path}: 'snapshots' is not a list; its with-CR cells are not checked against the graph")
        snapshots = None
    out = []
    for i, g in enumerate(data["groups"]):
        g = g if isinstance(g, dict) else {}
        c = _cell(g, f"{path}: groups[{i}]", warnings)
        if not c:
            continue
        cond = None
        if g.get("condition") is not None:
            cond = normalize_condition(g["condition"])
            if cond is None:
                warnings.append(f"{path}: groups[{i}]: skipped, unknown condition {g['condition']!r} "
                                "(expected with_cr, without_cr or null)")
                continue
        out.append({**c, "condition": cond, "file": str(path), **_snapshot_runs(snapshots, cond, c["nation"])})
    return out


def _snapshot_runs(snapshots: list | None, condition: str | None, nation: str) -> dict[str, Any]:
    """For a with-CR cell: the Conflict Reduction runs of the summary's with-CR snapshots of its nation (null for a
    snapshot whose manifest recorded none), and whether the summary lists snapshots at all."""
    if condition != "with_cr":
        return {"snapshot_cr_runs": None, "cr_check": None}
    if snapshots is None:
        return {"snapshot_cr_runs": None, "cr_check": "no_snapshots"}
    runs = {s.get("cr_run") if isinstance(s.get("cr_run"), str) else None for s in snapshots
            if isinstance(s, dict) and s.get("condition") == "with_cr" and str(s.get("nation") or "").upper() == nation}
    return {"snapshot_cr_runs": sorted(runs, key=lambda r: (r is None, r or "")), "cr_check": "listed"}


def read_ablation_json(path: Path, warnings: list[str]) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        warnings.append(f"{path}: skipped, not readable JSON ({e})")
        return []
    model = None
    if isinstance(data, dict):
        model, data = data.get("model"), data.get("rows")
    if not isinstance(data, list):
        warnings.append(f"{path}: skipped, expected a list of rows or {{'model', 'rows'}}")
        return []
    return _ablation_rows([{"model": model, **r} if isinstance(r, dict) else {} for r in data], path, warnings)


def read_ablation_csv(path: Path, warnings: list[str]) -> list[dict]:
    try:
        df = pd.read_csv(path)
    except Exception as e:  # pandas raises several parser error types
        warnings.append(f"{path}: skipped, not a readable CSV ({e})")
        return []
    model = path.parent.name
    md = path.with_suffix(".md")
    if md.is_file():
        m = re.search(r"model `([^`]+)`", md.read_text(encoding="utf-8"))
        model = m.group(1) if m else model
    rows = [{"model": model, "condition": r.get("condition", r.get("variant")), **r}
            for r in df.to_dict(orient="records")]
    return _ablation_rows(rows, path, warnings)


def _ablation_rows(rows: list[dict], path: Path, warnings: list[str]) -> list[dict]:
    out = []
    for i, r in enumerate(rows):
        c = _cell(r, f"{path}: row {i + 1}", warnings, extra=("condition",))
        if not c:
            continue
        cond = normalize_condition(r["condition"])
        if cond is None:
            warnings.append(f"{path}: row {i + 1}: skipped, unknown condition {r['condition']!r} "
                            f"(expected {', '.join(CONDITIONS)})")
            continue
        out.append({**c, "condition": cond, "file": str(path)})
    return out


def find_results(paths: list[Path], nations: list[str] | None = None) -> Results:
    """Every summary.json / ablation.json / ablation.csv under the given files or folders."""
    warnings: list[str] = []
    align: list[dict] = []
    abl: list[dict] = []
    files: list[str] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise ResultsPathError(f"--results {p}: no such file or folder")
        cands = [p] if p.is_file() else sorted(p.rglob("*"))
        for f in cands:
            if f.name == "summary.json":
                align += read_summary(f, warnings)
            elif f.name == "ablation.json":
                abl += read_ablation_json(f, warnings)
            elif f.name == "ablation.csv" and not (f.parent / "ablation.json").is_file():
                abl += read_ablation_csv(f, warnings)
            else:
                if p.is_file():
                    warnings.append(f"{f}: skipped, not a summary.json, ablation.json or ablation.csv")
                continue
            files.append(str(f))
    rates = ["correct_rate", "n", "ci_low", "ci_high", "file"]
    a = pd.DataFrame(align, columns=["model", "method", "condition", "nation", "set", *rates, "snapshot_cr_runs",
                                     "cr_check"])
    b = pd.DataFrame(abl, columns=["model", "condition", "method", "nation", "set", *rates])
    if nations:
        a, b = a[a["nation"].isin(nations)], b[b["nation"].isin(nations)]
    # a later file for the same cell wins (a re-run), as in navab-eval's own table; with CR and without CR are
    # different cells
    a = a.drop_duplicates(["model", "method", "condition", "nation", "set"], keep="last").reset_index(drop=True)
    b = b.drop_duplicates(["model", "condition", "method", "nation", "set"], keep="last").reset_index(drop=True)
    if paths and not files:
        warnings.append("no summary.json, ablation.json or ablation.csv under: " + ", ".join(map(str, paths)))
    return Results(alignment=a, ablation=b, files=files, warnings=warnings)
