"""The exception tree. Every message names the bad value and the way out.

    AdvisorError
    ├── CorpusError      the corpus directory is missing, empty or unreadable
    ├── StoreNotReady    the index is missing, corrupted or built by another model
    ├── StoreBusy        another ingest holds the lock
    ├── InputError       a question or history that cannot be answered as given
    └── BackendError     a Chroma server or model that cannot be reached or loaded

Surfaces (CLI, chat, API) turn these into one-line messages; tests see the
real exception.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class CorpusError(AdvisorError):
    """The corpus cannot be read as a whole."""


class StoreNotReady(AdvisorError):
    """The passage store cannot be used until it is (re)built."""


class StoreBusy(AdvisorError):
    """Another process is writing the store."""


class InputError(AdvisorError):
    """A question, history or option that is not acceptable."""


class BackendError(AdvisorError):
    """An external part (Chroma server, model files) is unavailable."""


def brief(exc: BaseException) -> str:
    """``"TypeName: first line of the message"`` (at most 160 characters of it), for one-line logs."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
