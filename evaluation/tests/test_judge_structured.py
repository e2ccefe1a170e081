"""The LLM judge's graceful structured output against a scripted local server: a server that rejects
response_format (HTTP 400), replies in code fences or prose, a wrong judge model name."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from navab_eval.judges import JudgeError, LLMJudge

REQ = [("Should the state protect pensions?", "Yes, it must.", "The state need not protect pensions.",
        "The state must protect pensions.")]


class Scripted:
    def __init__(self, reply, models=("judge",)):
        self.bodies: list[dict] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._send(200, {"object": "list", "data": [{"id": m, "object": "model", "created": 0,
                                                             "owned_by": "x"} for m in models]})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.bodies.append(body)
                status, content = reply(body)
                if status != 200:
                    self._send(status, {"error": {"message": content}})
                    return
                self._send(200, {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": content}}]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-test")


def test_rejected_schema_then_json_mode_with_fenced_reply():
    def reply(body):
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return 400, "response_format of type json_schema is not supported"
        return 200, 'Verdict:\n```json\n{"choice": "b", "reason": "It supports protecting pensions.",}\n```'
    srv = Scripted(reply)
    try:
        judge = LLMJudge("judge", base_url=srv.url, concurrency=1, max_retries=0)
        v = judge.judge(REQ * 2)
        judge.judge([(q + " (again)", *rest) for q, *rest in REQ])
    finally:
        srv.close()
    assert [x["choice"] for x in v] == ["B", "B"] and {x["method"] for x in v} == {"json_mode"}
    # round 1: json_schema rejected for both; round 2: JSON mode, with the shape and a worked example in the
    # prompt and the question last; a later call starts with JSON mode (remembered for the endpoint)
    assert [(b.get("response_format") or {}).get("type") for b in srv.bodies[:4]] == \
        ["json_schema", "json_schema", "json_object", "json_object"]
    msgs = srv.bodies[2]["messages"]
    assert '"choice": "A" | "B"' in msgs[0]["content"] and len(msgs) == 4 and "Yes, it must." in msgs[-1]["content"]
    assert srv.bodies[2]["max_completion_tokens"] == 96
    assert (srv.bodies[4].get("response_format") or {}).get("type") == "json_object" and len(srv.bodies) == 5


def test_prose_judge_is_a_recorded_failure_not_an_exception():
    srv = Scripted(lambda body: (200, "Both references are interesting in their own way."))
    try:
        judge = LLMJudge("judge", base_url=srv.url, concurrency=1, parse_retries=2)
        (v,) = judge.judge(REQ)
    finally:
        srv.close()
    assert v["choice"] is None and v["reason"].startswith("judge failed") and "no JSON object" in v["error"]
    assert v["raw"].startswith("Both references") and v["method"] in ("json_schema", "json_mode")
    assert len(srv.bodies) == 3  # 1 + parse_retries


def test_wrong_judge_model_is_one_clear_error():
    srv = Scripted(lambda body: (200, "{}"), models=("other",))
    try:
        with pytest.raises(JudgeError, match="'judge' is not served at .*it serves: other"):
            LLMJudge("judge", base_url=srv.url)
    finally:
        srv.close()
    assert srv.bodies == []


@pytest.mark.parametrize("choice,expected", [("A", "A"), (" b ", "B"), ('"B"', "B"), ("(A)", "A"), ("B.", "B"),
                                             ("Answer B", None), ("Both", None), ("Ambiguous", None),
                                             ("A or B", None), ("AB", None), ("", None)])
def test_choice_is_exactly_a_or_b(choice, expected):
    # the first letter of a longer choice says nothing ("Answer B" is not A, "Both" is not B)
    from langchain_core.messages import AIMessage

    from navab_eval.judges import _read_verdict

    verdict, problem, _ = _read_verdict("json_mode", AIMessage(content=json.dumps({"choice": choice, "reason": "r"})))
    assert (verdict.choice if verdict else None) == expected
    assert bool(problem) == (expected is None)


def test_a_judge_answering_words_is_a_failure_not_a_verdict():
    srv = Scripted(lambda body: (200, json.dumps({"choice": "Answer B", "reason": "r"})))
    try:
        judge = LLMJudge("judge", base_url=srv.url, concurrency=1, parse_retries=1)
        (v,) = judge.judge(REQ)
    finally:
        srv.close()
    assert v["choice"] is None and v["reason"].startswith("judge failed") and "Answer B" in v["error"]


def test_verdicts_cached_by_the_first_letter_reader_are_not_reused(tmp_path):
    # a verdict the earlier reader stored ("Answer B" kept as A) must be asked again, not served from the cache
    from navab_eval.cache import JudgeCache, digest
    from navab_eval.prompts import judge_messages

    cache = JudgeCache(tmp_path)
    old_key = digest({"judge": "judge", "messages": judge_messages(*REQ[0])})
    cache.put(old_key, {"choice": "A", "reason": "misread 'Answer B'"})
    srv = Scripted(lambda body: (200, json.dumps({"choice": "B", "reason": "r"})))
    try:
        (v,) = LLMJudge("judge", base_url=srv.url, cache=cache, concurrency=1).judge(REQ)
    finally:
        srv.close()
    assert (v["choice"], v["cached"]) == ("B", False) and len(srv.bodies) == 1
