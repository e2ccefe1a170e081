"""Benchmark snapshots: export from the graph (stage), the contract (schema), writing (writer), diff (diff)."""
from .schema import COLUMNS, SCHEMA, SCHEMA_VERSION, SETS, split_of
from .stage import ExportError, ExportReport, export_nation, nations_with_statements

__all__ = ["COLUMNS", "SCHEMA", "SCHEMA_VERSION", "SETS", "split_of", "ExportError", "ExportReport",
           "export_nation", "nations_with_statements"]
