"""Spelling: a student's misspelt word corrected to the corpus's word (or an everyday English one).

Only words that are neither in the corpus nor established English are touched (wordfreq's Zipf
frequency below ``RARE``: "salery" 0.0, "reserch" 1.2, "wat" 3.4; "nurse" 4.4 and "tuition" 4.0
are real words and stay, so a question about them is still about them). The correction is the
closest word by optimal string alignment distance (a transposition counts once: "worht" →
"worth"), at most ``max_edits`` away, from the corpus and everyday English together. Among the
equally close, a word that is a *slip* of it (every typed letter kept, in order, with letters
dropped or two swapped: "shold" of "should") and one of the corpus's own words each count, and
then the commoner wins: "shold" → "should", not the corpus's "hold"; "actualy" → "actually", not
"actual"; "carrer" → the corpus's "career", not "carrier". An English word the corpus does not use
must be fairly common (``FAMILIAR``). A word that is itself English ("wat", "yolk", "coders") or
short ("dba", "devs") is only corrected by a slip: changing one of its letters makes another real
word or acronym too often ("yolk" → "york", "dba" → "dbt"); a misspelling common enough to be in
the English list ("definately") is left as typed. A word lemminflect's English lexicon knows is corrected only
to a form of the same word ("programing" → "programming"; a base form also to a far commoner word,
"programer" → "programmer"), never to another word a letter away ("earners" is not the corpus's
"learners"); an inflection the corpus does not use stands for its lemma where the corpus uses that ("payed"
→ "pay", not the slip "played"). Acronyms typed in capitals ("GRE") and words with digits
are left alone. rapidfuzz does the matching.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from advisor.text import STOP, stem

RARE = 3.5  # Zipf frequency below which an unknown word may be a misspelling (or a clipped word)
MIN_CLIPPED = 4  # letters a clipped word keeps ("cert" of "certification")
COMMON_WORDS = 2_000  # the everyday words chat spellings ("ppl", "pls") stand for: the commonest only
ENGLISH_WORDS = 50_000  # the everyday English vocabulary a word may be corrected to (wordfreq's top list)
SHORT = 4  # letters up to which a word is only corrected by a slip ("dba" is not "dbt"; "wat" is "what")
CANDIDATES = 5  # the closest words taken from each vocabulary
FAR_COMMONER = 2.0  # Zipf points a correction of a rare dictionary word's base form must be commoner by
FAMILIAR = 3.0  # Zipf frequency an English word the corpus does not use needs to be a correction ("devel" 2.7 is not)
_TOKEN = re.compile(r"[A-Za-z][a-z’']*")


@lru_cache(maxsize=8192)
def zipf(word: str) -> float:
    """How common a word is in English (wordfreq's Zipf scale: 0 unknown … 7 "the")."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=1)
def _english() -> tuple[str, ...]:
    from wordfreq import top_n_list

    return tuple(w for w in top_n_list("en", ENGLISH_WORDS) if w.isalpha() and len(w) > 1)


@lru_cache(maxsize=1)
def _english_set() -> frozenset[str]:
    return frozenset(_english())


@lru_cache(maxsize=16384)
def readings(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """lemminflect's English lexicon on ``word``: each part of speech it knows the word as, with the lemmas it is
    a form of (none for a misspelling, a name or chat spelling: "payed" → VERB pay, "wat" → none)."""
    from lemminflect import getAllLemmas

    return tuple(sorted(getAllLemmas(word).items()))


def _lemmas(word: str) -> frozenset[str]:
    """The lemmas ``word`` is a form of ("payed" → pay, "earners" → earner)."""
    return frozenset(lemma for _, forms in readings(word) for lemma in forms)


def _kindred(typed: str, lemmas: frozenset[str], candidate: str) -> bool:
    """Whether a dictionary word ``typed`` (its ``lemmas``) may be corrected to ``candidate``: a form of the same
    word ("programing" → "programming", "refered" → "referred": the same stem or lemma), or, for a base form,
    a far commoner word ("programer" → "programmer"). Not another word a letter away: "earners" is not
    "learners", "payed" not "played"."""
    if stem(candidate) == stem(typed) or _lemmas(candidate) & lemmas:
        return True
    return typed in lemmas and zipf(candidate) - zipf(typed) >= FAR_COMMONER


def is_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with letters dropped ("shold" of "should") or two neighbours swapped
    ("worht" of "worth"): every typed letter kept, in order. The commonest slips of typing; a changed
    letter ("hold" for "shold") is not one."""
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(diff) != 2 or diff[1] != diff[0] + 1:
            return False
        i, j = diff
        return typed[i] == word[j] and typed[j] == word[i]
    letters = iter(word)
    return len(typed) < len(word) and all(c in letters for c in typed)


def _skeleton(word: str) -> str:
    """A word's consonants, in order: "people" → "ppl"."""
    return "".join(c for c in word if c not in "aeiouy")


def max_edits(word: str) -> int:
    """How far a correction may be: one edit, two for a word of eight letters or more (a rare real
    word such as "actuary" is two edits from "actually", a typo such as "reserch" one from "research")."""
    return 1 if len(word) <= 7 else 2


class Speller:
    """Corrects misspelt words against the corpus vocabulary, then everyday English."""

    def __init__(self, corpus_words: Mapping[str, int] | Iterable[str]) -> None:
        self.counts: dict[str, int] = dict(corpus_words) if isinstance(corpus_words, Mapping) else {}
        self.corpus = sorted({w.lower() for w in corpus_words if w.isalpha()})
        self._known = set(self.corpus)
        self._cache: dict[str, str | None] = {}

    def correction(self, word: str) -> str | None:
        """The word meant by ``word``, or None when it is known, not a misspelling, or has no close match."""
        low = word.lower()
        if low in self._cache:
            return self._cache[low]
        self._cache[low] = found = self._correct(word, low)
        return found

    def _correct(self, word: str, low: str) -> str | None:
        if low in self._known or len(low) < 3 or not low.isalpha() or word.isupper():
            return None
        short = self._shortened(low)
        if short is not None:
            return short
        if zipf(low) >= RARE:
            return None
        lemmas = _lemmas(low)  # a word of the English dictionary, or one of its lexicon's listed misspellings
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = max_edits(low)
        strict = len(low) <= SHORT or low in _english_set()  # only a slip corrects it
        found: dict[str, tuple[int, int, float]] = {}
        for choices in (self.corpus, _english()):
            for match in process.extract(low, choices, scorer=OSA.distance, score_cutoff=limit, limit=CANDIDATES):
                candidate = str(match[0])
                slipped = is_slip(low, candidate)
                if candidate == low or candidate in found or (strict and not slipped):
                    continue
                if lemmas and not _kindred(low, lemmas, candidate):
                    continue
                # the corpus's own words and the function words it is written with (left out of its vocabulary)
                ours = candidate in self._known or candidate in STOP
                if ours or zipf(candidate) >= FAMILIAR:
                    # a slip and the corpus's own word count alike: "carrer" is the corpus's "career", not the
                    # slip "carrier"; "shold" is the slip "should", not the corpus's "hold"
                    found[candidate] = (int(match[1]), -(slipped + ours), -zipf(candidate))
        if found:
            return min(found, key=found.__getitem__)
        if lemmas and low not in lemmas:
            # an inflection the corpus does not use stands for its lemma where the corpus uses that ("payed" →
            # "pay", not the slip "played"); the corpus's commonest, if it has several
            used = [lemma for lemma in lemmas if lemma in self._known]
            return max(used, key=lambda lemma: (self.counts.get(lemma, 0), lemma)) if used else None
        return None

    def _shortened(self, low: str) -> str | None:
        """The word a shortened form stands for: a clipped word the corpus uses in full ("certs" →
        "certifications": the corpus's most used word that begins with it), or vowel-less chat
        spelling ("ppl" → "people": the commonest English word with those consonants)."""
        clipped = low[:-1] if low.endswith("s") and len(low) > MIN_CLIPPED else low
        # the word as typed is rare: "certs", "biostats"; "class" is an everyday word, not a clipped "clas"
        if len(clipped) >= MIN_CLIPPED and zipf(low) < RARE:
            longer = [w for w in self.corpus if w.startswith(clipped) and len(w) >= len(clipped) + 3]
            if longer:
                return max(longer, key=lambda w: (self.counts.get(w, 0), -len(w)))
        if 2 <= len(low) <= 5 and not set(low) & set("aeiouy"):
            return next((w for w in _english()[:COMMON_WORDS] if len(w) > len(low) and _skeleton(w) == low), None)
        return None

    def fix(self, text: str, keep: Collection[str] = ()) -> tuple[str, dict[str, str]]:
        """``text`` with its misspelt words corrected, and the corrections made; the words in ``keep``
        (lower-cased: the names of places) are left as typed."""
        made: dict[str, str] = {}

        def one(m: re.Match[str]) -> str:
            if m.group(0).lower() in keep:
                return m.group(0)
            fixed = self.correction(m.group(0))
            if fixed is None:
                return m.group(0)
            made[m.group(0)] = fixed
            return fixed

        return _TOKEN.sub(one, text), made
