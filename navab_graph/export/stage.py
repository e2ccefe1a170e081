"""`navab-graph export`: per-nation benchmark snapshots in the contract format (docs/SNAPSHOT_FORMAT.md).

Determinism: the nation's statement ids are read and sorted, details are fetched in batches of ids (through
the id index: no ORDER BY/SKIP paging that rescans the nation per page), rows are sorted by id, and written
with an explicit Arrow schema and fixed writer options, so the same graph gives byte-identical data files
(only manifest.json carries a timestamp). Files are written to temporary names and renamed into place, the
manifest last, so a reader never sees a half-written file under its final name.

One statement text is one row per nation: statement ids are per article, so a statement several articles
report has several ids. Of the rows whose normalised text (schema.normalize_statement) is the same, one is
written (a kept one before a removed one, then the smallest id) and the others are counted as duplicates; the
split is keyed by that text, never by the id, so no statement is in both train and test.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from collections import Counter

from navab_loaders import check_nation

from .. import __version__
from ..config import Settings
from ..lineage import StaleState, check_export, last_runs
from ..progress import bar
from ..quarantine import Quarantine
from ..store import GraphStore, run_named
from .schema import CR_STATUSES, FORMATS, SCHEMA_VERSION, SETS, SPLIT_KEY, normalize_statement, set_of, split_of
from .writer import atomic_write_json, write_set


class ExportError(ValueError):
    """An export that cannot produce a meaningful snapshot (unknown nation, no triples, bad options)."""


class StaleExport(ExportError):
    """The graph holds stale or partial state for the nation (the message names the stage to re-run)."""


@dataclass
class ExportReport:
    nation: str
    out_dir: str
    counts: dict[str, dict[str, int]]
    statements: int = 0
    incomplete: int = 0  # statements without a question or reverse statement: not triples yet
    removed_skipped: int = 0  # removed by CR, left out of a with-CR export
    bad_status: int = 0
    duplicates: int = 0  # the same statement text as an exported row (another article's id for it)
    with_conflict_reduction: bool = False
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def nations_with_statements(store: GraphStore) -> list[str]:
    return [r["nation"] for r in run_named(store, "export/nations", {}, write=False)]


def collect_rows(store: GraphStore, settings: Settings, nation: str, *, with_cr: bool = True,
                 quiet: bool = False, quarantine: Quarantine | None = None) -> tuple[dict[str, list[dict]], dict]:
    """Triples of one nation as contract rows per set, sorted by id; plus counts of what was left out.

    A statement text (normalize_statement) is exported once per nation, whichever set its rows are in: the row
    kept by Conflict Reduction before a removed one, then the smallest id; the others count as duplicates.
    The winner does not depend on with_cr, so the with-CR snapshot is the without-CR one's kept rows."""
    seed, pct = settings.export.split_seed, settings.export.train_percent
    page = max(1, settings.batch_size)
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in SETS}
    stats: dict[str, Any] = {"statements": 0, "incomplete": 0, "removed_skipped": 0, "bad_status": 0,
                             "duplicates": 0, "made_by": {"statements": Counter(), "triples": Counter()}}
    # normalised text -> (row, who made it) of the row that wins so far
    best: dict[str, tuple[dict[str, Any], tuple[str, str]]] = {}
    ids = sorted(r["id"] for r in run_named(store, "export/statement_ids", {"nation": nation}, write=False)
                 if isinstance(r.get("id"), str))
    pb = bar(total=len(ids), desc=f"export {nation}", unit="stmt", quiet=quiet)
    try:
        for start in range(0, len(ids), page):
            batch = ids[start:start + page]
            for r in run_named(store, "export/statements", {"ids": batch}, write=False):
                stats["statements"] += 1
                row = _to_row(r, nation, settings, seed, pct)
                if row is None:
                    stats["incomplete"] += 1
                    continue
                if row["cr_status"] not in CR_STATUSES:
                    stats["bad_status"] += 1
                    if quarantine is not None:
                        quarantine.add(file=None, where=f"Statement {row['id']}",
                                       reason=f"status {row['cr_status']!r} is neither kept nor removed")
                    continue
                text = normalize_statement(row["statement"])
                other = best.get(text)
                if other is not None:
                    stats["duplicates"] += 1
                    if _precedence(other[0]) < _precedence(row):
                        continue
                best[text] = (row, _maker(r))
            pb.update(len(batch))
    finally:
        pb.close()
    for row, maker in best.values():
        if with_cr and row["cr_status"] != "kept":
            stats["removed_skipped"] += 1
            continue
        out[row["set"]].append(row)
        stats["made_by"]["statements"][maker[0]] += 1
        stats["made_by"]["triples"][maker[1]] += 1
    for rows_ in out.values():
        rows_.sort(key=lambda x: x["id"])
    return out, stats


