"""The browser chat (Gradio ``ChatInterface``, messages format).

Each reply streams in, then settles as two messages: the answer, with suggested
follow-up questions as buttons under it, and a collapsible "Sources" message that
quotes each cited passage with its section and file (a crawled page's URL as a link,
http/https only). Text from the student and from the corpus is escaped, so it renders
as text, never as HTML or links.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from advisor.answer.chain import Advisor, open_advisor
from advisor.answer.live import LiveAdvisor
from advisor.answer.llm import Background
from advisor.config import Settings, SiteCopy
from advisor.office.office import Office, conversation_id, handoff
from advisor.serve.limits import MAX_COMMENT_CHARS, RateLimit, for_student, too_many
from advisor.text import MAX_QUERY_CHARS
from advisor.types import Answer

MAX_EXAMPLES = 4
STREAM_WORDS = 4  # words added per streamed update
STREAM_PAUSE = 0.012  # seconds between updates: fast, but visibly typed
SOURCES_TITLE = "Sources"
# Gradio shows "Like" and "Dislike" as thumbs; the other options are a thumbs-down's reasons.
REASON_LABELS = {"Wrong": "wrong", "Incomplete": "incomplete", "Not what I asked": "not what I asked", "Other": "other"}
FEEDBACK = ("Like", "Dislike", *REASON_LABELS)


def page_copy(settings: Settings, advisor: Advisor | LiveAdvisor) -> SiteCopy:
    """What the chat page says: ``[site]`` of advisor.toml where the office wrote it, else derived from
    the guides (their titles; example questions from their section headings, questions first)."""
    site = settings.site
    titles = list(dict.fromkeys(p.title for p in advisor.search.passages if p.title))
    named = "; ".join(f"“{_inert(t)}”" for t in titles[:3]) + ("; and more" if len(titles) > 3 else "")
    examples = site.examples or advisor.generate.refusals.examples(MAX_EXAMPLES)
    return SiteCopy(
        title=site.title or (f"Career Advisor: {titles[0]}" if len(titles) == 1 else "Career Advisor"),
        intro=site.intro
        or (
            f"I answer questions from {named or 'the program office’s career guides'}. Every answer cites the "
            "passages it comes from; when the guides don't cover a question, I say so."
        ),
        placeholder=site.placeholder or "Ask a question about these careers…",
        examples=examples,
    )


def plain_history(history: list[Any] | None) -> list[dict[str, str]]:
    """The conversation as ``{"role", "content"}`` text messages; source panels and odd entries left out."""
    out = []
    for m in history or []:
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
            continue
        if (m.get("metadata") or {}).get("title"):
            continue  # a sources panel, not something said
        content = m.get("content")
        if isinstance(content, list):
            content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
        if isinstance(content, str) and content.strip():
            out.append({"role": m["role"], "content": content})
    return out


def render_answer(answer: Answer) -> str:
    """The answer as inert Markdown: escaped text, [n] markers kept readable."""
    return _inert(answer.text, keep_lines=True)


def render_sources(answer: Answer) -> str:
    parts = []
    for c in answer.citations:
        p = c.passage
        parts.append(
            f"**[{c.n}] {_inert(p.section or p.title)}** · <sub>{source_link(p.source)}</sub>\n\n> {_inert(p.text)}"
        )
    return "\n\n".join(parts)


def source_link(source: str) -> str:
    """A crawled page's URL as a link (http/https only, opened apart from the chat); any other source as text."""
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in source for c in " \"'<>\\`\n"):
        return _inert(source)
    href = html.escape(source, quote=True).replace("[", "%5B").replace("]", "%5D")
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{_inert(source)}</a>'


