"""The program office's side in process: ids, feedback, the log, redaction, retention, export, console API.

A real app (FastAPI TestClient over the real chain) and a real SQLite database in a temp dir.
"""

from __future__ import annotations

import csv as csv_module
import io
import json
import logging
from dataclasses import replace
from datetime import timedelta

import pytest

from advisor.config import Settings
from advisor.errors import InputError

TOKEN = "office-secret-token-123"
CONTACT = "mailto:advising@example.edu"
ANSWERED = "What does an AI engineer do?"
REFUSED = "What's the weather in Paris? Write to jane.doe@example.com or call (202) 555-0143."


@pytest.fixture(scope="module")
def office_settings(index_settings, tmp_path_factory):
    return replace(
        index_settings,
        rate_limit=0,
        admin_token=TOKEN,
        contact=CONTACT,
        db_url=f"sqlite:///{tmp_path_factory.mktemp('office') / 'log.db'}",
    )


@pytest.fixture(scope="module")
def app(advisor, office_settings):
    from fastapi.testclient import TestClient

    from advisor.office.office import Office
    from advisor.serve.web import create_app

    office = Office(office_settings).start()
    with TestClient(create_app(office_settings, advisor, office)) as c:
        yield c, office
    office.close()


def test_redaction_of_addresses_and_phone_numbers():
    from advisor.office.privacy import redact

    assert redact("mail jane.doe+x@uni.example.edu now") == "mail [email] now"
    for phone in ("(202) 555-0143", "+44 20 7946 0958", "202.555.0143", "06 12 34 56 78"):
        assert redact(f"call {phone} please") == "call [phone] please", phone
    kept = "In 2023 the median pay was $120,360 and 1,000 hours of practice help."
    assert redact(kept) == kept


def test_settings_for_the_office():
    s = Settings.from_env(
        {
            "ADVISOR_DB_URL": "postgresql+psycopg://u@127.0.0.1:5/x",
            "ADVISOR_RETENTION_DAYS": "30",
            "ADVISOR_STORE_CONVERSATIONS": "false",
            "ADVISOR_ADMIN_TOKEN": "t",
            "ADVISOR_CONTACT": "advising@example.edu",
        }
    )
    assert (s.db_url, s.retention_days, s.store_conversations, s.admin_token) == (
        "postgresql+psycopg://u@127.0.0.1:5/x",
        30,
        False,
        "t",
    )
    assert s.contact == "mailto:advising@example.edu" and "daily count" in s.privacy_note
    assert Settings().database_url.startswith("sqlite:///") and Settings().database_url.endswith("office.db")
    assert "90 days" in Settings().privacy_note
    for bad in (
        {"ADVISOR_STORE_CONVERSATIONS": "maybe"},
        {"ADVISOR_CONTACT": "javascript:alert(1)"},
        {"ADVISOR_RETENTION_DAYS": "-1"},
        {"ADVISOR_DB_URL": "not a url"},
    ):
        with pytest.raises(InputError):
            Settings.from_env(bad)


def test_database_urls():
    from advisor.office.db import build_engine

    assert build_engine("postgresql://u@127.0.0.1:1/x").dialect.driver == "psycopg"  # the installed driver
    with pytest.raises(InputError, match="cannot use 'nosuchdb'"):
        build_engine("nosuchdb://x")


def test_site_contact_and_privacy_from_advisor_toml(tmp_path):
    toml = tmp_path / "advisor.toml"
    toml.write_text('[site]\ncontact = "https://example.edu/advising"\nprivacy = "We keep questions for a term."\n')
    s = Settings.from_env({"ADVISOR_CONFIG": str(toml)})
    assert s.contact == "https://example.edu/advising" and s.privacy_note == "We keep questions for a term."
    assert Settings.from_env({"ADVISOR_CONFIG": str(toml), "ADVISOR_CONTACT": "https://x.example/"}).contact == (
        "https://x.example/"
    )


