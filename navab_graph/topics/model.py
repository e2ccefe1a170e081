"""BERTopic with the paper's settings (Table 4): UMAP -> HDBSCAN -> c-TF-IDF -> KeyBERTInspired + MMR.

Embeddings come precomputed from `navab_graph.embed`; BERTopic also gets the same embedder as its backend, since
KeyBERTInspired embeds candidate keywords. For large corpora the k-nearest-neighbour graph is computed once and
shared by the 5-D (clustering) and 2-D (plot) UMAPs, which halves the dominant cost.
"""
from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from ..config import TopicsSection
from ..embed import spawn_safe

MIN_DOCS = 10  # below this, density clustering has nothing to find; the stage refuses with a clear message
MIN_CLUSTER_FLOOR = 5
CORPUS_SHARE = 20  # no topic needs more than 1/20 of the corpus (see effective_min_cluster_size)
FEW_TOPICS = 5  # fewer topics than this: the stage says which min_cluster_size would give more
HINT_MAX_DOCS = 100_000  # re-clustering for the hint is cheap up to here (HDBSCAN on the reduced vectors)
_EXACT_KNN_BELOW = 4096  # UMAP computes exact neighbours itself below this size (its own threshold)
EXACT_KNN_MAX = 20_000  # from 4,096 to here the shared neighbour graph is exact too (see _knn)


def effective_min_cluster_size(configured: int, n_docs: int, explicit: bool = False) -> int:
    """HDBSCAN min_cluster_size actually used for a corpus of n_docs.

    The paper's 200 (Table 4) was set for corpora of 335k to 4M articles (Table 1). On a small corpus it leaves
    few topics or none, so the default scales with the corpus: n_docs / 20 (a topic never has to hold more than
    5% of the corpus to exist), with a floor of 5, reaching the paper's value at 4,000 documents. A value given
    explicitly (--min-cluster-size) is the user's choice and is kept unless it exceeds half the corpus, where at
    most one cluster could exist. When this still gives very few topics, `few_topics_hint` says which size gives
    more (it re-clusters the reduced vectors, which is cheap).
    """
    cap = n_docs // 2 if explicit else n_docs // CORPUS_SHARE
    return max(MIN_CLUSTER_FLOOR, min(int(configured), cap))


