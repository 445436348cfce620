"""`kill -9` in the middle of an ingest: the store still answers, and a re-ingest repairs it."""

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
from advisor.ingest.parse import read_corpus
from advisor.ingest.split import passages_of
from advisor.ingest.store import open_store
from advisor.ingest.sync import ingest, is_stale
from tools.bench import synthetic_corpus


@pytest.mark.slow
def test_killed_ingest_leaves_a_store_that_answers_and_is_repaired(tmp_path, embeddings):
    corpus = tmp_path / "corpus"
    synthetic_corpus(corpus, CORPUS / "ml-engineer-vs-ai-engineer.md", files=80)
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    expected = sum(len(ps) for _, ps in passages_of(read_corpus(settings), settings))
    env = {**os.environ, "ADVISOR_CORPUS": str(corpus), "ADVISOR_DATA": str(settings.data)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "advisor", "ingest"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    db = settings.chroma_path / "chroma.sqlite3"
    deadline = time.monotonic() + 120
    # Kill once the first batches are written: the database file grows past its empty size.
    while not (db.exists() and db.stat().st_size > 1_000_000):
        assert proc.poll() is None, "ingest finished before it could be interrupted"
        assert time.monotonic() < deadline, "ingest wrote nothing within 120 s"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    store = open_store(settings, embeddings=embeddings)
    partial = store.count()
    assert 0 < partial < expected
    assert is_stale(store)  # no manifest was written: the next question triggers a repair
    hit = HybridSearch(store).search("Which certifications help an AI engineer?").hits
    assert hit  # still answers from what was written

    report = ingest(store)  # the lock died with the process
    assert report.passages == expected and report.embedded == expected - partial
    assert not is_stale(store)
