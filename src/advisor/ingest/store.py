"""The passage store: Chroma, with typed reads and writes; nothing else touches Chroma's result shapes.

Chroma is embedded (``PersistentClient`` on the current generation under ``ADVISOR_DATA``, see
generations.py) unless ``ADVISOR_CHROMA_URL`` names a Chroma server. An embedded store holds a lease
on its generation while open; :meth:`Store.close` releases it and Chroma's client. The passages and
their vectors are read once when the advisor opens (the search itself runs in memory, see
answer/retrieve.py); writes use the collections directly, since the text embedded (title and heading +
paragraph) differs from the text stored and cited (the paragraph, verbatim). The store is a cache of
the corpus: :mod:`advisor.ingest.sync` decides what to write.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from advisor.config import Settings
from advisor.errors import BackendError, StoreNotReady, brief
from advisor.ingest.generations import Generation, Lease, hold_current
from advisor.types import Passage, Vector

FORMAT = 28  # bump when the way passages are split or embedded changes: forces a rebuild
SENTENCES = "-sentences"  # the second collection: each passage's sentences, embedded at ingest
PAGE = 5_000  # passages read per request (one request for all would exceed SQLite's variable limit)


@dataclass(frozen=True)
class Stored:
    """What the store holds about one passage besides its text: enough to plan an ingest."""

    id: str
    source: str
    ordinal: int
    file_digest: str


# One embedded client opened at a time in a process: the background sync that builds a generation and the serving
# app moving onto it open the same path together, and two threads creating Chroma's shared system for one path
# at once left one of them half-started ("'RustBindingsAPI' object has no attribute …", or a KeyError for the path)
_OPENING = threading.Lock()


def open_client(settings: Settings, path: Path | None = None) -> Any:
    """A Chroma client: a server when ``chroma_url`` is set, else embedded on disk at ``path``
    (by default the pre-generation location, ``settings.chroma_path``)."""
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
    path = path or settings.chroma_path
    path.mkdir(parents=True, exist_ok=True)
    try:
        with _OPENING:  # Chroma's cache of systems by path is not safe to fill from two threads at once
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise StoreNotReady(
            f"the index at {path} cannot be opened ({brief(exc)}); "
            "run `advisor ingest --rebuild` to set it aside and rebuild it from the corpus"
        ) from None


class Store:
    """The passage collection: typed reads and the incremental writes of ingest.

    Embedded, it reads one generation (``generation``; None before the first ingest: then it is empty
    and only an ingest can fill it); :meth:`attach` moves it to another (ingest does, after publishing).
    """

    def __init__(
        self,
        settings: Settings,
        client: Any,
        embeddings: Embeddings,
        lease: Lease | None = None,
        *,
        owns_client: bool = False,
    ) -> None:
        self.settings = settings
        self.client = client
        self.embeddings = embeddings
        self.lease = lease
        self._owns_client = owns_client
        self.collection: Any = None
        self.sentences: Any = None
        if client is not None:
            self.collection = self._collection()
            self.sentences = self._collection(SENTENCES)

    @property
    def generation(self) -> Generation | None:
        """The generation this embedded store reads (None in server mode or before the first ingest)."""
        return self.lease.generation if self.lease else None

    @property
    def manifest_path(self) -> Path:
        """Where the manifest of what this store was built from lives."""
        return self.generation.manifest if self.generation else self.settings.manifest_path

    def attach(self, lease: Lease | None) -> None:
        """Read the generation ``lease`` holds from now on; the previous one's client and lease are let go."""
        client = open_client(self.settings, lease.generation.chroma) if lease else None
        self.close()
        self.client, self.lease, self._owns_client = client, lease, client is not None
        self.collection = self._collection() if client is not None else None
        self.sentences = self._collection(SENTENCES) if client is not None else None

    def close(self) -> None:
        """Let go of the generation: Chroma's client (when this store opened it) and the lease."""
        if self._owns_client and self.client is not None:
            self.client.close()
        self.client = self.collection = self.sentences = None
        if self.lease is not None:
            self.lease.release()
            self.lease = None

    def _collection(self, suffix: str = "") -> Any:
        try:
            return self.client.get_or_create_collection(
                self.settings.collection + suffix,
                metadata={"hnsw:space": "cosine", "advisor_signature": self.signature},
            )
        except Exception as exc:
            where = self.settings.chroma_url or self.settings.chroma_path
            raise StoreNotReady(
                f"the index at {where} cannot be read ({brief(exc)}); "
                "run `advisor ingest --rebuild` to set it aside and rebuild it from the corpus"
            ) from None

    @property
    def signature(self) -> str:
        """What the stored vectors were made with; a mismatch means rebuild."""
        return f"{self.settings.embedding_model}|format={FORMAT}"

    def stored_signature(self) -> str | None:
        if self.collection is None:
            return None
        meta = self.collection.metadata or {}
        return meta.get("advisor_signature")

    def count(self) -> int:
        return int(self.collection.count()) if self.collection is not None else 0

    def all_passages(self) -> list[Passage]:
        """Every stored passage, in corpus order (for keyword indexing)."""
        passages: list[Passage] = []
        for offset in range(0, self.count(), PAGE):
            got = self.collection.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            passages += [
                _passage(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            ]
        return sorted(passages, key=lambda p: (p.source, p.ordinal))

    def stored(self) -> list[Stored]:
        """What is stored about every passage (no text, no vectors)."""
        out: list[Stored] = []
        for offset in range(0, self.count(), PAGE):
            got = self.collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            out += [
                Stored(pid, str(m.get("source", "")), int(m.get("ordinal", 0)), str(m.get("file_digest", "")))
                for pid, m in zip(got["ids"], got["metadatas"], strict=True)
            ]
        return out

    def add(self, passages: Sequence[tuple[Passage, str]], vectors: Sequence[Sequence[float]]) -> None:
        """Write passages (each with its file's digest) and their vectors; an id already there is replaced."""
        self.collection.upsert(
            ids=[p.id for p, _ in passages],
            embeddings=[list(v) for v in vectors],
            documents=[p.text for p, _ in passages],
            metadatas=[p.metadata(d) for p, d in passages],
        )

    def touch(self, passages: Sequence[tuple[Passage, str]]) -> None:
        """Update stored passages' metadata (position, file digest) without re-embedding them."""
        if passages:
            self.collection.update(ids=[p.id for p, _ in passages], metadatas=[p.metadata(d) for p, d in passages])

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), PAGE):
            chunk = list(ids[start : start + PAGE])
            self.collection.delete(ids=chunk)
            self.sentences.delete(where={"passage": {"$in": chunk}})

    def add_sentences(self, rows: Sequence[tuple[Passage, Sequence[Sequence[float]]]]) -> None:
        """Write passages' sentence vectors (each passage's in sentence order), replacing any they had."""
        ids, vectors, metadatas = [], [], []
        for passage, found in rows:
            for i, vector in enumerate(found):
                ids.append(f"{passage.id}#{i}")
                vectors.append(list(vector))
                metadatas.append({"passage": passage.id, "i": i})
        if ids:
            self.sentences.upsert(ids=ids, embeddings=vectors, metadatas=metadatas)

    def sentence_vectors(self) -> dict[str, list[list[float]]]:
        """Every passage's sentence vectors, in sentence order."""
        rows: dict[str, list[tuple[int, list[float]]]] = {}
        for offset in range(0, int(self.sentences.count()) if self.sentences is not None else 0, PAGE):
            got = self.sentences.get(include=["embeddings", "metadatas"], limit=PAGE, offset=offset)
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True):
                rows.setdefault(str(meta["passage"]), []).append((int(meta["i"]), list(vector)))
        return {pid: [v for _, v in sorted(found)] for pid, found in rows.items()}

    def embeddings_of(self, ids: Sequence[str] | None = None) -> dict[str, Vector]:
        """The stored vectors of the passages ``ids`` (of every passage without them), as float32 arrays."""
        import numpy as np

        def vectors(got: Any) -> dict[str, Vector]:
            return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"], strict=True)}

        if ids is not None:
            return vectors(self.collection.get(ids=list(ids), include=["embeddings"])) if ids and self.count() else {}
        out: dict[str, Vector] = {}
        for offset in range(0, self.count(), PAGE):
            out.update(vectors(self.collection.get(include=["embeddings"], limit=PAGE, offset=offset)))
        return out

    def nearest(self, vector: Vector, n: int) -> list[tuple[str, float]]:
        """The ``n`` passages nearest ``vector`` by Chroma's HNSW index, best first, as (id, cosine) pairs."""
        size = self.count() if self.collection is not None and n else 0  # one count: each costs ~5 ms at scale
        if not size:
            return []
        got = self.collection.query(query_embeddings=[vector.tolist()], n_results=min(n, size), include=["distances"])
        # the collection's space is cosine: a distance is 1 - the cosine
        return [(pid, 1.0 - float(d)) for pid, d in zip(got["ids"][0], got["distances"][0], strict=True)]

    def copy_into(self, target: Store) -> None:
        """Write every passage, vector and sentence vector of this store into ``target`` (no embedding)."""
        for source, into in ((self.collection, target.collection), (self.sentences, target.sentences)):
            for offset in range(0, int(source.count()) if source is not None else 0, PAGE):
                got = source.get(include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset)
                if got["ids"]:
                    into.upsert(
                        ids=got["ids"],
                        embeddings=got["embeddings"],
                        documents=got["documents"],
                        metadatas=got["metadatas"],
                    )

    def reset(self) -> None:
        """Drop the collections (used when the model or passage format changed)."""
        self.client.delete_collection(self.settings.collection)
        self.client.delete_collection(self.settings.collection + SENTENCES)
        self.collection = self._collection()
        self.sentences = self._collection(SENTENCES)


def _passage(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        text=text,
        ordinal=int(meta.get("ordinal", 0)),
        site=str(meta.get("site", "")),
    )


def open_store(settings: Settings, *, client: Any = None, embeddings: Embeddings | None = None) -> Store:
    """Open the store (embedded: the current generation, or an empty store before the first ingest);
    heavy parts may be handed in by tests.

    The client opens first, so an unreachable server or an unreadable index fails before the model loads.
    """
    lease = None
    owns = client is None
    if client is None and not settings.chroma_url:
        lease = hold_current(settings)
        try:
            client = open_client(settings, lease.generation.chroma) if lease else None
        except StoreNotReady:
            if lease:
                lease.release()
            raise
    elif client is None:
        client = open_client(settings)
    if embeddings is None:
        from advisor.ingest.embed import build_embeddings

        embeddings = build_embeddings(settings)
    return Store(settings, client, embeddings, lease, owns_client=owns)


def build_store(settings: Settings, gen: Generation, embeddings: Embeddings) -> Store:
    """A writable store on a generation being built (not yet published; the caller holds the ingest lock)."""
    return Store(settings, open_client(settings, gen.chroma), embeddings, owns_client=True)
