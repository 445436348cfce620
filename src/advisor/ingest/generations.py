"""Generations of the local index: built beside the current one, published at once, deleted once unused.

Chroma's embedded store is not safe to write while another process reads it, so no process ever
writes a published generation. An ingest builds the next generation in a new directory (starting
from the current one's passages and vectors, so an unchanged file costs no embedding), then
publishes it by replacing one small pointer file; a running server notices the pointer change
and opens the new generation beside the old one (answer/live.py)::

    ADVISOR_DATA/index/current            {"generation": "gen-000007", "counter": 7}
    ADVISOR_DATA/index/gen-000007/chroma  the Chroma files
    ADVISOR_DATA/index/gen-000007/manifest.json  what it was built from (sync.py)
    ADVISOR_DATA/index/gen-000007/lease   held (shared flock) by every process that reads it
    ADVISOR_DATA/chroma, manifest.json    an index built before generations: read as generation 0

A half-built generation is never published (a killed ingest leaves it behind, and the next ingest
deletes it). :func:`cleanup` runs under the ingest lock and deletes every generation that is not
current and whose lease no reader holds. With a Chroma server (``ADVISOR_CHROMA_URL``) there are
no generations: the server serializes writers and readers itself, an ingest writes in place and
bumps a version the running app polls (:func:`bump_server_version`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from advisor.config import Settings
from advisor.errors import StoreBusy, StoreNotReady

POINTER = "current"
LEGACY = "chroma"  # the name of generation 0: the store as it was laid out before generations
VERSION_COLLECTION = "-version"  # server mode: one record whose metadata counts the ingests
_NAME = re.compile(r"^gen-(\d{6,})$")


@dataclass(frozen=True)
class Generation:
    """One built index: where its Chroma files, its manifest and its readers' lease live."""

    name: str
    counter: int
    chroma: Path
    manifest: Path
    lease: Path


def index_root(settings: Settings) -> Path:
    """The folder holding the generations and the pointer to the current one."""
    return settings.data / "index"


def _generation(settings: Settings, name: str, counter: int) -> Generation:
    if name == LEGACY:
        return Generation(LEGACY, 0, settings.chroma_path, settings.manifest_path, settings.data / "chroma.lease")
    root = index_root(settings) / name
    return Generation(name, counter, root / "chroma", root / "manifest.json", root / "lease")


def current(settings: Settings) -> Generation | None:
    """The published generation (the pre-generation store when nothing was published yet), or None."""
    pointer = index_root(settings) / POINTER
    try:
        saved = json.loads(pointer.read_text(encoding="utf-8"))
        return _generation(settings, str(saved["generation"]), int(saved["counter"]))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreNotReady(
            f"the index pointer {pointer} cannot be read ({exc}); run `advisor ingest --rebuild` to rebuild it"
        ) from None
    legacy = _generation(settings, LEGACY, 0)
    return legacy if (legacy.chroma / "chroma.sqlite3").exists() else None


