"""The extractive answerer, the default, which needs no LLM.

It composes an answer from the retrieved passages' own sentences, verbatim, so
it cannot state a fact the guide does not. It scores every sentence of the
retrieved passages against the query (cosine similarity of sentence embeddings,
plus how many of the query's words the sentence shares, plus a little for the
passage's rank), opens with the best one of the ranker's first passage (for a
comparison, a sentence naming every side when one scores near the best), adds the
next best that say something new, makes sure both sides of a comparison are there,
and cites each run of sentences from one passage with one [n].
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, get_type_hints

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answer.expect import (
    COUNT,
    MONEY,
    NAME,
    PERCENT,
    PRICE,
    amount,
    asks_for_names,
    expected,
    names_things,
    provided,
    superlative,
    yes_or_no,
)
from advisor.answer.lexicon import Lexicon, Span, comparison_sides, mentions, topic_words
from advisor.answer.models import shipped
from advisor.ingest.outline import TABLE_CELLS
from advisor.ingest.split import sentence_units
from advisor.text import LIST_MARKER, SENTENCE_END, STOP_STEMS, stem, stems, term_stems, words
from advisor.types import Citation, Hit, Passage, Retrieval, Vector

# Calls to action ("Learn more about ...", "Explore our program") close a page, and cross-links ("Read more: …",
# "See also …") point to other pages; they answer nothing.
CALL_TO_ACTION = re.compile(
    r"^(?:(?:learn more|explore|discover|contact|click|visit|request|apply now|sign up|find out|read more|see also|"
    r"further reading)\b|related(?: reading| articles?| posts?)?\s*:)",
    re.I,
)
# A sentence about the document or the reading of it, not the subject: "This guide explores …",
# "The following table compares …", "The table below shows …", "Let's move forward …", "Okay, let's clear up …".
META = re.compile(
    r"^\W*(?:(?:okay|ok|alright|so|now|next|first|finally),?\s+)?(?:let's|let us|here's|here is|here are|below\b|"
    r"the following\b|(?:this|in this|throughout this)\s+(?:guide|article|page|post|section|chapter|faq|table|list)\b|"
    # a table, a chart or a list pointed at where it stands: "The table below summarizes …" (not "The figures show
    # that pay rose", which says what they show)
    r"(?:the|our)\s+(?:table|chart|graph|figure|diagram|list)s?\s+(?:below|above|that\s+follows)\b)",
    re.I,
)
# A question about the page itself ("what is this guide about?"), which a sentence about it answers; not "can you
# guide me" or "job posts".
ABOUT_PAGE = re.compile(r"\b(?:this|the|that|your)\s+(?:guide|article|page|post|website|document|faq)s?\b", re.I)


@dataclass(frozen=True)
class Composition:
    """How sentences are scored and how many join an answer: the composition's weights, penalties and margins,
    calibrated over the dev questions of every dev corpus by ``python -m tools.calibrate_composition --write``,
    which writes them to ``composition.json`` beside this module (with the figures they reached)."""

    # a sentence's score
    sentence_weight: float  # times the cosine of sentence and query
    passage_weight: float  # times the cosine of the sentence's passage and query
    lexical_weight: float  # times the share of the query's words (weighted by rarity) the sentence contains
    novelty_weight: float  # times the share of the sentence's words that the query does not already say
    rank_weight: float  # taken off per place its passage is below the first in the hybrid order: a tie-breaker
    short_words: int  # a sentence shorter than this ("Learn more about ...") rarely answers anything ...
    short_penalty: float  # ... and loses this
    cta_penalty: float  # a call to action (``CALL_TO_ACTION``)
    meta_penalty: float  # a sentence about the page (``META``)
    both_sides_bonus: float  # a sentence (under its heading) about every side of a comparison question
    expected_bonus: float  # a sentence stating the kind asked for: an amount for "how much", a span for "how long"
    unrelated_penalty: float  # a sentence sharing no content word with the question ("Let's move on.") answers nothing
    # which sentences join the answer
    max_sentences: int  # the answer's length: short enough to read in a chat bubble
    min_sentences: int
    margin: float  # a further sentence must score within this of the best one
    side_margin: float  # ... a sentence giving the other side of a comparison within this (it may be in another guide)
    second_margin: float  # ... and a sentence from a second passage within this
    redundant: float  # a sentence sharing this share of its words with a chosen one says nothing new

    def __post_init__(self) -> None:
        if not 1 <= self.min_sentences <= self.max_sentences:
            raise ValueError(f"an answer of {self.min_sentences} to {self.max_sentences} sentences")

    @classmethod
    def shipped(cls) -> Composition:
        return cls.of(shipped("composition.json")["values"])

    @classmethod
    def of(cls, values: dict[str, float]) -> Composition:
        """From a model file's values (a missing one is an error: the file and the code disagree)."""
        kinds = get_type_hints(cls)
        read: dict[str, Any] = {f.name: kinds[f.name](values[f.name]) for f in fields(cls)}
        return cls(**read)

    def values(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Sentence:
    """A sentence of a retrieved passage and how well it answers the query."""

    text: str
    passage: Passage
    position: int  # index of the sentence within its passage
    score: float
    terms: frozenset[str]  # its content words, stemmed


@dataclass(frozen=True)
class Draft:
    """A composed answer: text with [n] markers and the passages they cite."""

    text: str
    citations: tuple[Citation, ...]


def opened_by(first: Sentence, ranked: list[Sentence]) -> list[Sentence]:
    """``ranked`` with ``first`` moved to the front, the rest in their order."""
    return [first, *(s for s in ranked if s is not first)]


def _row(sentence: str) -> bool:
    """Whether a sentence is a table row or a list item: one of several figures given side by side."""
    return TABLE_CELLS in sentence or bool(LIST_MARKER.match(sentence))


def _sentence_terms(sentence: str) -> frozenset[str]:
    """A sentence's stemmed words; a table row's also count the parts of its hyphenated cells, which set one row
    apart from the next ("Level: Entry-level / associate" answers "entry level", where every row says "Level")."""
    if TABLE_CELLS in sentence:
        return term_stems(sentence)
    return frozenset(stem(w) for w in words(sentence))


class SentenceBank:
    """Passages split into sentences with their vectors: loaded from the store (embedded at ingest), or
    embedded on first sight for a passage the guard changed; bounded."""

    def __init__(self, embeddings: Embeddings, capacity: int = 200_000) -> None:
        self.embeddings = embeddings
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, str], tuple[list[str], Vector]] = OrderedDict()
        self._terms: dict[tuple[str, str], list[frozenset[str]]] = {}  # each sentence's stemmed words
        self._kinds: dict[tuple[str, str], list[frozenset[str]]] = {}  # the kinds of answer each sentence states

    def preload(self, passages: Sequence[Passage], vectors: dict[str, list[list[float]]]) -> None:
        """Take the sentence vectors the store holds for ``passages`` (those that match their sentences)."""
        for p in passages:
            said, _ = sentence_units(p)
            found = vectors.get(p.id)
            if found is not None and len(found) == len(said):
                self._cache[(p.id, p.text)] = (said, np.asarray(found, dtype=np.float32))

    def of(self, passages: Sequence[Passage]) -> dict[str, tuple[list[str], Vector]]:
        missing = [p for p in passages if (p.id, p.text) not in self._cache]
        if missing:
            units = {p.id: sentence_units(p) for p in missing}
            flat = [text for p in missing for text in units[p.id][1]]
            vectors = np.asarray(self.embeddings.embed_documents(flat), dtype=np.float32)
            at = 0
            for p in missing:
                n = len(units[p.id][0])
                self._cache[(p.id, p.text)] = (units[p.id][0], vectors[at : at + n])
                at += n
        out = {}
        for p in passages:
            self._cache.move_to_end((p.id, p.text))
            out[p.id] = self._cache[(p.id, p.text)]
        while len(self._cache) > self.capacity:
            key, _ = self._cache.popitem(last=False)
            self._terms.pop(key, None)
            self._kinds.pop(key, None)
        return out

    def terms(self, passage: Passage) -> list[frozenset[str]]:
        """The stemmed words of each of the passage's sentences (as :meth:`of` splits them), worked out once."""
        return self._each(self._terms, passage, _sentence_terms)

    def kinds(self, passage: Passage) -> list[frozenset[str]]:
        """The kinds of answer (money, a duration, …) each of the passage's sentences states, worked out once."""
        return self._each(self._kinds, passage, lambda sentence: provided(sentence, passage.section))

    def _each(
        self,
        cache: dict[tuple[str, str], list[frozenset[str]]],
        passage: Passage,
        read: Callable[[str], frozenset[str]],
    ) -> list[frozenset[str]]:
        """``read`` of each of the passage's sentences, kept in ``cache`` (emptied with the sentence cache)."""
        key = (passage.id, passage.text)
        found = cache.get(key)
        if found is None:
            found = cache[key] = [read(t) for t in self.of([passage])[passage.id][0]]
        return found


