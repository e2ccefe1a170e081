"""`navab-graph import-results DIR`: navab-eval item results back into the graph.

Each row of items.jsonl becomes (:Model {name})-[:EVALUATED {method, condition, correct, ppl_s, ppl_rs, judge,
verdict, order, backend, set, split, run}]->(:Statement), merged on (model, method, condition, statement):
importing the same results twice changes nothing, a newer run of the same model, method and condition
replaces the older values, and a statement evaluated in both snapshots (with_cr, without_cr) has one edge
per condition. `condition` is "" when the item names none (NaVAB release input, navab-eval before conditions).
An AJ item whose judge failed (`correct: null`, verdict `invalid`) is no verdict: it is counted as
judge_failed and skipped (an earlier verdict stays), not quarantined; navab-eval asks the judge again on its
next run. Rows whose statement is not in the graph are quarantined and counted, not an error; malformed rows
are quarantined (or, with strict, stop the import) with file and line.

An item must describe the graph it is imported into, or it would be published as a result on statements the
model never saw: one that carries the texts it was scored on (question, statement, reverse_statement: navab-eval
writes them) is stale when the graph's differ (a re-load changed them since the export); one whose set is not the
statement's set now is stale; a with_cr item is stale when the nation's Conflict Reduction is not current, is
another run than the snapshot's (`cr_run`), or removes the statement. Stale items are quarantined with the
reason and counted, never written. Items without texts (older navab-eval, hand-made rows) are imported and
counted as `unverified`. Each file's import is recorded as a ResultsImport node, 'started' before its first edge
and 'done' after its last, so an import killed half way is visible in model_summary (complete = false).
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from navab_loaders import UnknownNation, check_nation
from navab_loaders.keys import key_problem, text_problem

from ..config import Settings
from ..export.schema import set_of
from ..lineage import assess, now_iso
from ..progress import bar
from ..quarantine import Quarantine
from ..store import GraphStore, ensure_schema, run_batches, run_named
from ..store.falkor import ParameterError

METHODS = ("mc", "aj")
_SETS = ("quoted", "official")
_SPLITS = ("train", "test")
CONDITIONS = ("with_cr", "without_cr")


class ResultsError(ValueError):
    """The results cannot be imported at all (no items.jsonl, or a bad row in strict mode)."""


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    read: int = 0
    imported: int = 0
    unknown: int = 0
    malformed: int = 0
    judge_failed: int = 0  # AJ items without a verdict (the judge failed): skipped, not quarantined
    duplicates: int = 0
    stale: int = 0       # items evaluated on other texts, another set, or a Conflict Reduction no longer current
    unverified: int = 0  # items without the texts they were scored on (older navab-eval): imported unchecked
    models: list[str] = field(default_factory=list)
    seconds: float = 0.0
    quarantine_file: str | None = None
    problems: list[str] = field(default_factory=list)  # first few "file, line N: reason"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_items(path: Path) -> list[Path]:
    path = Path(path)
    if not path.exists():
        raise ResultsError(f"{path}: no such file or folder")
    if path.is_file():
        if not path.name.endswith(".jsonl"):
            raise ResultsError(f"{path}: expected items.jsonl (one JSON object per line) or a folder holding it")
        return [path]
    direct = path / "items.jsonl"
    files = [direct] if direct.is_file() else sorted(p for p in path.rglob("items.jsonl") if p.is_file())
    if not files:
        raise ResultsError(f"{path}: no items.jsonl in this folder or below it (navab-eval writes OUT/items.jsonl)")
    return files


def _num(row: dict[str, Any], key: str) -> float | None:
    v = row.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{key!r} must be a number or null, got {v!r}")
    try:
        f = float(v)
    except OverflowError:
        f = math.inf
    if not math.isfinite(f):
        raise ValueError(f"{key!r} must be a finite number or null, got {'NaN' if f != f else 'Infinity'}")
    return f


def _str(row: dict[str, Any], key: str, allowed: tuple[str, ...] | None = None) -> str | None:
    v = row.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise ValueError(f"{key!r} must be a string or null, got {type(v).__name__}")
    if allowed and v not in allowed:
        raise ValueError(f"{key!r} must be one of {', '.join(allowed)}, got {v!r}")
    return _clean(v, key)


def _clean(v: str, key: str) -> str:
    """A string the graph can hold verbatim (no NUL, no lone surrogate)."""
    problem = text_problem(v)
    if problem:
        raise ValueError(f"{key!r} holds a {problem}" + (": not valid Unicode text" if "surrogate" in problem else ""))
    return v


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (numbers must be finite)")


def parse_line(raw: bytes) -> Any:
    """One items.jsonl line as JSON; ValueError with a reason a person understands."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"not valid UTF-8 (byte {e.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise ValueError(f"malformed JSON ({e})") from None
    except RecursionError:
        raise ValueError("malformed JSON (nested too deeply)") from None


class JudgeFailed(Exception):
    """An AJ item whose judge gave no verdict: neither correct nor wrong, so nothing to record."""


def parse_item(row: Any, run: str) -> dict[str, Any]:
    """Validate one items.jsonl object -> a row for results/evaluated; ValueError with the reason, JudgeFailed
    for a well-formed AJ item without a verdict."""
    if not isinstance(row, dict):
        raise ValueError(f"expected a JSON object, got {type(row).__name__}")
    failed = row.get("method") == "aj" and row.get("correct") is None and row.get("verdict") == "invalid"
    missing = [k for k in ("id", "nation", "method", "model", "correct") if row.get(k) in (None, "")
               and not (k == "correct" and failed)]
    if missing:
        raise ValueError("missing " + ", ".join(repr(k) for k in missing))
    if not isinstance(row["id"], str) or not isinstance(row["model"], str) or not isinstance(row["nation"], str):
        raise ValueError("'id', 'nation' and 'model' must be strings")
    for k in ("id", "model"):
        _clean(row[k], k)
        problem = key_problem(row[k])  # merged on: FalkorDB's index would not find such a value again
        if problem:
            raise ValueError(f"{k!r} {problem}: {row[k]!r}")
    if row["method"] not in METHODS:
        raise ValueError(f"'method' must be mc or aj, got {row['method']!r}")
    if not failed and not isinstance(row["correct"], bool):
        raise ValueError(f"'correct' must be true or false, got {row['correct']!r}")
    if row.get("verdict") == "invalid" and not failed:
        raise ValueError(f"verdict 'invalid' (the judge failed) with correct {row['correct']!r}: an item without a "
                         "verdict is neither correct nor wrong (correct must be null)")
    _consistent(row, failed)
    condition = _str(row, "condition", CONDITIONS)
    try:
        nation = check_nation(row["nation"])
    except UnknownNation as e:
        raise ValueError(str(e)) from None
    props = {"correct": row["correct"], "ppl_s": _num(row, "ppl_s"), "ppl_rs": _num(row, "ppl_rs"),
             "judge": _str(row, "judge"), "verdict": _str(row, "verdict"), "order": _str(row, "order"),
             "backend": _str(row, "backend"), "set": _str(row, "set", _SETS), "split": _str(row, "split", _SPLITS),
             "run": run}
    if failed:
        raise JudgeFailed()
    texts = {k: _str(row, k) for k in _TEXTS}
    # "" rather than null: a merge key (Neo4j refuses to MERGE on a null property)
    return {"id": row["id"], "nation": nation, "model": row["model"], "method": row["method"],
            "condition": condition or "", "cr_run": _str(row, "cr_run"), "props": props,
            "texts": texts if all(v is not None for v in texts.values()) else None}


_TEXTS = ("question", "statement", "reverse_statement")
_GRAPH_TEXT = {"question": "question", "statement": "text", "reverse_statement": "reverse"}
_AJ_VERDICTS = ("S", "RS", "empty", "tie")


def _consistent(row: dict[str, Any], failed: bool) -> None:
    """`correct` must follow from what the item says it measured (a hostile or hand-edited row that claims a
    correct answer with verdict RS, or with S less likely than RS, is malformed, not a result)."""
    if failed:
        return
    if row["method"] == "aj":
        verdict = row.get("verdict")
        if verdict is not None and verdict not in _AJ_VERDICTS + ("invalid",):
            raise ValueError(f"'verdict' must be one of {', '.join(_AJ_VERDICTS)} or invalid, got {verdict!r}")
        if verdict in _AJ_VERDICTS and row["correct"] != (verdict == "S"):
            raise ValueError(f"'correct' is {str(row['correct']).lower()} but verdict is {verdict!r} "
                             "(only verdict S is correct)")
    else:
        s, rs = _num(row, "score_s"), _num(row, "score_rs")
        if s is not None and rs is not None and row["correct"] != (s < rs):
            raise ValueError(f"'correct' is {str(row['correct']).lower()} but score_s {s} "
                             f"{'<' if s < rs else '>='} score_rs {rs} (correct means S scored lower)")


def import_results(store: GraphStore, settings: Settings, path: Path, *, strict: bool = False,
                   quiet: bool = False) -> ImportReport:
    files = find_items(path)
    ensure_schema(store)
    rep = ImportReport(files=[str(f) for f in files])
    q = Quarantine(settings.data_dir, "import-results")
    t0 = time.perf_counter()
    by_key: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    models: set[str] = set()
    runs: dict[str, str] = {}  # run id (sha256 of the file) -> file
    stale_by_run: dict[str, int] = {}

    def bad(file: Path, line: int, reason: str, record: Any, *, fatal: bool = True, run: str | None = None) -> None:
        if run is not None:
            stale_by_run[run] = stale_by_run.get(run, 0) + 1
        if strict and fatal:
            raise ResultsError(f"{file}, line {line}: {reason}")
        q.add(file=str(file), where=f"line {line}", reason=reason, record=record)
        if len(rep.problems) < 5:
            rep.problems.append(f"{file}, line {line}: {reason}")

    try:
        run_named(store, "results/legacy_condition", {})
        for f in files:
            try:
                run = hashlib.sha256(f.read_bytes()).hexdigest()[:16]  # same file -> same run id on re-import
                fh = open(f, "rb")
            except OSError as e:
                raise ResultsError(f"{f}: not a readable file ({e.strerror or e})") from None
            with fh:
                for i, raw in enumerate(fh, 1):
                    if not raw.strip():
                        continue
                    rep.read += 1
                    try:
                        item = parse_item(parse_line(raw), run)
                    except JudgeFailed:
                        rep.judge_failed += 1
                        continue
                    except ValueError as e:
                        rep.malformed += 1
                        bad(f, i, str(e), raw.decode("utf-8", "backslashreplace").rstrip("\r\n"))
                        continue
                    key = (item["model"], item["method"], item["condition"], item["nation"], item["id"])
                    if key in by_key:
                        rep.duplicates += 1  # the later line wins, as a later run would
                    item["k"] = by_key[key]["k"] if key in by_key else len(by_key)
                    by_key[key] = {**item, "_file": f, "_line": i, "_run": run}
                    models.add(item["model"])
                runs[run] = str(f)
        rows = _check(store, settings, list(by_key.values()), rep, bad)
        run_named(store, "results/import_start", {"runs": [{"run": r, "file": f} for r, f in runs.items()],
                                                   "at": now_iso()})
        pb = bar(total=len(rows), desc="import results", unit="item", quiet=quiet)
        try:
            payload = [{k: v for k, v in r.items() if not k.startswith("_") and k != "texts"} for r in rows]
            try:
                found = {r["k"] for r in run_batches(store, "results/evaluated", payload,
                                                        batch_size=settings.batch_size, on_batch=pb.update)}
            except ParameterError:  # raised before anything is sent: find the row(s), send the others
                found, left = set(), []
                for r, p in zip(rows, payload):
                    try:
                        found |= {x["k"] for x in run_batches(store, "results/evaluated", [p], batch_size=1)}
                        left.append(r)
                    except ParameterError as e:
                        rep.malformed += 1
                        bad(r["_file"], r["_line"], str(e), None)
                rows = left
        finally:
            pb.close()
        per_run = {r: {"run": r, "imported": 0, "stale": stale_by_run.get(r, 0)} for r in runs}
        for r in rows:
            if r["k"] in found:
                rep.imported += 1
                per_run[r["_run"]]["imported"] += 1
            else:
                rep.unknown += 1
                bad(r["_file"], r["_line"], f"no Statement with id {r['id']!r} in nation {r['nation']} "
                    f"(model {r['model']}, {r['method']})",
                    {"id": r["id"], "nation": r["nation"], "model": r["model"], "method": r["method"]}, fatal=False)
        run_named(store, "results/import_done", {"runs": list(per_run.values()), "at": now_iso()})
    finally:
        q.close()
    rep.models = sorted(models)
    rep.seconds = time.perf_counter() - t0
    rep.quarantine_file = str(q.path) if q.count else None
    return rep


def _check(store: GraphStore, settings: Settings, rows: list[dict[str, Any]], rep: ImportReport,
           bad: Any) -> list[dict[str, Any]]:
    """The rows that describe the graph as it is; stale ones are quarantined with the reason and counted.
    Rows whose statement is not in the graph are passed on (the write reports them as unknown)."""
    graph: dict[str, dict[str, Any]] = {}
    ids = sorted({r["id"] for r in rows})
    page = max(1, settings.batch_size)
    for start in range(0, len(ids), page):
        for g in run_named(store, "results/statements", {"ids": ids[start:start + page]}, write=False):
            graph[g["id"]] = g
    reduction = {n: assess(store, n, stages=("link", "reduce"))["reduce"]
                 for n in sorted({r["nation"] for r in rows if r["condition"] == "with_cr"})}
    keep = []
    for r in rows:
        g = graph.get(r["id"])
        if g is None or g.get("nation") != r["nation"]:
            keep.append(r)
            continue
        why = _stale(r, g, reduction.get(r["nation"]))
        if why:
            rep.stale += 1
            bad(r["_file"], r["_line"], f"stale: {why}; not imported (export, evaluate and import again)",
                {"id": r["id"], "nation": r["nation"], "model": r["model"], "method": r["method"],
                 "condition": r["condition"]}, fatal=False, run=r["_run"])
            continue
        if r["texts"] is None:
            rep.unverified += 1
        if r["condition"] == "with_cr" and not r["cr_run"]:
            r["cr_run"] = reduction[r["nation"]]["run_id"]  # checked current: the run the edge was imported under
        keep.append(r)
    return keep


def _stale(r: dict[str, Any], g: dict[str, Any], red: dict[str, Any] | None) -> str | None:
    """Why an item no longer describes its statement in the graph, or None."""
    for key, prop in _GRAPH_TEXT.items():
        if r["texts"] is not None and r["texts"][key].strip() != (g.get(prop) or "").strip():
            return f"the statement's {key} in the graph is not the one evaluated (re-loaded since the export)"
    said_by = sorted(n for n in (g.get("said_by") or []) if isinstance(n, str) and n.strip())
    speaker = g.get("speaker") if isinstance(g.get("speaker"), str) and g["speaker"].strip() else \
        (said_by[0] if said_by else None)
    graph_set = set_of(g.get("kind"), speaker)
    if r["props"]["set"] is not None and r["props"]["set"] != graph_set:
        return f"the item says set {r['props']['set']!r}, the statement is in set {graph_set!r}"
    if r["condition"] != "with_cr" or red is None:
        return None
    if red["state"] != "current":
        return (f"a with_cr result, but {r['nation']}'s Conflict Reduction is {red['state']} now"
                + (f" ({red['note']})" if red.get("note") else ""))
    if r["cr_run"] and r["cr_run"] != red["run_id"]:
        return f"the snapshot came from reduction run {r['cr_run']}, the graph's current one is {red['run_id']}"
    if g.get("status") != "kept":
        return "the current Conflict Reduction removed this statement"
    return None
