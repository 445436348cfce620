"""Formats: PDF (pypdf) and DOCX (python-docx) read into a run of structural elements.

Each reader gives the document's title (when it names one) and its :class:`Element` s in reading
order: headings with their level, paragraphs, lists (one element, an item a line) and tables (one
element, a row a line, each cell with its header). parse.py turns them into headed blocks with the
same :class:`~advisor.ingest.outline.Outline` as the other formats.

DOCX headings are the paragraphs styled "Title" or "Heading N" (or a style based on one); list
paragraphs are those with numbering or a "List" style.

A PDF is read from where its text lines sit on the page, in the fonts they are set in, as a web page
saved with a browser's "Save as PDF" or a brochure exported from a word processor lays them out:
headings are lines set larger than the body text (the size most of the characters have), ranked by
size, or bold lines alone at the body's size, under those; a heading set on two lines is one. The
running headers and footers (the date, title, address and page number a browser prints on every
page) are dropped, and a paragraph cut by a page break is joined again. A new paragraph or list item
starts after a gap wider than the body's line spacing, or after a line that ends before its column
does; indented lines are list items (a browser draws the bullets, it does not write them). A table
is read from the order a PDF writes it, cell by cell, and from its columns' left edges, its bold
header row naming each cell. A PDF that sets everything in one size and weight has no headings, and
parse.py falls back to the plain-text reading of its paragraphs.
A file that cannot be read raises :class:`CorpusError` saying why."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from advisor.errors import CorpusError
from advisor.ingest.outline import states_no_figure_above_figures, table_rows

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


_MAX_DEPTH = 8  # a Word list's deepest level (w:ilvl 0-8)


def _list_depth(paragraph: Any) -> int | None:
    """The nesting depth of a list paragraph (0 = top), or None when it is no list item."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    if numpr is not None:
        ilvl = numpr.ilvl
        # Word's deepest level is 8; a file claiming more (or less) is clamped to what Word shows
        return min(max(int(ilvl.val), 0), _MAX_DEPTH) if ilvl is not None and ilvl.val is not None else 0
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower().startswith("list"):
        m = re.search(r"(\d)$", name)
        return int(m.group(1)) - 1 if m else 0
    return None


def _bold(cell: Any) -> bool:
    """Whether a table cell's text is all set in bold: by its runs, or by their or their paragraph's style (a
    "Table Heading" style, as a converter writes a header cell)."""

    def styled(style: Any) -> bool | None:
        for _ in range(8):  # the based-on chain, never a cycle
            if style is None:
                return None
            if style.font.bold is not None:
                return bool(style.font.bold)
            style = style.base_style
        return None

    runs = [(run, paragraph) for paragraph in cell.paragraphs for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(
        run.bold if run.bold is not None else bool(styled(run.style) or styled(paragraph.style))
        for run, paragraph in runs
    )


def _docx_table(table: Any) -> str:
    """A Word table's rows, each cell with its header from the first row; none when the table's first column heads
    its rows instead (set in bold in every row, the other cells not: "Credits · 30 credit hours"). A first row that
    is one cell merged across the table ("Table 1: Pay by role") is its caption, a line above the rows."""
    read = [[(" ".join(_cell_text(cell).split()), cell._tc, _bold(cell)) for cell in row.cells] for row in table.rows]
    captions = []
    while len(read) >= 2 and len(read[0]) >= 2 and all(tc is read[0][0][1] for _, tc, _ in read[0]):
        captions.append(read.pop(0)[0][0])
    # a cell merged across columns comes once per column it spans: a header heads each of them, a body cell is said
    # once (an empty cell is left out of its row)
    rows = [
        [text if number == 0 or i == 0 or tc is not row[i - 1][1] else "" for i, (text, tc, _) in enumerate(row)]
        for number, row in enumerate(read)
    ]
    wide = [[b for _, _, b in row] for row in read if len(row) >= 2]
    row_headers = bool(wide) and all(w[0] and not any(w[1:]) for w in wide)
    body = table_rows(rows[0], rows[1:]) if len(rows) >= 2 and not row_headers else table_rows([], rows)
    return "\n".join(t for t in [*captions, body] if t)


def _cell_text(cell: Any) -> str:
    """A table cell's text, with what content controls and a table nested in it hold (python-docx's ``cell.text``
    reads its paragraphs' runs only)."""
    from docx.table import Table

    parts = []
    for part in _blocks(cell._tc, cell):
        if isinstance(part, Table):
            parts += [" · ".join(_cell_text(c) for c in row.cells) for row in part.rows]
        else:
            parts.append(_words(part._p))
    return " ".join(parts)


def _blocks(container: Any, parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a document's body or a cell, in order, with those inside content controls (a
    template's fields and boxes, ``w:sdt``) and custom XML: python-docx's ``iter_inner_content`` passes over them.
    A control still showing its placeholder ("Click or tap here to enter text.") holds nothing written."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt") and not _placeholder(child):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)
        elif child.tag == qn("w:customXml"):
            yield from _blocks(child, parent)


