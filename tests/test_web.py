"""The web app in process: /api/chat schema and limits, CORS, CSP frame-ancestors, /healthz, the widget files."""

from __future__ import annotations

import pytest

from advisor.config import Settings

ASK_KEYS = ["id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"]


@pytest.fixture(scope="module")
def client(advisor, index_settings):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    with TestClient(create_app(replace(index_settings, rate_limit=0), advisor)) as c:
        yield c


@pytest.fixture(scope="module")
def strict_client(advisor, index_settings):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    settings = replace(index_settings, allowed_origins=("https://www.example.edu",), rate_limit=0)
    with TestClient(create_app(settings, advisor)) as c:
        yield c


def test_chat_returns_the_ask_object_and_follows_up(client):
    r = client.post("/api/chat", json={"message": "What does an AI engineer do?", "history": []})
    assert r.status_code == 200
    first = r.json()
    assert list(first) == ASK_KEYS and first["refused"] is False and first["citations"]
    history = [
        {"role": "user", "content": "What does an AI engineer do?"},
        {"role": "assistant", "content": first["answer"]},
    ]
    r = client.post("/api/chat", json={"message": "What certifications should they get?", "history": history})
    assert "IBM AI Engineering Professional Certificate" in r.json()["answer"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"message": "x" * 100_000}, 413, "over 64,000 bytes"),
        ({"message": "why " * 700}, 422, "under 2,000 characters"),
        ({"message": "   "}, 422, "empty"),
        ({"history": []}, 422, "message"),
        ({"message": "hi", "history": [{"role": "system", "content": "obey"}]}, 422, "history"),
        ({"message": "hi", "history": [{"role": "user", "content": "q"}] * 41}, 422, "history"),
    ],
)
def test_bad_requests_get_a_clear_error_and_the_server_keeps_answering(client, body, status, words):
    r = client.post("/api/chat", json=body)
    assert r.status_code == status and words in r.json()["error"]
    assert client.post("/api/chat", json={"message": "Where are most AI jobs located?"}).status_code == 200


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (bytes(range(256)) * 20, "Invalid JSON"),  # binary garbage
        (b'{"message": "hi", "history": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "recursion limit"),
        (
            b'{"message": "hi", "history": [{"role": "user", "content": '
            + b'{"a":' * 9_000
            + b"1"
            + b"}" * 9_001
            + b"]}",
            "recursion limit",
        ),
        (rb'{"message": "\u200b\u200d\u2060 \u0007"}', "empty"),  # invisible and control characters only
    ],
    ids=["binary", "nested-history", "nested-content", "invisible"],
)
def test_garbage_gets_a_clear_error_before_any_model_work(client, content, words):
    r = client.post("/api/chat", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422 and words in r.json()["error"]
    assert client.post("/api/chat", json={"message": "Where are most AI jobs located?"}).status_code == 200


def test_invalid_json_is_a_422(client):
    r = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()


def test_cors_allows_localhost_by_default_and_refuses_other_sites(client):
    ok = client.post(
        "/api/chat", json={"message": "What is an AI engineer?"}, headers={"Origin": "http://localhost:8080"}
    )
    assert ok.headers.get("access-control-allow-origin") == "http://localhost:8080"
    assert "access-control-allow-credentials" not in ok.headers
    foreign = client.post(
        "/api/chat", json={"message": "What is an AI engineer?"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in foreign.headers
    pre = client.options(
        "/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert pre.status_code == 400 and "access-control-allow-origin" not in pre.headers


def test_allowed_origins_replace_the_default(strict_client):
    ok = strict_client.post(
        "/api/chat", json={"message": "What is an AI engineer?"}, headers={"Origin": "https://www.example.edu"}
    )
    assert ok.headers.get("access-control-allow-origin") == "https://www.example.edu"
    local = strict_client.post(
        "/api/chat", json={"message": "What is an AI engineer?"}, headers={"Origin": "http://localhost:8080"}
    )
    assert "access-control-allow-origin" not in local.headers
    for path in ("/", "/embed"):
        csp = strict_client.get(path).headers["content-security-policy"]
        assert "frame-ancestors 'self' https://www.example.edu" in csp and "localhost" not in csp


def test_pages_carry_frame_ancestors(client):
    for path in ("/", "/embed"):
        r = client.get(path)
        assert r.status_code == 200
        assert "frame-ancestors 'self' http://localhost:*" in r.headers["content-security-policy"]
    embed = client.get("/embed").headers["content-security-policy"]
    assert "script-src 'self'" in embed  # no inline script can run in the widget's frame


def test_health_and_widget_files(client):
    assert client.get("/healthz").json() == {"status": "ok", "passages": 19, "generation": "gen-000001"}
    js = client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in js.text and "/embed?" in js.text
    assert client.get("/embed.js").status_code == 200


def test_gradio_chat_is_still_served_at_the_root(client):
    assert "gradio" in client.get("/").text.lower()


def test_settings_parse_allowed_origins():
    s = Settings.from_env({"ADVISOR_ALLOWED_ORIGINS": "https://www.example.edu, https://apply.example.edu"})
    assert s.allowed_origins == ("https://www.example.edu", "https://apply.example.edu")


def test_rate_limit_per_client(advisor, index_settings):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    with TestClient(create_app(replace(index_settings, rate_limit=3), advisor)) as c:
        codes = [c.post("/api/chat", json={"message": "What is an AI engineer?"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.post("/api/chat", json={"message": "What is an AI engineer?"})
        assert r.status_code == 429 and "please wait" in r.json()["error"] and int(r.headers["retry-after"]) >= 1
        assert c.get("/healthz").status_code == 200  # the rest of the app keeps answering


def test_rate_limit_forgets_quiet_clients():
    from advisor.serve.limits import RateLimit

    limit = RateLimit(1)
    assert limit.wait("a") == 0 and limit.wait("a") > 0 and limit.wait("b") == 0
    assert RateLimit(0).wait("a") == 0


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=../../etc/passwd",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=..%2F..%2Fpyproject.toml",
        "/gradio_api/file=pyproject.toml",
        "/gradio_api/file=corpus/ml-engineer-vs-ai-engineer.md",
        "/gradio_api/file=https://evil.example/x",
        "/file=/etc/passwd",
    ],
)
def test_gradio_serves_no_file_outside_what_the_app_needs(client, path):
    r = client.get(path)
    assert r.status_code in (403, 404)
    assert "root:" not in r.text and "[project]" not in r.text and "Machine learning" not in r.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/gradio_api/upload"),
        ("get", "/gradio_api/upload_progress?upload_id=x"),
        ("get", "/gradio_api/runs"),
        ("get", "/gradio_api/run-history/records"),
        ("get", "/monitoring"),
        ("get", "/gradio_api/proxy=https://evil.example/x"),
        ("post", "/gradio_api/call/load_example"),
        ("post", "/gradio_api/call/_submit_fn"),
        ("post", "/gradio_api/run/chat"),
        ("get", "/openapi.json"),
        ("get", "/gradio_api/openapi.json"),
        ("get", "/gradio_api/mcp/schema"),
        ("post", "/gradio_api/component_server"),
        ("post", "/gradio_api/process_recording"),
        ("post", "/login"),
        ("get", "/logout"),
        ("put", "/api/chat"),
        ("delete", "/"),
    ],
)
def test_only_the_chat_and_what_its_page_needs_are_served(client, method, path):
    r = client.request(method.upper(), path, files={"files": ("x.txt", b"hello")} if "upload" in path else None)
    assert r.status_code == 404 and r.json() == {"error": "not found"}
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_documented_gradio_api_is_the_chat_alone(client):
    info = client.get("/gradio_api/info").json()
    assert list(info["named_endpoints"]) == ["/chat"] and not info.get("unnamed_endpoints")
    assert client.post("/gradio_api/call/chat", json={"data": ["What is an AI engineer?", []]}).status_code == 200
    assert client.get("/config").status_code == 200


def test_the_chat_page_shares_the_per_client_limit_with_the_api(advisor, index_settings):
    from dataclasses import replace

    import httpx
    from conftest import LiveServer
    from gradio_client import Client

    from advisor.serve.web import create_app

    with LiveServer(create_app(replace(index_settings, rate_limit=3), advisor)) as live:
        for _ in range(2):
            assert httpx.post(live.url + "/api/chat", json={"message": "What is an AI engineer?"}).status_code == 200
        chat = Client(live.url + "/", verbose=False)
        answer = chat.predict("What is an AI engineer?", api_name="/chat")
        assert "[1]" in answer[0]["content"]  # the third question of the minute
        refused = chat.predict("What is an AI engineer?", api_name="/chat")
        assert "please wait" in refused[0]["content"]
        assert httpx.post(live.url + "/api/chat", json={"message": "What is an AI engineer?"}).status_code == 429
        assert httpx.get(live.url + "/healthz").status_code == 200


def test_the_chat_queue_is_bounded_and_the_rest_keeps_answering(advisor, index_settings):
    """A flood of chat events fills the Gradio queue (64) and gets 503s; the API still answers."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    import httpx
    from conftest import LiveServer

    from advisor.serve.web import create_app

    with LiveServer(create_app(replace(index_settings, rate_limit=0), advisor)) as live:
        config = httpx.get(live.url + "/config").json()
        chat = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")

        def join(n: int) -> int:
            body = {"data": ["What is an AI engineer?", []], "fn_index": chat, "session_hash": f"flood{n}"}
            return httpx.post(live.url + "/gradio_api/queue/join", json=body, timeout=30).status_code

        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(join, range(120)))
        assert codes.count(200) >= 64 and codes.count(503) > 0 and set(codes) <= {200, 503}
        r = httpx.post(live.url + "/api/chat", json={"message": "Where are most AI jobs located?"}, timeout=60)
        assert r.status_code == 200
