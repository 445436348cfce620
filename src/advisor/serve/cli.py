"""The ``advisor`` command: ingest, crawl, sync, ask, search, eval, redteam, backup, restore, serve, report.

Heavy imports happen inside commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from advisor.config import Settings, quiet_runtime
from advisor.errors import AdvisorError

log = logging.getLogger("advisor")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    _setup_logging(args.verbose)
    quiet_runtime()
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings) or 0)
    except AdvisorError as exc:
        print(f"advisor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("advisor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`advisor eval | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="advisor", description="Career-advising chatbot over your program's guide.")
    p.add_argument("-v", "--verbose", action="store_true", help="log more detail to stderr")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="index the corpus (only what changed)")
    ing.add_argument("--json", action="store_true", help="print what changed as JSON")
    ing.add_argument("--rebuild", action="store_true", help="set the current index aside and build it anew")
    ing.set_defaults(func=cmd_ingest)

    cr = sub.add_parser("crawl", help="fetch a site's pages (and its PDF/DOCX files) into corpus/web/<host>/")
    cr.add_argument("urls", nargs="+", metavar="URL", help="start pages, e.g. https://www.example.edu/careers/")
    cr.add_argument("--max-pages", type=int, default=None, help="pages fetched per site at most (default 200)")
    cr.add_argument("--json", action="store_true", help="print what changed as JSON")
    cr.set_defaults(func=cmd_crawl)

    sy = sub.add_parser("sync", help="crawl the [[sources]] of advisor.toml, then ingest the corpus")
    sy.add_argument("--json", action="store_true", help='print {"crawl": {...}, "ingest": {...}} as JSON')
    sy.set_defaults(func=cmd_sync)

    ask = sub.add_parser("ask", help="answer a question from the guide, with citations")
    ask.add_argument("question")
    ask.add_argument("--history", metavar="FILE", help='JSON list of {"role", "content"} messages, oldest first')
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.set_defaults(func=cmd_ask)

    se = sub.add_parser("search", help="print the passages that best match a question")
    se.add_argument("question")
    se.add_argument("-k", type=int, default=None, help="how many passages (default 4)")
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)

    ev = sub.add_parser("eval", help="answer every question of an evaluation file and measure the answers")
    ev.add_argument("--questions", required=True, metavar="FILE", help="a JSONL file, e.g. eval/questions.jsonl")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--retrieval", action="store_true", help="measure retrieval alone (hit@1, hit@3, MRR)")
    ev.add_argument("--report", metavar="DIR", help="also write DIR/summary.json and a chart, DIR/summary.png")
    ev.set_defaults(func=cmd_eval)

    rt = sub.add_parser("redteam", help="put the injection suite to the answerers; pass rate per attack class")
    rt.add_argument("--attacks", default=None, help="JSONL attack file (default: the suite shipped with advisor)")
    rt.add_argument("--planted", default=None, help="a guide page with planted instructions (default: the shipped one)")
    rt.add_argument(
        "--answerer",
        action="append",
        metavar="NAME",
        help="extractive, obedient (a fake model that obeys everything), local or PROVIDER:MODEL; "
        "repeat for several (default: extractive and obedient)",
    )
    rt.add_argument("--json", action="store_true")
    rt.set_defaults(func=cmd_redteam)

    bk = sub.add_parser("backup", help="copy the index to a .tar.gz file (under the ingest lock)")
    bk.add_argument("file", help="where to write the backup, e.g. backups/advisor.tar.gz")
    bk.set_defaults(func=cmd_backup)

    rs = sub.add_parser("restore", help="replace the index with a backup (the current one is moved aside)")
    rs.add_argument("file", help="a file made by `advisor backup`")
    rs.set_defaults(func=cmd_restore)

    sv = sub.add_parser("serve", help="serve the web app: chat, embeddable widget and API")
    sv.add_argument("--host", default=None, help="default 127.0.0.1 (ADVISOR_HOST)")
    sv.add_argument("--port", type=int, default=None, help="default 7860 (ADVISOR_PORT)")
    sv.set_defaults(func=cmd_serve)

    rp = sub.add_parser("report", help="the program office's summary and top gap groups, from the conversation log")
    rp.add_argument("--days", type=int, default=30, help="how many days back, today included (default 30)")
    rp.add_argument("--top", type=int, default=10, help="how many gap groups to print (default 10)")
    rp.add_argument("--json", action="store_true", help='print {"summary": {...}, "gaps": [...]} as JSON')
    rp.set_defaults(func=cmd_report)
    return p


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="advisor: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _say(message: str) -> None:
    print(f"advisor: {message}", file=sys.stderr)


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.ingest.backup import set_aside
    from advisor.ingest.parse import corpus_files
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    corpus_files(settings.corpus)  # a missing or empty corpus fails before any model loads
    if args.rebuild and not settings.chroma_url:
        moved = set_aside(settings)
        if moved:
            _say(f"the old index was moved to {moved}")
    store = open_store(settings)
    if args.rebuild and settings.chroma_url:
        store.reset()
    with _progress_bar() as progress:
        report = ingest(store, progress=progress)
    for skipped in report.skipped:
        _say(f"warning: skipped {skipped}")
    for planted in report.instructions:
        _say(f"warning: {planted}")
    if args.json:
        _print_json(report.contract())
    else:
        print(
            f"{report.files} files, {report.passages} passages: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged ({report.embedded} passages embedded "
            f"in {report.seconds:.1f} s)"
        )
    return 0


def cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.errors import InputError
    from advisor.ingest.crawl import check_url, crawl

    for url in args.urls:
        check_url(url)  # every address checked before anything is fetched
    if args.max_pages is not None and args.max_pages < 1:
        raise InputError(f"--max-pages {args.max_pages} must be at least 1")
    report = crawl(settings, args.urls, max_pages=args.max_pages)
    sites = {check_url(u).split("/")[2].lower() for u in args.urls}
    if report.unreachable and len(report.unreachable) == len(sites):
        raise InputError(f"cannot reach {'; '.join(report.problems)}; nothing was changed, check the address")
    _print_crawl(report, args.json)
    return 1 if report.unreachable else 0


def _print_crawl(report: Any, as_json: bool) -> None:
    from advisor.ingest.crawl import report_lines

    for problem in report.problems:
        _say(f"warning: {problem}")
    if as_json:
        _print_json(report.contract())
    else:
        for line in report_lines(report):
            print(line)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.errors import InputError
    from advisor.ingest.refresh import sync_sources
    from advisor.ingest.store import open_store

    if not settings.sources:
        raise InputError(
            'advisor.toml lists no sites to crawl; add [[sources]] with url = "https://…" '
            "(and max_pages = N), or crawl one with `advisor crawl URL`"
        )
    store = open_store(settings)
    with _progress_bar() as progress:
        report = sync_sources(settings, store=store, progress=progress)
    for problem in report.crawl.problems:
        _say(f"warning: {problem}")
    for skipped in report.ingest.skipped:
        _say(f"warning: skipped {skipped}")
    if args.json:
        _print_json(report.contract())
    else:
        from advisor.ingest.crawl import report_lines

        for line in report_lines(report.crawl):
            print(f"crawl: {line}")
        i = report.ingest
        print(
            f"ingest: {i.files} files, {i.passages} passages: {i.added} added, {i.updated} updated, "
            f"{i.removed} removed, {i.unchanged} unchanged"
        )
    return 1 if report.crawl.unreachable else 0


class _progress_bar:
    """A tqdm bar on stderr for ingests that embed more than one batch; silent otherwise."""

    def __enter__(self) -> Any:
        self.bar: Any = None
        return self.update

    def update(self, done: int, total: int) -> None:
        from advisor.ingest.sync import BATCH

        if self.bar is None and total > BATCH:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr, disable=None)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.answer.chain import open_advisor
    from advisor.text import clean_query

    question = clean_query(args.question)  # fail fast, before any model loads
    result = open_advisor(settings, notify=_say).find(question, args.k)
    if args.json:
        _print_json(
            {
                "query": result.query,
                "covered": result.covered,
                "latency_ms": round(result.latency_ms, 1),
                "results": [hit_json(h) for h in result.hits],
            }
        )
        return 0
    if not result.covered:
        print("(the guide does not seem to cover this question; closest passages below)\n")
    for rank, h in enumerate(result.hits, 1):
        print(f"{rank}. [{h.score:.2f}] {h.passage.section} — {h.passage.source}")
        print(f"   {h.passage.text}\n")
    return 0


def hit_json(h: Any) -> dict[str, Any]:
    p = h.passage
    return {
        "id": p.id,
        "source": p.source,
        "section": p.section,
        "text": p.text,
        "score": h.score,
        "vector_rank": h.vector_rank,
        "keyword_rank": h.keyword_rank,
    }


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.answer.chain import open_advisor
    from advisor.text import clean_query

    question = clean_query(args.question)  # fail fast, before any model loads
    history = read_history(args.history) if args.history else []
    from advisor.office.office import handoff

    answer = handoff(open_advisor(settings, notify=_say).ask(question, history), settings.contact)
    if args.json:
        _print_json(answer.contract())
        return 0
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            print(f"  [{c.n}] {c.passage.section} — {c.passage.source}")
    return 0


def read_history(path: str) -> list[dict[str, str]]:
    """A conversation file: a JSON list of {"role": "user"|"assistant", "content": str}, oldest first."""
    from pathlib import Path

    from advisor.errors import InputError
    from advisor.types import Message

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the history file {path} ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the history file {path} is not valid JSON ({exc}); it must be a list of messages") from None
    if not isinstance(data, list) or not all(Message.well_formed(m) for m in data):
        raise InputError(
            f'the history file {path} must be a JSON list of {{"role": "user"|"assistant", "content": str}}'
        )
    return data


def cmd_redteam(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from advisor.quality.redteam import ATTACKS, PLANTED, print_report, red_team

    attacks, planted = Path(args.attacks or ATTACKS), Path(args.planted or PLANTED)
    for name in (attacks, planted):
        if not name.is_file():
            raise AdvisorError(f"{name} does not exist; pass an existing file to --attacks/--planted")
    answerers = args.answerer or ("extractive", "obedient")
    report = red_team(settings, answerers, attacks_file=attacks, planted=planted)
    if args.json:
        _print_json({"results": [r.__dict__ for r in report.results], "summary": report.summary()})
    else:
        print_report(report)
    return 0 if all(r.passed for r in report.results) else 1


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.answer.chain import open_advisor
    from advisor.quality.evaluate import (
        evaluate_answers,
        evaluate_retrieval,
        format_answer_summary,
        format_summary,
        load_questions,
    )

    items = load_questions(args.questions)
    if args.retrieval:
        report = evaluate_retrieval(open_advisor(settings, notify=_say).find, items)
        text = format_summary(report)
    else:
        report = evaluate_answers(open_advisor(settings, notify=_say), items)
        text = format_answer_summary(report)
        if args.report:
            from advisor.quality.evaluate import write_report

            data, chart = write_report(report, args.report)
            _say(f"wrote {data} and {chart}")
    if args.json:
        _print_json({"results": report.results, "summary": report.summary})
    else:
        print(text)
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from advisor.ingest.backup import backup

    target = backup(settings, Path(args.file))
    print(f"backed up the index in {settings.data} to {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from advisor.ingest.backup import restore

    moved = restore(settings, Path(args.file))
    print(
        f"restored {args.file} into {settings.data} (a running server moves onto it)"
        + (f"; the previous index is in {moved}" if moved else "")
    )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.serve.web import serve

    serve(settings, host=args.host, port=args.port)
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.errors import BackendError, brief
    from advisor.office.db import LogDB
    from advisor.office.office import Office
    from advisor.office.report import format_report, window

    window(args.days)  # a bad --days fails before anything loads
    office = Office(settings, db=LogDB(settings.database_url))
    try:
        office.db.prepare()
        summary = office.summary(args.days)
        groups = office.gaps(args.days)
    except AdvisorError:
        raise
    except Exception as exc:
        where = _safe_url(settings.database_url)
        raise BackendError(f"the conversation log at {where} cannot be read ({brief(exc)}); check it") from None
    finally:
        office.db.dispose()
    if args.json:
        _print_json({"summary": summary.contract(), "gaps": [g.contract() for g in groups[: args.top]]})
    else:
        print(format_report(summary, groups, args.top))
    return 0


def _safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "ADVISOR_DB_URL"


if __name__ == "__main__":
    sys.exit(main())
