"""Runbook trigger scoring: keyword hits (ASCII as whole words) and example similarity."""

from __future__ import annotations

from tools.runbooks.matching import keyword_hit, score, similarity
from tools.runbooks.schema import Runbook


def test_keyword_hits() -> None:
    assert keyword_hit("dig", "dig +short a.example.com") and not keyword_hit("dig", "digital ocean")
    assert keyword_hit("502", "网站返回502") and not keyword_hit("502", "订单号 15020")
    assert keyword_hit("Too Many Connections", "ERROR 1040: too many connections")
    assert keyword_hit("磁盘满", "服务器磁盘满了")


def test_similarity_and_score() -> None:
    assert similarity("ssh 连不上服务器", "ssh 连不上服务器") == 1.0
    assert similarity("怎么开发票", "ssh 连不上服务器") == 0.0
    runbook = Runbook.model_validate({"id": "r", "title": "t", "description": "d",
                                      "triggers": {"keywords": ["ssh", "22 端口"], "examples": ["SSH 连不上云服务器"]},
                                      "steps": [{"id": "e", "kind": "escalate", "reason": "r", "next_step": "n"}]})
    assert score("ssh 22 端口不通", runbook) > score("ssh 不通", runbook) > score("发票", runbook) == 0.0
