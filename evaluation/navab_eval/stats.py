"""Uncertainty of a correct rate: the Wilson score interval, from scipy (``binomtest(...).proportion_ci``).

Wilson rather than the normal approximation because groups are small (tens of items per nation x set) and
rates sit near 0 or 1, where the normal interval leaves [0, 1] and under-covers.
"""
from __future__ import annotations

from typing import Any

CONFIDENCE = 0.95


def wilson(correct: int, n: int, confidence: float = CONFIDENCE) -> tuple[float | None, float | None]:
    """(low, high) of the Wilson score interval for correct / n; (None, None) when n == 0."""
    if n <= 0:
        return None, None
    from scipy.stats import binomtest

    ci = binomtest(int(correct), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def rate(correct: int, n: int) -> dict[str, Any]:
    """{"n", "correct", "correct_rate", "ci_low", "ci_high"}: every rate navab-eval writes carries these."""
    low, high = wilson(correct, n)
    return {"n": n, "correct": correct, "correct_rate": correct / n if n else None, "ci_low": low, "ci_high": high}


def fmt(correct_rate: float | None, ci_low: float | None, ci_high: float | None, n: int | None) -> str:
    """``0.700 [0.40, 0.89] n=10`` (``-`` for an empty cell)."""
    if correct_rate is None or n is None:
        return "-"
    ci = f" [{ci_low:.2f}, {ci_high:.2f}]" if ci_low is not None and ci_high is not None else ""
    return f"{correct_rate:.3f}{ci} n={int(n)}"
