"""The surfaces: the ``advisor`` command, the web app (Gradio chat, widget, HTTP API) and its limits.

cli       the ``advisor`` command
web       the FastAPI app: chat page, /embed, /widget.js, /api/chat, /healthz
chat_ui   the Gradio chat
limits    request limits, the per-client budget, failures in students' words
headers   the route gate, CORS and CSP
static/   the embed page and the widget script
"""
