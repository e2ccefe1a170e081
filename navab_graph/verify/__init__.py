"""Human verification of a benchmark (paper Appendix B, Table 7).

One verified original statement (the *anchor*) per nation; a random sample of the nation's kept statements;
verifiers label each sampled statement `align`, `conflict` or `unrelated` to the anchor, overlapping subsets
labelled by several verifiers. `sample` writes the sheet (CSV) and an offline annotation page; `import_sheets`
validates filled sheets and stores the labels as (:Annotator)-[:VERIFIED]->(:Statement); `stats` gives the
per-nation rates and the inter-annotator agreement.
"""
from __future__ import annotations

from .sample import COLUMNS, SampleResult, VerifyError, sample_sheet
from .sheet import ImportResult, import_sheets
from .stats import LABELS, nation_stats, stored_labels

__all__ = ["COLUMNS", "LABELS", "ImportResult", "SampleResult", "VerifyError", "import_sheets", "nation_stats",
           "sample_sheet", "stored_labels"]
