"""Condense: turn a follow-up into a self-contained query, without a model (or with one, checked).

"What do they earn?" after "What does an AI engineer do?" means "What do AI engineers earn?".
A question that leans on the conversation (a pronoun such as "they" or "it", an opener such
as "what about", or no subject of its own) gets the subjects of the latest earlier question
that named any (:class:`~advisor.answer.lexicon.Lexicon` knows the corpus's subjects). A chat
model's rewrite is used only when :func:`faithful` to the rules' one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from langchain_core.language_models import BaseChatModel

from advisor.answer.expect import asking_words, expected
from advisor.answer.lexicon import COMPARISON, Lexicon, Span, topic_words
from advisor.answer.llm import stream_reply
from advisor.answer.prompts import condense_prompt
from advisor.answer.records import Standalone, Turn
from advisor.errors import brief
from advisor.text import STOP_STEMS, stem, words
from advisor.types import Message

log = logging.getLogger(__name__)

# Words that point back into the conversation.
ANAPHORS = frozenset(
    "they them their theirs it its this that these those he she his her him one ones both either neither former latter"
    " each".split()
)
THINGS = frozenset("it this that these those".split())  # anaphors that stand for a thing asked about
PEOPLE = frozenset("they them their theirs he she his her him".split())  # ... for the people asked about
OPENERS = ("and ", "what about", "how about", "but ", "also ", "so ", "then ", "same for", "what else", "and?")


# "it" standing for nothing asked before: "is *it* hard to become …", "it's possible to …"
_EXPLETIVE = re.compile(r"\bit(?:'s|’s|\s+is|\s+was)?\s+(?:(?:really|so|very|too)\s+)?[a-z-]+\s+to\s+[a-z]", re.I)


def _tokens(question: str) -> set[str]:
    """The question's words in lower case, an "it" that stands for nothing left out."""
    return {w.lower() for w in words(_EXPLETIVE.sub(" ", question))}


def leans_on_context(question: str, lexicon: Lexicon) -> bool:
    """Whether a question needs the conversation to be understood."""
    q = question.lower().strip()
    if q.startswith(OPENERS):
        return True
    if _tokens(question) & ANAPHORS:
        return True
    return not lexicon.subjects(question)


def refers_back(question: str, subjects: list[Span], lexicon: Lexicon) -> bool:
    """Whether the question speaks of people it has not named yet ("do *they* need an MBA?"): a personal
    pronoun before its first subject (of ``subjects``, the ones it names), which then is not whom it asks
    about but something they have or do; or one after it when none of its subjects is plural and it asks about
    nothing else ("what gpa do *they* want?": the GPA is what is asked about, not whom "they" stand for, as "AI
    engineers" are in "what about AI engineers, what do they need?" and "an AI engineer" is in "what about an
    AI engineer, what do they earn?")."""
    ws = [w.lower() for w in words(lexicon.expand(question))]
    at = len(ws)
    if subjects:
        head = subjects[0].stems[0]
        at = next((i for i, w in enumerate(ws) if stem(w) == head), len(ws))
    if any(w in PEOPLE for w in ws[:at]):
        return True
    singular = bool(subjects) and not any(_plural(s) for s in subjects)
    return singular and any(w in PEOPLE for w in ws[at:]) and not topic_words(question, lexicon)


def _plural(span: Span) -> bool:
    """Whether a subject reads as plural: its last word ends in "s" where its stem does not ("engineers",
    "CISSPs"; not "GPA", "MBA", "business")."""
    last = span.text.split()[-1].lower()
    return last.endswith("s") and not last.endswith("ss") and not span.stems[-1].endswith("s")


def swap_subjects(question: str, subjects: list[str], lexicon: Lexicon) -> str | None:
    """``question`` about ``subjects`` instead of its own ("How much do data engineers make?" → "How much do
    analytics engineers make?"): None when it names none."""
    ws = words(lexicon.expand(question))
    if not lexicon.subjects(question):
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


def user_turns(history: Iterable[Message | dict[str, Any]]) -> list[str]:
    """The user's earlier messages, oldest first; malformed entries are ignored."""
    return [m.content for m in Message.history(history) if m.role == "user"]


