"""Snapshot records -> DPO preference pairs.

The prompt is built by navab_eval's MC prompt code (question + the per-language answer prefix, optionally in
the chat template), and the answers are joined to it exactly as the MC scorer joins them, so DPO trains on
the very continuations the benchmark scores: chosen = the nation's statement S, rejected = its reverse RS.

No statement is trained on and tested on: `select` drops from the train split every pair whose statement text
(normalize_statement) is in the test split of the same nation. Snapshots exported before the split was keyed by
the statement text (split by id, one id per reporting article) and NaVAB release files read directly hold such
pairs. Pairs repeated within a split are dropped too. The counts are reported and written into run.json.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .config import DPOSettings


class DataError(ValueError):
    """The snapshot cannot provide training pairs (message names the snapshot and the reason)."""


TRAIN_CONDITIONS = ("with_cr",)


def normalize_statement(text: str | None) -> str:
    """As the export compares statement texts (docs/SNAPSHOT_FORMAT.md): Unicode NFC, runs of Unicode whitespace
    collapsed to one space, stripped; case kept."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


class Selection(list):
    """The records `select` chose (a plain list to its callers), with `report`: what was dropped and why."""

    def __init__(self, records: Iterable[Any], report: dict[str, Any]):
        super().__init__(records)
        self.report = report


def _pair_key(r: Any) -> tuple[str, ...]:
    return (r.nation.upper(), r.language or "", normalize_statement(r.question), normalize_statement(r.statement),
            normalize_statement(r.reverse_statement))


def load_records(data: Path, say=print, conditions: Sequence[str] = TRAIN_CONDITIONS) -> list[Any]:
    """The records of one condition of a snapshot (root of nations, the root `navab-graph run` writes with
    with_cr/ and without_cr/ below it, one nation dir, or one file) via navab_eval's reader.

    conditions: the snapshots to read, by their manifest's with_conflict_reduction ("with_cr" by default: DPO
    trains on the benchmark after Conflict Reduction, never on statements it removed). Records read from the
    root are in both snapshots; reading both would train on each kept pair twice and on the removed ones.
    NaVAB release files carry no condition: they are read as they are, and said so. Bad rows are quarantined
    by the reader (not raised); their count and first reasons are reported.
    """
    from navab_eval import snapshot

    unknown = sorted(set(conditions) - set(snapshot.CONDITIONS))
    if unknown or not conditions:
        raise DataError(f"unknown condition(s) {unknown or list(conditions)}: use {' / '.join(snapshot.CONDITIONS)}")
    try:
        snap = snapshot.load_snapshot(data, strict=False)
    except snapshot.SnapshotError as e:
        raise DataError(f"cannot train on {data}: {e}") from e
    if snap.skipped:
        say(f"{data}: skipped {len(snap.skipped)} bad rows, e.g. {snap.skipped[0]}")
    records = list(snap.records)
    found = snap.conditions
    if not found:
        say(f"{data}: no with_cr / without_cr label (NaVAB release files): all {len(records)} records are used")
        return records
    chosen = [r for r in records if r.condition in conditions]
    if not chosen:
        raise DataError(f"{data}: no {' / '.join(conditions)} records: this snapshot holds only "
                        f"{' and '.join(found)} (its manifest's with_conflict_reduction); pass the snapshot "
                        f"exported {'with' if 'with_cr' in conditions else 'without'} Conflict Reduction")
    if len(chosen) < len(records):
        say(f"{data}: read the {' / '.join(conditions)} records ({len(chosen)} of {len(records)})")
    return chosen


