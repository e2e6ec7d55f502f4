"""The status tab's background-job lines and the health payload while starting."""

from __future__ import annotations

import time

from app.ui.status_tab import duration, health, jobs_markdown
from knowledge.jobs import JobBoard


def test_a_running_backfill_line_has_progress_and_an_eta_from_the_rate_so_far():
    board = JobBoard()
    board.start("demo", 400)
    [job] = board.list()
    assert "0 / 400 个切块（0%），正在估算剩余时间" in jobs_markdown([job])
    board._jobs["demo"].started_at -= 30  # 100 chunks in 30 s: 300 left take about 90 s
    board.advance("demo", 100, 400)
    [job] = board.list()
    assert 85 <= job["eta_s"] <= 100
    line = jobs_markdown([job])
    assert line.startswith("### 后台任务\n- 向量补全 · 知识库 **demo**：100 / 400 个切块（25%），预计还需约 1 分 3")
    assert "只参与关键词检索" in line


def test_finished_failed_and_no_jobs():
    board = JobBoard(keep_s=60)
    board.start("a", 10)
    board.advance("a", 10, 10)
    board.finish("a")
    board.start("b", 10)
    board.finish("b", error="OSError: disk full")
    text = jobs_markdown(board.list())
    assert "**a**：已完成，10 个切块" in text and "**b**：出错，已停止（OSError: disk full）" in text
    board._jobs["a"].finished_at = time.time() - 61
    assert [j["kb"] for j in board.list()] == ["b"], "finished jobs leave the list after keep_s"
    assert jobs_markdown([]).endswith("当前没有后台任务")
    assert [duration(s) for s in (0.2, 42, 125, 7300)] == ["不到 1 秒", "42 秒", "2 分 05 秒", "2 小时 01 分"]


def test_health_says_starting_before_the_app_serves():
    payload, code = health(object(), starting=True)
    assert code == 503 and payload["status"] == "starting"