def condense(question: str, history: Iterable[Message | dict[str, Any]], lexicon: Lexicon) -> str:
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
    named = lexicon.subjects(question)
    own_subjects = {s.stems for s in named}
    asked = _tokens(question)
    people = bool(named) and refers_back(question, named, lexicon)  # "do they need an MBA for that?": not about MBAs
    # "how often do job postings ask for *it*?" asks about the earlier thing, whatever subject it names (not
    # "how is *that* different for AI engineers?", which compares the earlier subject with its own)
    thing = bool(asked & THINGS) and not asked & COMPARISON
    need_subjects = not own_subjects or people or thing
    # "Where do people usually do it?": "it" is what was asked before, whatever else the question says.
    need_topic = not topic_words(question, lexicon) or bool(asked & THINGS)
    if own_subjects and need_topic and not people and not thing:
        # "What about AI engineers?" after "What do ML engineers work on?": the earlier question, about them.
        for i in range(len(earlier) - 1, -1, -1):
            resolved = condense(earlier[i], [{"role": "user", "content": t} for t in earlier[:i]], lexicon)
            mine = [s.text for s in named]
            if asked & COMPARISON:  # "How is that different for X?": both sides
                mine = [s.text for s in lexicon.subjects(resolved) if s.stems not in own_subjects] + mine
            swapped = swap_subjects(resolved, mine, lexicon)
            if swapped:
                return swapped
    borrowed: list[str] = []
    context: list[str] = []  # the last question's own words, when no earlier question names a subject
    for i in range(len(earlier) - 1, -1, -1):
        if not (need_subjects or need_topic):
            break
        resolved = condense(earlier[i], [{"role": "user", "content": t} for t in earlier[:i]], lexicon)
        subjects = [s.text for s in lexicon.subjects(resolved) if s.stems not in own_subjects]
        topic = topic_words(earlier[i], lexicon)
        if not context:
            context = topic_words(resolved, lexicon, [])
        if need_subjects and subjects:
            borrowed += subjects
            need_subjects = False
        if need_topic and topic:
            borrowed += topic
            need_topic = False
    if need_subjects and context:
        # "What about in manufacturing?" after "Can tech writers work from home?", which names no corpus
        # subject: what that question was about, in its own words.
        own = {stem(w) for w in words(question)}
        borrowed += [w for w in context if stem(w) not in own and w not in borrowed]
    if earlier and question.lower().strip().startswith(OPENERS) and not expected(question):
        # "what about right out of school?" after "how much does a data analyst make?" still asks for pay
        last = condense(earlier[-1], [{"role": "user", "content": t} for t in earlier[:-1]], lexicon)
        borrowed += [w for w in asking_words(last, question) if w not in borrowed]
    if not borrowed:
        return question
    return f"{question.rstrip()} ({' and '.join(dict.fromkeys(borrowed))})"


def faithful(
    rewrite: str, ruled: str, question: str, history: Iterable[Message | dict[str, Any]], lexicon: Lexicon
) -> bool:
    """Whether a chat model's standalone rewrite of a follow-up can be trusted over the rules' one.

    It must still name the subjects the rules found (a small model that turns "Which one pays
    more?" into "Which pays more?" loses the thread), and bring in at most one word the
    conversation never used ("pays" may become "earn"): a rewrite, not a new question.
    """
    needed = {s.stems for s in lexicon.subjects(ruled)}
    if not needed <= {s.stems for s in lexicon.subjects(rewrite)}:
        return False
    said = " ".join([question, *(m.content for m in Message.history(history))])
    known = {stem(w) for w in words(lexicon.expand(said))}
    return len({stem(w) for w in words(lexicon.expand(rewrite))} - STOP_STEMS - known) <= 1


class Condense:
    """The chain's step: a turn → its standalone query, by the rules, or by a chat model when faithful."""

    def __init__(self, lexicon: Lexicon, chat_model: BaseChatModel | None = None, timeout: float = 30.0) -> None:
        self.lexicon = lexicon
        self.chat_model = chat_model
        self.timeout = timeout

    def __call__(self, turn: Turn) -> Standalone:
        ruled = condense(turn.question, turn.history, self.lexicon)
        if self.chat_model is not None and user_turns(turn.history):
            rewritten = self.with_model(turn)
            if rewritten and faithful(rewritten, ruled, turn.question, turn.history, self.lexicon):
                return Standalone(turn, rewritten)
        return Standalone(turn, ruled)

    def with_model(self, turn: Turn) -> str | None:
        """The chat model's standalone form of a follow-up; None (use the rules) if it fails or rambles."""
        assert self.chat_model is not None
        try:
            reply = stream_reply(
                self.chat_model, condense_prompt(turn.question, turn.history), timeout=self.timeout
            ).strip()
        except Exception as exc:
            log.warning("the chat model could not condense the follow-up (%s); using the rules", brief(exc))
            return None
        text = reply.splitlines()[0].strip().strip('"').strip() if reply else ""
        return text if 3 <= len(text) <= 300 and not text.lower().startswith(("i ", "sorry")) else None
