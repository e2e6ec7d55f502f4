"""Server mode at scale: ingest throughput and keyword search at 100k and 1M generated chunks.

Generated text (for scale, not for quality): a fixed vocabulary of jieba tokens with their
frequencies, cut from a sample of the shared corpora, drawn at random into "documents".

1. The project's ingest path (`KnowledgeService.ingest` of generated Markdown files, keywords
   only): chunks/s, this process's CPU, PostgreSQL's CPU, and where the time goes (a sampling
   profiler over the ingest's phases). `--via-ingest` loads every scale this way instead of COPY.
2. The bulk path at each scale: generated chunks COPY'd into the same tables ingest writes
   (documents, chunks with their tsvector, chunk_texts with head/body tokens), then the GIN
   index and the statistics (`term_df`, `kbs`, the tokenizer record in `kb_meta`) — so the base
   is what ingest would have left, minus the mined terms.
3. One more page ingested into the big base (what an upload costs at that size).
4. Search, keyword path (no vectors at this scale): a cold replica's first query (builds the
   in-memory chunk BM25 and page index from PostgreSQL: wall, CPU, memory), a second replica's
   first query (loads them from its data_dir), then the 150 corpora questions through
   `retrieve(mode="lexical")` (the ranker retrieval uses + fetching the rows) and through the
   SQL BM25 (`PgCatalog.lexical_search`, `sc_bm25`): p50/p95.

PostgreSQL is started here unless SMART_COPILOT_TEST_PG_URL names one. Run it niced:

    nice -n 10 python benchmarks/server_scale.py --scales 100000,1000000 --ingest-docs 100
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402
from app.storage.build import open_knowledge_backend  # noqa: E402
from benchmarks.storage_bench import CORPORA, SETS, questions  # noqa: E402
from knowledge.pg.lexical import tsvector_literal  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from knowledge.text import tokenize  # noqa: E402
from models.embeddings.hash import HashEmbedder  # noqa: E402
from tests.fixtures.servers import PgCluster, pg_bindir  # noqa: E402

PER_DOC = 50  # chunks per generated document
PHASES = [  # (label, file, function): where an ingest's CPU goes (cumulative; nested phases overlap)
    ("parse, chunk, mine terms", "knowledge/ingest.py", "_prepare"),
    ("record terms, re-tokenize", "knowledge/corpus.py", "add_terms"),
    ("tokenize chunks for the index", "knowledge/text.py", "index_tokens"),
    ("write document + chunks + statistics to PostgreSQL", "knowledge/pg/catalog.py", "replace_document"),
    ("  of which tsvector literals", "knowledge/pg/lexical.py", "tsvector_literal"),
    ("rebuild the replica's keyword indexes, topics", "knowledge/service.py", "finish_lexical"),
    ("  of which chunk BM25", "knowledge/bm25.py", "build"),
    ("  of which page index", "knowledge/pages.py", "build"),
    ("calibrate the base's selection bars", "knowledge/service.py", "calibrate"),
]
HEAD, BODY = 4, 40  # tokens per generated chunk


def service(data: Path, storage: dict) -> KnowledgeService:
    """Server mode, keywords only (no Chroma server at this scale)."""
    settings = Settings.model_validate({"data_dir": str(data), "knowledge": {"dense": "off"}, "storage": storage})
    return KnowledgeService(settings.knowledge, data, HashEmbedder(dim=64),
                            backend=open_knowledge_backend(settings, vectors_required=False))


def load_note() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def pg_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL process now (server and backends), by pid."""
    import psutil

    out = {}
    for proc in psutil.process_iter(["name"]):
        if (proc.info["name"] or "").startswith("postgres"):
            try:
                t = proc.cpu_times()
                out[proc.pid] = t.user + t.system
            except psutil.Error:
                continue
    return out


