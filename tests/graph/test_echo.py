"""A question reporting a problem is not answered with the page's line restating it (graph/echo.py)."""

from __future__ import annotations

from graph.doc_units import parse_units
from graph.echo import echo_line, echo_units, echoed_problem, novelty, past_echo, restates, without_symptom_part
from graph.question_type import question_type
from graph.relevance import QuestionTerms
from graph.section_answer import from_section

ASKED = "收到短信说账户欠费了 网站打不开了 咋整"
SYMPTOMS = {"kind": "doc", "source": "billing.md", "title": "欠费停服与恢复", "heading_path": ["现象"],
            "text": "- 收到短信或邮件\"您的账户已欠费\"，随后网站无法访问；\n- 调用 API 创建资源时返回 `SCS.InsufficientBalance`；"}
CAUSES = {"kind": "doc", "source": "billing.md", "title": "欠费停服与恢复", "heading_path": ["可能原因"],
          "text": "1. 未绑定到实例的弹性公网 IP 会按小时收取闲置费；\n2. 代金券到期，费用开始从余额扣除。"}


def test_novelty_counts_the_words_the_question_does_not_hold():
    assert novelty("网站无法访问", "网站无法访问 咋整") == 0.0
    assert novelty("代金券到期，费用开始从余额扣除。", ASKED) > 0.9
    assert novelty("", ASKED) == 1.0


def test_a_symptom_line_restates_the_question_in_the_page_s_words_or_in_one_clause():
    # 打不开 is written 无法访问 on the page: the expansion's words count as the user's
    assert restates(SYMPTOMS["text"].splitlines()[0], f"{ASKED} 无法访问 访问失败")
    # the part the user said, then a sample of the error: one clause restating is enough
    line = "已经在安全组中添加了放行某个端口（如 80、8080、3306）的规则，外部访问仍然超时：`curl: (28) Failed to connect`。"
    assert restates(line, "安全组里明明加了放行8080的规则 外面访问还是超时 咋整")
    assert not restates("代金券到期，费用开始从余额扣除。", ASKED)
    # "NET::ERR_…" is one word, not clauses cut at its colons
    assert restates("错误代码 `NET::ERR_CERT_DATE_INVALID`", "chrome 还是提示 NET::ERR_CERT_DATE_INVALID 咋整")


def test_only_a_section_in_the_symptom_role_echoes():
    units = parse_units(SYMPTOMS["text"], "doc")
    asked = f"{ASKED} 无法访问"
    assert echo_units(units, asked) == {0}
    assert echo_line(["现象"], units, asked) and echo_line(["常见故障现象"], units, asked)
    assert not echo_line(["可能原因"], units, asked)  # the same words in a causes list are its answer


def test_a_how_to_met_by_the_page_s_symptom_section_is_a_reported_problem():
    terms = QuestionTerms({"欠费": 1.0, "网站": 1.0}, {"无法访问"})
    elsewhere = {**CAUSES, "source": "eip.md"}
    assert echoed_problem([elsewhere, SYMPTOMS], ASKED, terms)  # the anchor is the most relevant, last
    assert not echoed_problem([SYMPTOMS, elsewhere], ASKED, terms)
    assert not echoed_problem([SYMPTOMS], "欠费后 API 报啥错", QuestionTerms({"欠费": 1.0}))  # nothing restated


def test_a_symptom_section_by_another_name_gives_nothing_to_a_problem_reported():
    seen = {"kind": "doc", "heading_path": ["常见故障现象"], "title": "TiDB OOM 故障排查",
            "text": "OOM 常见的故障现象包括：\n\n- 客户端报错：`Lost connection to MySQL server during query`\n"
                    "- TiDB 内存持续升高，达到阈值后掉零"}
    question = "客户端一直报 Lost connection to MySQL server during query，tidb 内存涨到顶又掉零，要先查啥"
    terms = QuestionTerms({"lost": 1.0, "connection": 1.0, "内存": 1.0, "掉零": 1.0})
    assert from_section(seen, "symptom", terms, 600, question) == []
    # a section with that name that says more than the question stays
    other = {**seen, "text": "- 大查询的中间结果占满内存，调小 `tidb_mem_quota_query`。"}
    assert from_section(other, "symptom", terms, 600, question)


def test_what_is_going_on_and_what_to_change_for_a_fault_are_asked_as_such():
    assert question_type("df -h 看着还有空间 可一直报 No space left on device 这是啥情况") == "cause"
    assert question_type("日志报 super-read-only 要改哪里") == "howto"
    assert question_type("504 了 要查哪里") == "howto"
    assert question_type("白名单在哪里改") == "value"  # a place is still a place
    assert question_type("报 packet for query is too large，该改哪儿？") == "symptom"


