"""Settings, read once from ``ADVISOR_*`` variables and passed down.

No other module reads ``os.environ`` for configuration; :func:`Settings.from_env`
is the only place, and tests build :class:`Settings` directly.
"""

from __future__ import annotations

import json
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
    contact: str | None = None  # where a student reaches a person: a URL or a mailto: address
    privacy: str | None = None  # what the greeting says is kept; unset: worked out from the settings

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
        contact = text("contact")
        return cls(
            text("title"),
            text("intro"),
            text("placeholder"),
            tuple(e.strip() for e in examples if e.strip()),
            contact=contact_link(contact, f"{where}: [site] contact") if contact else None,
            privacy=text("privacy"),
        )


@dataclass(frozen=True)
class Source:
    """A site to crawl, from ``[[sources]]`` in advisor.toml: its start page and how many pages at most."""

    url: str
    max_pages: int | None = None  # None: ``Settings.crawl_max_pages``

    @classmethod
    def from_toml(cls, entry: Any, where: str) -> Source:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise InputError(f'{where} needs url = "https://…"; fix or remove it')
        url = entry["url"].strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{where}: url = {url!r} is not an http(s) address; e.g. https://www.example.edu/careers/")
        pages = entry.get("max_pages")
        if pages is not None and (not isinstance(pages, int) or isinstance(pages, bool) or pages < 1):
            raise InputError(f"{where}: max_pages = {pages!r} must be a whole number of at least 1")
        return cls(url, pages)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline can be told. Defaults need no variable set."""

    corpus: Path = Path("corpus")
    data: Path = Path(".advisor")
    chroma_url: str | None = None
    embedding_model: str = DEFAULT_MODEL
    onnx_queries: bool = True  # questions embedded by ONNX Runtime (ingest/embed.py); False: all by PyTorch
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
    # The program office's side: the conversation log, the console, the handoff
    db_url: str | None = None  # any SQLAlchemy URL; None: SQLite under ``data``
    retention_days: int = 90  # logged answers older than this are purged (at start and daily); 0: kept
    store_conversations: bool = True  # False: only daily counts are kept, never what was asked
    admin_token: str | None = None  # None: no console, no export
    contact: str | None = None  # ADVISOR_CONTACT or [site] contact: offered in refusals and always linked
    # The office's own website: crawled into corpus/web/ by `advisor crawl` and `advisor sync`
    sources: tuple[Source, ...] = ()  # [[sources]] of advisor.toml
    sync_hours: float = 0.0  # `advisor serve` crawls the sources and ingests every N hours; 0: never
    crawl_delay: float = 1.0  # seconds between two requests to one site (more if its robots.txt asks)
    crawl_timeout: float = 10.0  # seconds to connect, and between bytes of an answer
    crawl_max_pages: int = 200  # pages fetched per site and crawl, unless --max-pages or max_pages says

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma database lives."""
        return self.data / "chroma"

    @property
    def allowed_link_hosts(self) -> tuple[str, ...]:
        """Hosts (and their subdomains) that links and images in answers may point at: ``link_hosts`` (by
        default the hosts of ``allowed_origins``) and the office's own sites (sources, crawled sites),
        unless ``link_hosts`` is set empty (no links at all)."""
        if self.link_hosts == ():
            return ()
        named = self.link_hosts or tuple(h for h in (urlsplit(o).hostname for o in self.allowed_origins) if h)
        own = [s.host for s in self.sources] + crawled_hosts(self.corpus)
        return tuple(dict.fromkeys([*named, *(h for h in own if h)]))

    @property
    def database_url(self) -> str:
        """Where the conversation log lives: ``ADVISOR_DB_URL``, or SQLite under ``ADVISOR_DATA``."""
        return self.db_url or f"sqlite:///{(self.data / 'office.db').resolve()}"

    @property
    def privacy_note(self) -> str:
        """What the chat and the widget say is kept about a conversation."""
        if self.site.privacy:
            return self.site.privacy
        if not self.store_conversations:
            return "Only a daily count of questions is kept; not what you ask."
        kept = f"for {self.retention_days} days" if self.retention_days > 0 else "by the program office"
        return (
            f"Questions and answers are kept {kept} to improve this advisor, without your address; "
            "e-mail addresses and phone numbers are removed first."
        )

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
        config = Path(get("CONFIG") or "advisor.toml")
        site = read_site(config, required=get("CONFIG") is not None)
        sync_hours = _float("SYNC_HOURS", get("SYNC_HOURS"), base.sync_hours)
        if sync_hours < 0:
            raise InputError(f"ADVISOR_SYNC_HOURS={sync_hours!r} is negative; give hours between syncs (0: never)")
        link_hosts = env.get("ADVISOR_LINK_HOSTS")  # set but empty: no links at all
        return cls(
            corpus=Path(get("CORPUS") or base.corpus),
            data=Path(get("DATA") or base.data),
            chroma_url=get("CHROMA_URL"),
            embedding_model=get("EMBEDDING_MODEL") or base.embedding_model,
            onnx_queries=_bool("ONNX_QUERIES", get("ONNX_QUERIES"), base.onnx_queries),
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
            db_url=_db_url(get("DB_URL")),
            retention_days=_days(get("RETENTION_DAYS"), base.retention_days),
            store_conversations=_bool("STORE_CONVERSATIONS", get("STORE_CONVERSATIONS"), base.store_conversations),
            admin_token=get("ADMIN_TOKEN"),
            contact=contact_link(contact, "ADVISOR_CONTACT") if (contact := get("CONTACT")) else site.contact,
            sources=read_sources(config),
            sync_hours=sync_hours,
            crawl_delay=_float("CRAWL_DELAY", get("CRAWL_DELAY"), base.crawl_delay),
            crawl_timeout=_float("CRAWL_TIMEOUT", get("CRAWL_TIMEOUT"), base.crawl_timeout),
            crawl_max_pages=_int("CRAWL_MAX_PAGES", get("CRAWL_MAX_PAGES"), base.crawl_max_pages),
        )


