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
    page = page.replace("http://127.0.0.1:7860", f"http://127.0.0.1:{app_port}")
    (pages / "index.html").write_text(page, encoding="utf-8")
    (pages / "other.html").write_text(page.replace("<h1>", "<h1>Admissions: "), encoding="utf-8")  # same site
    (pages / "pale.html").write_text(page.replace('data-accent="#8a1538"', 'data-accent="#f5c542"'), encoding="utf-8")
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
            "pages": f"http://127.0.0.1:{page_port}",
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
    frame.locator(".msg.bot:not(.note)").nth(answers_before + 1).wait_for(timeout=60_000)


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
    assert " while " in first.inner_text()  # a direct comparison: one side set against the other
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
    assert not page.locator("button.launcher").is_visible()  # it would cover the Send button; × closes
    page.locator("button.close").click()
    assert page.locator("button.launcher").is_visible()
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


# --- accessibility (issue 16) ---------------------------------------------------------------

FRAME = "iframe[title='Ask about AI careers']"


def audit(target, exclude: tuple[tuple[str, str], ...] = ()) -> list[str]:
    """axe-core (shipped by axe-playwright-python) on a page or frame: its serious and critical findings.

    ``exclude`` names exact (rule, axe target selector) pairs that are known and out of the app's hands; each use
    says why. No rule is ever turned off as a whole.
    """
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _missing("the accessibility audits need axe-playwright-python (pip install -e '.[dev]')")
    target.evaluate(Axe().axe_script)
    results = target.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in results["violations"]:
        if v.get("impact") not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            where = " ".join(str(t) for t in node["target"])
            if (v["id"], where) in exclude:
                continue
            found.append(f"{v['id']} ({v['impact']}) at {where}: {node.get('failureSummary', '')[:200]}")
    return found


def _frame(page):
    """The widget's iframe as a Playwright Frame (axe runs inside it)."""
    handle = page.locator("advisor-widget").locator(FRAME).element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    return frame


def _focused_in_widget(page) -> str:
    return page.evaluate(
        "() => { const h = document.querySelector('advisor-widget');"
        " const a = h && h.shadowRoot.activeElement;"
        " return a ? a.className || a.tagName : document.activeElement.tagName; }"
    )


