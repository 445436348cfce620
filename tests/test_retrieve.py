"""Hybrid retrieval over the real corpus, measured on the repository's evaluation file."""

from __future__ import annotations

import pytest
from conftest import EVAL

from advisor.answer.lexicon import Abbreviations, find_abbreviations
from advisor.answer.retrieve import KeywordIndex
from advisor.errors import InputError
from advisor.quality.evaluate import evaluate_retrieval, load_questions
from advisor.text import clean_query


@pytest.fixture(scope="module")
def report(search):
    return evaluate_retrieval(search.search, load_questions(EVAL))


def test_evaluation_file_is_big_enough_and_labels_exist(search):
    items = load_questions(EVAL)
    answerable = [i for i in items if i.get("passage")]
    assert len([i for i in answerable if not i.get("history")]) >= 40
    assert len([i for i in answerable if i.get("history")]) >= 10
    assert len([i for i in items if i.get("kind") == "out_of_scope"]) >= 10
    texts = [p.text for p in search.passages]
    for item in answerable:
        for label in [item["passage"]] if isinstance(item["passage"], str) else item["passage"]:
            assert sum(label in t for t in texts) == 1, item["id"]  # each label names one passage


def test_answering_passage_is_in_the_top_three(report):
    # Issue target: top-3 for at least 98% of questions.
    assert report.summary["hit_at_3"] >= 0.98, report.summary


def test_hybrid_order_puts_the_answering_passage_first_mostly(report):
    # The hybrid order alone measures 80%; the chain's calibrated ranker lifts it past 90% (below).
    assert report.summary["hit_at_1"] >= 0.78, report.summary


def test_reranked_order_puts_the_answering_passage_first(advisor):
    # Issue target: the answering passage first for at least 90% of questions, top 3 for at least 98%.
    rerank = evaluate_retrieval(advisor.find, load_questions(EVAL))
    assert rerank.summary["hit_at_1"] >= 0.90, rerank.summary
    assert rerank.summary["hit_at_3"] >= 0.98, rerank.summary


def test_off_topic_questions_fall_below_the_relevance_floor(report):
    # The floor turns away what is far off topic; questions next to the guide's topic
    # ("tuition", marked near_topic) pass it and are refused by the chain's unknown-topic check (test_chain).
    far = [
        r for r in report.results if r.get("kind") == "out_of_scope" and not r.get("near_topic") and not r.get("attack")
    ]
    assert len(far) >= 10 and all(not r["covered"] for r in far), [r["id"] for r in far if r["covered"]]
    assert report.summary["answerable_not_covered"] <= 0.03, report.summary


def test_exact_terms_are_found_by_keywords(search):
    for query, needle in [("CAIE", "Certified AI Engineer"), ("$140,910", "$140,910"), ("San Jose", "San Jose")]:
        hit = search.search(query).hits[0]
        assert needle in hit.passage.text
        assert hit.keyword_rank == 1


def test_hits_are_typed_and_scored(search):
    result = search.search("What skills does a machine learning engineer need?", k=3)
    assert len(result.hits) == 3 and result.covered
    assert all(-1.0 <= h.score <= 1.0 for h in result.hits)
    assert result.hits[0].fused >= result.hits[1].fused >= result.hits[2].fused


def test_questions_are_cleaned_and_limited():
    assert clean_query("  what\u200b do\n they   earn?\x00 ") == "what do they earn?"
    with pytest.raises(InputError, match="empty"):
        clean_query(" \u200b\n ")
    with pytest.raises(InputError, match="2,000"):
        clean_query("why " * 1000)


