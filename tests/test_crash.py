"""`kill -9` in the middle of an ingest: the half-built generation is never published, the current one
still answers, and the next ingest deletes the half-built one and finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import CORPUS, ROOT

from advisor.answer.retrieve import HybridSearch
from advisor.config import Settings
from advisor.ingest import generations
from advisor.ingest.parse import read_corpus
from advisor.ingest.split import passages_of
from advisor.ingest.store import open_store
from advisor.ingest.sync import ingest, is_stale
from tools.bench import synthetic_corpus


@pytest.mark.slow
def test_killed_ingest_leaves_the_current_generation_answering_and_is_cleaned_up(tmp_path, embeddings):
    corpus = tmp_path / "corpus"
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    corpus.mkdir()
    (corpus / "guide.md").write_bytes((CORPUS / "ml-engineer-vs-ai-engineer.md").read_bytes())
    store = open_store(settings, embeddings=embeddings)
    base = ingest(store).passages
    current = generations.current(settings)
    synthetic_corpus(corpus, CORPUS / "ml-engineer-vs-ai-engineer.md", files=30)
    expected = sum(len(ps) for _, ps in passages_of(read_corpus(settings), settings))
    env = {**os.environ, "ADVISOR_CORPUS": str(corpus), "ADVISOR_DATA": str(settings.data)}
    proc = subprocess.Popen([sys.executable, "-m", "advisor", "ingest"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # Kill once the new generation has its first batches: its database file grows past its empty size.
    building = generations.index_root(settings).glob
    while not any(db.stat().st_size > 1_000_000 for db in building("gen-*/chroma/*.sqlite3")):
        assert proc.poll() is None, "ingest finished before it could be interrupted"
        assert time.monotonic() < deadline, "ingest wrote nothing within 120 s"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert generations.current(settings) == current  # never published
    assert len(list(generations.index_root(settings).glob("gen-*"))) == 2  # the half-built one is still there
    assert store.count() == base and is_stale(store)
    assert HybridSearch(store).search("Which certifications help an AI engineer?").hits  # still answers

    report = ingest(store)  # the lock died with the process
    assert report.passages == expected and report.embedded == expected - base  # the guide is not embedded again
    assert [p.name for p in generations.index_root(settings).glob("gen-*")] == [store.generation.name]
    assert not is_stale(store)
