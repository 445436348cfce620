"""Condense stage: turn a follow-up into a self-contained query, without a model.

"What do they earn?" after "What does an AI engineer do?" means "What do AI
engineers earn?". The corpus itself says what the things a student can ask about
are: its recurring phrases ("machine learning engineers", "AI engineers", "M.S.
in AI program", "master's degree") and its acronyms ("CAIE", "BLS") form a
:class:`Lexicon`. A question that leans on the conversation (a pronoun such as
"they" or "it", an opener such as "what about", or no subject of its own) gets
the subjects of the latest earlier question that named any.

The same lexicon finds the sides of a comparison ("ML engineer" and "AI
engineer") and the words of a question the corpus never uses ("tuition").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# English function words; with these, a run of words is not a subject.
STOP = frozenset(
    """a an the and or but if then so of to in on at by for with from about as into than that this these those
    it its they them their theirs he she his her him we us our you your i me my mine is are was were be been being
    am do does did done have has had having can could would should will shall may might must not no yes there here
    what which who whom whose when where why how much many more most less some any each every all both either
    neither one ones other such own same very too also just only up down out over under again further once
    please tell know like get got let say said want wanted need needs make makes go goes going way ways kind kinds
    lot lots thing things something anything else really well good better best""".split()
)
# Words students use to frame a question rather than to name its topic: the guide need
# not use them for the question to be covered ("How would you *define* an ML engineer?").
FRAME = frozenset(
    """define defined definition describe explain mean means meaning worth choose chose decide pick come comes
    become becoming handle handles deal cover covers covered offer offers offered apply applies applied change
    changes compare compared comparing differ different typical typically usual usually often generally common
    main important matter matters look looks find give gives take takes help helps start starts begin learn
    overview summary summarize summarise info information detail details example examples versus vs exactly
    actually basically average enough right wrong true false okay ok hello hi thanks thank""".split()
)
# Words that may sit inside a subject ("M.S. in AI") but never start or end one.
EDGE = STOP | frozenset("between among include includes including work works focus focuses use uses".split())
# Words that point back into the conversation.
ANAPHORS = frozenset(
    "they them their theirs it its this that these those he she his her him one ones both either neither former latter"
    " each".split()
)
# Words that make a question a comparison ("Which one ...?", "... or ...?").
COMPARISON = frozenset(
    "difference differences differ different compare comparison versus vs between which or both than unlike".split()
)
OPENERS = ("and ", "what about", "how about", "but ", "also ", "so ", "then ", "same for", "what else", "and?")

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9’'.&-]*[A-Za-z0-9]|[A-Za-z]|\d[\d,.]*\d|\d")


def words(text: str) -> list[str]:
    """The words of a text, keeping "M.S." and "master's" whole."""
    return [w.rstrip(".") if not re.fullmatch(r"(?:[A-Za-z]\.){2,}", w + ".") else w for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The comparison form of a word: lower case, possessive and dots dropped, Snowball-stemmed."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace(".", "").strip("'")
    return str(_stemmer().stemWord(w))


STOP_STEMS = frozenset(stem(w) for w in STOP)
_FRAME_STEMS = frozenset(stem(w) for w in FRAME)


@dataclass(frozen=True)
class Span:
    """A subject found in a text: its words as typed and their stems."""

    text: str
    stems: tuple[str, ...]


class Lexicon:
    """What the corpus talks about: its vocabulary (stemmed) and its recurring subjects."""

    def __init__(self, texts: Sequence[str], abbreviations: dict[str, str] | None = None, min_count: int = 3) -> None:
        self.abbreviations = dict(abbreviations or {})
        self.vocabulary: set[str] = set()
        self.document_frequency: Counter[str] = Counter()
        self.surface: Counter[str] = Counter()  # lower-cased word → number of passages using it
        self.documents = len(texts)
        counts: Counter[tuple[str, ...]] = Counter()
        acronyms: set[tuple[str, ...]] = set()
        for text in texts:
            ws = words(text)
            stems = [stem(w) for w in ws]
            self.vocabulary.update(stems)
            self.document_frequency.update(set(stems))
            self.surface.update({w.lower() for w in ws if w[0].isalpha() and w.lower() not in STOP})
            for w, s in zip(ws, stems, strict=True):
                if re.fullmatch(r"[A-Z][A-Z0-9.&]{1,9}s?", w) and w.lower() not in STOP:
                    acronyms.add((s,))
            for n in (2, 3, 4):
                for i in range(len(ws) - n + 1):
                    gram = ws[i : i + n]
                    if gram[0].lower() in EDGE or gram[-1].lower() in EDGE or gram[-1][0].isdigit():
                        continue
                    if sum(w.lower() in STOP for w in gram) > 1:
                        continue
                    counts[tuple(stems[i : i + n])] += 1
        self.phrases = {g for g, c in counts.items() if c >= min_count} | acronyms
        self.longest = max((len(p) for p in self.phrases), default=1)
        for long in self.abbreviations.values():
            self.vocabulary.update(stem(w) for w in words(long))

    def idf(self, stem_: str) -> float:
        """How rare a (stemmed) word is among the corpus passages: rare words carry a question's point."""
        return math.log(1 + (self.documents + 1) / (self.document_frequency.get(stem_, 0) + 1))

    def expand(self, text: str) -> str:
        """Abbreviations the corpus never uses bare, spelled out: "ML engineer" → "machine learning engineer"."""

        def spell(m: re.Match[str]) -> str:
            word = m.group(0)
            long = self.abbreviations.get(word) or self.abbreviations.get(word.rstrip("s"))
            if not long:
                return word
            return long + ("s" if word.endswith("s") and word.rstrip("s") in self.abbreviations else "")

        return re.sub(r"\b[A-Z][A-Za-z.]*[A-Z.]s?(?![\w.])|\b[A-Z]{2,}s?\b", spell, text)

    def subjects(self, text: str) -> list[Span]:
        """The corpus subjects a text names, longest match first, in order of appearance."""
        ws = words(self.expand(text))
        stems = [stem(w) for w in ws]
        found: list[Span] = []
        i = 0
        while i < len(ws):
            for n in range(min(self.longest, len(ws) - i), 0, -1):
                key = tuple(stems[i : i + n])
                if key in self.phrases:
                    span = Span(" ".join(ws[i : i + n]), key)
                    if all(span.stems != f.stems for f in found):
                        found.append(span)
                    i += n
                    break
            else:
                i += 1
        return found

    def unknown_words(self, text: str) -> list[str]:
        """Content words of a question that the corpus never uses (in any inflection)."""
        out = []
        for w in words(self.expand(text)):
            low = w.lower()
            if low in STOP or low in FRAME or len(w) < 3 or not w[0].isalpha():
                continue
            s = stem(w)
            if s not in self.vocabulary and s not in STOP_STEMS and s not in _FRAME_STEMS and low not in out:
                out.append(low)
        return out


