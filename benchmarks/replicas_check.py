"""Issue 17 on real data: two app "replicas" (separate processes and data_dirs, one PostgreSQL and one
Chroma server) on the shared corpora, driven through the CLI as an operator would.

1. Concurrent ingest: replica A ingests istio-zh and replica B kubernetes-zh-cn into the same base
   at the same moment; the advisory writer lock serializes them (both complete; the second starts
   writing when the first is done). Vectors from the `hash` embedder (the stores' cost, not a model's).
2. Ingested on A, asked on B: the first N istio questions of tests/data/corpora_eval/istio.jsonl through
   `ask --json` on B (a new process per question, so every turn is also a "restarted replica");
   how often a gold page is cited, compared with `search` on A for the same questions.
3. A conversation across replicas: a question on A, its follow-up on B with the same --session.
4. An unreachable server: `kb list` against a closed port is exit code 2 and a Chinese message.

    nice -n 10 python benchmarks/replicas_check.py [--questions 20]

PostgreSQL and Chroma are started here (tests/fixtures/servers.py) unless SMART_COPILOT_TEST_PG_URL /
SMART_COPILOT_TEST_CHROMA name running ones.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_sets import read_jsonl  # noqa: E402
from benchmarks.storage_bench import load_note, servers  # noqa: E402
from tests.fixtures.servers import fresh_storage  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
KB = "corpora"


def config(root: Path, name: str, storage: dict) -> Path:
    path = root / name / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump({
        "data_dir": str(root / name / "data"), "storage": storage, "models": {"embedder": {"backend": "hash"}},
        "knowledge": {"dense": "sync", "writer_wait_s": 3600}}, allow_unicode=True), encoding="utf-8")
    return path


def cli(cfg: Path, *args: str) -> tuple[int, dict | str, float]:
    env = {**os.environ, "SMART_COPILOT_CONFIG": str(cfg)}
    env.pop("SMART_COPILOT__DATA_DIR", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    out: dict | str = done.stdout
    if "--json" in args and done.returncode == 0:
        out = json.loads(done.stdout)
    return done.returncode, out if done.returncode == 0 else done.stderr.strip(), wall


def gold_hit(sources: list[str], gold: list[str]) -> bool:
    return any(g.endswith(s) or s.endswith(g.split("/", 1)[1]) for s in sources for g in gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    with servers() as (pg_url, chroma), fresh_storage(pg_url, chroma) as storage, \
            tempfile.TemporaryDirectory(prefix="sc-replicas-") as tmp:
        a, b = config(Path(tmp), "a", storage), config(Path(tmp), "b", storage)
        print(f"## 1. concurrent ingest into one base ({load_note()})")
        jobs = [(a, "istio-zh"), (b, "kubernetes-zh-cn")]
        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(lambda c=c, f=f: (f, cli(c, "ingest", str(CORPORA / f), "--kb", KB, "--json",
                                                           "--no-progress"), time.perf_counter() - started))
                       for c, f in jobs]
            results = [fut.result() for fut in futures]
        for folder, (rc, report, wall), ended in results:
            if rc:
                print(f"- {folder}: exit {rc}: {report}")
                continue
            assert isinstance(report, dict)
            print(f"- {folder}: exit 0, added {report.get('added')}, updated {report.get('updated')}, "
                  f"chunks {report.get('chunks')}, "
                  f"wall {wall:.0f} s (finished {ended:.0f} s after both started)")
        rc, listing, _ = cli(b, "kb", "show", KB, "--json")
        if isinstance(listing, dict):
            print(f"- base `{KB}` seen from B: {listing.get('documents') if isinstance(listing.get('documents'), int) else len(listing.get('documents') or [])} "
                  f"documents, {listing.get('chunks')} chunks, dense pending {listing.get('dense_pending')}")

        print(f"\n## 2. ingested on A, asked on B ({load_note()})")
        path = ROOT / "tests" / "data" / "corpora_eval" / "istio.jsonl"
        items = read_jsonl(path)
        items = items[: args.questions]
        cited = searched = failed = 0
        walls = []
        for item in items:
            rc, out, wall = cli(b, "ask", item["question"], "--kb", KB, "--json")
            walls.append(wall)
            if rc or not isinstance(out, dict):
                failed += 1
                continue
            cited += gold_hit([c["source"] for c in out.get("citations") or []], item["gold"])
            rc, hits, _ = cli(a, "search", item["question"], "--kb", KB, "-k", "8", "--json")
            searched += bool(isinstance(hits, list) and gold_hit([h["source"] for h in hits], item["gold"]))
        walls.sort()
        print(f"- {len(items)} questions asked on B: {failed} failed; a gold page cited in {cited}; a gold page in "
              f"A's search top 8 for {searched}; ask wall per question (a new process each) p50 "
              f"{walls[len(walls) // 2]:.1f} s")

        print("\n## 3. one conversation, two replicas")
        rc, first, _ = cli(a, "ask", "Istio 的 ambient 模式里 ztunnel 是做什么的？", "--kb", KB, "--session", "s1", "--json")
        rc2, second, _ = cli(b, "ask", "它是单点故障吗？", "--kb", KB, "--session", "s1", "--json")
        if isinstance(first, dict) and isinstance(second, dict):
            print(f"- A: route {first['route']}, {len(first['citations'])} citations; B follow-up: route "
                  f"{second['route']}, standalone {second.get('standalone')}, "
                  f"{len(second['citations'])} citations")
        else:
            print(f"- failed: {first} / {second}")

        print("\n## 4. unreachable server")
        down = Path(tmp) / "down.yaml"
        down.write_text(yaml.safe_dump({"data_dir": str(Path(tmp) / "down"), "storage": {
            "mode": "server", "postgres": {"url": "postgresql://copilot@127.0.0.1:9/postgres", "connect_timeout_s": 2},
            "chroma": {"host": "127.0.0.1", "port": 9}}}), encoding="utf-8")
        rc, message, _ = cli(down, "kb", "list")
        print(f"- exit {rc}: {message}")


if __name__ == "__main__":
    main()