def version(settings: Settings) -> str:
    """What a running app compares to notice a new generation: the pointer's text (cheap, no Chroma)."""
    try:
        return (index_root(settings) / POINTER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return LEGACY if (settings.chroma_path / "chroma.sqlite3").exists() else ""


def _numbers(settings: Settings) -> list[int]:
    root = index_root(settings)
    found = [int(m.group(1)) for p in root.iterdir() if (m := _NAME.match(p.name))] if root.exists() else []
    now = current(settings)
    return found + ([now.counter] if now else [])


def begin(settings: Settings) -> Generation:
    """A new, empty generation directory with a number never used before (the caller holds the ingest lock)."""
    counter = max(_numbers(settings), default=0) + 1
    gen = _generation(settings, f"gen-{counter:06d}", counter)
    gen.chroma.mkdir(parents=True)
    gen.lease.touch()
    return gen


def publish(settings: Settings, gen: Generation) -> None:
    """Make ``gen`` the current generation: one ``os.replace`` of the pointer file."""
    pointer = index_root(settings) / POINTER
    tmp = pointer.with_name(POINTER + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump({"generation": gen.name, "counter": gen.counter}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, pointer)


def unpublish(settings: Settings) -> None:
    """Forget the current generation (``--rebuild`` after it was set aside): the next ingest starts empty."""
    (index_root(settings) / POINTER).unlink(missing_ok=True)


class Lease:
    """A reader's hold on one generation (a shared flock on its lease file): cleanup leaves it alone."""

    def __init__(self, gen: Generation, handle: IO[bytes]) -> None:
        self.generation = gen
        self._handle: IO[bytes] | None = handle

    @classmethod
    def take(cls, gen: Generation) -> Lease | None:
        """Hold ``gen``; None when it is gone or being deleted (read the pointer again)."""
        try:
            handle = gen.lease.open("a+b")
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return None
        if not gen.chroma.exists():  # deleted between the open and the lock
            handle.close()
            return None
        return cls(gen, handle)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the flock
            self._handle = None


def hold_current(settings: Settings) -> Lease | None:
    """A lease on the current generation (None when there is no index yet)."""
    for _ in range(20):  # each retry means an ingest published and cleaned up in between
        gen = current(settings)
        if gen is None:
            return None
        if gen.name == LEGACY and not gen.lease.exists():
            gen.lease.touch()
        lease = Lease.take(gen)
        if lease is not None:
            return lease
    raise StoreBusy("the index keeps changing while it is opened; try again when the ingest has finished")


def _unused(gen: Generation) -> bool:
    """True when no process reads ``gen`` (it is locked exclusively until the caller's delete is done)."""
    try:
        handle = gen.lease.open("a+b")
    except FileNotFoundError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        _delete(gen)
        return True


def _delete(gen: Generation) -> None:
    if gen.name == LEGACY:
        shutil.rmtree(gen.chroma, ignore_errors=True)
        gen.manifest.unlink(missing_ok=True)
        gen.lease.unlink(missing_ok=True)
    else:
        shutil.rmtree(gen.chroma.parent, ignore_errors=True)


def cleanup(settings: Settings) -> list[str]:
    """Delete every generation that is neither current nor read by any process; the caller holds the
    ingest lock (so no generation is being built). Returns the names deleted."""
    now = current(settings)
    keep = now.name if now else None
    root = index_root(settings)
    names = [p.name for p in root.iterdir() if _NAME.match(p.name)] if root.exists() else []
    if (settings.chroma_path / "chroma.sqlite3").exists() and (root / POINTER).exists():
        names.append(LEGACY)  # migrated: the pre-generation store goes once nothing reads it
    deleted = []
    for name in sorted(names):
        m = _NAME.match(name)
        gen = _generation(settings, name, int(m.group(1)) if m else 0)
        if name != keep and _unused(gen):
            deleted.append(name)
    return deleted


def tidy(settings: Settings, lock: Any) -> list[str]:
    """:func:`cleanup` if the ingest lock is free right now (a running app, after it let a generation go)."""
    from filelock import Timeout

    with contextlib.suppress(Timeout), lock:
        return cleanup(settings)
    return []


def server_version(client: Any, settings: Settings) -> str:
    """Server mode: the ingest count a running app compares (one small read)."""
    try:
        got = client.get_collection(settings.collection + VERSION_COLLECTION).get(ids=["version"])
    except Exception:  # not created yet: no ingest has finished since the app started
        return ""
    return str(got["metadatas"][0].get("counter", "")) if got["ids"] else ""


def bump_server_version(client: Any, settings: Settings) -> None:
    """Server mode: count one more finished ingest, so running apps reload."""
    found = server_version(client, settings)
    counter = int(found) + 1 if found.isdigit() else 1
    collection = client.get_or_create_collection(settings.collection + VERSION_COLLECTION)
    collection.upsert(ids=["version"], metadatas=[{"counter": counter}], embeddings=[[0.0]])
