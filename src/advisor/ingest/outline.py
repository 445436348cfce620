"""Outline: the structure every reader of a corpus file produces, whatever the format.

A document is a run of :class:`Block` s (a paragraph, a whole list or a whole table), each under
the section path the :class:`Outline` keeps from the headings above it. The Markdown, text and
HTML readers (parse.py) and the PDF and DOCX readers (formats.py) all feed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A paragraph (or list) of a document, under its section heading."""

    section: str
    text: str


PATH_SEPARATOR = " › "  # between the headings of a section path: "Data Engineer › Pay"
TABLE_CELLS = " · "  # between the "header: cell" pairs of a table row


class Outline:
    """The headings above the current block: a section path, kept by heading level."""

    def __init__(self) -> None:
        self.title = ""
        self.stack: list[tuple[int, str, bool]] = []  # (level, heading, a real heading?)

    def heading(self, level: int, text: str, *, real: bool = True) -> None:
        """A heading of ``level`` (1 = the document title, the first one only)."""
        text = " ".join(text.split()).strip(" :")
        if not text:
            return
        if level == 1 and not self.title and not self.stack:
            self.title = text
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text, real))

    def subheading(self, text: str) -> None:
        """A line used as a heading (bold text, a FAQ's question): one level below the last real heading."""
        base = next((level for level, _, real in reversed(self.stack) if real), 1)
        self.heading(base + 1, text, real=False)

    def close(self, depth: int) -> None:
        """Close the headings opened since the outline was ``depth`` headings deep (a box's own heading)."""
        del self.stack[max(depth, 0) :]

    @property
    def section(self) -> str:
        return PATH_SEPARATOR.join(text for _, text, _ in self.stack)


def states_no_figure_above_figures(rows: list[list[str]]) -> bool:
    """Whether a table's first row is its header by what it says: it states no figure while a later row does, as a
    header row ("Setting · Median wage") over its data ("Hospitals · $81,200") does."""
    figure = re.compile(r"\d")
    return not any(figure.search(c) for c in rows[0]) and any(figure.search(c) for row in rows[1:] for c in row)


def table_rows(header: list[str], rows: list[list[str]]) -> str:
    """A table as one line per row, each cell with its header: "Role: Data analyst · Median pay: $83,000"."""
    lines = []
    for row in rows:
        if header and len(header) == len(row):
            cells = [f"{h}: {c}" if h else c for h, c in zip(header, row, strict=True) if c]
        else:
            cells = [c for c in row if c]
        if cells:
            lines.append(TABLE_CELLS.join(cells))
    return "\n".join(lines)


def add_block(blocks: list[Block], section: str, text: str, *, after_lead_in: bool = False) -> None:
    """Append a block; a list or table joins the paragraph just before it when that one leads into it (":")."""
    text = text.strip()
    if not text:
        return
    if after_lead_in and blocks and blocks[-1].section == section and blocks[-1].text.rstrip().endswith(":"):
        blocks[-1] = Block(section, f"{blocks[-1].text}\n{text}")
        return
    blocks.append(Block(section, text))
