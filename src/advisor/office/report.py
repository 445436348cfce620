"""What the office reads: the summary, the gap groups, recent conversations, the export."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from langchain_core.embeddings import Embeddings

from advisor.answer.smalltalk import kind_of
from advisor.errors import InputError
from advisor.office.db import LogDB, now
from advisor.office.gaps import LOW_CONFIDENCE, group
from advisor.office.records import EXPORT_FIELDS, GapGroup, LoggedAnswer, Summary

MAX_GAP_QUESTIONS = 2_000  # the newest open gaps clustered at once
FORMATS = ("jsonl", "csv")


def window(days: int) -> tuple[date, datetime]:
    """The first day of the last ``days`` days (today included) and its midnight, UTC."""
    if days < 1:
        raise InputError(f"--days {days}: give a number of days of at least 1")
    first = now().date() - timedelta(days=days - 1)
    return first, datetime.combine(first, time.min)


def summary(db: LogDB, days: int, conversations_kept: bool) -> Summary:
    """Questions per day, answered vs refused, thumbs up/down, contact clicks, most-cited sources."""
    first, start = window(days)
    known = {d.day: d for d in db.days(first)}
    from advisor.office.records import Day

    per_day = tuple(known.get(first + timedelta(n), Day(first + timedelta(n))) for n in range(days))
    return Summary(days, per_day, tuple(db.top_sources(start)), conversations_kept)


def gap_groups(
    db: LogDB,
    embeddings: Embeddings,
    days: int,
    low_score: float = LOW_CONFIDENCE,
    vectors: dict[str, Any] | None = None,
) -> list[GapGroup]:
    """The open gaps of the last ``days`` days grouped by meaning, the largest first; small talk ("hi", "thanks")
    asked nothing the guides lack, and is left out."""
    _, start = window(days)
    rows = [r for r in db.candidates(start, low_score, MAX_GAP_QUESTIONS) if kind_of(r.question) is None]
    return group(rows, embeddings, low_score, vectors)


def parse_since(raw: str | None) -> datetime | None:
    """``YYYY-MM-DD`` → that day's midnight UTC; None → everything."""
    if not raw:
        return None
    try:
        return datetime.combine(date.fromisoformat(raw), time.min)
    except ValueError:
        raise InputError(f"since={raw!r} is not a date; use YYYY-MM-DD, e.g. 2026-09-01") from None


def export_lines(rows: list[LoggedAnswer], fmt: str) -> Iterator[str]:
    """The rows as JSON lines or CSV (a header, then one line per answer)."""
    if fmt == "jsonl":
        for r in rows:
            yield json.dumps(r.export(), ensure_ascii=False) + "\n"
        return
    if fmt != "csv":
        raise InputError(f"format={fmt!r}: use jsonl or csv")
    buf = io.StringIO()
    out = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    out.writeheader()
    for r in rows:
        row = r.export()
        row["sources"] = "; ".join(row["sources"])
        out.writerow({k: _cell(v) for k, v in row.items()})
    yield buf.getvalue()


def _cell(value: object) -> object:
    """Spreadsheets run a cell that starts with = + - @ as a formula: such student text gets a quote first."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def format_report(s: Summary, groups: list[GapGroup], top: int = 10) -> str:
    """The summary and the top gap groups as terminal text."""
    t = s.totals()
    lines = [
        f"Last {s.days} days: {t['questions']} questions, {t['answered']} answered, {t['refused']} refused; "
        f"thumbs up {t['up']}, down {t['down']}; {t['contact_clicks']} clicks to the program office",
        "",
        "day         questions answered refused  up down",
    ]
    lines += [
        f"{d.day}  {d.questions:9d} {d.answered:8d} {d.refused:7d} {d.up:3d} {d.down:4d}"
        for d in s.per_day
        if d.questions or d.up or d.down
    ]
    if s.top_sources:
        lines += ["", "Most-cited sources:"] + [f"  {n:5d}  {src}" for src, n in s.top_sources]
    if not s.conversations_kept:
        lines += ["", "(ADVISOR_STORE_CONVERSATIONS=false: only counts are kept, so there are no gap groups)"]
        return "\n".join(lines)
    lines += ["", f"Gap inbox: {len(groups)} groups" + (f" (top {top})" if len(groups) > top else "")]
    for g in groups[:top]:
        counts = ((g.refused, "refused"), (g.low_confidence, "low confidence"), (g.thumbs_down, "thumbs down"))
        why = ", ".join(f"{n} {w}" for n, w in counts if n)
        lines.append(f"  [{g.count}] {_short(g.examples[0])}  ({why})")
        lines += [f"        also: {_short(e)}" for e in g.examples[1:]]
        lines.append(f"        answered: {_short(g.answer)}")
    return "\n".join(lines)


def _short(text: str, n: int = 140) -> str:
    """One line of student or answer text for a terminal: control characters (escape sequences) dropped."""
    text = " ".join("".join(c for c in text if unicodedata.category(c)[0] != "C" or c in " \t\n").split())
    return text if len(text) <= n else text[: n - 1] + "…"
