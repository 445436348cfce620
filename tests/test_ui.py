"""The real app on a free loopback port, driven through gradio_client."""

from __future__ import annotations

import os

import pytest
from conftest import free_port, start_app

from advisor.serve.chat_ui import plain_history, render_sources, reply


def final(advisor, message, history=None):
    updates = list(reply(advisor, message, history or []))
    return updates, (updates[-1] if updates else None)


def test_reply_streams_then_settles_with_answer_sources_and_suggestions(advisor):
    updates, last = final(advisor, "Which certifications help an AI engineer?")
    assert len(updates) > 2  # streamed
    answer, sources = last
    assert "IBM AI Engineering Professional Certificate" in answer["content"] and "[1]" in answer["content"]
    assert 1 <= len(answer["options"]) <= 3
    assert sources["metadata"]["title"].startswith("Sources (") and sources["metadata"]["status"] == "done"
    assert (
        "What Is an AI Engineer?" in sources["content"] and "corpus/ml-engineer-vs-ai-engineer.md" in sources["content"]
    )
    for streamed in updates[:-1]:
        assert answer["content"].startswith(streamed[0]["content"].rstrip())


def test_follow_up_uses_the_chat_history(advisor):
    _, first = final(advisor, "What does an AI engineer do?")
    history = [{"role": "user", "content": "What does an AI engineer do?"}, *first]
    _, last = final(advisor, "What certifications should they get?", history)
    assert "IBM AI Engineering Professional Certificate" in last[0]["content"]
    # The sources panel is not part of the conversation.
    assert [(m["role"], m["content"]) for m in plain_history(history)] == [
        (m["role"], m["content"]) for m in history[:2]
    ]


def test_uncovered_question_says_so_and_offers_questions(advisor):
    _, last = final(advisor, "What's the weather in Paris?")
    assert len(last) == 1 and last[0]["content"].startswith("The career guide does not cover that question")
    assert last[0]["content"].count("\n- ") >= 2 and len(last[0]["options"]) >= 2


def test_huge_and_empty_messages(advisor):
    _, last = final(advisor, "why? " * 1000)
    assert "Please ask one question in under 2,000 characters" in last[0]["content"]
    assert final(advisor, "   ")[0] == []


def test_markup_from_students_and_passages_renders_inert(advisor):
    from dataclasses import replace

    answer = advisor.ask("Where are most AI jobs located?")
    evil = replace(
        answer.citations[0].passage,
        text="<img src=x onerror=alert(1)> [click](javascript:alert(1)) [1]: http://evil.example",
    )
    out = render_sources(replace(answer, citations=(replace(answer.citations[0], passage=evil),)))
    assert "<img" not in out and "](javascript" not in out and "[1]:" not in out
    _, last = final(advisor, "<script>alert(1)</script> what do AI engineers earn?")
    assert "<script" not in last[0]["content"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "ADVISOR_DATA": str(tmp_path_factory.mktemp("appdata")), "ADVISOR_PORT": str(port)}
    url = f"http://127.0.0.1:{port}/"
    proc = start_app(env, url, timeout=180)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_app_answers_through_gradio_client(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    answer, sources = client.predict("Where are most AI jobs located?", api_name="/chat")
    assert "Bay Area" in answer["content"] and "[1]" in answer["content"]
    assert sources["metadata"]["title"] == "Sources (1)"
    assert "Career Outlook and Salary Comparison" in sources["content"]
    refused = client.predict("Write me a Python function that sorts a list.", api_name="/chat")
    assert "does not cover" in refused[0]["content"]


def test_a_chat_model_draft_streams_only_checked_sentences_then_the_answer_settles(search):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from advisor.answer.chain import Advisor

    question = "How much do ML and AI engineers earn?"
    hits = Advisor(search).find(question).hits
    n = next(i for i, h in enumerate(hits, 1) if "$140,910" in h.passage.text)
    draft = (
        f"Research scientists and similar roles with a master's degree may earn approximately $140,910 [{n}]. "
        f"Engineers should all move to Antarctica [{n}]. "
        f"A master's degree can support a salary of approximately $140,910 for research scientists [{n}]."
    )
    model = GenericFakeChatModel(messages=iter([AIMessage(content=draft)]))
    updates = list(reply(Advisor(search, chat_model=model), question, []))
    drafts = [u[0]["content"] for u in updates[:-1]]
    assert any("$140,910" in d for d in drafts)  # checked sentences were shown as they came
    assert not any("Antarctica" in d for d in drafts)  # the unsupported one never was
    answer = updates[-1][0]["content"]
    assert "Antarctica" not in answer and "$140,910" in answer
