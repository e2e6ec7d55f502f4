"""Storage benchmark: embedded (SQLite + Chroma persistent) vs server mode (PostgreSQL + Chroma server).

1. Each of the three shared corpora ingested into its own base in both modes: ingest throughput
   (files, chunks/s; vectors from the `hash` embedder so the figure is the stores' cost, not a
   model's) and hybrid search p50/p95 over that corpus's 50 evaluation questions
   (tests/data/corpora_eval/*.jsonl), keyword-only and hybrid. Process CPU s counts this process only
   (in server mode PostgreSQL's and Chroma's own work is in other processes).
2. A cold replica's first keyword search on each corpus in server mode (a new process's service
   on an empty data_dir: it builds the in-memory chunk BM25 and page index from PostgreSQL).

Server mode at 100k and 1M generated chunks: benchmarks/server_scale.py.

PostgreSQL and Chroma are started here (tests/fixtures/servers.py) unless SMART_COPILOT_TEST_PG_URL /
SMART_COPILOT_TEST_CHROMA name running ones. Run it niced; the machine is shared:

    nice -n 10 python benchmarks/storage_bench.py --data /tmp/sc-storage [--corpora tidb,kubernetes]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402
from app.storage.build import open_knowledge_backend  # noqa: E402
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
    with counting_statements() as count:
        for q in qs:
            started = time.perf_counter()
            ks.retrieve(q, kb=kb, k=8, mode=mode)
            times.append(1000 * (time.perf_counter() - started))
    STATEMENTS[mode] = count[0] / len(qs)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


STATEMENTS: dict[str, float] = {}
"""PostgreSQL statements per search of the last `latency` run of each mode (0 in embedded mode)."""


@contextlib.contextmanager
def counting_statements():
    """[n]: statements sent through psycopg inside the block (Connection.execute and the pool's
    connection check go through Cursor.execute): the round trips a search costs, unlike its wall
    time independent of the machine's load."""
    import psycopg

    count, real = [0], psycopg.Cursor.execute

    def execute(self, *args, **kwargs):
        count[0] += 1
        return real(self, *args, **kwargs)

    psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    try:
        yield count
    finally:
        psycopg.Cursor.execute = real  # type: ignore[method-assign]


def service(mode: str, data: Path, storage: dict, dense: str = "sync") -> KnowledgeService:
    settings = Settings.model_validate({"data_dir": str(data), "knowledge": {"dense": dense},
                                        **({"storage": storage} if mode == "server" else {})})
    return KnowledgeService(settings.knowledge, data, HashEmbedder(dim=DIM), backend=open_knowledge_backend(settings))


def corpora_part(data: Path, storage: dict, names: list[str]) -> dict[str, KnowledgeService]:
    opened = {mode: service(mode, data / mode, storage) for mode in ("embedded", "server")}
    print("| corpus | mode | files | chunks | ingest wall s | chunks/s | process CPU s | keyword p50 ms | p95 ms "
          "| hybrid p50 ms | p95 ms | PG statements per keyword / hybrid search |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
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
                  f"{used:.1f} | {k50:.1f} | {k95:.1f} | {p50:.1f} | {p95:.1f} | "
                  f"{STATEMENTS['lexical']:.1f} / {STATEMENTS['hybrid']:.1f} |  ({load_note()})", flush=True)
    return opened


def cold_part(data: Path, storage: dict, names: list[str]) -> None:
    """A new replica (empty data_dir) answers its first keyword search: the keyword indexes are built then."""
    print("\n| corpus | cold replica's first keyword search: wall s | CPU s | next search ms |")
    print("|---|---|---|---|")
    for name in names:
        qs = questions(name)
        ks = service("server", data / f"cold-{name}", storage)
        started, cpu = time.perf_counter(), time.process_time()
        ks.retrieve(qs[0], kb=name, mode="lexical")
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        ks.retrieve(qs[1], kb=name, mode="lexical")
        print(f"| {name} | {wall:.2f} | {used:.2f} | {1000 * (time.perf_counter() - started):.1f} |  ({load_note()})",
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
    parser.add_argument("--corpora", default=",".join(SETS), help="which corpora (kubernetes,tidb,istio)")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA}")
    shutil.rmtree(args.data, ignore_errors=True)
    with servers() as (pg_url, chroma):
        with fresh_storage(pg_url, chroma) as storage:
            names = [n for n in args.corpora.split(",") if n]
            opened = corpora_part(args.data, storage, names)
            for ks in opened.values():
                ks.close()
            cold_part(args.data, storage, names)
    shutil.rmtree(args.data, ignore_errors=True)


if __name__ == "__main__":
    main()
