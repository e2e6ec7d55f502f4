"""What stays after the user's action is answered by the section the base names for it (graph/aftermath.py):
"模板早就建好了，部署出来的实例还是看不到" gets "部署后仍然看不到实例", not the template's creation steps."""

from __future__ import annotations

from graph.aftermath import AFTERMATH_HEAD, aftermath_section, leading, pages_of, persisting, without_done
from graph.doc_order import doc_order
from graph.passages import to_state
from graph.relevance import question_terms
from tests.graph.fakes import FakeKnowledge, page_chunk

SRC, TITLE = "docs/tpl/template.md", "创建与分享部署模板"
PAGE = [
    page_chunk(SRC, TITLE, "t-0", [], "部署模板保存一组实例配置，用于批量部署。"),
    page_chunk(SRC, TITLE, "t-1", ["部署模板"],
               "1. 在控制台进入 **部署 > 模板**，点击 **部署**。\n2. 选择模板和地域。\n3. 提交后在实例列表查看。"),
    page_chunk(SRC, TITLE, "t-2", ["分享模板给其他团队"], "1. 在模板列表点击目标模板的 **分享**。\n2. 输入对方的团队编号。"),
    page_chunk(SRC, TITLE, "t-3", ["部署后仍然看不到实例"],
               "1. **地域不一致**：模板所在地域与当前控制台地域不同，实例列表看不到。\n"
               "2. **配额用尽**：实例配额不足时部署失败，实例不会出现。"),
]
QUESTION = "模板早就部署过了，实例列表里还是看不到新实例"


def _chunks() -> list[dict]:
    return FakeKnowledge(PAGE).document_chunks("demo", SRC)


def _found(i: int) -> dict:
    return dict(to_state(PAGE[i]))


def _terms(question: str = QUESTION):
    return question_terms(question, "", None, [c["text"] for c in _chunks()])


def test_reads_an_action_done_then_what_still_fails() -> None:
    assert persisting(QUESTION) == ("模板早就部署过了", "实例列表里还是看不到新实例")
    assert persisting("证书续期后也换上去了，但用户访问有时又提示证书过期")[0] == "证书续期后也换上去了"
    assert persisting("sshd 端口换成 2222 了，重启服务后就连不上了") is not None  # a number is no failure of the done clause
    assert persisting("模板怎么部署") is None  # nothing done
    assert persisting("模板还没部署，实例列表看不到") is None  # the action negated: not done
    assert persisting("模板部署过了，怎么分享给别的团队") is None  # nothing stays: a next step asked


def test_a_heading_carries_the_aftermath_sense() -> None:
    for head in ("刷新后仍然看到旧内容", "MySQL 命令行客户端清除 Hint 导致不生效", "有 Pod 被抢占，但抢占者并没有被调度",
                 "执行时间：为什么配置了规则还没生效", "排查：实例仍然无法访问外网"):
        assert AFTERMATH_HEAD.search(head), head
    for head in ("部署模板", "创建前的准备", "扩容后须知", "可能原因"):
        assert not AFTERMATH_HEAD.search(head), head


def test_the_section_named_for_the_case_is_found_on_the_page() -> None:
    pages = pages_of([_found(1)], lambda p: _chunks(), 4)
    found = aftermath_section(QUESTION, pages, _terms())
    assert found is not None and found["heading_path"] == ["部署后仍然看不到实例"]
    assert found["meta"]["added"] == "aftermath" and "地域不一致" in found["text"]
    # no action reported done: the page's sections compete as they did
    assert aftermath_section("实例列表里看不到新实例", pages, _terms("实例列表里看不到新实例")) is None
    # the heading names another action than the one done (the title names the product for every section)
    updated = "模板文件更新了，实例列表里还是看不到新实例"
    assert aftermath_section(updated, pages, _terms(updated)) is None
    # a done action the heading and title do not name: another case
    other = "证书已经上传了，浏览器还是提示证书过期"
    assert aftermath_section(other, pages, _terms(other)) is None


def test_the_section_leads_and_the_action_done_gives_way() -> None:
    section = aftermath_section(QUESTION, pages_of([_found(1)], lambda p: _chunks(), 4), _terms())
    steps = {**_found(1), "meta": {"procedure": True}}
    faq = {"kind": "faq", "chunk_id": "f-1", "source": "faq/faq.jsonl", "heading_path": ["模板能跨地域用吗？"], "text": "不能。"}
    share = _found(2)
    out = leading([faq, share, steps], section, 4)
    assert out[-1] is section and steps not in out and faq in out and share in out
    # over room, a page section gives way before a FAQ line
    assert leading([faq, share, _found(0)], section, 3) == [faq, _found(0), section]
    assert leading([faq, share], None, 4) == [faq, share]


def test_the_done_clause_asks_no_how_to() -> None:
    assert without_done(QUESTION) == "实例列表里还是看不到新实例"
    assert without_done("模板怎么部署") == "模板怎么部署"


def test_the_aftermath_section_answers_first() -> None:
    section = aftermath_section(QUESTION, pages_of([_found(1)], lambda p: _chunks(), 4), _terms())
    assert section is not None
    passages = [section, {**_found(1), "meta": {"added": "focus"}}]
    assert doc_order(passages, "symptom", _terms())[0] == 1


def test_a_done_clause_running_into_what_persists_without_a_comma():
    # "cdn 刷新了还是旧的": the action done and what stays, written as one run
    from graph.aftermath import persisting
    assert persisting("cdn 刷新了还是旧的") == ("cdn 刷新了", "还是旧的")
    assert persisting("重启了吗") is None


def test_a_one_character_word_and_the_heading_saying_the_state_stays() -> None:
    # "刷新了还是旧的": 旧 alone names what stays; "刷新后仍然看到旧内容" treats it, not "刷新：让旧缓存失效"
    # (its 失效 is what refreshing is for), though both name 刷新 and 旧
    src, title = "docs/c/refresh.md", "缓存与刷新"
    page = [page_chunk(src, title, "r-0", ["刷新：让旧缓存失效"], "文件更新后通过刷新让边缘节点上的旧缓存失效。"),
            page_chunk(src, title, "r-1", ["刷新后仍然看到旧内容"], "1. 浏览器本地缓存。\n2. 源站本身还没更新，仍是旧文件。")]
    chunks = FakeKnowledge(page).document_chunks("demo", src)
    question = "cdn 刷新了还是旧的"
    terms = question_terms(question, "", None, [c["text"] for c in chunks])
    found = aftermath_section(question, pages_of([dict(to_state(page[0]))], lambda p: chunks, 4), terms)
    assert found is not None and found["heading_path"] == ["刷新后仍然看到旧内容"], found


def test_the_action_done_is_named_by_words_not_by_a_lone_character() -> None:
    # "删了好多历史数据，ibd 文件还是那么大": a disk page's "已删除但未释放的文件" shares only 删 with the done
    # clause; it does not take the case from the database page's clean-up
    src, title = "docs/d/full.md", "磁盘空间满排查"
    page = [page_chunk(src, title, "d-0", ["排查步骤", "检查已删除但未释放的文件"], "文件被删除但仍被进程打开，空间不会释放，大小还是不变。")]
    chunks = FakeKnowledge(page).document_chunks("demo", src)
    question = "删了好多历史数据，ibd 文件还是那么大"
    terms = question_terms(question, "", None, [c["text"] for c in chunks])
    assert aftermath_section(question, pages_of([dict(to_state(page[0]))], lambda p: chunks, 4), terms) is None