def mentions(text_stems: Sequence[str], span: Span) -> bool:
    """Whether a stemmed text contains the span's stems contiguously."""
    n = len(span.stems)
    return any(tuple(text_stems[i : i + n]) == span.stems for i in range(len(text_stems) - n + 1))


def topic_words(question: str, lexicon: Lexicon) -> list[str]:
    """The words that say what a question is about, besides its subjects: "pays" in "Which one pays more?"."""
    inside = {st for span in lexicon.subjects(question) for st in span.stems}
    out = []
    for w in words(lexicon.expand(question)):
        low = w.lower()
        if low in STOP or low in FRAME or low in COMPARISON or len(w) < 3 or not w[0].isalpha():
            continue
        st = stem(w)
        if st in inside or st in STOP_STEMS or st in _FRAME_STEMS or low in out:
            continue
        out.append(low)
    return out


def leans_on_context(question: str, lexicon: Lexicon) -> bool:
    """Whether a question needs the conversation to be understood."""
    q = question.lower().strip()
    if q.startswith(OPENERS):
        return True
    tokens = {w.lower() for w in words(question)}
    if tokens & ANAPHORS:
        return True
    return not lexicon.subjects(question)


def swap_subjects(question: str, subjects: list[str], lexicon: Lexicon) -> str | None:
    """``question`` about ``subjects`` instead of its own: None when it names none or has no topic."""
    ws = words(lexicon.expand(question))
    if not lexicon.subjects(question) or not topic_words(question, lexicon):
        return None
    stems = [stem(w) for w in ws]
    out: list[str] = []
    i = 0
    placed = False
    while i < len(ws):
        for span in lexicon.subjects(question):
            n = len(span.stems)
            if tuple(stems[i : i + n]) == span.stems:
                if not placed:
                    out.append(" and ".join(subjects))
                    placed = True
                i += n
                break
        else:
            out.append(ws[i])
            i += 1
    return " ".join(out) + "?"


