"""Interactive figures of the report: BERTopic's own documents map (a plotly figure), rendered offline.

plotly.js (4.8 MB) is inlined once, gzip-compressed and base64-encoded (about 2 MB), and unpacked in the browser
with the standard DecompressionStream (Chrome 80+, Firefox 113+, Safari 16.4+); each figure is its JSON in a
<script type="application/json"> element. The page makes no network request.
"""
from __future__ import annotations

import base64
import gzip
import json
import warnings
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import numpy as np

MAX_POINTS = 5000      # per nation: a larger map is sampled (evenly per topic, seeded), the file stays small
LABELLED_TOPICS = 10   # topics coloured and named on the map; the rest are grey "other documents"

LOADER = r"""
window.navabPlotly = (async () => {
  const el = document.getElementById("plotly-gz");
  if (!el || typeof DecompressionStream === "undefined") throw new Error("this browser cannot unpack plotly.js");
  const bin = Uint8Array.from(atob(el.textContent.trim()), c => c.charCodeAt(0));
  const js = await new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  const s = document.createElement("script");
  s.textContent = js;
  document.head.appendChild(s);
  return window.Plotly;
})();
window.navabPlotly.then(P => {
  for (const div of document.querySelectorAll("div[data-figure]")) {
    const fig = JSON.parse(document.getElementById(div.dataset.figure).textContent);
    P.newPlot(div, fig.data, fig.layout, {responsive: true, displaylogo: false}).then(() => {
      div.dataset.rendered = "1";
    });
  }
}).catch(e => {
  for (const div of document.querySelectorAll("div[data-figure]")) {
    div.textContent = "The interactive figure could not be drawn (" + e.message + "); the PNG below shows it.";
  }
});
"""


@lru_cache(maxsize=1)
def plotly_bundle() -> str:
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


def script_json(obj: Any) -> str:
    """JSON safe inside <script>: '<' written as \\u003c, so no '</script>' can end the element early."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _sample(rows: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    if len(rows) <= cap:
        return rows
    rng = np.random.default_rng(0)
    keep = np.sort(rng.choice(len(rows), size=cap, replace=False))
    return [rows[i] for i in keep]


def documents_map(points: list[dict[str, Any]], topics: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """BERTopic's visualize_documents on the graph's 2-D map (Article.x / Article.y = the topics stage's 2-D
    UMAP) and topic assignment; returns the plotly figure as a dict (data, layout). Topics are ranked by size;
    the LABELLED_TOPICS largest are coloured and named, outliers and the rest are grey."""
    from bertopic.plotting import visualize_documents
    import plotly.graph_objects as go

    from .graph_data import is_outlier

    ranked = [t["id"] for t in topics if not is_outlier(t.get("id"))]
    extra = sorted({str(p["topic"]) for p in points if not is_outlier(p.get("topic"))} - set(map(str, ranked)))
    ranked = [str(t) for t in ranked] + extra
    rank = {t: i for i, t in enumerate(ranked)}
    labels = {str(t["id"]): (t.get("label") or str(t["id"])) for t in topics}
    pts = _sample(points, MAX_POINTS)
    assigned = [-1 if is_outlier(p.get("topic")) else rank[str(p["topic"])] for p in pts]
    outliers = 1 if -1 in assigned else 0
    names = (["outliers"] if outliers else []) + [_short(labels.get(t, t)) for t in ranked]
    model = SimpleNamespace(topics_=assigned, custom_labels_=names, _outliers=outliers, topic_aspects_={})
    docs = [_short(p.get("title") or p.get("id") or "", 90) for p in pts]
    xy = np.array([[float(p["x"]), float(p["y"])] for p in pts])
    state = np.random.get_state()  # visualize_documents shuffles with numpy's global generator
    np.random.seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig = visualize_documents(model, docs, topics=list(range(min(LABELLED_TOPICS, len(ranked)))),
                                      reduced_embeddings=xy, custom_labels=True, title=f"<b>{title}</b>",
                                      width=None, height=680)
    finally:
        np.random.set_state(state)
    # SVG traces instead of WebGL: at most MAX_POINTS points, and they draw in every browser (and headless)
    traces = []
    for tr in fig.data:
        d = tr.to_plotly_json()
        d.pop("type", None)
        for k in ("x", "y"):
            if d.get(k) is not None:
                d[k] = [None if v is None or v != v else round(float(v), 3) for v in d[k]]
        traces.append(go.Scatter(**d))
    out = go.Figure(data=traces, layout=fig.layout)
    out.update_layout(autosize=True, width=None, legend={"font": {"size": 13}}, font={"size": 13},
                      title={"font": {"size": 18}})
    out.update_traces(textfont={"size": 14})
    return json.loads(out.to_json())


def _short(text: str, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
