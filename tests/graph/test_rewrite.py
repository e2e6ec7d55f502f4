"""rewrite: pronouns, step references, "如果是 X 呢", topic switches; the model strategy."""

from __future__ import annotations

from graph.nodes.rewrite import _model_rewrite, rewrite_question
from graph.references import answer_items
from graph.questions import domain_terms
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import DEMO_EVAL, make_context, read_jsonl

TERMS = domain_terms({"云服务器", "安全组", "云数据库 mysql", "mysql", "rds", "ssh", "cdn"})
SSH_HISTORY = [
    {"role": "user", "content": "云服务器 SSH 连不上怎么办"},
    {"role": "assistant", "content": "排查步骤 [1]：\n1. 确认实例处于运行中\n2. 检查安全组是否放通 TCP 22 端口\n3. 用 telnet 测试 22 端口"},
]
MYSQL_HISTORY = [
    {"role": "user", "content": "云数据库 MySQL 连不上报 ERROR 2003 怎么办？"},
    {"role": "assistant", "content": "请先检查白名单，再确认安全组放通了 3306 端口。"},
]


def test_pronoun_takes_the_previous_subject():
    assert "MySQL" in rewrite_question("那它的端口是多少？", MYSQL_HISTORY, TERMS)


def test_step_reference_takes_the_previous_answers_step():
    rewritten = rewrite_question("第三步具体怎么做？", SSH_HISTORY, TERMS)
    assert "telnet" in rewritten and "22" in rewritten


def test_inline_steps_are_found():
    _, steps = answer_items("排查步骤：1. 确认实例运行中；2. 检查安全组；3. 用 telnet 测试 22 端口。")
    assert steps[2] == "用 telnet 测试 22 端口"


def test_what_if_replaces_the_subject():
    rewritten = rewrite_question("如果是 RDS 呢？", MYSQL_HISTORY, TERMS)
    assert "RDS" in rewritten and "2003" in rewritten


def test_standalone_question_is_unchanged():
    question = "CDN 回源 502 怎么排查"
    assert rewrite_question(question, SSH_HISTORY, TERMS) == question


def test_topic_switch_does_not_drag_the_old_topic():
    rewritten = rewrite_question("换个问题，怎么申请发票", SSH_HISTORY, TERMS)
    assert rewritten == "怎么申请发票"


def test_no_history_no_guess():
    assert rewrite_question("那它的端口是多少？", [], TERMS) == "那它的端口是多少"  # to be clarified, not guessed


def test_demo_eval_key_terms_with_the_demo_lexicon(demo_knowledge):
    from graph.vocabulary import DomainVocabulary

    vocab = DomainVocabulary().get(demo_knowledge, "demo")
    terms = domain_terms(vocab.lexicon)
    rows = read_jsonl(DEMO_EVAL / "rewrite.jsonl")
    hits = 0
    for row in rows:
        got = rewrite_question(row["message"], row["history"], terms, vocab).lower()
        hits += all(t.lower() in got for t in row["key_terms"]) and not any(
            t.lower() in got for t in row.get("forbidden_terms", []))
    assert hits / len(rows) >= 0.8, f"{hits}/{len(rows)}"


def test_model_rewrite_accepted_and_invented_one_rejected(fake_kb):
    good = make_context(fake_kb, ScriptedLLM(["云数据库 MySQL 的端口是多少"]))
    assert _model_rewrite(good, "那它的端口是多少？", MYSQL_HISTORY) == "云数据库 MySQL 的端口是多少"
    bad = make_context(fake_kb, ScriptedLLM(["Kubernetes 集群节点扩容指南"]))
    assert _model_rewrite(bad, "那它的端口是多少？", MYSQL_HISTORY) is None


RDP_HISTORY = [
    {"role": "user", "content": "云服务器 远程桌面一连就提示 你的凭据不工作"},
    {"role": "assistant", "content": "请确认用户名为 Administrator，忘记密码时在控制台重置密码。"},
]


def test_what_if_a_quoted_error_asks_about_that_error_not_the_previous_symptom():
    rewritten = rewrite_question("那要是报 CredSSP 加密数据库修正 的错呢", RDP_HISTORY, TERMS)
    assert rewritten.startswith("报 CredSSP 加密数据库修正 的错")
    assert "云服务器" in rewritten and "一连就提示" not in rewritten and "你的凭据" not in rewritten


DISK_HISTORY = [
    {"role": "user", "content": "云服务器 系统里咋扩"},
    {"role": "assistant", "content": "先用 growpart 扩分区，再用 resize2fs 扩文件系统。"},
]


def test_a_place_said_at_the_end_of_the_subject_is_not_carried():
    rewritten = rewrite_question("买多了能缩小吗", DISK_HISTORY, TERMS)
    assert "云服务器" in rewritten and "系统里" not in rewritten