def user_turns(history: Iterable[dict[str, Any]]) -> list[str]:
    """The user's earlier messages, oldest first; malformed entries are ignored."""
    out = []
    for message in history or ():
        if isinstance(message, dict) and message.get("role") == "user" and isinstance(message.get("content"), str):
            out.append(message["content"])
    return out


def condense(question: str, history: Iterable[dict[str, Any]], lexicon: Lexicon) -> str:
    """A self-contained query for ``question`` given the conversation before it.

    A question that stands on its own is returned as is. One that leans on the
    conversation borrows from the most recent earlier question that has what it
    lacks: its subjects when it names none ("Which one pays more?" → "... (machine
    learning engineer and AI engineer)"), its topic when it has none of its own
    ("What about AI engineers?" after "What do ML engineers work on?" → "... (work)").
    """
    if not leans_on_context(question, lexicon):
        return question
    earlier = user_turns(history)
    own_subjects = {s.stems for s in lexicon.subjects(question)}
    need_subjects = not own_subjects
    need_topic = not topic_words(question, lexicon)
    if own_subjects and need_topic:
        # "What about AI engineers?" after "What do ML engineers work on?": the earlier question, about them.
        for i in range(len(earlier) - 1, -1, -1):
            resolved = condense(earlier[i], [{"role": "user", "content": t} for t in earlier[:i]], lexicon)
            mine = [s.text for s in lexicon.subjects(question)]
            if {w.lower() for w in words(question)} & COMPARISON:  # "How is that different for X?": both sides
                mine = [s.text for s in lexicon.subjects(resolved) if s.stems not in own_subjects] + mine
            swapped = swap_subjects(resolved, mine, lexicon)
            if swapped:
                return swapped
    borrowed: list[str] = []
    for i in range(len(earlier) - 1, -1, -1):
        if not (need_subjects or need_topic):
            break
        resolved = condense(earlier[i], [{"role": "user", "content": t} for t in earlier[:i]], lexicon)
        subjects = [s.text for s in lexicon.subjects(resolved) if s.stems not in own_subjects]
        topic = topic_words(earlier[i], lexicon)
        if need_subjects and subjects:
            borrowed += subjects
            need_subjects = False
        if need_topic and topic:
            borrowed += topic
            need_topic = False
    if not borrowed:
        return question
    return f"{question.rstrip()} ({' and '.join(dict.fromkeys(borrowed))})"


def faithful(rewrite: str, ruled: str, question: str, history: Iterable[dict[str, Any]], lexicon: Lexicon) -> bool:
    """Whether a chat model's standalone rewrite of a follow-up can be trusted over the rules' one.

    It must still name the subjects the rules found (a small model that turns "Which one pays
    more?" into "Which pays more?" loses the thread), and bring in at most one word the
    conversation never used ("pays" may become "earn"): a rewrite, not a new question.
    """
    needed = {s.stems for s in lexicon.subjects(ruled)}
    if not needed <= {s.stems for s in lexicon.subjects(rewrite)}:
        return False
    said = " ".join([question, *(str(m.get("content", "")) for m in history if isinstance(m, dict))])
    known = {stem(w) for w in words(lexicon.expand(said))}
    return len({stem(w) for w in words(lexicon.expand(rewrite))} - STOP_STEMS - known) <= 1
