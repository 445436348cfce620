"""The browser chat (Gradio). Until the answering chain lands, each reply is the
passage of the guide that best matches the question, quoted with its section and
source, or a plain "the guide does not cover this" with questions it can answer.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from advisor.config import Settings
from advisor.errors import AdvisorError
from advisor.retrieve import MAX_QUERY_CHARS, HybridSearch, Retrieval

log = logging.getLogger(__name__)

EXAMPLES = [
    "What is the difference between an ML engineer and an AI engineer?",
    "How much do these roles earn?",
    "Which certifications help an AI engineer?",
    "Do I need a master's degree?",
]
INTRO = (
    "Ask about careers as a **machine learning engineer** or an **AI engineer**: what they do, "
    "skills, education, pay and outlook. Answers come from the program office's career guide, "
    "and each one shows the passage it came from."
)


def reply_for(search: HybridSearch, message: str) -> str:
    """The chat reply for one message, as Markdown; user and passage text are escaped."""
    if len(message) > MAX_QUERY_CHARS:
        return f"That message is {len(message):,} characters long. Please ask in under {MAX_QUERY_CHARS:,} characters."
    try:
        result = search.search(message)
    except AdvisorError as exc:
        return f"Sorry — {html.escape(str(exc))}."
    except Exception:  # never a traceback in front of a student
        log.exception("search failed")
        return "Sorry — something went wrong on our side. Please try again in a moment."
    return format_result(result)


def format_result(result: Retrieval) -> str:
    if not result.covered:
        tries = "\n".join(f"- {q}" for q in EXAMPLES[:3])
        return f"The career guide does not cover that question. You could ask, for example:\n{tries}"
    best = result.hits[0].passage
    lines = [
        f"From **{_inert(best.section)}**:",
        "",
        f"> {_inert(best.text)}",
        "",
        f"<sub>Source: {_inert(best.source)}</sub>",
    ]
    also = [h.passage.section for h in result.hits[1:3] if h.passage.section != best.section]
    if also:
        lines += ["", "See also: " + "; ".join(dict.fromkeys(_inert(s) for s in also))]
    return "\n".join(lines)


def _inert(text: str) -> str:
    """Escape HTML and neutralise Markdown link/image syntax so text renders as text."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("\n", " ")


def build_ui(settings: Settings, search: HybridSearch | None = None) -> Any:
    """The Gradio app; builds or refreshes the index first when needed."""
    import gradio as gr

    if search is None:
        from advisor.retrieve import open_search

        search = open_search(settings)

    def respond(message: str, history: list[dict[str, Any]]) -> str:
        if not message or not message.strip():
            return ""
        return reply_for(search, message)

    return gr.ChatInterface(
        respond,
        title="Career Advisor: ML Engineer vs. AI Engineer",
        description=INTRO,
        examples=EXAMPLES,
        run_examples_on_click=True,
        cache_examples=False,
        flagging_mode="never",
        analytics_enabled=False,
        api_name="chat",
        fill_height=True,
    )


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Serve the chat until interrupted (default http://127.0.0.1:7860)."""
    demo = build_ui(settings)
    demo.queue(default_concurrency_limit=4, max_size=64)
    demo.launch(server_name=host or settings.host, server_port=port or settings.port, show_error=False)