def _read_toml(path: Path, *, required: bool = False) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise InputError(f"ADVISOR_CONFIG={path} does not exist; point it at an advisor.toml or unset it")
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path} cannot be read as TOML ({exc}); fix it or remove it") from None


def read_sources(path: Path) -> tuple[Source, ...]:
    """The ``[[sources]]`` of an advisor.toml: the sites `advisor sync` crawls; none when the file is absent."""
    entries = _read_toml(path).get("sources", [])
    if not isinstance(entries, list):
        raise InputError(f'{path}: sources must be [[sources]] tables with url = "…"; fix or remove it')
    return tuple(Source.from_toml(e, f"{path}: [[sources]] #{i}") for i, e in enumerate(entries, 1))


def crawled_hosts(corpus: Path) -> list[str]:
    """The hosts of the sites crawled into ``corpus/web/`` (named in each site folder's manifest)."""
    hosts = []
    web = corpus / "web"
    for manifest in sorted(web.glob("*/.manifest.json")) if web.is_dir() else ():
        try:
            site = json.loads(manifest.read_text(encoding="utf-8")).get("site", "")
            hosts.append((urlsplit(site).hostname or "").lower())
        except (OSError, ValueError, AttributeError):
            continue
    return [h for h in hosts if h]


def read_site(path: Path, *, required: bool = False) -> SiteCopy:
    """The ``[site]`` table of an advisor.toml; none when the file is absent (and not required)."""
    data = _read_toml(path, required=required)
    if not data:
        return SiteCopy()
    site = data.get("site", {})
    if not isinstance(site, dict):
        raise InputError(f"{path}: [site] must be a table; fix or remove it")
    return SiteCopy.from_toml(site, path)


def contact_link(value: str, where: str) -> str:
    """A contact as a link: an http(s) URL or a ``mailto:`` address (a bare address gets ``mailto:``)."""
    value = value.strip()
    if "@" in value and ":" not in value and " " not in value:
        value = f"mailto:{value}"
    parts = urlsplit(value)
    ok = (parts.scheme in ("http", "https") and bool(parts.netloc)) or (
        parts.scheme == "mailto" and "@" in parts.path and " " not in value
    )
    if not ok or any(c in value for c in '<>"\n'):
        raise InputError(
            f"{where}={value!r} is not a web address or an e-mail address; "
            "use e.g. https://example.edu/advising or mailto:advising@example.edu"
        )
    return value


def _db_url(raw: str | None) -> str | None:
    if raw is not None and "://" not in raw:
        raise InputError(
            f"ADVISOR_DB_URL={raw!r} is not a database URL; e.g. postgresql+psycopg://user@host/advisor "
            "or sqlite:////var/lib/advisor/office.db (unset: SQLite under ADVISOR_DATA)"
        )
    return raw


def _days(raw: str | None, default: int) -> int:
    days = _int("RETENTION_DAYS", raw, default)
    if days < 0:
        raise InputError(f"ADVISOR_RETENTION_DAYS={raw!r} is negative; give a number of days (0 keeps everything)")
    return days


def _bool(name: str, raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise InputError(f"ADVISOR_{name}={raw!r} is not true or false; fix or unset it")


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