def test_abbreviations_from_the_corpus_and_its_recurring_phrases():
    table = find_abbreviations(["the U.S. Bureau of Labor Statistics (BLS) and large language models (LLMs)"])
    assert table == {"BLS": "Bureau of Labor Statistics", "LLM": "large language models"}
    text = "machine learning engineers use natural language processing (NLP) daily for machine learning"
    pay = "Median salary: $90,000. Median salary: $120,000. Median salary: $150,000."
    usable = Abbreviations.of_corpus([text, "machine learning pays well", pay], ["Machine Learning Careers", "Pay"])
    assert usable.table["ML"] == "machine learning" and "NLP" not in usable.table  # the corpus says NLP itself
    assert usable.gloss("Do ML engineers earn more?") == "Do ML (machine learning) engineers earn more?"
    # a recurring phrase that no heading names has no initials: "MS" is a degree, not a pay table's column
    assert "MS" not in usable.table and usable.gloss("Do I need an MS?") == "Do I need an MS?"


def test_a_defined_abbreviation_typed_in_lowercase_is_glossed():
    corpus = [
        "A product manager (PM) decides what to build. Most PM roles ask for experience.",
        "It pays well, and an IT (information technology) team helps.",
    ]
    abbreviations = Abbreviations.of_corpus(corpus)
    assert abbreviations.gloss("pm or software engineer, which pays more") == (
        "PM (product manager) or software engineer, which pays more"
    )
    assert abbreviations.gloss("PM pay") == "PM pay"  # as the corpus writes it: matched as is
    assert abbreviations.gloss("what do pms make") == "what do pms (product manager) make"  # its plural too
    assert abbreviations.gloss("is it worth it") == "is it worth it"  # a stop word is never an abbreviation
    written = Abbreviations.of_corpus([*corpus, "The pm shift starts at noon."])
    assert written.gloss("pm shift") == "pm shift"  # the corpus itself writes "pm"


def test_a_topics_initials_typed_in_lowercase_are_spelled_out():
    corpus = [
        "Machine learning engineers train models. Machine learning pays well.",
        "Most machine learning teams hire from computer science. The median starting salary was $90,000.",
        "Our median starting offers rose. The median starting point is a degree.",
    ]
    headings = ["Machine Learning Engineer Careers", "Pay", "Education"]
    abbreviations = Abbreviations.of_corpus(corpus, headings)
    # a topic the headings name: the student's lowercase initials read as the guide's words
    assert abbreviations.gloss("ml engineer salary") == "ML (machine learning) engineer salary"
    assert abbreviations.spell_out("do ml engineers need a phd") == "do machine learning engineers need a phd"
    assert abbreviations.spell_out("what is ml.") == "what is machine learning."  # a full stop after it
    # a phrase no heading names is no topic, and without headings nothing is read
    computer = [*corpus, "Computer science helps. Computer science grads apply. Most study computer science."]
    assert Abbreviations.of_corpus(computer, headings).gloss("cs degree") == "cs degree"
    assert Abbreviations.of_corpus(computer, [*headings, "Computer Science"]).gloss("cs degree") == (
        "CS (computer science) degree"
    )
    assert Abbreviations.of_corpus(corpus).gloss("ml engineer salary") == "ml engineer salary"
    # letters the corpus itself writes in lowercase ("5 ml") are its word, not the initials
    assert Abbreviations.of_corpus([*corpus, "Add 5 ml of water."], headings).gloss("ml salary") == "ml salary"
    # everyday letters stay as typed even when a heading names a phrase they spell: "re" (Zipf 5.2), a greeting
    estate = ["Real estate pays. Real estate analysts work. Real estate grows."]
    assert Abbreviations.of_corpus(estate, ["Real Estate"]).gloss("re: my question") == "re: my question"
    # the start of a phrase the corpus abbreviates has no initials of its own: "sr" is a student's "senior"
    sre = ["Site reliability engineering (SRE) pays. Site reliability engineering grows. Site reliability work."]
    assert Abbreviations.of_corpus(sre, ["Site Reliability Engineering"]).gloss("sr sre pay") == (
        "sr SRE (Site reliability engineering) pay"
    )
    informatics = ["Health informatics grows. Health informatics pays."] * 2
    greeting = Abbreviations.of_corpus(informatics, ["Health Informatics"])
    assert greeting.gloss("hi, what does it pay") == "hi, what does it pay"