def test_axe_finds_nothing_serious_on_the_program_page_and_the_widget(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    page.goto(site["allowed"])
    page.locator("button.launcher").wait_for()
    assert audit(page) == []  # the widget closed
    page.locator("button.launcher").click()
    frame = page.frame_locator(FRAME)
    frame.locator("#log .msg.bot").first.wait_for(timeout=30_000)
    _ask(frame, "What's the difference between an ML engineer and an AI engineer?", 0)
    frame.locator(".msg.bot:not(.note) summary").first.click()  # the sources open
    assert audit(page) == []  # open, after an answer with sources
    assert audit(_frame(page)) == []
    page.close()


def test_axe_finds_nothing_serious_on_the_embed_page(site):
    page = site["browser"].new_page(viewport={"width": 420, "height": 700})
    page.goto(site["app"] + "/embed")
    _ask(page, "Which one pays more, ML or AI engineering?", 0)
    page.locator(".msg.bot:not(.note) summary").first.click()
    assert audit(page) == []
    page.close()


def test_the_widget_works_with_the_keyboard_alone(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    page.goto(site["allowed"])
    page.locator("button.launcher").wait_for()
    for _ in range(10):  # Tab reaches the launcher
        page.keyboard.press("Tab")
        if _focused_in_widget(page) == "launcher":
            break
    assert _focused_in_widget(page) == "launcher"
    assert page.locator("button.launcher").evaluate("b => getComputedStyle(b).outlineStyle") != "none"  # visible
    page.keyboard.press("Enter")  # opens; the focus goes to the question box
    frame = _frame(page)
    frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'q'", timeout=30_000)
    page.keyboard.type("What does an AI engineer do?")
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    page.keyboard.type("And an ML engineer?")
    assert frame.locator("#q").input_value() == "What does an AI engineer do?\nAnd an ML engineer?"
    assert frame.locator(".msg.user").count() == 0
    page.keyboard.press("Enter")  # sends
    frame.locator(".msg.bot:not(.note)").nth(1).wait_for(timeout=30_000)
    frame.wait_for_function("() => document.getElementById('announce').textContent.startsWith('Answer: ')")
    announced = frame.locator("#announce").text_content() or ""
    assert "[1]" in announced and frame.locator("#announce").get_attribute("aria-live") == "polite"
    assert frame.locator("#log").get_attribute("aria-live") is None  # fragments are not read out, the answer is
    page.keyboard.press("Escape")  # closes, the focus back on the launcher
    assert page.locator("button.launcher").get_attribute("aria-expanded") == "false"
    assert _focused_in_widget(page) == "launcher"
    page.close()


def test_the_launcher_counts_unread_answers(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    held: list = []
    page.route("**/api/chat", lambda route: held.append(route))  # the answer waits until the panel is closed
    page.goto(site["allowed"])
    launcher = page.locator("button.launcher")
    launcher.click()
    frame = page.frame_locator(FRAME)
    frame.locator("#q").fill("What does an AI engineer do?")
    frame.locator("#q").press("Enter")
    while not held:
        page.wait_for_timeout(50)
    page.keyboard.press("Escape")
    held[0].continue_()
    page.wait_for_function(
        "() => document.querySelector('advisor-widget').shadowRoot.querySelector('.launcher')"
        ".getAttribute('aria-label').endsWith('(1 unread answer)')",
        timeout=30_000,
    )
    assert page.locator(".badge").inner_text() == "1"
    launcher.click()
    assert launcher.get_attribute("aria-label") == "Close chat: Ask about AI careers"
    page.close()


def test_the_conversation_survives_page_loads_in_the_tab_only(site):
    context = site["browser"].new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(site["allowed"])
    page.locator("button.launcher").click()
    frame = page.frame_locator(FRAME)
    first = "What's the difference between an ML engineer and an AI engineer?"
    _ask(frame, first, 0)
    first_answer = frame.locator(".msg.bot:not(.note)").nth(1).inner_text()
    page.goto(site["pages"] + "/other.html")  # the next page of the same site, same tab
    page.locator("button.launcher").click()
    frame = page.frame_locator(FRAME)
    frame.locator(".msg.user").first.wait_for(timeout=30_000)
    assert frame.locator(".msg.user").first.inner_text() == first
    kept = frame.locator(".msg.bot:not(.note)").nth(1)
    assert kept.inner_text() == first_answer  # the answer, its sources and its feedback buttons (its id)
    assert kept.locator(".source").count() >= 1 and kept.locator(".rate").count() == 1
    _ask(frame, "Which one pays more?", 1)  # understood only with the kept history
    assert "$140,910" in frame.locator(".msg.bot:not(.note)").nth(2).inner_text()

    other_tab = context.new_page()  # sessionStorage is the tab's: a new tab starts afresh
    other_tab.goto(site["allowed"])
    other_tab.locator("button.launcher").click()
    fresh = other_tab.frame_locator(FRAME)
    fresh.locator("#log .msg.bot").first.wait_for(timeout=30_000)
    assert fresh.locator(".msg.user").count() == 0

    frame.locator("#clear").click()  # Clear empties what is kept
    page.reload()
    page.locator("button.launcher").click()
    frame = page.frame_locator(FRAME)
    frame.locator("#log .msg.bot").first.wait_for(timeout=30_000)
    assert frame.locator(".msg.user").count() == 0
    context.close()


def test_a_pale_accent_is_darkened_and_said_so(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(site["pages"] + "/pale.html")
    launcher = page.locator("button.launcher")
    launcher.wait_for()
    assert any("#f5c542" in w and "4.5:1" in w for w in warnings)
    ratio = launcher.evaluate(
        """b => { const c = getComputedStyle(b).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)
           .map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
           return 1.05 / (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] + 0.05); }"""
    )
    assert ratio >= 4.5
    page.close()


def test_on_a_phone_touch_targets_are_44px_and_motion_can_be_reduced(site):
    page = site["browser"].new_page(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    page.goto(site["allowed"])
    page.locator("button.launcher").click()
    frame = page.frame_locator(FRAME)
    _ask(frame, "What does an AI engineer do?", 0)
    targets = frame.locator("button, #contact, select").all() + [page.locator("button.close")]
    for target in targets:
        if target.is_visible():
            box = target.bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44, target.evaluate("e => e.outerHTML")
    assert frame.locator("#send").evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
    page.close()


# Inside Gradio's own Chatbot component, not the app's: its example questions are <button>s directly in a
# <div class="examples" role="list"> (no role="listitem"), which axe reports as aria-required-children (critical).
GRADIO_EXAMPLES_LIST = ("aria-required-children", ".examples")
# Also Gradio's: the header of a collapsible message (our "Sources (n)" panel) is a <div class="title" role="button">
# holding its arrow, an icon <button aria-label="">: button-name (critical) and nested-interactive (serious). The
# header itself is focusable, named by its text ("Sources (n)") and opens with the keyboard.
GRADIO_PANEL_ARROW = ("button-name", 'button[aria-label=""]')
GRADIO_PANEL_TITLE = ("nested-interactive", ".title")
GRADIO = (GRADIO_EXAMPLES_LIST, GRADIO_PANEL_ARROW, GRADIO_PANEL_TITLE)


def test_axe_finds_nothing_serious_on_the_full_chat(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    page.goto(site["app"] + "/")
    box = page.locator("textarea").first
    box.wait_for(timeout=30_000)
    assert audit(page, exclude=GRADIO) == []  # before a question
    box.fill("What's the difference between an ML engineer and an AI engineer?")
    box.press("Enter")
    page.get_by_text("Sources (", exact=False).first.wait_for(timeout=30_000)
    page.get_by_text("Sources (", exact=False).first.click()
    page.wait_for_function("() => !document.querySelector('textarea[disabled]')", timeout=30_000)
    # the unnamed buttons are exactly the panels' arrows
    unnamed = "() => [...document.querySelectorAll('button[aria-label=\"\"]')].every(b => b.closest('.title'))"
    assert page.evaluate(unnamed)
    assert audit(page, exclude=GRADIO) == []  # after an answer: sources, suggestions, feedback
    page.close()


def test_the_full_chat_announces_a_finished_answer_once(site):
    page = site["browser"].new_page(viewport={"width": 1200, "height": 900})
    page.goto(site["app"] + "/")
    box = page.locator("textarea").first
    box.wait_for(timeout=30_000)
    page.locator("#answer-announcer").wait_for(state="attached", timeout=30_000)
    page.evaluate(  # every text the announcer is given
        "() => { window.said = []; const r = document.getElementById('answer-announcer');"
        " new MutationObserver(() => window.said.push(r.textContent)).observe(r, {childList: true, subtree: true,"
        " characterData: true}); }"
    )
    assert page.locator("[role=log]").get_attribute("aria-live") == "off"  # the streamed fragments are not read
    box.fill("What does an AI engineer do?")
    box.press("Enter")
    page.wait_for_function("() => window.said.length > 0", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('textarea').disabled", timeout=30_000)  # done
    said = page.evaluate("window.said")
    assert len(said) == 1 and said[0].startswith("Answer: ") and "[1]" in said[0]
    page.close()


def test_text_at_200_percent_is_not_clipped(site):
    page = site["browser"].new_page(viewport={"width": 380, "height": 560})  # the widget's panel
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # the reader's text size: 200%
    page.goto(site["app"] + "/embed")
    assert page.locator("body").evaluate("b => getComputedStyle(b).fontSize") == "30px"  # 15 px at 100%
    _ask(page, "What does an AI engineer do?", 0)
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('button, textarea, h1, .msg, summary')]
             .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
             .filter(e => getComputedStyle(e).overflowY !== 'auto' && e.tagName !== 'TEXTAREA')
             .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert clipped == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")  # no sideways scrolling
    page.close()
