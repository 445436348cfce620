"""The web app: one FastAPI application that `app.py`, `advisor serve` and `make run` serve.

    /            the full Gradio chat (chat_ui.py)
    /embed       a compact chat made for an iframe (static page + /embed.js, talks to /api/chat)
    /widget.js   one script tag that adds a launcher button and a chat panel to any page
    /api/chat    POST {"message", "history"} → the ``advisor ask --json`` object
    /api/feedback  POST {"id", "rating", "reason"?, "comment"?} → 204
    /contact     counts a click, then sends the student to ``ADVISOR_CONTACT``
    /admin       the office console, /api/admin/export (admin.py; only with ADVISOR_ADMIN_TOKEN)
    /healthz     200 when the store is loaded (its passages and generation)

The app answers with a :class:`~advisor.answer.live.LiveAdvisor`: after an ingest in any process
publishes a new index, it moves onto it without a restart and without failing a question.

Every answer given is logged off the request path (advisor.office); a refusal offers the
program office's contact.

Which sites may embed the chat or call the API, and which of Gradio's routes are served at all,
is headers.py; each client address has one question budget over the API and the chat, and the
chat's queue is bounded (limits.py).
"""

from __future__ import annotations

import html
import json
import logging
from importlib import resources
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from advisor.answer.chain import Advisor, open_advisor
from advisor.answer.live import LiveAdvisor
from advisor.config import Settings
from advisor.office.office import Office, conversation_id, handoff
from advisor.serve.autosync import start_autosync
from advisor.serve.headers import LOCALHOST, SecurityHeaders, frame_ancestors
from advisor.serve.limits import (
    MAX_BODY_BYTES,
    MAX_FEEDBACK_BYTES,
    MAX_HISTORY_MESSAGES,
    ChatRequest,
    FeedbackRequest,
    RateLimit,
    for_student,
    too_many,
)
from advisor.text import MAX_QUERY_CHARS

log = logging.getLogger(__name__)


def _static(name: str) -> str:
    return resources.files("advisor.serve").joinpath("static", name).read_text(encoding="utf-8")


