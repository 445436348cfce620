"""Settings, read once from ``ADVISOR_*`` variables and passed down.

No other module reads ``os.environ`` for configuration; :func:`Settings.from_env`
is the only place, and tests build :class:`Settings` directly.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from advisor.errors import InputError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


@dataclass(frozen=True)
class SiteCopy:
    """What the chat page says, from ``[site]`` in advisor.toml; what is unset is derived from the guides."""

    title: str | None = None
    intro: str | None = None
    placeholder: str | None = None
    examples: tuple[str, ...] = ()

    @classmethod
    def from_toml(cls, table: Mapping[str, Any], where: Path) -> SiteCopy:
        def text(key: str) -> str | None:
            value = table.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{where}: [site] {key} must be a string; fix or remove it")
            return (value.strip() or None) if isinstance(value, str) else None

        examples = table.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise InputError(f"{where}: [site] examples must be a list of strings; fix or remove it")
        return cls(text("title"), text("intro"), text("placeholder"), tuple(e.strip() for e in examples if e.strip()))


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline can be told. Defaults need no variable set."""

    corpus: Path = Path("corpus")
    data: Path = Path(".advisor")
    chroma_url: str | None = None
    embedding_model: str = DEFAULT_MODEL
    llm: str = "extractive"
    llm_base_url: str | None = None
    llm_timeout: float = 30.0  # seconds a chat model may take before the extractive answer is given
    allowed_origins: tuple[str, ...] = ()
    link_hosts: tuple[str, ...] | None = None  # hosts answers may link to; None: those of allowed_origins
    rate_limit: int = 30  # questions per minute per client, /api/chat and the chat page together; 0: no limit
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    collection: str = "advisor"
    # Retrieval
    top_k: int = 4
    candidates: int = 20  # taken from each of vector and BM25 before fusion
    rrf_k: int = 1  # measured on eval/questions.jsonl: hit@1 80% at 1, 74% at the textbook 60
    relevance_floor: float = 0.14  # best hit cosine; off-topic questions score ≤ 0.11, answerable ≥ 0.17 (eval file)
    site: SiteCopy = field(default_factory=SiteCopy)  # [site] of advisor.toml
    # Corpus limits
    max_file_bytes: int = 2_000_000
    passage_chars: int = 900  # longer paragraphs split on sentence boundaries
    min_passage_chars: int = 60  # shorter paragraphs join their neighbour

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma database lives."""
        return self.data / "chroma"

    @property
    def allowed_link_hosts(self) -> tuple[str, ...]:
        """Hosts (and their subdomains) that links and images in answers may point at."""
        if self.link_hosts is not None:
            return self.link_hosts
        return tuple(h for h in (urlsplit(o).hostname for o in self.allowed_origins) if h)

    @property
    def lock_path(self) -> Path:
        return self.data / "ingest.lock"

    @property
    def manifest_path(self) -> Path:
        return self.data / "manifest.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``ADVISOR_*`` variables; unset means default."""
        env = os.environ if env is None else env
        base = cls()

        def get(name: str) -> str | None:
            value = env.get(f"ADVISOR_{name}", "").strip()
            return value or None

        origins = get("ALLOWED_ORIGINS")
        site = read_site(Path(get("CONFIG") or "advisor.toml"), required=get("CONFIG") is not None)
        link_hosts = env.get("ADVISOR_LINK_HOSTS")  # set but empty: no links at all
        return cls(
            corpus=Path(get("CORPUS") or base.corpus),
            data=Path(get("DATA") or base.data),
            chroma_url=get("CHROMA_URL"),
            embedding_model=get("EMBEDDING_MODEL") or base.embedding_model,
            llm=get("LLM") or base.llm,
            llm_base_url=get("LLM_BASE_URL"),
            llm_timeout=_float("LLM_TIMEOUT", get("LLM_TIMEOUT"), base.llm_timeout),
            allowed_origins=tuple(o.strip() for o in origins.split(",") if o.strip()) if origins else (),
            link_hosts=None if link_hosts is None else tuple(_host(h) for h in link_hosts.split(",") if h.strip()),
            rate_limit=_int("RATE_LIMIT", get("RATE_LIMIT"), base.rate_limit),
            host=get("HOST") or base.host,
            port=_int("PORT", get("PORT"), base.port),
            top_k=_int("TOP_K", get("TOP_K"), base.top_k),
            relevance_floor=_float("RELEVANCE_FLOOR", get("RELEVANCE_FLOOR"), base.relevance_floor),
            max_file_bytes=_int("MAX_FILE_BYTES", get("MAX_FILE_BYTES"), base.max_file_bytes),
            site=site,
        )


def read_site(path: Path, *, required: bool = False) -> SiteCopy:
    """The ``[site]`` table of an advisor.toml; none when the file is absent (and not required)."""
    if not path.is_file():
        if required:
            raise InputError(f"ADVISOR_CONFIG={path} does not exist; point it at an advisor.toml or unset it")
        return SiteCopy()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path} cannot be read as TOML ({exc}); fix it or remove it") from None
    site = data.get("site", {})
    if not isinstance(site, dict):
        raise InputError(f"{path}: [site] must be a table; fix or remove it")
    return SiteCopy.from_toml(site, path)


def _host(entry: str) -> str:
    """A host from "www.example.edu", "https://www.example.edu/" or ".example.edu" (→ "example.edu")."""
    entry = entry.strip().lower()
    host = urlsplit(entry).hostname if "://" in entry else entry.split("/")[0]
    return (host or "").strip(".")


def _int(name: str, raw: str | None, default: int) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"ADVISOR_{name}={raw!r} is not a whole number; fix or unset it") from None


def _float(name: str, raw: str | None, default: float) -> float:
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise InputError(f"ADVISOR_{name}={raw!r} is not a number; fix or unset it") from None


def quiet_runtime() -> None:
    """Keep the offline machine quiet: no hub look-ups, no telemetry, no analytics.

    Called by every entry point (CLI, app) before the heavy libraries load.
    """
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "TRANSFORMERS_VERBOSITY": "error",
    }.items():
        os.environ.setdefault(key, value)