class ExtractiveAnswerer:
    """Compose a cited answer from the retrieved passages' sentences."""

    def __init__(self, bank: SentenceBank, lexicon: Lexicon, composition: Composition | None = None) -> None:
        self.bank = bank
        self.lexicon = lexicon
        self._composition = composition or Composition.shipped()
        # The last scoring and what it was of: the refusal decision and the composition score the same
        # retrieval for the same question, one after the other.
        self._last: tuple[Retrieval, Vector, str | None, tuple[tuple[str, ...], ...], list[Sentence]] | None
        self._last = None

    @property
    def composition(self) -> Composition:
        return self._composition

    @composition.setter
    def composition(self, composition: Composition) -> None:
        """Another composition (the calibration tries many on one answerer): the last scoring is stale."""
        self._composition, self._last = composition, None

    def compose(self, retrieval: Retrieval, query_vector: Vector, question: str | None = None) -> Draft:
        """The answer to ``retrieval.query``; ``question`` is what the student typed, if the query adds to it."""
        sides = comparison_sides(retrieval.query, self.lexicon)
        candidates = self.ordered(retrieval, query_vector, question, sides)
        if not candidates:
            return Draft("", ())
        if len(sides) < 2:  # a comparison's opening names every side (select)
            wanted = opening_kinds(retrieval.query, question)
            candidates = self.stating_first(candidates, wanted)
            candidates = self.extreme_first(candidates, wanted, superlative(question or retrieval.query, wanted))
        per_side = [self.side_sentences(r) for r in retrieval.sides]
        side_stems = {st for side in sides for st in side.stems}
        topic = {stem(w) for w in topic_words(retrieval.query, self.lexicon, sides or None)} - side_stems
        chosen = self.select(candidates, sides, per_side, topic)
        draft = arrange(chosen)
        compares = bool({w.lower() for w in words(retrieval.query)} & COMPARATIVE)
        separate = len({c.passage.source for c in chosen}) > 1  # within one guide, "both roles" may compare them
        if (
            compares
            and separate
            and len(sides) >= 2
            and not any(all(about(c.passage, s) for s in sides) for c in chosen)
        ):
            named = " and ".join(s.text for s in sides)
            draft = replace(draft, text=f"{NOT_COMPARED.format(named)}\n\n{draft.text}")
        return draft

    def ordered(
        self,
        retrieval: Retrieval,
        query_vector: Vector,
        question: str | None = None,
        sides: list[Span] | None = None,
    ) -> list[Sentence]:
        """Every sentence of the retrieved passages, the one the answer opens with first, then the rest best first.

        The answer opens with the best sentence of the ranker's first passage: the calibrated ranker, which
        weighs the whole passage, its headings and how it was found, picks the answering passage more often
        than one sentence's score does (for "can product managers work from home?" a UX-research sentence of a
        lower passage, "Some in-person work remains, …", outscored the first passage's "Product management moved
        online quickly in 2020, …"). The opening is no transition, call to action or
        question the page asks its reader ("Curious what the job actually feels like?"): when the first passage
        has nothing else, the best sentence that may open does. A question about the page itself ("what is this
        guide about?") is answered by what the page says of itself ("This guide explores …").
        Not for a comparison, whose passages are each side's own and whose opening is chosen for naming every
        side (:meth:`select`)."""
        if sides is None:
            sides = comparison_sides(retrieval.query, self.lexicon)
        ranked = self.score(retrieval, query_vector, question, sides)
        if len(sides) >= 2 or not ranked:
            return ranked
        first = retrieval.hits[0].passage.id
        page = bool(ABOUT_PAGE.search(question or retrieval.query))
        may = [s for s in ranked if opens(s.text, page)]
        opening = next((s for s in may if s.passage.id == first), may[0] if may else ranked[0])
        return opened_by(opening, ranked)

    def stating_first(self, ranked: list[Sentence], wanted: frozenset[str]) -> list[Sentence]:
        """``ranked`` (:meth:`ordered`), opened instead by a sentence of the opening's passage that states the kind
        of answer asked for (``wanted``: an amount, a span of time, a rate; a name for "which certification …?")
        when the opening does not and that sentence scores within the margin of it, so would join the answer
        anyway: "The exam fee is $405 …" opens the answer to "how much does the pmp cost", not the sentence before
        it, "The best-known credential is the PMP …". The first sentence answers; the opening it replaces still
        joins the answer when it scores within the margin of the best, as any sentence does (:meth:`select`)."""
        if not wanted or len(ranked) < 2:
            return ranked

        def states(s: Sentence) -> frozenset[str]:
            named = frozenset({NAME}) if NAME in wanted and names_things(s.text) else frozenset()
            return wanted & (self.bank.kinds(s.passage)[s.position] | named)

        opening = ranked[0]
        if states(opening):
            return ranked
        stating = next(
            (
                s
                for s in ranked[1:]
                if s.passage.id == opening.passage.id
                and s.score >= opening.score - self.composition.margin
                and states(s)
                and opens(s.text)
            ),
            None,
        )
        return ranked if stating is None else opened_by(stating, ranked)

    def extreme_first(self, ranked: list[Sentence], wanted: frozenset[str], direction: int) -> list[Sentence]:
        """``ranked``, opened instead by the row (a table row or a list item) of the opening's table or list that
        states the largest figure (``direction`` 1) or the smallest (-1), when the opening is one of its rows: "which
        industry pays operations research ppl the most?" is answered by the row with the highest pay, not by the
        row the words matched best. The figure compared is of the kind asked for (``wanted``: money, a price, a
        rate, a count), else a percentage that every such row states ("which part of the state has the most
        jobs?": its share of the postings)."""
        opening = ranked[0] if ranked else None
        if not direction or opening is None or not _row(opening.text):
            return ranked
        rows = [s for s in ranked if s.passage.id == opening.passage.id and _row(s.text)]
        kinds = [k for k in (PRICE, MONEY, PERCENT, COUNT) if k in wanted] or [PERCENT]
        for kind in kinds:
            figures = [(s, amount(s.text, kind)) for s in rows]
            stated = [(s, f) for s, f in figures if f is not None]
            if len(stated) >= 2 and (wanted or len(stated) == len(rows)):
                best = max(stated, key=lambda sf: direction * sf[1])[0]
                return opened_by(best, ranked)
        return ranked

    def side_sentences(self, side: Retrieval) -> list[Sentence]:
        """A comparison side's sentences, scored against its own query, those of its first passage (the ranker's
        choice for "data engineers pay") first."""
        if side.vector is None or not side.covered or not side.hits:
            return []
        first = side.hits[0].passage.id
        return sorted(self.score(side, np.asarray(side.vector), None, []), key=lambda s: s.passage.id != first)

    def score(
        self,
        retrieval: Retrieval,
        query_vector: Vector,
        question: str | None = None,
        sides: list[Span] | None = None,
    ) -> list[Sentence]:
        """Every sentence of the retrieved passages, best first."""
        hits = list(retrieval.hits)
        if not hits:
            return []
        if sides is None:
            sides = comparison_sides(retrieval.query, self.lexicon)
        asked = tuple(s.stems for s in sides)
        last = self._last
        if (
            last is not None
            and last[0] is retrieval
            and last[2] == question
            and last[3] == asked
            and np.array_equal(last[1], query_vector)
        ):
            return list(last[4])
        out = self._score(retrieval, hits, query_vector, question, sides)
        self._last = (retrieval, np.asarray(query_vector), question, asked, out)
        return list(out)

    def _score(
        self, retrieval: Retrieval, hits: list[Hit], query_vector: Vector, question: str | None, sides: list[Span]
    ) -> list[Sentence]:
        c = self.composition
        split = self.bank.of([h.passage for h in hits])
        # In a follow-up, the student's own words decide; those borrowed from the conversation only steer.
        weight = self.lexicon.weights(retrieval.query, question)
        query_terms = set(weight)
        total = sum(weight.values())
        wanted = expected(retrieval.query) | (expected(question) if question else frozenset())
        out = []
        for rank, hit in enumerate(hits, 1):
            texts, vectors = split[hit.passage.id]
            cosines = vectors @ query_vector
            known = self.bank.terms(hit.passage)
            states = self.bank.kinds(hit.passage) if wanted else []
            for i, text in enumerate(texts):
                if text.rstrip().endswith(":"):
                    continue  # a lead-in ("Recent hosts include:") introduces an answer; it is none
                terms = known[i]
                lexical = sum(weight[t] for t in query_terms & terms) / total if total else 0.0
                content = terms - STOP_STEMS
                novelty = len(content - query_terms) / len(content) if content else 0.0
                score = (
                    c.sentence_weight * float(cosines[i])
                    + c.passage_weight * hit.score
                    + c.lexical_weight * lexical
                    + c.novelty_weight * novelty
                    - c.rank_weight * (rank - 1)
                )
                if len(text.split()) < c.short_words:
                    score -= c.short_penalty
                if wanted and wanted & states[i]:
                    # it states what was asked ("The exam costs $300." for "how much is the aws one"), even in
                    # words of its own: the question's are often in the sentence before
                    score += c.expected_bonus
                elif not lexical:
                    score -= c.unrelated_penalty
                if META.match(text):
                    score -= c.meta_penalty
                if len(sides) >= 2 and all(about(hit.passage, side, text) for side in sides):
                    score += c.both_sides_bonus  # a direct comparison: what the student asked for
                if CALL_TO_ACTION.match(text.strip()):
                    score -= c.cta_penalty
                out.append(Sentence(text, hit.passage, i, score, frozenset(content)))
        out.sort(key=lambda s: -s.score)
        return out

    def select(
        self,
        ranked: list[Sentence],
        sides: list[Span],
        per_side: Sequence[list[Sentence]] = (),
        topic: set[str] | frozenset[str] = frozenset(),
    ) -> list[Sentence]:
        """The opening (``ranked[0]``, :meth:`ordered`), then others that score close to the best and add something
        new. The opening may score below the best (it is the ranker's first passage's best): the others are
        measured against the best sentence all the same, so a lower opening lets no weaker sentence in.

        For a comparison, a sentence about every side (a direct comparison) opens the answer when it
        scores near the best: that is the answer to "what's the difference between X and Y?". Then each
        side's own best sentence (``per_side``: the sentences of that side's retrieval, scored against
        that side's query, "data engineers pay") joins, unless the answer already holds it; then, room
        permitting, each side's best sentence from another of its passages (about it, or in the same guide),
        when that scores within the margin of the side's best.
        """
        rules = self.composition
        if len(sides) >= 2:
            # A sentence naming every side itself ("X …, while Y …") before one that does so only through
            # its heading ("There are some key distinctions." under "X vs. Y").
            said = next((s for s in ranked if all(mentions(stems(s.text), side) for side in sides)), None)
            headed = next((s for s in ranked if all(about(s.passage, side, s.text) for side in sides)), None)
            for direct in (said, headed):
                if direct is not None and direct.score >= ranked[0].score - 2 * rules.margin:
                    ranked = opened_by(direct, ranked)
                    break
        # the bar a further sentence is measured against: the best sentence's score; a comparison's, its opening's
        top = ranked[0].score if len(sides) >= 2 else max(s.score for s in ranked)
        chosen = [ranked[0]]

        def fresh(s: Sentence) -> bool:
            """Whether a sentence adds to the answer: something new, and no transition or call to action."""
            new = all(s.text != c.text and overlap(s.terms, c.terms) < rules.redundant for c in chosen)
            return new and substantive(s.text)

        # Both sides of a comparison: the best sentence about each side the query names (a sentence is
        # about what it says and what its heading says: "This role earns …" under "Data Engineer").
        # An opening that names every side and speaks of what was asked ("growing") is a direct comparison:
        # it already gives both sides.
        opening = stems(chosen[0].text)
        compared = (
            len(sides) >= 2
            and all(mentions(opening, side) for side in sides)
            and (not topic or bool(topic & set(opening)))
        )
        if len(sides) >= 2 and len(per_side) == len(sides) and not compared:
            bests: list[Sentence | None] = []
            for side, own in zip(sides, per_side, strict=True):
                # its best sentence that names it (or its heading does), else its best; never a transition or a
                # call to action ("The following table compares the most common PM titles.")
                plain = [s for s in own if substantive(s.text)]
                best = next((s for s in plain if about(s.passage, side, s.text)), plain[0] if plain else None)
                if best is not None and fresh(best) and not any(same(best, c) for c in chosen):
                    chosen.append(best)
                bests.append(best)
            for side, own, best in zip(sides, per_side, bests, strict=True):
                if best is None or len(chosen) >= rules.max_sentences:
                    continue
                # then, room permitting, its best sentence from another of its passages, about it or in the same
                # guide, when that scores as well: one passage on a side gives its pay, the next the figure asked for
                other = next(
                    (
                        s
                        for s in own
                        if s.passage.id != best.passage.id
                        and (s.passage.source == best.passage.source or about(s.passage, side, s.text))
                    ),
                    None,
                )
                if other is not None and other.score >= best.score - rules.margin and fresh(other):
                    chosen.append(other)
        elif len(sides) >= 2:
            for side in sides:
                if not any(about(c.passage, side, c.text) for c in chosen):
                    best = next((s for s in ranked if about(s.passage, side, s.text) and fresh(s)), None)
                    if best is not None and best.score >= top - rules.side_margin:
                        chosen.append(best)
        for s in ranked[1:]:
            if len(chosen) >= rules.max_sentences:
                break
            if s.score >= top - rules.margin and fresh(s) and s not in chosen:
                chosen.append(s)
        if len({c.passage.id for c in chosen}) == 1 and len(chosen) < rules.max_sentences:
            # A second view: the best sentence of another passage, when it scores near the best.
            other = next((s for s in ranked if s.passage.id != chosen[0].passage.id and fresh(s)), None)
            if other is not None and other.score >= top - rules.second_margin:
                chosen.append(other)
        if len(chosen) < rules.min_sentences:
            # A second sentence for context: the one after the opening in its passage, else the one before.
            first = chosen[0]
            for position in (first.position + 1, first.position - 1):
                extra = next((s for s in ranked if s.passage.id == first.passage.id and s.position == position), None)
                if extra is not None and fresh(extra):
                    chosen.append(extra)
                    break
        return chosen


