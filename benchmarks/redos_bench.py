"""Hostile-input benchmark: time (and memory) per input size for every pattern and entry point.

    nice -n 10 python benchmarks/redos_bench.py [--quick]

1. Patterns: every module-level pattern of the project (tests/hardening/patterns.py) against
   pumps built from its own pieces; the worst pump per pattern is timed at 500, 1,000 and
   2,000 characters (search + fullmatch, best of 3). Growth 500 -> 2,000 is about 4 when
   linear, 16 when quadratic.
2. Entry points, inputs of at most 2,000 characters (the worst pumps of part 1 and the
   inputs that froze the server): a chat turn, analyze, a runbook reply to the SSH host
   prompt, search and the answer sanitizer, on the demo KB in extractive mode. The CPU time
   of the whole call bounds the time spent matching patterns; the share of it inside
   re/re2 calls is estimated with cProfile for the worst input.
3. Bulk inputs: log_analysis on 2 MB lines and ingest of long or flooded documents, with
   peak Python memory (tracemalloc), and overlong messages refused before any pattern.

Target: no input of <= 2,000 characters spends more than 100 ms in pattern matching.
The machine is shared by several engineers: wall figures vary; CPU time is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening.patterns import attack_strings, project_patterns  # noqa: E402

SIZES = (500, 1000, 2000)
CLASSICS = ["a" * 1999 + "!", "a" * 27 + "!", "# a" + " " * 1995 + "b", "port" + " " * 1995 + "x",
            "那" + " " * 1998 + "!", "如果是X" + " " * 1994 + "!", "\n" * 1999 + "a", "你好呀" * 666 + "x",
            "[" * 1999 + "!", "](" * 999 + "!", "<!--" * 500, "{{< gloss " + " " * 1989 + "b",
            "connect() failed " * 117 + "x", "a." * 999 + "!", "`" * 1999 + "<", "&amp;" * 399 + "<"]


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def best(fn: Callable[[], object], runs: int = 3) -> float:
    return min(cpu(fn) for _ in range(runs))


def pattern_share(fn: Callable[[], object]) -> float:
    """Share of fn()'s profiled time spent inside compiled-pattern methods (re and re2); the
    profiler slows every call, so only the share is used, never its milliseconds."""
    profile = cProfile.Profile()
    profile.enable()
    try:
        fn()
    except Exception:  # the call's own outcome is measured elsewhere
        pass
    finally:
        profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values()) or 1.0
    inside = sum(row[2] for (_, _, name), row in stats.items()
                 if "re.Pattern" in name or "_sre" in name or "re2" in name or "SRE_Scanner" in name)
    return inside / total


def part_patterns(quick: bool) -> list[str]:
    rows = []
    worst_inputs = []
    for found in project_patterns():
        pattern = found.pattern

        def run(text: str) -> None:
            pattern.search(text)
            pattern.fullmatch(text)

        attacks = list(attack_strings(pattern, 200, pairs=10 if quick else 40))
        if quick:
            attacks = attacks[::3]
        ranked = sorted(((cpu(lambda t=t: run(t)), label) for label, t in attacks), reverse=True)[:3]
        worst = None
        for _, label in ranked:
            by_size = {n: dict(attack_strings(pattern, n, pairs=40))[label][:n] for n in SIZES}
            times = {n: best(lambda t=t: run(t)) for n, t in by_size.items()}
            if worst is None or times[2000] > worst[1][2000]:
                worst = (label, times, by_size[2000])
        label, times, text = worst
        worst_inputs.append((times[2000], text))
        rows.append((times[2000], found.key, label, times))
    rows.sort(reverse=True)
    print(f"\n## 1. Patterns ({len(rows)}), worst pump each, CPU ms at 500 / 1000 / 2000 chars\n")
    print("| pattern | worst pump | 500 | 1000 | 2000 | growth 500→2000 |")
    print("|---|---|---|---|---|---|")
    for t2000, key, label, times in rows[:15]:
        growth = times[2000] / max(times[500], 1e-6)
        print(f"| `{key}` | `{label[:40]}` | {times[500] * 1000:.2f} | {times[1000] * 1000:.2f} | "
              f"{t2000 * 1000:.2f} | {growth:.1f} |")
    growths = [r[3][2000] / max(r[3][500], 1e-5) for r in rows if r[3][2000] > 5e-5]
    print(f"\nmax at 2000 chars: {rows[0][0] * 1000:.2f} ms ({rows[0][1]}); median growth of patterns above "
          f"0.05 ms: {statistics.median(growths) if growths else 0:.1f}; max growth {max(growths or [0]):.1f}")
    worst_inputs.sort(key=lambda item: item[0], reverse=True)
    return [text for _, text in worst_inputs[:20]]


def build_copilot(data_dir: Path):
    from app.settings import load_settings
    from app.wiring import build_copilot as wire

    settings = load_settings(env={"SMART_COPILOT__DATA_DIR": str(data_dir), "SMART_COPILOT__KNOWLEDGE__DENSE": "off",
                                  "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash"})
    return wire(settings)


def part_entry_points(copilot, inputs: list[str]) -> None:
    from app.ui.sanitize import safe_markdown
    from graph.errors import GraphError

    knowledge = copilot.context.knowledge
    counter = iter(range(10**6))
    run = uuid.uuid4().hex[:8]

    def waiting_session() -> str:
        session = f"rb-{run}-{next(counter)}"
        copilot.ask("SSH 连不上，帮我排查一下 ssh 连接", session)
        return session

    entry = {
        "chat turn (ask)": lambda text: (lambda: copilot.ask(text, f"c-{run}-{next(counter)}")),
        "analyze": lambda text: (lambda: copilot.analyze(text)),
        "runbook reply (resume)": lambda text: (lambda s=waiting_session(): copilot.resume(s, text)),
        "search": lambda text: (lambda: knowledge.search(text, kb="demo")),
        "answer sanitizer": lambda text: (lambda: safe_markdown(text)),
    }
    print(f"\n## 2. Entry points, {len(inputs)} inputs of 1,980-2,000 characters (CPU ms, best of 3 runs)\n")
    print("| entry point | inputs | handled | whole call max | median | worst input | pattern share of the worst |")
    print("|---|---|---|---|---|---|---|")
    for name, make in entry.items():
        calls, handled = [], 0
        for text in inputs:
            try:
                calls.append((min(cpu(make(text)) for _ in range(3)) * 1000, text))
                handled += 1
            except GraphError:
                handled += 1  # a clear message is a handled input
                calls.append((0.0, text))
        worst_ms, worst_text = max(calls)
        share = pattern_share(make(worst_text))
        print(f"| {name} | {len(inputs)} | {handled} | {worst_ms:.0f} | {statistics.median(c for c, _ in calls):.0f} | "
              f"`{worst_text[:12]!r}…` | {share:.0%} |")


def part_bulk(copilot, tmp: Path) -> None:
    from graph.errors import GraphError
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder
    from tools.base import ToolCall
    from tools.config import ToolSettings
    from tools.deps import ToolDeps
    from tools.log_analysis import MAX_LOG_CHARS, LogAnalysis, LogArgs

    print("\n## 3. Bulk inputs (CPU s; peak Python memory with tracemalloc, measured in a second run)\n")
    print("| input | size | outcome | CPU s | peak MB |")
    print("|---|---|---|---|---|")
    run = uuid.uuid4().hex[:8]

    def row(name: str, size: str, fn: Callable[[], str]) -> None:
        start = time.process_time()
        outcome = fn()
        seconds = time.process_time() - start
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 1048576
        tracemalloc.stop()
        print(f"| {name} | {size} | {outcome} | {seconds:.2f} | {peak:.0f} |")

    logs = {"one line `connect() failed ` × n (was > 300 s)": ("connect() failed " * (MAX_LOG_CHARS // 17)),
            "one line of `a`": "a" * MAX_LOG_CHARS,
            "20,000 nginx 502 lines": "2024/01/01 [error] connect() failed (111) while connecting to upstream\n" * 25_000}
    for name, text in logs.items():
        text = text[:MAX_LOG_CHARS]
        row(f"log_analysis: {name}", "2 MB",
            lambda t=text: LogAnalysis(ToolDeps.for_settings(ToolSettings())).run(
                LogArgs(text=t), ToolCall("s", "u"))["summary"][:30])

    docs = {"long.txt": ("一行没有标点的长文本" * 800_000)[:8_000_000],
            "heading.md": "# 标题\n\n## a" + " " * 1_000_000 + "b\n\n正文。",
            "shortcodes.md": "# 短代码\n\n" + "{{< gloss " * 100_000 + "正文。",
            "comments.md": "# 注释\n\n" + "<!--" * 250_000 + "正文。",
            "frontmatter.md": "---" + "\n" * 1_000_000 + "正文。",
            "div.html": "<html><body><div>" + "段落文字。" * 200_000 + "</div></body></html>"}
    for name, text in docs.items():
        folder = tmp / f"doc-{name}"
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")

        def ingest(folder: Path = folder) -> str:
            ks = KnowledgeService(KnowledgeSettings(dense="off"), tmp / f"data-{time.monotonic_ns()}", HashEmbedder(64))
            try:
                entry = ks.ingest([folder], kb="b").files[0]
            finally:
                ks.close()
            return f"{entry['status']}, {entry['chunks']} chunks" + (f" ({entry['error'][:24]}…)" if entry["error"] else "")

        row(f"ingest {name}", f"{len(text.encode()) / 1048576:.1f} MB", ingest)

    def refused(text: str) -> str:
        try:
            copilot.ask(text, f"over-{run}")
        except GraphError as exc:
            return f"refused: {str(exc)[:20]}…"
        return "answered"

    for size in (2001, 1_000_000):
        row("chat message over the limit", f"{size:,} chars", lambda n=size: refused("端" * n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pumps per pattern (a smoke run)")
    args = parser.parse_args()
    started = time.monotonic()
    worst = part_patterns(args.quick)
    inputs = [text[:2000] for text in worst + CLASSICS]
    with tempfile.TemporaryDirectory(prefix="sc-redos-") as tmp:
        copilot = build_copilot(Path(tmp) / "data")
        part_entry_points(copilot, inputs)
        part_bulk(copilot, Path(tmp))
        copilot.context.knowledge.close()
    print(f"\ntotal {time.monotonic() - started:.0f} s wall (shared machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
