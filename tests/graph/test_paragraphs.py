"""A chosen sentence brings what its paragraph says to do (graph/paragraphs.py, issue 12)."""

from __future__ import annotations

from graph.doc_units import parse_units
from graph.paragraphs import through_fix

TEXT = ("只读锁定期间执行 DELETE 清理数据是不可行的，删除同样是写操作，会被拒绝。请先扩容，恢复写入后再清理。"
        "扩容通常几分钟完成。\n\n另一段：按量计费。\n")


def _texts(units, keep):
    return [units[i].text for i in sorted(keep)]


def test_a_warning_brings_the_next_sentence_that_says_what_to_do_and_stops_there():
    units = parse_units(TEXT)
    warn = next(i for i, u in enumerate(units) if "DELETE" in u.text)
    shown = _texts(units, through_fix(units, {warn}, whole=False))
    assert shown == [units[warn].text, "请先扩容，恢复写入后再清理。"]


def test_for_a_how_to_the_rest_of_the_paragraph_comes_but_not_the_next_paragraph():
    units = parse_units(TEXT)
    warn = next(i for i, u in enumerate(units) if "DELETE" in u.text)
    shown = _texts(units, through_fix(units, {warn}, whole=True))
    assert shown[-1] == "扩容通常几分钟完成。" and not any("按量" in s for s in shown)


def test_a_plain_fact_for_a_value_question_stays_alone():
    units = parse_units("每个 EIP 带宽可设置为 1-200 Mbps。请在控制台调整。\n")
    assert through_fix(units, {0}, whole=False) == {0}


def test_a_value_answer_keeps_the_fix_after_the_warning(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    body = Copilot(make_context(demo_knowledge)).ask("云盘买大了能缩容吗", "p1").answer.split("**参考来源**")[0]
    assert "不支持缩小容量" in body and "请新建云盘并迁移数据" in body, body


def test_a_sentence_quoting_the_asked_error_brings_what_follows_it_in_its_entry():
    from graph.paragraphs import past_restatement, restates

    question = "升级后报 ERROR 8130 (HY000): client has multi-statement capability disabled 怎么办"
    units = parse_units("* Error Number: 8130\n\n完整的报错信息为 `ERROR 8130 (HY000): client has multi-statement "
                        "capability disabled`。\n\n从早期版本升级后，可能会出现该问题。\n\n可通过系统变量 "
                        "`tidb_multi_statement_mode` 控制。\n\n* Error Number: 8138\n\n事务写入的行值有误。\n")
    quote = next(i for i, u in enumerate(units) if u.text.startswith("完整的报错信息"))
    assert restates(units[quote].text, question)
    shown = [units[i].text for i in sorted(past_restatement(units, {quote}, question))]
    assert any("tidb_multi_statement_mode" in t for t in shown) and not any("行值" in t for t in shown), shown
    assert not restates("每个 EIP 带宽可设置为 1-200 Mbps。", "eip 带宽最大能调到多少")


def test_a_paragraph_runs_to_the_blank_line_and_a_restated_error_brings_the_cause_before_it():
    from graph.paragraphs import past_restatement

    text = ("安装后，您可能会发现 MySQL 无法连接。这是因为 MySQL\n是服务器优先协议。\n您可能会看到诸如\n"
            "`ERROR 2013 (HY000): Lost connection to MySQL server`\n这样的错误。\n\n这可以通过 STRICT 模式解决。\n")
    units = parse_units(text)
    assert len({u.para for u in units[:3]}) == 1 and units[-1].para != units[0].para
    quote = next(i for i, u in enumerate(units) if "ERROR 2013" in u.text)
    shown = [units[i].text for i in sorted(past_restatement(units, {quote}, "连 mysql 报 ERROR 2013 (HY000): Lost connection to MySQL server"))]
    assert any("服务器优先" in t for t in shown) and any("STRICT" in t for t in shown), shown


def test_a_failure_brings_what_to_do_instead_past_the_failing_command_and_its_output():
    units = parse_units("如果你尝试用 `tool exec` 打开一个 shell，会看到一个错误，因为镜像里没有 shell。\n\n"
                        "```shell\ntool exec -it demo -- sh\n```\n\n```\nerror: executable file not found\n```\n\n"
                        "你可以改为使用 `tool debug` 添加调试容器。\n")
    fails = next(i for i, u in enumerate(units) if "会看到一个错误" in u.text)
    shown = _texts(units, through_fix(units, {fails}, whole=True))
    assert "你可以改为使用 `tool debug` 添加调试容器。" in shown


def test_a_judgement_question_gets_the_reason_after_the_case_the_page_judges():
    """"30 天转低频 40 天删除 划算吗": the page's example judges that very plan; the sentence after it
    says why and what to do instead (graph/paragraphs.with_reason through graph/value_fact.best_fact)."""
    from graph.relevance import QuestionTerms
    from graph.value_fact import best_fact

    passage = {"source": "lifecycle.md", "title": "生命周期", "heading_path": ["存储类型的最短存储时间"], "kind": "doc",
               "text": "低频存储最短存储 30 天。\n\n例如：规则设为\"30 天后转低频、40 天后删除\"，对象在低频存储中只待了 10 天"
                       "就被删除，仍按 30 天计费。合理的设计是让每个阶段的停留时间不少于该类型的最短存储时间。\n\n另一段：按量计费。\n"}
    terms = QuestionTerms({"30": 3.0, "低频": 4.5, "40": 5.7, "删除": 2.5})
    found = best_fact([passage], terms, "想设成 30 天转低频 40 天删除 划算吗", 400)
    assert found is not None
    texts = [u.text for u in found[1]]
    assert any("仍按 30 天计费" in t for t in texts) and any("最短存储时间" in t for t in texts), texts
    assert not any("按量" in t for t in texts), texts
    plain = best_fact([passage], terms, "30 天转低频 40 天删除 按多少天计费", 400)
    assert plain is not None and not any("合理的设计" in u.text for u in plain[1])  # not a judgement: the fact alone
