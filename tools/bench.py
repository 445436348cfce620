"""Benchmarks (``make bench``): figures and ratios, never pass/fail.

- the LangChain tutorial recipe (recursive 1,000/200 splits, Chroma similarity top 4) and
  advisor on the same questions: hit@1, characters of context handed to the answerer, latency;
- cold start (process start to first answer) against importing the model stack;
- warm retrieval and answer latency (p50/p95) over the evaluation questions;
- the bundled local chat model: load time, tokens per second, answer latency;
- load: concurrent clients on ``/api/chat`` of a real server on loopback;
- the conversation log: warm answer latency with logging on (an answer recorded to SQLite by the
  background writer, as the web app does) and off;
- ingest throughput (passages/s, fresh store) beside raw ``SentenceTransformer.encode``
  throughput on the very same texts, and their ratio (target ≥ 0.8).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from advisor.config import Settings, quiet_runtime
from advisor.quality.evaluate import load_questions, percentile
from tools.serving import ROOT, served_app


def synthetic_corpus(target: Path, source: Path, files: int, seed: int = 7) -> None:
    """``files`` Markdown guides made by reshuffling the real guide's sentences per paragraph."""
    from advisor.ingest.parse import parse_markdown
    from advisor.text import sentences

    title, blocks = parse_markdown(source.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        out = [f"# {title} ({n + 1})", ""]
        section = None
        for block in blocks:
            if block.section != section:
                section = block.section
                out += [f"## {section}", ""]
            parts = sentences(block.text)
            rng.shuffle(parts)
            out += [" ".join(p.strip() for p in parts) + f" (Edition {n + 1}.)", ""]
        (target / f"guide-{n:03d}.md").write_text("\n".join(out), encoding="utf-8")


def bench_retrieval(
    settings: Settings, rounds: int, questions: Path = ROOT / "eval" / "questions.jsonl"
) -> dict[str, dict[str, float]]:
    """Warm latency of the hybrid search alone and of the whole answering chain, on labelled questions."""
    from advisor.answer.chain import Advisor
    from advisor.answer.retrieve import HybridSearch
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ensure_index

    store = open_store(settings)
    ensure_index(store, notify=lambda m: None)
    search = HybridSearch(store)
    advisor = Advisor(search)
    items = load_questions(questions)
    for item in items:  # warm-up: every cache a running server would have filled
        advisor.ask(item["question"], item.get("history") or [])
    search_ms, answer_ms = [], []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            search.search(item["question"])
            search_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            advisor.ask(item["question"], item.get("history") or [])
            answer_ms.append((time.perf_counter() - started) * 1000)
    return {
        name: {"n": len(times), "p50": percentile(times, 50), "p95": percentile(times, 95)}
        for name, times in (("search", search_ms), ("answer", answer_ms))
    }


def bench_logging(
    settings: Settings, rounds: int, questions: Path = ROOT / "eval" / "questions.jsonl"
) -> dict[str, dict[str, float]]:
    """Warm answer latency as the web app gives it, with the conversation log on and off.

    "on" is what /api/chat does per question: answer, add the handoff, queue the record for the
    background writer (SQLite under ``settings.data``); "off" answers alone. The two alternate
    question by question, so a slow moment of the machine hits both.
    """
    from advisor.answer.chain import Advisor
    from advisor.answer.retrieve import HybridSearch
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ensure_index
    from advisor.office.office import Office, handoff

    store = open_store(settings)
    ensure_index(store, notify=lambda m: None)
    advisor = Advisor(HybridSearch(store))
    office = Office(settings).start()
    items = load_questions(questions)
    for item in items:
        advisor.ask(item["question"], item.get("history") or [])
    on_ms: list[float] = []
    off_ms: list[float] = []

    def off(question: str, history: list) -> None:  # type: ignore[type-arg]
        started = time.perf_counter()
        advisor.ask(question, history)
        off_ms.append((time.perf_counter() - started) * 1000)

    def on(question: str, history: list) -> None:  # type: ignore[type-arg]
        started = time.perf_counter()
        answer = handoff(advisor.ask(question, history), "mailto:office@example.edu")
        office.record(answer, address="127.0.0.1", conversation="bench")
        on_ms.append((time.perf_counter() - started) * 1000)

    for r in range(rounds):
        for n, item in enumerate(items):
            first, second = (on, off) if (n + r) % 2 else (off, on)  # neither always goes second
            first(item["question"], item.get("history") or [])
            second(item["question"], item.get("history") or [])
    drained = office.writer.flush(120)
    written = office.db.count()
    office.close()
    out = {
        name: {"n": len(times), "p50": percentile(times, 50), "p95": percentile(times, 95)}
        for name, times in (("on", on_ms), ("off", off_ms))
    }
    out["log"] = {"written": float(written), "drained": float(drained), "dropped": float(office.writer.dropped)}
    return out


def print_logging(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lg = bench_logging(Settings(corpus=ROOT / "corpus", data=Path(tmp)), rounds)
    on, off, w = lg["on"], lg["off"], lg["log"]
    print(
        f"conversation log (SQLite, background writer), warm answer over {on['n']:.0f} questions: "
        f"logging on p50 {on['p50']:.1f} ms, p95 {on['p95']:.1f} ms; off p50 {off['p50']:.1f} ms, "
        f"p95 {off['p95']:.1f} ms; on/off p50 ratio {on['p50'] / off['p50']:.2f}; "
        f"{w['written']:.0f} rows written, {w['dropped']:.0f} dropped"
    )


def bench_local(settings: Settings, questions: int) -> dict[str, float]:
    """The bundled local chat model through the whole chain: load time, tokens per second, latency."""
    from dataclasses import replace

    from advisor.answer.chain import Advisor
    from advisor.answer.llm import LocalChatModel, local_model_file
    from advisor.answer.retrieve import HybridSearch
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ensure_index

    store = open_store(settings)
    ensure_index(store, notify=lambda m: None)
    from langchain_core.callbacks import BaseCallbackHandler

    pieces: list[str] = []

    class Tokens(BaseCallbackHandler):
        """Collects the model's raw output as it streams (the student sees only its checked sentences)."""

        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            pieces.append(token)

    model = LocalChatModel(path=str(local_model_file()), callbacks=[Tokens()])
    model.load()
    advisor = Advisor(HybridSearch(store), replace(settings, llm="local", llm_timeout=120), chat_model=model)
    items = [i for i in load_questions(ROOT / "eval" / "questions.jsonl") if i.get("kind") == "answerable"]
    step = max(1, len(items) // questions)
    times, tokens, generating, fell_back = [], 0, 0.0, 0
    for item in items[::step][:questions]:
        pieces.clear()
        started = time.perf_counter()
        answer = advisor.ask(item["question"])
        took = time.perf_counter() - started
        times.append(took * 1000)
        tokens += len(model._tokenizer.encode("".join(pieces), add_special_tokens=False))
        generating += took
        fell_back += answer.fell_back
    return {
        "load_s": model.load_seconds,
        "tokens_per_s": tokens / generating if generating else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "n": len(times),
        "fell_back": fell_back,
    }


def _answerable(items: list[dict]) -> list[dict]:
    return [i for i in items if i.get("passage") and not i.get("history")]


def bench_recipe(settings: Settings) -> dict[str, dict[str, float]]:
    """The tutorial recipe and advisor's retrieval on the same questions, the same embedding model."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from advisor.answer.chain import open_advisor
    from advisor.ingest.parse import corpus_files
    from advisor.quality.evaluate import answer_rank

    advisor = open_advisor(settings, notify=lambda m: None)
    items = _answerable(load_questions(ROOT / "eval" / "questions.jsonl"))
    docs = [
        Document(page_content=f.read_text(encoding="utf-8"), metadata={"source": str(f)})
        for f in corpus_files(settings.corpus)
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    client = chromadb.PersistentClient(
        path=str(settings.data / "recipe"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    recipe = Chroma.from_documents(chunks, advisor.search.store.embeddings, client=client, collection_name="recipe")

    def run(search) -> dict[str, float]:  # type: ignore[no-untyped-def]
        for item in items[:5]:
            search(item["question"])  # warm-up
        hits, chars, times = 0, 0, []
        for item in items:
            started = time.perf_counter()
            texts = search(item["question"])
            times.append((time.perf_counter() - started) * 1000)
            hits += answer_rank(texts[:1], item["passage"]) == 1
            chars += sum(len(t) for t in texts)
        return {
            "hit_at_1": hits / len(items),
            "chars": chars / len(items),
            "p50": percentile(times, 50),
            "n": len(items),
        }

    return {
        "recipe": run(lambda q: [d.page_content for d in recipe.similarity_search(q, k=4)]),
        "advisor": run(lambda q: [h.passage.text for h in advisor.find(q, 4).hits]),
        "recipe_chunks": {"n": len(chunks)},
    }


def bench_query_embedding(rounds: int) -> dict[str, float]:
    """A question's embedding alone, by ONNX Runtime (what answers use) and by PyTorch, on the seed's questions."""
    from advisor.ingest.embed import QuickQueries, _load, model_path

    path = str(model_path(Settings().embedding_model))
    quick, slow = _load(path, True), _load(path, False)
    questions = [i["question"] for i in load_questions(ROOT / "eval" / "questions.jsonl")]
    out: dict[str, float] = {"onnx": float(isinstance(quick, QuickQueries))}
    for name, model in (("pytorch", slow), ("onnxruntime", quick)):
        out[name] = percentile(_timed(model.embed_query, questions, rounds, warm=10), 50)
    return out


def _timed(call: Any, questions: list[str], rounds: int, warm: int) -> list[float]:
    """Milliseconds of ``call`` on each question, ``rounds`` times over, after ``warm`` untimed calls."""
    for q in questions[:warm]:
        call(q)
    times = []
    for _ in range(rounds):
        for q in questions:
            started = time.perf_counter()
            call(q)
            times.append((time.perf_counter() - started) * 1000)
    return times


def bench_cold_start(settings: Settings, rounds: int = 3) -> dict[str, float]:
    """Seconds from process start to the first answer, against importing torch, sentence-transformers and chromadb."""
    import os
    import subprocess
    import sys

    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    ingest(open_store(settings))  # the index exists, as after `make run`
    env = {**os.environ, "ADVISOR_CORPUS": str(settings.corpus), "ADVISOR_DATA": str(settings.data)}

    def best(args: list[str]) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run(args, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return min(times)

    floor = best([sys.executable, "-c", "import torch, sentence_transformers, chromadb"])
    first = best([sys.executable, "-m", "advisor", "ask", "What does an AI engineer do?"])
    return {"floor_s": floor, "first_answer_s": first}


def bench_load(settings: Settings, clients: list[int], seconds: float) -> dict[int, dict[str, float]]:
    """Concurrent clients posting to /api/chat of a real `python app.py` on loopback, each for ``seconds``."""
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    ingest(open_store(settings))
    with served_app(settings) as (url, _):
        questions = [i["question"] for i in load_questions(ROOT / "eval" / "questions.jsonl") if not i.get("history")]
        return {n: _load_level(url, questions, n, seconds) for n in clients}


def _load_level(url: str, questions: list[str], clients: int, seconds: float) -> dict[str, float]:
    """``clients`` threads, each posting questions back to back until ``seconds`` have passed."""
    import threading

    import httpx

    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=url, timeout=30) as http:
            i = k
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    ok = http.post("/api/chat", json={"message": questions[i % len(questions)]}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    times.append((time.perf_counter() - started) * 1000)
                    errors += not ok
                i += clients

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "requests": len(times),
        "errors": errors,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "rps": len(times) / seconds,
    }


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def bench_scale_real(passages: int) -> dict[str, float]:
    """``passages`` generated passages of real-looking text through the whole ingest (the real model)."""
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    files = max(1, passages // 19)  # the guide makes 19 passages
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        synthetic_corpus(corpus, ROOT / "corpus" / "ml-engineer-vs-ai-engineer.md", files)
        settings = Settings(corpus=corpus, data=Path(tmp) / "data")
        store = open_store(settings)
        started = time.perf_counter()
        report = ingest(store)
        took = time.perf_counter() - started
    return {"passages": report.passages, "seconds": took, "pps": report.passages / took}


def bench_scale_synthetic(size: int, rounds: int = 2, seed: int = 7) -> dict[str, float]:
    """``size`` passages whose embeddings are synthesised (real passages' vectors plus noise, normalised)
    and written straight into Chroma; then the whole retrieval path (vector, BM25, fusion) is timed."""
    import numpy as np

    from advisor.answer.retrieve import HybridSearch
    from advisor.ingest import generations
    from advisor.ingest.embed import build_embeddings
    from advisor.ingest.store import build_store
    from advisor.text import sentences

    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(corpus=ROOT / "corpus", data=Path(tmp))
        store = build_store(settings, generations.begin(settings), build_embeddings(settings))  # written directly
        real = [
            s
            for p in (ROOT / "corpus" / "ml-engineer-vs-ai-engineer.md").read_text().split("\n\n")
            for s in sentences(p)
        ]
        real = [s.strip() for s in real if len(s) > 40]
        base = np.asarray(store.embeddings.embed_documents(real), dtype=np.float32)
        started = time.perf_counter()
        batch = 5000
        for start in range(0, size, batch):
            n = min(batch, size - start)
            pick = rng.integers(0, len(real), size=(n, 3))
            texts = [" ".join(real[j] for j in row) + f" (Item {start + i}.)" for i, row in enumerate(pick)]
            vecs = base[pick[:, 0]] + 0.35 * rng.standard_normal((n, base.shape[1])).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            store.collection.add(
                ids=[f"s{start + i}" for i in range(n)],
                embeddings=vecs.tolist(),
                documents=texts,
                metadatas=[
                    {
                        "source": f"synthetic/{(start + i) // 19}.md",
                        "title": "Synthetic",
                        "section": "Synthetic",
                        "ordinal": i,
                    }
                    for i in range(n)
                ],
            )
        insert_s = time.perf_counter() - started
        started = time.perf_counter()
        search = HybridSearch(store)
        open_s = time.perf_counter() - started
        questions = [i["question"] for i in load_questions(ROOT / "eval" / "questions.jsonl") if not i.get("history")]
        times = _timed(search.search, questions, rounds, warm=5)
        disk = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file()) / 1e6
    return {
        "size": size,
        "insert_s": insert_s,
        "open_s": open_s,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "rss_mb": _rss_mb(),
        "disk_mb": disk,
    }


def bench_ingest(files: int) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer

    from advisor.ingest.embed import build_embeddings, model_path
    from advisor.ingest.parse import read_corpus
    from advisor.ingest.split import passages_of, sentence_units
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        synthetic_corpus(corpus, ROOT / "corpus" / "ml-engineer-vs-ai-engineer.md", files)
        settings = Settings(corpus=corpus, data=Path(tmp) / "data")
        passages = [p for _, ps in passages_of(read_corpus(settings), settings) for p in ps]
        texts = [p.embed_text for p in passages]
        units = [u for p in passages for u in sentence_units(p)[1]]  # ingest embeds each passage's sentences too
        build_embeddings(settings).embed_query("warm up")
        model = SentenceTransformer(str(model_path(settings.embedding_model)), device="cpu")
        model.encode(texts[:64], batch_size=32)
        started = time.perf_counter()
        model.encode(texts, batch_size=32, normalize_embeddings=True)
        model.encode(units, batch_size=32, normalize_embeddings=True)
        raw = time.perf_counter() - started
        store = open_store(settings)
        started = time.perf_counter()
        report = ingest(store)
        took = time.perf_counter() - started
    return {
        "passages": len(texts),
        "ingested": report.passages,
        "ingest_pps": len(texts) / took,
        "raw_pps": len(texts) / raw,
    }


def main() -> None:
    quiet_runtime()
    parser = argparse.ArgumentParser(prog="python -m tools.bench")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the evaluation questions")
    parser.add_argument("--files", type=int, default=50, help="synthetic guides for the ingest benchmark (0 skips)")
    parser.add_argument("--local", type=int, default=5, help="questions for the local chat model (0 skips it)")
    parser.add_argument("--load-seconds", type=float, default=15, help="seconds per load level (0 skips the load test)")
    parser.add_argument("--scale-real", type=int, default=10_000, help="passages ingested through the model (0 skips)")
    parser.add_argument(
        "--scale",
        type=int,
        nargs="*",
        default=[100_000],
        help="synthetic index sizes for the retrieval path (e.g. 1000000)",
    )
    parser.add_argument("--logging-only", action="store_true", help="only the logging on/off figure")
    args = parser.parse_args()
    if args.logging_only:
        print_logging(args.rounds)
        return
    corpus = ROOT / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        rc = bench_recipe(Settings(corpus=corpus, data=Path(tmp)))
    rec, adv = rc["recipe"], rc["advisor"]
    print(
        f"retrieval vs the LangChain recipe (1,000/200 splits, {rc['recipe_chunks']['n']:.0f} chunks; Chroma top 4), "
        f"{adv['n']:.0f} questions:\n"
        f"  answering text in the first result: recipe {rec['hit_at_1']:.1%}, advisor {adv['hit_at_1']:.1%}\n"
        f"  context handed to the answerer: recipe {rec['chars']:.0f} chars, advisor {adv['chars']:.0f} chars "
        f"(ratio {adv['chars'] / rec['chars']:.2f})\n"
        f"  latency p50: recipe {rec['p50']:.1f} ms, advisor {adv['p50']:.1f} ms (ratio {adv['p50'] / rec['p50']:.2f}; "
        f"advisor adds BM25, fusion and the sentence rerank)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        c = bench_cold_start(Settings(corpus=corpus, data=Path(tmp)))
    print(
        f"cold start: first answer {c['first_answer_s']:.1f} s from process start; importing torch, "
        f"sentence_transformers, chromadb {c['floor_s']:.1f} s; ratio {c['first_answer_s'] / c['floor_s']:.2f}   "
        f"(target <= 1.5)"
    )
    e = bench_query_embedding(args.rounds)
    fallback = "" if e["onnx"] else "; ONNX unavailable, both PyTorch"
    print(
        f"a question's embedding, p50: PyTorch {e['pytorch']:.1f} ms, ONNX Runtime {e['onnxruntime']:.1f} ms "
        f"(ratio {e['onnxruntime'] / e['pytorch']:.2f}{fallback})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        timing = bench_retrieval(Settings(corpus=ROOT / "corpus", data=Path(tmp)), args.rounds)
    r, a = timing["search"], timing["answer"]
    print(f"warm retrieval ({r['n']:.0f} queries): p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms   (target p50 < 25 ms)")
    print(
        f"warm answer ({a['n']:.0f} questions, whole chain): p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms   "
        f"(target p50 < 40 ms); answer/retrieval p50 ratio {a['p50'] / r['p50']:.2f}"
    )
    print_logging(args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        dev = bench_retrieval(
            Settings(corpus=ROOT / "eval" / "guides", data=Path(tmp)), args.rounds, ROOT / "eval" / "guides-dev.jsonl"
        )
    g, ga = dev["search"], dev["answer"]
    print(
        f"dev guides (eval/guides, six guides): warm retrieval p50 {g['p50']:.1f} ms, p95 {g['p95']:.1f} ms; "
        f"warm answer ({ga['n']:.0f} questions) p50 {ga['p50']:.1f} ms, p95 {ga['p95']:.1f} ms "
        "(target p50 <= 25 ms); "
        f"dev/article answer p50 ratio {ga['p50'] / a['p50']:.2f}"
    )
    if args.local:
        with tempfile.TemporaryDirectory() as tmp:
            m = bench_local(Settings(corpus=ROOT / "corpus", data=Path(tmp)), args.local)
        print(
            f"local chat model (SmolLM2-135M, CPU): load {m['load_s']:.1f} s; {m['tokens_per_s']:.1f} tokens/s; "
            f"answer p50 {m['p50'] / 1000:.1f} s, p95 {m['p95'] / 1000:.1f} s over {m['n']:.0f} questions "
            f"(tokens/s includes retrieval and the citation check); "
            f"extractive fallback {m['fell_back']:.0f} of {m['n']:.0f}"
        )
    if args.load_seconds:
        with tempfile.TemporaryDirectory() as tmp:
            load = bench_load(Settings(corpus=corpus, data=Path(tmp)), [20, 50], args.load_seconds)
        for n, m in load.items():
            print(
                f"load, {n} concurrent clients on /api/chat for {args.load_seconds:.0f} s: "
                f"{m['requests']:.0f} requests ({m['rps']:.0f}/s), {m['errors']:.0f} errors, "
                f"p50 {m['p50']:.0f} ms, p95 {m['p95']:.0f} ms   "
                f"(target at 50: no errors, p95 < 1000 ms)"
            )
    if args.scale_real:
        sr = bench_scale_real(args.scale_real)
        print(
            f"scale, real text: {sr['passages']:.0f} generated passages ingested through the model in "
            f"{sr['seconds']:.0f} s ({sr['pps']:.0f} passages/s)"
        )
    for size in args.scale:
        sc = bench_scale_synthetic(size)
        print(
            f"scale, {sc['size']:,.0f} passages (synthesised embeddings): inserted in {sc['insert_s']:.0f} s; "
            f"index opened (passages read, BM25 built) in {sc['open_s']:.1f} s; retrieval p50 {sc['p50']:.1f} ms, "
            f"p95 {sc['p95']:.1f} ms (target p95 < 60 ms at 100,000); peak memory {sc['rss_mb']:,.0f} MB; "
            f"store on disk {sc['disk_mb']:,.0f} MB"
        )
    if args.files:
        i = bench_ingest(args.files)
        print(
            f"ingest {i['passages']:.0f} passages (and their sentences): {i['ingest_pps']:.0f} passages/s; raw "
            f"model.encode of the same passages and sentences {i['raw_pps']:.0f} passages/s; ratio "
            f"{i['ingest_pps'] / i['raw_pps']:.2f}   (target >= 0.8)"
        )


if __name__ == "__main__":
    main()
