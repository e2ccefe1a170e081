"""BERTopic with the paper's settings (Table 4): UMAP -> HDBSCAN -> c-TF-IDF -> KeyBERTInspired + MMR.

Embeddings come precomputed from `navab_graph.embed`; BERTopic also gets the same embedder as its backend, since
KeyBERTInspired embeds candidate keywords. For large corpora the k-nearest-neighbour graph is computed once and
shared by the 5-D (clustering) and 2-D (plot) UMAPs, which halves the dominant cost.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..config import TopicsSection

MIN_DOCS = 10  # below this, density clustering has nothing to find; the stage refuses with a clear message
MIN_CLUSTER_FLOOR = 5
CORPUS_SHARE = 20  # no topic needs more than 1/20 of the corpus (see effective_min_cluster_size)
_EXACT_KNN_BELOW = 4096  # UMAP computes exact neighbours itself below this size (its own threshold)


def effective_min_cluster_size(configured: int, n_docs: int, explicit: bool = False) -> int:
    """HDBSCAN min_cluster_size actually used for a corpus of n_docs.

    The paper's 200 was set for corpora of tens of thousands of articles, where 200 is about 1% of the corpus. On
    a small corpus it would leave every document an outlier, so the size is capped at n_docs / 20: a topic never
    has to hold more than 5% of the corpus to exist, which keeps room for 20+ topics; the paper's value applies
    unchanged from 4,000 documents up. The floor of 5 keeps clusters from being a handful of near-duplicates.
    A value given explicitly (--min-cluster-size) is the user's choice and is kept unless it exceeds half the
    corpus, where at most one cluster could exist.
    """
    cap = n_docs // 2 if explicit else n_docs // CORPUS_SHARE
    return max(MIN_CLUSTER_FLOOR, min(int(configured), cap))


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


def _knn(emb: np.ndarray, k: int, seed: int):
    from umap.umap_ import nearest_neighbors

    idx, dist, index = nearest_neighbors(emb, k, "cosine", {}, False, np.random.RandomState(seed),
                                         low_memory=True, use_pynndescent=True, n_jobs=1)
    return idx, dist, index


def fit(docs: list[str], emb: np.ndarray, *, cfg: TopicsSection, seed: int, min_cluster_size: int,
        vectorizer, backend, progress=None) -> Fit:
    """Cluster documents (HDBSCAN outliers stay -1) and compute the 2-D map; representations come later."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN
    from umap import UMAP

    n = len(docs)
    k = max(2, min(cfg.n_neighbors, n - 1))
    knn = (None, None, None)
    if n >= _EXACT_KNN_BELOW:
        knn = _knn(emb, k, seed)
    step = progress.update if progress is not None else (lambda _n: None)
    step(1)

    def umap(dims: int) -> UMAP:
        return UMAP(n_neighbors=k, n_components=dims, min_dist=cfg.min_dist, metric="cosine",
                    output_metric="euclidean", random_state=seed, precomputed_knn=knn, low_memory=True)

    hdb = HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean", cluster_selection_method="eom",
                  prediction_data=True)
    model = BERTopic(embedding_model=backend, umap_model=umap(min(cfg.n_components, n - 2)), hdbscan_model=hdb,
                     vectorizer_model=vectorizer, ctfidf_model=ClassTfidfTransformer(), representation_model=None,
                     top_n_words=cfg.keywords, calculate_probabilities=False, verbose=False)
    with warnings.catch_warnings():
        # n_jobs=1 under random_state, and "no search index" for a shared knn graph: both intended
        warnings.simplefilter("ignore")
        topics, _ = model.fit_transform(docs, embeddings=emb)
        step(1)
        coords = umap(2).fit_transform(emb)
        step(1)
    return Fit(model, [int(t) for t in topics], np.asarray(coords, dtype=np.float32), min_cluster_size, k)


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
