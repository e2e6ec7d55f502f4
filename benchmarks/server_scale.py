"""Server mode at scale: ingest throughput and keyword search at 100k and 1M generated chunks.

Generated text (for scale, not for quality: benchmarks/scale_data.py); CPU accounting and the
ingest's phases: benchmarks/scale_cpu.py.

1. The project's ingest path (`KnowledgeService.ingest` of generated Markdown files, keywords
   only): chunks/s, this process's CPU, PostgreSQL's CPU, and where the time goes (a sampling
   profiler over the ingest's phases). `--via-ingest` loads every scale this way instead of COPY.
2. The bulk path at each scale: generated chunks COPY'd into the same tables ingest writes
   (documents, chunks with their tsvector, chunk_texts with head/body tokens), then the GIN
   index and the statistics (`term_df`, `kbs`, the tokenizer record in `kb_meta`) — so the base
   is what ingest would have left, minus the mined terms.
3. One more page ingested into the big base (what an upload costs at that size), then the first
   query on another replica whose index that made stale: rebuilt in the query (the earlier
   behaviour, `retriever.serving` off) against answered from SQL and rebuilt in the background.
4. Search, keyword path (no vectors at this scale): a cold replica's first query (answered from
   SQL while the in-memory chunk BM25 and page index are built from PostgreSQL in the background:
   wall, CPU, memory), a second replica's first query (loads them from its data_dir), then the 150 corpora questions through
   `retrieve(mode="lexical")` (the ranker retrieval uses + fetching the rows) and through the
   SQL BM25 (`PgCatalog.lexical_search`, `sc_bm25`): p50/p95.

PostgreSQL is started here unless SMART_COPILOT_TEST_PG_URL names one. Run it niced:

    nice -n 10 python benchmarks/server_scale.py --scales 100000,1000000 --ingest-docs 100
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402
from app.storage.build import open_knowledge_backend  # noqa: E402
from benchmarks.scale_cpu import PhaseSampler, load_note, percentiles, pg_cpu, pg_spent, print_phases  # noqa: E402
from benchmarks.scale_data import PER_DOC, bulk_load, vocabulary, write_pages  # noqa: E402
from benchmarks.storage_bench import SETS, questions  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.embeddings.hash import HashEmbedder  # noqa: E402
from tests.fixtures.servers import PgCluster, pg_bindir  # noqa: E402


def service(data: Path, storage: dict) -> KnowledgeService:
    """Server mode, keywords only (no Chroma server at this scale)."""
    settings = Settings.model_validate({"data_dir": str(data), "knowledge": {"dense": "off"}, "storage": storage})
    return KnowledgeService(settings.knowledge, data, HashEmbedder(dim=64),
                            backend=open_knowledge_backend(settings, vectors_required=False))


def ingest_path(ks: KnowledgeService, folder: Path, docs: int, vocab: tuple[list[str], list[float]]) -> None:
    """Generated Markdown pages through the project's own ingest (keywords only), with where its time goes."""
    write_pages(folder / "timed", 0, docs, vocab)
    pg_before, cpu, started = pg_cpu(), time.process_time(), time.perf_counter()
    with PhaseSampler() as sampler:
        report = ks.ingest([folder / "timed"], kb="ingested")
    wall, used, pg_used = time.perf_counter() - started, time.process_time() - cpu, pg_spent(pg_before)
    print(f"\n## ingest path: {docs} generated pages, {report.chunks} chunks ({load_note()})\n")
    print("| chunks | wall s | chunks/s | process CPU s | PostgreSQL CPU s | CPU ms per chunk (both) |")
    print("|---|---|---|---|---|---|")
    print(f"| {report.chunks:,} | {wall:.1f} | {report.chunks / wall:.0f} | {used:.1f} | {pg_used:.1f} | "
          f"{1000 * (used + pg_used) / max(1, report.chunks):.2f} |", flush=True)
    print_phases(sampler)
    sys.stdout.flush()


def first_query(ks: KnowledgeService, kb: str, q: str) -> tuple[float, float, float]:
    """(wall s, CPU s, resident MB after) of a replica's first keyword search."""
    import psutil

    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    ks.retrieve(q, kb=kb, k=8, mode="lexical")
    return time.perf_counter() - started, time.process_time() - cpu, psutil.Process().memory_info().rss / 2**20


