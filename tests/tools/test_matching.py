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


def test_an_offer_needs_the_runbooks_problem_not_only_a_shared_word() -> None:
    from tools.runbooks import load_runbooks
    from tools.runbooks.matching import names_symptom

    books = load_runbooks()
    stated = [("磁盘满了", "disk-full"), ("SSH 连接超时怎么办？", "ssh-rdp-cannot-connect"),
              ("mysql 报 1040 咋整", "mysql-too-many-connections"), ("偶发 502 低峰过后特别多", "website-502-504"),
              ("买了通配符证书 访问报 COMMON_NAME_INVALID", "certificate-problem"),
              ("存储桶里的图片直接贴浏览器打开 403 AccessDenied", "object-storage-403")]
    for question, runbook in stated:
        assert score(question, books[runbook]) >= 0.45 and names_symptom(question, books[runbook]), question
    # one shared word: a product or another product's error, the rest of the question about something else
    shared = [("MySQL 慢查询怎么看", "mysql-connect-failed"),
              ("Access denied for user 'app'@'10.0.1.23' 密码确认没错", "object-storage-403"),
              ("改了 css 发布了，用户那边还是旧样式（走 CDN）", "cdn-origin-error"),
              ("pod 一直 Pending 事件里写 Insufficient cpu", "cpu-high"), ("CLB 上怎么配 https", "certificate-problem")]
    for question, runbook in shared:
        assert score(question, books[runbook]) >= 0.45 and not names_symptom(question, books[runbook]), question
