"""A plan the user states and asks to have judged (graph/plan_check.py, graph/verdict_line.ProposedAction,
graph/plan_answer.py). Run: pytest tests/graph/test_plan_check.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.doc_units import parse_units
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.plan_answer import section_way
from graph.plan_check import CAUTION, asks_first, marker, plan_text, proposes, spoken_verbs, stem
from graph.question_type import asks_verdict, question_type
from graph.relevance import QuestionTerms
from graph.verdict_line import ProposedAction, asked_action, judges_action
from knowledge.types import Passage


def doc(chunk_id: str, heads: list[str], text: str, title: str = "挂载数据盘") -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="docs/x/page.md", title=title, heading_path=heads, text=text,
                            kind="doc", kb="demo", meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text}))


def terms(*words: str) -> QuestionTerms:
    return QuestionTerms({w: 1.0 for w in words})


def test_a_plan_closed_by_a_bare_ask_is_a_yes_or_no():
    for q in ("我打算先让客户端把证书校验关掉，可以吗", "我想直接把连接数调大一倍，有没有问题",
              "系统盘已经扩好了，是不是还得重启一下机器才认", "我打算不打快照直接扩，应该没事吧"):
        assert proposes(q) and asks_verdict(q) and question_type(q) == "value", q
    assert not proposes("实例连不上怎么办")  # no plan, no judgement asked
    assert not proposes("磁盘满了，有没有问题")  # a judgement asked of no plan
    assert question_type("我想直接强制关机，为什么一直没反应") == "cause"  # a cause asked stays one


def test_the_plan_is_read_from_its_intent_on():
    assert plan_text("从快照建的盘，我准备先格式化一下再挂载，这样行不行") == "准备先格式化一下再挂载 这样行不行"
    assert plan_text("要扩容了，我打算不打快照直接扩，可以吗").startswith("打算不打快照")  # the intent before a weaker marker
    assert plan_text("实例连不上") == ""


def test_markers_and_pointing_words_name_no_action():
    assert marker("直接") and marker("这样") and marker("先") and marker("以后")
    assert not marker("格式化") and not marker("卸载")


def test_a_spoken_verb_is_found_by_its_verb_character():
    assert stem("改大") == "改" and stem("删掉") == "删" and stem("格式化") == "格式化"
    assert spoken_verbs("以后不够再改大 可以吗") == {"改大"}
    action = ProposedAction({"改大": 1.0})
    assert judges_action(action, "VPC 网段创建后不能修改，请一次规划足够大的范围。")
    assert not judges_action(QuestionTerms({"改大": 1.0}), "VPC 网段创建后不能修改，请一次规划足够大的范围。")


def test_the_plan_is_the_action_when_the_ask_names_none():
    q = "我打算先让客户端把证书校验关掉，可以吗"
    action = asked_action(terms("客户端", "证书校验", "关掉", "打算"), q)
    assert isinstance(action, ProposedAction) and set(action.weights) == {"客户端", "证书校验", "关掉"}
    # an ask naming its action keeps it, as any yes-or-no does
    action = asked_action(terms("节点", "pod", "重建"), "我刚加了节点，还要把这些 pod 删了重建吗")
    assert not isinstance(action, ProposedAction) and set(action.weights) == {"pod", "重建"}


def test_a_consequence_judges_a_plan_and_not_a_plain_yes_or_no():
    line = "下面的分区和格式化操作会清空磁盘上的所有数据。"
    assert CAUTION.search(line)
    assert judges_action(ProposedAction({"格式化": 1.0}), line)
    assert not judges_action(QuestionTerms({"格式化": 1.0}), line)  # no verdict word for a plain yes or no
    assert not CAUTION.search("新节点启动后会自动加入集群。")


def test_the_caution_leads_then_the_sections_way():
    section = doc("c-1", ["卸载数据盘"], "按照“先系统内、后控制台”的顺序：\n\n```bash\numount /data\n```\n\n"
                                        "然后在控制台点击卸载。直接在控制台卸载正在使用的盘，可能导致数据丢失或应用报 I/O 错误。")
    other = doc("c-2", ["系统盘与数据盘"], "数据盘用于存放业务数据，卸载后数据仍保留在盘上。", title="云盘类型")
    text = units_text(extractive_units("数据盘还挂在 /data 上跑着业务，我想直接去控制台点卸载，会有问题吗", [other, section]))
    assert text.startswith("直接在控制台卸载正在使用的盘，可能导致数据丢失或应用报 I/O 错误。")
    assert "umount /data" in text and "存放业务数据" not in text  # the way from the same section, not another page's line


def test_the_way_is_a_lead_in_with_its_command_or_steps():
    units = parse_units("按照顺序：\n\n```bash\numount /data\n```\n\n直接卸载可能导致数据丢失。", "doc")
    judging = [u for u in units if "直接卸载" in u.text]
    way = section_way(units, judging)
    assert [u.kind for u in way] == ["leadin", "code"]
    assert section_way(parse_units("直接卸载可能导致数据丢失。另一句话。", "doc"), judging) == []


def test_an_ask_for_what_comes_first_is_judged_by_a_line_saying_it():
    assert asks_first("用不用先做点什么") and not asks_first("可以吗")
    action = asked_action(terms("fsck", "不用"), "根分区 fsck 报错了，我打算直接上 fsck -y 修，用不用先做点什么")
    assert set(action.weights) == {"fsck", "先"}  # "不用" asks, it names no part of the plan
    assert judges_action(action, "根分区出错时，建议先为系统盘创建快照，再进行修复。")


def test_an_event_is_no_plan():
    assert not proposes("今天执行 br log resume 直接报 ErrBackupGCSafepointExceeded，这个任务还能续上吗")
    assert not proposes("service 建好了但是 endpoints 是空的，先查什么")  # 什么 is no yes-or-no ask
