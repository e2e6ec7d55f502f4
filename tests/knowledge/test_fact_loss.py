"""benchmarks/fact_loss.fact_stage: the first stage that lost a key fact (issue 21)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from fact_loss import fact_stage  # noqa: E402


def has(text: str) -> bool:
    return "hairpin" in text


def gold(source: str) -> bool:
    return source == "debug-service.md"


def test_a_fact_in_the_evidence_but_not_the_answer_was_trimmed():
    assert fact_stage(has, [("debug-service.md", "hairpin")], ["hairpin-mode"], gold) == "trimmed"


def test_a_fact_retrieved_but_in_no_evidence_was_not_selected():
    assert fact_stage(has, [("other.md", "hairpin")], ["kube-proxy"], gold) == "not_selected"


def test_the_gold_page_retrieved_without_the_fact_is_another_section():
    assert fact_stage(has, [("debug-service.md", "kube-proxy 正常运行吗")], [], gold) == "other_section"
    assert fact_stage(has, [("other.md", "kube-proxy")], [], gold) == "no_page"
