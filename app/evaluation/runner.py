"""Run scenarios turn by turn, check expectations, and render the pass/fail report.

Each scenario gets its own session. A turn that raises is reported as a failed `error`
check with the message and ends that scenario; the run goes on with the next one.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from app.evaluation.drivers import Driver
from app.evaluation.expectations import Check, check_turn, short
from app.evaluation.scenario import Scenario

log = logging.getLogger(__name__)

DriverFor = Callable[[Scenario], "Driver | str"]
"""A driver for the scenario, or the reason it cannot run here (the scenario is skipped)."""


@dataclass
class TurnOutcome:
    index: int
    kind: str
    text: str
    checks: list[Check] = field(default_factory=list)
    result: dict[str, Any] | None = None
    elapsed: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def to_json(self, with_result: bool = False) -> dict[str, Any]:
        data = {"index": self.index, "kind": self.kind, "text": self.text, "passed": self.passed,
                "elapsed": round(self.elapsed, 3), "checks": [c.to_json() for c in self.checks]}
        if with_result:
            data["result"] = self.result
        return data


@dataclass
class ScenarioOutcome:
    name: str
    source: str
    turns: list[TurnOutcome] = field(default_factory=list)
    skipped: str | None = None
    known_issue: str | None = None

    @property
    def checks(self) -> list[Check]:
        return [c for t in self.turns for c in t.checks]

    @property
    def passed(self) -> bool:
        return self.skipped is None and all(c.passed for c in self.checks)

    @property
    def status(self) -> str:
        """PASS, FAIL, SKIP, XFAIL (a known issue still fails) or XPASS (a known issue no longer fails)."""
        if self.skipped is not None:
            return "SKIP"
        if self.known_issue:
            return "XPASS" if self.passed else "XFAIL"
        return "PASS" if self.passed else "FAIL"

    def to_json(self, with_results: bool = False) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "status": self.status, "passed": self.passed,
                "skipped": self.skipped, "known_issue": self.known_issue,
                "turns": [t.to_json(with_results) for t in self.turns]}


@dataclass
class RunReport:
    driver: str
    scenarios: list[ScenarioOutcome]
    elapsed: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        """Expectations passed / failed (known issues' failures counted as xfailed), and scenarios by status."""
        checks = [c for s in self.scenarios for c in s.checks]
        statuses = [s.status for s in self.scenarios]
        return {"passed": sum(c.passed for c in checks),
                "failed": sum(not c.passed for s in self.scenarios if not s.known_issue for c in s.checks),
                "xfailed": sum(not c.passed for s in self.scenarios if s.known_issue for c in s.checks),
                "scenarios": len(self.scenarios),
                **{f"scenarios_{k.lower()}": statuses.count(k) for k in ("PASS", "FAIL", "SKIP", "XFAIL", "XPASS")}}

    @property
    def ok(self) -> bool:
        return self.counts["failed"] == 0

    def to_json(self, with_results: bool = False) -> dict[str, Any]:
        return {"driver": self.driver, "elapsed": round(self.elapsed, 2), **self.counts, "ok": self.ok,
                "results": [s.to_json(with_results) for s in self.scenarios]}


def run_turn(driver: Driver, scenario: Scenario, index: int, session: str) -> TurnOutcome:
    turn = scenario.turns[index]
    outcome = TurnOutcome(index=index + 1, kind=turn.kind, text=turn.text)
    started = time.perf_counter()
    try:
        if turn.kind == "user":
            outcome.result = driver.ask(turn.text, session, kb=scenario.kb)
        else:
            outcome.result = driver.resume(session, turn.text)
    except Exception as exc:  # any failure of the copilot is a test failure with its message, not a crash
        log.debug("turn %s of %s failed", index + 1, scenario.name, exc_info=True)
        outcome.checks = [Check("error", False, "no error", f"{type(exc).__name__}: {short(str(exc))}")]
    else:
        outcome.checks = check_turn(turn.expect, outcome.result)
    outcome.elapsed = time.perf_counter() - started
    return outcome


def run_scenario(scenario: Scenario, driver: Driver) -> ScenarioOutcome:
    outcome = ScenarioOutcome(name=scenario.name, source=scenario.source)
    session = f"eval-{scenario.name}-{uuid.uuid4().hex[:8]}"
    for index in range(len(scenario.turns)):
        turn = run_turn(driver, scenario, index, session)
        outcome.turns.append(turn)
        if any(c.name == "error" for c in turn.checks):
            break
    return outcome


def run_scenarios(scenarios: list[Scenario], driver_for: DriverFor,
                  progress: Callable[[ScenarioOutcome], None] | None = None) -> RunReport:
    """Every scenario in order; `driver_for` may return a reason string to skip one."""
    started = time.perf_counter()
    outcomes = []
    name = "?"
    for scenario in scenarios:
        driver = driver_for(scenario)
        if isinstance(driver, str):
            outcome = ScenarioOutcome(name=scenario.name, source=scenario.source, skipped=driver)
        else:
            name = driver.name
            outcome = run_scenario(scenario, driver)
        outcome.known_issue = scenario.known_issue
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return RunReport(driver=name, scenarios=outcomes, elapsed=time.perf_counter() - started)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else short(repr(value) if not isinstance(value, (list, dict)) else value)


def format_scenario(outcome: ScenarioOutcome, verbose: bool = True) -> list[str]:
    if outcome.skipped:
        return [f"SKIP {outcome.name}: {outcome.skipped}"]
    lines = [f"{outcome.status} {outcome.name}  ({outcome.source})"]
    if not verbose and outcome.passed:
        return lines
    if outcome.known_issue:
        lines.append(f"  known issue: {outcome.known_issue}")
    for turn in outcome.turns:
        if not verbose and turn.passed:
            continue
        lines.append(f"  turn {turn.index} [{turn.kind}] {short(turn.text, 60)}  ({turn.elapsed:.2f}s)")
        for c in turn.checks:
            if verbose or not c.passed:
                mark = "ok  " if c.passed else "FAIL"
                want = "" if c.passed else f" expected {_value(c.expected)};"
                lines.append(f"    {mark} {c.name}:{want} actual {_value(c.actual)}")
    return lines


def format_report(report: RunReport, verbose: bool = True) -> str:
    """Human report; its closing line is `N passed, N failed`."""
    lines: list[str] = []
    for outcome in report.scenarios:
        lines += format_scenario(outcome, verbose)
    counts = report.counts
    lines.append("")
    lines.append(f"场景：{counts['scenarios']} 个，通过 {counts['scenarios_pass']}，失败 {counts['scenarios_fail']}，"
                 f"跳过 {counts['scenarios_skip']}，已知问题 {counts['scenarios_xfail']}（仍失败）/ "
                 f"{counts['scenarios_xpass']}（已通过）（{report.driver}，{report.elapsed:.1f}s）")
    for status, label in (("FAIL", "失败的场景"), ("XPASS", "已知问题已不再失败，可去掉 known_issue")):
        names = [s.name for s in report.scenarios if s.status == status]
        if names:
            lines.append(f"{label}：" + "、".join(names))
    if counts["xfailed"]:
        lines.append(f"已知问题的检查项失败 {counts['xfailed']} 个（xfailed，不计入失败）")
    lines.append(f"{counts['passed']} passed, {counts['failed']} failed")
    return "\n".join(lines)
