"""advisor: a career-advising chatbot that answers from a program office's own guides, with citations.

The public API::

    from advisor import Settings, open_advisor

    advisor = open_advisor(Settings.from_env())   # brings the index up to date, then opens it
    answer = advisor.ask("What do data analysts earn?")
    print(answer.text)
    for c in answer.citations:
        print(c.n, c.passage.source, c.passage.section)

The package is layered; each layer imports only those below it (checked by import-linter):

    serve     the CLI, the web app (chat, widget, API) and its limits
    quality   evaluation and the injection suite
    answer    condense, coverage, retrieve, extractive, verify, chat models: the chain
    ingest    parse, split, embed, store, sync, backup: the corpus into Chroma
    safety    the instruction detector, link screening, the guard
    types, text, config, errors    records, the shared tokenizer, settings, the exception tree

The names that need numpy and LangChain load on first use, so ``advisor --help`` stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from advisor.config import Settings
from advisor.errors import AdvisorError, BackendError, CorpusError, InputError, StoreBusy, StoreNotReady

if TYPE_CHECKING:
    from advisor.answer.chain import Advisor, open_advisor
    from advisor.types import Answer, Citation, Hit, Message, Passage, Retrieval

_LAZY = {
    "Advisor": "advisor.answer.chain",
    "open_advisor": "advisor.answer.chain",
    "Answer": "advisor.types",
    "Citation": "advisor.types",
    "Hit": "advisor.types",
    "Message": "advisor.types",
    "Passage": "advisor.types",
    "Retrieval": "advisor.types",
}

__all__ = [
    "Advisor",
    "AdvisorError",
    "Answer",
    "BackendError",
    "Citation",
    "CorpusError",
    "Hit",
    "InputError",
    "Message",
    "Passage",
    "Retrieval",
    "Settings",
    "StoreBusy",
    "StoreNotReady",
    "open_advisor",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'advisor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
