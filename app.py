"""Serve the advisor web app (chat, widget, API): `python app.py`, the same as `advisor serve` and `make run`."""

from advisor.config import Settings, quiet_runtime

if __name__ == "__main__":
    quiet_runtime()  # before gradio, chromadb and torch load: no analytics, telemetry or hub calls
    import sys

    from advisor.errors import AdvisorError
    from advisor.serve.web import serve

    try:
        serve(Settings.from_env())
    except AdvisorError as exc:
        print(f"advisor: {exc}", file=sys.stderr)
        sys.exit(2)