def create_app(settings: Settings, advisor: Advisor | LiveAdvisor | None = None, office: Office | None = None) -> Any:
    """The FastAPI app with the Gradio chat mounted at ``/``; ``office`` is the conversation log
    (one over ``settings.database_url`` is started when not given). A plain ``advisor`` answers from
    its index as it was opened; a started :class:`LiveAdvisor` follows each newly published one."""
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware.cors import CORSMiddleware

    from advisor.serve.admin import add_admin
    from advisor.serve.chat_ui import CSS, build_ui, page_copy

    if advisor is None:
        advisor = open_advisor(settings)
    live = advisor if isinstance(advisor, LiveAdvisor) else LiveAdvisor(advisor)
    if office is None:
        office = Office(settings).start()
    log_to = office

    def ask(message: str, history: list[dict[str, str]], client: str, conversation: str | None) -> dict[str, Any]:
        answer = handoff(live.ask(message, history), settings.contact)
        log_to.record(answer, address=client, conversation=conversation_id(conversation or client, history, message))
        return answer.contract()

    limit = RateLimit(settings.rate_limit)  # one budget per client for the API and the chat
    copy = page_copy(settings, live)

    app = FastAPI(title="advisor", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.office = office
    office_copy = {"privacy": settings.privacy_note, "contact": "/contact" if settings.contact else None}

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "passages": len(live.search.passages), "generation": live.generation}

    def over_budget(request: Request) -> Response | None:
        wait = limit.wait(client_of(request))
        if not wait:
            return None
        seconds = max(1, round(wait))
        return JSONResponse({"error": too_many(seconds)}, status_code=429, headers={"Retry-After": str(seconds)})

    @app.post("/api/chat")
    async def chat(request: Request) -> Response:
        if refused := over_budget(request):
            return refused
        body = await read_body(request, MAX_BODY_BYTES)
        if body is None:
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
            answer = await run_in_threadpool(ask, req.message, history, client_of(request), req.conversation)
        except Exception as exc:  # never a traceback in front of a student
            return error(*for_student(exc))
        return JSONResponse(answer)

    @app.post("/api/feedback")
    async def feedback(request: Request) -> Response:
        if refused := over_budget(request):
            return refused
        body = await read_body(request, MAX_FEEDBACK_BYTES)
        if body is None:
            return error(
                413, f"the request is over {MAX_FEEDBACK_BYTES:,} bytes; a comment has at most 1,000 characters"
            )
        try:
            fb = FeedbackRequest.model_validate_json(body or b"{}")
        except ValidationError as exc:
            return error(422, feedback_problem(exc))
        try:
            known = await run_in_threadpool(office.feedback, fb.id, fb.rating, fb.reason, fb.comment)
        except Exception as exc:  # the log's database is down and the id is not one this process gave out
            log.warning("feedback could not be checked: %s", exc)
            return error(503, "feedback cannot be recorded right now; please try again later")
        if not known:
            return error(404, f"no answer has the id {fb.id!r}; send the id of an answer /api/chat returned")
        return Response(status_code=204)

    @app.get("/contact")
    def contact() -> Response:
        if not settings.contact:
            return error(404, "no contact is configured (ADVISOR_CONTACT)")
        office.click()
        if not settings.contact.startswith("mailto:"):
            return RedirectResponse(settings.contact, status_code=303)
        # A redirect to mailto: is not followed everywhere: a page that opens the mail program, with the link.
        link = html.escape(settings.contact, quote=True)
        address = html.escape(settings.contact.removeprefix("mailto:"))
        return HTMLResponse(
            f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={link}">'
            f"<title>Ask the program office</title><p>Write to the program office: "
            f'<a href="{link}">{address}</a></p>'
        )

    @app.get("/embed")
    def embed() -> HTMLResponse:
        page = (
            _static("embed.html")
            .replace("__EXAMPLES__", json.dumps(list(copy.examples[:3])).replace("<", "\\u003c"))
            .replace("__PLACEHOLDER__", html.escape(copy.placeholder or "", quote=True))
            .replace("__OFFICE__", json.dumps(office_copy).replace("<", "\\u003c"))
        )
        return HTMLResponse(page)

    @app.get("/embed.js")
    def embed_js() -> Response:
        return Response(_static("embed.js"), media_type="text/javascript")

    @app.get("/widget.js")
    def widget_js() -> Response:
        return Response(_static("widget.js"), media_type="text/javascript", headers={"Cache-Control": "max-age=300"})

    add_admin(app, settings, office)

    demo = build_ui(settings, live, limit=limit, copy=copy, office=office)
    demo.queue(default_concurrency_limit=4, max_size=64)
    app = gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], css=CSS, js=_static("chat.js"), show_error=False
    )  # chat.js: a finished answer is announced once, not each streamed fragment

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


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is over ``limit`` bytes (reading stops there)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body


def feedback_problem(exc: ValidationError) -> str:
    """One line naming what is wrong with a feedback body."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "body"
    if where == "comment" and first.get("type") == "string_too_long":
        return "the comment is too long; please keep it under 1,000 characters"
    return (
        f"{where}: {first.get('msg', 'invalid')}; send "
        '{"id": str, "rating": "up"|"down", "reason"?: "wrong"|"incomplete"|"not what I asked"|"other", '
        '"comment"?: str}'
    )


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Serve the web app until interrupted (default http://127.0.0.1:7860)."""
    import uvicorn

    from advisor.serve.chat_ui import page_copy

    advisor = open_advisor(settings)
    examples = page_copy(settings, advisor).examples
    warm = examples[0] if examples else "What do the guides cover?"
    advisor.coverage.prepare()  # the corpus words embedded now, not during the first unusual question
    advisor.ask(warm)  # warm the caches for the first student
    live = LiveAdvisor(advisor, warm=warm).start()  # moves onto each index an ingest publishes
    office = Office(settings).start()
    app = create_app(settings, live, office)
    start_autosync(settings)  # ADVISOR_SYNC_HOURS: crawl and ingest in a daemon thread; `live` follows the index
    host = host or settings.host
    port = port or settings.port
    print(f"advisor: serving the chat on http://{host}:{port}/ (widget: http://{host}:{port}/widget.js)", flush=True)
    if settings.admin_token:
        print(f"advisor: the office console is on http://{host}:{port}/admin", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        live.stop()
        office.close()
