"""The real app on a free loopback port, driven through gradio_client."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT, free_port

from advisor.ui import format_result, reply_for


def test_reply_quotes_the_passage_and_its_section(search):
    reply = reply_for(search, "Which certifications help an AI engineer?")
    assert "IBM AI Engineering Professional Certificate" in reply
    assert "What Is an AI Engineer?" in reply and "Source: corpus/ml-engineer-vs-ai-engineer.md" in reply


def test_uncovered_question_says_so_and_offers_questions(search):
    reply = reply_for(search, "What's the weather in Paris?")
    assert reply.startswith("The career guide does not cover that question")
    assert reply.count("\n- ") >= 2


def test_huge_message_gets_a_friendly_note(search):
    assert "Please ask in under 2,000 characters" in reply_for(search, "why? " * 1000)


def test_markup_in_passages_renders_inert(search):
    from dataclasses import replace

    result = search.search("salary")
    evil = replace(result.hits[0].passage, text="<img src=x onerror=alert(1)> [click](javascript:alert(1))")
    hits = (replace(result.hits[0], passage=evil),) + result.hits[1:]
    out = format_result(replace(result, hits=hits))
    assert "<img" not in out and "](javascript" not in out


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "ADVISOR_DATA": str(tmp_path_factory.mktemp("appdata")), "ADVISOR_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}/"
    import httpx

    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("app did not start: " + (proc.stdout.read() if proc.stdout else ""))
        time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_app_answers_through_gradio_client(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    reply = client.predict("Where are most AI jobs located?", api_name="/chat")
    assert "Bay Area" in reply and "Career Outlook and Salary Comparison" in reply
