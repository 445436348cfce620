"""The widget in a real browser: Debian's Chromium driven by Playwright (no browser download).

The app runs as `python app.py` on a free port with ADVISOR_ALLOWED_ORIGINS naming one
other loopback origin. The example program page is served from that origin (allowed) and
from a third one (not allowed). The corpus carries a planted passage full of markup.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, free_port, start_app

PLANTED = (
    "Planted note\n\n"
    "The zebra quartz note says <svg onload=alert(1)> and <b onmouseover=alert(2)>bold</b> "
    "about machine learning engineers. The zebra quartz note adds <img src=x onerror=alert(3)>, "
    "<script>alert(4)</script> and [click](javascript:alert(5)).\n"
)
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script> what do AI engineers earn?"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _missing(reason: str) -> None:
    """Skip on a developer's machine; fail under CI, where .ci/run installs everything the tests need."""
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail(reason)
    pytest.skip(reason)


def _need_browser() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("browser tests need the playwright package (pip install -e '.[dev]')")
    path = _chromium()
    if not path:
        _missing("browser tests need Chromium: apt-get install chromium (CI installs it)")
    assert path is not None
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _static_server(directory: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    chromium = _need_browser()
    tmp = tmp_path_factory.mktemp("site")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "planted.txt").write_text(PLANTED, encoding="utf-8")
    app_port, page_port, other_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "ADVISOR_CORPUS": str(corpus),
        "ADVISOR_DATA": str(tmp / "data"),
        "ADVISOR_PORT": str(app_port),
        "ADVISOR_ALLOWED_ORIGINS": f"http://127.0.0.1:{page_port}",
    }
    pages = tmp / "pages"
    pages.mkdir()
    page = (ROOT / "examples" / "program-page.html").read_text(encoding="utf-8")
    (pages / "index.html").write_text(
        page.replace("http://127.0.0.1:7860", f"http://127.0.0.1:{app_port}"), encoding="utf-8"
    )
    servers = [_static_server(pages, page_port), _static_server(pages, other_port)]
    proc = start_app(env, f"http://127.0.0.1:{app_port}/healthz")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield {
            "browser": browser,
            "app": f"http://127.0.0.1:{app_port}",
            "allowed": f"http://127.0.0.1:{page_port}/index.html",
            "other": f"http://127.0.0.1:{other_port}/index.html",
        }
        browser.close()
    for s in servers:
        s.shutdown()
    proc.terminate()
    proc.wait(timeout=30)


def _page(site, url, dialogs):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    return page


def _ask(frame, question: str, answers_before: int) -> None:
    box = frame.locator("#q")
    box.fill(question)
    box.press("Enter")
    frame.locator(".msg.bot:not(.note)").nth(answers_before + 1).wait_for(timeout=30_000)


def test_widget_answers_with_sources_and_follows_up(site):
    dialogs: list[str] = []
    page = _page(site, site["allowed"], dialogs)
    launcher = page.locator("button.launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.locator("[role=dialog]").get_attribute("aria-label") == "Ask about AI careers"
    frame = page.frame_locator("iframe[title='Ask about AI careers']")
    frame.locator("#log .msg.bot").first.wait_for(timeout=30_000)  # the greeting
    _ask(frame, "What's the difference between an ML engineer and an AI engineer?", 0)
    first = frame.locator(".msg.bot:not(.note)").nth(1)
    assert " while " in first.inner_text()
    first.locator("summary").click()
    source = first.locator(".source").first.inner_text()
    assert "corpus/ml-engineer-vs-ai-engineer.md" in source and " while " in source  # the passage it quotes
    _ask(frame, "Which one pays more?", 1)  # only makes sense after the first answer
    second = frame.locator(".msg.bot:not(.note)").nth(2)
    assert "$140,910" in second.inner_text()
    assert "Career Outlook and Salary Comparison" in second.locator("details").text_content()
    page.keyboard.press("Escape")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert dialogs == []
    # The host page's aggressive CSS (hot pink buttons) does not reach the launcher.
    colour = launcher.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(138, 21, 56)"  # data-accent="#8a1538"
    launcher.click()
    assert page.locator(".bar").evaluate("e => getComputedStyle(e).letterSpacing") == "normal"  # page: div {2px}
    page.close()


def test_widget_fills_a_phone_screen(site):
    page = site["browser"].new_page(viewport={"width": 390, "height": 844})
    page.goto(site["allowed"])
    page.locator("button.launcher").click()
    box = page.locator("[role=dialog]").bounding_box()
    assert box is not None and box["width"] == 390 and box["height"] == 844
    page.close()


def test_a_site_not_allowed_cannot_show_the_chat_or_call_the_api(site):
    dialogs: list[str] = []
    page = _page(site, site["other"], dialogs)
    page.locator("button.launcher").click()
    page.wait_for_timeout(2000)
    frames = [f for f in page.frames if f != page.main_frame]
    assert frames, "the widget added its frame"
    for f in frames:  # blocked by frame-ancestors: an error page, not the chat
        assert f.locator("#q").count() == 0
    outcome = page.evaluate(
        """url => fetch(url + '/api/chat', {method: 'POST', headers: {'content-type': 'application/json'},
                  body: JSON.stringify({message: 'What is an AI engineer?'})}).then(() => 'read', e => 'blocked')""",
        site["app"],
    )
    assert outcome == "blocked"
    page.close()


def test_markup_typed_or_planted_renders_inert(site):
    dialogs: list[str] = []
    page = _page(site, site["allowed"], dialogs)
    page.locator("button.launcher").click()
    frame = page.frame_locator("iframe[title='Ask about AI careers']")
    frame.locator("#log .msg.bot").first.wait_for(timeout=30_000)
    scripts = frame.locator("script").count()
    _ask(frame, XSS, 0)
    assert frame.locator(".msg.user").first.inner_text() == XSS  # shown as text
    _ask(frame, "What does the zebra quartz note say?", 1)
    planted = frame.locator(".msg.bot:not(.note)").nth(2)
    planted.locator("summary").click()
    assert "<svg onload=alert(1)>" in planted.inner_text()  # shown as text
    assert "onerror" not in planted.inner_text()  # the sentence with links and images was left out (guard.py)
    assert frame.locator("img").count() == 0 and frame.locator("a").count() == 0 and frame.locator("svg").count() == 0
    assert frame.locator("script").count() == scripts
    page.wait_for_timeout(500)
    assert dialogs == []
    page.close()


def test_the_full_chat_renders_planted_markup_inert(site):
    dialogs: list[str] = []
    page = _page(site, site["app"] + "/", dialogs)
    box = page.locator("textarea").first
    box.wait_for(timeout=30_000)
    box.fill("What does the zebra quartz note say?")
    box.press("Enter")
    page.get_by_text("Sources (", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("Sources (", exact=False).first.click()
    page.wait_for_timeout(500)
    assert "<svg onload=alert(1)>" in page.locator("[data-testid=bot]").first.inner_text()
    assert page.locator("[data-testid=bot] svg[onload]").count() == 0
    assert page.locator("[data-testid=bot] img[src=x]").count() == 0
    assert page.locator("[data-testid=bot] a[href^=javascript]").count() == 0
    assert dialogs == []
    page.close()
