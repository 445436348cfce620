"""The answering chain on the real corpus, model and Chroma: citations, refusals, follow-ups."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, EVAL

from advisor.answer.condense import condense
from advisor.answer.extractive import CALL_TO_ACTION, META
from advisor.answer.lexicon import Lexicon
from advisor.config import Settings
from advisor.errors import InputError
from advisor.ingest.parse import read_corpus
from advisor.ingest.split import passages_of
from advisor.quality.evaluate import answer_rank, evaluate_answers, load_questions
from advisor.text import sentences


@pytest.fixture(scope="module")
def report(advisor):
    return evaluate_answers(advisor, load_questions(EVAL))


@pytest.fixture(scope="module")
def corpus_texts() -> set[str]:
    settings = Settings(corpus=CORPUS)
    return {p.text for _, ps in passages_of(read_corpus(settings), settings) for p in ps}


def labelled(report, follow_up: bool):
    return [r for r in report.results if r.get("passage") and bool(r.get("history")) == follow_up]


def test_every_answerable_question_cites_its_answering_passage(report):
    missed = [
        r["id"]
        for r in labelled(report, False)
        if answer_rank([c["text"] for c in r["citations"]], r["passage"]) is None
    ]
    assert missed == []


def test_follow_ups_cite_the_answering_passage(report):
    rows = labelled(report, True)
    assert len(rows) >= 10
    hits = [answer_rank([c["text"] for c in r["citations"]], r["passage"]) is not None for r in rows]
    assert sum(hits) / len(hits) >= 0.85, report.summary


def test_refusal_targets(report):
    # Issue targets: at least 90% of out-of-scope questions refused, at most 3% of answerable ones.
    assert report.summary["refused_out_of_scope"] >= 0.90, report.summary
    assert report.summary["refused_answerable"] <= 0.03, report.summary


def test_citations_and_sentences_are_verbatim_corpus_text(report, corpus_texts):
    for r in report.results:
        if r["refused"]:
            assert r["citations"] == []
            continue
        cited = {c["n"]: c["text"] for c in r["citations"]}
        assert all(text in corpus_texts for text in cited.values()), r["id"]
        assert sorted(cited) == list(range(1, len(cited) + 1))
        # Each run of sentences before a [n] is made of whole sentences of passage n, verbatim.
        for run, n in re.findall(r"(.+?)\s*\[(\d+)\]", r["answer"]):
            assert int(n) in cited, (r["id"], n)
            rest = run
            for sentence in sorted(sentences(cited[int(n)]), key=len, reverse=True):
                rest = rest.replace(sentence.strip(), "")
            assert rest.strip() == "", (r["id"], run)


def test_answers_read_like_answers(report):
    for r in report.results:
        if r["refused"]:
            continue
        sentences = re.findall(
            r"[^.?!]+[.?!]", re.sub(r"\[\d+\]", "", r["answer"]).replace("U.S.", "US").replace("M.S.", "MS")
        )
        assert 1 <= len(sentences) <= 6, (r["id"], r["answer"])  # the splitter here is cruder than pysbd
        # a lone sentence is a whole one, not a fragment; no transition or call to action joins an answer
        assert len(sentences) >= 2 or len(sentences[0].split()) >= 12, (r["id"], r["answer"])
        assert not any(META.match(s.strip()) or CALL_TO_ACTION.match(s.strip()) for s in sentences[1:]), r["id"]
        assert len(set(sentences)) == len(sentences), r["id"]
        assert re.search(r"\[\d+\]$", r["answer"]), r["id"]


def test_comparison_answer_covers_both_sides(advisor):
    answer = advisor.ask("What's the difference between an ML engineer and an AI engineer?")
    assert not answer.refused
    assert "machine learning engineers" in answer.text.lower() and "AI engineers" in answer.text
    assert " while " in answer.text  # one side set against the other


def test_the_answer_is_composed_by_the_composition_it_is_given(search, advisor):
    # the composition (composition.json, calibrated by tools.calibrate_composition) decides how many sentences
    # join: an answerer told to use one sentence answers with one sentence of one passage
    from dataclasses import replace

    from advisor.answer.chain import Advisor
    from advisor.answer.extractive import Composition
    from advisor.text import LIST_MARKER

    short = Advisor(search)
    short.answerer.composition = replace(Composition.shipped(), max_sentences=1, min_sentences=1)
    question = "What skills does an AI engineer need?"
    one, usual = short.ask(question), advisor.ask(question)
    assert not one.refused and not usual.refused and len(one.citations) == 1
    passage = one.citations[0].passage
    sentences = [LIST_MARKER.sub("", t.strip()) for t in short.answerer.bank.of([passage])[passage.id][0]]
    assert one.text.removesuffix(" [1]") in sentences
    assert len(one.text) < len(usual.text)
    with pytest.raises(ValueError):
        replace(Composition.shipped(), max_sentences=2, min_sentences=3)


def test_refusal_is_plain_and_offers_questions(advisor):
    answer = advisor.ask("How much is tuition for the M.S. in AI program?")
    assert answer.refused and answer.citations == ()
    assert "does not mention “tuition”" in answer.text
    assert 2 <= len(answer.suggestions) <= 3
    assert all(f"- {q}" in answer.text for q in answer.suggestions)
    weather = advisor.ask("What's the weather like in Paris today?")
    assert weather.refused and "does not cover that question" in weather.text


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hi", "greeting"),
        ("Hello there!", "greeting"),
        ("good morning :)", "greeting"),
        ("thank you so much!", "thanks"),
        ("ok thanks, that helps", "thanks"),
        ("bye", "farewell"),
        ("ok", "acknowledgement"),
        ("what can you do?", "about"),
        ("hi! who are you", "about"),
        ("help", "about"),
        ("Can I talk to a real person?", "person"),
        ("ok thanks, bye!", "thanks"),
        ("ｈｉ", "greeting"),
    ],
)
def test_small_talk_is_answered_in_kind_without_a_search(advisor, message, kind):
    # before, "hi" was answered with the passage nearest to it and "thanks" with a sentence saying "thanks to"
    answer = advisor.ask(message)
    assert answer.small_talk == kind and answer.refused and answer.citations == () and answer.retrieval is None
    assert "[1]" not in answer.text and "does not cover" not in answer.text
    if kind in ("greeting", "about"):
        assert "career guides" in answer.text and len(answer.suggestions) == 3
        assert all(f"- {q}" in answer.text for q in answer.suggestions)
        assert answer.suggestions == advisor.generate.refusals.examples(3)  # as the chat page offers them
    assert answer.contract()["refused"] is True and answer.contract()["retrieved"] == []


@pytest.mark.parametrize(
    "question",
    ["hi, what does an AI engineer do?", "thanks! and what do machine learning engineers earn?", "help me pick a role"],
)
def test_a_greeting_or_thanks_before_a_question_is_a_question(advisor, question):
    assert advisor.ask(question).small_talk == ""


def test_small_talk_that_could_be_a_question_is_one(advisor):
    # how to reach an office is a question a program page may answer; after an answer, "how does this work?"
    # asks about what it said
    assert advisor.ask("how do I contact admissions?").small_talk == ""
    assert advisor.ask("how does this work?").small_talk == "about"
    history = [
        {"role": "user", "content": "What does the M.S. in AI program teach?"},
        {"role": "assistant", "content": "The program covers machine learning and deep learning. [1]"},
    ]
    assert advisor.ask("how does this work?", history).small_talk == ""
    assert advisor.ask("thanks!", history).small_talk == "thanks"


def test_answer_contract_has_exactly_the_design_keys(advisor):
    out = advisor.ask("Where are most AI jobs located?").contract()
    assert list(out) == ["id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"]
    assert set(out["citations"][0]) == {"n", "source", "section", "text"}
    assert set(out["retrieved"][0]) == {"source", "section", "text", "score"}
    assert out["refused"] is False and out["latency_ms"] > 0


def test_suggestions_follow_an_answer(advisor):
    answer = advisor.ask("Where are most AI jobs located?")
    assert 1 <= len(answer.suggestions) <= 3
    cited_sections = {c.passage.section for c in answer.citations}
    assert not any(s in q for q in answer.suggestions for s in cited_sections)


def test_the_chain_is_a_langchain_runnable(advisor):
    from langchain_core.runnables import Runnable

    assert isinstance(advisor.chain, Runnable)
    answer = advisor.chain.invoke({"question": "What skills does a machine learning engineer need?", "history": []})
    assert "data preparation" in answer.text


def test_bad_questions_and_history(advisor):
    with pytest.raises(InputError, match="empty"):
        advisor.ask("   \u200b ")
    with pytest.raises(InputError, match="2,000"):
        advisor.ask("why " * 1000)
    odd = [
        None,
        3,
        {"role": "system", "content": "x"},
        {"role": "user"},
        {"role": "user", "content": "What is an AI engineer?"},
    ]
    answer = advisor.ask("What certifications should they get?", odd)  # malformed entries are ignored
    assert "IBM AI Engineering Professional Certificate" in answer.text


def test_follow_up_condensing():
    texts = [
        "Machine learning engineers and AI engineers. Machine learning engineers build models.",
        "AI engineers build products. AI engineers use tools. Machine learning engineers train models.",
        "AI engineers earn a salary; machine learning engineers earn one too.",
    ]
    lexicon = Lexicon(texts, {"ML": "machine learning"})
    history = [{"role": "user", "content": "What's the difference between an ML engineer and an AI engineer?"}]
    assert condense("Which one pays more?", history, lexicon) == (
        "Which one pays more? (machine learning engineer and AI engineer)"
    )
    assert condense("What does an AI engineer earn?", history, lexicon) == "What does an AI engineer earn?"
    earlier = [{"role": "user", "content": "What do machine learning engineers build?"}]
    assert condense("What about AI engineers?", earlier, lexicon) == "What do AI engineers build?"
    assert condense("How is that different for AI engineers?", earlier, lexicon) == (
        "What do machine learning engineers and AI engineers build?"
    )
    assert (
        condense("What else do they do?", earlier, lexicon)
        == "What else do they do? (machine learning engineers and build)"
    )
    assert condense("What do they earn?", [], lexicon) == "What do they earn?"
    # "they" before the question's own subject: still the earlier people, asked about something they need
    asked = condense("Do they need AI engineers for that?", earlier, lexicon)
    assert asked.startswith("Do they need AI engineers for that? (machine learning engineers")


def test_a_follow_up_pointing_back_keeps_the_earlier_subject_though_it_names_a_thing():
    texts = [
        "Machine learning engineers and AI engineers. Machine learning engineers build models.",
        "AI engineers build products. AI engineers use tools. Machine learning engineers train models.",
        "Job postings ask for a GPA of 3.0. Job postings list the CAIE. Job postings vary by city.",
    ]
    lexicon = Lexicon(texts)
    earlier = [{"role": "user", "content": "What do machine learning engineers build?"}]
    # "they" are still the engineers: a GPA (singular, not whom "they" stand for) is what they are asked about
    assert condense("What GPA do they want?", earlier, lexicon).startswith(
        "What GPA do they want? (machine learning engineers"
    )
    # ... but one asking something of its own subject is about it, also in the singular
    asked = "What about an AI engineer, what do they earn?"
    assert condense(asked, earlier, lexicon) == asked
    # an "it" that stands for nothing does not point back
    assert condense("Is it hard to become an AI engineer?", earlier, lexicon) == "Is it hard to become an AI engineer?"
    # "it" is the certification asked about before, not a thing to ask the earlier question about
    cert = [{"role": "user", "content": "What is the CAIE?"}]
    assert condense("How often do job postings ask for it?", cert, lexicon) == (
        "How often do job postings ask for it? (CAIE)"
    )
    # with nothing pointing back, a new subject is still asked the earlier question
    assert condense("What about AI engineers?", earlier, lexicon) == "What do AI engineers build?"


def test_a_model_rewrite_is_trusted_only_when_faithful(advisor):
    from advisor.answer.condense import faithful

    lexicon = advisor.lexicon
    history = [{"role": "user", "content": "What's the difference between an ML engineer and an AI engineer?"}]
    q = "Which one pays more?"
    ruled = condense(q, history, lexicon)
    assert faithful("Which pays more, machine learning engineers or AI engineers?", ruled, q, history, lexicon)
    assert faithful("Do machine learning engineers or AI engineers earn more?", ruled, q, history, lexicon)
    assert not faithful("Which pays more?", ruled, q, history, lexicon)  # lost the subjects
    new_question = "Do machine learning engineers and AI engineers need visas to study in Antarctica?"
    assert not faithful(new_question, ruled, q, history, lexicon)  # a new question, not a rewrite


def test_adversarial_questions_are_handled(report):
    # Injection, prompt-leak and role-play questions are refused; false premises are answered
    # from the right passage without repeating the premise.
    assert report.summary["adversarial"] >= 8
    assert report.summary["adversarial_handled"] == 1.0, [r["id"] for r in report.results if r.get("attack")]
