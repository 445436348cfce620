"""Parse: the corpus folder's files (Markdown, text, HTML, PDF, DOCX) read into documents of headed blocks.

A file that cannot be used (too big, binary, not UTF-8, no text) is skipped with a reason
the operator sees; the rest of the corpus is still read. Splitting blocks into passages is
:mod:`advisor.ingest.split`.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from advisor.config import Settings
from advisor.errors import CorpusError
from advisor.ingest.formats import Element, read_docx, read_pdf
from advisor.ingest.outline import PATH_SEPARATOR, Block, Outline, states_no_figure_above_figures, table_rows
from advisor.ingest.outline import add_block as _add
from advisor.ingest.pages import crawled_sources
from advisor.text import LIST_MARKER, SENTENCE_END

log = logging.getLogger(__name__)

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
BINARY = ("pdf", "docx")  # read from their bytes (formats.py), not decoded as text


@dataclass(frozen=True)
class Document:
    """One corpus file, read and parsed."""

    source: str  # e.g. "corpus/guide.md": stable across machines; a crawled page's URL
    title: str
    blocks: tuple[Block, ...]
    digest: str  # sha256 of the file's bytes
    site: str = ""  # who publishes it, when only an HTML page's <title> says so


@dataclass(frozen=True)
class Skipped:
    """A file left out of the index, and why (shown to the operator as a warning)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


# ---------------------------------------------------------------- reading files


def corpus_files(root: Path) -> list[Path]:
    """Every file under ``root`` with a supported suffix, sorted; errors if there is none."""
    if not root.exists():
        raise CorpusError(f"corpus directory {root} does not exist; create it or set ADVISOR_CORPUS")
    if not root.is_dir():
        raise CorpusError(f"{root} is not a directory; point ADVISOR_CORPUS at a folder of guides")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not _hidden(p, root))
    if not files:
        raise CorpusError(f"{root} has no .md, .txt, .html, .pdf or .docx files; add one or set ADVISOR_CORPUS")
    return files


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def source_name(path: Path, root: Path) -> str:
    """``corpus/sub/file.md``: the corpus folder's own name plus the relative path."""
    return (Path(root.resolve().name) / path.relative_to(root)).as_posix()


def read_corpus(settings: Settings) -> Corpus:
    """Read and parse every corpus file; unreadable files are skipped, not fatal."""
    root = settings.corpus
    documents: list[Document] = []
    skipped: list[Skipped] = []
    urls = crawled_sources(root)  # a crawled page is cited by its URL
    for path in corpus_files(root):
        source = urls.get(path.resolve()) or source_name(path, root)
        try:
            documents.append(read_document(path, source, settings.max_file_bytes))
        except CorpusError as exc:
            log.warning("skipping %s: %s", source, exc)
            skipped.append(Skipped(source, str(exc)))
    return Corpus(tuple(documents), tuple(skipped))


def read_document(path: Path, source: str, max_bytes: int) -> Document:
    """Decode and parse one file; a :class:`CorpusError` says why it cannot be used."""
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit; "
            "split the file or raise ADVISOR_MAX_FILE_BYTES"
        )
    raw = path.read_bytes()
    kind = SUFFIXES[path.suffix.lower()]
    if kind in BINARY:
        title, blocks = (read_pdf if kind == "pdf" else read_docx)(raw)
        return _document(path, source, raw, *from_elements(title, blocks, kind))
    text = _decoded(raw, html=kind == "html")
    if kind == "html":
        return _document(path, source, raw, *parse_page(text))
    return _document(path, source, raw, *(parse_markdown if kind == "markdown" else parse_text)(text))


def _decoded(raw: bytes, *, html: bool) -> str:
    """A text file's text: UTF-8 (with or without its mark); UTF-16 with its mark (Notepad's "Unicode"); else the
    encoding an HTML page declares (``<meta charset="windows-1252">``); else UTF-8 with each byte it does not allow
    read as Windows-1252, in which a file Notepad or Word saved as "ANSI" is written (curly quotes and dashes), also
    when only a pasted line is (a file otherwise UTF-8 keeps its UTF-8). A file with bytes neither allows is refused
    with the way out."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:8192]:
        raise CorpusError("looks like a binary file; save guides as .md, .txt, .html, .pdf or .docx")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if html:
        from bs4.dammit import EncodingDetector

        declared = EncodingDetector.find_declared_encoding(raw, is_html=True, search_entire_document=False)
        if declared and _codec(declared) not in ("", "utf-8"):
            try:
                return raw.decode(declared)
            except UnicodeDecodeError:
                pass
    try:
        return raw.decode("utf-8-sig", errors=_WINDOWS_1252)
    except UnicodeDecodeError:
        raise CorpusError(f"is not UTF-8 (bad byte at offset {bad}) nor Windows-1252; re-save it as UTF-8") from None


def _codec(encoding: str) -> str:
    """Python's name for an encoding a page declares ("" for one it does not know)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return ""


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: the bytes UTF-8 does not allow, read as Windows-1252 (strictly: its five unassigned
    bytes still fail)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252"), error.end


_WINDOWS_1252 = "advisor-windows-1252"
codecs.register_error(_WINDOWS_1252, _as_windows_1252)


def _document(path: Path, source: str, raw: bytes, title: str, blocks: list[Block], site: str = "") -> Document:
    title = title or path.stem.replace("-", " ").replace("_", " ").strip()
    digest = hashlib.sha256(raw).hexdigest()
    blocks = _without_echoes(title, blocks)
    if not blocks:
        raise CorpusError("has no paragraphs of text; add some or remove the file")
    return Document(source, title, tuple(blocks), digest, site)


_MARKER = re.compile(r"(?:^|\s)(?:[-*•]|\d+[.)])(?=\s)")  # a list item's bullet or number


def _heading_key(text: str) -> str:
    """Text compared as words alone: "2. Pay and Outlook" and "Pay and outlook?" read "pay and outlook"."""
    return " ".join(re.findall(r"\w+", _MARKER.sub(" ", text).lower()))


def _without_echoes(title: str, blocks: list[Block]) -> list[Block]:
    """The blocks, less those that only repeat the document's headings: a table of contents typed out
    ("In this article: 1. What analysts do 2. Pay") or a heading repeated as a line of text."""
    headings = {_heading_key(h) for b in blocks for h in b.section.split(PATH_SEPARATOR)} | {_heading_key(title)}
    longest_first = sorted(headings - {""}, key=len, reverse=True)

    def echo(text: str) -> bool:
        rest = f" {_heading_key(text)} "
        for heading in longest_first:
            rest = rest.replace(f" {heading} ", " ")
        return not rest.strip()

    kept = [b for b in blocks if not echo(b.text)]
    return kept or blocks


# ---------------------------------------------------------------- parsers


def from_elements(title: str, elements: list[Element], kind: str) -> tuple[str, list[Block]]:
    """Blocks from a PDF's or DOCX's elements; a PDF without headings is read like plain text, its tables aside."""
    if kind == "pdf" and not any(e.kind == "heading" for e in elements):
        # read as plain text, but the tables it has stay the tables its layout gave (plain text has no "·" rows)
        read: list[tuple[str, bool]] = []
        for tabled, run in groupby(elements, key=lambda e: e.kind == "table"):
            texts = [e.text for e in run]
            read += [(t, True) for t in texts] if tabled else _text_paragraphs(_text_chunks("\n\n".join(texts)))
        found, blocks = _outlined(read)
        return title or found, blocks
    outline = Outline()
    blocks = []
    for e in elements:
        if e.kind == "heading":
            outline.heading(e.level, e.text)
        else:
            _add(blocks, outline.section, e.text, after_lead_in=e.kind in ("list", "table"))
    return title or outline.title, blocks


def _inline_text(token: Any) -> str:
    """The text a reader sees of a Markdown inline token: no emphasis markers, links as their text."""
    out: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)  # its alt text
    return " ".join("".join(out).split())


def _anchor_only(token: Any, *, other_pages: bool = False) -> bool:
    """Whether an inline token is nothing but links to places on the same page (a table of contents' item), or
    with ``other_pages``, nothing but one link to another page titled in at least ``_TITLE_WORDS`` words (an item
    of a "Related posts" list: "[How to Choose a Paralegal Program](https://…)")."""
    children = [c for c in token.children or () if not (c.type == "text" and not c.content.strip())]
    depth, links, said = 0, 0, []
    for c in children:
        if c.type == "link_open":
            if str(c.attrGet("href") or "").startswith("#") == other_pages:
                return False
            depth, links = depth + 1, links + 1
        elif c.type == "link_close":
            depth -= 1
        elif depth == 0 and c.type not in ("softbreak", "hardbreak"):
            return False
        else:
            said.append(c.content)
    if other_pages:
        return links == 1 and len(" ".join(said).split()) >= _TITLE_WORDS
    return links > 0


_TITLE_WORDS = 4  # a link's text from which it reads as another page's title rather than a name ("Indeed")


def _links_only(token: Any) -> bool:
    """Whether an inline token says nothing outside its links but punctuation ("[Apply](…) | [Visit](…)")."""
    depth, links = 0, 0
    for c in token.children or ():
        if c.type == "link_open":
            depth, links = depth + 1, links + 1
        elif c.type == "link_close":
            depth -= 1
        elif depth == 0 and (c.type not in ("text", "softbreak", "hardbreak") or re.search(r"\w", c.content)):
            return False
    return links > 0


