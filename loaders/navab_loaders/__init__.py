"""News source loaders: generic JSONL / CSV / Parquet, presets for the paper's sources, the NaVAB release format.

Readers stream raw records; `records.normalize` turns one into an Article dict or raises `BadRecord`
with the reason. Nothing here talks to a database.
"""
from .nations import UnknownNation, check_nation
from .records import BadRecord, normalize
from .readers import detect_format, iter_records

__all__ = ["BadRecord", "normalize", "iter_records", "detect_format", "check_nation", "UnknownNation"]
