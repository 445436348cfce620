"""Screenshots of the chat for the README, taken with Debian's Chromium through Playwright.

    python -m tools.screenshot http://127.0.0.1:7860/ docs/
    python -m tools.screenshot http://127.0.0.1:7860/ docs/ --console TOKEN   # the office console only

Asks a question and a follow-up, opens the sources panel, and saves a desktop
and a phone-width picture of the chat; then serves examples/program-page.html from a
second loopback origin and saves the widget open on it (docs/widget.png), then the same tab at
phone width after a reload, the conversation kept (docs/widget-phone.png). With ``--console TOKEN``
(the app's ``ADVISOR_ADMIN_TOKEN``) it asks a set of students' questions through ``/api/chat``,
gives feedback on some, signs in to ``/admin`` and saves the console (docs/console.png). Needs
`apt-get install chromium` and `pip install playwright` (no browser download: Playwright
drives the system Chromium).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("screenshot: no Chromium found; apt-get install chromium")


def conversation(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    box = page.locator("textarea").first
    box.wait_for(timeout=30_000)
    for n, question in enumerate(
        ("What's the difference between an ML engineer and an AI engineer?", "Which one pays more?"), 1
    ):
        box.fill(question)
        box.press("Enter")
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=\"bot\"]').length >= n", arg=2 * n, timeout=30_000
        )
        page.wait_for_timeout(1500)
    panels = page.get_by_text("Sources (", exact=False)
    if panels.count():
        panels.last.click()
        page.wait_for_timeout(500)


def widget(browser, app_url: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import socket
    import tempfile
    import threading

    page_html = (Path(__file__).resolve().parents[1] / "examples" / "program-page.html").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        Path(tmp, "index.html").write_text(page_html.replace("http://127.0.0.1:7860", app_url.rstrip("/")))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=tmp)
        handler.log_message = lambda *a: None  # type: ignore[method-assign]
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(f"http://127.0.0.1:{port}/index.html")
        page.locator("button.launcher").click()
        frame = page.frame_locator("iframe")
        box = frame.locator("#q")
        box.wait_for(timeout=30_000)
        for n, question in enumerate(("What does an AI engineer do?", "What certifications should they get?"), 1):
            box.fill(question)
            box.press("Enter")
            frame.locator(".msg.bot:not(.note)").nth(n).wait_for(timeout=30_000)
        frame.locator("details").last.locator("summary").click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "widget.png"))
        print(out / "widget.png")
        # The same tab on a phone, after a page load: the conversation is still there (sessionStorage).
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        page.locator("button.launcher").click()
        page.frame_locator("iframe").locator(".msg.user").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "widget-phone.png"))
        print(out / "widget-phone.png")
        server.shutdown()


STUDENTS = [
    ("What does an AI engineer do?", "up", None),
    ("Which one pays more, ML or AI engineering?", "up", None),
    ("How much is tuition for the M.S. in AI?", None, None),
    ("what does the masters cost per credit", "down", "incomplete"),
    ("Is there student housing on campus?", None, None),
    ("Do you have dorms for grad students?", None, None),
    ("Can I do the program part-time while working?", "down", "not what I asked"),
    ("Where are most AI jobs located?", None, None),
    ("What certifications should an AI engineer get?", "up", None),
    ("When is the application deadline?", None, None),
]


def console(browser, app_url: str, out: Path, token: str) -> None:  # type: ignore[no-untyped-def]
    """Questions and feedback through the API, then the signed-in console (docs/console.png)."""
    import httpx

    base = app_url.rstrip("/")
    for question, rating, reason in STUDENTS:
        answer = httpx.post(f"{base}/api/chat", json={"message": question}, timeout=60).json()
        if rating:
            body = {"id": answer["id"], "rating": rating, **({"reason": reason} if reason else {})}
            httpx.post(f"{base}/api/feedback", json=body, timeout=30)
    httpx.get(f"{base}/contact", timeout=30)  # a click on "Ask the program office" (mailto: contact)
    page = browser.new_page(viewport={"width": 1280, "height": 1500})
    page.goto(base + "/admin")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.locator("#chart-sources .main-svg").first.wait_for(timeout=30_000)
    page.locator(".gap").first.wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out / "console.png"))
    print(out / "console.png")


def main() -> None:
    from playwright.sync_api import sync_playwright

    args = [a for a in sys.argv[1:] if a != "--console"]
    token = sys.argv[sys.argv.index("--console") + 1] if "--console" in sys.argv else None
    if token:
        args.remove(token)
    url = args[0] if args else "http://127.0.0.1:7860/"
    out = Path(args[1] if len(args) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        if token:
            console(browser, url, out, token)
            browser.close()
            return
        for name, size in (
            ("chat.png", {"width": 1100, "height": 1000}),
            ("chat-phone.png", {"width": 390, "height": 844}),
        ):
            page = browser.new_page(viewport=size)
            conversation(page, url)
            page.screenshot(path=str(out / name))
            print(out / name)
        widget(browser, url, out)
        browser.close()


if __name__ == "__main__":
    main()
