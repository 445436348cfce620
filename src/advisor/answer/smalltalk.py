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
``Answer.small_talk``, which keeps it out of the office's inbox of unanswered questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from advisor.answer.records import Turn
from advisor.types import Answer

Kind = Literal["greeting", "thanks", "farewell", "acknowledgement", "about", "person"]

MAX_SUGGESTIONS = 3
_YOU = r"(?:you|u|ya)"
_ADDRESSED = r"(?:\s+(?:there|all|everyone|guys|folks|friend|advisor|adviser|bot))?"
_GREETING = (
    r"(?:hi+|hel+o+|hey+|heya|hiya|howdy|yo|greetings|hola|good\s+(?:morning|afternoon|evening|day)"
    rf"|what'?s\s+up|sup|how\s+are\s+{_YOU}(?:\s+doing)?(?:\s+today)?)" + _ADDRESSED
)
_GOOD = r"(?:ok(?:ay)?|great|cool|awesome|perfect|nice|got\s+it|that'?s\s+(?:great|helpful|perfect))"
_PATTERNS: tuple[tuple[Kind, str], ...] = (
    ("greeting", _GREETING),
    (
        "thanks",
        rf"(?:{_GOOD}\s+)?(?:thanks+|thank\s+{_YOU}|thx|ty|tysm|cheers|much\s+appreciated|appreciate\s+(?:it|that|{_YOU}))"
        r"(?:\s+(?:so|very)\s+much|\s+a\s+(?:lot|ton|bunch)|\s+again|\s+for\s+(?:the|your)\s+help)?"
        r"(?:\s+(?:that|this|it)\s+(?:helps|helped|was\s+(?:helpful|useful)))?" + _ADDRESSED,
    ),
    (
        "farewell",
        rf"(?:ok(?:ay)?\s+)?(?:bye+|good\s*bye|see\s+{_YOU}(?:\s+later)?|cya|later|good\s+night"
        r"|have\s+a\s+(?:good|nice|great)\s+(?:day|one|night|evening))",
    ),
    (
        "acknowledgement",
        r"(?:ok(?:ay)?|k|kk|cool|got\s+it|great|nice|awesome|perfect|sounds\s+good|alright|all\s+right|i\s+see"
        r"|makes\s+sense|understood|noted)",
    ),
    (
        "about",
        rf"(?:help(?:\s+me)?|what\s+(?:can|do)\s+{_YOU}\s+do|who\s+are\s+{_YOU}|what\s+are\s+{_YOU}|what\s+is\s+this"
        r"|how\s+does\s+this\s+work|what\s+(?:can|should)\s+i\s+ask(?:\s+(?:you|u))?"
        rf"|are\s+{_YOU}\s+(?:a\s+)?(?:bot|robot|human|real|real\s+person|person|an?\s+ai|ai|chatbot))",
    ),
    (
        "person",
        r"(?:(?:can|could|may)\s+i\s+|i\s+(?:want|need|would\s+like)\s+to\s+|i'?d\s+like\s+to\s+|let\s+me\s+"
        r"|how\s+(?:do|can)\s+i\s+)?(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|someone|somebody|a\s+real\s+"
        r"|an\s+actual\s+)?(?:human|person|real\s+person|advisor|adviser|counselor|counsellor|someone|somebody|staff"
        r"|admissions)(?:\s+please)?|(?:contact|reach)\s+(?:a\s+person|someone|somebody|the\s+office|an\s+advisor"
        r"|admissions|a\s+human)",
    ),
)
_WHOLE = {kind: re.compile(rf"(?:please\s+)?{pattern}(?:\s+please)?", re.I) for kind, pattern in _PATTERNS}
_LEADING_GREETING = re.compile(rf"^{_GREETING}\s+", re.I)
_NOISE = re.compile(r"[^\w\s']+")  # punctuation and emoji: "hi!!", "thanks :)", "ok 👍"


def kind_of(message: str) -> Kind | None:
    """The kind of small talk the whole message is, or None for anything else (a question, a request).
    A greeting before another act is that act ("hi! what can you do?" asks what the advisor is)."""
    text = " ".join(_NOISE.sub(" ", message.replace("’", "'")).split()).lower()
    if not text:
        return None
    rest = _LEADING_GREETING.sub("", text)
    for kind, pattern in _WHOLE.items():
        if pattern.fullmatch(rest):
            return kind
    return "greeting" if rest != text and _WHOLE["greeting"].fullmatch(text) else None


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
        kind = kind_of(turn.question)
        if kind is None:
            raise ValueError(f"not small talk: {turn.question!r}")
        suggestions = self.examples if kind in _SUGGESTING else ()
        text = _REPLIES[kind]
        if suggestions:
            text += " You could ask:\n\n" + "\n".join(f"- {q}" for q in suggestions)
        return Answer(turn.question, turn.question, text, True, (), None, suggestions=suggestions, small_talk=kind)
