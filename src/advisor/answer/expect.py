"""What kind of answer a question asks for, and whether a sentence gives that kind.

"How much do grads make?" asks for an amount of money, "how much does the exam cost?" for a price (an
amount said to be a cost: a salary figure does not answer it), "how long does the degree take?" for a
duration, "is the field growing?" for a rate, "how many credits?" for a count. A sentence that
states such a thing ("Graduates started at $76,500", "It takes 20 months") is likelier to answer
than one that only shares the question's words. These are classes of English questions (the
classic answer types of question answering), not words of any guide: the question side reads
interrogatives and the ordinary vocabulary of pay, time and growth; the sentence side reads
numbers, currency, percentages and units.
"""

from __future__ import annotations

import re

from advisor.text import LIST_MARKER, stem, words

MONEY, PRICE, PERCENT, DURATION, COUNT, DATE = "money", "price", "percent", "duration", "count", "date"

_MONEY_WORDS = frozenset(
    stem(w)
    for w in "salary salaries pay pays paid paying earn earns earned earning earnings wage wages income "
    "compensation money dollars".split()
)
# What something costs is a price, not any amount: a salary figure does not say what an exam or a degree costs.
_PRICE_WORDS = frozenset(
    stem(w)
    for w in "cost costs costing price prices priced pricing pricey fee fees tuition expensive cheap cheaper cheapest "
    "afford affordable".split()
)
# ... and a sentence may also state one as what is spent or charged: "expect to spend about $2,000"
_PRICE_CUES = _PRICE_WORDS | frozenset(
    stem(w) for w in "spend spends spent charge charges charged subscription subscriptions voucher vouchers".split()
)
_RATE_WORDS = frozenset(
    stem(w)
    for w in "growth grow grows growing outlook demand percent percentage share rate proportion "
    # the same question asked from the other side: "is sysadmin a dying job?", "is the field saturated?"
    # (not "declining": its stem is that of declining an offer)
    "shrink shrinks shrinking dying disappearing saturated oversaturated".split()
)
_TIME_UNITS = "|".join("years? months? weeks? days? hours? semesters? terms? quarters? yrs?".split())
_NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty few several"

_HOW_LONG = re.compile(rf"\bhow\s+(?:long|many\s+(?:{_TIME_UNITS})|much\s+(?:time|experience))\b", re.I)
_HOW_MUCH_OF = re.compile(r"\bhow\s+much\s+of\b", re.I)
_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.I)
# "how much" asks for money unless it asks how much of a thing: "how much math do i need", "how much travel is
# involved", "how much downtime does it allow" (not "how much is it", "how much do they get", "how much more …")
_HOW_MUCH_OF_A_THING = re.compile(
    r"\bhow\s+much\s+(?!(?:is|are|was|were|would|will|can|could|should|do|does|did|more|less|money|dough|cash|"
    r"bucks|for|per|on|in|to|it|they|you|i|we|he|she|roughly|approximately|about|exactly|really|actually)\b)[a-z]",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)
# "make" is pay when nothing is made: "what do grads make (right out of school)?", not "what do teams make for …"
_WHAT_DO_MAKE = re.compile(
    r"\b(?:what|how\s+much)\b.*\bmake\b\s*(?:$|[?.!]|a\s+year|per\b|an?\s+hour|annually|starting|right|"
    r"out\s+of|in\b|at\b|on\s+average|these\s+days|now|after|when|with|as\b|to\s+start|first)",
    re.I,
)
# "who makes more?", "do grads start out making more than …?"
_MAKE_MORE = re.compile(r"\bmak(?:es?|ing)\s+(?:more|less|the\s+most|the\s+least|better|bank)\b", re.I)
_WHY = re.compile(r"^\W*(?:so\s+|but\s+|and\s+)?why\b", re.I)
# A question opening with an auxiliary verb asks yes or no ("do interns get paid?", "is the field growing?"):
# an amount may answer it, but an answer without one may too. Not when a question word follows ("can you tell
# me how much it costs?") or it offers alternatives ("is it $10k or $15k?").
_YES_NO = re.compile(
    r"^\W*(?:(?:so|but|and|ok|okay)\W+)?(?:do|does|did|is|are|was|were|am|can|could|will|would|should|shall|"
    r"has|have|had|may|might|must|ca|wo)(?:n['’]?t)?\s",
    re.I,
)
_ASKS_WHAT = re.compile(r"\b(?:how|what|when|which|where|who)\b|\bor\b", re.I)
# "what score do you need to pass?", "min gpa to apply?", "whats the passing score on it": a score asked for is a
# number (not "which roles score highest", "what jobs can i get with a low gpa")
_SCORE_WORD = r"(?:scores?|gpa|grade\s+point\s+average)"
_SCORE = re.compile(
    rf"\b(?:what|which)(?:['’]?s|\s+is|\s+are)?\s+(?:(?:the|a|an|your)\s+)?(?:[\w-]+\s+)?{_SCORE_WORD}"
    r"\s*(?:$|[?.!,]|(?:do|does|would|will|should|is|are|to|for|on|of|in|needed|required)\b)"
    rf"|\b(?:min|minimum|passing|required|cutoff|cut-off|lowest)\s+(?:[\w-]+\s+)?{_SCORE_WORD}\b",
    re.I,
)
_WHEN = re.compile(r"^\W*when\b|\bwhat\s+(?:year|month|date|day)\b", re.I)