def _placeholder(sdt: Any) -> bool:
    from docx.oxml.ns import qn

    properties = sdt.find(qn("w:sdtPr"))
    return properties is not None and properties.find(qn("w:showingPlcHdr")) is not None


_COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"  # mc: Word's alternatives


def _words(element: Any) -> str:
    """The text of a paragraph's XML, in order: its runs, and those inside links, fields and inline content controls
    (a date picker's "March 1"), which python-docx's ``paragraph.text`` leaves out; a tab or a line break is a space,
    and a control showing its placeholder says nothing. A drawing's text box is not the paragraph's text (as before:
    Word also writes it twice, for new and old readers)."""
    from docx.oxml.ns import qn

    text, space, sdt = qn("w:t"), {qn("w:tab"), qn("w:br"), qn("w:cr")}, qn("w:sdt")
    apart = {qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:rt"), f"{{{_COMPATIBILITY}}}AlternateContent"}
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node.iterchildren():
            if child.tag == text:
                out.append(child.text or "")
            elif child.tag in space:
                out.append(" ")
            elif child.tag not in apart and not (child.tag == sdt and _placeholder(child)):
                walk(child)

    walk(element)
    return "".join(out)


def _close_list(elements: list[Element], items: list[str]) -> None:
    """The list items gathered so far, as one list element (the items are then cleared)."""
    if items:
        elements.append(Element("list", "\n".join(items)))
        items.clear()


def read_docx(raw: bytes) -> tuple[str, list[Element]]:
    """Headings, paragraphs, lists and tables of a Word document, in order (python-docx)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
        return (document.core_properties.title or "").strip(), _docx_elements(document)
    except Exception as exc:  # a zip that is no Word file, a broken part or a malformed value inside one ("an
        # ilvl of 'abc'", a merged cell above the first row): python-docx raises many kinds, as it opens the file
        # or as its parts are read
        raise CorpusError(f"cannot be read as a Word document ({type(exc).__name__}); re-save it as .docx") from None


def _docx_elements(document: Any) -> list[Element]:
    from docx.table import Table

    elements: list[Element] = []
    items: list[str] = []

    def close_list() -> None:
        _close_list(elements, items)

    for part in _blocks(document.element.body, document._body):
        if isinstance(part, Table):
            close_list()
            elements.append(Element("table", _docx_table(part)))
            continue
        text = " ".join(_words(part._p).split())
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
    return elements


# ---------------------------------------------------------------- PDF

_MARK = r"^\s*(?:[•●▪◦‣∙·*–-]|\d{1,2}[.)])"  # a list item's bullet or number
_BULLET = re.compile(_MARK + r"\s+")  # opening a line
_MARKER = re.compile(_MARK + r"\s*$")  # a piece of text that is one alone
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)  # a font's name says its weight
_MONOSPACE = re.compile(r"mono|courier|consol", re.I)
_FILE_NAME = re.compile(r"^(?:microsoft \w+ - )?\S+\.(?:html?|pdf|docx?|txt|md|odt|rtf)$", re.I)
# a page's number alone: "3", "- 3 -", "Page 3", "3 of 12", "3/12"
_PAGE_NUMBER = re.compile(r"^[-–—(\s]*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-–—)\s]*$", re.I)
_CHAR = 0.5  # an average character's width, in font sizes (to tell how many characters an indent is)
_FITS = 0.85  # a line whose next word would have fit within this share of its column's width ended there
_MARGIN = 0.12  # the share of a page's height at its top and at its bottom where running headers and footers sit
_TABLE_WINDOW = 8  # the lines before and after a line where its cells' left edges are looked for
_ENDS = (".", "!", "?", ":")  # a line ending with one of these ends a sentence or leads into what follows
_COLUMN = 0.2  # a left edge where at least this share of the body's text starts is a margin (a column's)
_INDENT = 0.8  # a line starting this many font sizes right of the body's margin is indented (a list item's)


@dataclass
class _Line:
    text: str
    size: float  # the largest font size on the line, in points
    y: float  # its baseline, from the page's bottom
    page: int
    x: float = 0.0  # where it starts, from the page's left
    bold: bool = False  # every piece of it set in a bold face
    mono: bool = False  # set in a fixed-width face
    # where each piece of its text starts, the piece, and whether it is set in bold (a table's cell is one or more)
    pieces: tuple[tuple[int, str, bool], ...] = ()


class _LineCollector:
    """pypdf's text visitor: gathers one page's text into lines, each with its largest font size, where it
    starts, its weight and its cells."""

    def __init__(self, page: int, into: list[_Line]) -> None:
        self.page, self.lines = page, into
        self.pieces: list[tuple[float, str, bool, bool, float]] = []  # x, text, bold, monospace, size
        self.y = 0.0

    def end_line(self) -> None:
        pieces = [p for p in self.pieces if p[1].strip()]
        self.pieces = []
        if not pieces:
            return
        # a bullet or number written apart from its item, with no space after it ("1." then "NOC technician")
        text = " ".join("".join(p[1] + (" " if _MARKER.match(p[1]) else "") for p in pieces).split())
        self.lines.append(
            _Line(
                text,
                max(p[4] for p in pieces),
                self.y,
                self.page,
                pieces[0][0],
                all(p[2] for p in pieces),
                all(p[3] for p in pieces),
                tuple((round(p[0]), p[1], p[2]) for p in pieces),
            )
        )

    def __call__(self, text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        bold, mono = bool(_BOLD.search(name)), bool(_MONOSPACE.search(name))
        scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * ((cm[2] ** 2 + cm[3] ** 2) ** 0.5 or 1.0)
        x = float(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
        y = float(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        for i, piece in enumerate(text.split("\n")):
            if i:
                self.end_line()
            if piece.strip():
                if self.pieces and abs(y - self.y) > 0.5 * float(size) * scale:
                    self.end_line()  # a piece at another height is on another line
                self.y = y
                self.pieces.append((x, piece, bold, mono, round(float(size) * scale, 1)))


def _pdf_lines(reader: Any) -> tuple[list[_Line], list[float]]:
    """Every text line of every page with its font size, place and weight (pypdf's text visitor), and each
    page's height."""
    lines: list[_Line] = []
    heights = []
    for number, page in enumerate(reader.pages):
        collect = _LineCollector(number, lines)
        page.extract_text(visitor_text=collect)
        collect.end_line()
        heights.append(float(page.mediabox.height))
    return lines, heights


def read_pdf(raw: bytes) -> tuple[str, list[Element]]:
    """Headings (by font size or weight), paragraphs, lists and tables of a PDF's text layer (pypdf).

    Running headers and footers and page numbers are dropped; lines are joined into paragraphs; a wider gap
    than the body's line spacing, a heading, a line that ends before its column does, or an indent starts a
    new one, and a paragraph goes on across a page break.
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError("is encrypted (password-protected); save an unprotected copy")
        lines, heights = _pdf_lines(reader)
        meta: Any = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
    except CorpusError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a broken or unsupported file
        if "crypt" in f"{type(exc).__name__} {exc}".lower():
            raise CorpusError("is encrypted (password-protected); save an unprotected copy") from None
        raise CorpusError(f"cannot be read as a PDF ({type(exc).__name__}: {exc}); re-save or re-export it") from None
    lines = _without_running_lines(lines, heights)
    if not lines:
        raise CorpusError("has no text layer (a scan or images only); add a text version or run OCR on it")
    # a title that is only the file's name ("guide.html", "Microsoft Word - guide.docx") names nothing
    return ("" if _FILE_NAME.match(title) else title), _pdf_elements(lines)


def _without_running_lines(lines: list[_Line], heights: list[float]) -> list[_Line]:
    """The lines less the running headers and footers: a line in a page's top or bottom margin band that is a
    page number alone, or that recurs (its digits aside: "Page 3", "12/7/26, 6:55 PM") at about the same height
    on at least half of the pages of a document of several. A line that recurs on one page with other figures is
    the page's own (a table's rows, "Row 3 · $3,000" and "Row 4 · $4,000", at the top of each page). A document whose
    every line would go keeps them, less its page numbers: its text is all it has."""

    def text(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def key(line: _Line) -> tuple[str, int]:
        return text(line), round(line.y / 4)

    def marginal(line: _Line) -> bool:
        height = heights[line.page] or 792.0
        return line.y > height * (1 - _MARGIN) or line.y < height * _MARGIN

    pages = len(heights)
    seen: Counter[tuple[str, int]] = Counter()
    for k in {(key(line), line.page) for line in lines if marginal(line)}:
        seen[k[0]] += 1
    # table rows differ in their figures ("City 31 · $81,000", "City 32 · $82,000"); a title that repeats the
    # running header below it on the first page ("Nursing Career Guide") is the same words
    said: dict[tuple[str, int], set[str]] = {}
    for line in lines:
        said.setdefault((text(line), line.page), set()).add(line.text)
    repeated = {t for (t, _), written in said.items() if len(written) > 1}
    recurring = {k for k, n in seen.items() if pages >= 2 and n >= max(2, pages / 2) and k[0] not in repeated}
    kept = [
        line for line in lines if not (marginal(line) and (_PAGE_NUMBER.match(line.text) or key(line) in recurring))
    ]
    return kept or [line for line in lines if not _PAGE_NUMBER.match(line.text)]


_BROKEN = re.compile(r"([^\W\d_]+)-$")  # a line's last word broken after a hyphen: "employ-"


def _joined(parts: list[str]) -> str:
    """Lines of one paragraph as one text: a line broken after a hyphen joins without a space ("NCLEX-" and "RN"),
    and without the hyphen where a word processor hyphenated one word (``_unhyphenated``: "employ-" and "ment")."""
    out = ""
    for part in parts:
        broken = _BROKEN.search(out)
        if not out or not (broken and part[:1].isalnum()):
            out += f" {part}" if out else part
        elif _unhyphenated(broken.group(1), _first_word(part)):
            out = out[:-1] + part
        else:
            out += part
    return out


_WORD = 3.0  # wordfreq's Zipf frequency from which a string is an English word (once in a million words)


def _unhyphenated(before: str, after: str) -> bool:
    """Whether a word broken at a line's end after ``before`` and a hyphen, going on with ``after``, is one word
    hyphenated to fit the line ("employ-ment", "in-come") rather than a hyphenated word ("full-time", "self-paced",
    "NCLEX-RN"): both halves in lowercase, and the two together an English word (``_WORD``: "income" 5.0, "fulltime"
    2.9, "selfpaced" 0), or at least commoner than with the hyphen, which wordfreq reads as its parts ("employ-ment"
    is as rare as "ment"). A compound written both ways is joined ("nonprofit", "coop")."""
    from wordfreq import zipf_frequency

    word = re.match(r"[^\W\d_]+", after)
    if not (word and before.islower() and word.group(0).islower()):
        return False
    joined = zipf_frequency(before + word.group(0), "en")
    return joined >= _WORD or joined > zipf_frequency(f"{before}-{word.group(0)}", "en")


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


def _cells(lines: list[_Line]) -> list[_Line]:
    """The lines, with a table row set on one line split into its cells, each a line of its own at the same height.
    A line's pieces are cells where the lines near it show a column's left edge at the same place (a wrapped cell's
    lines sit between two rows, so near is up to ``_TABLE_WINDOW`` lines, as long as no heading or prose comes
    between). A header row is read by the table it heads (:func:`_tables`)."""

    def starts(k: int) -> Counter[int]:
        """Where line ``k`` shows a column's left edge, and how surely: each piece after its first once (a link or
        an italic word starts a piece too), and its start twice when it is a row's next cell (as high as the line
        before or higher, and right of it)."""
        edges = Counter(x for x, _, _ in lines[k].pieces[1:])
        if jump(k):
            edges[round(lines[k].x)] += 2
        return edges

    def split(line: _Line, at: list[int]) -> list[_Line]:
        cells: list[list[tuple[int, str, bool]]] = []
        for piece in line.pieces:
            if not cells or any(abs(piece[0] - a) <= 1 for a in at):
                cells.append([])
            cells[-1].append(piece)
        return [
            replace(
                line,
                text=" ".join("".join(t for _, t, _ in c).split()),
                x=float(c[0][0]),
                bold=all(b for _, _, b in c),
                pieces=tuple(c),
            )
            for c in cells
        ]

    def jump(k: int) -> bool:  # line k is as high as the line before or higher, and right of it: a row's next cell
        before = lines[k - 1] if k else None
        return bool(
            before
            and before.page == lines[k].page
            and lines[k].y > before.y - 0.25 * lines[k].size
            and lines[k].x > before.x + 1
        )

    # lines that may be a table's: several pieces, a row's next cell, or the cell before one
    tabular = [len(line.pieces) > 1 or jump(k) or (k + 1 < len(lines) and jump(k + 1)) for k, line in enumerate(lines)]

    def run(k: int) -> list[int]:
        """The lines around line ``k`` within ``_TABLE_WINDOW`` that are not cut from it by a heading or by two lines
        in a row that cannot be a table's (a cell wrapped on three lines has one such line in its middle)."""
        found = []
        for step in (-1, 1):
            n, quiet = k + step, 0
            while 0 <= n < len(lines) and abs(n - k) <= _TABLE_WINDOW and lines[n].page == lines[k].page:
                heading = not tabular[n] and (lines[n].bold or lines[n].size != lines[k].size)
                quiet = 0 if tabular[n] else quiet + 1
                if quiet >= 2 or heading:  # nor by a heading: a table holds none
                    break
                found.append(n)
                n += step
        return found

    out: list[_Line] = []
    columns: list[list[int]] = []
    for k, line in enumerate(lines):
        near = run(k)
        edges: Counter[int] = Counter()
        for n in near:
            edges.update(starts(n))
        # a cell's edge is shown twice: by two other rows' pieces, or by one row's cell starting there
        columns.append(
            sorted(x for x, _, _ in line.pieces[1:] if sum(c for e, c in edges.items() if abs(x - e) <= 1) >= 2)
        )
    for line, at in zip(lines, columns, strict=True):
        if _MARKER.match(line.pieces[0][1]):
            at = []  # a numbered or bulleted list's marker, set apart from its item: no cell
        out.extend(split(line, at) if at else [line])
    return out


