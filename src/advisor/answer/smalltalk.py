"""Small talk: a message that greets, thanks, says goodbye, asks what the advisor is, or asks for a person.

A student's first message is often "hi", and their last "thanks". Searched as questions, they were
answered with whatever passage came nearest ("hi" with a day in the life of a UX researcher,
"thanks" with a sentence holding "thanks to"), or refused as questions the guide does not cover.
Such a message, when it is the whole message ("hi!", "thank you so much", "what can you do?", "can
I talk to a real person?"), is answered in kind instead: a greeting or "what can you do" with what
the advisor does and questions the guides answer (``[site] examples`` of advisor.toml, else the
guides' own section headings, as the chat page shows them); a request for a person with the office's
contact (added by the office's handoff, ``ADVISOR_CONTACT``). A message that goes on to a question
("hi, what do data analysts earn?") is a question, searched as usual.

The patterns are everyday English for these few acts, not words of any guide. Such an answer is
``refused`` (nothing in it comes from the guides, and it cites nothing) and names its kind in
``Answer.small_talk``: the office logs it, but not among the refused questions, and its inbox of
unanswered questions leaves it out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

from advisor.answer.records import Turn
from advisor.types import Answer

Kind = Literal["greeting", "thanks", "farewell", "acknowledgement", "about", "person"]

MAX_SUGGESTIONS = 3
_YOU = r"(?:you|u|ya)"
_ARE = r"(?:are|r)"
_ADDRESSED = r"(?:\s+(?:there|all|everyone|guys|folks|friend|bud|buddy|man|mate|dude|advisor|adviser|bot)){0,2}"
_OK = r"(?:ok(?:ay)?|k|kk|cool|got\s+it|great|nice|awesome|perfect|sounds\s+good|alright|all\s+right|i\s+see"
_OK += r"|makes\s+sense|understood|noted)"
# Each act as a student types it; a message is small talk when it is a run of them ("ok thanks bye")
_ACTS: tuple[tuple[Kind, str], ...] = (
    (
        "greeting",
        r"(?:hi+|hel+o+|hey+|heya|hiya|howdy|yo|greetings|hola|good\s+(?:morning|afternoon|evening|day)"
        rf"|what'?s\s+up|sup|how\s+{_ARE}\s+{_YOU}(?:\s+doing)?(?:\s+today)?|nice\s+to\s+meet\s+{_YOU})" + _ADDRESSED,
    ),
    (
        "thanks",
        rf"(?:thanks+|thank\s+{_YOU}|thx|ty|tysm|tyvm|cheers|much\s+appreciated|appreciate\s+(?:it|that|{_YOU})"
        r"|(?:that'?s|this\s+is|very)\s+(?:helpful|useful))"
        r"(?:\s+(?:so|very)\s+much|\s+a\s+(?:lot|ton|bunch)|\s+again"
        r"|\s+for\s+(?:the|your|all\s+the)\s+(?:help|info|information|answer|answers))?"
        r"(?:\s+(?:that|this|it)\s+(?:helps|helped|was\s+(?:helpful|useful)))?" + _ADDRESSED,
    ),
    (
        "farewell",
        rf"(?:bye+|good\s*bye|see\s+{_YOU}(?:\s+later)?|cya|good\s+night|take\s+care"
        r"|have\s+a\s+(?:good|nice|great)\s+(?:day|one|night|evening))" + _ADDRESSED,
    ),
    ("acknowledgement", _OK),
    (
        "about",
        rf"(?:help(?:\s+me)?|i\s+need\s+help|(?:how\s+)?(?:can|could)\s+{_YOU}\s+help(?:\s+me)?"
        rf"|what\s+(?:can|do)\s+{_YOU}\s+do|who\s+{_ARE}\s+{_YOU}|what\s+{_ARE}\s+{_YOU}"
        r"|what\s+(?:can|should)\s+i\s+ask(?:\s+(?:you|u))?"
        rf"|{_ARE}\s+{_YOU}\s+(?:a\s+)?(?:bot|robot|human|real|real\s+person|person|an?\s+ai|ai|chatbot))",
    ),
    (
        "person",
        r"(?:(?:can|could|may)\s+i\s+|i\s+(?:want|need|would\s+like)\s+to\s+|i'?d\s+like\s+to\s+|let\s+me\s+"
        r"|how\s+(?:do|can)\s+i\s+)?(?:(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|a\s+real\s+|an\s+actual\s+)?"
        r"(?:human|person|advisor|adviser|counselor|counsellor|someone|somebody|staff(?:\s+member)?)"
        r"|(?:contact|reach)\s+(?:a\s+(?:real\s+)?(?:human|person)|someone|somebody))",
    ),
)
# what a message asks only when nothing came before it: after an answer, "how does this work?" asks about what the
# answer said
_OPENING: tuple[tuple[Kind, str], ...] = (("about", r"(?:what\s+is\s+this|how\s+does\s+this\s+work)"),)
_PLEASE = r"(?:please\s+|pls\s+)?"
_END = r"(?:\s+(?:please|pls))?(?:\s+|$)"
_COMPILED = {
    follow_up: [
        (kind, re.compile(_PLEASE + pattern + _END, re.I))
        for kind, pattern in (_ACTS if follow_up else _ACTS + _OPENING)
    ]
    for follow_up in (False, True)
}
_RANK: tuple[Kind, ...] = ("person", "about", "thanks", "farewell", "greeting", "acknowledgement")
_NOISE = re.compile(r"[^\w\s']+")  # punctuation and emoji: "hi!!", "thanks :)", "ok 👍"


def kind_of(message: str, follow_up: bool = False) -> Kind | None:
    """The kind of small talk the whole message is, or None for anything else (a question, a request). A run of
    acts is the one that asks most of the advisor ("hi! what can you do?" asks what it is, "ok thanks bye" thanks
    it). Asking how to reach an office ("how do I contact admissions?") is a question the guides may answer. In a
    ``follow_up`` (after earlier turns), "what is this?" and "how does this work?" ask about the
    conversation's subject, and are questions."""
    text = unicodedata.normalize("NFKC", message).replace("’", "'").replace("‘", "'")
    rest = " ".join(_NOISE.sub(" ", text).split()).lower()
    acts: list[Kind] = []
    while rest:
        for kind, pattern in _COMPILED[follow_up]:
            m = pattern.match(rest)
            if m:
                acts.append(kind)
                rest = rest[m.end() :]
                break
        else:
            return None
    return min(acts, key=_RANK.index) if acts else None


