"""Shared fixtures: the real corpus, the real embedding model, a real Chroma in a temp dir."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest  # noqa: E402

from advisor.config import Settings  # noqa: E402
from tools import serving  # noqa: E402
from tools.serving import ROOT, free_port  # noqa: E402, F401  (free_port: used by the test modules)

CORPUS = ROOT / "corpus"
EVAL = ROOT / "eval" / "questions.jsonl"


@pytest.fixture(scope="session")
def embeddings():
    from advisor.ingest.embed import build_embeddings

    return build_embeddings(Settings())


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> Settings:
    return Settings(corpus=CORPUS, data=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def store(index_settings, embeddings):
    """The real corpus ingested once into a real embedded Chroma."""
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    s = open_store(index_settings, embeddings=embeddings)
    ingest(s)
    return s


@pytest.fixture(scope="session")
def search(store):
    from advisor.answer.retrieve import HybridSearch

    return HybridSearch(store)


@pytest.fixture(scope="session")
def advisor(search):
    """The whole answering chain over the session index."""
    from advisor.answer.chain import Advisor

    return Advisor(search)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private copy of the real corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fresh(tmp_path, corpus_copy, embeddings):
    """Settings and an open store over a private corpus copy and an empty data dir."""
    from advisor.ingest.store import open_store

    settings = Settings(corpus=corpus_copy, data=tmp_path / "data")
    return settings, open_store(settings, embeddings=embeddings)


def start_app(env: dict[str, str], ready_url: str, timeout: float = 240):  # type: ignore[no-untyped-def]
    """`python app.py` with ``env``, once ``ready_url`` answers 200; fails the test with the app's output if not."""
    try:
        return serving.start_app(env, ready_url, timeout)
    except RuntimeError as exc:
        pytest.fail(str(exc))


class LiveServer:
    """An ASGI app served by uvicorn on a free loopback port in a background thread."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import threading

        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=2)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
