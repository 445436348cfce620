"""The `advisor` command as a user runs it: real process, real model, real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from advisor.config import Settings
from advisor.ingest import generations


def run(
    args: list[str], env_extra: dict[str, str], cwd: Path = ROOT, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def current_db(env: dict[str, str]) -> Path:
    """The Chroma database file of the index generation ``env``'s data dir answers from."""
    gen = generations.current(Settings(data=Path(env["ADVISOR_DATA"])))
    assert gen is not None
    return gen.chroma / "chroma.sqlite3"


@pytest.fixture
def env(tmp_path, corpus_copy) -> dict[str, str]:
    return {"ADVISOR_CORPUS": str(corpus_copy), "ADVISOR_DATA": str(tmp_path / "data")}


def test_ingest_json_contract_then_search(env):
    first = run(["ingest", "--json"], env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "files": 1,
        "passages": 19,
        "added": 1,
        "updated": 0,
        "removed": 0,
        "unchanged": 0,
    }
    found = run(["search", "Which certifications help an AI engineer?", "-k", "2", "--json"], env)
    assert found.returncode == 0, found.stderr
    out = json.loads(found.stdout)
    assert out["covered"] is True and len(out["results"]) == 2
    top = out["results"][0]
    assert "IBM AI Engineering Professional Certificate" in top["text"]
    assert set(top) >= {"source", "section", "text", "score"} and top["source"].endswith(".md")
    human = run(["search", "Where are the jobs?"], env)
    assert "1. [" in human.stdout and "Career Outlook" in human.stdout


def test_search_builds_a_missing_index_with_a_message(env):
    result = run(["search", "What does an AI engineer do?", "--json"], env)
    assert result.returncode == 0, result.stderr
    assert "building the index" in result.stderr
    assert json.loads(result.stdout)["results"]


@pytest.mark.parametrize(
    ("args", "extra", "message"),
    [
        (["search", "   "], {}, "the question is empty"),
        (["search", "x" * 3000], {}, "3,000 characters"),
        (["ingest"], {"ADVISOR_CORPUS": "/nonexistent/guides"}, "does not exist"),
        (["ingest"], {"ADVISOR_CHROMA_URL": "http://127.0.0.1:9"}, "cannot reach the Chroma server"),
        (["eval", "--questions", "/nonexistent.jsonl"], {}, "cannot read the evaluation file"),
    ],
)
def test_errors_are_one_line_without_traceback(env, args, extra, message):
    result = run(args, {**env, **extra}, timeout=120)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_corrupted_store_is_set_aside_by_rebuild(env):
    assert run(["ingest"], env).returncode == 0
    db = current_db(env)
    db.write_bytes(b"garbage" * 1000)
    broken = run(["search", "salary"], env)
    assert broken.returncode == 2 and "advisor ingest --rebuild" in broken.stderr
    repaired = run(["ingest", "--rebuild", "--json"], env)
    assert repaired.returncode == 0, repaired.stderr
    assert json.loads(repaired.stdout)["passages"] == 19
    assert list((Path(env["ADVISOR_DATA"])).glob("chroma.broken-*"))  # kept, not deleted


def test_ask_json_contract_with_history(env, tmp_path):
    assert run(["ingest"], env).returncode == 0
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "What does an AI engineer do?"}]))
    result = run(["ask", "What certifications should they get?", "--history", str(history), "--json"], env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == ["id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"]
    assert out["refused"] is False and "[1]" in out["answer"]
    assert "IBM AI Engineering Professional Certificate" in out["citations"][0]["text"]
    human = run(["ask", "What's the weather in Paris?"], env)
    assert human.returncode == 0 and "does not cover" in human.stdout


def test_ask_rejects_a_broken_history_file(env, tmp_path):
    bad = tmp_path / "history.json"
    bad.write_text('{"role": "user"}')
    result = run(["ask", "What do they earn?", "--history", str(bad)], env)
    assert result.returncode == 2 and "must be a JSON list" in result.stderr and "Traceback" not in result.stderr


def test_eval_json_answers_every_line(env, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {"id": "x1", "question": "Where are most AI jobs located?", "passage": "varies by geographic location"}
        )
        + "\n"
        + json.dumps({"id": "x2", "kind": "out_of_scope", "question": "Tell me a joke."})
        + "\n"
    )
    result = run(["eval", "--questions", str(questions), "--json", "--report", str(tmp_path / "report")], env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report" / "summary.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "report" / "summary.json").read_text())["summary"]["cited_right"] == 1.0
    out = json.loads(result.stdout)
    first, second = out["results"]
    assert first["id"] == "x1" and first["passage"] == "varies by geographic location" and "citations" in first
    assert second["refused"] is True
    assert out["summary"]["cited_right"] == 1.0 and out["summary"]["refused_out_of_scope"] == 1.0


def test_backup_and_restore(env, tmp_path):
    assert run(["ingest"], env).returncode == 0
    archive = tmp_path / "backups" / "advisor.tar.gz"
    made = run(["backup", str(archive)], env)
    assert made.returncode == 0, made.stderr
    assert archive.exists() and not archive.with_name(archive.name + ".partial").exists()
    db = current_db(env)
    db.write_bytes(b"garbage" * 1000)  # the index is lost
    assert run(["search", "salary"], env).returncode == 2
    back = run(["restore", str(archive)], env)
    assert back.returncode == 0, back.stderr
    assert "previous index is in" in back.stdout
    assert list(Path(env["ADVISOR_DATA"]).glob("chroma.before-restore-*"))  # kept, not deleted
    found = run(["search", "Where are most AI jobs located?", "--json"], env)
    assert found.returncode == 0 and "Bay Area" in json.loads(found.stdout)["results"][0]["text"]
    not_a_backup = tmp_path / "x.tar.gz"
    not_a_backup.write_bytes(b"nope")
    bad = run(["restore", str(not_a_backup)], env)
    assert bad.returncode == 2 and "cannot read the backup" in bad.stderr and "Traceback" not in bad.stderr
