"""Benchmarks (``make bench``): figures and ratios, never pass/fail.

- warm retrieval latency (p50/p95) over the evaluation questions, on the real corpus;
- ingest throughput (passages/s, fresh store) beside raw ``SentenceTransformer.encode``
  throughput on the very same texts, and their ratio (target ≥ 0.8).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from advisor.config import Settings, quiet_runtime
from advisor.evaluate import load_questions, percentile

ROOT = Path(__file__).resolve().parents[2]


def synthetic_corpus(target: Path, source: Path, files: int, seed: int = 7) -> None:
    """``files`` Markdown guides made by reshuffling the real guide's sentences per paragraph."""
    from advisor.corpus import parse_markdown, sentences

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


def bench_retrieval(settings: Settings, rounds: int) -> dict[str, dict[str, float]]:
    """Warm latency of the hybrid search alone and of the whole answering chain, on the evaluation questions."""
    from advisor.chain import Advisor
    from advisor.retrieve import HybridSearch
    from advisor.store import ensure_index, open_store

    store = open_store(settings)
    ensure_index(store, notify=lambda m: None)
    search = HybridSearch(store)
    advisor = Advisor(search)
    items = load_questions(ROOT / "eval" / "questions.jsonl")
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


def bench_local(settings: Settings, questions: int) -> dict[str, float]:
    """The bundled local chat model through the whole chain: load time, tokens per second, latency."""
    from dataclasses import replace

    from advisor.chain import Advisor
    from advisor.llm import LocalChatModel, local_model_file
    from advisor.retrieve import HybridSearch
    from advisor.store import ensure_index, open_store

    store = open_store(settings)
    ensure_index(store, notify=lambda m: None)
    model = LocalChatModel(path=str(local_model_file()))
    model.load()
    advisor = Advisor(HybridSearch(store), replace(settings, llm="local", llm_timeout=120), chat_model=model)
    items = [i for i in load_questions(ROOT / "eval" / "questions.jsonl") if i.get("kind") == "answerable"]
    step = max(1, len(items) // questions)
    times, tokens, generating, fell_back = [], 0, 0.0, 0
    for item in items[::step][:questions]:
        pieces: list[str] = []
        started = time.perf_counter()
        answer = advisor.ask(item["question"], on_token=pieces.append)
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


def bench_ingest(files: int) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer

    from advisor.corpus import passages_of, read_corpus
    from advisor.embed import build_embeddings, model_path
    from advisor.store import ingest, open_store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        synthetic_corpus(corpus, ROOT / "corpus" / "ml-engineer-vs-ai-engineer.md", files)
        settings = Settings(corpus=corpus, data=Path(tmp) / "data")
        texts = [p.embed_text for _, ps in passages_of(read_corpus(settings), settings) for p in ps]
        build_embeddings(settings).embed_query("warm up")
        model = SentenceTransformer(str(model_path(settings.embedding_model)), device="cpu")
        model.encode(texts[:64], batch_size=32)
        started = time.perf_counter()
        model.encode(texts, batch_size=32, normalize_embeddings=True)
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
    parser = argparse.ArgumentParser(prog="python -m advisor.bench")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the evaluation questions")
    parser.add_argument("--files", type=int, default=50, help="synthetic guides for the ingest benchmark")
    parser.add_argument("--local", type=int, default=5, help="questions for the local chat model (0 skips it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        timing = bench_retrieval(Settings(corpus=ROOT / "corpus", data=Path(tmp)), args.rounds)
    r, a = timing["search"], timing["answer"]
    print(f"warm retrieval ({r['n']:.0f} queries): p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms   (target p50 < 25 ms)")
    print(
        f"warm answer ({a['n']:.0f} questions, whole chain): p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms   "
        f"(target p50 < 40 ms); answer/retrieval p50 ratio {a['p50'] / r['p50']:.2f}"
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
    i = bench_ingest(args.files)
    print(
        f"ingest {i['passages']:.0f} passages: {i['ingest_pps']:.0f} passages/s; raw model.encode "
        f"{i['raw_pps']:.0f} passages/s; ratio {i['ingest_pps'] / i['raw_pps']:.2f}   (target >= 0.8)"
    )


if __name__ == "__main__":
    main()
