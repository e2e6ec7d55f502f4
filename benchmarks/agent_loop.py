"""The investigation loop's own overhead per step, generation excluded.

    python benchmarks/agent_loop.py [--steps 1 2 4 8] [--repeats 15]

A scripted model answers instantly (so generation costs nothing) with K tool calls, one per
turn, then a conclusion; the tool is a no-op registered in the real ToolRegistry (so each
call still pays validation, the thread-pool timeout, truncation and the SQLite audit row),
and the graph checkpoints to SQLite as in production. For each K it prints the whole turn's
p50 wall and CPU time (process CPU, all threads: the fairer figure on a shared, loaded
machine) and the marginal cost of one more step, (T(K) - T(1)) / (K - 1): one model turn
(message (de)serialisation, budget checks, stream filtering) plus one tool call (schema
check, registry, observation) plus the two checkpoints of the loop's super-steps.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import Field  # noqa: E402

from tools.base import Tool, ToolArgs  # noqa: E402

QUESTION = "帮我排查一下 SSH 连不上云服务器 127.0.0.1"


class NoopArgs(ToolArgs):
    step: int = Field(0, ge=0, description="第几步")


class NoopProbe(Tool):
    name = "noop_probe"
    description = "什么都不做的探测（基准测试用）"
    Args = NoopArgs

    def run(self, args: NoopArgs, call) -> dict:
        return {"summary": f"第 {args.step} 步正常", "healthy": True}


def turn_times(steps: int, repeats: int, root: Path, memory: bool = False) -> tuple[list[float], list[float]]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from graph.config import GraphSettings, InvestigateSettings
    from graph.context import GraphContext
    from graph.service import Copilot
    from models.llm.scripted import ScriptedLLM
    from tests.graph.fakes import FakeKnowledge
    from tools.config import ToolSettings
    from tools.deps import ToolDeps
    from tools.registry import build_registry

    settings = ToolSettings(rate_limit_per_minute=0)
    registry = build_registry(settings, root / f"tools-{steps}", knowledge=FakeKnowledge())
    registry.register(NoopProbe(ToolDeps.for_settings(settings)))
    outputs = [f'<tool_call>{json.dumps({"name": "noop_probe", "arguments": {"step": i}})}</tool_call>'
               for i in range(steps)] + ["结论：各项检查正常 [T1]。"]
    graph = GraphSettings(investigate=InvestigateSettings(max_steps=steps + 1, max_tool_calls=steps, max_passages=0,
                                                          tools=["noop_probe"]))
    context = GraphContext(llm=ScriptedLLM([""], cycle=True, tool_outputs=outputs), knowledge=FakeKnowledge(),
                           tools=registry, settings=graph, default_kb="demo")
    conn = sqlite3.connect(":memory:" if memory else str(root / f"conversations-{steps}.sqlite"),
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    copilot = Copilot(context, SqliteSaver(conn))
    walls, cpus = [], []
    run = uuid.uuid4().hex[:8]
    for i in range(repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        result = copilot.ask(QUESTION, f"s-{run}-{i}")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert result.investigation and result.investigation["tool_calls"] == steps, result.investigation
        if i:  # the first turn warms caches (prompt files, jieba, schema validators)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    registry.close()
    conn.close()
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--memory", action="store_true",
                        help="checkpoints in an in-memory SQLite database (shows what the disk commits cost)")
    args = parser.parse_args()
    steps = sorted(set(args.steps))
    with tempfile.TemporaryDirectory() as tmp:
        rows = {k: turn_times(k, args.repeats, Path(tmp), args.memory) for k in steps}
    base_wall, base_cpu = (statistics.median(v) for v in rows[steps[0]])
    print(f"{'steps':>5} {'turn wall p50 ms':>17} {'turn CPU p50 ms':>16} {'per extra step wall ms':>23} "
          f"{'per extra step CPU ms':>22}")
    for k in steps:
        wall, cpu = statistics.median(rows[k][0]), statistics.median(rows[k][1])
        extra = k - steps[0]
        per_wall = f"{(wall - base_wall) / extra:.2f}" if extra else "-"
        per_cpu = f"{(cpu - base_cpu) / extra:.2f}" if extra else "-"
        print(f"{k:>5} {wall:>17.1f} {cpu:>16.1f} {per_wall:>23} {per_cpu:>22}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
