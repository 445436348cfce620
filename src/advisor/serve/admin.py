"""The office console at ``/admin`` and the export at ``/api/admin/export``.

Both exist only when ``ADVISOR_ADMIN_TOKEN`` is set (404 otherwise). The console's login compares
the token in constant time (``hmac.compare_digest``), is rate-limited per client address, and
hands out a random session in an HttpOnly, SameSite=Strict cookie scoped to ``/admin``. The
export takes ``Authorization: Bearer <token>`` (401 without it); the console's download button
uses the session. Every page is static (``static/admin*``) and fills itself with ``textContent``
from ``/admin/api/data``: student text is never parsed as HTML in the office's browser either.
Charts are drawn by the plotly.js bundled in the ``plotly`` package, served from here (no CDN).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from advisor.config import Settings
from advisor.errors import InputError
from advisor.office.office import Office
from advisor.serve.limits import RateLimit

log = logging.getLogger(__name__)

COOKIE = "advisor_admin"
SESSION_SECONDS = 12 * 3600
LOGINS_PER_MINUTE = 5
MAX_DAYS = 366
CONSOLE_HEADER = "x-advisor-console"  # a cross-site form cannot set it: the console's writes require it


def _static(name: str) -> str:
    return resources.files("advisor.serve").joinpath("static", name).read_text(encoding="utf-8")


def plotly_js() -> Path:
    """plotly.min.js as shipped inside the plotly Python package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class Sessions:
    """Random session ids for the console, each valid for :data:`SESSION_SECONDS`."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def new(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._until = {k: v for k, v in self._until.items() if v > now}
            self._until[sid] = now + SESSION_SECONDS
        return sid

    def valid(self, sid: str | None) -> bool:
        with self._lock:
            return bool(sid) and self._until.get(sid or "", 0.0) > time.monotonic()

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._until.pop(sid or "", None)


def add_admin(app: FastAPI, settings: Settings, office: Office) -> None:
    """The console's routes and the export; without a token each answers 404."""
    token = settings.admin_token
    sessions = Sessions()
    logins = RateLimit(LOGINS_PER_MINUTE)

    def not_found() -> JSONResponse:
        return JSONResponse({"error": "not found"}, status_code=404)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers={"Cache-Control": "no-store"})

    def signed_in(request: Request) -> bool:
        return sessions.valid(request.cookies.get(COOKIE))

    def bearer(request: Request) -> bool:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        return (
            token is not None
            and scheme.lower() == "bearer"
            and hmac.compare_digest(value.strip().encode(), token.encode())
        )

    def page(name: str) -> HTMLResponse:
        return HTMLResponse(_static(name), headers={"Cache-Control": "no-store"})

    @app.get("/admin")
    def console(request: Request) -> Response:
        if not token:
            return not_found()
        return page("admin.html" if signed_in(request) else "admin-login.html")

    @app.post("/admin/login")
    async def login(request: Request) -> Response:
        if not token:
            return not_found()
        wait = logins.wait(request.client.host if request.client else "unknown")
        if wait:
            return RedirectResponse(f"/admin?error=wait&s={max(1, round(wait))}", status_code=303)
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        given = (form.get("token") or [""])[0]
        if not hmac.compare_digest(given.encode(), token.encode()):
            log.warning("office console: a failed sign-in from %s", request.client.host if request.client else "?")
            return RedirectResponse("/admin?error=token", status_code=303)
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            COOKIE,
            sessions.new(),
            max_age=SESSION_SECONDS,
            path="/admin",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.post("/admin/logout")
    def logout(request: Request) -> Response:
        if not token:
            return not_found()
        sessions.end(request.cookies.get(COOKIE))
        response = RedirectResponse("/admin", status_code=303)
        response.delete_cookie(COOKIE, path="/admin")
        return response

    @app.get("/admin/console.js")
    def console_js() -> Response:
        if not token:
            return not_found()
        return Response(_static("admin.js"), media_type="text/javascript")

    @app.get("/admin/console.css")
    def console_css() -> Response:
        if not token:
            return not_found()
        return Response(_static("admin.css"), media_type="text/css")

    @app.get("/admin/plotly.min.js")
    def plotly_bundle() -> Response:
        if not token:
            return not_found()
        return Response(
            plotly_js().read_bytes(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    @app.get("/admin/api/data")
    async def data(request: Request, days: str = "30") -> Response:
        if not token:
            return not_found()
        if not signed_in(request):
            return error(401, "sign in at /admin first")
        period = int(days) if days.isdigit() else 0
        if not 1 <= period <= MAX_DAYS:
            return error(422, f"days={days}: give a number from 1 to {MAX_DAYS}")
        try:
            body = await run_in_threadpool(office.console_data, period)
        except Exception as exc:
            log.warning("office console: the log cannot be read: %s", exc)
            return error(503, "the conversation log cannot be read right now (see the server's log)")
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    @app.post("/admin/api/gaps")
    async def mark(request: Request) -> Response:
        if not token:
            return not_found()
        if not signed_in(request) or request.headers.get(CONSOLE_HEADER) != "1":
            return error(401, "sign in at /admin first")
        try:
            body = await request.json()
            ids, status = body["ids"], body["status"]
            if status not in ("resolved", "out_of_scope") or not isinstance(ids, list):
                raise ValueError(status)
            ids = [str(i)[:64] for i in ids][:5000]
        except Exception:
            return error(422, 'send {"ids": [answer ids], "status": "resolved"|"out_of_scope"}')
        try:
            changed = await run_in_threadpool(office.mark, ids, status)
        except Exception as exc:
            log.warning("office console: the log cannot be written: %s", exc)
            return error(503, "the conversation log cannot be written right now (see the server's log)")
        return JSONResponse({"marked": changed})

    async def export(fmt: str, since: str | None) -> Response:
        try:
            lines = await run_in_threadpool(lambda: list(office.export(fmt, since)))
        except InputError as exc:
            return error(422, str(exc))
        except Exception as exc:
            log.warning("export: the log cannot be read: %s", exc)
            return error(503, "the conversation log cannot be read right now (see the server's log)")
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
        return StreamingResponse(
            iter(lines),
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="advisor-log-{stamp}.{fmt}"',
                "Cache-Control": "no-store",
            },
        )

    @app.get("/api/admin/export")
    async def api_export(request: Request, format: str = "jsonl", since: str | None = None) -> Response:
        if not token:
            return not_found()
        if not bearer(request):
            return JSONResponse(
                {"error": "send Authorization: Bearer <ADVISOR_ADMIN_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return await export(format, since)

    @app.get("/admin/export")
    async def console_export(request: Request, format: str = "csv", since: str | None = None) -> Response:
        if not token:
            return not_found()
        if not signed_in(request):
            return error(401, "sign in at /admin first")
        return await export(format, since)