_HAS_MONEY = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:k|K)\b|\b\d[\d,.]*\s+(?:dollars|USD|euros|pounds)\b")
_HAS_PERCENT = re.compile(r"\d\s?%|\bper\s?cent\b|\bpercent(?:age)?\b", re.I)
_HAS_DURATION = re.compile(  # "16 months", "three to four years", "two more years"
    rf"\b(?:\d[\d.,]*|{'|'.join(_NUMBER_WORDS.split())})(?:\s*(?:-|–|to|or)\s*\S+)?"
    rf"(?:\s+(?:more|additional|extra|further|full))?(?:\s+|-)(?:{_TIME_UNITS})\b",
    re.I,
)
_HAS_COUNT = re.compile(rf"\d|\b(?:{'|'.join(_NUMBER_WORDS.split())}|dozen|hundred|thousand|million)\b", re.I)
_HAS_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|spring|summer|fall|autumn|winter|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|"
    r"sundays?|noon|midnight)\b|\b(?:1[0-2]|0?[1-9]):[0-5]\d\b|\b(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|(?-i:[ap]m)\b)",
    re.I,
)


# "which industry pays the most?", "the highest paid", "top earners", "which one is cheapest?": the answer is the
# largest (or smallest) figure of those given side by side. "Most" only with "the": "what do most grads make" asks
# what is usual. "Best" only where an amount is asked for ("which industry pays best"), not "the best language".
_MOST = re.compile(r"\bthe\s+most\b|\b(?:highest|largest|biggest|greatest|top)\b", re.I)
_BEST = re.compile(r"\bbest\b", re.I)
_LEAST = re.compile(r"\bthe\s+(?:least|fewest)\b|\b(?:lowest|smallest|cheapest)\b", re.I)
_AMOUNT = {  # the first figure of a kind in a sentence, and what multiplies it
    MONEY: re.compile(r"[$€£¥]\s?(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?\b|\b(\d[\d,]*(?:\.\d+)?)\s*([kK])\b"),
    PERCENT: re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b|percent\b)", re.I),
    COUNT: re.compile(r"(?<![\w$€£¥.,])(?!(?:19|20)\d\d\b)(\d[\d,]*(?:\.\d+)?)(?![\d,]*\s?%)"),  # not a year
}


def superlative(question: str, wanted: frozenset[str]) -> int:
    """1 when ``question`` asks for the largest figure ("pays the most", "highest paid", "top earners"; "best" only
    when ``wanted`` holds a kind of figure, not a name), -1 for the smallest ("cheapest", "the fewest"), else 0."""
    if _LEAST.search(question):
        return -1
    if _MOST.search(question) or (wanted & {MONEY, PRICE, PERCENT, COUNT} and _BEST.search(question)):
        return 1
    return 0


def amount(sentence: str, kind: str) -> float | None:
    """The first figure of ``kind`` (money, a price, a percentage, a count) that ``sentence`` states, as a number;
    None when it states none (or ``kind`` is one no number is read for: a span of time, a date)."""
    pattern = _AMOUNT.get(MONEY if kind == PRICE else kind)
    m = pattern.search(sentence) if pattern is not None else None
    if m is None:
        return None
    digits = next(g for g in m.groups()[::2] if g is not None) if kind in (MONEY, PRICE) else m.group(1)
    scale = next((g for g in m.groups()[1::2] if g), "") if kind in (MONEY, PRICE) else ""
    value = float(digits.replace(",", ""))
    return value * {"k": 1e3, "m": 1e6}.get(scale.lower(), 1.0)