# what makes a file Markdown rather than plain text: a heading, a list, a table, a quote, code, HTML, a rule
_MARKED = frozenset(
    "heading_open bullet_list_open ordered_list_open table_open blockquote_open fence code_block html_block hr".split()
)
_MARKS = frozenset(("strong_open", "em_open", "link_open", "image", "code_inline"))  # ... or marks in its text


def _html_fragment(markup: str, outline: Outline, blocks: list[Block]) -> None:
    """HTML written into a Markdown file (a Notion callout's ``<aside>``, a ``<details>`` question and its answer),
    read as a page's content is, under the Markdown's outline."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(_SKIP_TAGS):
        tag.decompose()
    root = soup.body or soup
    if root.get_text().strip():
        _read_blocks(soup, root, outline, blocks)


def _image_only(token: Any) -> bool:
    """Whether an inline token is nothing but pictures (a Markdown image, perhaps linked): its alt text describes
    a picture the reader sees, not text of the page."""
    children = [c for c in token.children or () if not (c.type in ("text", "softbreak") and not c.content.strip())]
    return any(c.type == "image" for c in children) and all(
        c.type in ("image", "link_open", "link_close") for c in children
    )


_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}]*\}\s*$")  # a heading's "{#salary}" (Pandoc's, kramdown's attributes)
_BARE_URL = re.compile(r"<?https?://\S+>?")  # a list item that is only an address (a "Sources" list)
_BOLD_ONLY = ("strong_open", "strong_close", "em_open", "em_close", "text", "softbreak")


def _bold_only(token: Any) -> bool:
    """Whether an inline token is nothing but emphasised text (a line used as a heading)."""
    children = [c for c in token.children or () if not (c.type == "text" and not c.content.strip())]
    return (
        len(children) >= 3
        and children[0].type in ("strong_open", "em_open")
        and children[-1].type in ("strong_close", "em_close")
        and all(c.type in _BOLD_ONLY for c in children)
        and len(token.content) <= _HEADING_MAX
    )


def parse_markdown(text: str) -> tuple[str, list[Block]]:
    """Headings, paragraphs, lists and tables from Markdown (CommonMark and tables, via markdown-it-py).

    A list is one block, its items on their own lines ("- item", nested ones indented), joined to
    the paragraph that leads into it with ":"; a table is one block, a row per line, each cell
    with its header; a paragraph that is only bold text is a heading one level below the current.
    """
    from markdown_it import MarkdownIt

    text, described = _front_matter(text)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    if not any(t.type in _MARKED for t in tokens) and not any(
        _MARKS & {c.type for c in t.children or ()} for t in tokens
    ):
        title, plain = parse_text(text)  # a .md file with no Markdown in it: plain text, read as plain text is
        return title or described, plain
    first_heading = next((n for n, t in enumerate(tokens) if t.type == "heading_open"), len(tokens))
    outline = Outline()
    blocks: list[Block] = []
    lists: list[tuple[str, int]] = []  # open lists: (marker, next number)
    lines: list[str] = []  # the open list's items
    contents = True  # whether every item of the open list only links within the page (a table of contents)
    header: list[str] = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    in_head = False
    quoted: list[int] = []  # the outline's depth where each open block quote began
    blocks_at_heading = -1  # how many blocks there were at the last heading
    facts_at = -1  # ... at the last heading that may head a fact (:func:`_dated`)
    titles = True  # whether every item of the open list is one link to another page, titled (:func:`_anchor_only`)
    linked = True  # whether every item of the open list is links alone (a site's menu, before the page's heading)
    led = False  # whether the last paragraph leads into links, or is one it leads into
    details: list[int] = []  # the outline's depth where each open <details> began
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "html_block":
            for _ in re.findall(r"</details\s*>", tok.content, re.I):
                if details:
                    outline.close(details.pop())  # its question heads no more than its answer
            if re.search(r"<details\b", tok.content, re.I) and not re.search(r"</details\s*>", tok.content, re.I):
                details.append(len(outline.stack))
            _html_fragment(tok.content, outline, blocks)  # a Notion callout (<aside>), a <details> question
        elif kind == "heading_open":
            outline.heading(int(tok.tag[1]), _ATTRIBUTES.sub("", _inline_text(tokens[i + 1])))
            blocks_at_heading = len(blocks)
            facts_at = -1 if _anchor_only(tokens[i + 1], other_pages=True) else len(blocks)  # a card's title: none
        elif kind == "blockquote_open":
            quoted.append(len(outline.stack))
        elif kind == "blockquote_close" and quoted:
            outline.close(quoted.pop())  # a box's own heading ("> ### Key takeaways") ends with the box
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            lists.append(("1." if start else "-", start))
        elif kind == "list_item_open" and lists:
            marker, number = lists[-1]
            bullet = f"{number}." if number else "-"
            if number:
                lists[-1] = (marker, number + 1)
            lines.append("  " * (len(lists) - 1) + bullet + " ")
        elif kind in ("bullet_list_close", "ordered_list_close") and lists:
            lists.pop()
            if not lists:
                kept = [line for line in lines if line.strip() and not _BARE_URL.fullmatch(LIST_MARKER.sub("", line))]
                if contents and blocks_at_heading == len(blocks) and outline.stack:
                    outline.close(len(outline.stack) - 1)  # "Table of contents" headed only the contents
                elif linked and i < first_heading < len(tokens):
                    pass  # a converted page's menu of links above its heading
                elif not contents and not (titles and len(kept) > 1):  # nor is a list of other pages' titles text
                    _add(blocks, outline.section, "\n".join(kept), after_lead_in=True)
                lines, contents, titles, linked = [], True, True, True
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if in_head:
                header = row
            else:
                rows.append(row)
            row = None
        elif kind == "table_close":
            _add(blocks, outline.section, table_rows(header, rows), after_lead_in=True)
            header, rows = [], []
        elif kind == "inline" and tokens[i - 1].type != "heading_open":
            content = _inline_text(tok)
            if row is not None:
                row.append(content)
            elif lists:
                contents = contents and _anchor_only(tok)
                titles = titles and _anchor_only(tok, other_pages=True)
                linked = linked and _links_only(tok)
                lines[-1] = f"{lines[-1]}{content}" if lines[-1].endswith(" ") else f"{lines[-1]} {content}"
            elif _typed_table(tok.content):
                _add(blocks, outline.section, _table(tok.content.splitlines()), after_lead_in=True)  # no ruler
            elif _links_only(tok) and not (led and blocks and blocks[-1].section == outline.section):
                continue  # a paragraph of bare links ("[Book an appointment](…)") is navigation, as in a page
            elif _image_only(tok) or (_furniture(content) and not _dated(content, outline, facts_at == len(blocks))):
                continue  # a picture's alt text is not the page's text; nor is a byline or a breadcrumb
            elif _bold_only(tok):
                outline.subheading(content)
                blocks_at_heading = len(blocks)
            elif content:
                _add(blocks, outline.section, content)
                led = bool(_LEAD_IN.search(content)) or _links_only(tok)  # "For details, see:" and what it names
        elif kind in ("fence", "code_block") and tok.content.strip() and not lists:
            _add(blocks, outline.section, tok.content.rstrip())
    return outline.title or described, blocks


# YAML (or TOML) front matter opening a Markdown file: a static site's page, or a page saved by trafilatura or
# an exporter, with its title, author, date and address before the text
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(?=\S)(.*?)\r?\n(?:\1|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_TOML_TITLE = re.compile(r"^title\s*=\s*([\"'])(.*?)\1\s*$", re.M)


def _front_matter(text: str) -> tuple[str, str]:
    """A Markdown text without its front matter, and the title the front matter gives ("" without one). The
    front matter is the page's record, not its text: read as Markdown, its lines were a paragraph and its
    closing "---" made them a heading."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return text, ""
    import yaml

    title: object = ""
    if found.group(1) == "+++":
        toml = _TOML_TITLE.search(found.group(2))
        title = toml.group(2) if toml else ""
    else:
        try:
            record = yaml.safe_load(found.group(2))
        except yaml.YAMLError:
            return text, ""  # not front matter: a rule, lines and a rule
        if not isinstance(record, dict):
            return text, ""
        title = record.get("title", "")
    rest = text[found.end() :]
    return rest, " ".join(title.split()) if isinstance(title, str) else ""


_HEADING_MAX = 90


def parse_text(text: str) -> tuple[str, list[Block]]:
    """Paragraphs from plain text; a short line without final punctuation is a heading.

    Paragraphs are separated by blank lines, and also by single newlines where the lines are not
    hard-wrapped (:func:`_text_chunks`: text copied from a web page has a paragraph or a heading a
    line). A heading that is a question ("How long does it take?", in sentence case) sits under the
    heading before it that is not: a FAQ's questions under its topics.
    """
    return _outlined(_text_paragraphs(_text_chunks(text)))


def _outlined(read: list[tuple[str, bool]]) -> tuple[str, list[Block]]:
    """The title and blocks of a text's paragraphs in order, each with whether it is a list or a table (read by
    :func:`parse_text`'s rules: a short line without final punctuation is a heading, the first the title)."""
    paragraphs = [(line, listed) for line, listed in read[_menu_end(read) :] if listed or not _furniture(line)]
    paragraphs = paragraphs[: _end_of_text(paragraphs)]
    lines = [line for line, _ in paragraphs]
    outline = Outline()
    blocks: list[Block] = []
    answering = False  # whether the paragraph is the answer to a question labelled "Q:" above it
    for i, (line, listed) in enumerate(paragraphs):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if answering and not listed:
            line = _ANSWER_LABEL.sub("", line, count=1)
        answering = False
        if not listed and following and _QUESTION_LABEL.match(line) and _ANSWER_LABEL.match(following):
            outline.subheading(_QUESTION_LABEL.sub("", line, count=1))  # "Q: …?" before "A: …", labels dropped
            answering = True
        elif listed:  # a list or a table joins the paragraph leading into it, as a Markdown one does
            _add(blocks, outline.section, line, after_lead_in=True)
        # The first line is the title when it is short and unpunctuated, whatever follows (a section heading may).
        elif _looks_like_heading(line, following) or (i == 0 and following is not None and _unpunctuated(line)):
            if i == 0:
                outline.heading(1, line)
            elif line.endswith("?") and not _title_case(line):
                outline.subheading(line)  # a FAQ's question under its topic; "Which Path Is Right?" is a section
            else:
                outline.heading(2, line)
        else:
            _add(blocks, outline.section, line)
    return outline.title, blocks


