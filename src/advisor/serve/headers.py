"""What the web app serves and with which headers: the route gate, CORS, CSP.

Of Gradio's routes only those the chat page and its documented ``/chat`` endpoint use are
served (:func:`route_allowed`); everything else answers 404 before it reaches Gradio. Which
sites may frame the chat is CSP ``frame-ancestors`` (``ADVISOR_ALLOWED_ORIGINS``; unset: the
app's own origin and localhost); CORS, without credentials, applies to ``/api`` and ``/healthz``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from advisor.config import Settings

log = logging.getLogger(__name__)

LOCALHOST = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"
LOCAL_SOURCES = ("http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*")

# What the app serves: its own routes, and of Gradio's only what the chat page and the
# documented chat endpoint use. Uploads, the proxy, monitoring, run history, MCP, the
# component server and every other named endpoint answer 404.
OWN_GET = {
    "/healthz",
    "/embed",
    "/embed.js",
    "/widget.js",
    "/contact",
    # the office console and the export (admin.py answers 404 for each when no token is set)
    "/admin",
    "/admin/console.js",
    "/admin/console.css",
    "/admin/plotly.min.js",
    "/admin/api/data",
    "/admin/export",
    "/api/admin/export",
}
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
    "/api/feedback",
    "/admin/login",
    "/admin/logout",
    "/admin/api/gaps",
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
        # The console: its own scripts only (plotly.js included), in no frame; plotly sets inline styles.
        self.admin_csp = (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
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
        strict = self.embed_csp if path == "/embed" else self.admin_csp if path.startswith("/admin") else None

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += [strict, *self.headers[1:]] if strict else self.headers
                message = {**message, "headers": headers}
            await send(message)

        target = self.cors if path.startswith("/api/") or path == "/healthz" else self.app
        await target(scope, receive, with_headers)

    async def refuse(self, send: Any) -> None:
        body = json.dumps({"error": "not found"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers + self.headers})
        await send({"type": "http.response.body", "body": body})
