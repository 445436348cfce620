"""Reading a student's words: misspellings corrected by the commonest slips of typing, and words the corpus
does not use matched to its words only when they mean the same thing, and a word that only describes told
from a topic, and a place's name told from other words (no model: wordfreq, rapidfuzz, lemminflect and
GeoNames' place names)."""

from __future__ import annotations

import pytest

from advisor.answer.coverage import _siblings
from advisor.answer.lexicon import descriptive, place_words
from advisor.answer.spelling import Speller, is_slip

CORPUS = {"career": 12, "salary": 9, "research": 7, "hold": 5, "actual": 3, "dbt": 4, "york": 2, "wait": 2}
CORPUS["certifications"] = 6


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("shold", "should"),  # a dropped letter, not a changed one ("hold" is in the corpus)
        ("actualy", "actually"),  # not "actual", the corpus word one letter shorter
        ("wat", "what"),  # a chat spelling that is itself in the English word list; not the corpus's "wait"
        ("salery", "salary"),
        ("reserch", "research"),
        ("worht", "worth"),  # two letters swapped count once
        ("certs", "certifications"),  # clipped: the corpus word it begins
        ("carrer", "career"),  # the corpus's word, not the slip "carrier"
    ],
)
def test_a_misspelling_is_corrected_to_the_word_meant(typed, meant):
    assert Speller(CORPUS).correction(typed) == meant


@pytest.mark.parametrize("typed", ["dba", "devs", "yolk", "coders", "ramen"])
def test_a_real_word_or_an_acronym_is_not_changed_into_another(typed):
    # "dba" is not the corpus's "dbt", "yolk" not "york": changing a letter of a short or real word makes another
    assert Speller(CORPUS).correction(typed) is None


def test_a_dictionary_form_is_no_misspelling_and_stands_for_its_lemma_where_the_corpus_uses_that():
    speller = Speller({**CORPUS, "learners": 3, "pay": 8, "played": 1, "classes": 4})
    assert speller.correction("earners") is None  # a real word, though a dropped letter of the corpus's "learners"
    assert speller.correction("payed") == "pay"  # a form of "pay", not the slip "played"
    assert speller.correction("class") is None  # an everyday word, not a clipped "clas" of "classes"
    assert speller.correction("certs") == "certifications"  # a rare clipped plural still is


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("programing", "programming"),  # lemminflect lists these misspellings: a form of the same word still
        ("refered", "referred"),
        ("occured", "occurred"),
        ("developement", "development"),
        ("programer", "programmer"),  # a rare base form, to a far commoner word
        ("salaried", None),  # a word of its own, though "salary" is the corpus's
        ("counselling", None),
    ],
)
def test_a_dictionary_misspelling_is_still_corrected_to_a_form_of_its_word(typed, meant):
    corpus = {**CORPUS, "programming": 4, "programmer": 2, "program": 6, "development": 5, "referred": 1}
    speller = Speller({**corpus, "occurred": 1, "salary": 9, "counsel": 1})
    assert speller.correction(typed) == meant


def test_a_slip_keeps_every_typed_letter_in_order():
    assert is_slip("shold", "should") and is_slip("worht", "worth") and is_slip("wat", "what")
    assert not is_slip("shold", "hold") and not is_slip("dba", "dbt") and not is_slip("worth", "worth")


def test_two_names_near_in_meaning_are_siblings_not_synonyms():
    assert _siblings("cissp", "ccsp")  # two certifications
    assert _siblings("az104", "az-900")
    assert not _siblings("az104", "az-104")  # the same name, written apart
    assert not _siblings("devs", "developer's")  # a possessive is as everyday as its word
    assert not _siblings("pays", "earn") and not _siblings("dba", "database")


@pytest.mark.parametrize("word", ["saturated", "dying", "coastal", "plain", "remotely", "stressful"])
def test_a_word_that_only_describes_is_framing_not_a_topic(word):
    assert descriptive(word)


@pytest.mark.parametrize(
    "word",
    ["tuition", "visa", "nurse", "scholarships", "words", "netflix", "phd", "banking", "enroll"],
)
def test_a_thing_or_a_name_is_a_topic(word):
    # "visa", "nurse" and "words" are also verbs, "banking" only a verb's form in the lexicon
    assert not descriptive(word)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("gis analyst salary in toronto", {"toronto"}),
        ("do devs in san francisco earn more than in germany?", {"san", "francisco", "germany"}),
        ("what do qa testers make in texas or london", {"texas", "london"}),
        # cities that are English words, a student's shorthand, and "new" or "san" on their own are no places
        ("a mobile app developer reading about nice jobs in a lab, im new here", set()),
        ("how much does san earn", set()),
        # a country is a place even when it spells an English word; accents and possessives do not hide one
        ("salary in china or turkey", {"china", "turkey"}),
        ("london's data scene, toronto-based jobs or sao paulo", {"london's", "toronto-based", "sao", "paulo"}),
    ],
)
def test_a_place_is_named_by_its_words(text, places):
    assert place_words(text) == places


def test_a_place_is_never_corrected_into_another_word():
    speller = Speller(CORPUS)
    question = "what do researchers earn in oman"
    assert speller.fix(question)[0] != question  # "oman" reads as a slip for "woman"
    assert speller.fix(question, keep=place_words(question)) == (question, {})
