"""Coverage: does the guide cover this question? One calibrated decision, its features and threshold here.

First the question's words are read against the corpus (:meth:`CoverageCheck.terms`): a misspelt
word is corrected (spelling.py: "salery" → "salary"); a word the corpus never uses may have a
near synonym in it (cosine of word embeddings ≥ ``SYNONYM``: "pays" → "earn"), added to the query
so retrieval finds the passage that uses it (never for a place's name: "london" is near the guides'
"city" in meaning but names a place they never name; GeoNames' places, ``lexicon.place_words``); two
words the corpus writes as one ("ml ops", "data base", "on call") stand for that word; a clipped word
stands for the corpus word it begins when that one is near it in meaning (``CLIPPED``: "pen" testing →
"penetration", "admin" → "administrator"; set over a list of everyday clippings, see tests); the initials
of a name the corpus writes with capitals ("eaa" → "European Accessibility Act") and a blend of two words it
writes together ("infosec" → "information security") stand for them (``Lexicon.shorthand``); the rest,
unless everyday English (wordfreq's Zipf frequency ≥ ``COMMON``) or a word that can describe (an
adjective or an adverb: "is the field *saturated*?", ``lexicon.descriptive``), are *missing*: topics
the guide may not cover ("tuition", "nurse").

Then, with the passages found, :meth:`CoverageCheck.verdict` decides. No single feature refuses
on its own (a typo, a casual word or one unknown word next to a well-matched rest is no reason);
they are weighed together by a logistic model calibrated over the dev questions of every dev
corpus (``python -m tools.calibrate_refusal``, which writes ``calibration.json`` beside this
module, with the data it was fitted on and the figures it reached):

    passage    cosine of the query and the best passage
    sentence   cosine of the query and the best sentence of the top passages (read under its heading)
    lexical    share of the standalone query's content words (not numbers), weighted by rarity in the corpus,
               that the best of the top passages contains
    unanswered the rarity (idf over the passages, scaled to 0–1) of the rarest question word that the
               corpus uses but this best passage leaves out: "housing" in a question about a program
    unfamiliar how far the question's missing words (rare, never used by the corpus, no near synonym
               in it) are from any corpus word: the sum of 1 − the cosine to the nearest one, capped at 2
    related    how near in meaning the closest missing word is to the sentences found (the best cosine of
               its embedding and one of the top passages' sentences; 0 with no missing word). A word the
               guides never use but whose meaning sits next to what they say is a thing in their domain that
               they do not state ("tuition" beside a program page); one unrelated to anything found is a
               casual or framing word ("in plain words", "career wise") when the rest matches well
    unstated   1 when the question asks for a kind of answer (an amount for "how much does the exam cost", a
               span for "how long", a rate for "acceptance rate"; see expect.py) that neither of the two
               sentences the answer opens with (``ExtractiveAnswerer.ordered``; for a comparison, the two best,
               which a direct comparison may precede) states, else 0: the guides speak of
               the thing but do not give what was asked. (Any sentence of the top passages was too loose:
               once the ranker favoured passages stating an amount, a salary figure made "how much is
               tuition?" look answered.) A yes-or-no question ("do interns get paid?") is answered
               without an amount too: 0
    unsaid     the share of the question's content words (weighted by rarity, framing words left out) that
               the answer's opening sentence, read with its title and headings, does not use: the passage
               may name the program, but the sentence that would answer says nothing of its "deadline"

A question that reads as an instruction to the assistant ("ignore your instructions …") is not
a career question and is refused outright, as is one below the relevance floor.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answer.expect import expected, yes_or_no
from advisor.answer.extractive import ExtractiveAnswerer, Sentence, SentenceBank
from advisor.answer.lexicon import FRAME_STEMS, Lexicon, descriptive, place_words
from advisor.answer.models import linear, shipped, weights_of
from advisor.answer.records import Evidence, Standalone, Terms, Understood
from advisor.answer.spelling import Speller, zipf
from advisor.safety.injection import instruction_kind
from advisor.text import STOP, STOP_STEMS, stems, words
from advisor.types import Passage, Retrieval, Vector

SYNONYM = 0.60  # a corpus word at least this similar stands for the question's word
COMMON = 5.5  # Zipf frequency from which a word is everyday English, never a topic of its own
CLIPPED = 0.45  # a corpus word a clipped word begins stands for it from this similarity ("pen" → "penetration")
MIN_CLIPPED = 3  # letters a clipped word has at least
NAMES = 3.0  # Zipf frequency under which two words near in meaning are two names, not synonyms (_siblings)
JOINED = 3.5  # Zipf frequency under which a word may be a corpus word typed without its hyphen (unjoined)
MAX_VOCABULARY = 20_000  # the corpus words compared, most widely used first
TOP = 3  # the passages the sentence and lexical features look at
ANSWER = 2  # the answer's opening sentences the unstated feature reads
MAX_UNFAMILIAR = 2.0
FEATURES = ("passage", "sentence", "lexical", "unanswered", "unfamiliar", "related", "unstated", "unsaid")


_JOINS = re.compile(r"[-‐–'’.]")
_POSSESSIVE = re.compile(r"['’]s?$")
_BREAK = re.compile(r"[,;:!?()\[\]]|\.(?:\s|$)|\s[-–—]\s")  # punctuation between two words: "data, base"


def _siblings(word: str, near: str) -> bool:
    """Whether two words near in meaning are two names of the same kind rather than one thing: neither is an
    everyday word (both under ``NAMES`` on wordfreq's Zipf scale: certifications, products, programs), so the
    corpus's "ccsp" does not stand for the question's "cissp", nor "az-900" for "az-104"."""
    base = _POSSESSIVE.sub("", near)  # "developer's" is as everyday as "developer"
    return max(zipf(word), zipf(base)) < NAMES and _JOINS.sub("", word) != _JOINS.sub("", near)


@dataclass(frozen=True)
class Verdict:
    """Whether the guide covers a question, and why."""

    covered: bool
    score: float  # the model's probability that the question is answerable from the guides
    features: dict[str, float]
    reason: str = ""  # "instruction", "off_topic" (below the floor) or "weak_evidence" when not covered


@dataclass(frozen=True)
class Calibration:
    """The logistic model's weights and threshold, as ``tools/calibrate_refusal.py`` wrote them."""

    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def shipped(cls) -> Calibration:
        data = shipped("calibration.json")
        return cls(weights_of(data, FEATURES), float(data["bias"]), float(data["threshold"]))

    def score(self, features: dict[str, float]) -> float:
        """The model's probability that the guides cover the question."""
        return 1.0 / (1.0 + math.exp(-linear(self.weights, self.bias, features)))


class CoverageCheck:
    """Reads a question's words against the corpus, and decides whether the guide covers it."""

    def __init__(
        self,
        embeddings: Embeddings,
        lexicon: Lexicon,
        bank: SentenceBank,
        calibration: Calibration | None = None,
        answerer: ExtractiveAnswerer | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.lexicon = lexicon
        self.bank = bank
        self.calibration = calibration or Calibration.shipped()
        self.speller = Speller(lexicon.surface)
        self.answerer = answerer or ExtractiveAnswerer(bank, lexicon)  # the chain's: its last scoring is reused
        self._vocabulary: list[str] | None = None
        self._matrix: Vector | None = None
        self._cache: dict[str, tuple[str, float]] = {}
        self._passage_stems: dict[tuple[str, str], frozenset[str]] = {}  # worked out once per passage
        self._sorted: list[int] | None = None  # the vocabulary's indices in alphabetical order (for prefixes)
        self._sorted_words: list[str] = []
        self._word_vectors: dict[str, Vector] = {}
        self._joined: dict[str, str] | None = None  # the vocabulary without hyphens, dots, apostrophes → its words

    # ---------------------------------------------------------------- the question's words

    def understand(self, standalone: Standalone) -> Understood:
        """The chain's step: the standalone query and what the guide makes of its words."""
        return Understood(standalone.turn, standalone.query, self.terms(standalone.query))

    def terms(self, query: str) -> Terms:
        places = place_words(query)  # a place's name is no misspelling ("oman" is not "woman")
        # nor is a word the corpus writes with a hyphen, typed without it ("ediscovery" is "e-discovery", not
        # "discovery"): it is read as that word below
        joined = self.unjoined([w.lower() for w in words(query)])
        corrected, corrections = self.speller.fix(query, keep=places | set(joined))
        unknown = self.lexicon.unknown_words(corrected)
        apart = self.apart(corrected)
        named = self.lexicon.alias_of(corrected)  # "solutions engineers" → the guide's "sales engineer"
        if not unknown and not apart:
            return Terms(f"{corrected} ({', '.join(named)})" if named else corrected, {}, (), corrections)
        # nor near any corpus word in meaning ("toronto" is not the guides' "city"), nor the start of one
        # ("japan" is not "japanese"); only the same name written apart or joined stands for it
        by_meaning = {w: ("", 0.0) if w in places else found for w, found in self.nearest(unknown).items()}
        clipped = {w: found for w, found in self.unclipped(unknown).items() if w not in places}
        nearest = {**by_meaning, **clipped, **{w: joined[w] for w in unknown if w in joined}}
        synonyms = {w: near for w, (near, sim) in nearest.items() if sim >= SYNONYM and not _siblings(w, near)}
        synonyms.update({w: joined for w, joined in apart.items() if w in unknown})
        for w in unknown:  # initials of a name the guides write, or a blend of two words they write together
            long = None if w in places or w in synonyms else self.lexicon.shorthand(w)
            if long:
                synonyms[w] = long
        missing = tuple(w for w in unknown if w not in synonyms and zipf(w) < COMMON and not descriptive(w))
        unfamiliar = {w: nearest[w][1] for w in unknown if zipf(w) < COMMON}
        said = dict.fromkeys([*synonyms.values(), *apart.values(), *named])
        expanded = f"{corrected} ({', '.join(said)})" if said else corrected
        return Terms(expanded, synonyms, missing, corrections, unfamiliar)

    def apart(self, text: str) -> dict[str, str]:
        """Corpus words the question types as two ("ml ops" → "mlops", "data base" → "database", "on call" →
        "on-call"): each of the two words → the corpus word. Not across punctuation ("data, base"); with a
        function word only a word the corpus hyphenates ("on call", but not "a pm" as "apm" or "what s" as
        "what's"); not into a word that can describe ("everyday")."""
        joined_words = self.joined_words()
        out: dict[str, str] = {}
        for clause in _BREAK.split(text):
            typed = [w.lower() for w in words(clause)]
            for first, second in zip(typed, typed[1:], strict=False):
                joined = joined_words.get(first + second)
                if not joined or not (first.isalnum() and second.isalnum()):
                    continue
                if (first in STOP or second in STOP) and "-" not in joined:
                    continue
                if not descriptive(joined):
                    out.setdefault(first, joined)
                    out.setdefault(second, joined)
        return out

    def joined_words(self) -> dict[str, str]:
        """The corpus vocabulary's words without their hyphens, dots and apostrophes → the words ("fulltime" →
        "full-time"); worked out from the corpus's words alone, once."""
        if self._joined is None:
            self._joined = {}
            for w in self._words():
                self._joined.setdefault(_JOINS.sub("", w), w)
        return self._joined

    def _words(self) -> list[str]:
        """The corpus words compared with a question's words: the most widely used first."""
        return [w for w, _ in self.lexicon.surface.most_common(MAX_VOCABULARY) if len(w) > 2]

    def nearest(self, terms: list[str]) -> dict[str, tuple[str, float]]:
        """For each word, the corpus word most similar in meaning and that similarity."""
        new = [t for t in terms if t not in self._cache]
        if new:
            vocabulary, matrix = self._corpus_vectors()
            if not vocabulary:
                return {t: ("", 0.0) for t in terms}
            vectors = self._word_vectors_of(new)
            sims = vectors @ matrix.T
            for t, row in zip(new, sims, strict=True):
                j = int(np.argmax(row))
                self._cache[t] = (vocabulary[j], float(row[j]))
            if len(self._cache) > 100_000:
                self._cache.clear()
        return {t: self._cache[t] for t in terms}

    def unclipped(self, terms: list[str]) -> dict[str, tuple[str, float]]:
        """Clipped words the corpus writes in full ("pen" testing → "penetration", "admin" → "administrator"):
        for each word, the corpus word it begins that is most similar in meaning, when at least ``CLIPPED``
        similar. It stands for the word as a synonym does (its similarity reported as at least ``SYNONYM``)."""
        vocabulary, matrix = self._corpus_vectors()
        if self._sorted is None:
            self._sorted = sorted(range(len(vocabulary)), key=vocabulary.__getitem__)
            self._sorted_words = [vocabulary[j] for j in self._sorted]
        out: dict[str, tuple[str, float]] = {}
        for t in terms:
            if len(t) < MIN_CLIPPED or not t.isalpha():
                continue
            start = bisect.bisect_left(self._sorted_words, t)
            end = bisect.bisect_left(self._sorted_words, t + "\uffff")
            longer = [self._sorted[i] for i in range(start, end) if len(self._sorted_words[i]) >= len(t) + 2]
            if not longer:
                continue
            sims = matrix[longer] @ self._word_vectors_of([t])[0]
            best = int(np.argmax(sims))
            if sims[best] >= CLIPPED:
                out[t] = (vocabulary[longer[best]], max(float(sims[best]), SYNONYM))
        return out

    def unjoined(self, terms: list[str]) -> dict[str, tuple[str, float]]:
        """Words the corpus writes with a hyphen or apart ("az104" → "az-104", "fulltime" → "full-time"): the
        same word, similarity 1."""
        joined = self.joined_words()
        return {  # not a real word that a contraction happens to spell: "shell" is not "she'll"
            t: (joined[t], 1.0) for t in terms if joined.get(t, t) != t and zipf(t) < JOINED
        }

    def _word_vectors_of(self, words: list[str]) -> Vector:
        """The question words' embeddings, one row each: a word is embedded once, for both of its uses
        (its nearest corpus word, and the corpus words it may be clipped from)."""
        if len(self._word_vectors) > 100_000:
            self._word_vectors.clear()
        new = [w for w in dict.fromkeys(words) if w not in self._word_vectors]
        if new:
            vectors = np.asarray(self.embeddings.embed_documents(new), dtype=np.float32)
            self._word_vectors.update(zip(new, vectors, strict=True))
        return np.stack([self._word_vectors[w] for w in words])

    def _stems_of(self, passage: Passage) -> frozenset[str]:
        key = (passage.id, passage.text)
        found = self._passage_stems.get(key)
        if found is None:
            if len(self._passage_stems) > 200_000:
                self._passage_stems.clear()
            found = self._passage_stems[key] = frozenset(stems(passage.keyword_text))
        return found

    def prepare(self, previous: CoverageCheck | None = None) -> None:
        """Embed the corpus vocabulary now rather than at the first question that needs it (seconds on a
        large corpus; the words ``previous``, the check over an earlier index, embedded are reused), and read
        its hyphen-less forms, the English lexicon and the place names."""
        known: dict[str, Vector] = {}
        if previous is not None and previous._vocabulary is not None and previous._matrix is not None:
            known = dict(zip(previous._vocabulary, previous._matrix, strict=True))
        self._corpus_vectors(known)
        self.joined_words()
        descriptive("")  # lemminflect reads its lexicon at its first use
        place_words("")  # and the place names theirs

    def _corpus_vectors(self, known: dict[str, Vector] | None = None) -> tuple[list[str], Vector]:
        if self._vocabulary is None or self._matrix is None:
            vocabulary = self._words()
            known = dict(known or {})
            new = [w for w in vocabulary if w not in known]
            if new:
                known.update(zip(new, np.asarray(self.embeddings.embed_documents(new), dtype=np.float32), strict=True))
            self._matrix = (
                np.stack([known[w] for w in vocabulary]).astype(np.float32)
                if vocabulary
                else np.zeros((0, 1), dtype=np.float32)
            )
            self._vocabulary = vocabulary
        return self._vocabulary, self._matrix

    # ---------------------------------------------------------------- the decision

    def features(self, understood: Understood, retrieval: Retrieval) -> dict[str, float]:
        """The decision's inputs (see the module docstring); the same at calibration and at run time."""
        hits = retrieval.hits[:TOP]
        sentence = related = unstated = 0.0
        missing = understood.terms.missing
        wanted = expected(understood.terms.query)
        answer: list[Sentence] = []  # the sentences the answer would open with, its opening first
        if hits and retrieval.vector is not None:
            answer = self.answerer.ordered(retrieval, np.asarray(retrieval.vector), understood.focus)[:ANSWER]
            vectors = [v for _, v in self.bank.of([h.passage for h in hits]).values() if len(v)]
            query = np.asarray(retrieval.vector, dtype=np.float32)
            sentence = max(float(np.max(v @ query)) for v in vectors)
            if missing:
                said = np.concatenate(vectors)
                related = float(np.max(self._word_vectors_of(list(missing)) @ said.T))
        if wanted and answer and not yes_or_no(understood.focus):
            unstated = 0.0 if any(wanted & self.bank.kinds(s.passage)[s.position] for s in answer) else 1.0
        own = {s for s in stems(self.lexicon.expand(understood.terms.query)) if s not in STOP_STEMS and s[0].isalpha()}
        weight = {s: self.lexicon.idf(s) for s in own}
        total = sum(weight.values())
        lexical, found = 0.0, set()
        for h in hits:  # the top passage that holds the most of the question
            here = own & self._stems_of(h.passage)
            share = sum(weight[s] for s in here) / total if total else 0.0
            if share > lexical:
                lexical, found = share, here
        left = [s for s in own - found if s in self.lexicon.vocabulary]  # words the corpus uses elsewhere
        top = self.lexicon.idf("") or 1.0  # the rarity of a word no passage uses
        unsaid = 0.0
        if answer and total:  # what the answer would open with: its opening sentence, read with its headings
            best = answer[0]
            opening = set(stems(f"{best.passage.title} {best.passage.section} {best.text}"))
            asked = {s for s in own if s not in FRAME_STEMS}
            unsaid = sum(weight[s] for s in asked - opening) / total
        return {
            "passage": retrieval.best_score,
            "sentence": sentence,
            "lexical": lexical,
            "unanswered": max((weight[s] / top for s in left), default=0.0),
            "unfamiliar": min(sum(1.0 - understood.terms.unfamiliar.get(w, 0.0) for w in missing), MAX_UNFAMILIAR),
            "related": related,
            "unstated": unstated,
            "unsaid": unsaid,
        }

    def verdict(self, evidence: Evidence) -> Verdict:
        """Whether the guides cover the question (one calibrated decision)."""
        understood, retrieval = evidence.understood, evidence.retrieval
        features = self.features(understood, retrieval)
        if instruction_kind(understood.turn.question):
            return Verdict(False, 0.0, features, "instruction")
        if not retrieval.covered or retrieval.vector is None:
            return Verdict(False, 0.0, features, "off_topic")
        score = self.calibration.score(features)
        covered = score >= self.calibration.threshold
        return Verdict(covered, score, features, "" if covered else "weak_evidence")