_MENU_WORDS = 4  # a menu's item says at most this many words ("Resumes & Cover Letters")


def _menu_end(read: list[tuple[str, bool]]) -> int:
    """Where a page copied whole from a browser (Ctrl+A) begins its text: after the "Skip to main content" it opens
    with and the run of menu items after that (short lines, no figure, question, lead-in or sentence), or 0 for a
    text that does not open so."""
    if not read or read[0][1] or not _SKIP_LINK.fullmatch(read[0][0]):
        return 0
    end = 1
    while end < len(read) and not read[end][1] and _menu_item(read[end][0]):
        end += 1
    return end


def _menu_item(line: str) -> bool:
    return len(line.split()) <= _MENU_WORDS and not re.search(r"\d|[?:.!]$", line)


# A FAQ's labels: "Q: Do I need a degree?" heads the answer labelled "A: Not always."
_QUESTION_LABEL = re.compile(r"(?:Q|Question)\s*[:.)]\s+", re.I)
_ANSWER_LABEL = re.compile(r"(?:A|Answer)\s*[:.)]\s+", re.I)
_TAIL = 3  # short lines, none a sentence, that end a text: the page's links and buttons, not its text


def _end_of_text(paragraphs: list[tuple[str, bool]]) -> int:
    """Where a pasted page's text ends: before the run of short lines that are not sentences with which it
    closes, when there are at least ``_TAIL`` of them ("Request information", "Related articles", a few
    titles, "Share", "Tags: …"). A list or a table ends the run: it is the page's own."""
    end = len(paragraphs)
    while end and not paragraphs[end - 1][1] and _unpunctuated(paragraphs[end - 1][0].rstrip("?")):
        end -= 1
    return end if end and len(paragraphs) - end >= _TAIL else len(paragraphs)


_WRAPPED = 100  # a line longer than this is not hard-wrapped: it is a paragraph of its own
# the share of such lines from which a text is not hard-wrapped: in the dev and blind texts, 25-68% of an unwrapped
# text's lines are longer, and at most 1% of a wrapped one's (a long address or table line)
_UNWRAPPED = 0.1


def _text_chunks(text: str) -> list[list[str]]:
    """A plain text's chunks of lines, each a paragraph, a list or a table to be.

    Blank lines separate chunks. A text hard-wrapped to a width keeps each chunk's lines together (they are one
    paragraph); a text with many lines longer than ``_WRAPPED``, or without blank lines, is not wrapped: each of its
    lines is a paragraph or a heading of its own ("What does a hygienist do?" on the line above its answer), except
    that a list's lines and a pasted table's (cells between tabs) stay together.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = [[row.rstrip() for row in chunk.split("\n") if row.strip()] for chunk in re.split(r"\n\s*\n", text)]
    chunks = [_bulleted(part) for rows in chunks for part in _underlined(rows)]
    lines = [row for rows in chunks for row in rows]
    if re.search(r"\n\s*\n", text) and sum(len(row) > _WRAPPED for row in lines) < _UNWRAPPED * len(lines):
        return [part for rows in chunks if rows for part in _question_and_answer(rows)]
    out: list[list[str]] = []
    for rows in chunks:
        run: list[str] = []
        for row in rows:
            kind = _row_kind(row)
            if run and kind and (kind == _row_kind(run[0]) or (kind == "continued" and _row_kind(run[0]) == "item")):
                run.append(row)
                continue
            if run:
                out.append(run)
            run = [row]
        if run:
            out.append(run)
    return out


# A line of one mark repeated: a heading's underline ("=====" or "-----" under it) or a separator ("* * *")
_RULE = re.compile(r"\s*([=~*_#+-])(?:\s*\1){2,}\s*")
_UNDERLINE = re.compile(r"\s*(?:={3,}|-{3,})\s*")


def _underlined(rows: list[str]) -> list[list[str]]:
    """A chunk's lines without rules: a line underlined with "=" or "-" (as a Word "Save as Plain Text" or a
    reStructuredText page writes its headings) stands alone, to be read as the heading it is; a rule on its own
    line separates, and says nothing."""
    out: list[list[str]] = [[]]
    for row in rows:
        if not _RULE.fullmatch(row):
            out[-1].append(row)
        elif out[-1] and _UNDERLINE.fullmatch(row) and _unpunctuated(out[-1][-1].strip()):
            heading = out[-1].pop()
            out += [[heading], []]
        elif out[-1] and _UNDERLINE.fullmatch(row):
            out.append([])  # a rule under a paragraph ends it
        # else a separator ("* * *"), or a table's ruler typed with spaces ("-----  -----"): it says nothing
    return [part for part in out if part]


# a word processor's bullet saved as text: "•" (or "·", "▪") and a tab or spaces; "o" or "§" (its second and third
# levels) with a tab, or with spaces on every line of a run; a number with a tab ("1.\tComplete …")
_SAVED_BULLET = re.compile(r"(\s*)([•·▪◦])[\t ]+(?=\S)")
_SAVED_SUB_BULLET = re.compile(r"(\s*)([o§])(\t+| +)(?=\S)")
_SAVED_NUMBER = re.compile(r"(\s*\d{1,2}[.)])\t+(?=\S)")


def _bulleted(rows: list[str]) -> list[str]:
    """A chunk's lines with the bullets a word processor writes into a text file ("•\tRecording patient history",
    "o\tBlood pressure" under it) as list items ("- …", nested "  - …"), so that they read as the list they are
    and not as a table's cells (tabs) or page furniture (a symbol opening a short line)."""
    spaced = [bool(_SAVED_SUB_BULLET.match(row)) and "\t" not in row[:4] for row in rows]
    out: list[str] = []
    for n, row in enumerate(rows):
        sub = _SAVED_SUB_BULLET.match(row)
        run = (n > 0 and spaced[n - 1]) or (n + 1 < len(rows) and spaced[n + 1])
        if sub and ("\t" in sub.group(3) or run):
            under = (
                bool(out) and LIST_MARKER.match(out[-1]) is not None and not rows[n - 1].lstrip().startswith(("o", "§"))
            )
            indent = out[-1][: len(out[-1]) - len(out[-1].lstrip())] if out and LIST_MARKER.match(out[-1]) else ""
            out.append(f"{indent}{'  ' if under else ''}- {row[sub.end() :]}")
        elif bullet := _SAVED_BULLET.match(row):
            out.append(f"{bullet.group(1)}- {row[bullet.end() :]}")
        else:
            out.append(_SAVED_NUMBER.sub(r"\1 ", row, count=1))
    return out


def _question_and_answer(rows: list[str]) -> list[list[str]]:
    """A hard-wrapped chunk's lines, as two chunks when it holds a labelled question and its answer ("Q: …" on the
    lines above "A: …")."""
    if _QUESTION_LABEL.match(rows[0]):
        answer = next((i for i, row in enumerate(rows) if i and _ANSWER_LABEL.match(row)), None)
        if answer:
            return [rows[:answer], rows[answer:]]
    return [rows]


def _row_kind(row: str) -> str:
    """What a pasted line is: "item" for a list item's line, "continued" for an indented line (a wrapped item's),
    "cells" for a table row pasted with tabs between its cells, else ""."""
    if LIST_MARKER.match(row):
        return "item"
    if len(_cells(row)) >= 2:
        return "cells"
    return "continued" if row[:1].isspace() else ""


_PIPE_ROW = re.compile(r"\s*\|.*\|\s*")  # a table row typed between bars: "| Electricians | $61,590 |"
_RULER = re.compile(r":?-{2,}:?")  # a cell of the row under a typed table's header: "|---|:--:|"


def _cells(row: str) -> list[str]:
    """A pasted table row's cells: between tabs, or between bars."""
    if _PIPE_ROW.fullmatch(row) and row.count("|") >= 3:
        return [cell.strip() for cell in row.strip()[1:-1].split("|")]
    return [cell.strip() for cell in row.strip().split("\t")] if "\t" in row.strip() else []


def _typed_table(text: str) -> bool:
    """Whether a paragraph is a table typed between bars, one row a line (a Markdown table without its ruler)."""
    lines = text.splitlines()
    return len(lines) >= 2 and all(_PIPE_ROW.fullmatch(line) for line in lines) and bool(_table(lines))


def _ruler(cells: list[str]) -> bool:
    return bool(cells) and all(_RULER.fullmatch(c) for c in cells)


def _table(rows: list[str]) -> str:
    """Rows pasted with tabs between cells, as a table's lines ("Setting: Hospitals · Median wage: $81,200"),
    or "" when they are not one (fewer than two rows, or rows of different widths). The first row is the
    header when it states no figure while a later row does, as a table's header row does."""
    cells = [_cells(row) for row in rows]
    ruled = len(cells) > 2 and _ruler(cells[1])  # a header row over its ruler, as Markdown writes one
    cells = [c for c in cells if not _ruler(c)]
    if len(cells) < 2 or len({len(c) for c in cells}) != 1 or len(cells[0]) < 2:
        return ""
    headed = ruled or states_no_figure_above_figures(cells)
    return table_rows(cells[0], cells[1:]) if headed else table_rows([], cells)


