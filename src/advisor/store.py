"""Store stage: passages and their embeddings in Chroma, kept in step with the corpus.

The store is a cache derived from ``corpus/``. :func:`ingest` is incremental:
an unchanged file costs nothing, a changed file replaces exactly its passages
(new ones embedded, gone ones deleted), a deleted file's passages go. New
passages are written before old ones are deleted, so a killed ingest leaves a
store that still answers, and the next ingest repairs it. One ingest at a time:
a file lock guards the write.

Chroma is embedded (``PersistentClient`` under ``ADVISOR_DATA``) unless
``ADVISOR_CHROMA_URL`` names a Chroma server. Reads go through LangChain's
``Chroma`` vector store; incremental writes use the collection directly, since
the text embedded (title and heading + paragraph) differs from the text stored
and cited (the paragraph, verbatim).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from advisor.config import Settings
from advisor.corpus import Document, Passage, corpus_files, passages_of, read_corpus
from advisor.errors import BackendError, CorpusError, InputError, StoreBusy, StoreNotReady
from advisor.guard import screen_sentences

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the way passages are split or embedded changes: forces a rebuild
PAGE = 5_000  # passages read per request
BATCH = 256  # passages embedded and written per step (one progress-bar tick)


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
    instructions: tuple[str, ...] = ()  # sentences of new or changed files left out of answers (guard.py)
    seconds: float = 0.0
    embedded: int = 0  # passages embedded in this run

    def contract(self) -> dict[str, int]:
        """The ``advisor ingest --json`` object (DESIGN.md)."""
        d = asdict(self)
        return {k: d[k] for k in ("files", "passages", "added", "updated", "removed", "unchanged")}


# ---------------------------------------------------------------- opening


def open_client(settings: Settings) -> Any:
    """A Chroma client: a server when ``chroma_url`` is set, else embedded on disk."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise BackendError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}); "
                "start it with `chroma run` or unset ADVISOR_CHROMA_URL to use the local store"
            ) from None
        return client
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:
        raise StoreNotReady(
            f"the index at {settings.chroma_path} cannot be opened ({_short(exc)}); "
            "run `advisor ingest --rebuild` to set it aside and rebuild it from the corpus"
        ) from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


class Store:
    """The passage collection: typed reads and the incremental writes of ingest."""

    def __init__(self, settings: Settings, client: Any, embeddings: Embeddings) -> None:
        self.settings = settings
        self.client = client
        self.embeddings = embeddings
        self.collection = self._collection()

    def _collection(self) -> Any:
        try:
            return self.client.get_or_create_collection(
                self.settings.collection,
                metadata={"hnsw:space": "cosine", "advisor_signature": self.signature},
            )
        except Exception as exc:
            where = self.settings.chroma_url or self.settings.chroma_path
            raise StoreNotReady(
                f"the index at {where} cannot be read ({_short(exc)}); "
                "run `advisor ingest --rebuild` to set it aside and rebuild it from the corpus"
            ) from None

    @property
    def signature(self) -> str:
        """What the stored vectors were made with; a mismatch means rebuild."""
        return f"{self.settings.embedding_model}|format={FORMAT}"

    def stored_signature(self) -> str | None:
        meta = self.collection.metadata or {}
        return meta.get("advisor_signature")

    def count(self) -> int:
        return int(self.collection.count())

    def vectorstore(self) -> Any:
        """LangChain's view of the same collection, for similarity search."""
        from langchain_chroma import Chroma

        return Chroma(
            client=self.client,
            collection_name=self.settings.collection,
            embedding_function=self.embeddings,
            collection_metadata={"hnsw:space": "cosine"},
        )

    def all_passages(self) -> list[Passage]:
        """Every stored passage, in corpus order (for keyword indexing)."""
        passages: list[Passage] = []
        total = self.count()
        for offset in range(0, total, PAGE):  # one request for all would exceed SQLite's variable limit
            got = self.collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            passages += [
                _passage(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            ]
        return sorted(passages, key=lambda p: (p.source, p.ordinal))

    def embeddings_of(self, ids: Sequence[str]) -> dict[str, list[float]]:
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: list(e) for i, e in zip(got["ids"], got["embeddings"], strict=True)}

    def reset(self) -> None:
        """Drop the collection (used when the model or passage format changed)."""
        self.client.delete_collection(self.settings.collection)
        self.collection = self._collection()


