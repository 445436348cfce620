"""Words, stems and sentences: the one tokenizer every layer shares.

``words`` keeps "M.S." and "master's" whole; ``stem`` is the comparison form (Snowball);
``sentences`` is pysbd's segmentation ("U.S." is no sentence end); ``clean_query`` is the
one normalisation of what a student types.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from advisor.errors import InputError

MAX_QUERY_CHARS = 2000

# contractions, as typed with either apostrophe or none ("whats the pay", "what’s the pay"); not "i'll" or
# "i'd", whose bare forms are words ("ill", "id")
CONTRACTIONS = frozenset(
    form
    for w in """what's where's who's how's that's there's it's i'm i've you're you've we're they're
    don't doesn't didn't isn't aren't wasn't can't won't wouldn't shouldn't couldn't let's""".split()
    for form in (w, w.replace("'", "’"), w.replace("'", ""))
)
# English function words; with these (and the contractions), a run of words is not a subject.
FUNCTION_WORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from about as into than that this these those
    it its they them their theirs he she his her him we us our you your i me my mine is are was were be been being
    am do does did done have has had having can could would should will shall may might must not no yes there here
    what which who whom whose when where why how much many more most less some any each every all both either
    neither one ones other such own same very too also just only up down out over under again further once
    please tell know like get got let say said want wanted need needs make makes go goes going way ways kind kinds
    lot lots thing things something anything else really well good better best""".split()
)
STOP = FUNCTION_WORDS | CONTRACTIONS

# a sentence's own end: a full stop, a question or exclamation mark, or a closing quote or bracket after one
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")  # a list item's bullet or number, opening a line
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9’'.&-]*[A-Za-z0-9]|[A-Za-z]|\d[\d,.]*\d|\d")


def words(text: str) -> list[str]:
    """The words of a text, keeping "M.S." and "master's" whole."""
    return [w.rstrip(".") if not re.fullmatch(r"(?:[A-Za-z]\.){2,}", w + ".") else w for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The comparison form of a word: lower case, possessive and dots dropped, Snowball-stemmed."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace(".", "").strip("'")
    return str(_stemmer().stemWord(w))


def stems(text: str) -> list[str]:
    """The stems of a text's words, in order."""
    return [stem(w) for w in words(text)]


STOP_STEMS = frozenset(stem(w) for w in STOP)


def term_stems(text: str) -> frozenset[str]:
    """The stems of a text's words, and of the parts of its hyphenated ones ("Entry-level" also says "entry"
    and "level"; function words and single letters left out: "on" of "on-call", "e" of "e-discovery")."""
    out = set()
    for w in words(text):
        out.add(stem(w))
        if "-" in w:
            out.update(stem(part) for part in w.split("-") if len(part) > 1 and part.lower() not in STOP)
    return frozenset(out)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, each with its trailing space or newline, so that they join back into
    the text. A line break always ends one (a list item, a table row); within a line, pysbd's rules
    decide ("U.S." is no end)."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        pieces = [s for s in _segmenter().segment(body) if s.strip()] if body.strip() else []
        if pieces and line.endswith("\n"):
            pieces[-1] += "\n"
        out += pieces
    return out


def clean_query(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """Normalise a question; refuse an empty or over-long one with a clear message."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    text = " ".join(text.split())
    if not text:
        raise InputError("the question is empty; type a question about the guide")
    if len(text) > limit:
        raise InputError(f"the question is {len(text):,} characters long; please keep it under {limit:,}")
    return text
