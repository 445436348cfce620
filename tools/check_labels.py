"""Check an evaluation file's labels against the ingested corpus, without answering anything.

Every ``passage`` and ``sides`` snippet must occur (whitespace-insensitive) in at least one
ingested passage, or the question can never count as retrieved or cited. Run it after
``advisor ingest`` with the same ``ADVISOR_CORPUS``/``ADVISOR_DATA``::

    ADVISOR_CORPUS=eval/guides ADVISOR_DATA=.advisor/guides python -m tools.check_labels eval/guides-dev.jsonl

Prints one line per snippet not found and exits 1 if there is any; prints no scores.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from advisor.config import Settings
from advisor.ingest.store import open_store
from advisor.quality.evaluate import answer_rank, load_questions


def snippets(item: dict[str, Any]) -> list[str]:
    """Every snippet an item's labels name (passage alternatives and both sides)."""
    out: list[str] = []
    for key in ("passage", "sides"):
        value = item.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for v in value:
                out.extend([v] if isinstance(v, str) else v)
    return out


def missing(items: list[dict[str, Any]], texts: list[str]) -> list[tuple[str, str]]:
    """(item id, snippet) for every snippet that is in no passage text."""
    return [
        (str(item.get("id", f"line {n}")), snippet)
        for n, item in enumerate(items, 1)
        for snippet in snippets(item)
        if answer_rank(texts, snippet) is None
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.check_labels", description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", nargs="+", help="JSONL evaluation files")
    args = parser.parse_args()
    store = open_store(Settings.from_env())
    texts = [p.text for p in store.all_passages()]
    store.close()
    bad = []
    total = 0
    for path in args.questions:
        items = load_questions(path)
        total += len(items)
        bad += missing(items, texts)
    for ident, snippet in bad:
        print(f"{ident}: not in any passage: {snippet!r}")
    print(f"{total} questions, {len(texts)} passages, {len(bad)} snippets not found", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
