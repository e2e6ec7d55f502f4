"""The runner with a scripted driver (canned TurnResult JSON per turn): pass/fail lines with the
actual value, known issues, errors of a turn, skipped scenarios, and the closing line."""

from __future__ import annotations

from app.evaluation.runner import format_report, run_scenarios
from app.evaluation.scenario import Scenario
from tests.eval.test_expectations import RESULT, RUNBOOK_RESULT


class ScriptedDriver:
    """Replays results in order and records the calls it got."""

    name = "scripted"

    def __init__(self, results):
        self.results = list(results)
        self.calls = []

    def ask(self, message, session, kb=None):
        self.calls.append(("ask", message, session, kb))
        return self._next()

    def resume(self, session, reply):
        self.calls.append(("resume", reply, session))
        return self._next()

    def _next(self):
        item = self.results.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def scenario(**data) -> Scenario:
    return Scenario.model_validate(data)


def test_pass_and_fail_lines_and_closing_line():
    ok = scenario(name="ok", turns=[{"user": "SSH 端口", "expect": {"route": "knowledge", "answer_contains": ["22"]}}])
    bad = scenario(name="bad", turns=[{"user": "SSH 端口", "expect": {"route": "runbook"}},
                                      {"action": "approve", "expect": {"waiting": "approve"}}])
    driver = ScriptedDriver([RESULT, RESULT, RUNBOOK_RESULT])
    report = run_scenarios([ok, bad], lambda s: driver)
    text = format_report(report)
    assert "PASS ok" in text and "FAIL bad" in text
    assert "FAIL route: expected runbook; actual knowledge" in text
    assert "FAIL waiting: expected approve; actual ask" in text
    assert text.splitlines()[-1] == "2 passed, 2 failed"
    assert not report.ok
    assert [c[0] for c in driver.calls] == ["ask", "ask", "resume"]
    assert driver.calls[1][2] == driver.calls[2][2] != driver.calls[0][2]  # one session per scenario
    data = report.to_json()
    assert (data["passed"], data["failed"], data["scenarios_fail"]) == (2, 2, 1)
    assert data["results"][1]["turns"][0]["checks"][0]["actual"] == "knowledge"


def test_turn_error_is_a_failure_and_stops_the_scenario():
    s = scenario(name="err", turns=[{"reply": "Linux"}, {"user": "never sent"}])
    driver = ScriptedDriver([RuntimeError("当前会话没有等待回复的排障流程。")])
    report = run_scenarios([s], lambda _: driver)
    outcome = report.scenarios[0]
    assert len(outcome.turns) == 1 and outcome.status == "FAIL"
    assert "当前会话没有等待回复的排障流程" in outcome.turns[0].checks[0].actual
    assert format_report(report).endswith("0 passed, 1 failed")


def test_known_issue_and_skip_do_not_fail_the_run():
    known = scenario(name="known", known_issue="rewrite bug", turns=[{"user": "x", "expect": {"refused": True}}])
    fixed = scenario(name="fixed", known_issue="was broken", turns=[{"user": "x", "expect": {"refused": False}}])
    skipped = scenario(name="skipped", settings={"graph": {"max_sub_questions": 2}}, turns=[{"user": "x"}])
    driver = ScriptedDriver([RESULT, RESULT])
    report = run_scenarios([known, fixed, skipped], lambda s: "needs in-process" if s.settings else driver)
    assert [s.status for s in report.scenarios] == ["XFAIL", "XPASS", "SKIP"]
    assert report.ok
    text = format_report(report)
    assert "known issue: rewrite bug" in text and "SKIP skipped: needs in-process" in text
    assert "可去掉 known_issue" in text
    assert text.splitlines()[-1] == "1 passed, 0 failed"


def test_failures_only_output_hides_passing_checks():
    s = scenario(name="mixed", turns=[{"user": "a", "expect": {"route": "knowledge"}},
                                      {"user": "b", "expect": {"refused": True}}])
    report = run_scenarios([s], lambda _: ScriptedDriver([RESULT, RESULT]))
    text = format_report(report, verbose=False)
    assert "ok   route" not in text and "FAIL refused" in text and "turn 1" not in text
