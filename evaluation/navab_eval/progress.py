"""Progress that `quiet` turns off: a bar for counted work, a spinner step for one long call (loading a model),
and silencing the progress bars and warnings of transformers / huggingface_hub."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def progress(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    if quiet or total == 0:
        yield lambda n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    with Progress("[bold]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def step(label: str, quiet: bool) -> Iterator[None]:
    """A spinner with elapsed time while one call runs (it has no count to show)."""
    if quiet:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(finished_text="[green]done[/]"), TextColumn("{task.description}"),
                  TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task(label, total=None)
        yield
        bar.update(task, total=1, completed=1)


@contextmanager
def libraries_quiet(quiet: bool) -> Iterator[None]:
    """With quiet, no "Loading weights" bars or warnings from transformers and huggingface_hub; restored after."""
    if not quiet:
        yield
        return
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars
    from transformers.utils import logging as hf_logging

    bars, verbosity, hub_bars_off = hf_logging.is_progress_bar_enabled(), hf_logging.get_verbosity(), \
        are_progress_bars_disabled()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    disable_progress_bars()
    try:
        yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()
        hf_logging.set_verbosity(verbosity)
        if not hub_bars_off:
            enable_progress_bars()