def _rows(lines: list[_Line], i: int) -> tuple[list[list[list[int]]], int]:
    """The table that starts at line ``i``, read in the order a PDF writes a table: cell by cell, each cell's lines
    top to bottom, so that the next cell of a row starts higher up (or at the same height) and further right. Its
    rows, each a list of cells, each the indices of its lines; and the index after it. No rows when line ``i``
    starts no table (no row of two cells)."""
    rows: list[list[list[int]]] = []
    j = i
    while j < len(lines):
        first = lines[j]
        cells = [[j]]
        k = j + 1
        while k < len(lines) and lines[k].page == first.page:
            line, prev = lines[k], lines[k - 1]
            # as high or higher, and to the right: the row's next cell, which starts above the first cell's foot
            # unless that one is a single line (a paragraph above a row is no cell of it)
            beside = len(cells[0]) == 1 or line.y > lines[cells[0][-1]].y + 0.25 * line.size
            if line.y > prev.y - 0.25 * line.size and line.x > lines[cells[-1][0]].x + 1 and beside:
                cells.append([k])
            elif prev.y > line.y and abs(line.x - lines[cells[-1][0]].x) <= 1 and prev.y - line.y < 2 * line.size:
                cells[-1].append(k)  # just below, where the cell starts: its wrapped line
            else:
                break
            k += 1
        if len(cells) < 2 or (rows and (first.page != lines[rows[0][0][0]].page or len(cells) != len(rows[0]))):
            break
        if all(lines[n].bold for cell in cells for n in cell):
            break  # a header row: read with the table, from above it (_tables)
        rows.append(cells)
        j = k
    return (rows, j) if len(rows) >= 2 else ([], i)


