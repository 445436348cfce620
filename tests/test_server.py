"""Server mode: a real `chroma run` on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, free_port

from advisor.answer.retrieve import HybridSearch
from advisor.config import Settings
from advisor.errors import BackendError
from advisor.ingest.store import open_client, open_store
from advisor.ingest.sync import ingest

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            open_client(Settings(chroma_url=url))
            break
        except BackendError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("chroma run did not start within 60 s")
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_search_through_a_chroma_server(chroma_url, tmp_path, embeddings):
    settings = Settings(corpus=CORPUS, data=tmp_path, chroma_url=chroma_url)
    store = open_store(settings, embeddings=embeddings)
    assert ingest(store).contract()["added"] == 1
    assert ingest(store).contract()["unchanged"] == 1
    assert not (tmp_path / "chroma").exists()  # nothing written to the local store
    hit = HybridSearch(store).search("How much could AI add to global GDP?").hits[0]
    assert "$15.7 trillion" in hit.passage.text


def test_unreachable_server_names_the_way_out():
    with pytest.raises(BackendError, match="cannot reach the Chroma server.*unset ADVISOR_CHROMA_URL"):
        open_client(Settings(chroma_url=f"http://127.0.0.1:{free_port()}"))


def test_a_running_app_follows_an_ingest_through_the_server(chroma_url, tmp_path, corpus_copy, embeddings):
    from advisor.answer.chain import Advisor
    from advisor.answer.live import LiveAdvisor
    from tools.reindex import NEW_GUIDE, NEW_QUESTION

    settings = Settings(corpus=corpus_copy, data=tmp_path, chroma_url=chroma_url, collection="followed")
    ingest(open_store(settings, embeddings=embeddings))
    live = LiveAdvisor(Advisor(HybridSearch(open_store(settings, embeddings=embeddings)), settings))
    assert live.check() is False and live.generation is None  # no generations: the server serializes access
    (corpus_copy / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")
    assert ingest(open_store(settings, embeddings=embeddings)).added == 1  # in place, then the version is bumped
    assert live.check() is True
    answer = live.ask(NEW_QUESTION)
    assert any(c.passage.source == "corpus/orchard-robotics.md" for c in answer.citations)
    live.advisor.close()
