"""Progress bars that every long step shows, silenced by --quiet."""
from __future__ import annotations

from tqdm.auto import tqdm


def bar(total: int | None = None, desc: str = "", unit: str = "it", quiet: bool = False) -> tqdm:
    return tqdm(total=total, desc=desc, unit=unit, disable=quiet, dynamic_ncols=True, leave=False)
