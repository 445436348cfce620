"""The web app: one FastAPI application that `app.py`, `advisor serve` and `make run` serve.

    /            the full Gradio chat (ui.py)
    /embed       a compact chat made for an iframe (static page + /embed.js, talks to /api/chat)
    /widget.js   one script tag that adds a launcher button and a chat panel to any page
    /api/chat    POST {"message", "history"} → the ``advisor ask --json`` object
    /healthz     200 when the store is loaded

Which sites may embed the chat or call the API is ``ADVISOR_ALLOWED_ORIGINS``: enforced
with CSP ``frame-ancestors`` on every page and CORS (no credentials) on ``/api``. Unset, it
is the app's own origin and localhost. Of Gradio's routes only those the chat page and its
documented ``/chat`` endpoint use are served (:func:`route_allowed`); each client address has
one question budget over the API and the chat (``ADVISOR_RATE_LIMIT``), and the chat's queue
is bounded.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from importlib import resources
from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.chain import Advisor
from advisor.config import Settings
from advisor.errors import AdvisorError, InputError
from advisor.retrieve import MAX_QUERY_CHARS

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64_000  # a question, a capped history and JSON punctuation fit well inside
MAX_HISTORY_MESSAGES = 40
MAX_MESSAGE_CHARS = 8_000  # one earlier message (an answer can be long)
LOCALHOST = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
LOCAL_SOURCES = ("http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*")


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_MESSAGE_CHARS)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = Field(max_length=MAX_QUERY_CHARS)
    history: list[Message] = Field(default_factory=list, max_length=MAX_HISTORY_MESSAGES)


class RateLimit:
    """At most ``per_minute`` requests per client in any sliding minute (0: no limit)."""

    def __init__(self, per_minute: int, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds the client must wait, or 0 if this request may go ahead (and is counted)."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] > 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return 60 - (now - times[0])
            times.append(now)
            if len(self._seen) > self.clients:  # forget clients quiet for a minute
                for key in [k for k, v in self._seen.items() if not v or now - v[-1] > 60]:
                    del self._seen[key]
            return 0.0


def too_many(seconds: int) -> str:
    return f"that is a lot of questions in a minute; please wait {seconds} s and ask again"


# What the app serves: its own routes, and of Gradio's only what the chat page and the
# documented chat endpoint use. Uploads, the proxy, monitoring, run history, MCP, the
# component server and every other named endpoint answer 404.
OWN_GET = {"/healthz", "/embed", "/embed.js", "/widget.js"}
GRADIO_GET = {
    "/",
    "/config",
    "/config/",
    "/theme.css",
    "/favicon.ico",
    "/robots.txt",
    "/manifest.json",
    "/gradio_api/info",
    "/gradio_api/info/",
    "/gradio_api/startup-events",
    "/gradio_api/queue/data",
}
GRADIO_GET_PREFIXES = (
    "/assets/",
    "/static/",
    "/svelte/",
    "/pwa_icon",
    "/gradio_api/heartbeat/",
    "/gradio_api/file=",  # Gradio itself refuses paths outside the app (tests/test_web.py)
    "/gradio_api/call/chat/",  # the result stream of a documented chat call
    "/gradio_api/call/v2/chat/",
)
POSTS = {
    "/api/chat",
    "/gradio_api/queue/join",  # every chat event of the page, through the bounded queue
    "/gradio_api/run/predict",  # the page's unqueued UI events
    "/gradio_api/call/chat",  # the documented chat endpoint (gradio_client)
    "/gradio_api/call/v2/chat",
    "/gradio_api/cancel",
    "/gradio_api/reset",
    "/gradio_api/reset/",
}


def route_allowed(method: str, path: str) -> bool:
    """Whether a request may reach the app at all."""
    if method in ("GET", "HEAD"):
        return path in OWN_GET or path in GRADIO_GET or path.startswith(GRADIO_GET_PREFIXES)
    if method == "POST":
        return path in POSTS
    return method == "OPTIONS" and path.startswith("/api/")  # CORS preflight


def frame_ancestors(settings: Settings) -> str:
    """The CSP ``frame-ancestors`` sources: who may put the chat in a frame."""
    sources = settings.allowed_origins or LOCAL_SOURCES
    return " ".join(["'self'", *sources])


def _static(name: str) -> str:
    return resources.files("advisor").joinpath("static", name).read_text(encoding="utf-8")


def create_app(settings: Settings, advisor: Advisor | None = None) -> Any:
    """The FastAPI app with the Gradio chat mounted at ``/``."""
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware.cors import CORSMiddleware

    from advisor.ui import CSS, EXAMPLES, build_ui

    if advisor is None:
        from advisor.chain import open_advisor

        advisor = open_advisor(settings)

    def ask(message: str, history: list[dict[str, str]]) -> dict[str, Any]:
        return advisor.ask(message, history).contract()

    limit = RateLimit(settings.rate_limit)  # one budget per client for the API and the chat

    app = FastAPI(title="advisor", docs_url=None, redoc_url=None, openapi_url=None)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "passages": len(advisor.search.passages)}

    @app.post("/api/chat")
    async def chat(request: Request) -> Response:
        wait = limit.wait(request.client.host if request.client else "unknown")
        if wait:
            seconds = max(1, round(wait))
            return JSONResponse({"error": too_many(seconds)}, status_code=429, headers={"Retry-After": str(seconds)})
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return error(
                    413,
                    f"the request is over {MAX_BODY_BYTES:,} bytes; send one question under "
                    f"{MAX_QUERY_CHARS:,} characters and at most {MAX_HISTORY_MESSAGES} earlier messages",
                )
        try:
            req = ChatRequest.model_validate_json(body or b"{}")
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "body"
            if first.get("type") == "string_too_long" and where == "message":
                return error(422, f"the message is too long; please keep it under {MAX_QUERY_CHARS:,} characters")
            return error(422, f'{where}: {first.get("msg", "invalid")}; send {{"message": str, "history": [...]}}')
        history = [m.model_dump() for m in req.history]
        try:
            answer = await run_in_threadpool(ask, req.message, history)
        except InputError as exc:
            return error(422, str(exc))
        except AdvisorError as exc:
            log.error("answer failed: %s", exc)
            return error(503, str(exc))
        except Exception:
            log.exception("answer failed")
            return error(500, "something went wrong on our side; please try again in a moment")
        return JSONResponse(answer)

    @app.get("/embed")
    def embed() -> HTMLResponse:
        page = _static("embed.html").replace("__EXAMPLES__", json.dumps(EXAMPLES[:3]).replace("<", "\\u003c"))
        return HTMLResponse(page)

    @app.get("/embed.js")
    def embed_js() -> Response:
        return Response(_static("embed.js"), media_type="text/javascript")

    @app.get("/widget.js")
    def widget_js() -> Response:
        return Response(_static("widget.js"), media_type="text/javascript", headers={"Cache-Control": "max-age=300"})

    demo = build_ui(settings, advisor, limit=limit)
    demo.queue(default_concurrency_limit=4, max_size=64)
    app = gr.mount_gradio_app(app, demo, path="/", footer_links=[], css=CSS, show_error=False)

    cors = CORSMiddleware(
        app=app,
        allow_origins=list(settings.allowed_origins),
        allow_origin_regex=None if settings.allowed_origins else LOCALHOST,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
        allow_credentials=False,
        max_age=600,
    )
    return SecurityHeaders(app, cors, frame_ancestors(settings))


class SecurityHeaders:
    """ASGI wrapper: only the routes the app needs (:func:`route_allowed`); CORS for ``/api`` and
    ``/healthz`` only; CSP and friends on every response."""

    def __init__(self, app: Any, cors: Any, ancestors: str) -> None:
        self.app = app
        self.cors = cors
        self.headers = [
            (b"content-security-policy", f"frame-ancestors {ancestors}".encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]
        self.embed_csp = (
            b"content-security-policy",
            f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}".encode(),
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if not route_allowed(scope.get("method", "GET"), path):
            log.info("refused %s %s", scope.get("method"), path)
            await self.refuse(send)
            return
        strict = path == "/embed"

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += [self.embed_csp, *self.headers[1:]] if strict else self.headers
                message = {**message, "headers": headers}
            await send(message)

        target = self.cors if path.startswith("/api/") or path == "/healthz" else self.app
        await target(scope, receive, with_headers)

    async def refuse(self, send: Any) -> None:
        body = json.dumps({"error": "not found"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers + self.headers})
        await send({"type": "http.response.body", "body": body})


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Serve the web app until interrupted (default http://127.0.0.1:7860)."""
    import uvicorn

    from advisor.chain import open_advisor
    from advisor.ui import EXAMPLES

    advisor = open_advisor(settings)
    advisor.ask(EXAMPLES[0])  # warm the caches so the first student waits no longer than the rest
    app = create_app(settings, advisor)
    host = host or settings.host
    port = port or settings.port
    print(f"advisor: serving the chat on http://{host}:{port}/ (widget: http://{host}:{port}/widget.js)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
