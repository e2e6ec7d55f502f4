"""Storage benchmark: embedded (SQLite + Chroma persistent) vs server mode (PostgreSQL + Chroma server).

1. Each of the three shared corpora ingested into its own base in both modes: ingest throughput
   (files, chunks/s; vectors from the `hash` embedder so the figure is the stores' cost, not a
   model's) and hybrid search p50/p95 over that corpus's 50 evaluation questions
   (tests/data/corpora_eval/*.jsonl), keyword-only and hybrid. Process CPU s counts this process only
   (in server mode PostgreSQL's and Chroma's own work is in other processes).
2. Server mode at scale: search p50/p95 (keyword: PostgreSQL BM25 over the GIN index, plus
   fetching the rows) at 100k and 1M synthetic chunks, and hybrid at --dense-scale chunks (random
   unit vectors in the Chroma server). Synthetic chunks are generated text: tokens drawn from the
   corpora's own token frequencies (so real questions find matches), bulk-loaded with COPY.

PostgreSQL and Chroma are started here (tests/fixtures/servers.py) unless SMART_COPILOT_TEST_PG_URL /
SMART_COPILOT_TEST_CHROMA name running ones. Run it niced; the machine is shared:

    nice -n 15 python benchmarks/storage_bench.py --data /tmp/sc-storage [--scale 100000,1000000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402
from app.storage.build import open_knowledge_backend  # noqa: E402
from knowledge.catalog import kb_key  # noqa: E402
from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.pg.lexical import tsvector_literal  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.embeddings.hash import HashEmbedder  # noqa: E402
from tests.fixtures.servers import ChromaServer, PgCluster, fresh_storage, pg_bindir  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
SETS = {"kubernetes": "kubernetes-zh-cn", "tidb": "tidb-docs-cn", "istio": "istio-zh"}
DIM = 64


def load_note() -> str:
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def questions(name: str) -> list[str]:
    path = ROOT / "tests" / "data" / "corpora_eval" / f"{name}.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def latency(ks: KnowledgeService, kb: str, qs: list[str], mode: str) -> tuple[float, float]:
    ks.retrieve(qs[0], kb=kb, mode=mode)  # warm: connections, BM25 arrays, collection handles
    times = []
    for q in qs:
        started = time.perf_counter()
        ks.retrieve(q, kb=kb, k=8, mode=mode)
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def service(mode: str, data: Path, storage: dict, dense: str = "sync") -> KnowledgeService:
    settings = Settings.model_validate({"data_dir": str(data), "knowledge": {"dense": dense},
                                        **({"storage": storage} if mode == "server" else {})})
    return KnowledgeService(settings.knowledge, data, HashEmbedder(dim=DIM), backend=open_knowledge_backend(settings))


def corpora_part(data: Path, storage: dict, names: list[str]) -> dict[str, KnowledgeService]:
    opened = {mode: service(mode, data / mode, storage) for mode in ("embedded", "server")}
    print("| corpus | mode | files | chunks | ingest wall s | chunks/s | process CPU s | keyword p50 ms | p95 ms "
          "| hybrid p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        folder, qs = SETS[name], questions(name)
        for mode, ks in opened.items():
            started, cpu = time.perf_counter(), time.process_time()
            report = ks.ingest([CORPORA / folder], kb=name)
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            chunks = report.chunks
            k50, k95 = latency(ks, name, qs, "lexical")
            p50, p95 = latency(ks, name, qs, "hybrid")
            print(f"| {name} | {mode} | {report.count('added')} | {chunks} | {wall:.1f} | {chunks / wall:.0f} | "
                  f"{used:.1f} | {k50:.1f} | {k95:.1f} | {p50:.1f} | {p95:.1f} |  ({load_note()})", flush=True)
    return opened


def vocabulary(ks: KnowledgeService, names: list[str]) -> tuple[list[str], list[float]]:
    """Token frequencies of the corpora (embedded catalog's FTS rows): what synthetic text is drawn from."""
    counts: Counter = Counter()
    for name in names:
        for _, head, body in ks.catalog.lexical_rows(name):
            counts.update(head.split())
            counts.update(body.split())
    tokens = [t for t, _ in counts.most_common()]
    total = sum(counts.values())
    return tokens, [counts[t] / total for t in tokens]


def bulk_synthetic(pool, kb: str, n: int, tokens: list[str], probs: list[float], per_doc: int = 50) -> float:
    """n generated chunks of 4 head + 40 body tokens, COPY'd into PostgreSQL; returns seconds."""
    import numpy as np

    rng = np.random.default_rng(7)
    started = time.perf_counter()
    with pool.connection() as conn:
        conn.execute("INSERT INTO kbs (name, key, created_at, generation) VALUES (%s, %s, %s, 1) ON CONFLICT DO NOTHING",
                     (kb, kb_key(kb), time.time()))
        conn.execute("DROP INDEX IF EXISTS chunks_tsv")  # bulk load first, index once
        docs = n // per_doc
        with conn.cursor().copy("COPY documents (kb, source, title, content_hash, version, state, chunks, meta, "
                                "created_at, updated_at) FROM STDIN") as copy:
            for d in range(docs):
                copy.write_row((kb, f"synthetic/{d}.md", f"synthetic {d}", str(d), 1, "lexical", per_doc, "{}", 0.0, 0.0))
        first = conn.execute("SELECT MIN(id) AS id FROM documents WHERE kb = %s", (kb,)).fetchone()["id"]
        vocab = np.asarray(tokens, dtype=object)
        base = conn.execute("SELECT nextval('chunks_id_seq') AS id").fetchone()["id"] + 1
        conn.execute("SELECT setval('chunks_id_seq', %s)", (base + n,))
        for start in range(0, n, 20000):
            size = min(20000, n - start)
            picks = vocab[rng.choice(len(tokens), size=(size, 44), p=probs)]
            with conn.cursor().copy("COPY chunks (id, chunk_id, doc_id, kb, ord, kind, len, tsv) FROM STDIN") as copy:
                for i in range(size):
                    row = start + i
                    head, body = list(picks[i, :4]), list(picks[i, 4:])
                    copy.write_row((base + row, f"syn-{row}", first + row // per_doc, kb, row % per_doc, "doc", 44,
                                    tsvector_literal(head, body)))
            with conn.cursor().copy("COPY chunk_texts (id, heading_path, text, indexed_text, meta) FROM STDIN") as copy:
                for i in range(size):
                    text = " ".join(picks[i, :4]) + "\n" + " ".join(picks[i, 4:])
                    copy.write_row((base + start + i, "[]", text, text, "{}"))
        loaded = time.perf_counter() - started
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("CREATE INDEX chunks_tsv ON chunks USING GIN (tsv)")
        conn.execute("INSERT INTO term_df (kb, term, df) SELECT %s, u.lexeme, COUNT(*) FROM chunks c, unnest(c.tsv) u "
                     "WHERE c.kb = %s GROUP BY u.lexeme", (kb, kb))
        conn.execute("UPDATE kbs SET chunk_count = s.n, token_count = s.l FROM (SELECT COUNT(*) AS n, SUM(len) AS l "
                     "FROM chunks WHERE kb = %s) s WHERE name = %s", (kb, kb))
        conn.execute("ANALYZE chunks")
    print(f"  {n} synthetic chunks: COPY {loaded:.0f} s, + GIN index and statistics "
          f"{time.perf_counter() - started - loaded:.0f} s ({load_note()})", flush=True)
    return time.perf_counter() - started


def dense_vectors(ks: KnowledgeService, kb: str, n: int) -> None:
    import numpy as np

    vecs = np.random.default_rng(7).standard_normal((n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    started = time.perf_counter()
    for start in range(0, n, 5000):
        ids = [f"syn-{i}" for i in range(start, min(n, start + 5000))]
        ks.dense.upsert(kb_key(kb), ids, vecs[start:start + len(ids)].tolist(), "synthetic")
    with ks.catalog.transaction() as conn:
        conn.execute("UPDATE documents SET state = 'complete' WHERE kb = %s", (kb,))
    print(f"  {n} random vectors into the Chroma server in {time.perf_counter() - started:.0f} s", flush=True)


def scale_part(data: Path, pg_url: str, chroma: str, vocab: tuple[list[str], list[float]], scales: list[int],
               dense_scale: int) -> None:
    qs = [q for name in SETS for q in questions(name)]
    print("| chunks (server mode, synthetic) | search | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for n in scales:
        with fresh_storage(pg_url, chroma) as storage:
            ks = service("server", data / f"scale{n}", storage, dense="off")
            bulk_synthetic(ks.catalog.pool, "synthetic", n, *vocab)
            p50, p95 = latency(ks, "synthetic", qs, "lexical")
            print(f"| {n:,} | keyword (PostgreSQL BM25 + rows) | {p50:.1f} | {p95:.1f} |  ({load_note()})", flush=True)
            if n <= dense_scale:
                ks.settings.dense = "sync"
                dense_vectors(ks, "synthetic", n)
                p50, p95 = latency(ks, "synthetic", qs, "hybrid")
                print(f"| {n:,} | hybrid (+ Chroma server HNSW, query embedding) | {p50:.1f} | {p95:.1f} |  ({load_note()})",
                      flush=True)
            ks.close()


@contextlib.contextmanager
def servers():
    pg_url, chroma = os.environ.get("SMART_COPILOT_TEST_PG_URL"), os.environ.get("SMART_COPILOT_TEST_CHROMA")
    started = []
    if not pg_url:
        bindir = pg_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (set SMART_COPILOT_TEST_PG_URL)")
        cluster = PgCluster(bindir)
        started.append(cluster)
        pg_url = cluster.url
    if not chroma:
        server = ChromaServer()
        started.append(server)
        chroma = server.address
    try:
        yield pg_url, chroma
    finally:
        for thing in started:
            thing.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-storage-bench"))
    parser.add_argument("--scale", default="100000,1000000", help="synthetic sizes (comma-separated; empty: none)")
    parser.add_argument("--dense-scale", type=int, default=100_000, help="largest size also searched hybrid")
    parser.add_argument("--corpora", default=",".join(SETS), help="which corpora (kubernetes,tidb,istio)")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA}")
    shutil.rmtree(args.data, ignore_errors=True)
    with servers() as (pg_url, chroma):
        with fresh_storage(pg_url, chroma) as storage:
            names = [n for n in args.corpora.split(",") if n]
            opened = corpora_part(args.data, storage, names)
            vocab = vocabulary(opened["embedded"], names)
            for ks in opened.values():
                ks.close()
        scales = [int(s) for s in args.scale.split(",") if s.strip()]
        if scales:
            scale_part(args.data, pg_url, chroma, vocab, scales, args.dense_scale)
    shutil.rmtree(args.data, ignore_errors=True)


if __name__ == "__main__":
    main()
