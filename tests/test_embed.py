"""The embedding stage: questions through ONNX Runtime give PyTorch's embeddings, and anything that goes
wrong with the exported graph leaves PyTorch embedding everything."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from advisor.config import Settings
from advisor.ingest import embed
from advisor.ingest.embed import SMALL, QuickQueries, build_embeddings, model_path

TEXTS = [
    "how much do data engineers make",
    "whats a normal sallary for a network engineer with like 4 years experience",
    "?",
    "",
    "Ünïcödé café résumé – naïve coöperation",
    "pay " * 600,  # longer than the model reads: truncated as sentence-transformers truncates it
]


@pytest.fixture(scope="module")
def torch_only():
    return embed._load(str(model_path(Settings().embedding_model)), False)


def test_questions_are_embedded_by_onnx_runtime_with_pytorchs_embeddings(embeddings, torch_only):
    assert isinstance(embeddings, QuickQueries)
    for text in TEXTS:
        quick, slow = np.asarray(embeddings.embed_query(text)), np.asarray(torch_only.embed_query(text))
        assert quick.shape == slow.shape == (384,)
        assert np.max(np.abs(quick - slow)) < 1e-5, text[:40]
        assert abs(np.linalg.norm(quick) - 1.0) < 1e-5


def test_a_few_texts_one_by_one_and_a_batch_in_one_pass_agree(embeddings, torch_only):
    few = TEXTS[:3]
    many = [f"passage {i}: data analysts earn about ${50 + i},000" for i in range(SMALL + 3)]
    for texts in (few, many):
        quick = np.asarray(embeddings.embed_documents(texts))
        slow = np.asarray(torch_only.embed_documents(texts))
        assert quick.shape == slow.shape
        assert np.max(np.abs(quick - slow)) < 1e-5


def test_a_graph_that_cannot_be_exported_leaves_pytorch_embedding_everything(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tries = []

    def broken(transformer, path):
        tries.append(path)
        path.write_bytes(b"half a graph")  # then the exporter dies
        raise RuntimeError("no exporter here")

    monkeypatch.setattr(embed, "_export", broken)
    path = str(model_path(Settings().embedding_model))
    with caplog.at_level(logging.WARNING, logger="advisor.ingest.embed"):
        model = embed._load.__wrapped__(path, True)
    assert not isinstance(model, QuickQueries)
    assert len(model.embed_query("how much do data engineers make")) == 384
    assert "embedded with PyTorch" in caplog.text and "no exporter here" in caplog.text
    cache = tmp_path / "advisor" / "onnx"
    assert not list(cache.glob("*/model.onnx")) and not list(cache.glob(".export-*"))  # nothing half-written
    # the failure is remembered: the next start does not spend the export's time again
    assert not isinstance(embed._load.__wrapped__(path, True), QuickQueries)
    assert len(tries) == 1 and "exporting failed before" in caplog.text


def test_onnx_runtime_failing_at_a_question_hands_it_to_pytorch(caplog, torch_only):
    quick = QuickQueries.over(torch_only)  # its own instance: the session-wide one stays as it is

    def fails(*args, **kwargs):
        raise RuntimeError("an input the graph cannot take")

    quick.session = type("Broken", (), {"get_inputs": quick.session.get_inputs, "run": staticmethod(fails)})()
    with caplog.at_level(logging.WARNING, logger="advisor.ingest.embed"):
        vector = quick.embed_query("how much do data engineers make")
    assert vector == torch_only.embed_query("how much do data engineers make")
    assert "ONNX Runtime failed" in caplog.text and quick.session is None
    assert np.asarray(quick.embed_documents(["pay", "salary"])).shape == (2, 384)  # PyTorch from now on


def test_a_graph_that_disagrees_with_pytorch_is_not_used(monkeypatch, caplog, torch_only):
    real = QuickQueries._onnx
    monkeypatch.setattr(QuickQueries, "_onnx", lambda self, text: [v + 0.01 for v in real(self, text)])
    with caplog.at_level(logging.WARNING, logger="advisor.ingest.embed"):
        model = embed._load.__wrapped__(str(model_path(Settings().embedding_model)), True)
    assert not isinstance(model, QuickQueries)
    assert "differs from PyTorch" in caplog.text


def test_onnx_queries_can_be_turned_off():
    settings = Settings.from_env({"ADVISOR_ONNX_QUERIES": "0"})
    assert settings.onnx_queries is False
    assert not isinstance(build_embeddings(settings), QuickQueries)
    assert Settings.from_env({}).onnx_queries is True


class TestQuickQueriesStandard(EmbeddingsIntegrationTests):
    """langchain-tests' standard suite for an embeddings model, on the real model and its exported graph."""

    @property
    def embeddings_class(self) -> type[QuickQueries]:
        return QuickQueries

    @property
    def embedding_model_params(self) -> dict:
        quick = build_embeddings(Settings())
        assert isinstance(quick, QuickQueries)
        return {
            "model": quick.model,
            "session": quick.session,
            "tokenizer": quick.tokenizer,
            "max_length": quick.max_length,
        }