def _precedence(row: dict[str, Any]) -> tuple[bool, str]:
    """Which of two rows with the same statement text is exported: kept before removed, then the smaller id."""
    return row["cr_status"] != "kept", row["id"]


def _maker(r: dict[str, Any]) -> tuple[str, str]:
    """Who made a statement and its triple: a provider name ('rules', 'openai:<model>'), or 'preloaded' (came
    with the loaded news, e.g. a NaVAB release)."""
    pre = bool(r.get("preloaded"))
    return (r.get("extracted_by") or ("preloaded" if pre else "unknown"),
            r.get("constructed_by") or ("preloaded" if pre else "unknown"))


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _to_row(r: dict[str, Any], nation: str, settings: Settings, seed: str, pct: int) -> dict[str, Any] | None:
    if _blank(r.get("text")) or _blank(r.get("question")) or _blank(r.get("reverse")):
        return None
    arts = sorted((a for a in (r.get("articles") or []) if a and a.get("id") is not None),
                  key=lambda a: (a["id"], a.get("topic") or ""))
    art = arts[0] if arts else {}
    said_by = sorted(n for n in (r.get("said_by") or []) if isinstance(n, str) and n.strip())
    speaker = r.get("speaker") if not _blank(r.get("speaker")) else (said_by[0] if said_by else None)
    status = r.get("status") or "kept"
    removed = status == "removed"
    cr_round = r.get("removed_round") if removed else None
    return {
        "id": r["id"], "nation": nation, "set": set_of(r.get("kind"), speaker),
        "question": r["question"].strip(), "statement": r["text"].strip(), "reverse_statement": r["reverse"].strip(),
        "language": r.get("lang") or art.get("lang") or settings.language_of(nation),
        "topic": art.get("topic"), "speaker": speaker, "source": art.get("source"), "article_id": art.get("id"),
        "url": art.get("url"), "published": _as_str(art.get("published")),
        "split": split_of(nation, r["text"], seed, pct), "cr_status": status,
        "cr_round": int(cr_round) if cr_round is not None else None,
        "cr_reason": _as_str(r.get("removed_reason")) if removed else None,
    }


def _as_str(v: Any) -> str | None:
    return None if v is None else str(v)


def export_nation(store: GraphStore, settings: Settings, nation: str, out: Path, *, with_cr: bool = True,
                  formats: tuple[str, ...] = FORMATS, quiet: bool = False) -> ExportReport:
    """Write <out>/<NATION>/{quoted,official}.{parquet,jsonl} + manifest.json; raise ExportError when empty."""
    t0 = time.perf_counter()
    nation = check_nation(nation)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ExportError(f"--format {','.join(formats)!r}: expected a comma list of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out}: exists and is not a folder; name a folder for the snapshot")
    try:
        lin = check_export(store, nation, with_cr=with_cr)
    except StaleState as e:
        raise StaleExport(str(e)) from None
    q = Quarantine(settings.data_dir, "export")
    try:
        rows, stats = collect_rows(store, settings, nation, with_cr=with_cr, quiet=quiet, quarantine=q)
    finally:
        q.close()
    _unchanged_since(store, nation, with_cr, lin)
    total = sum(len(v) for v in rows.values())
    if total == 0:
        raise ExportError(_empty_message(nation, stats, with_cr))
    nation_dir = out / nation
    try:
        nation_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as e:
        raise ExportError(f"--out {out}: cannot make the folder {nation_dir} ({e.strerror}); name a folder") from None
    # the old manifest goes first: an export cut short (kill, full disk) leaves a folder no reader accepts,
    # never new data files under the old manifest's claims
    (nation_dir / "manifest.json").unlink(missing_ok=True)
    _remove_leftovers(nation_dir)
    files: dict[str, str] = {}
    for set_name in SETS:
        files.update(write_set(nation_dir, set_name, rows[set_name], formats))
    for stale in (f"{s}.{f}" for s in SETS for f in FORMATS):
        if stale not in files and (nation_dir / stale).exists():
            (nation_dir / stale).unlink()  # a file of an earlier export that this manifest would not vouch for
    counts = {s: {"train": sum(r["split"] == "train" for r in rows[s]),
                  "test": sum(r["split"] == "test" for r in rows[s]), "total": len(rows[s])} for s in SETS}
    runs = run_named(store, "export/reduction_runs", {"nation": nation}, write=False)
    red = lin["conflict_reduction"]
    # a claim about the graph, computed from it now: a finished, not undone reduction covers these statements
    applied = with_cr and red["state"] == "current"
    made_by = _made_by(store, nation, stats["made_by"])
    warnings = list(lin["warnings"])
    if made_by["demo_quality"]:
        warnings.append(f"{nation}: made by the offline rules provider (demo quality, not an LLM's benchmark): "
                        f"statements {dict(made_by['statements'])}, triples {dict(made_by['triples'])}; set "
                        "[llm] base_url for a real one")
    manifest = {
        "schema_version": SCHEMA_VERSION, "nation": nation, "with_conflict_reduction": applied,
        "pipeline_version": __version__, "config_hash": settings.config_hash(),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "split_seed": settings.export.split_seed, "counts": counts, "files": files,
        # optional fields (readers ignore unknown keys): what was left out and how CR stood at export time
        "train_percent": settings.export.train_percent,
        "split_key": SPLIT_KEY,
        "cr_counts": {s: {st: sum(r["cr_status"] == st for r in rows[s]) for st in CR_STATUSES} for s in SETS},
        "left_out": {"incomplete": stats["incomplete"], "removed_by_cr": stats["removed_skipped"],
                     "bad_status": stats["bad_status"], "duplicates": stats["duplicates"]},
        "reduction_runs": int(runs[0]["runs"]) if runs else 0,
        "conflict_reduction": {"state": red["state"], "run_id": red.get("run_id"), "rounds": red.get("rounds"),
                               "removed": red["counts"].get("removed", 0) if red["state"] == "current" else None,
                               "params": red.get("params"), "finished_at": red.get("finished_at")},
        "made_by": made_by,
        "warnings": warnings,
        "graph_engine": store.engine,
    }
    atomic_write_json(nation_dir / "manifest.json", manifest)
    return ExportReport(nation=nation, out_dir=str(nation_dir), counts=counts, statements=stats["statements"],
                        incomplete=stats["incomplete"], removed_skipped=stats["removed_skipped"],
                        bad_status=stats["bad_status"], duplicates=stats["duplicates"],
                        with_conflict_reduction=applied, files=files,
                        warnings=warnings, seconds=time.perf_counter() - t0)


