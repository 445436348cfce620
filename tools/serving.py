"""A real `python app.py` on a free loopback port, for the tests, the soak test and the benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from advisor.config import Settings

ROOT = Path(__file__).resolve().parents[1]  # the repository: app.py lives here


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(env: dict[str, str], ready_url: str, timeout: float = 240, capture: bool = True) -> subprocess.Popen[str]:
    """`python app.py` with ``env``, returned once ``ready_url`` answers 200.

    Raises :class:`RuntimeError` with the app's output (when ``capture``) if it exits or does not
    answer within ``timeout`` seconds; the process is killed then.
    """
    import httpx

    output = subprocess.PIPE if capture else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            said = proc.stdout.read() if capture and proc.stdout else ""
            raise RuntimeError(f"the app did not start: {said}")
        time.sleep(0.5)


def stop(proc: subprocess.Popen[str]) -> None:
    """Terminate the app, killing it if it has not ended within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def served_app(settings: Settings, **env_extra: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`python app.py` over ``settings``' corpus and data on a free loopback port, once it answers."""
    port = free_port()
    env = {
        **os.environ,
        "ADVISOR_CORPUS": str(settings.corpus),
        "ADVISOR_DATA": str(settings.data),
        "ADVISOR_PORT": str(port),
        "ADVISOR_RATE_LIMIT": "0",  # the clients share one loopback address
        **env_extra,
    }
    url = f"http://127.0.0.1:{port}"
    server = start_app(env, url + "/healthz", capture=False)
    try:
        yield url, server
    finally:
        stop(server)