def test_a_problem_reported_on_the_demo_base_gets_its_causes_not_its_symptom_line(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    text = Copilot(make_context(demo_knowledge)).ask("收到邮件说账户欠费了，网站打不开了，怎么办", "e1").answer
    assert not text.lstrip("- ").startswith("收到短信或邮件"), text
    assert "代金券" in text or "充值" in text, text


ENTRY = ("**PD 异常**：\n\n**现象：**\n\n监控中 PD TSO 的 **wait duration** 异常升高。\n\n**可能的原因：**\n\n"
         "* 磁盘问题。PD 所在的节点 I/O 被占满。\n* PD 之间的网络问题。")
PD_ASKED = "grafana 上 PD TSO 的 wait duration 突然飙得老高，读写都变慢了，咋回事"


def test_an_entry_s_symptom_part_restating_the_question_goes_its_causes_stay():
    units = parse_units(ENTRY, "doc")
    kept = [u.text for u in without_symptom_part(units, PD_ASKED)]
    assert not any("现象" in t or "异常升高" in t for t in kept), kept
    assert any("磁盘问题" in t for t in kept) and kept[0].startswith("**PD 异常**")
    assert without_symptom_part(units, "PD 磁盘满了怎么办") == units  # a symptom the question does not restate stays
    only = parse_units("**现象：**\n\n监控中 PD TSO 的 **wait duration** 异常升高。", "doc")
    assert without_symptom_part(only, PD_ASKED) == only  # nothing else to show: left as it is


def test_the_asked_part_is_never_the_symptom_part_restating_the_question():
    from graph.asked_cover import covering_unit

    chunks = [{"chunk_id": "c1", "kind": "doc", "heading_path": ["常见原因", "PD 异常"], "text": ENTRY}]
    terms = QuestionTerms({"pd": 1.0, "tso": 1.0, "wait": 1.0, "duration": 1.0})
    cover = covering_unit(terms, terms, chunks, "", PD_ASKED)
    assert cover is None or not any("异常升高" in u.text for u in cover.units), cover


NAT = {"kind": "doc", "source": "nat.md", "title": "NAT 网关", "heading_path": ["排查：实例仍然无法访问外网"],
       "text": "现象通常是 `yum install` 或 `apt-get update` 卡住后报 `Connection timed out`、`Could not resolve host`，"
               "或 `docker pull` 超时。\n\n1. **检查路由表**：子网路由表里有没有 `0.0.0.0/0 → NAT 网关`。\n"
               "2. **检查 SNAT 规则**：源网段是否覆盖该实例的内网 IP。"}


def test_a_section_answering_only_with_its_symptom_line_gives_what_it_says_next():
    question = "内网机器走 nat 网关出网，yum install 卡住然后报 Connection timed out，咋整"
    terms = QuestionTerms({"nat": 1.0, "网关": 1.0, "yum": 1.0, "install": 1.0, "connection": 1.0, "卡住": 1.0})
    shown = " ".join(u.text for u in from_section(NAT, "howto", terms, 600, question))
    assert "检查路由表" in shown and "现象通常是" not in shown, shown
    # an enumeration's items are judged one by one: the user named one of the symptoms listed
    units = parse_units(NAT["text"], "doc")
    assert past_echo(units[:1], units, question) == units[1:]
    assert past_echo(units[:2], units, question) is None  # a check was picked too: nothing to replace


def test_a_follow_up_asking_a_step_of_the_thread_s_problem_keeps_its_how_to(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("dns 控制台加了 A 记录，ping 域名还是 Name or service not known", "e2")
    text = copilot.ask("我是 windows 电脑，咋查 NS", "e2").answer  # the standalone carries the thread's symptom
    assert "nslookup -type=NS" in text and not text.startswith("1. **域名的 NS"), text
    assert "Name or service not known" not in text.split("**参考来源**")[0], text  # nor its symptom line


def test_a_how_to_whose_evidence_has_the_page_s_steps_keeps_them():
    terms = QuestionTerms({"欠费": 1.0, "网站": 1.0}, {"无法访问"})
    steps = {**CAUSES, "heading_path": ["排查步骤"], "text": "1. 在费用中心查看账户余额。"}
    assert not echoed_problem([steps, SYMPTOMS], ASKED, terms)  # its steps answer the how-to
    other_page = {**steps, "source": "other.md"}
    assert echoed_problem([other_page, SYMPTOMS], ASKED, terms)
