"""extract: a name is one node, however the text or the LLM wrote it (whitespace and control characters).

FalkorDB's exact-match index trims whitespace at a value's ends and splits it at U+0001
(tests/test_engine_index_quirk.py), so a speaker written "Jane\\x01Doe" or "\\x01Treasury" would be merged anew
on every mention; "David\\tLammy" and "David Lammy" would be two people on any engine. Names are cleaned
(navab_loaders.keys.clean_name) before they reach Cypher. The LLM is a real OpenAI-compatible HTTP server with
canned replies (a remote service, so a fake is allowed); the rules provider reads the text itself.
"""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from navab_graph.config import Settings
from navab_graph.llm import get_provider
from navab_graph.stages.extract import extract

# per article: (speaker, organization, organizations mentioned, locations mentioned) as the LLM returns them
REPLIES = [
    ("Jane Doe", "Treasury", ["Treasury"], ["London"]),
    (" Jane Doe", "Treasury\n", ["\x01Treasury"], ["London\t"]),
    ("Jane\x01Doe", " Treasury ", ["Treasury\x01"], ["\nLondon"]),
    ("Jane Doe\t", None, ["Treasury\x0b"], ["London "]),
    ("Jane\t\tDoe", None, [" Treasury\r\n"], ["Lon\x01don", "London"]),
    ("Treasury\t", " Treasury", [], []),  # the organization speaks
    ("x" * 300, None, ["y" * 300], []),  # a sentence, not a name: dropped
]


def _reply(user: str) -> dict:
    i = int(re.search(r"ART(\d+)", user).group(1))
    speaker, org, orgs, locs = REPLIES[i]
    return {"statements": [{"text": f"The government must protect pensions, part {i}.", "speaker": speaker,
                            "organization": org}], "organizations": orgs, "locations": locs}


class ExtractionServer:
    """Chat completions whose structured answer is the canned extraction of the article named in the prompt."""

    def __init__(self) -> None:
        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                content = json.dumps(_reply(body["messages"][-1]["content"]))
                data = json.dumps({"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": content}}],
                                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def llm(tmp_path, monkeypatch):
    srv = ExtractionServer()
    monkeypatch.setenv("NAVAB_LLM__API_KEY", "sk-test-names")
    yield get_provider(Settings(data_dir=tmp_path / "llm", llm={"base_url": srv.url, "model": "names-model",
                                                                "timeout_s": 5, "max_retries": 0}))
    srv.close()


def _load(cli, tmp_path, texts: list[str]) -> None:
    path = tmp_path / "gb.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")
    cli("load", str(path), "--nation", "GB", "--source", "gb")


def _names(store, label: str) -> list[str]:
    return sorted(r["n"] for r in store.run(f"MATCH (x:{label}) RETURN x.name AS n", write=False))


def test_llm_names_with_control_characters_and_spaces_are_one_node_each(cli, store, settings, tmp_path, llm):
    _load(cli, tmp_path, [f"ART{i} The government must protect pensions." for i in range(len(REPLIES))])
    rep = extract(store, settings, "GB", all_topics=True, provider=llm, quiet=True)
    assert rep.articles == len(REPLIES) and rep.statements == len(REPLIES) and rep.failed == 0
    assert _names(store, "Person") == ["Jane Doe"]
    assert _names(store, "Organization") == ["Treasury"]
    assert _names(store, "Location") == ["Lon don", "London"]
    said = store.run("MATCH (s:Statement) OPTIONAL MATCH (s)-[:SAID_BY]->(p) "
                     "RETURN s.text AS t, s.speaker AS speaker, s.organization AS org, labels(p)[0] AS l, "
                     "p.name AS name ORDER BY t", write=False)
    by_part = {int(re.search(r"part (\d+)", r["t"]).group(1)): r for r in said}
    assert len(said) == len(REPLIES)
    for i in range(5):
        assert (by_part[i]["speaker"], by_part[i]["l"], by_part[i]["name"]) == ("Jane Doe", "Person", "Jane Doe")
    assert (by_part[5]["speaker"], by_part[5]["org"], by_part[5]["l"]) == ("Treasury", "Treasury", "Organization")
    assert (by_part[6]["speaker"], by_part[6]["l"]) == (None, None)  # the 300-character "name" is no speaker
    assert any("longer than 200 characters" in n for n in rep.notes)
    mentions = store.run("MATCH (a:Article)-[:MENTIONS]->(o:Organization) RETURN count(*) AS n", write=False)
    assert mentions[0]["n"] == 6  # every article but the last mentions the one Treasury
    # the names are found exactly: a lookup of the clean name answers one node
    for label, name in (("Person", "Jane Doe"), ("Organization", "Treasury"), ("Location", "London")):
        got = store.run(f"MATCH (x:{label} {{name: $n}}) RETURN x.name AS n", {"n": name}, write=False)
        assert [r["n"] for r in got] == [name]


def test_rules_provider_speaker_split_by_a_tab_is_the_same_person(cli, store, settings, tmp_path):
    _load(cli, tmp_path, ["Foreign Secretary David\tLammy said Britain must support Ukraine.",
                          "Foreign Secretary David Lammy said Britain must protect its farmers.",
                          "Foreign Secretary David\nLammy said Britain must defend free trade."])
    extract(store, settings, "GB", all_topics=True, quiet=True)
    assert _names(store, "Person") == ["David Lammy"]
    rows = store.run("MATCH (s:Statement)-[:SAID_BY]->(p:Person) RETURN s.speaker AS s, p.name AS p", write=False)
    assert len(rows) == 3 and {(r["s"], r["p"]) for r in rows} == {("David Lammy", "David Lammy")}


def test_loaded_speakers_are_cleaned_not_quarantined(store, settings, tmp_path):
    from navab_graph.stages.load import load

    speakers = ["Li Qiang", " Li Qiang", "Li\tQiang", "Li\x01Qiang", "Li  Qiang\r\n", "\x0bLi Qiang"]
    rows = [{"id": f"s{i}", "text": f"Premier Li Qiang spoke, part {i}.",
             "statements": [{"text": f"China must open wider, part {i}.", "question": "Should China open?",
                             "reverse": f"China must close, part {i}.", "speaker": sp, "kind": "quoted"}]}
            for i, sp in enumerate(speakers)]
    path = tmp_path / "cn.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for _ in range(2):  # a re-load merges onto the same person
        rep = load(store, settings, path, nation="CN", source="cn", quiet=True)
        assert rep.quarantined == 0 and rep.statements == len(speakers), rep.first_problem
    assert _names(store, "Person") == ["Li Qiang"]
    got = store.run("MATCH (s:Statement)-[:SAID_BY]->(p:Person) RETURN s.speaker AS s, p.name AS p", write=False)
    assert len(got) == len(speakers) and {(r["s"], r["p"]) for r in got} == {("Li Qiang", "Li Qiang")}
