"""`navab-graph topics` and `navab-graph screen`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import console, err_console, fail, print_rows, state, store_for
from .llm_cmd import print_usage, provider_for


def register(app: typer.Typer) -> None:
    @app.command("topics")
    def topics_cmd(ctx: typer.Context,
                   nation: str = typer.Option(..., "--nation", "-n", help="ISO code of the nation to model."),
                   min_cluster_size: Optional[int] = typer.Option(
                       None, "--min-cluster-size", min=2,
                       help="HDBSCAN min_cluster_size (default topics.min_cluster_size = 200, the paper's for "
                            "corpora of 335k+ articles; capped at 1/20 of the corpus, so 30 for 600 articles). When "
                            "very few topics come out, the command says which size gives more."),
                   seed: Optional[int] = typer.Option(None, "--seed", help="UMAP random_state (default 42)."),
                   outliers: Optional[str] = typer.Option(
                       None, "--outliers", help="auto | tagging | reduce | keep (default: topics.outliers)."),
                   plot: Optional[Path] = typer.Option(None, "--plot", help="Also draw the topic map to this PNG."),
                   as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Find the topics of a nation's articles (BERTopic, paper settings) and write Topic nodes + IN_TOPIC.

        HDBSCAN outliers are tagged by the LLM (when an endpoint is configured) or given to the nearest topic.
        Re-running replaces the nation's previous topics.

        Example: navab-graph topics --nation CN --seed 42 --plot cn_topics.png
        """
        from navab_loaders import UnknownNation, check_nation

        from ..embed import EmbeddingModelError
        from ..pipeline import recorded_topics
        from ..stages.topics import TopicsError
        from ..topics.plot import plot_topic_map

        st = state(ctx)
        try:
            nation = check_nation(nation)
        except UnknownNation as e:
            fail(str(e))
        settings = st.settings
        if outliers is not None:
            settings = settings.model_copy(update={"topics": settings.topics.model_copy(update={"outliers": outliers})})
        llm = provider_for(settings)
        with store_for(ctx, write=True) as store:
            try:
                # recorded as a StageRun like `run` does: downstream stages see the new assignment as their input
                rep = recorded_topics(store, settings, nation, min_cluster_size=min_cluster_size, seed=seed,
                                      provider=llm, quiet=st.quiet)
            except (TopicsError, EmbeddingModelError) as e:
                fail(str(e))
            if plot is not None:
                console.print(f"topic map: {plot_topic_map(store, nation, plot)}")
        for w in rep.warnings:
            err_console.print(f"[yellow]warning:[/] {w}")
        if as_json:
            print_rows([rep.as_dict()], as_json=True)
            return
        # the count first, then what to do when it is very few (the paper's 200 is for corpora of 335k+ articles)
        console.print(f"{nation}: {rep.topics} topic{'s' if rep.topics != 1 else ''} in {rep.articles} articles "
                      f"(min_cluster_size {rep.min_cluster_size})", highlight=False, soft_wrap=True)
        if rep.hint:
            from rich.markup import escape

            err_console.print(f"[yellow]few topics:[/] {escape(rep.hint)}", highlight=False, soft_wrap=True)
        share = f"{rep.outliers} ({rep.outlier_share:.1%})"
        print_rows([{"nation": nation, "articles": rep.articles, "topics": rep.topics, "outliers": share,
                     "outlier handling": rep.outlier_method,
                     "assigned by": ", ".join(f"{k}={v}" for k, v in rep.assigned_by.items()),
                     "min_cluster_size": rep.min_cluster_size, "seconds": rep.seconds.get("total")}],
                   title="topics")
        print_rows(rep.top_topics, title="largest topics")
        if not llm.offline:
            print_usage(llm.usage)

    @app.command("screen")
    def screen_cmd(ctx: typer.Context,
                   nation: str = typer.Option(..., "--nation", "-n", help="ISO code of the nation."),
                   overrides: Optional[Path] = typer.Option(
                       None, "--overrides", help="screening.yaml: force_in / force_out lists of topic ids or "
                                                 "labels, applied last."),
                   as_json: bool = typer.Option(False, "--json", help="Print the verdicts as JSON.")):
        """Mark each topic of a nation value-related or not (LLM, or the offline value lexicon), then apply the
        human overrides.

        Example: navab-graph screen --nation CN --overrides screening.yaml
        """
        from navab_loaders import UnknownNation, check_nation

        from ..stages.screen import ScreeningError, load_overrides, run_screen

        st = state(ctx)
        try:
            nation = check_nation(nation)
            ov = load_overrides(overrides) if overrides is not None else None
        except (UnknownNation, ScreeningError) as e:
            fail(str(e))
        llm = provider_for(st.settings)
        with store_for(ctx, write=True) as store:
            try:
                rep = run_screen(store, st.settings, nation, provider=llm, overrides=ov, quiet=st.quiet)
            except ScreeningError as e:
                fail(str(e))
        for k in rep.unmatched_overrides:
            err_console.print(f"[yellow]warning:[/] override {k!r} matches no topic of {nation}")
        if rep.failed:
            err_console.print(f"[yellow]warning:[/] {rep.failed} topics could not be screened (left unscreened)")
        print_rows(rep.rows, as_json=as_json, title=f"screening {nation}: {rep.value_related}/{rep.topics} "
                                                    "value-related")
        if not as_json and not llm.offline:
            print_usage(llm.usage)