def opening_kinds(query: str, question: str | None = None) -> frozenset[str]:
    """The kinds of answer the opening sentence should state (:meth:`ExtractiveAnswerer.stating_first`): those the
    standalone ``query`` or the student's ``question`` asks for, else a name for "which cert …?" (not for "what
    is the exam fee?", which asks for a price); none for a yes-or-no question ("does the pmp pay more?" may be
    answered by the share, not the first amount)."""
    if yes_or_no(question or query):
        return frozenset()
    wanted = expected(query) | (expected(question) if question else frozenset())
    if not wanted and (asks_for_names(query) or asks_for_names(question or "")):
        return frozenset({NAME})
    return wanted


NOT_COMPARED = "(The guides do not compare {} directly; this is what they say about each.)"
# Words that ask for a comparison, not just name two things ("cars or robots?").
COMPARATIVE = frozenset(
    "difference differences differ different compare comparison versus vs between than unlike which more less "
    "better worse higher lower easier harder faster".split()
)


def about(passage: Passage, side: Span, sentence: str | None = None) -> bool:
    """Whether a sentence (or, without one, the passage) is about ``side``, under its headings (not the
    document's title: a guide titled "Careers in Data Engineering" is not all about data engineers)."""
    head = passage.section if passage.section != passage.title else ""
    return mentions(stems(f"{head} {sentence if sentence is not None else passage.text}"), side)


