"""`topics` on a corpus where the default min_cluster_size finds very few topics (issue 17): the command says how
many it found and which --min-cluster-size gives more, and that suggestion holds when followed. Sub-steps of the
fit are timed and the embedding rate is reported."""
from __future__ import annotations

import json
import re

from navab_graph.topics.model import FIT_STEPS, effective_min_cluster_size
from navab_graph.topics.synthetic import generate


def _load(cli, tmp_path, n_per_topic=120):
    arts = generate("en", n_per_topic, seed=3, topics=("football", "weather"))
    path = tmp_path / "US.jsonl"
    path.write_text("\n".join(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}) for a in arts))
    cli("load", str(path), "--nation", "US", "--lang", "en")
    return len(arts)


def test_default_scales_with_the_corpus():
    assert effective_min_cluster_size(200, 600) == 30
    assert effective_min_cluster_size(200, 100) == 5
    assert effective_min_cluster_size(200, 1_000_000) == 200
    assert effective_min_cluster_size(400, 600, explicit=True) == 300


def test_few_topics_are_reported_with_a_setting_that_gives_more(cli, tmp_path):
    n = _load(cli, tmp_path)
    out = cli("topics", "--nation", "US").output
    m = re.search(r"US: (\d+) topics? in (\d+) articles \(min_cluster_size (\d+)\)", out)
    assert m, out
    assert int(m.group(2)) == n and int(m.group(3)) == effective_min_cluster_size(200, n)

    # a size like the paper's on a small corpus: very few topics, and a size that gives more
    out = cli("topics", "--nation", "US", "--min-cluster-size", "100").output
    m = re.search(r"US: (\d+) topics? in (\d+) articles \(min_cluster_size 100\)", out)
    assert m and int(m.group(1)) < 5, out
    hint = re.search(r"--min-cluster-size (\d+) gives (\d+) topics", out)
    assert hint, out
    size, promised = map(int, hint.groups())
    assert size < 100 and promised >= 5

    res = cli("topics", "--nation", "US", "--min-cluster-size", str(size), "--json")
    rep = json.loads(res.stdout[res.stdout.index("["):])[0]
    assert rep["topics"] == promised and rep["min_cluster_size"] == size and rep["hint"] == ""
    assert set(FIT_STEPS) <= {k.split(".", 1)[1] for k in rep["seconds"] if k.startswith("fit.")}
    assert rep["embed_max_tokens"] == 256


def test_fit_sub_steps_show_on_the_progress_bar_unless_quiet(cli, store, settings, tmp_path, capsys):
    from navab_graph.stages.topics import run_topics

    _load(cli, tmp_path, n_per_topic=30)
    capsys.readouterr()
    run_topics(store, settings, "US", quiet=False)
    err = capsys.readouterr().err
    for step in ("embed US", "fit topics US", *FIT_STEPS, "keywords US", "write US"):
        assert step in err, (step, err[-2000:])
    run_topics(store, settings, "US", quiet=True)
    assert capsys.readouterr().err == ""


def test_shared_neighbour_graph_is_exact():
    import numpy as np
    from sklearn.neighbors import NearestNeighbors

    from navab_graph.topics.model import exact_knn

    rng = np.random.default_rng(0)
    x = rng.normal(size=(2500, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x[7] = x[8]  # a duplicate document
    idx, dist = exact_knn(x, 15)
    d_ref, i_ref = NearestNeighbors(n_neighbors=15, metric="cosine", algorithm="brute").fit(x).kneighbors(x)
    assert (idx[:, 0] == np.arange(len(x))).all()  # each point first, as UMAP's own search returns it
    assert np.allclose(dist, d_ref, atol=1e-5)
    assert (np.sort(idx, 1) == np.sort(i_ref, 1)).mean() > 0.999
    assert np.array_equal(exact_knn(x, 15)[0], idx)  # the same answer on every run