def _text_paragraphs(chunks: list[list[str]]) -> list[tuple[str, bool]]:
    """Each paragraph of a plain text, and whether it is a list or a table, whose items keep their own lines.

    A list is a run of lines opening with a bullet or a number ("- ", "• ", "2. "): a line without one continues
    the item above it (a wrapped item), a deeper indent nests it. Lines after a lead-in (":") that each open
    as a sentence or a figure does ("Junior developer advocate: $95,000 to $120,000") are a list without
    bullets (:func:`_bare_item`), and so are such lines each a paragraph of its own, as a list copied from a web
    page is. Lines with tabs between cells are a table. Any other chunk is a paragraph, its hard-wrapped lines
    joined into one.
    """
    out: list[tuple[str, bool]] = []
    bare = False  # whether the last paragraph is a list without bullets that a next line may go on
    for n, rows in enumerate(chunks):
        following = chunks[n + 1][0] if n + 1 < len(chunks) else None
        if _numbered_heading(rows, chunks[n - 1] if n else [], following):
            out.append((LIST_MARKER.sub("", rows[0]), False))  # "2. Education and licensing" heads its section
            bare = False
            continue
        led = bool(out) and not out[-1][1] and out[-1][0].endswith(":")
        open_items = out[-1][0].split("\n")[1:] if bare else []  # the open list's items, after its lead-in
        if len(rows) == 1 and (led or bare) and _bare_item(rows[0], following, open_items):
            item = " ".join(rows[0].split())
            out[-1] = (f"{out[-1][0]}\n{item}", True) if bare else out[-1]
            if not bare:
                out.append((item, True))
            bare = True
            continue
        bare = False
        table = _table(rows)
        if table:
            out.append((table, True))
            continue
        first = next((i for i, row in enumerate(rows) if LIST_MARKER.match(row)), None)
        if first is None:
            if led and len(rows) >= 2 and all(re.match(r"[A-Z0-9$€£]", row.lstrip()) for row in rows):
                out.append(("\n".join(" ".join(row.split()) for row in rows), True))
            else:
                out.append((" ".join(" ".join(rows).split()), False))
            continue
        if first:
            out.append((" ".join(" ".join(rows[:first]).split()), False))
        items: list[str] = []
        indents = [len(rows[first]) - len(rows[first].lstrip())]
        for row in rows[first:]:
            indent = len(row) - len(row.lstrip())
            if not LIST_MARKER.match(row):
                items[-1] += " " + " ".join(row.split())
                continue
            while len(indents) > 1 and indent < indents[-1]:
                indents.pop()
            if indent > indents[-1]:
                indents.append(indent)
            items.append("  " * (len(indents) - 1) + " ".join(row.split()))
        if out and out[-1][1] and len(rows) == 1 and LIST_MARKER.match(out[-1][0]):
            out[-1] = (f"{out[-1][0]}\n{items[0]}", True)  # one item a line, in a text without blank lines
        else:
            out.append(("\n".join(items), True))
    return out


_NUMBERED = re.compile(r"\s*(\d{1,2})[.)]\s+\S")


def _numbered_heading(rows: list[str], before: list[str], following: str | None) -> bool:
    """Whether a chunk is a numbered heading ("11. What is a typical day like?" over its paragraphs) rather than
    a list's item: one short, unpunctuated numbered line, before a line that is no list's item, and not after
    the item numbered one less (a list's last item, before the paragraph after the list)."""
    number = _NUMBERED.match(rows[0]) if len(rows) == 1 else None
    if number is None or following is None or LIST_MARKER.match(following):
        return False
    earlier = [int(n.group(1)) for row in before if (n := _NUMBERED.match(row))]
    listed = bool(before) and bool(LIST_MARKER.match(before[0]))  # the chunk before is an item (perhaps wrapped)
    if listed and earlier and earlier[-1] == int(number.group(1)) - 1:
        return False
    return _looks_like_heading(LIST_MARKER.sub("", rows[0]), following)


def _bare_item(line: str, following: str | None, items: list[str]) -> bool:
    """Whether a line after a lead-in, or after the ``items`` of a list without bullets, is an item of it: short
    (see below), opening as a sentence or a figure does, ending as the first item does (with a
    sentence's stop or without: the sentence after a list of phrases is not an item), and neither a lead-in of
    its own nor a heading ending the list (a question before its answer, or a title-case line after items that
    are not). A phrase may be twice a heading's length; a sentence is short or it is a paragraph."""
    sentence = bool(SENTENCE_END.search(line))
    if len(line) > (1 if sentence else 2) * _HEADING_MAX or line.endswith(":"):
        return False
    if not re.match(r"[A-Z0-9$€£\"“]", line.lstrip()) or (items and sentence != bool(SENTENCE_END.search(items[0]))):
        return False
    if following is not None and _looks_like_heading(line, following) and len(following) > _HEADING_MAX:
        if line.endswith("?"):
            return False
        if _title_case(line) and items and not all(map(_title_case, items)):
            return False
    return True


# Page furniture copied with a text: a short line that opens with a symbol ("| 5 Min Read", "» Home", "© 2024").
_FURNITURE = re.compile(r"[^\w\s\"“‘'(\[*•$€£#-]\W*(?:\S+\s*){0,4}")
_BAR = re.compile(r"\s+[|·>»›/]\s+")  # between a byline's parts, or a breadcrumb's


def _furniture(line: str) -> bool:
    """Whether a line is the page's furniture rather than its text: a short line that opens with a symbol, or a
    short line of short parts between bars or arrows ("By Ana Ruiz | Updated May 2, 2025 | 6 min read",
    "Home > Careers > Nursing"), unless each part is a label and its value, as quick facts are ("Credits: 120 ·
    Length: 4 years")."""
    if _FURNITURE.fullmatch(line) or _DATE.fullmatch(line) or _byline(line) or _LABEL.fullmatch(line):
        return True
    if _CONTACT.search(line):
        return False  # "jlee@larkspur.edu | 555-201-4410" is an advisor's address, however short
    if _COPYRIGHT.match(line) and len(line) <= 2 * _HEADING_MAX:
        return True  # "© 2024 Larkspur State University. All rights reserved."
    parts = _BAR.split(line)
    return (
        len(parts) >= 2
        and len(line) <= 2 * _HEADING_MAX
        and all(0 < len(part.split()) <= 6 and not re.search(r"[.!?:]$", part) for part in parts)
        and not all(_LABELLED.match(part) for part in parts)
    )


_SKIP = r"skip\s+to\s+(?:the\s+)?(?:main\s+)?content"  # the link a page opens with, to skip its menu
_SKIP_LINK = re.compile(rf"\s*{_SKIP}\W*", re.I)
# a web page's own labels, copied with its text: the link to skip its menu, an advertisement's label
_LABEL = re.compile(
    rf"\s*(?:{_SKIP}|skip\s+navigation|advertisement|back\s+to\s+top|share(?:\s+this"
    r"(?:\s+(?:article|page|post))?)?|(?:is|was)\s+this\s+(?:article|page|post)\s+helpful|"
    # a reading time: "7 min read", "Reading time: 6 minutes"
    r"\d+\s*(?:[–-]\s*\d+\s*)?min(?:ute)?s?\s+read|reading\s+time:?\s*\d+\s*(?:[–-]\s*\d+\s*)?min(?:ute)?s?)\W*",
    re.I,
)
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}")  # an e-mail address, a phone
_COPYRIGHT = re.compile(r"\s*(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))", re.I)
_BYLINE = re.compile(r"(?:(?:Written|Posted|Reviewed|Medically reviewed)\s+)?[Bb]y\s+([A-Z][\w.'’-]*)")
_STAMP = re.compile(r"\b(?:updated|published|posted|min(?:ute)?s?\s+read)\b", re.I)
_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _byline(line: str) -> bool:
    """Whether a line is a byline without bars: "By Kiran Patel Updated May 2, 2024" (a name after "By", a date
    or an update stamp, no sentence: "By March 1, 2026, submit your forms." is a deadline)."""
    found = _BYLINE.match(line)
    if _STAMPED.fullmatch(line):
        return True  # "Updated June 5, 2025"
    return (
        found is not None
        and found.group(1).lower() not in _MONTHS
        and len(line) <= 2 * _HEADING_MAX
        and not SENTENCE_END.search(line)
        and bool(_DATE.search(line) or _STAMP.search(line) or _NAMED.fullmatch(line))
    )


def _dated(line: str, outline: Outline, first: bool) -> bool:
    """Whether a date alone is a section's fact, not a post's date: the first thing a heading below the title
    heads ("Application deadline" over "February 1, 2026")."""
    return first and bool(outline.stack) and bool(_DATE.fullmatch(line))