def test_queries_searched_together_match_those_searched_alone(search):
    queries = ["machine learning engineer salary", "AI engineer skills"]
    together = search.search_all(queries, 4)
    for query, found in zip(queries, together, strict=True):
        alone = search.search(query, 4)
        assert [h.passage.id for h in found.hits] == [h.passage.id for h in alone.hits]
        assert found.covered == alone.covered


def test_the_ranker_is_calibrated_and_orders_by_its_score(search):
    from advisor.answer.chain import Advisor
    from advisor.answer.ranking import FEATURES, RankCalibration

    shipped = RankCalibration.shipped()
    assert set(shipped.weights) == set(FEATURES) and shipped.pool >= 1
    advisor = Advisor(search)
    found = search.search("How much do machine learning engineers earn?", 8)
    scores = {h.passage.id: shipped.score(f) for h, f in zip(found.hits, advisor.ranker.features(found), strict=True)}
    ranked = [h.passage.id for h in advisor.ranker.rerank(found).hits]  # features are measured in the search's order
    assert ranked == sorted(scores, key=lambda pid: -scores[pid]) and len(ranked) == len(found.hits)


def test_a_candidate_leads_where_it_measures_highest_in_its_pool():
    from advisor.answer.ranking import GRADED, LEADS, MEASURES, with_leads

    rows = [dict.fromkeys(MEASURES, 0.0) for _ in range(3)]
    rows[0]["heading"], rows[1]["heading"] = 0.5, 0.5  # a tie: both lead
    rows[2]["lexical"], rows[1]["lexical"] = 0.9, 0.4
    rows[0]["opening"] = 1.0  # yes/no measures have no lead feature
    led = with_leads(rows)
    assert [r["lead_heading"] for r in led] == [1.0, 1.0, 0.0]
    assert [r["lead_lexical"] for r in led] == [0.0, 0.0, 1.0]
    assert "lead_opening" not in led[0] and set(LEADS) == {f"lead_{m}" for m in GRADED}
    # a lead is relative to the pool: alone, the second candidate leads on its lexical share too
    assert with_leads(rows[1:2])[0]["lead_lexical"] == 1.0
    assert all(r[k] == rows[i][k] for i, r in enumerate(led) for k in MEASURES)  # measurements untouched


def test_keyword_index_ignores_unknown_words():
    index = KeywordIndex(["machine learning engineers", "AI engineers build chatbots"])
    assert index.search("zzz qqq", 5) == []
    assert index.search("chatbots", 5)[0][0] == 1


def test_a_corpus_above_the_exact_limit_is_searched_by_chromas_index(store, monkeypatch):
    from advisor.answer import retrieve

    exact = retrieve.HybridSearch(store)
    monkeypatch.setattr(retrieve, "EXACT_MAX", 0)
    indexed = retrieve.HybridSearch(store)
    assert exact._matrix is not None and indexed._matrix is None
    for query in ["machine learning engineer salary", "What does an AI engineer do?", "deployment and MLOps"]:
        a, b = exact.search(query, 5), indexed.search(query, 5)
        assert [h.passage.id for h in a.hits] == [h.passage.id for h in b.hits]
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-4)


def test_the_keyword_index_reads_a_query_as_its_tokenizer_does(search):
    # the query is tokenized by hand (the library's call rebuilds its vocabulary's reverse map every time)
    index = search.keywords
    for query in [
        "How much do data engineers make?",
        "what's an ML engineer's day like in the Bay Area",
        "CAIE, $140,910 — M.S. in AI (2024's figures)",
        "!!!",
    ]:
        library = index._tokenizer.tokenize([query], return_as="string", update_vocab=False, show_progress=False)[0]
        known = index._bm25.vocab_dict
        assert [t for t in index.tokens(query) if t in known] == [t for t in library if t and t in known]


@pytest.mark.parametrize("texts", [[], ["the and of it"]])
def test_a_keyword_index_over_nothing_searchable_finds_nothing(texts):
    assert KeywordIndex(texts).search("data engineers", 3) == []
