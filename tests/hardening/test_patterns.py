"""Patterns over user and document text cannot backtrack: a static audit of every project
pattern, and the inputs that once froze the server fed through the functions they froze.

These tests check what happens (rejected with a message, parsed the same way), never how
long it takes; benchmarks/redos_bench.py measures time per input size.
"""

from __future__ import annotations

import pytest

from tests.hardening.patterns import adjacent_quantifiers, nested_quantifiers, project_patterns

REVIEWED = {  # flagged by the static check, safe by construction; the reason is the review
    "graph.domain_check._GREETING_ONLY": "each iteration starts with a greeting word; no greeting starts with a separator",
    "graph.domain_check._GREETING_PREFIX": "each iteration starts with a greeting word; no greeting starts with a separator",
    "knowledge.identifiers._QUALIFIED": "each repeated part starts with a mandatory '.' or '::', which [A-Za-z0-9_]+ "
                                        "cannot match",
    "knowledge.lexicon._CAMEL": "each iteration starts with [A-Z], which the inner [a-z0-9]+ cannot match",
    "knowledge.evidence._IDENTIFIER": "each CamelCase hump starts with [A-Z], which [a-z0-9]+ cannot match; each "
                                    "dotted part starts with a mandatory '.' or '_', which [A-Za-z0-9]* cannot match",
    "knowledge.loaders.markdown._TABLE_SEP": "every repeated cell starts with a mandatory '|'",
    "tools.runbooks.templating.PLACEHOLDER": "every repeated part starts with a mandatory '.'",
    "tools.runbooks.conditions.TOKEN": "runbook condition text (data), matched at one position at a time",
    "graph.cues.FILLER": "each iteration starts with a filler word; no filler starts with a separator",
    "graph.cues.REQUEST": "each iteration starts with an affirmation word; none starts with a separator",
    "graph.cues.TARGETS": "each repeated label ends with a mandatory '.'; entered only after a non-word character",
    "graph.references._COMMAND": "each repeated argument starts with mandatory whitespace no argument contains; "
                                 "a command is entered only at the start of an ASCII word",
    "graph.substitution._ASCII_PHRASE": "each repeated word starts after mandatory whitespace; the pattern cannot fail",
    "graph.answered.ERROR_PHRASE": "each repeated word starts after mandatory whitespace no word contains; entered at a "
                                   "word boundary",
    "graph.substitution._SHAPES[1]": "each repeated part starts with a mandatory '_'",
    "graph.substitution._SHAPES[3]": "each repeated part starts with [A-Z], which [a-z]+ cannot match",
    "graph.waiting._LOG": "each repeated part starts with a mandatory '.'; a dotted name is entered at its start",
    "graph.relevance._CODE_LIKE": "anchored; each `(?:_[a-z0-9]+)` starts with a mandatory '_'; letters checked once by a lookahead",
}


def test_no_project_pattern_can_backtrack_exponentially_or_polynomially():
    flagged = {p.key: p.pattern.pattern for p in project_patterns()
               if nested_quantifiers(p.pattern) or adjacent_quantifiers(p.pattern)}
    unexplained = {k: v for k, v in flagged.items() if k not in REVIEWED}
    assert not unexplained, f"nested or adjacent quantifiers need a rewrite (or a reviewed reason): {unexplained}"
    assert set(REVIEWED) <= set(flagged), "a reviewed entry is no longer flagged: drop it from REVIEWED"


