"""The snapshot contract (docs/SNAPSHOT_FORMAT.md, schema 1.0) as code: columns, Arrow types, split rule."""
from __future__ import annotations

import hashlib
import unicodedata

import pyarrow as pa

SCHEMA_VERSION = "1.0"
SETS = ("quoted", "official")
FORMATS = ("parquet", "jsonl")
CR_STATUSES = ("kept", "removed")
# What the manifest's optional split_key names: the split is keyed by the normalised statement text.
SPLIT_KEY = "statement_text"

# Column order is part of the contract: the jsonl twin writes keys in this order too.
SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("nation", pa.string(), nullable=False),
    pa.field("set", pa.string(), nullable=False),
    pa.field("question", pa.string(), nullable=False),
    pa.field("statement", pa.string(), nullable=False),
    pa.field("reverse_statement", pa.string(), nullable=False),
    pa.field("language", pa.string(), nullable=False),
    pa.field("topic", pa.string()),
    pa.field("speaker", pa.string()),
    pa.field("source", pa.string()),
    pa.field("article_id", pa.string()),
    pa.field("url", pa.string()),
    pa.field("published", pa.string()),
    pa.field("split", pa.string(), nullable=False),
    pa.field("cr_status", pa.string(), nullable=False),
    pa.field("cr_round", pa.int64()),
    pa.field("cr_reason", pa.string()),
])
COLUMNS = tuple(SCHEMA.names)
# What makes two rows with the same id "changed" in `snapshot diff`.
CONTENT_COLUMNS = ("set", "question", "statement", "reverse_statement", "split", "cr_status")


def normalize_statement(text: str) -> str:
    """The statement text as dedup and the split compare it: Unicode NFC, Unicode whitespace runs (Python's
    str.split()) collapsed to one space, leading and trailing whitespace stripped; case is kept."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_of(nation: str, statement: str, seed: str, train_percent: int = 80) -> str:
    """The contract's deterministic split, keyed by the nation and the normalised statement text (not the id:
    ids are per article, so one statement reported by several articles would otherwise land in both splits):
    train when int(sha256(seed + ":" + nation + "|" + normalize_statement(statement))[:8], 16) % 100 <
    train_percent."""
    key = f"{seed}:{nation}|{normalize_statement(statement)}"
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < train_percent else "test"


def set_of(kind: str | None, speaker: str | None) -> str:
    """kind decides; a statement without a kind is quoted when a speaker is attributed, else official."""
    if kind in SETS:
        return kind
    return "quoted" if speaker else "official"
