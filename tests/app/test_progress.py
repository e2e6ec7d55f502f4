"""Progress on stderr without a terminal: a line every few seconds with done/total and ETA."""

from __future__ import annotations

import io

from app.progress import ProgressLines, duration


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_interval_with_eta_and_a_closing_line():
    out, clock = io.StringIO(), Clock()
    progress = ProgressLines(out, interval=5, clock=clock)
    progress("向量", 0, 1000)
    for done in range(100, 1001, 100):
        clock.now += 2
        progress("向量", done, 1000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # at 6 s, 12 s, 18 s, then the closing line at 20 s
    assert lines[0] == "向量：300/1000（30%），已用 6 秒，预计还需 14 秒"
    assert lines[-1] == "向量：1000/1000（100%），已用 20 秒，完成"


def test_a_short_run_prints_nothing():
    out, clock = io.StringIO(), Clock()
    progress = ProgressLines(out, interval=5, clock=clock)
    for done in range(1, 11):
        clock.now += 0.1
        progress("索引", done, 10)
    assert out.getvalue() == ""


def test_durations_read_naturally():
    assert duration(42) == "42 秒" and duration(185) == "3 分 05 秒" and duration(3720) == "1 小时 02 分"