def test_answers_have_ids_and_feedback_is_recorded(app):
    client, office = app
    answered = client.post("/api/chat", json={"message": ANSWERED}).json()
    refused = client.post("/api/chat", json={"message": REFUSED}).json()
    assert len(answered["id"]) == 32 and answered["id"] != refused["id"]
    assert refused["refused"] and refused["answer"].endswith("Ask the program office: advising@example.edu")
    assert client.post("/api/feedback", json={"id": answered["id"], "rating": "up"}).status_code == 204
    r = client.post(
        "/api/feedback",
        json={"id": refused["id"], "rating": "down", "reason": "incomplete", "comment": "Reach me at 202-555-0143"},
    )
    assert r.status_code == 204 and r.content == b""
    assert client.post("/api/feedback", json={"id": "f" * 32, "rating": "up"}).status_code == 404
    office.writer.flush()
    rows = {r.id: r for r in office.recent()}
    assert rows[answered["id"]].rating == "up" and rows[answered["id"]].score > 0.3
    down = rows[refused["id"]]
    assert (down.rating, down.reason, down.comment) == ("down", "incomplete", "Reach me at [phone]")
    assert "[email]" in down.question and "[phone]" in down.question and "jane.doe" not in down.question
    assert down.client != "testclient" and len(down.client) == 24  # a salted hash, never the address


def test_small_talk_gets_the_contact_only_when_it_asks_for_a_person_and_stays_out_of_the_gap_inbox(app):
    client, office = app
    thanks = client.post("/api/chat", json={"message": "thanks!"}).json()
    person = client.post("/api/chat", json={"message": "can i talk to someone?"}).json()
    assert thanks["refused"] and "Ask the program office" not in thanks["answer"]
    assert person["refused"] and person["answer"].endswith("Ask the program office: advising@example.edu")
    office.writer.flush()
    logged = {r.question: r for r in office.recent()}
    assert {"thanks!", "can i talk to someone?"} <= set(logged)  # the log keeps what was said
    assert not logged["thanks!"].refused  # not counted among the questions the guides could not answer
    gaps = {q for g in office.gaps(1) for q in g.examples}
    assert "thanks!" not in gaps and "can i talk to someone?" not in gaps


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"rating": "up"}, "id"),
        ({"id": "x", "rating": "meh"}, "rating"),
        ({"id": "x", "rating": "down", "reason": "boring"}, "reason"),
        ({"id": "x", "rating": "down", "comment": "x" * 1001}, "under 1,000 characters"),
        ({"id": "x", "rating": "up", "extra": 1}, "extra"),
    ],
)
def test_malformed_feedback_is_a_422_with_an_error(app, body, words):
    r = app[0].post("/api/feedback", json=body)
    assert r.status_code == 422 and words in r.json()["error"]


def test_feedback_shares_the_per_client_budget(advisor, office_settings, tmp_path):
    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    settings = replace(office_settings, rate_limit=2, db_url=f"sqlite:///{tmp_path / 'log.db'}")
    with TestClient(create_app(settings, advisor)) as c:
        answer = c.post("/api/chat", json={"message": ANSWERED}).json()
        assert c.post("/api/feedback", json={"id": answer["id"], "rating": "up"}).status_code == 204
        r = c.post("/api/feedback", json={"id": answer["id"], "rating": "down"})
        assert r.status_code == 429 and "please wait" in r.json()["error"]


