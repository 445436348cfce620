"""Formats: PDF (pypdf) and DOCX (python-docx) read into a run of structural elements.

Each reader gives the document's title (when it names one) and its :class:`Element` s in reading
order: headings with their level, paragraphs, lists (one element, an item a line) and tables (one
element, a row a line, each cell with its header). parse.py turns them into headed blocks with the
same :class:`~advisor.ingest.outline.Outline` as the other formats.

DOCX headings are the paragraphs styled "Title" or "Heading N" (or a style based on one); list
paragraphs are those with numbering or a "List" style. PDF headings are lines set larger than the
body text (the size most of the characters have), ranked by size; a PDF that sets everything in
one size has none, and parse.py falls back to the plain-text reading of its paragraphs.
A file that cannot be read raises :class:`CorpusError` saying why.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from advisor.errors import CorpusError
from advisor.ingest.outline import table_rows

Kind = Literal["heading", "paragraph", "list", "table"]


@dataclass(frozen=True)
class Element:
    """One structural piece of a document: a heading (with its level), a paragraph, a list or a table."""

    kind: Kind
    text: str
    level: int = 0


# ---------------------------------------------------------------- DOCX

_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.I)


def _style_level(style: Any) -> int:
    """1 for "Title", N for "Heading N" (or a style based on one); 0 for any other paragraph."""
    for _ in range(8):  # follow the based-on chain a few steps, never a cycle
        if style is None:
            return 0
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        if m := _HEADING_STYLE.fullmatch(name):
            return int(m.group(1)) + 1  # Heading 1 sits under the title
        style = style.base_style
    return 0


def _list_depth(paragraph: Any) -> int | None:
    """The nesting depth of a list paragraph (0 = top), or None when it is no list item."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None:
        ilvl = numpr.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower().startswith("list"):
        m = re.search(r"(\d)$", name)
        return int(m.group(1)) - 1 if m else 0
    return None


def _docx_table(table: Any) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cell._tc is not getattr(row.cells[len(cells) - 1], "_tc", None):
                cells.append(text)  # a merged cell repeats across the columns it spans: once is enough
        rows.append(cells)
    if len(rows) >= 2:
        return table_rows(rows[0], rows[1:])
    return table_rows([], rows)


def _close_list(elements: list[Element], items: list[str]) -> None:
    """The list items gathered so far, as one list element (the items are then cleared)."""
    if items:
        elements.append(Element("list", "\n".join(items)))
        items.clear()


def read_docx(raw: bytes) -> tuple[str, list[Element]]:
    """Headings, paragraphs, lists and tables of a Word document, in order (python-docx)."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # a zip that is no Word file, a broken part: python-docx raises many kinds
        raise CorpusError(f"cannot be read as a Word document ({type(exc).__name__}); re-save it as .docx") from None
    elements: list[Element] = []
    items: list[str] = []

    def close_list() -> None:
        _close_list(elements, items)

    for part in document.iter_inner_content():
        if isinstance(part, Table):
            close_list()
            elements.append(Element("table", _docx_table(part)))
            continue
        text = " ".join(part.text.split())
        if not text:
            continue
        depth = _list_depth(part)
        if depth is not None and not _style_level(part.style):
            items.append("  " * depth + f"- {text}")
            continue
        close_list()
        level = _style_level(part.style)
        elements.append(Element("heading", text, level) if level else Element("paragraph", text))
    close_list()
    title = (document.core_properties.title or "").strip()
    return title, elements


# ---------------------------------------------------------------- PDF

_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·*–-]|\d{1,2}[.)])\s+")


@dataclass
class _Line:
    text: str
    size: float  # the largest font size on the line, in points
    y: float  # its baseline, from the page's bottom
    page: int


class _LineCollector:
    """pypdf's text visitor: gathers one page's text into lines, each with its largest font size and height."""

    def __init__(self, page: int, into: list[_Line]) -> None:
        self.page, self.lines = page, into
        self.current: list[str] = []
        self.size = self.y = 0.0

    def end_line(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(_Line(text, self.size, self.y, self.page))
        self.current.clear()
        self.size = 0.0

    def __call__(self, text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        for i, piece in enumerate(text.split("\n")):
            if i:
                self.end_line()
            if piece.strip():
                scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * ((cm[2] ** 2 + cm[3] ** 2) ** 0.5 or 1.0)
                self.size = max(self.size, round(float(size) * scale, 1))
                self.y = float(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
            self.current.append(piece)


def _pdf_lines(reader: Any) -> list[_Line]:
    """Every text line of every page with its font size and height on the page (pypdf's text visitor)."""
    lines: list[_Line] = []
    for number, page in enumerate(reader.pages):
        collect = _LineCollector(number, lines)
        page.extract_text(visitor_text=collect)
        collect.end_line()
    return lines


def read_pdf(raw: bytes) -> tuple[str, list[Element]]:
    """Headings (by font size), paragraphs and lists of a PDF's text layer (pypdf).

    Lines are joined into paragraphs; a wider gap than the body's line spacing, a heading, a
    new page or a bullet starts a new one.
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError("is encrypted (password-protected); save an unprotected copy")
        lines = _pdf_lines(reader)
        meta: Any = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
    except CorpusError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a broken or unsupported file
        if "crypt" in f"{type(exc).__name__} {exc}".lower():
            raise CorpusError("is encrypted (password-protected); save an unprotected copy") from None
        raise CorpusError(f"cannot be read as a PDF ({type(exc).__name__}: {exc}); re-save or re-export it") from None
    if not lines:
        raise CorpusError("has no text layer (a scan or images only); add a text version or run OCR on it")
    return title, _pdf_elements(lines)


def _pdf_elements(lines: list[_Line]) -> list[Element]:
    chars: Counter[float] = Counter()
    for line in lines:
        chars[line.size] += len(line.text)
    body = chars.most_common(1)[0][0]
    larger = sorted({line.size for line in lines if line.size > body * 1.15 and len(line.text) <= 120}, reverse=True)
    level = {size: min(rank + 1, 6) for rank, size in enumerate(larger)}
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and a.y > b.y]
    spacing = sorted(gaps)[len(gaps) // 2] if gaps else 0.0  # the body's usual line spacing
    elements: list[Element] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            elements.append(Element("paragraph", " ".join(paragraph)))
            paragraph.clear()
        _close_list(elements, items)

    previous: _Line | None = None
    for line in lines:
        new_block = previous is None or line.page != previous.page or previous.y - line.y > spacing * 1.4 + 0.5
        if line.size in level:
            flush()
            elements.append(Element("heading", line.text, level[line.size]))
        elif _BULLET.match(line.text):
            if paragraph:
                flush()
            items.append("- " + _BULLET.sub("", line.text))
        elif items and not new_block:
            items[-1] += " " + line.text  # an item's wrapped line
        else:
            if new_block or items:
                flush()
            paragraph.append(line.text)
        previous = line
    flush()
    return elements