def substantive(sentence: str) -> bool:
    """Whether a sentence may join an answer or speak for a side of a comparison: not one about the page
    (``META``: "The following table compares …") or a call to action ("Read more: …"). Those are only marked
    down when sentences are scored, so one may still open an answer when nothing else answers better."""
    return not META.match(sentence) and not CALL_TO_ACTION.match(sentence.strip())


def opens(sentence: str, about_page: bool = False) -> bool:
    """Whether a sentence may open an answer: substantive (or, for a question ``about_page``, one about the page:
    "This guide explores …"; never a call to action), and not a question the page asks its reader (a table row
    whose last header cell asks one, "… · Good first cert?", is a row)."""
    question = sentence.rstrip(" \"')”’").endswith("?") and TABLE_CELLS not in sentence
    return not question and (substantive(sentence) or (about_page and bool(META.match(sentence))))


def same(a: Sentence, b: Sentence) -> bool:
    """Whether two scored sentences are one sentence of one passage."""
    return a.passage.id == b.passage.id and a.position == b.position


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two word sets."""
    return len(a & b) / len(a | b) if a or b else 1.0


def arrange(chosen: list[Sentence]) -> Draft:
    """Order and cite: the opening first, then the others grouped by passage in reading order.

    Consecutive sentences from one passage share one [n] at the end of the run. A list item or a table row
    (a line of the guide with no full stop of its own) stands on a line of its own, its bullet dropped, so that
    it does not run into the sentence after it ("… a clear README Show that you can teach.").
    """
    first, rest = chosen[0], chosen[1:]
    order: list[str] = [first.passage.id]
    for s in rest:
        if s.passage.id not in order:
            order.append(s.passage.id)
    rest.sort(key=lambda s: (order.index(s.passage.id), s.position))
    same = [s for s in rest if s.passage.id == first.passage.id]
    others = [s for s in rest if s.passage.id != first.passage.id]
    sequence = [first, *same, *others]
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    text = ""
    apart = False  # whether the sentence before stands on a line of its own
    for i, s in enumerate(sequence):
        if s.passage.id not in numbers:
            numbers[s.passage.id] = len(numbers) + 1
            citations.append(Citation(numbers[s.passage.id], s.passage))
        line = s.text.strip()
        alone = bool(LIST_MARKER.match(line)) or not SENTENCE_END.search(line)
        part = LIST_MARKER.sub("", line)
        last_of_run = i + 1 == len(sequence) or sequence[i + 1].passage.id != s.passage.id
        if last_of_run:
            part += f" [{numbers[s.passage.id]}]"
        text += ("\n" if apart or alone else " ") + part if text else part
        apart = alone
    return Draft(text, tuple(citations))
