"""Split: documents into passages, the unit that is embedded, retrieved and cited.

A passage is about one paragraph. It carries its document title and section heading (in
metadata and in the text that is embedded); a heading never stands alone; long paragraphs
split on sentence boundaries; very short paragraphs join their neighbour in the same section.
Each passage's id is derived from its source path and content, so re-reading an unchanged file
gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from advisor.config import Settings
from advisor.ingest.parse import Block, Corpus, Document
from advisor.text import sentences
from advisor.types import Passage


def split_document(doc: Document, settings: Settings) -> list[Passage]:
    """Passages of one document, in order, with stable content-derived ids."""
    texts = list(_merge_short(doc.blocks, settings.min_passage_chars))
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for section, text in texts:
        for piece in split_long(text, settings.passage_chars):
            key = f"{doc.source}\n{section}\n{piece}"
            # The same paragraph twice in one file still needs two distinct ids.
            seen[key] = seen.get(key, 0) + 1
            digest = hashlib.sha1(f"{key}\n{seen[key]}".encode()).hexdigest()[:20]
            passage = Passage(digest, doc.source, doc.title, section or doc.title, piece, len(passages), doc.site)
            passages.append(passage)
    return passages


def _merge_short(blocks: Iterable[Block], min_chars: int) -> list[tuple[str, str]]:
    """Join a too-short paragraph to the next one in its section, or to the previous
    one when it ends its section (a closing "Learn more." line is no passage). A sentence leading into the
    next paragraph (ending with ":") goes with that paragraph, whatever its length: "here's the rough
    picture:" belongs with the picture, and the rest of its own paragraph stays a passage when long enough."""
    merged: list[tuple[str, str]] = []
    carry: str | None = None  # a short paragraph or a lead-in waiting for its neighbour
    for i, block in enumerate(blocks := list(blocks)):
        text = f"{carry}\n{block.text}" if carry else block.text
        carry = None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        joins = nxt is not None and nxt.section == block.section
        if joins and len(text) >= min_chars and text.rstrip().endswith(":"):
            lead_in = sentences(text)[-1].strip()
            at = text.rfind(lead_in)
            rest = text[:at].strip() if at > 0 else ""
            if len(rest) >= min_chars:
                merged.append((block.section, rest))
                text = text[at:]
            carry = text
            continue
        if len(text) < min_chars:
            if joins:
                carry = text
                continue
            if merged and merged[-1][0] == block.section:
                merged[-1] = (block.section, f"{merged[-1][1]}\n{text}")
                continue
        merged.append((block.section, text))
    return merged


def split_long(text: str, limit: int) -> list[str]:
    """Split a block over ``limit`` characters into runs of whole lines (list items, table rows) and
    whole sentences; a sentence longer than the limit stays whole: cutting mid-sentence loses meaning, and
    so does cutting after a lead-in (":")."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in sentences(text):
        if current and len(current) + len(sentence) > limit and not current.rstrip().endswith(":"):
            pieces.append(current.strip())
            current = ""
        current += sentence
    if current.strip():
        pieces.append(current.strip())
    return pieces


def passages_of(corpus: Corpus, settings: Settings) -> list[tuple[Document, list[Passage]]]:
    """Each readable document with its passages."""
    return [(doc, split_document(doc, settings)) for doc in corpus.documents]


def sentence_units(passage: Passage) -> tuple[list[str], list[str]]:
    """A passage's sentences, and the text embedded for each: the sentence under its heading.

    A sentence means what it means under its heading: "Minimum educational requirements include a
    bachelor's degree" is about machine learning engineers because of its section.
    """
    said = sentences(passage.text) or [passage.text]
    head = f"{passage.section}: " if passage.section and passage.section != passage.title else ""
    return said, [f"{head}{s}" for s in said]