def _passage(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        text=text,
        ordinal=int(meta.get("ordinal", 0)),
    )


def open_store(settings: Settings, *, client: Any = None, embeddings: Embeddings | None = None) -> Store:
    """Open (or create) the store; heavy parts may be handed in by tests.

    The client opens first, so an unreachable server fails before the model loads.
    """
    client = client if client is not None else open_client(settings)
    if embeddings is None:
        from advisor.embed import build_embeddings

        embeddings = build_embeddings(settings)
    return Store(settings, client, embeddings)


# ---------------------------------------------------------------- ingest


Progress = Callable[[int, int], None]


def ingest(store: Store, *, progress: Progress | None = None) -> IngestReport:
    """Bring the store in line with the corpus, holding the ingest lock."""
    from filelock import FileLock, Timeout

    settings = store.settings
    settings.data.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.lock_path), timeout=0)
    try:
        with lock:
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
    if store.stored_signature() not in (None, store.signature) and store.count():
        log.warning("the index was built with %s; rebuilding for %s", store.stored_signature(), store.signature)
        store.reset()

    existing = _existing_by_source(store)
    skipped_sources = {s.source for s in corpus.skipped}
    plan = _Plan()
    for doc, passages in passages_of(corpus, settings):
        plan.compare(doc, passages, existing.pop(doc.source, {}))
    for source, old in existing.items():
        if source in skipped_sources:
            log.warning("%s could not be read; keeping its %d indexed passages", source, len(old))
            continue
        plan.removed_files += 1
        plan.delete.extend(old)

    _write(store, plan, progress)
    write_manifest(settings)
    planted = [
        f"{p.source} § {p.section or p.title}: {kind.replace('_', ' ')}: “{sentence[:160]}”"
        for p, _ in plan.add + plan.touch
        for kind, sentence in screen_sentences(p.text, settings.allowed_link_hosts)[1]
    ]
    return IngestReport(
        files=len(corpus.documents),
        passages=store.count(),
        added=plan.added_files,
        updated=plan.updated_files,
        removed=plan.removed_files,
        unchanged=plan.unchanged_files,
        skipped=tuple(f"{s.source}: {s.reason}" for s in corpus.skipped),
        instructions=tuple(planted),
        seconds=time.perf_counter() - started,
        embedded=len(plan.add),
    )


def _existing_by_source(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    by_source: dict[str, dict[str, dict[str, Any]]] = {}
    for offset in range(0, store.count(), PAGE):
        got = store.collection.get(include=["metadatas"], limit=PAGE, offset=offset)
        for pid, meta in zip(got["ids"], got["metadatas"], strict=True):
            by_source.setdefault(str(meta.get("source", "")), {})[pid] = meta
    return by_source


class _Plan:
    """What one ingest will write, worked out before anything is written."""

    def __init__(self) -> None:
        self.add: list[tuple[Passage, str]] = []
        self.touch: list[tuple[Passage, str]] = []
        self.delete: list[str] = []
        self.added_files = self.updated_files = self.removed_files = self.unchanged_files = 0

    def compare(self, doc: Document, passages: list[Passage], old: dict[str, dict[str, Any]]) -> None:
        new_ids = {p.id for p in passages}
        if not old:
            self.added_files += 1
            self.add.extend((p, doc.digest) for p in passages)
            return
        current = all(
            m.get("file_digest") == doc.digest and m.get("ordinal") == p.ordinal
            for p in passages
            if (m := old.get(p.id)) is not None
        )
        if new_ids == set(old) and current:
            self.unchanged_files += 1
            return
        self.updated_files += 1
        self.add.extend((p, doc.digest) for p in passages if p.id not in old)
        self.touch.extend((p, doc.digest) for p in passages if p.id in old)
        self.delete.extend(set(old) - new_ids)


def _write(store: Store, plan: _Plan, progress: Progress | None) -> None:
    # Longest texts first, so each batch pads to similar lengths (as encode() sorts).
    todo = sorted(plan.add, key=lambda pd: len(pd[0].embed_text), reverse=True)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        vectors = store.embeddings.embed_documents([p.embed_text for p, _ in batch])
        store.collection.upsert(
            ids=[p.id for p, _ in batch],
            embeddings=vectors,
            documents=[p.text for p, _ in batch],
            metadatas=[p.metadata(d) for p, d in batch],
        )
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    if plan.touch:
        store.collection.update(ids=[p.id for p, _ in plan.touch], metadatas=[p.metadata(d) for p, d in plan.touch])
    for start in range(0, len(plan.delete), 5000):
        store.collection.delete(ids=plan.delete[start : start + 5000])


# ---------------------------------------------------------------- staleness


def corpus_fingerprint(settings: Settings) -> dict[str, Any]:
    """What the index was built from: file names, sizes and times, and the model."""
    root = settings.corpus
    stats = {p.relative_to(root).as_posix(): p.stat() for p in corpus_files(root)}
    files = {name: [st.st_size, st.st_mtime_ns] for name, st in stats.items()}
    return {"corpus": str(root.resolve()), "model": settings.embedding_model, "format": FORMAT, "files": files}


def write_manifest(settings: Settings) -> None:
    settings.data.mkdir(parents=True, exist_ok=True)
    tmp = settings.manifest_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(corpus_fingerprint(settings), indent=1))
    tmp.replace(settings.manifest_path)


