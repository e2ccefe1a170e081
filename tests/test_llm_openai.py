"""The openai provider against a real local HTTP server speaking the chat-completions API (canned replies):
structured output, malformed JSON, 429 then success, timeout, cache (second run: zero HTTP calls), no key leak."""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from navab_graph.config import Settings
from navab_graph.llm import get_provider

FAKE_KEY = "sk-test-SECRET-4242-do-not-leak"


def _reply_for(body: dict) -> dict:
    """A valid structured answer for the schema the client asked for."""
    rf = body.get("response_format") or {}
    name = (rf.get("json_schema") or {}).get("name", "")
    user = body["messages"][-1]["content"]
    if name == "Triple":
        s = re.search(r"Statement: (.*)$", user, re.S).group(1).strip()
        return {"question": "What should the government do about pensions?", "statement": s,
                "reverse": s.replace("must", "must not")}
    if name == "Extraction":
        return {"statements": [{"text": "The government must protect pensions.", "speaker": "Jane Doe",
                                "organization": None}], "organizations": ["Treasury"], "locations": ["London"]}
    if name == "Screening":
        return {"value_related": True, "reason": "pensions policy"}
    if name == "TopicLabel":
        return {"label": "Pension Reform"}
    if name == "SourceJudgment":
        return {"kind": "quoted", "speaker": "Jane Doe"}
    if name == "ConflictVerdict":
        return {"relation": "conflict", "reason": "opposite stances"}
    return {"tags": [{"tag": "pensions", "explanation": "x"}]}