def _table_element(lines: list[_Line], rows: list[list[list[int]]], header: list[int]) -> Element:
    """A table's rows as "header: cell" lines. Its header is the bold lines just above its rows (``header``), each
    piece under the column whose left edge is left of it (a header's cells are often centred, and wrapped); or,
    with none, its first row when that one is set in bold, or states no figure while a later row does."""
    texts = [[_joined([lines[n].text for n in cell]) for cell in row] for row in rows]
    if header:
        edges = [min(lines[row[k][0]].x for row in rows) for k in range(len(rows[0]))]
        named: list[list[str]] = [[] for _ in edges]
        for n in header:
            for x, piece, _ in lines[n].pieces:
                named[max([k for k, e in enumerate(edges) if x >= e - 1], default=0)].append(piece)
        return Element("table", table_rows([_joined([" ".join(p.split()) for p in c]) for c in named], texts))

    def bold(cell: list[int]) -> bool:
        return all(lines[n].bold for n in cell)

    if all(bold(row[0]) and not any(bold(c) for c in row[1:]) for row in rows):
        return Element("table", table_rows([], texts))  # its first column heads its rows ("Credits · 30 credit hours")
    if all(bold(c) for c in rows[0]) or states_no_figure_above_figures(texts):
        return Element("table", table_rows(texts[0], texts[1:]))  # (a table here has two rows at least: _rows)
    return Element("table", table_rows([], texts))


