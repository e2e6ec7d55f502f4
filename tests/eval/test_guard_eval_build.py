"""benchmarks/guard_eval.py measures the copilot `smart-copilot ask` runs: the user's settings apply."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_guard_eval_builds_with_the_settings_the_cli_reads(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    monkeypatch.setenv("SMART_COPILOT__GRAPH__GUARD_THRESHOLD", "0.91")
    sys.modules.pop("guard_eval", None)
    import guard_eval

    copilot = guard_eval.build(tmp_path / "data", "off")
    try:
        assert copilot.context.settings.guard_threshold == 0.91  # the CLI's load_settings reads it too
    finally:
        copilot.context.knowledge.close()
