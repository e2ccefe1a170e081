"""Instruction tagging of HDBSCAN outliers (paper step IV) against a real local OpenAI-compatible HTTP server
(canned, content-dependent replies), LLM topic labels and LLM screening; plus the offline tagging path and the
tag consolidation by embedding similarity; screening overrides."""
from __future__ import annotations

import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from navab_graph.config import Settings
from navab_graph.embed import get_embedder
from navab_graph.store import run_named
from navab_graph.topics.outliers import consolidate
from navab_graph.topics.synthetic import generate

# the "LLM": tags by the document's words, with spelling variants that consolidation must merge
TAGS = [("sovereignty", ["National sovereignty", "national sovereignty."]), ("election", ["Elections", "elections"]),
        ("rights", ["Human rights", "human rights"]), ("goal", ["Football", "football"]),
        ("rain", ["Weather", "weather"]), ("recipe", ["Cooking", "cooking"])]


def _tag(doc: str, i: int) -> str:
    low = doc.lower()
    for word, variants in TAGS:
        if word in low:
            return variants[i % 2]
    return "Miscellaneous"


def _reply(body: dict) -> dict:
    name = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
    user = body["messages"][-1]["content"]
    if name == "TopicLabel":
        kw = re.search(r"([\w]+)-", user)
        return {"label": f"LLM label {kw.group(1) if kw else 'x'}"}
    if name == "Screening":
        return {"value_related": bool(re.search(r"rights|election|sovereignty", user, re.I)), "reason": "llm says"}
    parts = re.split(r"\[Document (\d+)\] ", user)  # the prompt may also show an example "[Document 1]"
    docs = {int(n): d for n, d in zip(parts[1::2], parts[2::2])}
    return {"tags": [{"tag": _tag(docs[k], k), "explanation": "x"} for k in sorted(docs)]}


class FakeLLM:
    def __init__(self):
        self.calls = Counter()
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                name = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
                outer.calls[name] += 1
                data = json.dumps({"id": "c", "object": "chat.completion", "created": 0, "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop", "message": {
                                       "role": "assistant", "content": json.dumps(_reply(body))}}],
                                   "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def llm():
    srv = FakeLLM()
    yield srv
    srv.server.shutdown()
    srv.server.server_close()


# 15 mixed "noise" articles and a cluster size of 25 leave ~36 HDBSCAN outliers (checked: 4 clusters + 36 -1)
MCS = "25"


def _load(cli, tmp_path, noise=15):
    arts = generate("en", 25, seed=21, noise=noise)
    path = tmp_path / "us.jsonl"
    path.write_text("\n".join(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}) for a in arts))
    cli("load", str(path), "--nation", "US", "--lang", "en")
    return {f"us:{a['id']}": a["topic"] for a in arts}


def test_consolidate_merges_variants(settings):
    e = get_embedder(settings, "en")
    tags = ["human rights", "human rights", "Human Rights".lower(), "football", "the weather", "weather"]
    canon = consolidate(tags, e, 0.8)
    # equal frequency: the alphabetically first spelling is canonical; unrelated tags stay apart
    assert canon["human rights"] == "human rights" and canon["weather"] == canon["the weather"] == "the weather"
    assert canon["football"] == "football"


def test_tagging_with_llm_endpoint(cli, store, tmp_path, llm, monkeypatch):
    truth = _load(cli, tmp_path)
    monkeypatch.setenv("NAVAB_LLM__BASE_URL", llm.url)
    monkeypatch.setenv("NAVAB_LLM__API_KEY", "sk-test")
    monkeypatch.setenv("NAVAB_TOPICS__TAGGING_BATCH", "8")
    res = cli("topics", "--nation", "US", "--min-cluster-size", MCS, "--json")
    rep = json.loads(res.stdout[res.stdout.index("["):])[0]
    assert rep["outlier_method"] == "tagging" and rep["outliers"] > 0
    pts = run_named(store, "topics/map", {"nation": "US"}, write=False)
    by = Counter(p["by"] for p in pts)
    assert by == Counter(rep["assigned_by"]) and by["cluster"] + by["tagging"] + by["reduce_outliers"] == len(truth)
    assert by["tagging"] > 0 and llm.calls["DocTags"] >= -(-rep["outliers"] // 8)
    counts = run_named(store, "topics/counts", {"nation": "US"}, write=False)[0]
    assert counts["with_one_topic"] == counts["articles"] == len(truth)
    topics = run_named(store, "topics/list", {"nation": "US"}, write=False)
    tagged = [t for t in topics if t["created_by"] == "tagging"]
    # tag variants were merged: one topic per concept, labelled by the most frequent spelling
    assert tagged and len({t["label"].lower().rstrip(".") for t in tagged}) == len(tagged)
    assert all(t["label"] in {v.lower().rstrip(".") for _, vs in TAGS for v in vs} | {"miscellaneous"}
               for t in tagged)
    assert all(t["label"].startswith("LLM label") for t in topics if t["created_by"] == "cluster")
    cli("screen", "--nation", "US")
    topics = run_named(store, "topics/list", {"nation": "US"}, write=False)
    assert {t["screened_by"] for t in topics} == {"llm"} and any(t["value_related"] for t in topics)


def test_offline_tagging_and_overrides(cli, store, tmp_path):
    truth = _load(cli, tmp_path)
    res = cli("topics", "--nation", "US", "--outliers", "tagging", "--min-cluster-size", MCS, "--json")
    rep = json.loads(res.stdout[res.stdout.index("["):])[0]
    assert rep["outlier_method"] == "tagging" and sum(rep["assigned_by"].values()) == len(truth)
    assert set(rep["assigned_by"]) <= {"cluster", "tagging", "reduce_outliers"}
    assert rep["outliers"] == rep["assigned_by"].get("tagging", 0) + rep["assigned_by"].get("reduce_outliers", 0)
    topics = run_named(store, "topics/list", {"nation": "US"}, write=False)
    sport, first = topics[-1], topics[0]  # smallest forced in by label, largest forced out by id
    ov = tmp_path / "screening.yaml"
    ov.write_text(f"force_in: ['{sport['label']}']\nforce_out: ['{first['id']}', 'US:999']\n"
                  f"reasons: {{'{first['id']}': 'checked by hand'}}\n", encoding="utf-8")
    res = cli("screen", "--nation", "US", "--overrides", str(ov))
    assert "'US:999' matches no topic" in res.output
    after = {t["id"]: t for t in run_named(store, "topics/list", {"nation": "US"}, write=False)}
    assert after[sport["id"]]["value_related"] is True and rep["outliers"] > 0 and after[sport["id"]]["screened_by"] == "human"
    assert after[first["id"]]["value_related"] is False and after[first["id"]]["reason"] == "checked by hand"
    assert {t["screened_by"] for i, t in after.items() if i not in (sport["id"], first["id"])} == {"rules"}
