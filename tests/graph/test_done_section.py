"""The section doing what the user already did is not the answer (graph/done_section.py, wired in
graph/evidence.build_evidence): "模板已经建好了，怎么分享给别的团队" is answered from the sharing section."""

from __future__ import annotations

from graph.done_section import done_and_asked, done_already, is_done, undone_anchor
from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import question_terms
from tests.graph.fakes import FakeKnowledge, page_chunk

SRC, TITLE = "docs/tpl/template.md", "创建与分享部署模板"
PAGE = [
    page_chunk(SRC, TITLE, "t-0", [], "部署模板保存一组实例配置，用于批量部署。"),
    page_chunk(SRC, TITLE, "t-1", ["创建部署模板"],
               "1. 在控制台进入 **部署 > 模板**，点击 **新建模板**。\n2. 填写模板名称和实例规格。\n"
               "3. 提交后在模板列表查看状态，状态为可用后即可使用。"),
    page_chunk(SRC, TITLE, "t-2", ["分享模板给其他团队"],
               "1. 在模板列表点击目标模板的 **分享**。\n2. 输入对方的团队编号。\n3. 对方在 **共享给我的** 中即可看到。"),
    page_chunk(SRC, TITLE, "t-3", ["验证模板"],
               "用命令行部署一台测试实例：\n\n```bash\ntplctl deploy --template web-tpl --dry-run\n```"),
    page_chunk(SRC, TITLE, "t-4", ["部署后仍然看不到实例"], "检查模板所在地域与当前控制台地域是否一致。"),
]


def _chunks() -> list[dict]:
    return FakeKnowledge(PAGE).document_chunks("demo", SRC)


def _section(i: int) -> dict:
    return dict(to_state(PAGE[i]))


def test_only_done_clauses_count_and_the_ask_is_read_apart() -> None:
    done, asked = done_and_asked("模板已经建好了，怎么分享给别的团队")
    assert done == ["模板已经建好了"] and asked == ["怎么分享给别的团队"]
    assert done_and_asked("我想建个模板，怎么分享给别的团队")[0] == []  # mentioned, not done
    assert done_and_asked("模板还没建好，怎么分享给别的团队")[0] == []  # negated: not done
    done, asked = done_and_asked("模板早就建好了，还是部署不出来")
    assert done == ["模板早就建好了"] and asked == ["还是部署不出来"]  # what still fails is asked about


def test_the_section_doing_the_done_action_is_the_done_one() -> None:
    done, asked = done_and_asked("模板已经建好了，怎么分享给别的团队")
    assert is_done(_section(1), done, asked)
    assert not is_done(_section(2), done, asked)
    assert not is_done(_section(0), done, asked)  # the page's intro is the page, not a step
    # a heading about what follows the action is never the action itself
    assert not is_done(_section(4), *done_and_asked("模板已经部署过了，还是看不到实例"))


def test_the_anchor_moves_to_the_section_on_the_ask() -> None:
    question = "模板已经建好了，怎么分享给别的团队"
    moved = undone_anchor(_section(1), _chunks(), [], question)
    assert moved is not None and moved["heading_path"] == ["分享模板给其他团队"]
    assert moved["meta"]["added"] == "resolve"
    assert undone_anchor(_section(1), _chunks(), [], "我想建个模板，怎么分享给别的团队") is None
    assert undone_anchor(_section(2), _chunks(), [], question) is None  # the anchor answers the ask already
    assert not done_already(_section(1), question, "value")  # a value asked reports no step


def test_with_nothing_named_a_how_to_gets_the_step_after() -> None:
    moved = undone_anchor(_section(1), _chunks(), [], "模板已经建好了，接下来咋弄")
    assert moved is not None and moved["heading_path"] == ["分享模板给其他团队"]


def test_evidence_answers_from_the_asked_section_not_the_done_one() -> None:
    question = "模板已经建好了，怎么分享给别的团队"
    chosen = [to_state(PAGE[2]), to_state(PAGE[1])]  # most relevant last: the done section ranked first
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "howto", terms, question=question)
    heads = [e["heading_path"] for e in reversed(evidence)]  # best first
    assert heads[0] == ["分享模板给其他团队"] and ["创建部署模板"] not in heads


def test_a_page_met_by_its_intro_answers_from_the_section_after_the_done_one() -> None:
    question = "模板已经建好了，怎么验证模板能不能用"
    chosen = [to_state(PAGE[1]), to_state(PAGE[0])]  # the intro first, the done section beside it
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "howto", terms, question=question)
    heads = [e["heading_path"] for e in reversed(evidence)]
    assert heads[0] == ["验证模板"] and ["创建部署模板"] not in heads


def test_beside_a_page_intro_only_a_heading_naming_the_action_is_done() -> None:
    tip = dict(to_state(page_chunk(SRC, TITLE, "t-9", ["小贴士：模板命名"], "新建模板时，名称里带上版本号，方便回滚。")))
    done, asked = done_and_asked("模板已经建好了，怎么验证模板能不能用")
    assert is_done(tip, done, asked) and not is_done(tip, done, asked, titled=True)
    assert is_done(_section(1), done, asked, titled=True)  # "创建部署模板" names 建
    page = FakeKnowledge([PAGE[0], PAGE[3]]).document_chunks("demo", SRC)
    tip_page = FakeKnowledge([PAGE[0], page_chunk(SRC, TITLE, "t-9", ["小贴士：模板命名"], tip["text"]), PAGE[3]])
    intro = dict(to_state(PAGE[0]))
    assert undone_anchor(intro, tip_page.document_chunks("demo", SRC), [], "模板已经建好了，怎么验证模板能不能用") is None
    assert undone_anchor(intro, page, [], "模板已经建好了，怎么验证模板能不能用") is None  # no section done at all
