"""Graceful structured output (navab_graph.llm.structured) against a scripted local OpenAI-compatible server:
the fault injection the real server cannot do on demand (400 on response_format, replies cut at max_tokens,
code fences, prose, 429, 401, a wrong model name), plus the tolerant reader on its own."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from navab_graph.config import Settings
from navab_graph.llm import LLMUnavailable, get_provider
from navab_graph.llm import structured as S
from navab_graph.llm.base import DocTags, Extraction, TopicLabel

GOOD = {"label": "Pension Reform"}


class Fake:
    """`reply(body, n)` -> (status, content | None, finish_reason, tool_args | None) per chat request."""

    def __init__(self, reply, models=("m",), models_status=200):
        self.bodies: list[dict] = []
        self.reply, self.models, self.models_status = reply, list(models), models_status
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, payload, headers=()):
                data = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._send(outer.models_status, {"object": "list", "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "x"} for m in outer.models]}
                    if outer.models_status == 200 else {"error": {"message": "nope"}})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with threading.Lock():
                    outer.bodies.append(body)
                    n = len(outer.bodies)
                status, content, finish, tool = outer.reply(body, n)
                if status != 200:
                    self._send(status, {"error": {"message": content, "type": "x"}}, [("retry-after-ms", "5")])
                    return
                msg = {"role": "assistant", "content": content}
                if tool is not None:
                    msg = {"role": "assistant", "content": None, "tool_calls": [{
                        "id": "c1", "type": "function",
                        "function": {"name": "TopicLabel", "arguments": json.dumps(tool)}}]}
                self._send(200, {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "finish_reason": finish, "message": msg}],
                                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _settings(fake, tmp_path, **llm):
    return Settings(data_dir=tmp_path, llm={"base_url": fake.url, "model": "m", "timeout_s": 5, "max_retries": 2,
                                            "parse_retries": 2, "max_concurrency": 1, **llm})


@pytest.fixture
def fake():
    made = []

    def make(reply, **kw):
        made.append(Fake(reply, **kw))
        return made[-1]
    yield make
    for f in made:
        f.close()


ITEMS = [{"keywords": ["pension", "age"], "docs": [f"The retirement age must rise, document {i}."], "lang": "en"}
         for i in range(3)]


def test_tolerant_reader():
    assert S.find_json('Sure! ```json\n{"label": "A {b}"}\n``` hope it helps')[0] == '{"label": "A {b}"}'
    assert S.find_json('The answer: {"label": "x"} and more {"y": 1}')[0] == '{"label": "x"}'
    block, why = S.find_json('{"label": "cut sho')
    assert block is None and "cut short" in why
    assert S.find_json("no json at all")[0] is None
    assert S.loads_tolerant('{"label": "x",}') == {"label": "x"}
    # single quotes and Python / JSON literals; a word "true" inside a string is left alone
    assert S.loads_tolerant("{'value_related': true, 'reason': 'It is true', 'x': None}") == \
        {"value_related": True, "reason": "It is true", "x": None}
    with pytest.raises(ValueError, match="invalid JSON"):
        S.loads_tolerant('{"label": x y z}')
    assert S.coerce({"TopicLabel": {"label": "x"}}, TopicLabel).label == "x"
    assert S.coerce({"properties": {"label": "x"}, "type": "object"}, TopicLabel).label == "x"
    assert S.coerce([{"tag": "t"}], DocTags).tags[0].tag == "t"
    with pytest.raises(ValueError, match="does not fit the schema: label"):
        S.coerce({"name": "x"}, TopicLabel)
    assert S.shape(Extraction).startswith('{"statements": [{"text": string, "speaker": string | null')


def test_rejected_response_format_falls_back_and_is_remembered(fake, tmp_path):
    def reply(body, n):
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return 400, "response_format json_schema is not supported by this server", "stop", None
        return 200, json.dumps(GOOD), "stop", None
    f = fake(reply)
    st = _settings(f, tmp_path)
    p = get_provider(st)
    outs = p.label_topic_many(ITEMS[:2])
    assert all(o.ok and o.value.label == "Pension Reform" for o in outs)
    # item 1: json_schema rejected (not counted as a reply), then JSON mode; item 2 starts with JSON mode
    assert [(b.get("response_format") or {}).get("type") for b in f.bodies] == \
        ["json_schema", "json_object", "json_object"]
    s = p.usage.steps["label_topic"]
    assert (s.items, s.calls, s.retried, s.failed, s.methods) == (2, 3, 1, 0, {"json_mode": 2})
    assert p.book.stats["json_schema"].rejected == 1
    # json_mode and text carry the JSON shape and one worked example before the question
    msgs = f.bodies[1]["messages"]
    assert "shaped like this" in msgs[0]["content"] and len(msgs) == 4 and msgs[2]["role"] == "assistant"
    assert msgs[-1]["content"].count("[Document 1]") == 1 and "document 0" in msgs[-1]["content"]
    # remembered in the data dir: a new process (registry emptied) starts with JSON mode
    S._BOOKS.clear()
    get_provider(st).label_topic_many(ITEMS[2:])
    assert (f.bodies[-1].get("response_format") or {}).get("type") == "json_object" and len(f.bodies) == 4


def test_prose_fenced_and_cut_replies(fake, tmp_path):
    def reply(body, n):
        if n == 1:  # prose for json_schema (a server that ignores response_format)
            return 200, "The topic is about pensions.", "stop", None
        if n == 2:  # cut at max_tokens: the openai client raises on it when response_format is set
            return 200, '{"label": "Pens', "length", None
        return 200, 'Here you go:\n```json\n{"label": "Pension Reform",}\n```', "stop", None
    f = fake(reply)
    p = get_provider(_settings(f, tmp_path, max_tokens={"label_topic": 20}))
    out = p.label_topic_many(ITEMS[:1])[0]
    assert out.ok and out.value.label == "Pension Reform"
    assert [b["max_completion_tokens"] for b in f.bodies] == [20, 20, 40]  # doubled after the cut reply
    # each re-ask says why the last reply failed, in the system message (the question stays last)
    assert "could not be used (malformed reply (json_schema): no JSON object" in f.bodies[1]["messages"][0]["content"]
    assert "cut short" in f.bodies[2]["messages"][0]["content"]
    s = p.usage.steps["label_topic"]
    assert (s.calls, s.retried, s.failed) == (3, 2, 0) and p.usage.prompt_tokens == 30


def test_failure_recorded_with_reason_and_raw(fake, tmp_path):
    f = fake(lambda body, n: (200, "I would rather talk about the weather.", "stop", None))
    st = _settings(f, tmp_path, parse_retries=1)
    p = get_provider(st)
    out = p.label_topic_many(ITEMS[:1])[0]
    assert not out.ok and out.attempts == 2 and "no JSON object" in out.error and "raw reply" in out.error
    assert out.raw == "I would rather talk about the weather."
    rec = json.loads((tmp_path / "llm_failures.jsonl").read_text().splitlines()[-1])
    assert rec["step"] == "label_topic" and rec["item"] == "pension-age" and rec["raw"].startswith("I would")
    assert p.usage.failures[-1]["reason"] == rec["reason"]
    assert "  label_topic: 1 items, 2 calls, 0 cached, 1 retried, 1 failed, method -" in p.usage.lines()
    assert get_provider(st).label_topic_many(ITEMS[:1])[0].attempts == 2 and len(f.bodies) == 4  # not cached


def test_function_calling_and_429(fake, tmp_path):
    def reply(body, n):
        if n <= 2:
            return 429, "slow down", "stop", None
        assert body["tool_choice"]["function"]["name"] == "TopicLabel" and "response_format" not in body
        return 200, None, "tool_calls", GOOD
    f = fake(reply)
    p = get_provider(_settings(f, tmp_path, structured_method="function_calling"))
    out = p.label_topic_many(ITEMS[:1])[0]
    assert out.ok and out.value.label == "Pension Reform"
    s = p.usage.steps["label_topic"]
    assert (s.calls, s.retried, s.methods) == (3, 2, {"function_calling": 1})


def test_preflight_and_endpoint_down(fake, tmp_path, cli, monkeypatch):
    f = fake(lambda body, n: (200, json.dumps(GOOD), "stop", None), models=("other-model",))
    with pytest.raises(LLMUnavailable, match="'m' is not served at .*; it serves: other-model"):
        get_provider(_settings(f, tmp_path))
    f401 = fake(lambda body, n: (401, "bad key", "stop", None), models_status=401)
    with pytest.raises(LLMUnavailable, match="rejected the API key"):
        get_provider(_settings(f401, tmp_path))
    # a stage command stops with one line before any work
    monkeypatch.setenv("NAVAB_LLM__BASE_URL", f.url)
    monkeypatch.setenv("NAVAB_LLM__MODEL", "m")
    res = cli("construct", "--nation", "GB", ok=False)
    monkeypatch.delenv("NAVAB_LLM__BASE_URL")
    assert res.exit_code == 2 and "'m' is not served" in res.output and "Traceback" not in res.output
    # the key is rejected mid-run (no /models route to check first): the first item says so, the rest are
    # recorded without being sent
    fdown = fake(lambda body, n: (401, "invalid api key", "stop", None), models_status=404)
    p = get_provider(_settings(fdown, tmp_path))
    outs = p.label_topic_many(ITEMS)
    assert not any(o.ok for o in outs) and len(fdown.bodies) == 1
    assert "HTTP 401" in outs[0].error and all("not asked" in o.error for o in outs[1:])
    assert p.usage.failed == 3 and any("endpoint is down" in n for n in p.usage.notes)
