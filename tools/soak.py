"""The soak test: many concurrent clients against a real `python app.py` on loopback, for a while.

    python -m tools.soak --clients 50 --seconds 600     (``make soak``)

Most clients post questions to ``/api/chat`` back to back: standalone ones from the evaluation
file, follow-ups with their history, and every tenth request a bad one (empty, 100,000
characters, a 200-message history), which must get its clear 4xx. A few clients use the Gradio
chat's documented endpoint. The server's resident memory is sampled every second; after a
warm-up (the caches filling) it must stay flat. Printed: requests, errors, latency, throughput
and memory at the end of the warm-up, at the end, its peak and its slope in MB per minute.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from advisor.config import Settings, quiet_runtime
from advisor.quality.evaluate import load_questions, percentile
from tools.serving import ROOT, served_app

GRADIO_CLIENTS = 5  # of the clients, how many use the Gradio chat instead of /api/chat
BAD_EVERY = 10  # every n-th API request is a bad one


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class SoakResult:
    clients: int
    seconds: float
    requests: int
    errors: int
    bad_requests: int  # deliberately bad requests sent (each must get its 4xx)
    p50_ms: float
    p95_ms: float
    rps: float
    rss_warm_mb: float  # at the end of the warm-up
    rss_end_mb: float
    rss_peak_mb: float
    growth_mb: float  # end minus warm
    slope_mb_per_min: float  # least-squares slope of the samples after the warm-up
    error_examples: tuple[str, ...] = ()


def _requests(items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """The API requests to cycle through, each with the status it must get."""
    good = [({"message": i["question"], "history": i.get("history") or []}, 200) for i in items]
    bad: list[tuple[dict[str, Any], int]] = [
        ({"message": "   ", "history": []}, 422),
        ({"message": "x" * 100_000, "history": []}, 413),
        ({"message": "And them?", "history": [{"role": "user", "content": "hi"}] * 200}, 422),
        ({"message": 42}, 422),
    ]
    out: list[tuple[dict[str, Any], int]] = []
    for n, request in enumerate(good):
        out.append(request)
        if n % (BAD_EVERY - 1) == BAD_EVERY - 2:
            out.append(bad[(n // BAD_EVERY) % len(bad)])
    return out


def soak(settings: Settings, clients: int = 50, seconds: float = 60.0, warmup: float | None = None) -> SoakResult:
    """Run ``clients`` concurrent clients for ``seconds`` against a fresh server; measure errors and memory."""
    import httpx
    from gradio_client import Client

    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    ingest(open_store(settings))
    items = load_questions(ROOT / "eval" / "questions.jsonl")
    requests = _requests(items)
    questions = [i["question"] for i in items if not i.get("history")]
    warmup = min(seconds / 4, 30.0) if warmup is None else warmup

    times: list[float] = []
    errors: list[str] = []
    bad_sent = 0
    lock = threading.Lock()

    with served_app(settings) as (url, server):
        stop = time.monotonic() + seconds

        def record(started: float, problem: str | None) -> None:
            with lock:
                times.append((time.perf_counter() - started) * 1000)
                if problem:
                    errors.append(problem)

        def api_client(k: int) -> None:
            nonlocal bad_sent
            with httpx.Client(base_url=url, timeout=60) as http:
                i = k * 7
                while time.monotonic() < stop:
                    body, expected = requests[i % len(requests)]
                    i += 1
                    started = time.perf_counter()
                    try:
                        r = http.post("/api/chat", json=body)
                        ok = r.status_code == expected and ("error" in r.json()) == (expected != 200)
                        problem = None if ok else f"/api/chat {r.status_code} (wanted {expected}): {r.text[:120]}"
                    except (httpx.HTTPError, ValueError) as exc:
                        problem = f"/api/chat {type(exc).__name__}: {exc}"
                    if expected != 200:
                        with lock:
                            bad_sent += 1
                    record(started, problem)

        def gradio_client(k: int) -> None:
            chat = Client(url + "/", verbose=False)
            i = k * 11
            while time.monotonic() < stop:
                question = questions[i % len(questions)]
                i += 1
                started = time.perf_counter()
                try:
                    answer = chat.predict(question, api_name="/chat")
                    content = answer[0]["content"] if isinstance(answer, (list, tuple)) else answer["content"]
                    problem = None if content and "Sorry" not in content else f"gradio chat: {str(content)[:120]}"
                except Exception as exc:  # any client-side failure counts as an error
                    problem = f"gradio chat {type(exc).__name__}: {str(exc)[:120]}"
                record(started, problem)

        threads = [
            threading.Thread(target=gradio_client if k < min(GRADIO_CLIENTS, clients // 5) else api_client, args=(k,))
            for k in range(clients)
        ]
        began = time.monotonic()
        for t in threads:
            t.start()
        samples: list[tuple[float, float]] = []
        while any(t.is_alive() for t in threads):
            samples.append((time.monotonic() - began, rss_mb(server.pid)))
            time.sleep(1.0)
        for t in threads:
            t.join()
        samples.append((time.monotonic() - began, rss_mb(server.pid)))

    after = [(t, m) for t, m in samples if t >= warmup] or samples[-2:]
    warm = after[0][1]
    end = samples[-1][1]
    return SoakResult(
        clients=clients,
        seconds=seconds,
        requests=len(times),
        errors=len(errors),
        bad_requests=bad_sent,
        p50_ms=round(percentile(times, 50), 1),
        p95_ms=round(percentile(times, 95), 1),
        rps=round(len(times) / seconds, 1),
        rss_warm_mb=round(warm, 1),
        rss_end_mb=round(end, 1),
        rss_peak_mb=round(max(m for _, m in samples), 1),
        growth_mb=round(end - warm, 1),
        slope_mb_per_min=round(_slope(after) * 60, 2),
        error_examples=tuple(dict.fromkeys(errors))[:5],
    )


def _slope(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(t for t, _ in points) / n
    my = sum(m for _, m in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return sum((t - mx) * (m - my) for t, m in points) / var if var else 0.0


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m tools.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    quiet_runtime()
    with tempfile.TemporaryDirectory(prefix="advisor-soak-") as tmp:
        settings = Settings(corpus=ROOT / "corpus", data=Path(tmp) / "data")
        result = soak(settings, args.clients, args.seconds)
    if args.json:
        print(json.dumps(asdict(result), indent=2))
    else:
        r = result
        print(f"soak: {r.clients} clients for {r.seconds:.0f} s on loopback")
        print(f"  requests {r.requests} ({r.bad_requests} deliberately bad), errors {r.errors}")
        print(f"  latency p50 {r.p50_ms} ms, p95 {r.p95_ms} ms; {r.rps} requests/s")
        print(
            f"  server memory: {r.rss_warm_mb} MB after the warm-up, {r.rss_end_mb} MB at the end "
            f"(growth {r.growth_mb:+} MB, slope {r.slope_mb_per_min:+} MB/min), peak {r.rss_peak_mb} MB"
        )
        for example in r.error_examples:
            print(f"  error: {example}")
    return 0 if result.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
