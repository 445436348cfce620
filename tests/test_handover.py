"""Updating content while serving: an ingest builds a new index generation beside the current one and
publishes it; a running server moves onto it without a restart and without failing a question."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from conftest import CORPUS

from advisor.answer.chain import Advisor
from advisor.answer.live import LiveAdvisor
from advisor.answer.retrieve import HybridSearch
from advisor.config import Settings
from advisor.ingest import generations, sync
from advisor.ingest.store import open_store
from advisor.ingest.sync import ensure_index, ingest, is_stale
from tools.reindex import NEW_GUIDE, NEW_QUESTION, LoadLoop, run_ingest, wait_for_generation
from tools.serving import served_app

GUIDE = "ml-engineer-vs-ai-engineer.md"
OLD_NOTE = """# Lighthouse Keeping Careers

## Pay

A lighthouse keeper on the Marrowpine Coast earns a stipend of $41,290 a year, according to the 2025
survey of the Marrowpine Lighthouse Trust, and lives in the keeper's cottage for free.
"""
OLD_QUESTION = "What stipend does a lighthouse keeper on the Marrowpine Coast earn?"
QUESTIONS = [
    "What does an AI engineer do?",
    "Which certifications help an AI engineer?",
    "Where are most AI jobs located?",
    "How much could AI add to global GDP?",
    OLD_QUESTION,
]


def generation_dirs(settings: Settings) -> list[str]:
    root = generations.index_root(settings)
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []


def sources(answer: dict) -> set[str]:  # type: ignore[type-arg]
    return {c["source"] for c in answer["citations"]}


@pytest.mark.slow
def test_server_answers_from_the_new_index_after_an_ingest_in_another_process(tmp_path):
    import httpx

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "lighthouse.md").write_text(OLD_NOTE, encoding="utf-8")
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    with served_app(settings) as (url, _server), httpx.Client(base_url=url, timeout=120) as http:
        before = http.get("/healthz").json()
        assert before["generation"] and before["passages"] > 19  # the server built its index by publishing one
        assert "corpus/lighthouse.md" in sources(http.post("/api/chat", json={"message": OLD_QUESTION}).json())

        with LoadLoop(url, QUESTIONS, clients=4, limit=400) as load:
            (corpus / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")
            guide = corpus / GUIDE
            guide.write_text(guide.read_text(encoding="utf-8").replace("$140,910", "$150,000"), encoding="utf-8")
            (corpus / "lighthouse.md").unlink()
            proc = run_ingest(settings)
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err
            assert json.loads(out) == {
                "files": 2, "passages": before["passages"] - 1 + 2, "added": 1, "updated": 1, "removed": 1,
                "unchanged": 0,
            }  # fmt: skip
            after = wait_for_generation(url, before["generation"])
        assert load.samples, "the load loop sent nothing"
        failed = [s.problem for s in load.samples if s.problem]
        assert not failed, failed[:5]

        assert after != before["generation"]
        new = http.post("/api/chat", json={"message": NEW_QUESTION}).json()
        assert "corpus/orchard-robotics.md" in sources(new) and "$83,470" in new["answer"]
        gone = http.post("/api/chat", json={"message": OLD_QUESTION}).json()
        assert "corpus/lighthouse.md" not in sources(gone)
        assert all(r["source"] != "corpus/lighthouse.md" for r in gone["retrieved"])
        salary = http.post("/api/chat", json={"message": "What is the average salary of an AI engineer?"}).json()
        assert "$140,910" not in " ".join(c["text"] for c in salary["citations"])
    assert len(generation_dirs(settings)) <= 2  # the current one, and at most the one the server let go last


@pytest.fixture
def live(fresh):
    """A LiveAdvisor over a freshly ingested private corpus (no watcher thread: the test calls check())."""
    settings, store = fresh
    ingest(store)
    holder = LiveAdvisor(Advisor(HybridSearch(store), settings))
    yield settings, holder
    holder.advisor.close()


def test_live_advisor_moves_onto_a_newly_published_generation(live, embeddings):
    settings, holder = live
    first = holder.generation
    assert holder.check() is False  # nothing new
    (settings.corpus / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")
    other = open_store(settings, embeddings=embeddings)  # another writer: the ingest does not touch the live store
    assert ingest(other).added == 1
    assert first in generation_dirs(settings)  # the live advisor still reads it: not deleted under it
    with holder.use() as busy:  # a question in flight on the old advisor
        assert holder.check() is True
        assert busy.search.store.count() == 19  # the old advisor still answers, from the old generation
        assert holder.generation != first
    other.close()
    answer = holder.ask(NEW_QUESTION)
    assert any(c.passage.source == "corpus/orchard-robotics.md" for c in answer.citations)
    deadline = time.monotonic() + 30
    while first in generation_dirs(settings) and time.monotonic() < deadline:
        time.sleep(0.1)  # the old advisor is closed, then its generation deleted, off the path
    assert first not in generation_dirs(settings)


def test_failed_ingest_never_publishes_and_the_old_generation_answers(fresh, monkeypatch):
    settings, store = fresh
    ingest(store)
    first = generations.current(settings)
    (settings.corpus / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")

    def dies(target, plan, progress):  # type: ignore[no-untyped-def]
        target.add(plan.add[:1], [[0.1] * 384])  # a first write into the new generation, then the crash
        raise RuntimeError("killed mid-ingest")

    monkeypatch.setattr(sync, "_write", dies)
    with pytest.raises(RuntimeError, match="killed"):
        ingest(store)
    monkeypatch.undo()
    assert generations.current(settings) == first and store.generation == first
    assert generation_dirs(settings) == [first.name]  # the half-built one is gone
    assert HybridSearch(store).search("Which certifications help an AI engineer?").hits
    assert is_stale(store)  # the next question or ingest brings the new file in
    assert ingest(store).added == 1


def test_a_killed_ingests_generation_is_never_published_and_is_deleted_next_time(fresh):
    settings, store = fresh
    ingest(store)
    first = generations.current(settings)
    orphan = generations.begin(settings)  # what `kill -9` leaves: a generation half written, never published
    (orphan.chroma / "chroma.sqlite3").write_bytes(b"half")
    assert generations.current(settings) == first
    assert ingest(store).unchanged == 1
    assert generation_dirs(settings) == [first.name]


def test_ingest_twice_publishes_nothing_and_generations_do_not_pile_up(fresh, embeddings):
    settings, store = fresh
    ingest(store)
    first = generations.current(settings)
    assert ingest(store).contract()["unchanged"] == 1
    assert generations.current(settings) == first  # nothing changed: no new generation
    reader = open_store(settings, embeddings=embeddings)  # a server reading the first generation
    guide = settings.corpus / GUIDE
    for n in range(4):
        guide.write_text(guide.read_text(encoding="utf-8") + f"\nA closing paragraph, edition {n}, long enough.\n")
        assert ingest(store).updated == 1
    assert generation_dirs(settings) == sorted([first.name, store.generation.name])  # the read one is kept
    assert reader.count() == 19
    reader.close()
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more closing paragraph, long enough to count.\n")
    ingest(store)
    assert generation_dirs(settings) == [store.generation.name]


def test_an_index_built_before_generations_is_read_then_migrated(fresh, embeddings):
    settings, store = fresh
    ingest(store)
    gen = store.generation
    store.close()
    shutil.move(gen.chroma, settings.chroma_path)  # the old layout: data/chroma and data/manifest.json
    shutil.move(gen.manifest, settings.manifest_path)
    shutil.rmtree(generations.index_root(settings))
    old = open_store(settings, embeddings=embeddings)
    assert old.generation.name == generations.LEGACY and old.count() == 19
    assert ensure_index(old, notify=lambda m: None) is None  # up to date: read as it is
    (settings.corpus / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")
    assert ingest(old).added == 1  # published as a generation; the old directory goes once unread
    assert old.generation.name.startswith("gen-") and old.count() > 19
    assert not settings.chroma_path.exists() and not settings.manifest_path.exists()


def test_an_unreadable_pointer_names_the_way_out_and_rebuild_recovers(fresh, embeddings):
    from advisor.errors import StoreNotReady
    from advisor.ingest.backup import set_aside

    settings, store = fresh
    ingest(store)
    store.close()
    (generations.index_root(settings) / generations.POINTER).write_text("{half a json")
    with pytest.raises(StoreNotReady, match="advisor ingest --rebuild"):
        open_store(settings, embeddings=embeddings)
    assert set_aside(settings) is None  # what `advisor ingest --rebuild` does first
    rebuilt = open_store(settings, embeddings=embeddings)
    assert ingest(rebuilt).added == 1 and rebuilt.count() == 19
    assert generation_dirs(settings) == [rebuilt.generation.name]
