"""The office's side in a real browser: feedback in the Gradio chat and the widget, then the console.

A real `python app.py` on a free loopback port (SQLite log in a temp dir, an admin token, a contact),
driven by Debian's Chromium through Playwright.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS
from test_browser import GRADIO, _need_browser, audit

from advisor.config import Settings
from tools.serving import served_app

TOKEN = "console-token-42"
CONTACT = "https://example.edu/advising"
MARKUP = "<img src=x onerror=alert(1)><script>alert(2)</script> how much is the tuition fee?"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    chromium = _need_browser()
    settings = Settings(corpus=CORPUS, data=tmp_path_factory.mktemp("console"))
    with served_app(settings, ADVISOR_ADMIN_TOKEN=TOKEN, ADVISOR_CONTACT=CONTACT) as (url, _):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            yield {"url": url, "browser": browser}
            browser.close()


def _export(url: str) -> list[dict]:
    r = httpx.get(f"{url}/api/admin/export", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 200
    return [json.loads(line) for line in r.text.splitlines()]


def _rated(url: str, comments: int) -> dict[str, dict]:
    """The export by question, once ``comments`` answers carry a comment (the log is written in the
    background, and a thumbs-down's comment arrives after the thumbs-down itself)."""
    deadline = time.monotonic() + 30
    while True:
        rows = {r["question"]: r for r in _export(url)}
        if sum(bool(r["comment"]) for r in rows.values()) >= comments or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def _page(office, dialogs):
    page = office["browser"].new_page(viewport={"width": 1200, "height": 1000}, accept_downloads=True)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page


def _chat(page, question: str, bots: int) -> None:
    box = page.locator("textarea").first
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"bot\"]').length >= n", arg=bots, timeout=30_000
    )
    page.wait_for_timeout(1500)  # the answer is typed out


def test_thumbs_reasons_and_comments_in_the_chat_and_the_widget(office):
    dialogs: list[str] = []
    page = _page(office, dialogs)
    page.goto(office["url"] + "/")
    page.locator("textarea").first.wait_for(timeout=30_000)
    link = page.get_by_role("link", name="Ask the program office")
    assert link.is_visible() and link.get_attribute("href") == "/contact"
    assert page.get_by_text("kept for 90 days", exact=False).first.is_visible()
    _chat(page, "What does an AI engineer do?", 2)
    page.get_by_role("button", name="Like").last.click()
    _chat(page, "Is there student housing on campus?", 3)
    refusal = page.locator("[data-testid=bot]").get_by_text("Ask the program office: https://example.edu/advising")
    assert refusal.count() == 1  # in the chat (the announcer, for screen readers, says it once more)
    page.get_by_role("button", name="Feedback").last.click()
    page.get_by_role("button", name="Not what I asked").click()
    comment = page.locator("#feedback-comment textarea")
    comment.wait_for(timeout=10_000)
    assert audit(page, exclude=GRADIO) == []  # the thumbs, the reasons' menu, the comment box, the contact link
    comment.fill("I meant dorms; write to me at kim@example.org")
    page.locator("#feedback-send").click()
    page.locator("#feedback-comment").wait_for(state="hidden", timeout=10_000)

    widget = _page(office, dialogs)
    widget.goto(office["url"] + "/embed")
    assert widget.locator("#contact").is_visible()
    assert "kept for 90 days" in widget.locator(".privacy").inner_text()
    widget.locator("#q").fill("Can I study part-time?")
    widget.locator("#q").press("Enter")
    widget.locator(".rate").first.wait_for(timeout=30_000)
    widget.get_by_role("button", name="Not helpful").click()
    widget.locator(".why select").select_option("incomplete")
    widget.locator(".why textarea").fill("Please add part-time options, +1 202 555 0143")
    widget.locator(".why button").click()
    widget.get_by_text("the program office will read it").wait_for(timeout=10_000)
    assert audit(widget) == []  # the widget's feedback controls and its "Ask a person" link

    rows = _rated(office["url"], 2)
    assert rows["What does an AI engineer do?"]["rating"] == "up"
    housing = rows["Is there student housing on campus?"]
    assert (housing["rating"], housing["reason"]) == ("down", "not what I asked")
    assert housing["comment"] == "I meant dorms; write to me at [email]"
    part_time = rows["Can I study part-time?"]
    assert (part_time["rating"], part_time["reason"]) == ("down", "incomplete")
    assert part_time["comment"] == "Please add part-time options, [phone]"
    assert dialogs == []


def test_the_console_signs_in_draws_charts_groups_gaps_and_exports(office):
    url = office["url"]
    for question in (MARKUP, "What does the tuition cost?", "Where are most AI jobs located?"):
        assert httpx.post(f"{url}/api/chat", json={"message": question}, timeout=60).status_code == 200
    httpx.get(f"{url}/contact", follow_redirects=False)
    deadline = time.monotonic() + 30  # the log is written in the background
    while MARKUP not in {r["question"] for r in _export(url)} and time.monotonic() < deadline:
        time.sleep(0.2)
    dialogs: list[str] = []
    page = _page(office, dialogs)
    page.goto(url + "/admin")
    assert audit(page) == []  # the sign-in page
    page.fill("#token", "not the token")
    page.click("button[type=submit]")
    page.locator("#login-error").wait_for(state="visible")
    assert "not right" in page.locator("#login-error").inner_text()
    page.fill("#token", TOKEN)
    page.click("button[type=submit]")
    for chart in ("#chart-days", "#chart-feedback", "#chart-sources"):
        page.locator(f"{chart} .main-svg").first.wait_for(timeout=30_000)
    assert page.locator("#chart-days .bars path").count() >= 1  # bars drawn
    assert int(page.locator("[data-total=questions] b").inner_text()) >= 6
    assert int(page.locator("[data-total=contact_clicks] b").inner_text()) >= 1

    tuition = page.locator(".gap", has_text="tuition")
    tuition.first.wait_for(timeout=30_000)
    assert tuition.count() == 1  # both tuition questions in one group
    text = tuition.inner_text()
    assert "<img src=x onerror=alert(1)><script>alert(2)</script>" in text and "2 refused" in text
    assert page.locator("img[src=x]").count() == 0 and page.locator(".gap script").count() == 0
    assert page.locator("#recent td.question", has_text="<script>alert(2)</script>").count() == 1
    assert audit(page) == []  # the console: charts, gap inbox, recent conversations

    with page.expect_download() as download:
        page.click("#export-csv")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("id,time,question,answer,refused,sources") and "how much is the tuition fee?" in exported

    tuition.get_by_role("button", name="Out of scope").click()
    tuition.wait_for(state="detached", timeout=10_000)
    page.reload()
    page.locator("#chart-days .main-svg").first.wait_for(timeout=30_000)
    assert page.locator(".gap", has_text="tuition").count() == 0
    assert dialogs == []
