"""Updating content while serving: answer latency under load, idle and while another process re-indexes.

    python -m tools.reindex [--corpus eval/guides] [--clients 4] [--seconds 20]     (``make reindex``)

A real `python app.py` serves a private copy of the corpus. Clients post questions to ``/api/chat``
back to back: after a warm-up (the answer caches filling), for ``--seconds`` with nothing else
happening (idle); then while ``advisor ingest`` runs in another process after one guide was changed
and one added, until the server answers from the new generation (``/healthz``); then for
``--seconds`` after the swap (the new advisor's caches filling). Printed: each phase's count,
failures, p50 and p95, the ingest's wall time (a new process: the model loads too), and how long
after the ingest finished the server moved onto its index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.config import Settings, quiet_runtime
from advisor.quality.evaluate import load_questions, percentile
from tools.serving import ROOT, served_app

CONTRACT = ["id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"]  # DESIGN.md
NEW_GUIDE = """# Orchard Robotics Careers

## Pay

An orchard robotics technician at the Quillfeather Cooperative earns a median salary of $83,470 a year,
according to the cooperative's 2026 pay survey of its harvest robot crews.

## Skills

Orchard robotics technicians calibrate fruit-picking arms, repair vision sensors and plan the robots'
routes between the tree rows before each harvest.
"""
NEW_QUESTION = "What does an orchard robotics technician earn at the Quillfeather Cooperative?"


@dataclass
class Sample:
    """One request of the load loop."""

    started: float  # time.monotonic() when it was sent
    ms: float
    problem: str | None  # None: 200 with the contract's keys


@dataclass
class LoadLoop:
    """Clients posting questions to ``/api/chat`` back to back until stopped, or ``limit`` requests in all."""

    url: str
    questions: list[str]
    clients: int = 4
    limit: int = 5_000
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(k,), daemon=True) for k in range(self.clients)]

    def __enter__(self) -> LoadLoop:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=120)

    def between(self, start: float, end: float) -> list[Sample]:
        """The samples sent in ``[start, end)`` (monotonic seconds)."""
        with self._lock:
            return [s for s in self.samples if start <= s.started < end]

    def _client(self, k: int) -> None:
        import httpx

        with httpx.Client(base_url=self.url, timeout=120) as http:
            i = k * 7
            while not self._stop.is_set():
                with self._lock:
                    if len(self.samples) >= self.limit:
                        return
                question = self.questions[i % len(self.questions)]
                i += 1
                started, clock = time.monotonic(), time.perf_counter()
                problem = ask_problem(http, question)
                with self._lock:
                    self.samples.append(Sample(started, (time.perf_counter() - clock) * 1000, problem))


def ask_problem(http: Any, question: str) -> str | None:
    """None when ``/api/chat`` answers ``question`` with 200 and the contract's keys, else what went wrong."""
    import httpx

    try:
        r = http.post("/api/chat", json={"message": question, "history": []})
        if r.status_code != 200:
            return f"{r.status_code}: {r.text[:160]}"
        body = r.json()
        return None if list(body) == CONTRACT else f"keys {list(body)}"
    except (httpx.HTTPError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"


def summary(samples: list[Sample]) -> dict[str, Any]:
    """Count, failures, p50 and p95 (ms) of a phase."""
    ms = sorted(s.ms for s in samples)
    return {
        "count": len(samples),
        "failures": sum(s.problem is not None for s in samples),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
    }


def run_ingest(settings: Settings) -> subprocess.Popen[str]:
    """`advisor ingest --json` in another process, over ``settings``' corpus and data."""
    env = {**os.environ, "ADVISOR_CORPUS": str(settings.corpus), "ADVISOR_DATA": str(settings.data)}
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", "ingest", "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_generation(url: str, old: str | None, timeout: float = 120) -> str:
    """The server's generation once it differs from ``old`` (raises TimeoutError after ``timeout`` s)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gen = httpx.get(url + "/healthz", timeout=10).json().get("generation")
        if gen != old:
            return str(gen)
        time.sleep(0.1)
    raise TimeoutError(f"the server still answers from {old} after {timeout:.0f} s")


def change_corpus(corpus: Path) -> None:
    """Add a guide with a distinctive fact and change another (its last paragraph gains a sentence)."""
    (corpus / "orchard-robotics.md").write_text(NEW_GUIDE, encoding="utf-8")
    guide = sorted(p for p in corpus.iterdir() if p.suffix == ".md" and p.name != "orchard-robotics.md")[0]
    guide.write_text(guide.read_text(encoding="utf-8") + "\nThis guide was reviewed in the spring of 2026.\n")


def reindex(corpus: Path, clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    """Serve a copy of ``corpus``; measure answers idle, then while another process re-indexes it."""
    import httpx

    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    with tempfile.TemporaryDirectory(prefix="advisor-reindex-") as tmp:
        settings = Settings(corpus=Path(tmp) / "corpus", data=Path(tmp) / "data")
        shutil.copytree(corpus, settings.corpus)
        ingest(open_store(settings)).contract()  # the index exists, as after `make run`
        questions = [i["question"] for i in load_questions(ROOT / "eval" / "questions.jsonl") if not i.get("history")]
        with served_app(settings) as (url, _server), LoadLoop(url, questions, clients, limit=10**6) as load:
            old = httpx.get(url + "/healthz", timeout=10).json().get("generation")
            time.sleep(warmup)
            began = time.monotonic()
            time.sleep(seconds)
            change_corpus(settings.corpus)
            reindex_from = time.monotonic()
            proc = run_ingest(settings)
            out, err = proc.communicate(timeout=600)
            ingest_done = time.monotonic()
            if proc.returncode != 0:
                raise RuntimeError(f"advisor ingest failed: {err.strip()}")
            gen = wait_for_generation(url, old)
            swapped = time.monotonic()
            time.sleep(seconds)
    return {
        "corpus": str(corpus),
        "clients": clients,
        "idle": summary(load.between(began, reindex_from)),
        "reindex": summary(load.between(reindex_from, swapped)),
        "after": summary(load.between(swapped, swapped + seconds)),
        "ingest_s": round(ingest_done - reindex_from, 2),
        "swap_after_ingest_s": round(swapped - ingest_done, 2),
        "generations": [old, gen],
        "ingest": json.loads(out),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=ROOT / "eval" / "guides", help="the guides to serve (copied)")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--seconds", type=float, default=20.0, help="how long the idle and the after-swap phases last")
    p.add_argument("--warmup", type=float, default=20.0, help="seconds of load before the idle phase is measured")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    quiet_runtime()
    result = reindex(args.corpus, args.clients, args.seconds, args.warmup)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{result['clients']} clients on /api/chat over {result['corpus']}")
    for phase in ("idle", "reindex", "after"):
        r = result[phase]
        print(f"  {phase:8} {r['count']:5} answers, {r['failures']} failed, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms")
    print(
        f"  advisor ingest (other process): {result['ingest_s']} s {as_line(result['ingest'])}; "
        f"the server answered from {result['generations'][1]} {result['swap_after_ingest_s']} s after it finished"
    )


def as_line(report: dict[str, int]) -> str:
    return "(" + ", ".join(f"{k} {v}" for k, v in report.items()) + ")"


if __name__ == "__main__":
    main()