def expected(question: str) -> frozenset[str]:
    """The kinds of answer ``question`` asks for (often none: "what does a data engineer do?")."""
    if _WHY.search(question):
        return frozenset()  # "why is demand rising?" asks for reasons, not a rate
    kinds: set[str] = set()
    stems = {stem(w) for w in words(question)}
    if stems & _PRICE_WORDS:
        kinds.add(PRICE)
    if stems & _MONEY_WORDS or _WHAT_DO_MAKE.search(question) or _MAKE_MORE.search(question):
        kinds.add(MONEY)
    how_much = _HOW_MUCH.search(question) and not _HOW_MUCH_OF_A_THING.search(question)  # not "how much math"
    if _HOW_MUCH_OF.search(question):
        kinds.add(PERCENT)  # a share: "how much of the week …"
    elif how_much and not kinds and not _HOW_LONG.search(question) and not stems & _RATE_WORDS:
        kinds.add(MONEY)  # "how much do they get?", "how much is the exam?"
    if stems & _RATE_WORDS:
        kinds.add(PERCENT)
    if _HOW_LONG.search(question):
        kinds.add(DURATION)
    elif _HOW_MANY.search(question) or _SCORE.search(question):
        kinds.add(COUNT)
    if _WHEN.search(question):
        kinds.add(DATE)
    return frozenset(kinds)


_STATES = (
    (MONEY, _HAS_MONEY),
    (PERCENT, _HAS_PERCENT),
    (DURATION, _HAS_DURATION),
    (COUNT, _HAS_COUNT),
    (DATE, _HAS_DATE),
)


# "which cert should i get first?", "what tools do they use?": a question asking which things, answered by their
# names ("start with CompTIA Security+"); read only to choose the sentence an answer opens with
_WHICH_THINGS = re.compile(  # (not "what does the exam cover?", whose exam is no answer)
    r"\b(?:which|what(?:['’]?s)?)\s+(?:(?!(?:do|does|did|can|could|should|would|will)\b)[\w-]+\s+){0,3}?"
    r"(?:certs?|certifications?|certificates?|credentials?|exams?|tools?|"
    r"languages?|librar(?:y|ies)|frameworks?|platforms?)\b",
    re.I,
)
_NAME_INSIDE = re.compile(r"\S\s+[\W_]*[A-Z]")  # a capitalised word after the first: "start with CompTIA …"
# ... or a first word in capitals or with a digit or a sign, which no sentence capitalises for opening: "C is still
# the main language", "AZ-104 is …", "C++ …" (not "A" or "I", which are words)
_NAME_FIRST = re.compile(r"^[\W_]*(?!(?:A|I)\b)(?:[A-Z]{1,6}\b|[A-Z][\w]*[\d+#])")
NAME = "name"  # the kind of answer such a question asks for (not one ``expected`` returns: it chooses no passage)


def asks_for_names(question: str) -> bool:
    """Whether ``question`` asks which certifications, tools, languages … (things known by their names)."""
    return bool(_WHICH_THINGS.search(question))


def names_things(sentence: str) -> bool:
    """Whether ``sentence`` names something: a capitalised word other than its first ("Common ones include Docker
    and Kubernetes"; not "Certifications are most useful for showing …"), or a first word that is a name by its
    look ("C is still the main language")."""
    text = LIST_MARKER.sub("", sentence)
    return bool(_NAME_INSIDE.search(text) or _NAME_FIRST.search(text))


def yes_or_no(question: str) -> bool:
    """Whether ``question`` asks yes or no (it opens with an auxiliary verb: "do ppl get paid during it?")."""
    return bool(_YES_NO.search(question)) and not _ASKS_WHAT.search(question)


def provided(sentence: str, heading: str = "") -> frozenset[str]:
    """The kinds of answer ``sentence`` states: a price is an amount of money said, in the sentence or its
    ``heading``, to be a cost, a fee, tuition or what is spent or charged ("The exam fee is $405", "$1,150 per
    credit" under "Tuition", "Expect to spend about $2,000")."""
    kinds = {kind for kind, pattern in _STATES if pattern.search(sentence)}
    if MONEY in kinds and {stem(w) for w in words(f"{heading} {sentence}")} & _PRICE_CUES:
        kinds.add(PRICE)
    return frozenset(kinds)


# The words that ask for each kind, for a query that lost them: a comparison's side ("data scientists") of
# "who makes more, data scientists or MLOps engineers?" is searched as "data scientists salary pay".
ASKING = {
    MONEY: "salary pay",
    PRICE: "cost",
    PERCENT: "growth rate",
    DURATION: "how long",
    COUNT: "how many",
    DATE: "when",
}


def asking_words(question: str, query: str) -> list[str]:
    """The words to add to ``query`` (a part of ``question``) so that it asks for what the question asks."""
    return [ASKING[k] for k in sorted(expected(question) - expected(query))]


def implied_words(query: str) -> str:
    """Words naming what ``query`` asks for when only its phrasing says so ("what do they make?" asks for pay
    in words no guide's pay passage uses): added to what is searched."""
    earning = _WHAT_DO_MAKE.search(query) or _MAKE_MORE.search(query)  # "make" as earn, not "how much is X"
    if earning and not _WHY.search(query) and not {stem(w) for w in words(query)} & _MONEY_WORDS:
        return ASKING[MONEY]
    return ""
