"""The embedding stage: questions through ONNX Runtime give PyTorch's embeddings, and anything that goes
wrong with the exported graph leaves PyTorch embedding everything."""

from __future__ import annotations

import logging

import numpy as np
import pytest

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

    def broken(transformer, path):
        raise RuntimeError("no exporter here")

    monkeypatch.setattr(embed, "_export", broken)
    with caplog.at_level(logging.WARNING, logger="advisor.ingest.embed"):
        model = embed._load.__wrapped__(str(model_path(Settings().embedding_model)), True)
    assert not isinstance(model, QuickQueries)
    assert len(model.embed_query("how much do data engineers make")) == 384
    assert "embedded with PyTorch" in caplog.text and "no exporter here" in caplog.text
    assert not list((tmp_path / "advisor" / "onnx").glob("*/model.onnx"))  # nothing half-written is left


def test_a_graph_that_disagrees_with_pytorch_is_not_used(monkeypatch, caplog, torch_only):
    real = QuickQueries.embed_query
    monkeypatch.setattr(QuickQueries, "embed_query", lambda self, text: [v + 0.01 for v in real(self, text)])
    with caplog.at_level(logging.WARNING, logger="advisor.ingest.embed"):
        model = embed._load.__wrapped__(str(model_path(Settings().embedding_model)), True)
    assert not isinstance(model, QuickQueries)
    assert "differs from PyTorch" in caplog.text


def test_onnx_queries_can_be_turned_off():
    settings = Settings.from_env({"ADVISOR_ONNX_QUERIES": "0"})
    assert settings.onnx_queries is False
    assert not isinstance(build_embeddings(settings), QuickQueries)
    assert Settings.from_env({}).onnx_queries is True
