"""Progress of long CLI work on stderr: tqdm bars on a terminal, plain lines anywhere else.

Logs, CI jobs and pipes get a line every `interval` seconds per stage (done/total, share,
elapsed, estimated time left) and a closing line for stages that printed any; runs shorter
than the interval print nothing. Tested in tests/app/test_progress.py.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, TextIO

INTERVAL_S = 5.0


def duration(seconds: float) -> str:
    """"42 秒", "3 分 05 秒", "1 小时 02 分"."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} 秒"
    if seconds < 3600:
        return f"{seconds // 60} 分 {seconds % 60:02d} 秒"
    return f"{seconds // 3600} 小时 {seconds % 3600 // 60:02d} 分"


class ProgressLines:
    """`progress(stage, done, total)` callback printing plain lines at most every `interval` seconds."""

    def __init__(self, stream: TextIO | None = None, interval: float = INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.clock = clock
        self._stages: dict[str, dict[str, Any]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        state = self._stages.setdefault(stage, {"start": now, "last": now, "printed": False, "finished": False})
        if state["finished"]:
            return
        finished = total > 0 and done >= total
        if finished and state["printed"]:
            self._line(stage, done, total, now, state)
            state["finished"] = True
        elif not finished and now - state["last"] >= self.interval:
            self._line(stage, done, total, now, state)

    def _line(self, stage: str, done: int, total: int, now: float, state: dict) -> None:
        elapsed = now - state["start"]
        share = done / total if total else 0.0
        text = f"{stage}：{done}/{total}（{share:.0%}），已用 {duration(elapsed)}"
        if 0 < done < total:
            text += f"，预计还需 {duration(elapsed / done * (total - done))}"
        elif done >= total:
            text += "，完成"
        print(text, file=self.stream, flush=True)
        state["last"], state["printed"] = now, True

    def close(self) -> None:
        pass


class Bars:
    """One tqdm bar per stage on stderr (a terminal)."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="个", file=sys.stderr, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def stderr_progress(enabled: bool = True) -> Any:
    """Bars on a terminal, lines otherwise, nothing when disabled (`--no-progress`)."""
    if not enabled:
        return None
    return Bars() if sys.stderr.isatty() else ProgressLines()