def test_export_needs_the_token_and_has_one_row_per_answer(app):
    client, office = app
    client.post("/api/chat", json={"message": "Where are most AI jobs located?"})
    office.writer.flush()
    assert client.get("/api/admin/export").status_code == 401
    assert client.get("/api/admin/export", headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.get("/api/admin/export?format=jsonl", headers=auth)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert len(rows) == office.db.count() >= 3
    design = "id time question answer refused sources score latency_ms rating reason comment".split()
    columns = design  # DESIGN.md's columns, exactly, in its order
    assert list(rows[0]) == columns
    assert not any("jane.doe" in json.dumps(row) or "555-0143" in json.dumps(row) for row in rows)
    csv = client.get("/api/admin/export?format=csv", headers=auth)
    assert csv.status_code == 200 and csv.text.splitlines()[0] == ",".join(columns)
    parsed = list(csv_module.DictReader(io.StringIO(csv.text)))
    assert [r["id"] for r in parsed] == [r["id"] for r in rows] and parsed[0]["question"] == rows[0]["question"]
    assert client.get("/api/admin/export?since=2999-01-01", headers=auth).text == ""
    bad = client.get("/api/admin/export?format=xml", headers=auth)
    assert bad.status_code == 422 and "jsonl or csv" in bad.json()["error"]
    assert client.get("/api/admin/export?since=yesterday", headers=auth).status_code == 422


def test_no_token_no_console_and_no_export(advisor, index_settings, tmp_path):
    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    settings = replace(index_settings, rate_limit=0, db_url=f"sqlite:///{tmp_path / 'log.db'}")
    with TestClient(create_app(settings, advisor)) as c:
        for path in ("/admin", "/admin/api/data", "/admin/plotly.min.js", "/api/admin/export", "/contact"):
            assert c.get(path).status_code == 404, path
        assert c.post("/admin/login", data={"token": "x"}).status_code == 404
        assert "Ask the program office" not in c.post("/api/chat", json={"message": REFUSED}).json()["answer"]


def test_console_login_session_and_data(app):
    client, office = app
    assert client.get("/admin/api/data").status_code == 401
    page = client.get("/admin")
    assert page.status_code == 200 and 'name="token"' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    wrong = client.post("/admin/login", data={"token": "nope"}, follow_redirects=False)
    assert wrong.status_code == 303 and "error=token" in wrong.headers["location"] and "set-cookie" not in wrong.headers
    ok = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    cookie = ok.headers["set-cookie"].lower()
    assert ok.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie
    assert "/admin/console.js" in client.get("/admin").text
    for bad in ("0", "x", "9999"):
        assert "give a number from 1 to 366" in client.get(f"/admin/api/data?days={bad}").json()["error"]
    data = client.get("/admin/api/data?days=7").json()
    totals = data["summary"]["totals"]
    assert totals["questions"] >= 3 and totals["refused"] >= 1 and totals["up"] >= 1 and totals["down"] >= 1
    assert data["summary"]["top_sources"][0]["source"].startswith("corpus/")
    gap = next(g for g in data["gaps"] if "weather" in g["examples"][0])
    assert gap["refused"] >= 1 and gap["answer"].startswith("The career guide does not cover")
    assert client.get("/admin/plotly.min.js").status_code == 200
    csv = client.get("/admin/export?format=csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    # Marking a group takes it out of the inbox; a cross-site form (no console header) cannot.
    assert client.post("/admin/api/gaps", json={"ids": gap["ids"], "status": "resolved"}).status_code == 401
    mark = {"ids": gap["ids"], "status": "resolved"}
    r = client.post("/admin/api/gaps", json=mark, headers={"x-advisor-console": "1"})
    assert r.json() == {"marked": len(gap["ids"])}
    assert not any("weather" in g["examples"][0] for g in client.get("/admin/api/data?days=7").json()["gaps"])
    client.post("/admin/logout")
    client.cookies.clear()
    assert client.get("/admin/api/data").status_code == 401


def test_console_login_is_rate_limited(advisor, office_settings, tmp_path):
    from fastapi.testclient import TestClient

    from advisor.serve.web import create_app

    with TestClient(create_app(replace(office_settings, db_url=f"sqlite:///{tmp_path / 'l.db'}"), advisor)) as c:
        codes = [c.post("/admin/login", data={"token": "guess"}, follow_redirects=False) for _ in range(6)]
        assert "error=wait" in codes[-1].headers["location"]
        right = c.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
        assert "error=wait" in right.headers["location"]  # even the right token waits its turn


def test_contact_link_counts_clicks(app):
    client, office = app
    before = office.summary(1).totals()["contact_clicks"]
    r = client.get("/contact", follow_redirects=False)
    assert r.status_code == 200 and f'<a href="{CONTACT}">advising@example.edu</a>' in r.text
    office.writer.flush()
    assert office.summary(1).totals()["contact_clicks"] == before + 1


def test_retention_purges_old_answers_at_start(tmp_path):
    from advisor.office.db import LogDB, now
    from advisor.office.office import Office
    from advisor.office.records import Asked

    settings = Settings(data=tmp_path, retention_days=30)
    db = LogDB(settings.database_url)

    def asked(n: int, days_ago: int) -> Asked:
        return Asked(f"a{n}", now() - timedelta(days=days_ago), "q", "a", False, (), 0.5, 1.0, "x", "c", "1.2.3.4")

    db.write([asked(1, 40), asked(2, 31), asked(3, 29), asked(4, 0)], keep_conversations=True)
    assert db.count() == 4
    office = Office(settings, db=db).start()
    office.writer.flush()
    office.close()
    assert sorted(r.id for r in LogDB(settings.database_url).answers()) == ["a3", "a4"]
    assert office.writer.purged == 2


def test_counts_only_when_conversations_are_not_stored(advisor, index_settings, tmp_path):
    from fastapi.testclient import TestClient

    from advisor.office.office import Office
    from advisor.serve.web import create_app

    settings = replace(
        index_settings, rate_limit=0, store_conversations=False, admin_token=TOKEN, db_url=f"sqlite:///{tmp_path}/x.db"
    )
    office = Office(settings).start()
    with TestClient(create_app(settings, advisor, office)) as c:
        answer = c.post("/api/chat", json={"message": ANSWERED}).json()
        assert c.post("/api/feedback", json={"id": answer["id"], "rating": "down"}).status_code == 204
        office.writer.flush()
        assert office.db.count() == 0
        assert office.summary(1).totals() == {
            "questions": 1, "refused": 0, "up": 0, "down": 1, "contact_clicks": 0, "answered": 1,
        }  # fmt: skip
        assert c.get("/api/admin/export", headers={"Authorization": f"Bearer {TOKEN}"}).text == ""
        assert "Only a daily count" in c.get("/embed").text
    office.close()


def test_a_database_that_is_down_costs_log_entries_not_answers(advisor, index_settings, caplog):
    from fastapi.testclient import TestClient

    from advisor.office.office import Office
    from advisor.serve.web import create_app
    from tools.serving import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing"  # nothing listens there
    settings = replace(index_settings, rate_limit=0, db_url=url, admin_token=TOKEN)
    office = Office(settings).start()
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings, advisor, office)) as c:
        for _ in range(3):
            r = c.post("/api/chat", json={"message": ANSWERED})
            assert r.status_code == 200 and r.json()["citations"]
        assert c.post("/api/feedback", json={"id": r.json()["id"], "rating": "up"}).status_code == 204
        office.writer.flush()
        c.post("/admin/login", data={"token": TOKEN})
        r = c.get("/admin/api/data")
        assert r.status_code == 503 and "cannot be read" in r.json()["error"]  # the office is told, plainly
    office.close()
    warnings = [m for m in caplog.messages if "the database is unavailable" in m]
    assert len(warnings) == 1 and office.writer.written == 0  # one warning per outage, not one per answer


