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