# a date alone on its line (a card's or a post's date): "May 2, 2025", "5/2/2025", "2025-05-02"
_DATE = re.compile(r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
_LABELLED = re.compile(r"[^:]{1,40}:\s+\S")  # "Credits: 120"
_STAMPED = re.compile(
    rf"(?:last\s+)?(?:updated|published|posted|reviewed|modified)(?:\s+on)?:?\s+(?:{_DATE.pattern})\.?", re.I
)
# "Reviewed by Jennifer Herrity": a byline that is a name alone after a verb of writing ("By Industry" is a heading)
_NAMED = re.compile(
    r"(?:Written|Posted|Reviewed|Medically reviewed|Edited)\s+by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
)


def _title_case(line: str) -> bool:
    """Whether most longer words are capitalised, as in a section title ("Which Career Path Is Right for You?")."""
    longer = [w for w in line.split() if len(w) > 3]
    return bool(longer) and sum(w[0].isupper() for w in longer) / len(longer) >= 0.6


def _unpunctuated(line: str) -> bool:
    """Short, and not ending as a sentence or a lead-in does."""
    return len(line) <= _HEADING_MAX and not re.search(r"[.!:;,]$", line)


def _looks_like_heading(line: str, following: str | None) -> bool:
    """Short and unpunctuated, before a longer paragraph; or a question before its answer, however short
    ("Do you work remotely?" before "Mostly, yes.")."""
    if not _unpunctuated(line) or following is None:
        return False
    return len(following) > len(line) or (line.endswith("?") and not following.endswith("?"))


_SKIP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "form", "template", "svg", "button"]
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_BLOCK_TAGS = [*_HEADINGS, "p", "ul", "ol", "table", "blockquote", "pre", "dl", "summary", "figcaption"]
_CHROME = re.compile(
    r"cookie|consent|breadcrumb|skip-link|banner|sidebar|site-nav|menu|share|social|related|newsletter|pagination|"
    r"post-navigation|comment-respond|(?:site|global)-(?:header|footer)|masthead|widget-area|catlinks|"
    r"(?<![a-z])(?:secondary|side|left|sub|local|utility|mega|main|top|primary|global)?-?nav(?:bar|igation|menu)?(?![a-z])|"
    r"^(?:left|right)-?col$",
    re.I,
)
# an id naming a region of a page without <main> (an older CMS's <div id="header">, "topnav", "footer")
_CHROME_ID = re.compile(r"^(?:header|footer|top-?nav|comments|respond|nav-links)$", re.I)
# never the page's content, whatever a box so named holds
_NOTICE = re.compile(
    r"cookie|consent|breadcrumb|skip-link|site-nav|newsletter|pagination|post-navigation|comment-respond",
    re.I,
)
_CONTENT_WORDS = 5  # words outside links and headings from which a headed box a class names as chrome says something


def _content(tag: Any) -> bool:
    """Whether a box whose class or id reads as chrome is the page's content all the same: one around the page
    ("site-content layout-right-sidebar", holding the ``<h1>``), or one with a heading and prose of its own, as
    names merely containing the words are ("social-work-careers", "hero-banner", "job-related-skills"). A sidebar
    of link titles, a share box or a menu says little outside its links; a cookie notice or breadcrumb is never
    content."""
    names = " ".join([*tag.get("class", []), str(tag.get("id", ""))])
    if _NOTICE.search(names):
        return tag.find(["main", "article", "h1"]) is not None  # a newsletter page's body
    if tag.find(["main", "article", "h1"]) is not None:
        return True
    return tag.find(_HEADINGS) is not None and _own_words(tag) >= _CONTENT_WORDS


def _own_words(box: Any) -> int:
    """How many words a box says past its headings and links: a box of link titles says none."""
    said = (t for t in box.find_all(string=True) if t.find_parent(["a", *_HEADINGS, "summary"]) is None)
    return len(re.findall(r"\w+", " ".join(said)))