class FakeOpenAI:
    """Scripted server: `script` is consumed one action per request ('ok', 'malformed', '429', 'timeout')."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.script: list[str] = []
        self.lock = threading.Lock()
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with outer.lock:
                    outer.requests.append(body)
                    outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                    action = outer.script.pop(0) if outer.script else "ok"
                if action == "429":
                    data = json.dumps({"error": {"message": "rate limited", "type": "rate_limit"}}).encode()
                    self.send_response(429)
                    self.send_header("retry-after-ms", "10")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if action == "timeout":
                    time.sleep(1.5)
                content = "{not valid json" if action == "malformed" else json.dumps(_reply_for(body))
                if action == "same":  # an invalid triple: reverse == statement
                    r = _reply_for(body)
                    r["reverse"] = r["statement"]
                    content = json.dumps(r)
                data = json.dumps({"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": content}}],
                                   "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}})
                data = data.encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    srv = FakeOpenAI()
    yield srv
    srv.close()


@pytest.fixture
def llm_settings(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVAB_LLM__API_KEY", FAKE_KEY)
    return Settings(data_dir=tmp_path, llm={"base_url": fake.url, "model": "fake-model", "timeout_s": 0.5,
                                            "max_retries": 2, "parse_retries": 2, "max_concurrency": 3})


STATEMENTS = [f"The government must protect pensions number {i}." for i in range(6)]


def test_structured_calls_cache_and_usage(fake, llm_settings):
    p = get_provider(llm_settings)
    assert p.name == "openai:fake-model" and not p.offline
    outs = p.construct_many([{"statement": s, "lang": "en"} for s in STATEMENTS])
    assert all(o.ok for o in outs)
    assert [o.value.statement for o in outs] == STATEMENTS
    assert outs[0].value.reverse == "The government must not protect pensions number 0."
    assert len(fake.requests) == 6 and p.usage.calls == 6 and p.usage.prompt_tokens == 66
    body = fake.requests[0]
    assert body["temperature"] == 0 and body["seed"] == 42 and body["model"] == "fake-model"
    assert body["response_format"]["type"] == "json_schema"
    assert fake.headers[0]["authorization"] == f"Bearer {FAKE_KEY}"
    # a second run (new provider object, same settings) is served from the disk cache: zero HTTP calls
    p2 = get_provider(llm_settings)
    outs2 = p2.construct_many([{"statement": s, "lang": "en"} for s in STATEMENTS])
    assert [o.value for o in outs2] == [o.value for o in outs]
    assert len(fake.requests) == 6 and p2.usage.calls == 0 and p2.usage.cached == 6
    # every other step parses its schema
    assert p2.extract("The government must protect pensions.", "en").statements[0].speaker == "Jane Doe"
    assert p2.screen_topic("pensions", ["pension"], ["doc"], "en").value_related
    assert p2.label_topic(["pension"], ["doc"], "en").label == "Pension Reform"
    assert p2.judge_source("x said y", "", "en").kind == "quoted"
    assert p2.verify_conflict("a", "b", "en").relation == "conflict"
    assert p2.tag_documents(["doc"], "en").tags[0].tag == "pensions"


def test_malformed_json_is_retried_then_succeeds(fake, llm_settings):
    fake.script = ["malformed", "ok"]
    p = get_provider(llm_settings)
    out = p.construct_many([{"statement": STATEMENTS[0], "lang": "en"}])[0]
    assert out.ok and len(fake.requests) == 2 and p.usage.calls == 2 and p.usage.failed == 0


def test_malformed_json_recorded_after_retries(fake, llm_settings):
    fake.script = ["malformed"] * 3
    p = get_provider(llm_settings)
    out = p.construct_many([{"statement": STATEMENTS[0], "lang": "en"}])[0]
    assert not out.ok and out.attempts == 3 and "malformed" in out.error
    assert len(fake.requests) == 3 and p.usage.failed == 1
    # nothing cached for the failure: the next run asks again
    fake.script = []
    assert get_provider(llm_settings).construct_many([{"statement": STATEMENTS[0], "lang": "en"}])[0].ok
    assert len(fake.requests) == 4


def test_invalid_triple_retried_then_recorded(fake, llm_settings):
    fake.script = ["same"] * 3
    p = get_provider(llm_settings)
    out = p.construct_many([{"statement": STATEMENTS[1], "lang": "en"}])[0]
    assert not out.ok and "reverse statement equals the statement" in out.error and out.attempts == 3


def test_429_then_success(fake, llm_settings):
    fake.script = ["429", "429"]
    p = get_provider(llm_settings)
    out = p.construct_many([{"statement": STATEMENTS[2], "lang": "en"}])[0]
    assert out.ok and len(fake.requests) == 3  # the client retried with backoff


def test_timeout_then_success_and_timeout_recorded(fake, llm_settings):
    fake.script = ["timeout", "ok"]
    p = get_provider(llm_settings)
    assert p.construct_many([{"statement": STATEMENTS[3], "lang": "en"}])[0].ok
    fake.script = ["timeout"] * 3
    out = p.construct_many([{"statement": STATEMENTS[4], "lang": "en"}])[0]
    assert not out.ok and "Timeout" in out.error and p.usage.failed == 1


def test_concurrency_is_bounded(fake, llm_settings):
    fake.script = ["timeout"] * 0
    p = get_provider(llm_settings)
    seen = []
    orig = p._call

    active = [0]
    lock = threading.Lock()

    def spy(step, args):
        with lock:
            active[0] += 1
            seen.append(active[0])
        try:
            time.sleep(0.05)
            return orig(step, args)
        finally:
            with lock:
                active[0] -= 1
    p._call = spy
    outs = p.verify_conflict_many([{"a": f"a{i}", "b": "b", "lang": "en"} for i in range(9)])
    assert all(o.ok for o in outs) and max(seen) <= 3 and max(seen) >= 2


def test_api_key_never_logged(fake, llm_settings, caplog, capsys):
    fake.script = ["malformed", "malformed", "malformed", "429"]
    with caplog.at_level(logging.DEBUG):
        p = get_provider(llm_settings)
        outs = p.construct_many([{"statement": s, "lang": "en"} for s in STATEMENTS[:2]])
        repr(p), repr(p.usage), str(llm_settings.masked())
    cap = capsys.readouterr()
    text = caplog.text + cap.out + cap.err + " ".join(o.error or "" for o in outs) + repr(p.usage)
    assert "malformed" in text  # the failure was logged...
    assert FAKE_KEY not in text  # ...but never the key
    assert FAKE_KEY not in json.dumps(llm_settings.masked())


def test_prompts_per_language(fake, llm_settings):
    p = get_provider(llm_settings)
    p.construct_many([{"statement": "中国坚决支持多边主义。", "lang": "zh"}])
    assert "用中文" in fake.requests[-1]["messages"][-1]["content"]
    p.extract_many([{"text": "La France doit agir.", "lang": "fr"}, {"text": "Text.", "lang": "es"}])
    contents = [r["messages"][-1]["content"] for r in fake.requests[-2:]]
    assert any("en français" in c for c in contents) and any("Spanish" in c for c in contents)