def _lineage_key(lin: dict[str, Any]) -> tuple:
    red = lin["conflict_reduction"]
    stages = {k: (v.get("stale"), v.get("pending")) for k, v in sorted(lin["stages"].items())}
    return red["state"], red.get("run_id"), json.dumps(red.get("counts"), sort_keys=True, default=str), \
        json.dumps(stages, sort_keys=True, default=str)


def _unchanged_since(store: GraphStore, nation: str, with_cr: bool, lin: dict[str, Any]) -> None:
    """The graph as checked before the rows were read is the graph they were read from: a writer that slipped
    in (another data dir on the same server, a hand-written query; navab-graph's own writers are kept out by
    the nation's lock) would make the manifest's claims about another state than the rows'."""
    try:
        now = check_export(store, nation, with_cr=with_cr)
    except StaleState as e:
        raise StaleExport(f"{e} (it changed while the export read it; nothing was written)") from None
    if _lineage_key(now) != _lineage_key(lin):
        raise StaleExport(f"nation {nation}: not exported, the graph changed while the export read it "
                          f"(Conflict Reduction {lin['conflict_reduction']['state']} -> "
                          f"{now['conflict_reduction']['state']}); nothing was written, export again")


def _remove_leftovers(nation_dir: Path) -> None:
    """Temporary files of exports killed before they could rename them (readers ignore them; they must not
    end up in a published folder)."""
    for name in [f"{s}.{f}" for s in SETS for f in FORMATS] + ["manifest.json"]:
        for tmp in nation_dir.glob(f".{name}.*.tmp"):
            tmp.unlink(missing_ok=True)


def _made_by(store: GraphStore, nation: str, tally: dict[str, Counter]) -> dict[str, Any]:
    """Who made the exported statements and triples (counts per provider), the LLM stage runs behind them
    (provider, model, prompt version) and whether the offline rules made any of it (demo quality)."""
    runs = last_runs(store, nation)
    stage_runs = {s: {k: runs[s].get(k) for k in ("run_id", "provider", "model", "prompt_version", "finished_at")}
                  for s in ("topics", "screen", "extract", "construct") if s in runs}
    demo = any(k == "rules" for t in tally.values() for k in t)
    return {"statements": dict(sorted(tally["statements"].items())), "triples": dict(sorted(tally["triples"].items())),
            "stage_runs": stage_runs, "demo_quality": demo}


def _empty_message(nation: str, stats: dict[str, int], with_cr: bool) -> str:
    if stats["statements"] == 0:
        return (f"nation {nation} has no statements in the graph; load news with statements first "
                f"(navab-graph load FILE --nation {nation})")
    msg = (f"nation {nation} has no triples to export: {stats['statements']} statement(s), "
           f"{stats['incomplete']} without a question or reverse statement")
    if with_cr and stats["removed_skipped"]:
        msg += f", {stats['removed_skipped']} removed by Conflict Reduction (see --without-cr)"
    if stats["bad_status"]:
        msg += f", {stats['bad_status']} with an unknown status (see the quarantine file)"
    return msg
