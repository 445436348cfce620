"""The conversation log on a real PostgreSQL server that the test starts (Debian's package, a free port).

A real app (`python app.py`) logs to it through ADVISOR_DB_URL; the server is stopped mid-run
(answers go on, a warning is logged) and started again (logging resumes); `advisor report` reads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from conftest import CORPUS, ROOT

from advisor.config import Settings
from tools.postgres import pg_bin, postgres_server
from tools.serving import served_app

pytestmark = pytest.mark.postgres
TOKEN = "pg-office-token"


def _need_postgres() -> None:
    if pg_bin() is None:
        reason = "PostgreSQL tests need Debian's postgresql package: apt-get install postgresql (CI installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail(reason)
        pytest.skip(reason)


def _export(url: str) -> list[dict]:
    r = httpx.get(f"{url}/api/admin/export?format=jsonl", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines()]


def _logged(url: str, ids: set[str], rated: str | None = None, within: float = 60) -> list[dict]:
    """The export once it holds every id in ``ids`` (and a rating on ``rated``): the writer works
    in the background."""
    deadline = time.monotonic() + within
    while True:
        rows = _export(url)
        done = ids <= {r["id"] for r in rows} and (rated is None or any(r["id"] == rated and r["rating"] for r in rows))
        if done or time.monotonic() > deadline:
            return rows
        time.sleep(0.3)


def _ask(url: str, question: str) -> dict:
    r = httpx.post(f"{url}/api/chat", json={"message": question}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_log_on_postgresql_survives_the_server_going_away(tmp_path):
    _need_postgres()
    settings = Settings(corpus=CORPUS, data=tmp_path / "data")
    with postgres_server() as pg, served_app(settings, ADVISOR_DB_URL=pg.url, ADVISOR_ADMIN_TOKEN=TOKEN) as (url, _):
        answered = _ask(url, "What does an AI engineer do?")
        refused = _ask(url, "How much is tuition? Email me at sam@example.org")
        feedback = {"id": refused["id"], "rating": "down", "reason": "wrong", "comment": "call 202-555-0143"}
        assert httpx.post(f"{url}/api/feedback", json=feedback, timeout=30).status_code == 204
        rows = {r["id"]: r for r in _logged(url, {answered["id"], refused["id"]}, rated=refused["id"])}
        assert rows[answered["id"]]["refused"] is False and rows[answered["id"]]["sources"]
        assert rows[refused["id"]]["question"] == "How much is tuition? Email me at [email]"
        assert rows[refused["id"]]["comment"] == "call [phone]"

        pg.stop()  # the database goes away mid-run
        during = [_ask(url, "Where are most AI jobs located?") for _ in range(3)]
        assert all(a["citations"] for a in during)
        r = httpx.post(f"{url}/api/feedback", json={"id": during[0]["id"], "rating": "up"}, timeout=30)
        assert r.status_code == 204  # an id this process gave out is known without the database
        r = httpx.get(f"{url}/api/admin/export", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert r.status_code == 503 and "cannot be read" in r.json()["error"]

        pg.start()  # back: logging resumes
        after = _ask(url, "What certifications help an AI engineer?")
        rows = {r["id"]: r for r in _logged(url, {after["id"]})}
        assert after["id"] in rows and rows[refused["id"]]["comment"] == "call [phone]"

        env = {**os.environ, "ADVISOR_DB_URL": pg.url, "ADVISOR_DATA": str(tmp_path / "data")}
        out = subprocess.run(
            [sys.executable, "-m", "advisor", "report", "--json", "--days", "7"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert report["summary"]["totals"]["questions"] >= 3 and report["summary"]["totals"]["down"] == 1
        assert any("tuition" in g["examples"][0] for g in report["gaps"])