# Elements that hold flowing text: their loose text (not inside a <p> or another block) is a paragraph too.
_BOXES = ["body", "main", "article", "section", "div", "details", "center", "aside"]
# Inline elements: a run of these and bare text inside a box reads as one paragraph.
_INLINE = {
    *("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "font", "i", "img", "kbd"),
    *("label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"),
    *("acronym", "big", "del", "ins", "nobr", "strike", "tt"),
}


# a paragraph leading into the links after it: "Contact us:", "For more information about computer careers, visit"
# (at least five words without a sentence's stop)
_LEAD_IN = re.compile(r":\s*$|^(?=(?:\S+\s+){4}\S)(?!.*[.!?…][\"”’')\]]*\s*$)")


def _said_outside_links(text: Any) -> bool:
    link = text.find_parent("a")
    return link is None or str(link.get("href", "")).lower().startswith(("mailto:", "tel:"))


def _prose(run: list[Any]) -> bool:
    """Whether a run of loose text and inline elements says something beyond links: a row of buttons or
    links ("Apply now", "Request information") is navigation, not a paragraph."""
    from bs4 import Tag

    def said(node: Any) -> str:
        if not isinstance(node, Tag):
            return str(node)
        if node.name == "a":  # an e-mail address or a phone number is what it says, not a way elsewhere
            return node.get_text() if str(node.get("href", "")).lower().startswith(("mailto:", "tel:")) else ""
        return "".join(t for t in node.find_all(string=True) if _said_outside_links(t))

    outside = " ".join(said(c) for c in run)
    return bool(re.search(r"\w", outside)) and not _TEASER.fullmatch(outside)


# the label of a teaser linking to another article ("Related: <a>12 Data Analyst Skills …</a>")
_TEASER = re.compile(
    r"\W*(?:related(?:\s+(?:article|post|reading))?|read\s+(?:more|next)|see\s+also|recommended)\W*", re.I
)


def _wrap_loose(soup: Any, root: Any) -> None:
    """Put the loose text of every box in ``root`` into ``<p>``: prose in a ``<div>`` (or after a
    heading in a ``<section>``) with no paragraph tag is read like any paragraph, not dropped."""
    from bs4 import NavigableString, Tag

    def inline(node: Any) -> bool:
        if isinstance(node, NavigableString):
            return True
        return isinstance(node, Tag) and node.name in _INLINE and node.find([*_BLOCK_TAGS, *_BOXES]) is None

    taken = [*_BLOCK_TAGS, "li", "dd", "dt", "td", "th"]
    for box in [root, *root.find_all(_BOXES)]:
        if box.find_parent(taken):
            continue  # inside a block read whole
        run: list[Any] = []
        for child in [*box.children, None]:
            if child is not None and inline(child):
                run.append(child)
                continue
            if _prose(run):
                para = soup.new_tag("p")
                run[0].insert_before(para)
                for c in run:
                    para.append(c.extract())
            run = []


_ASIDE_WORDS = 3  # an aside saying fewer words than this past its headings and links is chrome


def _side_boxes(soup: Any, root: Any) -> list[Any]:
    """The ``<aside>`` boxes of the page's content ("Quick facts: three terms, 34 credits", "Key takeaways"),
    taken out of it to be read after it under their own headings (:func:`parse_page`), so that a box's heading
    heads only its own text and none of the content's sections heads the box. A box without a heading stays
    where it is, read with the section it sits in. A box outside the content (``<main>`` or ``<article>``: a
    site's sidebar), or one that says nothing past its headings and links (a related-links box, a form's
    heading once the form is gone), is dropped."""
    content = root.name in ("main", "article")
    taken: list[Any] = []
    for box in soup.find_all("aside"):
        if box.find_parent("aside") is not None:
            continue  # read (or dropped) with the box around it
        if not (content and any(p is root for p in box.parents)) or _own_words(box) < _ASIDE_WORDS:
            box.decompose()
        elif box.find([*_HEADINGS, "summary"]) is not None:
            taken.append(box.extract())
    return taken


def _contents_list(el: Any) -> bool:
    """A list whose every item is a link to a place on the same page: a table of contents, not content."""

    def text(strings: Any, item: Any) -> str:
        return " ".join(" ".join(t for t in strings if t.find_parent("li") is item).split())

    items = el.find_all("li")
    for item in items:
        links = [a for a in item.find_all("a") if str(a.get("href", "")).startswith("#")]
        anchors = text((t for a in links for t in a.find_all(string=True)), item)
        if not anchors or text(item.find_all(string=True), item) != anchors:
            return False
    return bool(items)


# a heading announcing other articles: "Explore more articles", "Related posts", "You might also like", "Read next"
_MORE = re.compile(
    r"\b(?:related|more|also|recommended|popular|latest|explore|further|keep\s+reading|read\s+next)\b", re.I
)


_MORE_WORDS = 6  # a heading announcing other articles says at most this ("You Might Also Like" says four)


def _titles_list(el: Any, section: str) -> bool:
    """A list of other pages' titles under a heading that announces them ("Explore more articles": each item one
    link to another page, titled in at least ``_TITLE_WORDS`` words): other pages, not this one's text. A list of
    the programs or associations a page links to, under its own heading, is the guide's, and so are job boards."""
    items = el.find_all("li", recursive=False)
    if len(items) < 2 or not _MORE.search(section.split(PATH_SEPARATOR)[-1]):
        return False
    for item in items:
        links = item.find_all("a")
        said = " ".join(t for t in item.find_all(string=True) if t.find_parent("a") is None)
        href = str(links[0].get("href", "")) if len(links) == 1 else "#"
        if href.startswith(("#", "mailto:", "tel:")) or re.search(r"\w", said):
            return False
        if len(_html_text(links[0]).split()) < _TITLE_WORDS:
            return False
    return True


def _html_text(el: Any) -> str:
    """An element's text as a reader sees it: inline markup joined as written ("the <b>most</b>." is
    "the most."), blocks and line breaks apart (:func:`_spaced` marked them)."""
    return " ".join(el.get_text().split())


def _spaced(soup: Any) -> None:
    """Comments out; a space for every ``<br>`` and around every element that is not inline, so that
    text read with no separator keeps words apart only where the page does."""
    from bs4 import Comment, NavigableString

    for comment in soup.find_all(string=lambda t: isinstance(t, Comment)):
        comment.extract()
    # inside each element, not beside it: inserting beside one makes bs4 search its parent (slow on a
    # page of thousands of paragraphs)
    for el in soup.find_all(True):
        if el.name == "br":
            el.append(NavigableString(" "))
        elif el.name not in _INLINE:
            el.insert(0, NavigableString(" "))
            el.append(NavigableString(" "))
        elif _chip(el):
            el.append(NavigableString(" "))  # chips set apart by their style: "Wireframing" "Prototyping"


def _chip(el: Any) -> bool:
    """Whether an inline element is followed right away, with no space, by another whose text opens a new word in
    capitals or figures (``<span>Wireframing</span><span>Prototyping</span>``): a page's chips or tags, shown apart by
    their style, not one word. A word split by markup ("<b>Data</b>base") goes on in lowercase, or in text."""
    after = el.next_sibling
    if after is None or getattr(after, "name", None) not in _INLINE or after.name in ("br", "wbr"):
        return False
    said, next_said = el.get_text(), after.get_text()
    return bool(said) and bool(next_said) and said[-1].isalnum() and (next_said[0].isupper() or next_said[0].isdigit())


def _html_list(el: Any, depth: int = 0) -> list[str]:
    """Items of a ``<ul>``/``<ol>`` as lines, nested lists indented under their item."""
    lines: list[str] = []
    start = str(el.get("start", "1")).strip()
    first = int(start) if start.isdigit() else 1  # <ol start="3"> goes on from an earlier list
    for n, item in enumerate(el.find_all("li", recursive=False), first):
        nested = [sub for sub in item.find_all(["ul", "ol"]) if sub.find_parent("li") is item]  # deeper ones in them
        for sub in nested:
            sub.extract()
        bullet = f"{n}." if el.name == "ol" else "-"
        lines.append("  " * depth + f"{bullet} {_html_text(item)}")
        for sub in nested:
            lines += _html_list(sub, depth + 1)
    return lines


def _html_table(el: Any) -> str:
    """A table as one line per row, each cell with its column's header: the header rows' cells above it (two
    header rows name "Change, 2024-34 Percent"), a cell spanning rows or columns counted in each. The header is
    the leading rows of ``<th>`` (or bold) cells; without one, a first row stating no figure above rows that do,
    unless the table is two columns of labels and values ("Typical education · Associate degree")."""
    grid = _grid(el)
    captions = []
    while len(grid) > 1 and len(grid[0]) > 1 and len({text for text, _ in grid[0]}) == 1:
        captions.append(grid.pop(0)[0][0])  # a row spanning the whole table names it: "Quick Facts: Electricians"
    if not grid:
        return ""
    return "\n".join([*captions, _labelled(grid)])


def _labelled(grid: list[list[tuple[str, bool]]]) -> str:
    """The rows under their header rows (th, thead or bold cells; a row of one cell spanning the table is a group's
    label, never a header: it stands on its own line above its group's rows)."""
    heads = 0
    while heads < len(grid) - 1 and all(header for _, header in grid[heads]) and not _spanning(grid[heads]):
        heads += 1
    rows = [[text for text, _ in row] for row in grid]
    labels: list[str] = []
    for col in range(max(len(r) for r in rows) if heads else 0):
        said = [rows[r][col] for r in range(heads) if col < len(rows[r]) and rows[r][col]]
        labels.append(" ".join(dict.fromkeys(said)))
    lines = []
    for row, cells in zip(grid[heads:], rows[heads:], strict=True):
        lines.append(cells[0] if _spanning(row) else table_rows(labels, [cells]))
    return "\n".join(line for line in lines if line)


def _spanning(row: list[tuple[str, bool]]) -> bool:
    """A row of one cell across the whole table (as its grid repeats it in every column): a group's label."""
    return len(row) > 1 and len({text for text, _ in row}) == 1


def _grid(table: Any) -> list[list[tuple[str, bool]]]:
    """A table's own rows as cells (text, whether a header cell), a cell spanning columns or rows repeated in each."""
    grid: list[list[tuple[str, bool]]] = []
    below: dict[int, tuple[str, bool, int]] = {}  # column → a cell spanning down into the next rows
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[tuple[str, bool]] = []
        in_head = tr.find_parent("thead") is not None
        for cell in tr.find_all(["th", "td"], recursive=False):
            while len(row) in below:
                row.append(_carried(below, len(row)))
            text = _html_text(cell)
            header = cell.name == "th" or in_head or _bold_text(cell)
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            for _ in range(across):
                if down > 1:
                    below[len(row)] = (text, header, down - 1)
                row.append((text, header))
        while len(row) in below:
            row.append(_carried(below, len(row)))
        if any(text for text, _ in row):
            grid.append(row)
    return grid


def _carried(below: dict[int, tuple[str, bool, int]], col: int) -> tuple[str, bool]:
    text, header, left = below.pop(col)
    if left > 1:
        below[col] = (text, header, left - 1)
    return text, header


def _span(cell: Any, attribute: str) -> int:
    value = str(cell.get(attribute, "1")).strip()
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def _bold_text(el: Any) -> bool:
    """Whether all an element says is in bold (``<b>``, ``<strong>``)."""
    said = [t for t in el.find_all(string=True) if t.strip()]
    return bool(said) and all(t.find_parent(["b", "strong"]) is not None for t in said)


def _bold_heading(el: Any, text: str) -> bool:
    """Whether a paragraph is a heading set in bold (a word processor's "Job Outlook" over its paragraph, a FAQ's
    question): all of it bold, short, and neither a sentence nor a label with its value ("Median pay: $83,000")."""
    return (
        0 < len(text) <= _HEADING_MAX
        and (len(text.split()) <= _BOLD_WORDS or text.endswith("?"))
        and _bold_text(el)
        and not re.search(r"[.!;,]$|:\s*\S", text)
        and el.find_parent(["b", "strong"]) is None
    )


_BOLD_WORDS = 8  # a bold line longer than this, and no question, is emphasis, not a heading


def _html_definitions(el: Any) -> str:
    """A definition list as a line per term: "Credits: 120" (several definitions of one term joined by "; ")."""
    lines: list[str] = []
    for item in el.find_all(["dt", "dd"]):
        if item.find_parent("dl") is not el:
            continue
        text = _html_text(item)
        if not text:
            continue
        if item.name == "dt" or not lines:
            lines.append(text)
        elif lines[-1].endswith(":") or ": " not in lines[-1]:
            lines[-1] = f"{lines[-1].rstrip(':')}: {text}"
        else:
            lines[-1] = f"{lines[-1]}; {text}"
    return "\n".join(lines)


def parse_html(text: str) -> tuple[str, list[Block]]:
    """:func:`parse_page` without the publisher."""
    title, blocks, _ = parse_page(text)
    return title, blocks


def parse_page(text: str) -> tuple[str, list[Block], str]:
    """Headings, paragraphs, lists and tables of an HTML page, markup and page chrome stripped (BeautifulSoup):
    its title, its blocks, and who publishes it (:func:`_publisher`).

    Navigation, header, footer, forms and buttons (not a form around the whole page, nor an accordion's
    button in its heading) and elements marked as cookie banners, breadcrumbs or sidebars (unless they hold
    the page's content: :func:`_content`) are dropped, and so are a table of contents (a list of links within
    the page) and a row or paragraph of bare links or buttons; an ``<aside>`` within the content is read after
    it under its own headings, or where it stands when it has none (:func:`_side_boxes`); a ``<details>``'
    ``<summary>`` is a heading for the text it opens.
    Text outside paragraph tags (prose straight in a ``<div>``) is a paragraph too, and inline
    markup joins as the page shows it ("<a>BLS</a>." reads "BLS.").
    """
    from bs4 import BeautifulSoup

    # lxml (libxml2) closes a <p> or <li> an HTML5 page leaves open where the next block starts, as a browser
    # does; Python's html.parser nested the rest of the page inside it, headings and lists read as one paragraph
    soup = BeautifulSoup(text, "lxml")
    _landmarks(soup)
    _word_processor_markup(soup)
    titled = _titled_header(soup)
    for tag in soup(_SKIP_TAGS):
        if tag.decomposed or tag is titled:
            continue
        if tag.name == "form" and tag.find(["main", "article", "h1"]) is not None:
            tag.unwrap()  # a form around the whole page (an ASP.NET site's <form id="form1">) holds its content
        elif tag.name == "button" and tag.find_parent([*_HEADINGS, "summary"]) is not None:
            tag.unwrap()  # an accordion's question: <h3><button>Do you review resumes?</button></h3>
        elif tag.name != "header" or not tag.find_parent(["article", "main"]):  # an article's header holds its <h1>
            tag.decompose()
    for tag in [*soup.find_all(class_=_CHROME), *soup.find_all(id=_CHROME)]:
        if tag.name not in ("html", "body", "main", "article") and not tag.decomposed and not _content(tag):
            tag.decompose()
    for tag in soup.find_all(id=_CHROME_ID):  # a page region ("footer", "leftcol"): content only around the content
        if tag.name not in ("html", "body", "main", "article") and tag.find(["main", "article", "h1"]) is None:
            tag.decompose()
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.find("main") or _the_article(soup) or soup.body or soup
    boxes = _side_boxes(soup, root)
    outline = Outline()
    blocks: list[Block] = []
    lead = _lead(soup, root)
    heading = ""
    if lead is not None:
        _read_blocks(soup, lead, outline, blocks)
        # the <title> still names the page: a hero's <h1> is often a slogan ("Become a full-stack web developer"
        # for "Full-Stack Web Development Bootcamp | Northgate Code Academy"); measured on the dev pages, see README
        heading, outline.title = outline.title, ""
    _read_blocks(soup, root, outline, blocks)
    for box in boxes:  # after the content, each under its own headings below the page's title
        beside = Outline()
        beside.title = outline.title
        _read_blocks(soup, box, beside, blocks)
    return outline.title or page_title, blocks, _publisher(outline.title or heading, page_title)


_UNREAD = frozenset(("script", "style", "noscript", "template", "title"))
_ROLES = {"main": "main", "navigation": "nav", "search": "nav", "banner": "header", "contentinfo": "footer"}
# text only a screen reader says ("Help for Tasks", "(link is external)"), and a wiki's "[edit]" links
_UNSEEN = re.compile(
    r"^(?:sr-only|visually-?hidden|screen-reader-text|element-invisible|show-for-sr|mw-editsection)$", re.I
)
# a same-page link's label beside a heading's words: "About this section", "Back to top", "¶", "#"
_ANCHOR_LABEL = re.compile(r"\W*(?:about\s+this\s+section|back\s+to\s+top|top|permalink|link|anchor|edit)?\W*", re.I)
_FOOTNOTE_MARK = re.compile(r"\W*\d{1,3}\W*|\W*[a-z]\W*")  # "[4]", "1", "(a)": a note's number in the text
# what toggles a panel open (an accordion's title, a tab's label): Bootstrap's and ARIA's attributes, and the
# class names accordion and tab widgets give them
_TOGGLE_CLASS = re.compile(r"accordion|toggle|collaps|tab-title", re.I)


def _landmarks(soup: Any) -> None:
    """A page's regions as its markup names them, read as the elements they stand for: ``role="main"`` is the
    ``<main>`` (on a page without one), ``role="navigation"`` a ``<nav>``, ``role="banner"`` a ``<header>``,
    ``role="contentinfo"`` a ``<footer>``; text shown only to screen readers and a footnote's number are left
    out; the title of an accordion's panel or a tab's label heads its panel (as a ``<summary>`` does); a table
    laying out the page (holding headings or another table) is read as the boxes it lays out."""
    has_main = soup.find("main") is not None
    for el in soup.find_all(attrs={"role": True}):
        role = str(el.get("role", "")).lower()
        if role in _ROLES and el.name in ("div", "section", "ul", "ol", "span", "table", "td", "aside"):
            if role == "main" and has_main:
                continue
            el.name = _ROLES[role]
            has_main = has_main or role == "main"
    for el in soup.find_all(class_=_UNSEEN):
        el.decompose()
    for el in soup.find_all(["sup", "a"]):
        if el.decomposed or el.parent is None:
            continue
        href = str(el.get("href", "")) if el.name == "a" else ""
        inner = el.find("a") if el.name == "sup" else None
        target = href or (str(inner.get("href", "")) if inner is not None else "")
        if target.startswith("#") and _FOOTNOTE_MARK.fullmatch(el.get_text()):
            el.decompose()
    for heading in soup.find_all(_HEADINGS):
        for link in heading.find_all("a", href=re.compile(r"^#")):
            if _ANCHOR_LABEL.fullmatch(link.get_text()) and re.search(
                r"\w", "".join(t for t in heading.find_all(string=True) if link not in t.parents)
            ):
                link.decompose()  # "Work Environment <a href='#tab-3'>About this section</a>"
    _panel_titles(soup)
    for table in soup.find_all("table"):
        if table.decomposed or table.parent is None:
            continue
        own = [
            part
            for part in table.find_all(["thead", "tbody", "tfoot", "tr", "td", "th"])
            if part.find_parent("table") is table
        ]
        headed = any(part.name == "th" for part in own)
        if table.find(_HEADINGS) is None and (headed or table.find("table") is None):
            continue  # a data table, perhaps with a table in a cell
        for part in [table, *own]:
            part.name = "div"


def _panel_titles(soup: Any) -> None:
    """An accordion's titles and a tab list's labels as ``<summary>`` headings over their panels: a tab's label
    moves into the panel it names (``href="#id"`` or ``aria-controls``), a toggle's title stays where it is, above
    its panel (the one it names, or the box right after it). A title inside a heading already heads its panel; a
    toggle with no panel ("Show details" over nothing, "Read more") is no title."""
    ids = {str(el["id"]): el for el in soup.find_all(id=True)}
    for el in soup.find_all(["a", "button", "div", "span", "li"]):
        if el.parent is None or el.find_parent([*_HEADINGS, "summary", "nav"]) is not None:
            continue
        toggle = str(el.get("data-toggle") or el.get("data-bs-toggle") or "").lower()
        role = str(el.get("role", "")).lower()
        tab = role == "tab" or toggle in ("tab", "pill") or el.find_parent(attrs={"role": "tablist"}) is not None
        names = " ".join(el.get("class", []))
        if not (tab or toggle == "collapse" or el.has_attr("aria-expanded") or _TOGGLE_CLASS.search(names)):
            continue
        if el.name in ("div", "li", "span") and not (role in ("button", "tab") or el.has_attr("aria-expanded")):
            continue  # a box named "accordion" holds the whole widget; its titles are found inside it
        label = " ".join(el.get_text().split())
        if not label or len(label) > _HEADING_MAX or el.find(_BLOCK_TAGS) is not None or _MORE_LABEL.fullmatch(label):
            continue
        target = str(el.get("aria-controls") or "") or str(el.get("href") or el.get("data-target") or "").lstrip("#")
        panel = ids.get(target) if target else None
        summary = soup.new_tag("summary")
        summary.string = label
        if tab and panel is not None and not panel.decomposed:
            panel.insert(0, summary)
            el.decompose()
        elif not tab and (panel is not None or _panel_after(el)):
            el.replace_with(summary)


# a button's label that opens more of the same text, not a section: "Read more", "Show details", "See all"
_MORE_LABEL = re.compile(r"(?:read|show|see|view|learn)\s+(?:more|less|all|details)\W*|more|expand|collapse", re.I)


def _panel_after(el: Any) -> bool:
    """Whether a toggle (or the box it alone fills, a ``card-header``) is followed by a box holding text: a panel."""
    box = el
    while (
        box.parent is not None
        and box.parent.name in ("div", "span", "li")
        and len(box.parent.find_all(True)) == len(box.find_all(True)) + 1
    ):
        box = box.parent  # the toggle's own wrapper, holding nothing else
    after = box.find_next_sibling()
    return (
        after is not None and after.name in ("div", "section", "p", "ul", "ol", "dl") and bool(after.get_text().strip())
    )


# A list item's marker typed as text, as a word processor writes its list paragraphs: a bullet ("·" in Symbol, "o"
# in Courier New, "§" in Wingdings for the second and third levels), a number or a letter, then spaces
_ITEM_MARK = re.compile(r"\s*(?:[•·▪◦§o]|\d{1,2}[.)]|[a-z][.)]|[ivx]{1,4}[.)])\s+", re.I)
_TYPED_BULLET = re.compile(r"\s*[•·▪◦]\s+")  # a paragraph opening with a bullet character, whoever wrote it
_WORD_LIST = re.compile(r"^MsoList", re.I)  # Word's list paragraph styles (MsoListParagraphCxSpFirst, …)
_LEVEL = re.compile(r"level(\d)")  # Word's mso-list:l0 level2 lfo1
_INDENT = re.compile(r"margin-left:\s*(-?[\d.]+)")


def _word_processor_markup(soup: Any) -> None:
    """A word processor's HTML read as the document it is (Word's "Save as Web Page", Google Docs' and
    LibreOffice's HTML): a paragraph styled as the title (``p.MsoTitle``; ``p.title`` before any ``<h1>``) is the
    ``<h1>``, and a run of list paragraphs (``p.MsoListParagraph…``, or paragraphs opening with a bullet
    character) is a list, nested by the level Word records or by indent, its typed markers left out."""
    title = soup.find("p", class_=re.compile(r"^(?:MsoTitle|title)$"))
    first = next(
        (t for t in (soup.body or soup).find_all(string=True) if t.strip() and t.parent.name not in _UNREAD), None
    )
    classes = title.get("class", []) if title is not None else []
    docs_title = all(c == "title" or re.fullmatch(r"c\d+", c) for c in classes)  # Google Docs' generated names
    opening = first is not None and title is not None and title in first.parents
    if title is not None and title.find_previous("h1") is None and ("MsoTitle" in classes or (docs_title and opening)):
        title.name = "h1"  # Word's title style; Google Docs' title paragraph, which opens the document
    for box in soup.find_all("div", title=re.compile(r"^(?:header|footer)$")):
        box.decompose()  # LibreOffice's page header and footer, printed on every page
    bold = _bold_classes(soup)
    if bold:  # Google Docs sets bold by a class in its stylesheet: <span class="c2"> with .c2{font-weight:700}
        for span in soup.find_all("span", class_=lambda c: c in bold):
            span.name = "b"
    _joined_lists(soup)
    for p in soup.find_all("p"):
        if p.parent is None or not _list_paragraph(p):
            continue
        run = [p]
        while (nxt := run[-1].find_next_sibling()) is not None and nxt.name == "p" and _list_paragraph(nxt):
            run.append(nxt)
        if len(run) == 1 and not _TYPED_BULLET.match(p.get_text()):
            continue  # one numbered paragraph is no list
        indents = sorted({_indent(q) for q in run})
        numbered = bool(re.match(r"\s*\d", run[0].get_text()))
        top = soup.new_tag("ol" if numbered else "ul")
        stack: list[tuple[int, Any]] = [(1, top)]
        for q in run:
            level_found = _LEVEL.search(str(q.get("style", "")))
            level = int(level_found.group(1)) if level_found else indents.index(_indent(q)) + 1
            while level < stack[-1][0] and len(stack) > 1:
                stack.pop()
            if level > stack[-1][0] and stack[-1][1].contents:
                sub = soup.new_tag(top.name)
                stack[-1][1].contents[-1].append(sub)
                stack.append((level, sub))
            item = soup.new_tag("li")
            item.string = " ".join(_ITEM_MARK.sub("", q.get_text(), count=1).split())
            stack[-1][1].append(item)
        run[0].insert_before(top)
        for q in run:
            q.decompose()


_LIST_LEVEL = re.compile(r"^lst-kix_\w+-(\d+)$")  # Google Docs writes each level of a list as a list of its own


_BOLD_RULE = re.compile(r"\.([\w-]+)\s*\{[^}]*font-weight\s*:\s*(?:bold|[6-9]00)\b")


def _bold_classes(soup: Any) -> set[str]:
    """The classes the page's own stylesheet sets in bold (a class alone as the selector: ".c2{font-weight:700}")."""
    return {m.group(1) for style in soup.find_all("style") for m in _BOLD_RULE.finditer(style.get_text())}


def _joined_lists(soup: Any) -> None:
    """Lists written one beside the other as one list (Notion writes each item as a ``<ul>`` of its own, Google
    Docs each level of nesting): a list right after one of the same kind joins it, nested under its last item
    when its class says it is a deeper level."""
    for lst in soup.find_all(["ul", "ol"]):
        if lst.parent is None:
            continue
        before = lst.find_previous_sibling()
        if (
            before is None
            or before.name != lst.name
            or (before.next_sibling is not lst and str(before.next_sibling).strip())
        ):
            continue
        depth = _list_level(lst) - _list_level(before)
        into = before
        while depth > 0 and into.find_all("li", recursive=False):
            last = into.find_all("li", recursive=False)[-1]
            nested = last.find(["ul", "ol"], recursive=False)
            if nested is None:
                nested = soup.new_tag(lst.name)
                last.append(nested)
            into, depth = nested, depth - 1
        for item in lst.find_all("li", recursive=False):
            into.append(item.extract())
        lst.decompose()


def _list_level(lst: Any) -> int:
    return next((int(m.group(1)) for c in lst.get("class", []) if (m := _LIST_LEVEL.match(c))), 0)


def _list_paragraph(p: Any) -> bool:
    if p.find("br") is not None:
        return False  # "• Fill prescriptions<br>• Take payments": several items, read as the page shows them
    said = p.get_text()
    if any(_WORD_LIST.match(c) for c in p.get("class", [])):
        return bool(_ITEM_MARK.match(said))
    return bool(_TYPED_BULLET.match(said))


def _indent(p: Any) -> float:
    found = _INDENT.search(str(p.get("style", "")))
    return float(found.group(1)) if found else 0.0


def _page_heading(heading: Any) -> bool:
    """Whether an ``<h1>`` names the page rather than the site: not a logo linking home."""
    said = "".join(t for t in heading.find_all(string=True) if t.find_parent("a") is None)
    return bool(re.search(r"\w", said))


def _titled_header(soup: Any) -> Any:
    """A ``<header>`` outside ``<main>`` that holds the page's own ``<h1>`` while ``<main>`` has none (a page
    header over the content: its title and intro), or None. A site's header, a logo's, is dropped as before."""
    main = soup.find("main")
    heading = _outer_heading(soup, main) if main is not None else None
    return heading.find_parent("header") if heading is not None else None


def _outer_heading(soup: Any, root: Any) -> Any:
    """The page's ``<h1>`` outside ``root`` when ``root`` has none of its own, or None."""
    if root.find("h1") is not None:
        return None
    return next((h for h in soup.find_all("h1") if all(p is not root for p in h.parents) and _page_heading(h)), None)


def _lead(soup: Any, root: Any) -> Any:
    """What heads the content from outside it: the page's ``<h1>``, when ``root`` (``<main>`` or the article)
    has none, in its box (a hero, a page header) with the paragraphs after that box up to the content (an
    intro), gathered into one ``<div>`` to be read before the content; or None. A box after it that says fewer
    than ``_CONTENT_WORDS`` words outside links (a row of links, a sidebar's menu) is not taken."""
    heading = _outer_heading(soup, root) if root.name in ("main", "article") else None
    if heading is None:
        return None
    around = {id(p) for p in root.parents}  # the boxes holding the content
    box = heading
    while box.parent is not None and box.parent.name not in ("body", "html") and id(box.parent) not in around:
        box = box.parent
    taken = [box]
    for sibling in box.find_next_siblings():
        if sibling is root or id(sibling) in around:
            break
        if _own_words(sibling) >= _CONTENT_WORDS:
            taken.append(sibling)
    lead = soup.new_tag("div")
    box.insert_before(lead)
    for el in taken:
        lead.append(el.extract())
    for menu in lead.find_all(["ul", "ol"]):
        items = menu.find_all("li")
        if items and all(not _prose(list(item.children)) for item in items):
            menu.decompose()  # a site header's buttons around the title: "Apply Now", "Schedule a Campus Visit"
    return lead


def _the_article(soup: Any) -> Any:
    """The page's one ``<article>``, when it is its content: the only one, holding the page's ``<h1>`` if it has
    one. A listing of several articles, or a card before the content ("Spring Career Fair"), is not the page."""
    articles = [a for a in soup.find_all("article") if a.find_parent("article") is None]
    if len(articles) != 1:
        return None
    heading = soup.find("h1")
    return articles[0] if heading is None or articles[0] in heading.parents else None


def _read_blocks(soup: Any, root: Any, outline: Outline, blocks: list[Block]) -> None:
    """The headings, paragraphs, lists and tables under ``root``, in reading order, into ``blocks``."""
    _spaced(root)
    _wrap_loose(soup, root)
    headed = -1  # how many blocks there were at the last heading
    led = False  # whether the last block read is a lead-in, or a link it leads into
    more = 0  # the level of the last heading announcing other articles ("You might also like"), while it lasts
    card = False  # whether the text read is a card under it: another page's linked title and its teaser
    for el in root.find_all(_BLOCK_TAGS):
        if el.parent is None or el.find_parent(["ul", "ol", "table", "blockquote", "pre", "dl", "p", "figcaption"]):
            continue  # part of an enclosing block already taken (a nested list is taken out of its item)
        leading, led = led, False
        if el.name in _HEADINGS:
            level, text = int(el.name[1]), _html_text(el)
            card = bool(more) and level > more and not _page_heading(el)
            if card:
                continue  # "You Might Also Like" › <h3><a href="/cs/">B.S. in Computer Science</a></h3>: another page
            more = level if len(text.split()) <= _MORE_WORDS and _MORE.search(text) else 0
            outline.heading(level, text)
            headed = len(blocks) if _page_heading(el) else -1  # a card's linked title heads no fact
        elif card:
            continue
        elif el.name == "summary":
            outline.subheading(_html_text(el))
            headed = len(blocks)
        elif el.name in ("ul", "ol"):
            if not _contents_list(el) and not _titles_list(el, outline.section):
                _add(blocks, outline.section, "\n".join(_html_list(el)), after_lead_in=True)
        elif el.name == "table":
            caption = el.find("caption")
            if caption is not None and caption.find_parent("table") is el:
                _add(blocks, outline.section, _html_text(caption.extract()))
            _add(blocks, outline.section, _html_table(el), after_lead_in=True)
        elif el.name == "dl":
            _add(blocks, outline.section, _html_definitions(el), after_lead_in=True)
        elif el.name == "p" and not _prose(list(el.children)):
            if leading and blocks and blocks[-1].section == outline.section:
                _add(blocks, outline.section, _html_text(el))  # what a lead-in names: "… visit" the ACM
                led = True
            # else a paragraph of links or buttons alone ("Apply now", "Meet us at an open house") is navigation
        elif el.name == "p" and _bold_heading(el, text := _html_text(el)):
            outline.subheading(text)
            headed = len(blocks)
        elif not _furniture(text := _html_text(el)) or _dated(text, outline, headed == len(blocks)):
            _add(blocks, outline.section, text)  # a byline or a breadcrumb is not the page's text
            led = el.name == "p" and bool(_LEAD_IN.search(text))


_TITLE_PARTS = re.compile(r"\s+[|·•–—:-]\s+")


def _publisher(heading: str, page_title: str) -> str:
    """Who publishes a page, when its ``<title>`` names it after the page's own name and the heading does
    not: "M.S. in Data Science | Department of Statistics | Larkspur State University" → "Larkspur State
    University" (or the first part, when the title opens with it; never a part with a number, "Page 2").
    A school or publisher is often named only there, and students ask by that name."""
    parts = [part.strip() for part in _TITLE_PARTS.split(page_title)]
    if len(parts) < 2 or not heading:
        return ""
    said = {w.lower() for w in re.findall(r"\w+", heading)}

    def new_share(part: str) -> float:  # how much of a part the heading does not say
        ws = [w.lower() for w in re.findall(r"\w+", part)]
        return sum(w not in said for w in ws) / len(ws) if ws and not any(w.isdigit() for w in ws) else 0.0

    # the publisher ends a title ("… | Larkspur State University") or, on some sites, opens it
    best = max((parts[-1], parts[0]), key=new_share)  # the last on a tie
    return best if new_share(best) > 0.5 else ""
