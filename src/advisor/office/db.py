"""The conversation log's tables (SQLAlchemy 2) and the one class that reads and writes them.

One row per answer (``answers``), one row per day of counts (``days``: kept even when
conversations are not, and never purged: counts name nobody), and ``meta`` for the salt of the
client hashes (shared by every app instance on the same database). SQLite under ``ADVISOR_DATA``
by default; any SQLAlchemy URL in ``ADVISOR_DB_URL`` (``postgresql+psycopg://…`` to scale out).
Times are stored as naive UTC.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    case,
    create_engine,
    delete,
    exc,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.event import listen
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from advisor.errors import InputError
from advisor.office.privacy import client_hash, redact
from advisor.office.records import Asked, Click, Day, Feedback, LoggedAnswer


class Base(DeclarativeBase):
    pass


class AnswerRow(Base):
    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    time: Mapped[datetime] = mapped_column(DateTime, index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    refused: Mapped[bool] = mapped_column(Boolean, index=True)
    sources: Mapped[str] = mapped_column(Text)  # a JSON list of the cited sources, in citation order
    score: Mapped[float] = mapped_column(Float)  # the best retrieval cosine
    latency_ms: Mapped[float] = mapped_column(Float)
    answerer: Mapped[str] = mapped_column(String(120))
    conversation: Mapped[str] = mapped_column(String(40), index=True)
    client: Mapped[str] = mapped_column(String(40))  # salted hash of the client address
    rating: Mapped[str | None] = mapped_column(String(8), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    gap: Mapped[str | None] = mapped_column(String(16), nullable=True)  # resolved | out_of_scope

    def logged(self) -> LoggedAnswer:
        return LoggedAnswer(
            id=self.id,
            time=self.time.replace(tzinfo=UTC),
            question=self.question,
            answer=self.answer,
            refused=self.refused,
            sources=tuple(json.loads(self.sources or "[]")),
            score=self.score,
            latency_ms=self.latency_ms,
            answerer=self.answerer,
            conversation=self.conversation,
            client=self.client,
            rating=self.rating,
            reason=self.reason,
            comment=self.comment,
            gap=self.gap,
        )


class DayRow(Base):
    __tablename__ = "days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    up: Mapped[int] = mapped_column(Integer, default=0)
    down: Mapped[int] = mapped_column(Integer, default=0)
    contact_clicks: Mapped[int] = mapped_column(Integer, default=0)


class MetaRow(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def utc_naive(t: datetime) -> datetime:
    return (t.astimezone(UTC) if t.tzinfo else t).replace(tzinfo=None)


def now() -> datetime:
    return datetime.now(UTC)


def build_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, connections to a server time out fast."""
    try:
        parsed = make_url(url)
    except Exception:
        raise InputError(
            f"ADVISOR_DB_URL={url!r} is not a database URL; e.g. postgresql+psycopg://user@host/db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):  # the driver installed with advisor is psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
    args: dict[str, object] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        args["timeout"] = 5
    elif parsed.get_backend_name() == "postgresql":
        args["connect_timeout"] = 3
    try:
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=args)
    except Exception as exc:  # an unknown dialect or a driver that is not installed
        raise InputError(
            f"ADVISOR_DB_URL: cannot use {parsed.drivername!r} ({exc}); use sqlite:///… or "
            "postgresql+psycopg://…, or install that database's driver"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL: the console reads while the writer writes; NORMAL sync: one fsync per checkpoint, not per
    commit (a power cut may lose the last few log rows, never corrupt the file)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class LogDB:
    """The log's database: writes a batch of events, purges, answers the office's reads."""

    def __init__(self, url: str) -> None:
        self.engine = build_engine(url)
        self._salt: bytes | None = None
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Create the tables when missing and read (or make) the salt.

        Another instance starting on the same database may be creating them at the same moment:
        then the second try finds them."""
        with self._lock:
            if self._salt is not None:
                return
            try:
                self._create()
            except (exc.IntegrityError, exc.ProgrammingError):
                self._create()  # created meanwhile by another instance: this time it finds them

    def _create(self) -> None:
        Base.metadata.create_all(self.engine)
        with Session(self.engine) as s, s.begin():
            if s.get_bind().dialect.name in ("postgresql", "sqlite") or s.get(MetaRow, "salt") is None:
                s.execute(self._insert(s, MetaRow, "key").values(key="salt", value=secrets.token_hex(32)))
            value = s.scalars(select(MetaRow.value).where(MetaRow.key == "salt")).one()
        self._salt = bytes.fromhex(value)

    @property
    def salt(self) -> bytes:
        if self._salt is None:
            self.prepare()
        assert self._salt is not None
        return self._salt

    def write(self, events: Sequence[Asked | Feedback | Click], keep_conversations: bool) -> None:
        """Write a batch of events in one transaction: the answers in one multi-row insert, each
        day's counts in one update. The client address is hashed and student text redacted here,
        before anything is stored; with ``keep_conversations`` off only counts are."""
        salt = self.salt
        counts: dict[date, Counter[str]] = {}
        rows = []
        feedback = []
        for event in events:
            day = counts.setdefault(utc_naive(event.time or now()).date(), Counter())
            if isinstance(event, Asked):
                day.update(questions=1, refused=int(event.refused))
                if keep_conversations:
                    rows.append(self._row(event, client_hash(event.address, salt)))
            elif isinstance(event, Feedback):
                feedback.append((event, day))
            else:
                day.update(contact_clicks=1)
        with Session(self.engine) as s, s.begin():
            if rows:
                s.execute(self._insert(s, AnswerRow, "id"), rows)
            for f, day in feedback:
                self._feedback(s, f, day, keep_conversations)
            for when, delta in counts.items():
                self._count(s, when, delta)

    @staticmethod
    def _insert(s: Session, table: type[Base], key: str) -> Any:
        """An INSERT that skips a row whose ``key`` is already there (ON CONFLICT in PostgreSQL and
        SQLite; a plain INSERT elsewhere, where the caller checks first)."""
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            return pg_insert(table).on_conflict_do_nothing(index_elements=[key])
        if dialect == "sqlite":
            return sqlite_insert(table).on_conflict_do_nothing(index_elements=[key])
        return insert(table)

    @staticmethod
    def _row(a: Asked, client: str) -> dict[str, Any]:
        return {
            "id": a.id,
            "time": utc_naive(a.time),
            "question": redact(a.question),
            "answer": a.answer,
            "refused": a.refused,
            "sources": json.dumps(list(a.sources)),
            "score": float(a.score),
            "latency_ms": float(a.latency_ms),
            "answerer": a.answerer[:120],
            "conversation": a.conversation,
            "client": client,
        }

    @staticmethod
    def _feedback(s: Session, f: Feedback, counts: Counter[str], keep_conversations: bool) -> None:
        row = s.get(AnswerRow, f.id) if keep_conversations else None
        before = row.rating if row is not None else f.previous
        if before in ("up", "down"):
            counts[before] -= 1
        counts[f.rating] += 1
        if row is not None:
            row.rating, row.reason = f.rating, f.reason
            row.comment = redact(f.comment) if f.comment else None

    def _count(self, s: Session, day: date, delta: Counter[str]) -> None:
        """Add to one day's counts in the database itself (``x = x + n``), so app instances sharing a
        database never overwrite each other's counts; the day's row is created if missing."""
        zero = {"day": day, "questions": 0, "refused": 0, "up": 0, "down": 0, "contact_clicks": 0}
        if s.get_bind().dialect.name in ("postgresql", "sqlite") or s.get(DayRow, day) is None:
            s.execute(self._insert(s, DayRow, "day").values(**zero))
        changes = {}
        for key, n in delta.items():
            if n:
                column = getattr(DayRow, key)
                changes[key] = case((column + n < 0, 0), else_=column + n)
        if changes:
            s.execute(update(DayRow).where(DayRow.day == day).values(changes))

    def purge(self, before: datetime) -> int:
        """Delete the answers logged before ``before``; returns how many."""
        self.salt  # noqa: B018  (the tables exist)
        with Session(self.engine) as s, s.begin():
            result = s.execute(delete(AnswerRow).where(AnswerRow.time < utc_naive(before)))
            return int(getattr(result, "rowcount", 0) or 0)

    def exists(self, answer_id: str) -> bool:
        with Session(self.engine) as s:
            return s.get(AnswerRow, answer_id) is not None

    def days(self, since: date) -> list[Day]:
        with Session(self.engine) as s:
            rows = s.scalars(select(DayRow).where(DayRow.day >= since).order_by(DayRow.day)).all()
            return [Day(r.day, r.questions, r.refused, r.up, r.down, r.contact_clicks) for r in rows]

    def answers(
        self, since: datetime | None = None, limit: int | None = None, newest_first: bool = False
    ) -> list[LoggedAnswer]:
        query = select(AnswerRow)
        if since is not None:
            query = query.where(AnswerRow.time >= utc_naive(since))
        query = query.order_by(AnswerRow.time.desc() if newest_first else AnswerRow.time, AnswerRow.id)
        if limit is not None:
            query = query.limit(limit)
        with Session(self.engine) as s:
            return [r.logged() for r in s.scalars(query)]

    def candidates(self, since: datetime, low_score: float, limit: int) -> list[LoggedAnswer]:
        """The open gaps: refused, low-confidence or thumbs-down answers not yet marked, newest first."""
        query = (
            select(AnswerRow)
            .where(AnswerRow.time >= utc_naive(since), AnswerRow.gap.is_(None))
            .where(or_(AnswerRow.refused.is_(True), AnswerRow.score < low_score, AnswerRow.rating == "down"))
            .order_by(AnswerRow.time.desc(), AnswerRow.id)
            .limit(limit)
        )
        with Session(self.engine) as s:
            return [r.logged() for r in s.scalars(query)]

    def top_sources(self, since: datetime, n: int = 8) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        with Session(self.engine) as s:
            for raw in s.scalars(select(AnswerRow.sources).where(AnswerRow.time >= utc_naive(since))):
                counts.update(dict.fromkeys(json.loads(raw or "[]"), 1))  # once per answer
        return counts.most_common(n)

    def mark(self, ids: Iterable[str], status: str) -> int:
        """Mark answers as a resolved or out-of-scope gap; returns how many rows changed."""
        ids = list(ids)
        with Session(self.engine) as s, s.begin():
            result = s.execute(update(AnswerRow).where(AnswerRow.id.in_(ids)).values(gap=status))
            return int(getattr(result, "rowcount", 0) or 0)

    def count(self) -> int:
        with Session(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(AnswerRow)) or 0)

    def dispose(self) -> None:
        self.engine.dispose()
