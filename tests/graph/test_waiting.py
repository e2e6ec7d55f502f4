"""While a runbook waits: slot replies, command words, questions about the step, new questions."""

from __future__ import annotations

import pytest

from graph.waiting import classify
from tools.runbooks import load_runbooks

RUNBOOKS = load_runbooks()


def waiting(runbook_id: str, slot_name: str, kind: str = "ask") -> dict:
    slot = RUNBOOKS[runbook_id].slots[slot_name]
    prompt = slot.prompt + (f"（可选：{' / '.join(slot.choices)}）" if slot.choices else "")
    return {"runbook": runbook_id, "kind": kind, "prompt": prompt, "options": list(slot.choices), "slot": slot_name}


@pytest.mark.parametrize("runbook_id, slot, message, decision", [
    # values of the pending slot, also inside a sentence
    ("ssh-rdp-cannot-connect", "host", "198.51.100.7", "runbook_reply"),
    ("ssh-rdp-cannot-connect", "host", "服务器地址是 198.51.100.7", "runbook_reply"),
    ("ssh-rdp-cannot-connect", "os", "是 Windows 的", "runbook_reply"),
    ("ssh-rdp-cannot-connect", "os", "1", "runbook_reply"),
    ("dns-not-resolving", "domain", "api.example.com", "runbook_reply"),
    ("memory-oom", "log", "Nov 11 02:00:01 kernel: Out of memory: Killed process 881 (node)", "runbook_reply"),
    ("mysql-too-many-connections", "app_service", "billing-api", "runbook_reply"),
    ("disk-full", "situation", "inode 使用率 100%", "runbook_reply"),
    ("cpu-high", "resolved", "还没解决", "runbook_reply"),
    # command words, alone or in short phrases, Chinese or English
    ("ssh-rdp-cannot-connect", "host", "先不查了", "control"),
    ("ssh-rdp-cannot-connect", "os", "跳过这步", "control"),
    ("website-502-504", "url", "cancel", "control"),
    ("memory-oom", "resolved", "不同意", "control"),
    # questions about the step that waits
    ("ssh-rdp-cannot-connect", "host", "公网 IP 去哪儿查？", "step_question"),
    ("memory-oom", "log", "dmesg 要贴多少行？", "step_question"),
    ("object-storage-403", "error_text", "XML 里的 Code 是指什么", "step_question"),
    ("cdn-origin-error", "cdn_url", "加速地址是什么意思，要带 https 吗", "step_question"),
    # new questions: answered, never stored as a value
    ("ssh-rdp-cannot-connect", "host", "RDP 默认端口是多少？", "new_question"),
    ("mysql-too-many-connections", "error_text", "云盘能缩容吗？", "new_question"),
    ("mysql-too-many-connections", "app_service", "连接池一般设多大？", "new_question"),
    ("dns-not-resolving", "domain", "顺便问下，发票怎么开", "new_question"),
    ("website-502-504", "url", "健康检查的探测间隔是几秒？", "new_question"),
])
def test_each_message_while_a_runbook_waits_is_classified(runbook_id, slot, message, decision) -> None:
    verdict = classify(message, waiting(runbook_id, slot), RUNBOOKS[runbook_id])
    assert verdict.decision == decision, verdict


def test_command_words_become_the_runbooks_commands() -> None:
    rb = RUNBOOKS["mysql-too-many-connections"]
    approval = {"runbook": rb.id, "kind": "approve", "prompt": "重启 x？", "options": ["批准", "拒绝"]}
    assert classify("同意，重启吧", approval, rb).reply == "approve"
    assert classify("好的", approval, rb).reply == "approve"
    assert classify("不要重启", approval, rb).reply == "reject"
    assert classify("算了不查了", waiting(rb.id, "error_text"), rb).reply == "leave"
    assert classify("好的", waiting(rb.id, "app_service"), rb).decision == "runbook_reply"  # a word, not approval


def test_a_question_that_fails_validation_is_a_question_not_a_value() -> None:
    rb = RUNBOOKS["website-502-504"]
    # used to crash the URL validation and then be stored as the address
    verdict = classify("负载均衡空闲超时默认多久？", waiting(rb.id, "url"), rb)
    assert verdict.decision == "new_question"
    # not a question and not a value: goes to the runbook, which re-asks without storing it
    assert classify("就是公司官网", waiting(rb.id, "url"), rb).decision == "runbook_reply"