def is_stale(store: Store) -> bool:
    """True when the corpus changed since the last ingest, or the store is empty."""
    if store.count() == 0 or store.stored_signature() != store.signature:
        return True
    try:
        saved = json.loads(Path(store.settings.manifest_path).read_text())
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


def set_aside(settings: Settings) -> Path | None:
    """Move an unreadable embedded store out of the way (never delete it)."""
    path = settings.chroma_path
    if not path.exists():
        return None
    target = path.with_name(f"chroma.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(target)
    settings.manifest_path.unlink(missing_ok=True)
    return target


def _exclusive(settings: Settings) -> Any:
    from filelock import FileLock

    settings.data.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.lock_path), timeout=0)


def backup(settings: Settings, target: Path) -> Path:
    """Write the embedded store and its manifest to ``target`` (a .tar.gz), holding the ingest lock
    so no ingest writes while it is copied. A Chroma server is backed up with Chroma's own tools."""
    import tarfile

    from filelock import Timeout

    if settings.chroma_url:
        raise InputError("the index lives on a Chroma server; back it up there (copy its --path directory)")
    if not settings.chroma_path.exists():
        raise StoreNotReady(f"there is no index at {settings.chroma_path} to back up; run `advisor ingest` first")
    try:
        with _exclusive(settings):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(settings.chroma_path, arcname="chroma")
                if settings.manifest_path.exists():
                    tar.add(settings.manifest_path, arcname="manifest.json")
            partial.replace(target)  # a finished file or none
    except Timeout:
        raise StoreBusy("an ingest is running; back up when it has finished") from None
    return target


def restore(settings: Settings, source: Path) -> Path | None:
    """Replace the embedded store with a backup; the current one is moved aside, never deleted.
    Returns where the previous store went (None if there was none)."""
    import shutil
    import tarfile
    import tempfile

    from filelock import Timeout

    if settings.chroma_url:
        raise InputError("the index lives on a Chroma server; restore it there")
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the `with archive` below)
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"cannot read the backup {source} ({exc}); pass a file made by `advisor backup`") from None
    with archive:
        names = archive.getnames()
        if "chroma" not in names or any(n.startswith(("/", "..")) or "/../" in n for n in names):
            raise InputError(f"{source} is not a backup made by `advisor backup`")
        try:
            with _exclusive(settings):
                staging = Path(tempfile.mkdtemp(prefix="restore-", dir=settings.data))
                try:
                    archive.extractall(staging, filter="data")
                    moved = None
                    if settings.chroma_path.exists():
                        moved = settings.chroma_path.with_name(
                            f"chroma.before-restore-{time.strftime('%Y%m%d-%H%M%S')}"
                        )
                        settings.chroma_path.rename(moved)
                    (staging / "chroma").rename(settings.chroma_path)
                    if (staging / "manifest.json").exists():
                        (staging / "manifest.json").replace(settings.manifest_path)
                    else:
                        settings.manifest_path.unlink(missing_ok=True)  # stale: the next question re-checks the corpus
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
        except Timeout:
            raise StoreBusy("an ingest is running; restore when it has finished") from None
    return moved