def ingest_all(ks: KnowledgeService, kb: str, folder: Path, n: int, vocab: tuple[list[str], list[float]]) -> None:
    """n generated chunks as pages through one `ingest` call, the rate printed every 5% of the files."""
    started_cpu = time.process_time()
    write_pages(folder, 0, n // PER_DOC, vocab)
    print(f"\n## {n:,} generated chunks through ingest ({load_note()}; pages written in "
          f"{time.process_time() - started_cpu:.0f} s CPU)\n\n| pages | chunks | wall s | process CPU s | "
          "PostgreSQL CPU s | CPU ms per chunk since the last row | load |\n|---|---|---|---|---|---|---|", flush=True)
    pg_before, cpu, started = pg_cpu(), time.process_time(), time.perf_counter()
    last = [0, 0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if done - last[0] >= max(1, total // 20) or done == total:
            used, pg_used = time.process_time() - cpu, pg_spent(pg_before)
            per = 1000 * (used + pg_used - last[1]) / max(1, (done - last[0]) * PER_DOC)
            print(f"| {done:,} | {done * PER_DOC:,} | {time.perf_counter() - started:.0f} | {used:.0f} | {pg_used:.0f} | "
                  f"{per:.2f} | {os.getloadavg()[0]:.1f} |", flush=True)
            last[:] = [done, used + pg_used]

    with PhaseSampler() as sampler:
        ks.ingest([folder], kb=kb, progress=progress)
    print_phases(sampler)
    print(f"ingest done: {time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU, "
          f"PostgreSQL {pg_spent(pg_before):.0f} s (with the keyword indexes built and the base calibrated)", flush=True)


def settle(ks: KnowledgeService, kb: str) -> tuple[float, float, float]:
    """Wait for the replica's background keyword index build: (wall s, process CPU s, resident MB after)."""
    import psutil

    started, cpu = time.perf_counter(), time.process_time()
    if ks.retriever.serving is not None:
        ks.retriever.serving.builds.wait(kb)
    ks.retrieve("索引", kb=kb, k=8, mode="lexical")  # served by the index just built (or built here, blocking)
    return time.perf_counter() - started, time.process_time() - cpu, psutil.Process().memory_info().rss / 2**20


def stale_replicas(data: Path, storage: dict, writer: KnowledgeService, kb: str, n: int,
                   vocab: tuple[list[str], list[float]], qs: list[str], second: KnowledgeService) -> None:
    """One page ingested on the writer; then the first query on a replica whose index it made stale,
    rebuilt in the query (before: `serving` off) and in the background (now)."""
    blocking = service(data / f"c{n}", storage)
    shutil.copytree(data / f"a{n}" / "kb", data / f"c{n}" / "kb", dirs_exist_ok=True)
    blocking.retriever.serving = None  # the earlier behaviour: the query builds the index itself
    blocking.retrieve(qs[0], kb=kb, k=8, mode="lexical")
    one = data / f"one{n}"
    write_pages(one, 10**7, 1, vocab)
    pg_before, cpu, started = pg_cpu(), time.process_time(), time.perf_counter()
    report = writer.ingest([one], kb=kb)
    print(f"\none more page ({report.chunks} chunks) through ingest into this base: "
          f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
          f"(+ PostgreSQL {pg_spent(pg_before):.1f} s; the writer rebuilds its keyword indexes and recalibrates)",
          flush=True)
    print(f"\n| first query on another replica after that ingest ({load_note()}) | query wall ms | query CPU ms "
          "(its thread) | then: index ready after, s wall | process CPU s until ready | next query ms |\n"
          "|---|---|---|---|---|---|")
    for label, replica in (("before: rebuilt in the query", blocking), ("now: SQL, rebuilt in the background", second)):
        gc.collect()
        started, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        replica.retrieve(qs[1], kb=kb, k=8, mode="lexical")
        wall, thread_cpu = time.perf_counter() - started, time.thread_time() - cpu
        if replica.retriever.serving is not None:
            replica.retriever.serving.builds.wait(kb)
        ready, ready_cpu = time.perf_counter() - started, time.process_time() - process_cpu
        started = time.perf_counter()
        replica.retrieve(qs[2], kb=kb, k=8, mode="lexical")
        print(f"| {label} | {1000 * wall:,.0f} | {1000 * thread_cpu:,.0f} | {ready:.1f} | {ready_cpu:.1f} | "
              f"{1000 * (time.perf_counter() - started):.0f} |", flush=True)
    blocking.close()
    second.close()


def scale(data: Path, storage: dict, n: int, vocab: tuple[list[str], list[float]], qs: list[str],
          via_ingest: bool = False) -> None:
    kb = "generated"
    ks = service(data / f"a{n}", storage)
    if via_ingest:
        ingest_all(ks, kb, data / f"pages{n}", n, vocab)
        shutil.rmtree(data / f"a{n}" / "kb", ignore_errors=True)  # the first query below builds them as a new replica
        ks.close()
        ks = service(data / f"a{n}", storage)
    else:
        pg_before, cpu = pg_cpu(), time.process_time()
        loaded, indexed = bulk_load(ks, kb, n, vocab)
        load_cpu, load_pg = time.process_time() - cpu, pg_spent(pg_before)
        print(f"\n## {n:,} generated chunks ({load_note()})\n\nbulk load: COPY {loaded:.0f} s "
              f"({n / loaded:,.0f} chunks/s), GIN index + statistics {indexed:.0f} s; CPU: this process {load_cpu:.0f} s, "
              f"PostgreSQL {load_pg:.0f} s", flush=True)
    pg_before = pg_cpu()
    cold = first_query(ks, kb, qs[0])
    cold_pg = pg_spent(pg_before)
    built = settle(ks, kb)
    print(f"cold replica, first query (answered from SQL; chunk BM25 + page index built from PostgreSQL in the "
          f"background): {1000 * cold[0]:.0f} ms wall, {1000 * cold[1]:.0f} ms CPU (+ PostgreSQL {cold_pg:.1f} s); "
          f"the build: {built[0]:.1f} s wall, {built[1]:.1f} s CPU; process RSS {built[2]:,.0f} MB", flush=True)
    second = service(data / f"b{n}", storage)
    shutil.copytree(data / f"a{n}" / "kb", data / f"b{n}" / "kb", dirs_exist_ok=True)  # as if saved by its own build
    warm = first_query(second, kb, qs[0])
    loaded = settle(second, kb)
    print(f"replica with the indexes saved in its data_dir, first query: {1000 * warm[0]:.0f} ms wall, "
          f"{1000 * warm[1]:.0f} ms CPU; loading them in the background {1000 * loaded[0]:.0f} ms wall; "
          f"process RSS {loaded[2]:,.0f} MB (both replicas in this process)", flush=True)
    retrieval, sql, cpu = [], [], time.process_time()
    for q in qs:
        started = time.perf_counter()
        ks.retrieve(q, kb=kb, k=8, mode="lexical")
        retrieval.append(1000 * (time.perf_counter() - started))
    retrieval_cpu = 1000 * (time.process_time() - cpu) / len(qs)
    tokenizer = ks.corpus.tokenizer(kb)
    for q in qs:
        tokens = list(dict.fromkeys(tokenizer.tokenize(q)))
        started = time.perf_counter()
        rows = ks.catalog.lexical_search(kb, tokens, 50)
        ks.catalog.chunks_by_rowid([r for r, _ in rows[:8]])
        sql.append(1000 * (time.perf_counter() - started))
    r50, r95 = percentiles(retrieval)
    s50, s95 = percentiles(sql)
    print(f"\n| chunks | search (150 corpora questions, k=8) | p50 ms | p95 ms | load |\n|---|---|---|---|---|\n"
          f"| {n:,} | retrieval, keywords: in-memory chunk + page BM25, rows from PostgreSQL "
          f"(CPU {retrieval_cpu:.1f} ms/query) | {r50:.1f} | {r95:.1f} | {load_note()} |\n"
          f"| {n:,} | SQL BM25 (`sc_bm25`, cap {ks.catalog.max_candidates:,}) + rows | {s50:.1f} | {s95:.1f} | "
          f"{load_note()} |", flush=True)
    stale_replicas(data, storage, ks, kb, n, vocab, qs, second)
    ks.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-server-scale"))
    parser.add_argument("--scales", default="100000,1000000")
    parser.add_argument("--ingest-docs", type=int, default=100, help="generated pages through ingest (0: skip)")
    parser.add_argument("--via-ingest", action="store_true", help="load each scale through ingest, not COPY")
    parser.add_argument("--vocab-files", type=int, default=150, help="corpus pages per corpus for the vocabulary")
    args = parser.parse_args()
    shutil.rmtree(args.data, ignore_errors=True)
    started_cpu = time.process_time()
    vocab = vocabulary(args.vocab_files)
    print(f"vocabulary: {len(vocab[0]):,} jieba tokens from {args.vocab_files} pages per corpus "
          f"({time.process_time() - started_cpu:.0f} s CPU)", flush=True)
    qs = [q for name in SETS for q in questions(name)]
    pg_url, cluster = os.environ.get("SMART_COPILOT_TEST_PG_URL"), None
    if not pg_url:
        bindir = pg_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (set SMART_COPILOT_TEST_PG_URL)")
        cluster = PgCluster(bindir)
        pg_url = cluster.url
    try:
        if args.ingest_docs:
            with fresh_storage_pg(pg_url) as storage:
                ks = service(args.data / "ingest", storage)
                ingest_path(ks, args.data / "pages", args.ingest_docs, vocab)
                ks.close()
        for n in [int(s) for s in args.scales.split(",") if s.strip()]:
            with fresh_storage_pg(pg_url) as storage:
                scale(args.data, storage, n, vocab, qs, via_ingest=args.via_ingest)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(args.data, ignore_errors=True)
    print(f"\nthis process: {time.process_time() - started_cpu:.0f} s CPU in all", flush=True)


def fresh_storage_pg(pg_url: str):
    """A fresh schema; no Chroma server at this scale (keywords only): the storage points at a closed port."""
    import contextlib
    import uuid
    from urllib.parse import quote

    import psycopg

    @contextlib.contextmanager
    def made():
        name = f"scale_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        sep = "&" if "?" in pg_url else "?"
        try:
            yield {"mode": "server", "postgres": {"url": f"{pg_url}{sep}options={quote(f'-c search_path={name}')}",
                                                  "pool_min": 1, "pool_max": 4},
                   "chroma": {"host": "127.0.0.1", "port": 9}}
        finally:
            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    return made()


if __name__ == "__main__":
    main()
