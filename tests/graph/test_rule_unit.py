"""A question asking the rule a thing must follow: the unit stating it, not a line mentioning the word (graph/rule_unit.py)."""

from __future__ import annotations

from graph.extractive import extractive_units
from graph.identifier_anchor import asked_identifiers
from graph.page_units import page_units
from graph.relevance import names_entity, question_terms
from graph.rule_unit import RULE, rule_unit_first, stated_rule

PAGE = [
    {"chunk_id": "k-0", "heading_path": ["轮换密钥", "轮换前须知"], "kind": "doc", "text":
        "- **需要停用旧密钥**：轮换要求旧密钥先处于停用状态，新密钥在下一次同步时写入。\n"
        "- **密钥规则**：16-64 个字符，必须包含字母和数字，不能以 `-` 开头。\n"
        "- **作用范围**：轮换只影响当前项目。"},
    {"chunk_id": "k-1", "heading_path": ["轮换密钥", "标签命名规则"], "kind": "doc", "text":
        "1. 长度 2-32 个字符；\n2. 只能包含小写字母和连字符；\n3. 必须以字母开头；\n4. 创建后不能修改。"},
    {"chunk_id": "k-2", "heading_path": ["轮换密钥", "步骤"], "kind": "doc", "text":
        "1. 在控制台进入 **密钥管理 > 轮换**。\n2. 输入新密钥，点击确定。"},
]


def _chunks(source: str) -> list[dict]:
    return PAGE if source == "docs/keys.md" else []


def _chosen(chunk: int = 0) -> list[dict]:
    return [{**PAGE[chunk], "source": "docs/keys.md", "title": "轮换密钥", "meta": {"match": "strong"}}]


def test_a_requirement_asked_gets_the_labelled_item_stating_the_rule_not_the_one_mentioning_the_word() -> None:
    rule = stated_rule("新的密钥有什么要求", page_units("docs/keys.md", PAGE))
    assert rule is not None and rule.text.startswith("- **密钥规则**"), rule


def test_an_unlabelled_list_of_rules_is_read_as_one_rule() -> None:
    rule = stated_rule("新建标签 名字有啥规定", page_units("docs/keys.md", PAGE))
    assert rule is not None and rule.text.splitlines()[0].startswith("1. 长度") and "4. 创建后不能修改" in rule.text, rule


def test_the_rule_unit_leads_alone_and_is_answered_whole() -> None:
    chosen = rule_unit_first(_chosen(), "新的密钥有什么要求", _chunks, "demo")
    assert len(chosen) == 1 and chosen[0]["meta"][RULE] and "16-64 个字符" in chosen[0]["text"]
    listed = rule_unit_first(_chosen(1), "新建标签 名字有啥规定", _chunks, "demo")
    units = extractive_units("新建标签 名字有啥规定", listed, qtype="symptom")
    assert [u["text"][:2] for u in units] == ["1.", "2.", "3.", "4."] or len(units) == 4, units


def test_no_requirement_asked_or_no_rule_stated_keeps_the_selection() -> None:
    chosen = _chosen(2)
    assert rule_unit_first(chosen, "密钥怎么轮换", _chunks, "demo") is chosen  # a how-to, no rule asked
    assert rule_unit_first(chosen, "轮换的步骤有什么要求", lambda s: PAGE[2:], "demo") is chosen  # no unit states one


def test_a_number_given_as_an_error_code_after_it_is_asked_as_a_code() -> None:
    assert asked_identifiers("执行 sql 遇到 8027 错误码 是什么情况") == ["8027"]
    assert asked_identifiers("报 8027 错误") == ["8027"]
    assert asked_identifiers("放行了 8080 端口还是不通") == []


def test_a_bare_code_number_is_named_by_a_text_giving_it_as_an_error_code() -> None:
    terms = question_terms("tidb 报错 9005 是什么意思")
    assert names_entity(terms, "error number: 9005 完整的报错信息为 `error 9005 (hy000)`")
    assert not names_entity(terms, "监听端口 9005 已被占用")