INTRO = (
    "I answer questions from the program office's career guides, and every answer cites the passages it comes "
    "from; when the guides don't cover a question, I say so."
)
_REPLIES: dict[Kind, str] = {
    "greeting": "Hello! " + INTRO,
    "about": "I'm an automated advisor, not a person. " + INTRO,
    "thanks": "You're welcome! Ask me anything else about the guides.",
    "farewell": "Goodbye, and good luck!",
    "acknowledgement": "Is there anything else you'd like to know?",
    "person": "I'm an automated advisor, so I can't put you through to a person myself.",
}
_SUGGESTING: frozenset[Kind] = frozenset({"greeting", "about", "acknowledgement"})


class SmallTalk:
    """Answers small talk in kind, offering questions the guides answer."""

    def __init__(self, examples: Sequence[str]) -> None:
        self.examples = tuple(examples[:MAX_SUGGESTIONS])

    def __call__(self, turn: Turn) -> Answer:
        kind = kind_of(turn.question, follow_up=bool(turn.history))
        if kind is None:
            raise ValueError(f"not small talk: {turn.question!r}")
        suggestions = self.examples if kind in _SUGGESTING else ()
        text = _REPLIES[kind]
        if suggestions:
            text += " You could ask:\n\n" + "\n".join(f"- {q}" for q in suggestions)
        return Answer(turn.question, turn.question, text, True, (), None, suggestions=suggestions, small_talk=kind)