def select(records: Iterable[Any], split: str, settings: DPOSettings, data: Path | str = "snapshot",
           say: Callable[[str], None] | None = print) -> Selection:
    """Rows of one split, restricted to the configured sets and nations; clear error when none are left.

    Leaks and repeats are dropped: for the train split, every pair whose normalised statement text is in the
    test split of the same nation (any set, whatever sets/nations select); in either split, a pair (nation,
    language, question, statement, reverse; normalised) that repeats another, keeping the smallest id. The
    counts go to `say` and to the returned Selection's `report` (run_dpo writes it into run.json)."""
    records = list(records)
    if not records:
        raise DataError(f"{data}: the snapshot holds no rows, so its {split} split is empty")
    splits = Counter(r.split for r in records)
    if splits.get(split, 0) == 0:
        found = ", ".join(f"{k} ({v} rows)" for k, v in sorted(splits.items()))
        raise DataError(f"{data}: no {split} split in this snapshot (splits found: {found})")
    nations = set(settings.nations) if settings.nations else None
    chosen = [r for r in records if r.split == split and r.set in settings.sets
              and (nations is None or r.nation.upper() in nations)]
    if not chosen:
        raise DataError(f"{data}: the {split} split is empty after selecting sets={settings.sets} "
                        f"nations={settings.nations or 'all'} ({splits[split]} {split} rows before)")
    in_test: list[str] = []
    if split == "train":
        test_texts = {(r.nation.upper(), normalize_statement(r.statement)) for r in records if r.split == "test"}
        in_test = [r.id for r in chosen if (r.nation.upper(), normalize_statement(r.statement)) in test_texts]
    leaked = set(in_test)
    first: dict[tuple[str, ...], str] = {}
    for r in sorted((r for r in chosen if r.id not in leaked), key=lambda r: r.id):
        first.setdefault(_pair_key(r), r.id)
    winners = set(first.values())
    # the same id read twice (both conditions of one root) is one pair: the first one read stays
    kept, seen, duplicates = [], set(), []
    for r in chosen:
        if r.id in leaked:
            continue
        if r.id not in winners or r.id in seen:
            duplicates.append(r.id)
            continue
        seen.add(r.id)
        kept.append(r)
    report = {"split": split, "selected": len(chosen), "dropped_in_test": len(in_test),
              "dropped_duplicates": len(duplicates), "pairs": len(kept),
              "examples_in_test": sorted(in_test)[:10], "examples_duplicates": sorted(duplicates)[:10]}
    if (in_test or duplicates) and say is not None:
        parts = []
        if in_test:
            parts.append(f"{len(in_test)} pairs whose statement is also in the test split of the same nation "
                         "(a snapshot split by id, or NaVAB release files), "
                         f"e.g. {', '.join(report['examples_in_test'][:3])}")
        if duplicates:
            parts.append(f"{len(duplicates)} duplicate pairs, e.g. {', '.join(report['examples_duplicates'][:3])}")
        say(f"{data}: {split} split: dropped {' and '.join(parts)}; {len(kept)} of {len(chosen)} pairs left")
    if not kept:
        raise DataError(f"{data}: the {split} split is empty after dropping {len(in_test)} pairs whose statement "
                        f"is in the test split and {len(duplicates)} duplicate pairs ({len(chosen)} rows before)")
    return Selection(kept, report)


def pair_texts(record: Any, tokenizer=None, chat_template: bool = False) -> dict[str, str]:
    """One preference pair in trl's explicit-prompt format, joined as navab_eval's MC scorer joins them."""
    from navab_eval import prompts

    context = prompts.mc_context(record.question, record.language, tokenizer=tokenizer, chat_template=chat_template)
    return {"prompt": context, "chosen": prompts.mc_continuation(record.statement, record.language),
            "rejected": prompts.mc_continuation(record.reverse_statement, record.language)}


def build_dataset(records: Sequence[Any], tokenizer=None, chat_template: bool = False):
    """A datasets.Dataset of {id, prompt, chosen, rejected}; drops rows whose S equals RS (no preference)."""
    from datasets import Dataset

    rows, skipped = [], []
    for r in records:
        if not (r.statement or "").strip() or not (r.reverse_statement or "").strip() \
                or r.statement.strip() == r.reverse_statement.strip():
            skipped.append(r.id)
            continue
        rows.append({"id": r.id, **pair_texts(r, tokenizer, chat_template)})
    if not rows:
        raise DataError(f"no usable preference pairs: all {len(records)} rows have an empty statement/reverse "
                        f"or identical statement and reverse (ids: {', '.join(skipped[:5])})")
    return Dataset.from_list(rows), skipped
