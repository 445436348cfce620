"""Parse: the corpus folder's files (Markdown, text, HTML) read into documents of headed blocks.

A file that cannot be used (too big, binary, not UTF-8, no text) is skipped with a reason
the operator sees; the rest of the corpus is still read. Splitting blocks into passages is
:mod:`advisor.ingest.split`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from advisor.config import Settings
from advisor.errors import CorpusError

log = logging.getLogger(__name__)

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Block:
    """A paragraph (or list) of a document, under its section heading."""

    section: str
    text: str


@dataclass(frozen=True)
class Document:
    """One corpus file, read and parsed."""

    source: str  # e.g. "corpus/guide.md": stable across machines
    title: str
    blocks: tuple[Block, ...]
    digest: str  # sha256 of the file's bytes


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
        raise CorpusError(f"{root} has no .md, .txt or .html files; add one or set ADVISOR_CORPUS")
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
    for path in corpus_files(root):
        source = source_name(path, root)
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
    if b"\x00" in raw[:8192]:
        raise CorpusError("looks like a binary file; save guides as .md, .txt or .html")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"is not UTF-8 (bad byte at offset {exc.start}); re-save it as UTF-8") from None
    kind = SUFFIXES[path.suffix.lower()]
    parse = {"markdown": parse_markdown, "text": parse_text, "html": parse_html}[kind]
    title, blocks = parse(text)
    title = title or path.stem.replace("-", " ").replace("_", " ").strip()
    digest = hashlib.sha256(raw).hexdigest()
    if not blocks:
        raise CorpusError("has no paragraphs of text; add some or remove the file")
    return Document(source, title, tuple(blocks), digest)


# ---------------------------------------------------------------- parsers


def parse_markdown(text: str) -> tuple[str, list[Block]]:
    """Headings and paragraphs from Markdown (CommonMark, via markdown-it-py)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    title, section = "", ""
    blocks: list[Block] = []
    depth = 0  # nesting inside lists, quotes and tables: gather them whole
    gathered: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and depth == 0:
            heading = tokens[i + 1].content.strip()
            if tok.tag == "h1" and not title:
                title = heading
            else:
                section = heading
        elif tok.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close", "blockquote_close", "table_close"):
            depth -= 1
            if depth == 0 and gathered:
                blocks.append(Block(section, "\n".join(gathered)))
                gathered = []
        elif tok.type == "inline" and tokens[i - 1].type != "heading_open":
            content = tok.content.strip()
            if not content:
                continue
            if depth:
                gathered.append(content)
            else:
                blocks.append(Block(section, content))
        elif tok.type in ("fence", "code_block") and tok.content.strip():
            blocks.append(Block(section, tok.content.rstrip()))
    return title, blocks


_HEADING_MAX = 90
_BADGE = re.compile(r"[|\W]*\d+\s+min(ute)?s?\s+read[|\W]*", re.I)


def parse_text(text: str) -> tuple[str, list[Block]]:
    """Paragraphs from plain text; a short line without final punctuation is a heading.

    Paragraphs are separated by blank lines, or by single newlines when the
    file has no blank lines (as text copied from a web page often is).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    lines = [" ".join(c.split()) for c in chunks]
    # Drop reading-time badges copied along with an article ("| 5 Min Read").
    lines = [line for line in lines if line and not _BADGE.fullmatch(line)]
    title, section = "", ""
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        if _looks_like_heading(line, lines[i + 1] if i + 1 < len(lines) else None):
            if i == 0:
                title = line
            else:
                section = line
        else:
            blocks.append(Block(section, line))
    return title, blocks


def _looks_like_heading(line: str, following: str | None) -> bool:
    return (
        len(line) <= _HEADING_MAX
        and not re.search(r"[.!:;,]$", line)
        and following is not None
        and len(following) > len(line)
    )


_SKIP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "form", "template", "svg"]
_BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "dd", "dt"]


def parse_html(text: str) -> tuple[str, list[Block]]:
    """Headings and paragraphs from an HTML page, markup and page chrome stripped (BeautifulSoup)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(_SKIP_TAGS):
        tag.decompose()
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.find("main") or soup.find("article") or soup.body or soup
    title, section = "", ""
    blocks: list[Block] = []
    for el in root.find_all(_BLOCK_TAGS):
        if el.find_parent(_BLOCK_TAGS):
            continue  # its text is part of an enclosing block already taken
        content = " ".join(el.get_text(" ", strip=True).split())
        if not content:
            continue
        if el.name == "h1" and not title:
            title = content
        elif el.name and el.name.startswith("h") and el.name[1:].isdigit():
            section = content
        else:
            blocks.append(Block(section, content))
    return title or page_title, blocks
