"""Where server_scale.py's time goes: this process's and PostgreSQL's CPU, ingest phases, percentiles.

`PhaseSampler` is a sampling profiler over the ingesting thread (PHASES: the functions it
attributes time to, by file and name); `pg_cpu`/`pg_spent` read PostgreSQL's processes' CPU.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
from collections import Counter

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


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]
