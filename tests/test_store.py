"""Ingest against a real embedded Chroma: incremental, lock-guarded, nothing lost."""

from __future__ import annotations

import pytest

from advisor.errors import CorpusError, StoreBusy, StoreNotReady
from advisor.ingest.store import open_store
from advisor.ingest.sync import ensure_index, ingest, is_stale

GUIDE = "ml-engineer-vs-ai-engineer.md"


def test_ingest_twice_adds_nothing(fresh):
    settings, store = fresh
    first = ingest(store)
    assert first.contract() == {"files": 1, "passages": 19, "added": 1, "updated": 0, "removed": 0, "unchanged": 0}
    ids = set(store.collection.get()["ids"])
    second = ingest(store)
    assert second.contract() == {"files": 1, "passages": 19, "added": 0, "updated": 0, "removed": 0, "unchanged": 1}
    assert second.embedded == 0
    assert set(store.collection.get()["ids"]) == ids


def test_changed_file_replaces_exactly_its_passages(fresh):
    settings, store = fresh
    ingest(store)
    before = {p.id: p.text for p in store.all_passages()}
    guide = settings.corpus / GUIDE
    guide.write_text(guide.read_text(encoding="utf-8").replace("$140,910", "$150,000"), encoding="utf-8")
    report = ingest(store)
    assert (report.updated, report.embedded, report.passages) == (1, 1, 19)
    after = {p.id: p.text for p in store.all_passages()}
    assert len(set(before) - set(after)) == 1 and len(set(after) - set(before)) == 1
    assert any("$150,000" in t for t in after.values()) and not any("$140,910" in t for t in after.values())


def test_new_and_deleted_files(fresh):
    settings, store = fresh
    ingest(store)
    extra = settings.corpus / "data-analyst.txt"
    extra.write_text(
        "Data Analyst\nA data analyst turns raw numbers into business decisions, using SQL and dashboards.\n"
    )
    assert ingest(store).contract()["added"] == 1
    assert {p.source for p in store.all_passages()} == {"corpus/data-analyst.txt", f"corpus/{GUIDE}"}
    extra.unlink()
    report = ingest(store)
    assert (report.removed, report.passages) == (1, 19)


def test_a_file_that_breaks_keeps_its_indexed_passages(fresh):
    settings, store = fresh
    ingest(store)
    (settings.corpus / GUIDE).write_bytes(b"\xff\xfe broken \x00 bytes")
    with pytest.raises(CorpusError, match="left as it was"):
        ingest(store)  # the only file is unreadable: refuse rather than empty the index
    assert store.count() == 19
    (settings.corpus / "other.md").write_text(
        "# Other\n\nA second guide with one paragraph that is long enough to index.\n"
    )
    report = ingest(store)
    assert report.skipped and "binary" in report.skipped[0]
    assert report.passages == 20  # the broken file's old passages are still there


def test_empty_corpus_never_empties_the_index(fresh):
    settings, store = fresh
    ingest(store)
    (settings.corpus / GUIDE).unlink()
    with pytest.raises(CorpusError, match="no .md, .txt, .html, .pdf or .docx"):
        ingest(store)
    assert store.count() == 19


def test_second_ingest_at_once_gets_a_clear_message(fresh):
    from filelock import FileLock

    settings, store = fresh
    settings.data.mkdir(parents=True, exist_ok=True)
    with FileLock(str(settings.lock_path)), pytest.raises(StoreBusy, match="another ingest is running"):
        ingest(store)


def test_missing_or_stale_index_is_built_on_demand(fresh):
    settings, store = fresh
    messages: list[str] = []
    assert is_stale(store)
    assert ensure_index(store, notify=messages.append).added == 1
    assert "building the index" in messages[0]
    assert ensure_index(store, notify=messages.append) is None
    guide = settings.corpus / GUIDE
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\nA closing paragraph added later, long enough to be its own passage.\n"
    )
    assert ensure_index(store, notify=messages.append).updated == 1
    assert "corpus changed" in messages[-1]


def test_corrupted_store_names_the_way_out(tmp_path, corpus_copy, embeddings):
    from advisor.config import Settings

    settings = Settings(corpus=corpus_copy, data=tmp_path / "data")
    settings.chroma_path.mkdir(parents=True)
    (settings.chroma_path / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreNotReady, match="advisor ingest --rebuild"):
        open_store(settings, embeddings=embeddings)


def test_embedding_model_change_rebuilds(fresh, embeddings):
    from advisor.ingest import store as store_mod

    settings, store = fresh
    ingest(store)
    old = store_mod.FORMAT
    try:
        store_mod.FORMAT = old + 1
        reopened = open_store(settings, embeddings=embeddings)
        assert is_stale(reopened)
        report = ingest(reopened)
        assert report.embedded == 19 and reopened.stored_signature() == reopened.signature
    finally:
        store_mod.FORMAT = old


def test_existing_index_keeps_answering_when_the_corpus_disappears(fresh):
    import shutil

    settings, store = fresh
    ingest(store)
    shutil.rmtree(settings.corpus)
    messages: list[str] = []
    assert ensure_index(store, notify=messages.append) is None
    assert "answering from the existing index" in messages[0] and "does not exist" in messages[0]
    assert store.count() == 19


def test_two_threads_opening_one_new_index_at_once_both_open_it(tmp_path):
    # the background sync and the serving app's reload open a new generation together: without the lock, Chroma's
    # shared system for the path was created twice at once and one side failed ("'RustBindingsAPI' object has no
    # attribute 'bindings'", "Could not connect to tenant"); measured here, 80 of 120 opens failed without it
    import threading

    from advisor.config import Settings
    from advisor.ingest.store import open_client

    failures: list[str] = []
    for trial in range(10):
        path = tmp_path / f"gen-{trial}"
        start = threading.Barrier(4)

        def open_and_count(path=path, start=start) -> None:
            start.wait()
            try:
                open_client(Settings(), path).get_or_create_collection("passages").count()
            except Exception as exc:  # what a failed open raised, kept to show
                failures.append(repr(exc))

        threads = [threading.Thread(target=open_and_count) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