def pg_spent(before: dict[int, float]) -> float:
    """PostgreSQL CPU since `before` (backends started since count from zero; ones that exited are lost)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in pg_cpu().items())


def vocabulary(files: int) -> tuple[list[str], list[float]]:
    """Token frequencies of `files` corpus pages (every n-th of each corpus): the fixed vocabulary."""
    counts: Counter = Counter()
    for folder in SETS.values():
        pages = sorted((CORPORA / folder).rglob("*.md"))
        for page in pages[:: max(1, len(pages) // files)]:
            counts.update(t for t in tokenize(page.read_text(encoding="utf-8", errors="replace")) if t.strip())
    tokens = [t for t, n in counts.most_common(60000)]
    total = sum(counts[t] for t in tokens)
    return tokens, [counts[t] / total for t in tokens]


def joined(tokens: list[str]) -> str:
    """Tokens as Chinese-like text: CJK runs written together, other tokens spaced."""
    out = []
    for t in tokens:
        out.append(t if "\u4e00" <= t[0] <= "\u9fff" else f" {t} ")
    return "".join(out).strip()


def write_pages(folder: Path, first: int, docs: int, vocab: tuple[list[str], list[float]]) -> None:
    rng = random.Random(first)
    tokens, probs = vocab
    cum = list(itertools.accumulate(probs))
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(first, first + docs):
        parts = [f"# {joined(rng.choices(tokens, cum_weights=cum, k=HEAD))} {d}"]
        for s in range(PER_DOC):
            parts.append(f"## {joined(rng.choices(tokens, cum_weights=cum, k=HEAD))} {s}")
            parts.append(joined(rng.choices(tokens, cum_weights=cum, k=BODY)) + "。")
        (folder / f"page{d}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


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


class PhaseSampler:
    """Every 5 ms, which phase (PHASES, innermost) the calling thread is in: a sampling profiler light
    enough not to change the figures (cProfile's hooks inflated jieba-heavy phases tenfold)."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._target = threading.get_ident()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PhaseSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            frame = sys._current_frames().get(self._target)
            self.samples += 1
            seen = set()
            while frame is not None:
                code = frame.f_code
                for label, suffix, name in PHASES:
                    if code.co_name == name and code.co_filename.endswith(suffix):
                        seen.add(label)
                frame = frame.f_back
            self.counts.update(seen)


def print_phases(sampler: PhaseSampler) -> None:
    print(f"\nwhere the ingest's time goes (share of {sampler.samples:,} samples of the ingesting thread, "
          "every 5 ms; waits for PostgreSQL count in its phase; nested phases overlap):\n")
    print("| phase (function) | share of the time |\n|---|---|")
    for label, _, name in PHASES:
        print(f"| {label} (`{name}`) | {100 * sampler.counts[label] / max(1, sampler.samples):.0f}% |")
    sys.stdout.flush()


def bulk_load(ks: KnowledgeService, kb: str, n: int, vocab: tuple[list[str], list[float]]) -> tuple[float, float]:
    """n generated chunks COPY'd into the tables ingest writes; returns (COPY s, index + statistics s)."""
    import numpy as np

    tokens, probs = vocab
    ks.catalog.ensure_kb(kb)
    ks.corpus.tokenizer(kb)  # records the tokenizer identity on the empty base: nothing to re-tokenize later
    rng = np.random.default_rng(7)
    vocab_arr = np.asarray(tokens, dtype=object)
    started = time.perf_counter()
    with ks.catalog.pool.connection() as conn:
        conn.execute("DROP INDEX IF EXISTS chunks_tsv")  # load first, index once
        docs = (n + PER_DOC - 1) // PER_DOC
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM documents").fetchone()["id"]
        conn.execute("SELECT setval('documents_id_seq', %s)", (first + docs,))
        with conn.cursor().copy("COPY documents (id, kb, source, title, content_hash, version, state, chunks, meta, "
                                "created_at, updated_at) FROM STDIN") as copy:
            for d in range(docs):
                copy.write_row((first + d, kb, f"generated/{d}.md", f"generated page {d}", str(d), 1, "lexical",
                                min(PER_DOC, n - d * PER_DOC), "{}", 0.0, 0.0))
        base = conn.execute("SELECT nextval('chunks_id_seq') AS id").fetchone()["id"] + 1
        conn.execute("SELECT setval('chunks_id_seq', %s)", (base + n,))
        for start in range(0, n, 20000):
            size = min(20000, n - start)
            picks = vocab_arr[rng.choice(len(tokens), size=(size, HEAD + BODY), p=probs)]
            rows = []
            for i in range(size):
                head, body = list(picks[i, :HEAD]), list(picks[i, HEAD:])
                rows.append((base + start + i, head, body))
            with conn.cursor().copy("COPY chunks (id, chunk_id, doc_id, kb, ord, kind, len, tsv) FROM STDIN") as copy:
                for rowid, head, body in rows:
                    row = rowid - base
                    copy.write_row((rowid, f"gen-{row}", first + row // PER_DOC, kb, row % PER_DOC, "doc",
                                    HEAD + BODY, tsvector_literal(head, body)))
            with conn.cursor().copy("COPY chunk_texts (id, heading_path, text, indexed_text, meta, head, body) "
                                    "FROM STDIN") as copy:
                for rowid, head, body in rows:
                    title, text = joined(head), joined(body)
                    copy.write_row((rowid, json.dumps([title], ensure_ascii=False), text, f"{title}\n{text}", "{}", " ".join(head),
                                    " ".join(body)))
        loaded = time.perf_counter() - started
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("CREATE INDEX chunks_tsv ON chunks USING GIN (tsv)")
        conn.execute("INSERT INTO term_df (kb, term, df) SELECT %s, u.lexeme, COUNT(*) FROM chunks c, unnest(c.tsv) u "
                     "WHERE c.kb = %s GROUP BY u.lexeme", (kb, kb))
        conn.execute("UPDATE kbs SET chunk_count = s.n, token_count = s.l, generation = generation + 1 FROM "
                     "(SELECT COUNT(*) AS n, SUM(len) AS l FROM chunks WHERE kb = %s) s WHERE name = %s", (kb, kb))
        conn.execute("ANALYZE chunks")
        conn.execute("ANALYZE chunk_texts")
    return loaded, time.perf_counter() - started - loaded


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


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
    print(f"cold replica, first query (builds chunk BM25 + page index from PostgreSQL): {cold[0]:.1f} s wall, "
          f"{cold[1]:.1f} s CPU (+ PostgreSQL {cold_pg:.1f} s), process RSS {cold[2]:,.0f} MB", flush=True)
    second = service(data / f"b{n}", storage)
    shutil.copytree(data / f"a{n}" / "kb", data / f"b{n}" / "kb", dirs_exist_ok=True)  # as if saved by its own build
    warm = first_query(second, kb, qs[0])
    print(f"replica with the indexes saved in its data_dir, first query: {1000 * warm[0]:.0f} ms wall, "
          f"{1000 * warm[1]:.0f} ms CPU, process RSS {warm[2]:,.0f} MB (both replicas in this process)",
          flush=True)
    second.close()
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
    one = data / f"one{n}"
    write_pages(one, 10**7, 1, vocab)
    pg_before, cpu, started = pg_cpu(), time.process_time(), time.perf_counter()
    report = ks.ingest([one], kb=kb)
    print(f"\none more page ({report.chunks} chunks) through ingest into this base: "
          f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
          f"(+ PostgreSQL {pg_spent(pg_before):.1f} s; after each ingest the replica's keyword indexes are rebuilt "
          "whole and the base recalibrated)", flush=True)
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