def test_gap_groups_gather_questions_by_meaning(embeddings):
    from advisor.office.db import now
    from advisor.office.gaps import group
    from advisor.office.records import LoggedAnswer

    questions = [
        "How much is tuition?",
        "what is the tuition fee",
        "How much does the program cost?",
        "Can I study part-time?",
        "Is there a part time option?",
        "Where do I park on campus?",
    ]
    rows = [
        LoggedAnswer(f"id{n}", now(), q, "not covered", True, (), 0.1, 1.0, "x", "c", "h", None, None, None)
        for n, q in enumerate(questions)
    ]
    groups = group(rows, embeddings)
    assert [g.count for g in groups] == [3, 2, 1]
    assert set(groups[0].examples) == set(questions[:3]) and set(groups[1].examples) == set(questions[3:5])
    assert [g.count for g in group(list(reversed(rows)), embeddings)] == [3, 2, 1]  # deterministic


def test_advisor_report_prints_the_summary_and_gap_groups(tmp_path):
    import os
    import subprocess
    import sys

    from advisor.office.db import LogDB, now
    from advisor.office.records import Asked, Feedback
    from tools.serving import ROOT

    db = LogDB(f"sqlite:///{tmp_path / 'data' / 'office.db'}")

    def asked(n: int, question: str, refused: bool, score: float) -> Asked:
        sources = () if refused else ("corpus/guide.md",)
        return Asked(f"r{n}", now(), question, "the answer", refused, sources, score, 9.0, "extractive", "c", "ip")

    db.write(
        [
            asked(1, "How much is tuition?", True, 0.1),
            asked(2, "What does the program cost?", True, 0.1),
            asked(3, "What do AI engineers earn?", False, 0.7),
            asked(4, "Can I study part-time?", False, 0.2),  # answered, with weak evidence
            Feedback("r3", "down", "wrong", "\x1b[31mred\x1b[0m"),
        ],
        keep_conversations=True,
    )
    db.dispose()
    env = {**os.environ, "ADVISOR_DATA": str(tmp_path / "data")}

    def report(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "advisor", "report", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    text = report("--days", "7")
    assert text.returncode == 0, text.stderr
    assert "4 questions, 2 answered, 2 refused; thumbs up 0, down 1" in text.stdout
    assert "Gap inbox: 3 groups" in text.stdout and "[2] " in text.stdout and "corpus/guide.md" in text.stdout
    data = json.loads(report("--json").stdout)
    assert data["summary"]["totals"]["questions"] == 4
    assert [g["count"] for g in data["gaps"]] == [2, 1, 1]
    low = next(g for g in data["gaps"] if g["examples"] == ["Can I study part-time?"])
    assert low["low_confidence"] == 1 and low["refused"] == 0
    bad = report("--days", "0")
    assert bad.returncode == 2 and "at least 1" in bad.stderr
    broken = subprocess.run(
        [sys.executable, "-m", "advisor", "report"],
        cwd=ROOT, env={**env, "ADVISOR_DB_URL": "postgresql+psycopg://x:secret@127.0.0.1:1/x"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert broken.returncode == 2 and "cannot be read" in broken.stderr and "secret" not in broken.stderr
    assert "Traceback" not in broken.stderr


def test_the_purge_runs_again_after_its_period(tmp_path, monkeypatch):
    """Retention is applied at start and then every PURGE_EVERY seconds (a day; shortened here)."""
    import time

    from advisor.office import writer as writer_module
    from advisor.office.db import LogDB, now
    from advisor.office.records import Asked

    monkeypatch.setattr(writer_module, "PURGE_EVERY", 0.3)
    db = LogDB(f"sqlite:///{tmp_path / 'log.db'}")
    log_writer = writer_module.LogWriter(db, retention_days=1, keep_conversations=True).start()
    log_writer.flush()
    old = Asked("old", now() - timedelta(days=2), "q", "a", False, (), 0.5, 1.0, "x", "c", "ip")
    db.write([old], keep_conversations=True)  # logged after the first purge, already past retention
    deadline = time.monotonic() + 30
    while db.count() and time.monotonic() < deadline:
        time.sleep(0.1)
    log_writer.close()
    assert db.count() == 0 and log_writer.purged == 1


def test_advisor_ask_offers_the_office_in_a_refusal(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import CORPUS

    from tools.serving import ROOT

    env = {**os.environ, "ADVISOR_CORPUS": str(CORPUS), "ADVISOR_DATA": str(tmp_path), "ADVISOR_CONTACT": CONTACT}
    out = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "--json", "What's the weather in Paris?"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    ask = json.loads(out.stdout)
    assert ask["refused"] and ask["answer"].endswith("Ask the program office: advising@example.edu")
    assert list(ask)[0] == "id" and len(ask["id"]) == 32