def test_the_audit_catches_the_patterns_that_froze_the_server():
    import re

    assert nested_quantifiers(re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$"))  # old HOST
    assert adjacent_quantifiers(re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$"))  # old Markdown heading (cubic)
    assert adjacent_quantifiers(re.compile(r"(?:端口|port)\s*[:：号]?\s*(\d{1,5})"))  # old port pattern
    assert not adjacent_quantifiers(re.compile(r"(?:端口|port)\s*(?:[:：号]\s*)?(\d{1,5})"))


def host_slot():
    from tools.runbooks.schema import Slot

    return Slot(prompt="主机？", type="host")


@pytest.mark.parametrize("reply", ["a" * 27 + "!", "a" * 200 + "!", "a." * 120 + "!", "-" * 300, "a-" * 500 + "!"])
def test_host_reply_that_froze_the_server_is_refused_with_a_message(reply):
    from tools.runbooks.slots import validate

    ok, value, problem = validate(host_slot(), reply)
    assert not ok and value is None and "域名或 IP" in problem


def test_overlong_slot_reply_is_refused_before_any_pattern():
    from tools.runbooks.slots import validate

    ok, _, problem = validate(host_slot(), "a" * 5000)
    assert not ok and "回答太长" in problem and "5000" in problem


@pytest.mark.parametrize("reply, value", [("www.example.com", "www.example.com"), ("203.0.113.10", "203.0.113.10"),
                                          ("db-1.internal.", "db-1.internal."), ("https://a.example.com:8443/x", "a.example.com"),
                                          ("[2001:db8::1]", "2001:db8::1"), ("localhost", "localhost")])
def test_host_validation_keeps_accepting_real_hosts(reply, value):
    from tools.runbooks.slots import validate

    assert validate(host_slot(), reply) == (True, value, "")


@pytest.mark.parametrize("reply", ["-bad-", "a..b", "x" * 64 + ".com", "有 空格.com"])
def test_host_validation_still_rejects_malformed_names(reply):
    from tools.runbooks.slots import validate

    assert validate(host_slot(), reply)[0] is False


@pytest.mark.parametrize("question, host", [("连不上www.example.com怎么办", "www.example.com"),
                                            ("ssh 到 10.0.0.8 超时", "10.0.0.8"),
                                            ("网站 shop.example.cn。打不开", "shop.example.cn"),
                                            ("版本 v1.2.3 有问题", None)])
def test_host_is_found_in_the_question_by_a_linear_scan(question, host):
    from tools.runbooks.schema import Slot
    from tools.runbooks.slots import from_question

    assert from_question(Slot(prompt="?", type="host", from_question=True), question) == host


def test_port_still_found_after_its_pattern_was_made_linear():
    from tools.runbooks.schema import Slot
    from tools.runbooks.slots import from_question

    slot = Slot(prompt="?", type="port", from_question=True)
    assert from_question(slot, "mysql 端口：3306 连不上") == 3306
    assert from_question(slot, "port " + " " * 1500 + "x") is None


def test_slot_pattern_runs_on_re2_and_bad_patterns_fail_at_load():
    from pydantic import ValidationError

    from tools.runbooks.schema import Slot
    from tools.runbooks.slots import validate

    slot = Slot(prompt="服务？", type="text", pattern="(a+)+$")  # RE2: linear even for this one
    assert validate(slot, "a" * 1999 + "!")[0] is False
    with pytest.raises(ValidationError, match="RE2"):
        Slot(prompt="x", pattern=r"(?<!a)b")


def test_log_signature_on_a_2mb_line_is_found():
    """`connect\\(\\) failed .* upstream` took over 300 s on such a line with Python's re."""
    from tools.base import ToolCall
    from tools.config import ToolSettings
    from tools.deps import ToolDeps
    from tools.log_analysis import MAX_LOG_CHARS, LogAnalysis, LogArgs

    text = ("connect() failed " * (MAX_LOG_CHARS // 17))[: MAX_LOG_CHARS - 40] + " while connecting to upstream"
    result = LogAnalysis(ToolDeps.for_settings(ToolSettings())).run(LogArgs(text=text), ToolCall("s", "u"))
    assert result["signatures"] == ["upstream-502"] and result["lines"] == 1


def test_markdown_heading_with_a_long_space_run_is_parsed():
    """The heading pattern was cubic: 2,000 spaces took 15 s."""
    from knowledge.loaders.markdown import heading_parts, parse_markdown

    assert heading_parts("## 标题 ##") == (2, "标题") and heading_parts("# #") == (1, "#")
    doc = parse_markdown("# 标题\n\n## a" + " " * 20000 + "b\n\n正文。", "f")
    assert doc.blocks[-1].heading_path == ["a b"]  # spaces normalised, the heading found
    doc = parse_markdown("---" + "\n" * 20000 + "正文没有结束的前言。", "f")
    assert "正文没有结束的前言" in doc.blocks[-1].text


def test_shortcode_and_comment_floods_are_cleaned():
    from knowledge.clean import strip_markup

    assert strip_markup("a {{< gloss \"foo bar\" >}} b {{% gloss x %}} c") == "a foo bar b x c"
    flood = "{{< gloss " + " " * 50_000 + "b" + "<!--" * 10_000 + "{{<" * 10_000
    assert strip_markup(flood).startswith("{{< gloss")


def test_question_shapes_still_recognised_after_the_rewrite():
    from graph.cues import LEAD_PRONOUN, WHAT_IF as follow_what_if
    from graph.questions import _NUMBERED, _WHAT_IF as split_what_if

    assert split_what_if.match("那 RDS 呢").group(1) == "RDS"
    assert follow_what_if.match("如果是 Windows 的话呢").group(1) == "Windows"
    assert follow_what_if.match("那 504 呢").group(2) == "504"
    assert follow_what_if.match("如果是X" + " " * 3000 + "!") is None  # 4.5 s at 2,000 chars before
    assert LEAD_PRONOUN.match("那把它重启").group(1) == "它"
    assert len(_NUMBERED.findall("1. 怎么登录\n2. 端口是多少")) == 2
    assert split_what_if.match("那" + " " * 3000 + "!") is None


def test_answer_patterns_new_on_main_keep_their_meaning_after_the_linear_rewrites():
    """Each of these rescanned the rest of the text from every start (quadratic: 6-25 ms at
    2,000 characters, growing 4x per doubling; benchmarks/redos_bench.py); same matches now."""
    from graph.doc_units import _HEADER_LINE, clean_inline
    from graph.value_fact import _PLACE
    from graph.relevance import _CODE_LIKE
    from graph.section_answer import _LINK_ITEM
    from graph.unit_fit import _CROSS_REF
    from graph.targets import names_a_host

    header = _HEADER_LINE.match("规格一览（表头：实例规格 | 内存（GiB） | 说明） ")
    assert header and header.group("caption") == "规格一览" and header.group("keys") == "实例规格 | 内存（GiB） | 说明"
    assert _HEADER_LINE.match("（表头：" * 500) is None
    assert clean_inline("详见[安全组规则](sg.md#入方向)。") == "详见安全组规则。"
    assert clean_inline("[" * 2000 + "x](y)") == "[" * 1999 + "x"
    assert _CROSS_REF.search("按上面第 3 步重新配置") and _CROSS_REF.search("参考 第二节") and _CROSS_REF.search("同第1条")
    assert not _CROSS_REF.search("参考" + " " * 2000 + "文档")
    assert _LINK_ITEM.match("- [RDS 连接问题](rds.md)；") and _LINK_ITEM.match("  2. [链接](a)  ")
    assert not _LINK_ITEM.match("\n" * 2000 + "。") and not _LINK_ITEM.match("见 [链接](a)")
    assert _PLACE.search("进入 **实例 > 更多 > 重启**") and _PLACE.search("点击“网络 → 安全组”") and _PLACE.search("在控制台")
    assert not _PLACE.search("“" * 2000 + "1") and not _PLACE.search('<a href="/a">首页</a> · <a href="/b">帮助</a>')
    assert all(_CODE_LIKE.search(t) for t in ("crashloopbackoff", "quotaexceeded", "error_1062", "max_connections",
                                              "scs.quotaexceeded", "1040"))
    assert not any(_CODE_LIKE.search(t) for t in ("error", "invalid" * 280 + "1", "errors1", "timeout"))
    assert names_a_host("ssh 10.0.0.8 连不上") and not names_a_host("文档里的 “10.0.0.8” 是示例")
    assert names_a_host("“" * 1990 + " 10.0.0.8 连不上")


def test_dialogue_patterns_keep_their_meaning_after_the_linear_rewrites():
    """references._COMMAND (58 ms at 2,000 chars, x16 per 4x), substitution._SHAPES[0] (34 ms) and
    clean_item (136 ms for 2,000 of 的: one suffix removed per pass) rescanned the rest of the text."""
    from graph.references import named_items
    from graph.substitution import _SHAPES, clean_item

    answer = "先执行 `df -h` 查看。Rocky\napt-get install -y sysstat\n执行ls -l /data，再 sudo systemctl restart nginx"
    commands = [n.text for n in named_items(answer) if n.kind == "command"]
    assert commands == ["df -h", "apt-get install -y sysstat", "ls -l /data", "sudo systemctl restart nginx"]
    assert not [n for n in named_items("a中" * 1000) if n.kind == "command"]
    assert [m.group(0) for m in _SHAPES[0].finditer("从 2核4G 升到 12 核 48GiB")] == ["2核4G", "12 核 48GiB"]
    assert _SHAPES[0].fullmatch("4核8GB") and not _SHAPES[0].search("1" * 2000 + "!")
    assert clean_item("那 Windows 的话") == "Windows" and clean_item("如果是 RDS 的") == "RDS"
    assert clean_item("那么如果是 是的 的话") == "" and clean_item("的" * 2000) == ""
