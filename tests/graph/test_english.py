"""English questions over the Chinese demo KB, as users ask them: `smart-copilot ask` as a
subprocess in the default keyword-only state (before vectors), plus the language decision,
the cross-lingual terms (graph/crosslingual.py) and the English reply texts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.crosslingual import english_terms, glossary, selection_text
from graph.language import message_language
from graph.prompts import REPLY_KEYS, replies
from graph.question_type import question_type
from tests.graph.conftest import REPO


def ask(question: str, data_dir: Path) -> dict:
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data_dir), SMART_COPILOT__KNOWLEDGE__DENSE="off")
    proc = subprocess.run([sys.executable, "-m", "app", "ask", question, "--json"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def keyword_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-english") / "data"


def test_english_question_gets_a_cited_answer_with_english_frame(keyword_dir):
    out = ask("What is the default SSH port of a cloud server?", keyword_dir)
    assert out["route"] == "knowledge" and not out["refused"] and out["grounded"]
    body, _, sources = out["answer"].partition("**Sources**")
    assert "22" in body and sources and "参考来源" not in out["answer"]
    assert any(c["source"] == "faq/faq.jsonl" for c in out["citations"])


def test_english_howto_answers_from_the_right_page(keyword_dir):
    out = ask("How do I expand a cloud disk?", keyword_dir)
    assert [c["source"] for c in out["citations"]][:1] == ["docs/disk/expand-disk.md"]
    assert "growpart" in out["answer"] and "部分相关" not in out["answer"]


def test_an_english_yes_no_question_is_answered_from_the_product_page(keyword_dir):
    """"Is an EIP charged…" asks yes or no (a value), not a reported fault: the arrears page does not answer it."""
    assert question_type("Is an EIP charged when it is not bound to an instance?") == "value"
    out = ask("Is an EIP charged when it is not bound to an instance?", keyword_dir)
    assert "docs/billing/arrears.md" not in [c["source"] for c in out["citations"]][:1]
    assert "0.20" in out["answer"]


def test_chinese_question_is_unchanged(keyword_dir):
    out = ask("云服务器 SSH 默认端口是多少？", keyword_dir)
    assert "22" in out["answer"] and "**参考来源**" in out["answer"] and "Sources" not in out["answer"]


def test_english_off_domain_question_is_refused_in_english(keyword_dir):
    out = ask("How do I cook pasta for dinner?", keyword_dir)
    assert out["refused"] and out["answer"].startswith("Sorry")
    assert not re.search(r"[\u4e00-\u9fff]", out["answer"]), out["answer"]  # the topics in English too


def test_english_names_of_documentation_terms():
    from graph.crosslingual import english_name

    assert english_name("云盘") == "cloud disk" and english_name("安全组") == "security group"
    assert english_name("CDN") == "CDN" and english_name("某个没有译名的词") == ""
    assert english_name("可用区", {"availability zone": ["可用区"]}) == "availability zone"


def test_english_words_are_no_typos_of_the_base_words():
    from graph.followup import FollowUps
    from graph.spelling import SpellingFixer
    from graph.subject import DomainTerms
    from graph.thread import Thread

    fixer = SpellingFixer.from_counts({"changed": 50, "found": 50, "istio": 50}, set())
    resolver = FollowUps(DomainTerms([]), None, fixer)
    assert resolver.resolve("Is an EIP charged when not bound?", Thread()).standalone.startswith(
        "Is an EIP charged when not bound")
    assert "istio" in resolver.resolve("How do I install isito?", Thread()).standalone  # a real typo still
    assert resolver.resolve("isito 怎么装", Thread()).standalone.startswith("istio")


def test_an_english_request_to_troubleshoot_starts_the_offered_runbook():
    from graph.cues import ASK_FOR_HELP, REQUEST

    for reply in ("troubleshoot it", "OK, please troubleshoot it for me", "help me troubleshoot", "Diagnose this."):
        assert REQUEST.match(reply), reply
    assert ASK_FOR_HELP.search("MySQL is full of connections, help me troubleshoot")
    assert not REQUEST.match("how do I troubleshoot a slow disk") and "troubleshoot it" in replies("en")["runbook_hint"]


@pytest.mark.parametrize("text, lang", [
    ("What is the default SSH port of a cloud server?", "en"),
    ("How do I expand a cloud disk?", "en"),
    ("hello", "en"),
    ("SSH 连不上，一直 Connection timed out", "zh"),   # Chinese with a pasted error: Chinese
    ("ERROR 1045 Access denied for user", "zh"),       # a pasted error alone: no sentence of the user's
    ("ERROR 2003 (HY000): Can't connect to MySQL server on '10.0.1.8:3306' (110)", "zh"),
    ("java.sql.SQLException: Data source rejected establishment of connection, message from server", "zh"),
    ("MySQL reports ERROR 1040 Too many connections, what should I do?", "en"),  # asked about in English
    ("kubectl get pods 报错", "zh"),
    ("云盘怎么扩容", "zh"),
])
def test_message_language(text, lang):
    assert message_language(text) == lang


def test_english_terms_come_from_the_glossary_and_the_base_pairs():
    assert english_terms("What is the default SSH port?") == ["默认", "端口"]
    assert english_terms("Why do my security groups not work?") == ["安全组"]  # a phrase, plural
    assert "存储桶策略" in english_terms("How do I write a bucket policy?", {"bucket policy": ["存储桶策略"]})
    assert english_terms("云盘怎么扩容") == []  # Chinese questions are untouched
    assert all(k == k.lower() for k in glossary().terms)


def test_selection_text_uses_the_words_the_base_writes():
    # the translation replaces the English word; filler goes; names stay
    assert selection_text("What is the default SSH port of a cloud server?") == "默认 SSH 端口 云服务器 ?"
    # where the base writes the English word more often than the Chinese term, it stays English
    # ("fix" asks, like 怎么办: filler, never the thing a page must mention)
    assert selection_text("How do I fix this error?", df=lambda w: 50 if w == "error" else 0).split() == \
        ["error", "?"]
    assert selection_text("云盘怎么扩容") == "云盘怎么扩容"


def test_english_reply_texts_have_every_key_and_the_same_fields():
    zh, en = replies("zh"), replies("en")
    assert set(en) == set(zh) == REPLY_KEYS
    import string
    fields = lambda t: {f for _, f, _, _ in string.Formatter().parse(t) if f}  # noqa: E731
    assert all(fields(en[k]) == fields(zh[k]) for k in REPLY_KEYS if k != "clarify_en")


def test_english_follow_ups_resolve_like_chinese_ones():
    from graph.english_followup import as_cues
    from graph.followup import FollowUps, thread_of
    from graph.questions import domain_terms

    assert as_cues("What about step 3?") == "那第3步呢" and as_cues("And for Windows?") == "那 Windows 呢"
    assert as_cues("what does the second command do") == "what does 第2个命令 do"
    resolver = FollowUps(domain_terms({"云盘", "ssh", "windows"}))

    def resolve(message: str, question: str, answer: str):
        history = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        return resolver.resolve(message, thread_of(history, resolver))

    steps = "1. 在控制台扩容\n2. 在系统内确认新容量\n3. 扩展分区\n4. 扩展文件系统"
    found = resolve("What about step 3?", "How do I expand a cloud disk?", steps)
    # the step, and the English topic in the documentation's words: one language for retrieval
    assert found.decision == "follow_up" and "扩展分区" in found.standalone and "云盘" in found.standalone
    assert "expand" not in found.standalone
    found = resolve("Can I change it?", "What is the default SSH port?", "SSH 默认端口 22。")
    assert found.decision == "follow_up" and found.standalone == "default SSH port Can I change it"
    found = resolve("what should I check first?", "My SSH connection times out", "检查安全组。")
    assert found.decision == "follow_up" and "SSH" in found.standalone  # ordinary words are no topic of their own
    found = resolve("Is Windows supported?", "What is the default SSH port?", "SSH 默认端口 22。")
    assert found.decision == "new_topic"  # a name of its own
