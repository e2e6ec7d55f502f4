"""The fix for the cause that leads (graph/lead_fix.py), and the cuts that never take a fix or a choosing list
(graph/padding.gives_fix, question_type.asks_choice)."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.extractive import extractive_units
from graph.lead_fix import cases, distinct_shared, fix_for_lead
from graph.padding import gives_fix
from graph.passages import to_state
from graph.question_type import asks_choice
from knowledge.types import Passage

TITLE = "回源失败 502"


def doc(chunk_id: str, heads: list[str], text: str, source: str = "docs/cdn/origin.md", **meta) -> dict:
    return to_state(Passage(chunk_id=chunk_id, source=source, title=TITLE, heading_path=heads, text=text,
                            kind="doc", kb="demo",
                            meta={"indexed_text": " > ".join([TITLE, *heads]) + "\n" + text, **meta}))


CAUSES = doc("o-1", ["可能原因"], "| 原因 | 说明 |\n| --- | --- |\n"
             "| 源站拒绝连接 | 源站服务没启动、端口未监听 |\n"
             "| 回源协议不匹配 | 回源用 HTTPS，源站只开了 80 |\n"
             "| 回源超时 | 源站 30 秒内没有返回响应 |")
FIXES = doc("o-2", ["解决方法"], "1. **源站拒绝连接**：启动源站服务，确认监听端口：\n\n   ```bash\n   ss -lntp\n   ```\n\n"
            "2. **放行回源节点**：在源站安全组中放行回源节点的 TCP 80/443。\n"
            "3. **修正回源协议**：源站未配置 HTTPS 时，把回源协议改为 HTTP。\n"
            "4. **处理慢接口**：把接口路径设置为不缓存。")
CHECKS = doc("o-3", ["排查步骤"], "1. **确认源站可用**：用回源的协议请求源站，看是否返回 200。")
QUESTION = "cdn 用 https 回源 源站只开了 80 端口 报 502"


def test_a_fix_list_is_read_case_by_case_with_what_is_nested_under_each():
    found = cases([Unit("item", "**源站拒绝连接**：启动服务："), Unit("code", "ss -lntp"),
                   Unit("item", "**放行回源节点**：放行 80/443。"), Unit("sentence", "修改后几分钟生效。"),
                   Unit("code", "sscli cdn refresh"), Unit("row", "超时：调大超时")])
    assert [[u.text for u in c] for c in found] == [["**源站拒绝连接**：启动服务：", "ss -lntp"],
                                                    ["**放行回源节点**：放行 80/443。"], ["超时：调大超时"]]


def test_only_words_no_other_case_has_tie_a_line_to_its_fix():
    found = [[Unit("item", "修正回源协议：改为 HTTP")], [Unit("item", "放行回源节点：放行 80")]]
    assert distinct_shared("回源协议不匹配：回源用 HTTPS，源站只开了 80", found) == [2, 1]  # 协议 (2 pairs) / 80


def test_the_fix_for_the_cause_that_leads_is_the_case_clearly_closest_to_it():
    lead = (1, Unit("row", "回源协议不匹配：回源用 HTTPS，源站只开了 80"))
    fix = fix_for_lead([CAUSES, FIXES], lead)
    assert fix is not None and fix[0] == 2 and "把回源协议改为 HTTP" in fix[1][0].text
    vague = (1, Unit("row", "回源失败：源站有问题"))
    assert fix_for_lead([CAUSES, FIXES], vague) is None  # no case clearly closest
    other_page = doc("x-1", ["解决方法"], "1. **修正回源协议**：把回源协议改为 HTTP。", source="docs/other.md")
    assert fix_for_lead([CAUSES, other_page], lead) is None  # only the leading line's page fixes it


def test_the_cause_asked_leads_followed_by_its_own_fix_and_nothing_else():
    units = extractive_units(QUESTION, [CHECKS, FIXES, CAUSES], query=QUESTION, qtype="symptom")
    texts = [u["text"] for u in units]
    assert "回源协议不匹配" in texts[0] and "把回源协议改为 HTTP" in texts[1]
    joined = "\n".join(texts)
    assert "启动源站服务" not in joined and "处理慢接口" not in joined  # the other causes' fixes pad it
    assert "确认源站可用" not in joined  # and so does a check


def test_a_fix_or_its_commands_are_never_padding_but_a_checks_commands_are():
    code = [Unit("code", "sscli cdn modify-origin --protocol http")]
    assert gives_fix(FIXES) and gives_fix(doc("o-4", ["控制台操作"], "在控制台修改。"))
    assert gives_fix(doc("o-5", ["回源配置"], "改为："), code)
    assert not gives_fix(CHECKS, code) and not gives_fix(doc("o-6", ["说明"], "改为："))


def test_a_question_asking_which_to_choose_is_not_narrowed():
    assert asks_choice("数据盘用哪种云盘好") and asks_choice("规格怎么选") and asks_choice("选 5.7 还是 8.0")
    assert not asks_choice("pending 的原因有哪些") and not asks_choice("回源报 502 是咋回事")
