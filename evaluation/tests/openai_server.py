"""A local OpenAI-compatible HTTP server for tests (stdlib http.server in a thread).

/v1/chat/completions: a judge request ("Reference A: ..." in the prompt) gets a JSON verdict choosing the
reference sharing more words with the answer; other chat requests get a canned answer. Scripted faults:
``fail_429`` first requests answer 429, ``malformed`` request numbers (1-based, counted over judge requests)
get a non-JSON reply. /v1/completions with echo=True returns per-character "tokens" with logprob -0.5 each
(or no logprobs when ``echo_logprobs`` is False).
"""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def overlap_choice(answer: str, ref_a: str, ref_b: str) -> str:
    words = set(re.findall(r"\w+", answer.lower()))
    score_a = len(words & set(re.findall(r"\w+", ref_a.lower())))
    score_b = len(words & set(re.findall(r"\w+", ref_b.lower())))
    return "A" if score_a >= score_b else "B"


class FakeOpenAI:
    def __init__(self, fail_429: int = 0, malformed: tuple[int, ...] = (), echo_logprobs: bool = True,
                 answer: str = "I think the government should protect the legal right."):
        self.fail_429, self.malformed, self.echo_logprobs, self.answer = fail_429, set(malformed), echo_logprobs, answer
        self.calls: list[str] = []
        self.judge_calls = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _reply(self, path: str, body: dict) -> tuple[int, dict | str]:
        with self.lock:
            self.calls.append(path)
            if len(self.calls) <= self.fail_429:
                return 429, {"error": {"message": "rate limited", "type": "rate_limit"}}
        if path.endswith("/chat/completions"):
            text = "\n".join(m["content"] for m in body["messages"] if isinstance(m.get("content"), str))
            m = re.search(r"Answer to judge: (.*?)\n\nReference A: (.*?)\n\nReference B: (.*?)\n\n", text, re.S)
            if m:
                with self.lock:
                    self.judge_calls += 1
                    n = self.judge_calls
                content = ("Sure! A is better, I guess" if n in self.malformed else
                           json.dumps({"choice": overlap_choice(*m.groups()), "reason": "word overlap"}))
            else:
                content = self.answer
            return 200, {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        if path.endswith("/completions"):
            prompt = body["prompt"]
            logprobs = None
            if self.echo_logprobs:
                toks = list(prompt) + ["!"]
                logprobs = {"tokens": toks, "text_offset": list(range(len(toks))),
                            "token_logprobs": [None] + [-0.5] * (len(toks) - 1),
                            "top_logprobs": [None] + [{t: -0.5} for t in toks[1:]]}
            return 200, {"id": "x", "object": "text_completion", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "text": "!", "finish_reason": "length", "logprobs": logprobs}]}
        return 404, {"error": {"message": f"no route {path}"}}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server naming)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status, payload = fake._reply(self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("retry-after-ms", "10")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