def few_topics_hint(fit: "Fit", topics: int, n_docs: int) -> str:
    """What to try when HDBSCAN found fewer than FEW_TOPICS topics: the largest smaller min_cluster_size that gives
    at least FEW_TOPICS clusters on the same reduced vectors (HDBSCAN only; UMAP is not redone)."""
    from hdbscan import HDBSCAN

    mcs = fit.min_cluster_size
    head = f"only {topics} topic{'s' if topics != 1 else ''} among {n_docs} articles with min_cluster_size {mcs}"
    if mcs <= MIN_CLUSTER_FLOOR or fit.reduced is None:
        return head + "; the articles may share few topics"
    tried: list[tuple[int, int]] = []
    size = mcs
    while size > MIN_CLUSTER_FLOOR and len(tried) < 4 and n_docs <= HINT_MAX_DOCS:
        size = max(MIN_CLUSTER_FLOOR, size // 2)
        labels = HDBSCAN(min_cluster_size=size, metric="euclidean", cluster_selection_method="eom").fit(
            fit.reduced).labels_
        tried.append((size, len(set(labels) - {-1})))
        if tried[-1][1] >= FEW_TOPICS:
            break
    best = next(((m, k) for m, k in tried if k >= FEW_TOPICS), max(tried, key=lambda t: t[1], default=None))
    if best is None:  # too large to probe here
        m = max(MIN_CLUSTER_FLOOR, mcs // 2)
        return f"{head}; for finer topics try --min-cluster-size {m} (run: NAVAB_TOPICS__MIN_CLUSTER_SIZE={m})"
    m, k = best
    if k <= topics:
        return f"{head}; smaller sizes gave no more ({m}: {k}), so the articles may share few topics"
    return (f"{head}; --min-cluster-size {m} gives {k} topics on the same vectors (for `run`: "
            f"NAVAB_TOPICS__MIN_CLUSTER_SIZE={m} or [topics] min_cluster_size = {m} in navab.toml)")


class EmbedderBackend:
    """Our cached embedder as a BERTopic backend (KeyBERTInspired embeds words and representative docs)."""

    def __new__(cls, embedder, batch_size: int = 256):
        from bertopic.backend import BaseEmbedder

        class _Backend(BaseEmbedder):
            def embed(self, documents, verbose=False):
                return embedder.encode(list(documents), batch_size=batch_size)

        return _Backend()


@dataclass
class Fit:
    model: object  # the fitted BERTopic
    topics: list[int]  # HDBSCAN assignment, -1 = outlier
    coords: np.ndarray  # (n, 2) UMAP map for plotting
    min_cluster_size: int
    n_neighbors: int
    seconds: dict[str, float] = field(default_factory=dict)  # per sub-step
    reduced: np.ndarray | None = None  # the UMAP n_components vectors HDBSCAN clustered


FIT_STEPS = ("neighbours", "UMAP 5-D", "HDBSCAN", "c-TF-IDF", "map 2-D")
MAP_PROCESS_MIN = 20_000  # from here the 2-D map runs in a second process while the 5-D UMAP and HDBSCAN run
PCA_INIT_MIN = 20_000  # from here UMAP starts from a PCA layout instead of a spectral one (see _umap)


class _Steps:
    """Names the running sub-step on the progress bar and times it."""

    def __init__(self, progress, seconds: dict[str, float]):
        self.progress, self.seconds = progress, seconds

    @contextmanager
    def __call__(self, name: str):
        if self.progress is not None and hasattr(self.progress, "set_postfix_str"):
            self.progress.set_postfix_str(name)
        t0 = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - t0, 2)
        if self.progress is not None:
            self.progress.update(1)


def _knn(emb: np.ndarray, k: int, seed: int):
    """The k-nearest-neighbour graph both UMAPs share: exact up to EXACT_KNN_MAX documents, else pynndescent.

    Exact is blockwise matrix products (BLAS uses every core, and the answer is the same on every run), where
    pynndescent runs one thread under a random_state: 1.5 s for 7,000 articles; at 30,000, 16 s against
    pynndescent's 25 s; above, the n^2 products catch up with the approximate search (99% the same neighbours)."""
    if len(emb) <= EXACT_KNN_MAX:
        return (*exact_knn(emb, k), None)
    from umap.umap_ import nearest_neighbors

    idx, dist, index = nearest_neighbors(emb, k, "cosine", {}, False, np.random.RandomState(seed),
                                         low_memory=True, use_pynndescent=True, n_jobs=1)
    return idx, dist, index


def exact_knn(emb: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k nearest rows of L2-normalised `emb` by cosine distance (1 - cos), each row's own index included (as
    UMAP's own neighbour search returns it), nearest first."""
    x = np.ascontiguousarray(emb, dtype=np.float32)
    n = len(x)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)
    block = max(64, (1 << 24) // max(n, 1))  # 64 MB of similarities at a time (and their argpartition)
    for i in range(0, n, block):
        sims = x[i:i + block] @ x.T
        sims[np.arange(len(sims)), np.arange(i, i + len(sims))] = np.inf  # itself first, even among duplicates
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        ps = np.take_along_axis(sims, part, 1)
        order = np.lexsort((part, -ps), axis=1)  # by similarity, then index: the same order on every run
        idx[i:i + block] = np.take_along_axis(part, order, 1)
        dist[i:i + block] = np.maximum(1.0 - np.take_along_axis(ps, order, 1), 0.0)
    return idx, dist


def _umap(emb: np.ndarray, knn, *, k: int, dims: int, min_dist: float, seed: int) -> np.ndarray:
    """UMAP with the paper's settings. Its initial layout is UMAP's default (spectral) up to PCA_INIT_MIN
    documents and PCA above: on news with many near-duplicate groups the neighbour graph falls into many
    components, and the spectral layout of each took 38 of UMAP's 49 s at 30,000 articles (PCA: 10 s in all),
    with the same clusters after (benchmark fixture: 86 vs 90 topics, ARI 0.084 vs 0.085)."""
    from umap import UMAP

    with warnings.catch_warnings():
        # n_jobs=1 under random_state, and "no search index" for a shared knn graph: both intended
        warnings.simplefilter("ignore")
        return UMAP(n_neighbors=k, n_components=dims, min_dist=min_dist, metric="cosine", output_metric="euclidean",
                    random_state=seed, precomputed_knn=knn, low_memory=True,
                    init="pca" if len(emb) >= PCA_INIT_MIN else "spectral").fit_transform(emb)


def fit(docs: list[str], emb: np.ndarray, *, cfg: TopicsSection, seed: int, min_cluster_size: int,
        vectorizer, backend, progress=None) -> Fit:
    """Cluster documents (HDBSCAN outliers stay -1) and compute the 2-D map; representations come later.

    The paper's pipeline, one sub-step at a time (timed, named on the progress bar): the k-nearest-neighbour
    graph (once, shared by both UMAPs), UMAP to n_components, HDBSCAN, BERTopic's c-TF-IDF on the clusters (it
    gets the clusters as labels: BaseDimensionalityReduction + BaseCluster), and the 2-D UMAP map. UMAP is
    single-threaded under a random_state, so on a large corpus the 2-D map runs in a second process at the same
    time (same seed and neighbours: the same coordinates)."""
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN

    n = len(docs)
    k = max(2, min(cfg.n_neighbors, n - 1))
    seconds: dict[str, float] = {}
    step = _Steps(progress, seconds)
    with step("neighbours"):
        knn = _knn(emb, k, seed) if n >= _EXACT_KNN_BELOW else (None, None, None)
    umap_args = {"k": k, "min_dist": cfg.min_dist, "seed": seed}
    pool = future = None
    if n >= MAP_PROCESS_MIN and spawn_safe():
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: numba's OpenMP threading layer, once used in this process (an earlier nation of the same
        # run), aborts a forked child that uses it again
        pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))
        future = pool.submit(_umap, emb, (knn[0], knn[1], None), dims=2, **umap_args)
    try:
        with step("UMAP 5-D"):
            reduced = _umap(emb, knn, dims=min(cfg.n_components, n - 2), **umap_args)
        with step("HDBSCAN"):
            labels = HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean",
                             cluster_selection_method="eom").fit(reduced).labels_
        with step("c-TF-IDF"):
            model = BERTopic(embedding_model=backend, umap_model=BaseDimensionalityReduction(),
                             hdbscan_model=BaseCluster(), vectorizer_model=vectorizer,
                             ctfidf_model=ClassTfidfTransformer(), representation_model=None,
                             top_n_words=cfg.keywords, calculate_probabilities=False, verbose=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                topics, _ = model.fit_transform(docs, embeddings=emb, y=np.asarray(labels))
        with step("map 2-D"):
            coords = future.result() if future is not None else _umap(emb, knn, dims=2, **umap_args)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return Fit(model, [int(t) for t in topics], np.asarray(coords, dtype=np.float32), min_cluster_size, k, seconds,
               reduced)


def represent(model, docs: list[str], topics: list[int], *, cfg: TopicsSection, vectorizer) -> None:
    """Final c-TF-IDF + KeyBERTInspired + MaximalMarginalRelevance keywords for the final assignment."""
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    rep = [KeyBERTInspired(top_n_words=cfg.keywords, random_state=42),
           MaximalMarginalRelevance(diversity=cfg.mmr_diversity, top_n_words=cfg.keywords)]
    import logging

    # BERTopic warns that a custom assignment must be the last step: it is, by design
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.update_topics(docs, topics=topics, top_n_words=cfg.keywords, vectorizer_model=vectorizer,
                            ctfidf_model=ClassTfidfTransformer(), representation_model=rep)


def keywords_of(model, topic: int) -> list[str]:
    words = model.get_topic(topic) or []
    return [w for w, _ in words if w]