def reply(
    advisor: Advisor | LiveAdvisor,
    message: str,
    history: list[Any] | None,
    example: str = "",
    finish: Callable[[Answer], Answer] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """The chat's reply to one message, as a stream of message lists (the last one is final).

    ``finish`` sees each answer before it is shown (web.py: the handoff to the office, the log)."""
    if not message or not message.strip():
        return
    if len(message) > MAX_QUERY_CHARS:
        yield [
            _msg(
                f"That message is {len(message):,} characters long. Please ask one question in under "
                f"{MAX_QUERY_CHARS:,} characters" + (f", for example: “{example}”" if example else ".")
            )
        ]
        return
    # A chat model's draft streams in as it is written, as far as the citation check has passed it;
    # the settled answer then replaces it.
    job: Background[str, Answer] = Background(
        lambda emit: advisor.ask(message, plain_history(history), on_draft=emit), name="advisor-reply"
    )
    draft = ""
    try:
        for draft in job:
            yield [_msg(_inert(draft, keep_lines=True) + " …")]
    except Exception as exc:  # never a traceback in front of a student
        yield [_msg(f"Sorry — {_inert(for_student(exc)[1])}.")]
        return
    assert job.result is not None
    answer = finish(job.result) if finish else job.result
    text = render_answer(answer)
    tokens = re.findall(r"\S+\s*", text) if not draft else []  # the extractive answer is typed out
    for end in range(STREAM_WORDS, len(tokens), STREAM_WORDS):
        yield [_msg("".join(tokens[:end]))]
        time.sleep(STREAM_PAUSE)
    final = _msg(text, options=list(answer.suggestions), metadata={"id": answer.id})  # the id feedback names
    if answer.citations:
        sources = _msg(
            render_sources(answer),
            metadata={"title": f"{SOURCES_TITLE} ({len(answer.citations)})", "status": "done", "id": answer.id},
        )
        yield [final, sources]
    else:
        yield [final]


def _msg(content: str, *, options: list[str] | None = None, metadata: dict[str, str] | None = None) -> dict[str, Any]:
    m: dict[str, Any] = {"role": "assistant", "content": content}
    if options:
        m["options"] = [{"value": q, "label": q} for q in options]
    if metadata:
        m["metadata"] = metadata
    return m


def _inert(text: str, keep_lines: bool = False) -> str:
    """Escape HTML and Markdown link/image syntax so text renders as the text it is."""
    out = html.escape(text, quote=False).replace("[", "&#91;").replace("]", "&#93;").replace("`", "&#96;")
    # Citation markers stay a plain "[1]": neither a link (no "(url)" can follow) nor a reference definition.
    out = re.sub(r"&#91;(\d+)&#93;(?![:(])", r"[\1]", out)
    return out if keep_lines else out.replace("\n", " ")


CSS = """
.gradio-container { max-width: 860px !important; margin: 0 auto !important; }
@media (max-width: 600px) { .gradio-container { padding: 4px !important; } }
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
"""


def office_line(settings: Settings) -> str:
    """What the chat says under its intro: what is kept, and the link to a person (Markdown)."""
    line = _inert(settings.privacy_note)
    if settings.contact:
        line += " · [Ask the program office](/contact)"
    return line


def feedback_of(liked: Any) -> tuple[str, str | None] | None:
    """Gradio's like value → (rating, reason); None when the student took their feedback back."""
    if liked is True or liked == "Like":
        return "up", None
    if liked is False or liked == "Dislike":
        return "down", None
    if isinstance(liked, str) and liked in REASON_LABELS:
        return "down", REASON_LABELS[liked]
    return None


def build_ui(
    settings: Settings,
    advisor: Advisor | LiveAdvisor | None = None,
    limit: RateLimit | None = None,
    copy: SiteCopy | None = None,
    office: Office | None = None,
) -> Any:
    """The Gradio app; builds or refreshes the index first when needed.

    ``limit`` counts each client's questions (shared with ``/api/chat`` by web.py); ``copy`` is the
    page's text as web.py worked it out (:func:`page_copy` when not given); ``office`` logs each
    answer and its feedback (none: nothing is logged and no feedback is offered).
    """
    import gradio as gr

    if advisor is None:
        advisor = open_advisor(settings)
    copy = copy or page_copy(settings, advisor)

    def client(request: gr.Request | None) -> str:
        return request.client.host if request and request.client else "unknown"

    def respond(message: str, history: list[Any], request: gr.Request | None = None) -> Iterator[list[dict[str, Any]]]:
        if limit is not None and message and message.strip():
            wait = limit.wait(client(request))
            if wait:
                yield [_msg(f"Sorry — {too_many(max(1, round(wait)))}.")]
                return

        def finish(answer: Answer) -> Answer:
            answer = handoff(answer, settings.contact)
            if office is not None:
                seed = getattr(request, "session_hash", None) or client(request)
                office.record(
                    answer, address=client(request), conversation=conversation_id(seed, plain_history(history), message)
                )
            return answer

        yield from reply(advisor, message, history, next(iter(copy.examples), ""), finish)

    # Gradio passes the request to a parameter annotated gr.Request; this module's annotations are strings.
    respond.__annotations__["request"] = gr.Request

    chatbot = gr.Chatbot(
        label="Career advisor",
        placeholder=copy.placeholder,
        sanitize_html=True,
        render_markdown=True,
        allow_tags=False,
        feedback_options=FEEDBACK if office is not None else None,
        buttons=["copy"],
        height="70vh",
    )
    textbox = gr.Textbox(
        placeholder=f"Type a question (up to {MAX_QUERY_CHARS:,} characters)…",
        show_label=False,
        autofocus=True,
    )
    demo = gr.ChatInterface(
        respond,
        chatbot=chatbot,
        textbox=textbox,
        title=copy.title,
        description=f"{copy.intro}\n\n{office_line(settings)}",
        examples=list(copy.examples) or None,
        run_examples_on_click=True,
        cache_examples=False,
        flagging_mode="never",
        analytics_enabled=False,
        api_name="chat",
        fill_height=True,
        autofocus=True,
    )
    if office is not None:
        with demo:
            _feedback_controls(gr, chatbot, office, limit)
    return demo


def _feedback_controls(gr: Any, chatbot: Any, office: Office, limit: RateLimit | None) -> None:
    """Thumbs under each answer; after a thumbs-down, an optional comment box (private events, not API)."""
    down_id = gr.State(None)
    with gr.Row(visible=False, elem_id="feedback-comment") as row:
        comment = gr.Textbox(
            label="Anything to add about that answer? (optional)",
            max_length=MAX_COMMENT_CHARS,
            max_lines=4,
            scale=4,
        )
        send = gr.Button("Send comment", scale=1, elem_id="feedback-send")

    def allowed(request: Any) -> bool:
        host = request.client.host if request and request.client else "unknown"
        return limit is None or not limit.wait(host)

    def on_like(data: Any, history: list[Any], request: Any = None) -> tuple[Any, Any]:
        picked = feedback_of(data.liked)
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        message = history[index] if isinstance(index, int) and 0 <= index < len(history) else {}
        answer_id = ((message or {}).get("metadata") or {}).get("id")
        if picked is None or not answer_id or not allowed(request):
            return None, gr.update(visible=False)
        office.feedback(answer_id, picked[0], picked[1])  # type: ignore[arg-type]
        down = picked[0] == "down"
        return (answer_id, picked[1]) if down else None, gr.update(visible=down)

    def on_comment(target: Any, text: str, request: Any = None) -> tuple[Any, Any]:
        if target and text.strip() and allowed(request):
            office.feedback(target[0], "down", target[1], text.strip()[:MAX_COMMENT_CHARS])
            gr.Info("Thank you: the program office will read it.")
        return gr.update(visible=False), ""

    on_like.__annotations__.update(data=gr.LikeData, request=gr.Request)
    on_comment.__annotations__["request"] = gr.Request
    chatbot.like(on_like, [chatbot], [down_id, row], api_visibility="private", queue=False)
    send.click(on_comment, [down_id, comment], [row, comment], api_visibility="private", queue=False)
