"""Sync: bring the store in line with the corpus folder, the one source of truth.

:func:`ingest` is incremental: an unchanged file costs nothing, a changed file replaces exactly
its passages (new ones embedded, gone ones deleted), a deleted file's passages go. Each passage's
sentences are embedded with it, so that answering embeds only the question, never guide text.
The plan is worked out against the current generation before anything is written. Embedded, the
changes go into a new generation (generations.py): a copy of the current one's passages and
vectors, then the plan; it is published only when complete, so a killed or failed ingest leaves the
current generation answering, and readers in other processes (a running server) never see a write.
With a Chroma server the plan is written in place (the server serializes access) and a version is
bumped. One writer at a time: :func:`ingest_lock` (also held by backup and restore). A manifest of
the corpus files' sizes and times tells whether the index is stale; :func:`ensure_index` is the step
that opening the advisor (and ``advisor serve``) calls before any question.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from advisor.config import Settings
from advisor.errors import CorpusError, StoreBusy
from advisor.ingest import generations
from advisor.ingest.parse import Corpus, Document, corpus_files, read_corpus
from advisor.ingest.split import passages_of, sentence_units
from advisor.ingest.store import FORMAT, Store, Stored, build_store
from advisor.safety.guard import screen_sentences
from advisor.types import Passage

log = logging.getLogger(__name__)

BATCH = 256  # passages embedded and written per step (one progress-bar tick)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IngestReport:
    """What an ingest changed, counted in files; ``passages`` is the store's total after it."""

    files: int
    passages: int
    added: int
    updated: int
    removed: int
    unchanged: int
    skipped: tuple[str, ...] = ()
    instructions: tuple[str, ...] = ()  # flagged sentences of new or changed files (safety/guard.py)
    seconds: float = 0.0
    embedded: int = 0  # passages embedded in this run

    def contract(self) -> dict[str, int]:
        """The ``advisor ingest --json`` object (DESIGN.md)."""
        d = asdict(self)
        return {k: d[k] for k in ("files", "passages", "added", "updated", "removed", "unchanged")}


def ingest_lock(settings: Settings) -> Any:
    """The lock every writer of the store holds (a ``filelock.FileLock`` that never waits)."""
    from filelock import FileLock

    settings.data.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.lock_path), timeout=0)


def ingest(store: Store, *, progress: Progress | None = None) -> IngestReport:
    """Bring the index in line with the corpus, holding the ingest lock; ``store`` reads the result after."""
    from filelock import Timeout

    settings = store.settings
    try:
        with ingest_lock(settings):
            if settings.chroma_url:
                return _ingest(store, progress)
            generations.cleanup(settings)  # what killed ingests left, and generations no reader holds
            if store.generation != generations.current(settings):
                store.attach(generations.hold_current(settings))  # another process published since it opened
            return _ingest(store, progress)
    except Timeout:
        raise StoreBusy(
            f"another ingest is running (lock {settings.lock_path}); wait for it to finish and try again"
        ) from None


def _ingest(store: Store, progress: Progress | None) -> IngestReport:
    started = time.perf_counter()
    settings = store.settings
    corpus = read_corpus(settings)  # raises CorpusError when there is nothing to read
    if not corpus.documents:
        reasons = "; ".join(f"{s.source}: {s.reason}" for s in corpus.skipped)
        raise CorpusError(f"no file in {settings.corpus} could be read ({reasons}); the index was left as it was")
    stale_model = store.stored_signature() not in (None, store.signature) and store.count() > 0
    if stale_model:
        log.warning("the index was built with %s; rebuilding for %s", store.stored_signature(), store.signature)
    plan = _plan(store, corpus, rebuild=stale_model)
    passages = _apply(store, plan, progress, rebuild=stale_model)
    planted = [
        f"{p.source} § {p.section or p.title}: {_flag(kind)}: “{sentence[:160]}”"
        for p, _ in plan.add + plan.touch
        for kind, sentence in screen_sentences(p.text, settings.allowed_link_hosts)[1]
    ]
    return IngestReport(
        files=len(corpus.documents),
        passages=passages,
        added=plan.added_files,
        updated=plan.updated_files,
        removed=plan.removed_files,
        unchanged=plan.unchanged_files,
        skipped=tuple(f"{s.source}: {s.reason}" for s in corpus.skipped),
        instructions=tuple(planted),
        seconds=time.perf_counter() - started,
        embedded=len(plan.add),
    )


def _plan(store: Store, corpus: Corpus, *, rebuild: bool) -> Plan:
    """Compare the corpus with what ``store`` holds (nothing, when it is to be rebuilt)."""
    settings = store.settings
    existing: dict[str, dict[str, Stored]] = {}
    for s in [] if rebuild else store.stored():
        existing.setdefault(s.source, {})[s.id] = s
    skipped_sources = {s.source for s in corpus.skipped}
    plan = Plan()
    for doc, passages in passages_of(corpus, settings):
        plan.compare(doc, passages, existing.pop(doc.source, {}))
    for source, old in existing.items():
        if source in skipped_sources:
            log.warning("%s could not be read; keeping its %d indexed passages", source, len(old))
            continue
        plan.removed_files += 1
        plan.delete.extend(old)
    return plan


