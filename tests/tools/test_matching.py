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


def test_a_thing_the_runbook_names_is_no_problem_of_its_kind() -> None:
    from tools.runbooks import load_runbooks
    from tools.runbooks.matching import names_symptom, problems, runbook_problems

    books = load_runbooks()
    assert problems("SSH 连接超时") == {"connect"} and problems("走 cdn 就 502") == {"502"}
    assert problems("MX 记录和 CNAME 冲突") == set() and problems("升级到 1000 连接，耗时 10:21:33") == set()
    assert {"expired", "mismatch", "untrusted"} <= runbook_problems(books["certificate-problem"])
    # a protocol, a product or a command the runbook names, with another problem beside it
    for question, runbook in [("网站一直重定向 ERR_TOO_MANY_REDIRECTS，开了 https 以后就这样", "certificate-problem"),
                              ("根域名 cname 到 cdn 加速域名，提示和 MX 记录冲突", "cdn-origin-error"),
                              ("云盘扩容完 df -h 里看不到新加的空间", "disk-full"),
                              ("SSH 默认端口能改吗", "ssh-rdp-cannot-connect")]:
        assert score(question, books[runbook]) >= 0.45 and not names_symptom(question, books[runbook]), question
    # the same things with the runbook's own kind of problem
    for question, runbook in [("开了 https 以后浏览器说证书不受信任", "certificate-problem"),
                              ("走 cdn 就 502，源站直接访问正常", "cdn-origin-error"),
                              ("df -h 看 / 分区 100% 了", "disk-full"), ("203.0.113.10 远程连不上了", "ssh-rdp-cannot-connect"),
                              ("out of memory 之后进程被杀了", "memory-oom")]:
        assert score(question, books[runbook]) >= 0.45 and names_symptom(question, books[runbook]), question
