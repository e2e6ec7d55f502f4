"""A plain troubleshooting question whose page is in the base: the page's fix, whole, without a hedge.

graph/fix_asked.py (a how-to asking to fix a fault gets the page's solution section, not its checks),
graph/hedge_terms.py (the user's fused verb forms weigh nothing) and graph/nodes/verify (a page titled
with what the question is about needs no hedge). Real pages of the demo base, keyword index only.
"""

from __future__ import annotations

import pytest

from graph.fix_asked import asks_bare_fix
from tests.graph.conftest import ask_turns, asker

HEDGE = "没有与问题完全对应"


@pytest.fixture(scope="module")
def ask(keyword_demo):
    return asker(keyword_demo, "fix")


def test_a_fix_asked_on_a_troubleshooting_page_is_its_solution_not_its_checks(ask):
    # the page's 排查步骤 are a numbered procedure; what "先救急" asks is its 解决方法 > 紧急止血
    result = ask("mysql 连接数满了 现在业务连不上 怎么先救急")
    body = result["answer"]
    assert "KILL" in body and "不要误杀复制线程" in body, body
    assert HEDGE not in body, body
    assert any(c["source"] == "docs/mysql/too-many-connections.md" for c in result["citations"])


def test_the_whole_solution_list_is_given_not_the_line_sharing_the_words(ask):
    body = ask("只读库老是落后主库好多 大概咋处理")["answer"]
    assert "拆分大事务" in body and "只读实例规格不低于主实例" in body and "为所有表补充主键" in body, body


def test_a_follow_up_asking_only_the_fix_gets_the_solution(keyword_demo):
    # after a question on what the fault means, "怎么补" asks the page's fix, not its check steps again
    result = ask_turns(keyword_demo, "fix-follow", "客户网站打开提示证书不受信任，链不完整是啥意思", "怎么补")
    body = result["answer"]
    assert "fullchain.pem" in body or "完整链" in body, body
    assert "-showcerts" not in body, body  # the check step that shows the certificates sent


def test_only_a_bare_fix_ask_is_a_fix_of_the_thread():
    assert asks_bare_fix("怎么补") and asks_bare_fix("那咋办") and asks_bare_fix("该怎么解决？")
    # naming a part or a thing of its own asks about that part
    assert not asks_bare_fix("以后清日志应该咋清") and not asks_bare_fix("第二步怎么弄")
    assert not asks_bare_fix("连接池该怎么配")


def test_a_named_cause_keeps_the_lines_naming_it(ask):
    # the solution section never names Referer: the cause and the check that do answer
    body = ask("空 Referer 被拒绝怎么办？")["answer"]
    assert "防盗链" in body, body


def test_which_asks_want_the_fix(keyword_demo):
    from graph.fix_asked import asks_fix

    def _page(source: str) -> list[dict]:
        return keyword_demo.document_chunks("demo", source)

    page = _page("docs/mysql/too-many-connections.md")
    assert asks_fix("连接数满了 咋整", page) and asks_fix("连接数打满了怎么先救急", page)
    assert not asks_fix("连接数满了怎么排查", page)  # the page's 排查步骤 do what is asked
    assert not asks_fix("连接数满了", page)  # no asking word: nothing asked how to do
    assert not asks_fix("连接数满了 咋整", page, ["referer"])  # a thing named beyond the title: its own lines
    assert not asks_fix("云盘怎么扩容", _page("docs/disk/expand-disk.md"))  # a how-to page has no causes
    # a check asked in the user's words ("怎么看…") wants the check, not the fix
    assert not asks_fix("怎么看服务器到底发了几张证书出去", _page("docs/ssl/incomplete-chain.md"))


def test_the_users_fused_verb_forms_weigh_nothing_in_the_hedge():
    from graph.hedge_terms import hedge_terms
    from graph.relevance import QuestionTerms

    terms = QuestionTerms({"发票": 3.9, "写错": 4.6, "调大": 6.2, "改了": 6.2, "连不上": 4.9})
    weighted = hedge_terms(terms, "发票写错 调大 改了 连不上")
    assert set(weighted.weights) == {"发票"}, weighted.weights
    # only the thing named would be left: the verb form is what is asked about it, and still weighs
    named = QuestionTerms({"发票": 3.9, "写错": 4.6}, entities=["发票"])
    assert set(hedge_terms(named, "发票抬头写错了 还能改不").weights) == {"发票", "写错"}


def test_a_page_titled_with_the_question_is_not_hedged(ask):
    # 集群 is where the pods run: the page 《Pod 一直处于 Pending》 never says it, and answers the question
    result = ask("集群资源不够 pod 起不来一直 pending 咋扩容")
    assert "scale-node-pool" in result["answer"] and HEDGE not in result["answer"], result["answer"]


def test_a_cause_list_is_judged_with_the_symptom_its_page_restates(ask):
    # "超时" is said in the page's 现象, not in its causes list: the page is about the problem reported
    result = ask("安全组明明放行了 9000 端口 外面访问还是超时")
    assert HEDGE not in result["answer"], result["answer"]
    assert any(c["source"] == "docs/vpc/security-group-not-working.md" for c in result["citations"])