def _apply(store: Store, plan: Plan, progress: Progress | None, *, rebuild: bool) -> int:
    """Write the plan; returns the number of passages the index then holds."""
    settings = store.settings
    if settings.chroma_url:  # the server serializes access: write in place, then tell running apps
        if rebuild:
            store.reset()
        _write(store, plan, progress)
        write_manifest(settings, store.manifest_path)
        generations.bump_server_version(store.client, settings)
        return store.count()
    if not plan.changes and store.generation is not None:
        write_manifest(settings, store.manifest_path)  # e.g. a file touched but not changed
        return store.count()
    return _build(store, plan, progress, rebuild=rebuild)


def _build(store: Store, plan: Plan, progress: Progress | None, *, rebuild: bool) -> int:
    """Build the next generation beside the current one (its passages copied, then the plan), publish it,
    and move ``store`` onto it. A failure deletes the half-built generation; the current one is untouched."""
    import shutil

    settings = store.settings
    gen = generations.begin(settings)
    builder = build_store(settings, gen, store.embeddings)
    try:
        if not rebuild:
            store.copy_into(builder)
        _write(builder, plan, progress)
        count = builder.count()
        builder.close()
        write_manifest(settings, gen.manifest)
        generations.publish(settings, gen)
    except BaseException:
        builder.close()
        shutil.rmtree(gen.chroma.parent, ignore_errors=True)
        raise
    store.attach(generations.hold_current(settings))
    generations.cleanup(settings)  # the previous generation, unless a reader still holds it
    return count


def _flag(kind: str) -> str:
    """What happens to a flagged sentence, for the operator."""
    if kind == "foreign_link":
        return "foreign link removed (the sentence is kept)"
    return f"left out of answers as an instruction to an AI ({kind.replace('_', ' ')})"


@dataclass
class Plan:
    """What one ingest will write, worked out before anything is written."""

    add: list[tuple[Passage, str]] = field(default_factory=list)  # (passage, its file's digest), to embed
    touch: list[tuple[Passage, str]] = field(default_factory=list)  # kept passages whose metadata changes
    delete: list[str] = field(default_factory=list)
    added_files: int = 0
    updated_files: int = 0
    removed_files: int = 0
    unchanged_files: int = 0

    @property
    def changes(self) -> bool:
        """True when the plan writes anything."""
        return bool(self.add or self.touch or self.delete)

    def compare(self, doc: Document, passages: list[Passage], old: dict[str, Stored]) -> None:
        """Plan one readable document against what the store holds for its source."""
        new_ids = {p.id for p in passages}
        if not old:
            self.added_files += 1
            self.add.extend((p, doc.digest) for p in passages)
            return
        current = all(
            s.file_digest == doc.digest and s.ordinal == p.ordinal for p in passages if (s := old.get(p.id)) is not None
        )
        if new_ids == set(old) and current:
            self.unchanged_files += 1
            return
        self.updated_files += 1
        self.add.extend((p, doc.digest) for p in passages if p.id not in old)
        self.touch.extend((p, doc.digest) for p in passages if p.id in old)
        self.delete.extend(set(old) - new_ids)


def _write(store: Store, plan: Plan, progress: Progress | None) -> None:
    # Longest texts first, so each batch pads to similar lengths (as encode() sorts).
    todo = sorted(plan.add, key=lambda pd: len(pd[0].embed_text), reverse=True)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        store.add(batch, store.embeddings.embed_documents([p.embed_text for p, _ in batch]))
        units = [sentence_units(p) for p, _ in batch]
        vectors = store.embeddings.embed_documents([text for _, texts in units for text in texts])
        rows, at = [], 0
        for (p, _), (said, _) in zip(batch, units, strict=True):
            rows.append((p, vectors[at : at + len(said)]))
            at += len(said)
        store.add_sentences(rows)
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    store.touch(plan.touch)
    store.delete(plan.delete)


# ---------------------------------------------------------------- staleness


def corpus_fingerprint(settings: Settings) -> dict[str, Any]:
    """What the index was built from: file names, sizes and times, and the model."""
    root = settings.corpus
    stats = {p.relative_to(root).as_posix(): p.stat() for p in corpus_files(root)}
    files = {name: [st.st_size, st.st_mtime_ns] for name, st in stats.items()}
    return {"corpus": str(root.resolve()), "model": settings.embedding_model, "format": FORMAT, "files": files}


def write_manifest(settings: Settings, path: Path) -> None:
    """Record what the index at ``path``'s generation was built from (write and rename: whole or absent)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(corpus_fingerprint(settings), indent=1))
    tmp.replace(path)


def is_stale(store: Store) -> bool:
    """True when the corpus changed since the last ingest, or the store is empty."""
    if store.count() == 0 or store.stored_signature() != store.signature:
        return True
    try:
        saved = json.loads(store.manifest_path.read_text())
    except (OSError, ValueError):
        return True
    return bool(saved != corpus_fingerprint(store.settings))


def ensure_index(store: Store, *, notify: Callable[[str], None] = log.warning) -> IngestReport | None:
    """Build or refresh the index when it is missing or stale; say so through ``notify``."""
    try:
        if not is_stale(store):
            return None
        what = "building the index" if store.count() == 0 else "the corpus changed; updating the index"
        notify(f"{what} from {store.settings.corpus} …")
        return ingest(store)
    except CorpusError as exc:
        if store.count() == 0:
            raise
        notify(f"answering from the existing index: {exc}")  # an unreadable corpus loses nothing
        return None