def _tables(lines: list[_Line]) -> dict[int, tuple[int, Element]]:
    """Every table among the lines: the index of its first line (its header's, when it has one) → the index after
    its last, and the table."""
    out: dict[int, tuple[int, Element]] = {}
    i = floor = 0  # floor: the index after the table before
    while i < len(lines):
        rows, after = _rows(lines, i)
        if not rows:
            i += 1
            continue
        top = max(lines[n].y for cell in rows[0] for n in cell)
        # its header: the bold lines just above it on its page, the lowest less than a row's height above it and the
        # others a line apart at most (a header's cells may wrap, and be centred)
        header: list[int] = []
        k = i - 1
        size = lines[i].size
        # (a heading above the table is larger: it heads the section, not the table's columns)
        while k >= floor and lines[k].bold and lines[k].page == lines[i].page and abs(lines[k].size - size) <= 0.5:
            if header:
                near = min(abs(lines[k].y - lines[h].y) for h in header) <= 1.6 * size
            else:
                near = 0 < lines[k].y - top < 3 * size + 0.5
            if not near:
                break
            header.append(k)
            k -= 1
        start = k + 1
        out[start] = (after, _table_element(lines, rows, list(range(start, i))))
        i = floor = after
    return out


def _pdf_elements(lines: list[_Line]) -> list[Element]:
    lines = _cells(lines)
    chars: Counter[float] = Counter()
    margins: Counter[int] = Counter()
    for line in lines:
        chars[line.size] += len(line.text)
    body = chars.most_common(1)[0][0]
    for line in lines:
        if line.size == body:
            margins[round(line.x)] += len(line.text)
    left = margins.most_common(1)[0][0]  # the body's left margin
    # how many characters a full line of each column holds (lines starting at the same place, in the same size)
    widths: dict[tuple[int, float], list[int]] = {}
    for line in lines:
        widths.setdefault((round(line.x), line.size), []).append(len(line.text))
    full = {k: sorted(v)[int(len(v) * 0.9)] for k, v in widths.items()}
    body_full = full.get((left, body), 0)
    # and the left margin of a second column, in a layout of two: right of the first column, with much of the text
    total, across = sum(margins.values()), body_full * _CHAR * body
    lefts = sorted({left} | {x for x, n in margins.items() if n >= _COLUMN * total and x >= left + 0.7 * across})

    def margin(x: float) -> int:
        """The body margin a line starting at ``x`` is indented from."""
        return max((m for m in lefts if m <= x + 1), default=lefts[0])

    larger = sorted({line.size for line in lines if line.size > body * 1.15 and len(line.text) <= 120}, reverse=True)
    level = {size: min(rank + 1, 6) for rank, size in enumerate(larger)}
    bold_level = min(len(larger) + 1, 6)  # a bold line at the body's size heads a section under the larger ones
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and a.y > b.y]
    spacing = sorted(gaps)[len(gaps) // 2] if gaps else 0.0  # the body's usual line spacing

    def heading_level(i: int) -> int:
        line = lines[i]
        if line.size in level:
            return level[line.size]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        alone = len(line.text) <= 120 and not line.text.rstrip().endswith((".", ",", ";"))
        # a bold line alone, not the first of a bold paragraph (the line after it is not bold, or set apart)
        apart = nxt is not None and (not nxt.bold or nxt.page != line.page or line.y - nxt.y > spacing * 1.4 + 0.5)
        if line.bold and alone and line.size == body and apart:
            return bold_level
        return 0

    def ended(previous: _Line, line: _Line) -> bool:
        """Whether ``previous`` ended its paragraph or item before its column did: the next line's first word would
        have fitted on it (exactly in a fixed-width face, within ``_FITS`` of the widest lines in another). An
        indented column is as wide as the body's, less the indent. A line ending in a word broken after its hyphen
        ("NCLEX-") never ended there."""
        if _BROKEN.search(previous.text) and line.text[:1].isalnum():
            return False
        at = margin(previous.x)
        indent = round((previous.x - at) / (_CHAR * previous.size)) if previous.size == body else 0
        room = max(full.get((round(previous.x), previous.size), 0), full.get((at, body), body_full) - indent)
        wanted = len(previous.text) + 1 + len(_first_word(line.text))
        return wanted <= (room if previous.mono else room * _FITS)

    elements: list[Element] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            elements.append(Element("paragraph", _joined(paragraph)))
            paragraph.clear()
        _close_list(elements, items)

    previous: _Line | None = None
    heading: list[str] = []
    heading_at: tuple[int, float] | None = None  # the level and size of the heading being read (it may wrap)

    def close_heading() -> None:
        nonlocal heading, heading_at
        if heading and heading_at:
            flush()
            elements.append(Element("heading", " ".join(heading), heading_at[0]))
        heading, heading_at = [], None

    tables = _tables(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in tables:
            close_heading()
            flush()
            after, table = tables[i]
            elements.append(table)
            previous, i = lines[after - 1], after
            continue
        i += 1
        same_page = previous is not None and line.page == previous.page
        drop = previous.y - line.y if previous is not None and same_page else 0.0
        lvl = heading_level(i - 1)
        if lvl:
            wrapped = heading_at == (lvl, line.size) and same_page and 0 < drop <= 1.6 * line.size
            if not wrapped:
                close_heading()
                heading_at = (lvl, line.size)
            heading.append(line.text)  # a heading may wrap onto a second line
            previous = line
            continue
        close_heading()
        gap = drop > spacing * 1.4 + 0.5
        # a paragraph goes on across a page break, or up to the next column, when the page or column ended mid-sentence
        moved = not same_page or drop < -spacing
        continues = previous is not None and not previous.text.rstrip().endswith(_ENDS)
        new_block = previous is None or gap or (moved and not continues) or ended(previous, line)
        # a full line ending a sentence, then a short one that ends none: a heading of its own, not a paragraph's
        # last line (which ends with its sentence), even where its first word would not have fitted above
        below = lines[i] if i < len(lines) else None
        alone = below is None or below.page != line.page or ended(line, below)
        new_block = new_block or (not continues and alone and not line.text.rstrip().endswith(_ENDS))
        indented = line.x - margin(line.x) > _INDENT * line.size
        if _BULLET.match(line.text) or (indented and (new_block or not items)):
            if paragraph:
                flush()
            items.append("- " + _BULLET.sub("", line.text))
        elif items and not new_block:
            items[-1] = _joined([items[-1], line.text])  # an item's wrapped line
        else:
            if new_block or items:
                flush()
            paragraph.append(line.text)
        previous = line
    close_heading()
    flush()
    return _without_question_lists(elements)


def _without_question_lists(elements: list[Element]) -> list[Element]:
    """The elements less the lists of questions alone that no sentence leads into: a FAQ's questions printed
    without their answers (a page saved with its ``<details>`` closed) or an index of the questions answered
    below. Such a list answers nothing, and its questions look like the student's ("Is a security clearance
    required?"), so it was retrieved first and quoted. "Questions to ask at the end of an interview:" leads into
    its list, which stays."""
    kept: list[Element] = []
    for e in elements:
        items = e.text.splitlines()
        led = bool(kept) and kept[-1].kind == "paragraph" and kept[-1].text.rstrip().endswith(":")
        if e.kind == "list" and len(items) >= 2 and not led and all(i.rstrip().endswith("?") for i in items):
            continue
        kept.append(e)
    return kept
