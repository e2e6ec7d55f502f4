"""Cost of keeping each turn's result with the conversation (app/ui/conversation_service.py).

Runs `--turns` questions in one conversation on the real Copilot (extractive mode, a small
slice of the demo KB, hash embedder) and times, per turn, the extra work the app now does
after the answer: `Conversations.record` (one history read + one SQLite row). Then times
`reopen` of the whole conversation (every answer re-rendered with its citation links) and a
content search over it. Prints CPU and wall milliseconds (the machine is shared: CPU time is
the steadier figure) and the stored size per turn.

    python benchmarks/turn_store.py --turns 20
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUESTIONS = ["SSH 连接超时怎么办？", "MySQL 存储写满了会怎样", "安全组规则不生效怎么办", "云服务器 CPU 使用率 100% 怎么排查？",
             "MySQL 报 Too many connections 怎么处理？"]


def timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    value = fn()
    return value, (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sc-turn-store-") as root:  # a small demo base and its turns
        measure(args, Path(root))


def measure(args: argparse.Namespace, root: Path) -> None:

    from app.ui.conversation_service import Conversations
    from app.ui.conversation_store import ConversationStore
    from app.wiring import build_copilot
    from tests.app.ui_server import ingest_small_demo, small_settings

    settings = small_settings(root)
    ingest_small_demo(settings)
    copilot = build_copilot(settings)
    path = Path(settings.data_dir) / "conversations.sqlite"
    conversations = Conversations(copilot, ConversationStore(path), settings.app.trash_days)
    record_cpu, record_wall, turn_wall = [], [], []
    run = uuid.uuid4().hex[:8]
    session = f"bench-{run}"  # one conversation, this run's own
    for i in range(args.turns):
        question = QUESTIONS[i % len(QUESTIONS)]
        result, _, wall = timed(lambda: copilot.ask(question, session).to_json())
        turn_wall.append(wall)
        _, cpu, wall = timed(lambda: conversations.record("local", session, question, result))
        record_cpu.append(cpu)
        record_wall.append(wall)
    (messages, turns, _), reopen_cpu, reopen_wall = timed(lambda: conversations.reopen("local", session))
    found, search_cpu, search_wall = timed(lambda: conversations.listing("local", "super_read_only"))
    with sqlite3.connect(str(path)) as conn:
        size = conn.execute("SELECT AVG(LENGTH(result)) FROM ui_turns").fetchone()[0]
    print(json.dumps({
        "turns": args.turns,
        "turn_wall_ms_p50": round(statistics.median(turn_wall), 1),
        "record_cpu_ms_p50": round(statistics.median(record_cpu), 2),
        "record_wall_ms_p50": round(statistics.median(record_wall), 2),
        "record_wall_ms_max": round(max(record_wall), 2),
        "reopen_cpu_ms": round(reopen_cpu, 1), "reopen_wall_ms": round(reopen_wall, 1),
        "reopened_answers": len(turns), "messages": len(messages),
        "search_cpu_ms": round(search_cpu, 2), "search_hits": len(found),
        "stored_bytes_per_turn": int(size or 0),
    }, ensure_ascii=False, indent=1))
    copilot.context.knowledge.close()


if __name__ == "__main__":
    main()
