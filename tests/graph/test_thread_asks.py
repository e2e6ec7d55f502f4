"""A follow-up asking how to verify the step, reporting the step done and the problem staying, or asking a bare
number is answered from the thread's page (graph/asked_kind.follow_up_kinds, graph/prior_scan.py); a short ask
naming only what the thread's page writes stays on the thread (graph/page_bound.py)."""

from __future__ import annotations

from graph.asked_kind import answers, asked_kinds, follow_up_kinds, says_step
from graph.page_bound import page_bound
from graph.prior_scan import ALONE, PRIOR_PAGE, prior_page_first

PAGE = "docs/widget/gateway.md"
CHUNKS = {
    PAGE: [
        {"chunk_id": "g-0", "heading_path": ["出口网关"], "kind": "doc",
         "text": "出口网关让没有公网地址的主机访问外网。校验证书后才能绑定域名。"},
        {"chunk_id": "g-1", "heading_path": ["配置步骤", "3. 验证"], "kind": "doc",
         "text": "在主机上执行：\n```bash\ncurl -s https://ip.example.com\n```"},
        {"chunk_id": "g-2", "heading_path": ["常见问题"], "kind": "doc",
         "text": "1. **改了路由但主机仍然连不上**：路由缓存最长保留 5 分钟，等待后重试。\n"
                 "2. 正常情况下切换在 2 秒以内完成。"},
    ],
}
PRIOR = {"text": "出口网关让没有公网地址的主机访问外网。", "sources": [PAGE], "titles": {PAGE: "出口网关"},
         "question": "出口网关是什么"}


class _Vocab:
    lexicon = {"网关", "路由", "主机", "yum"}

    def tokenize(self, text: str) -> list[str]:
        return [w for w in sorted(self.lexicon) if w in text]

    def knows(self, token: str) -> bool:
        return token in self.lexicon


def _scan(message: str) -> list:
    return prior_page_first([], message, f"出口网关 {message}", PRIOR, lambda s: CHUNKS.get(s, []), _Vocab(), "kb")


def test_the_kinds_a_follow_up_asks_beyond_a_value():
    assert [k.name for k in follow_up_kinds("配好之后怎么确认是它出去的")] == ["verify"]
    assert [k.name for k in follow_up_kinds("规则改完了浏览器还是报")] == ["persist"]
    assert [k.name for k in follow_up_kinds("一般延迟多少算正常")] == ["number"]
    assert follow_up_kinds("用 ssd 还是高性能盘") == []  # a choice, not a step that did not help
    assert [k.name for k in follow_up_kinds("最多能建几个")] == [k.name for k in asked_kinds("最多能建几个")]
    assert says_step(follow_up_kinds("换了以后怎么确认好了")) and not says_step(follow_up_kinds("时间差多少"))


def test_a_verification_is_a_step_named_so_not_any_word_holding_it():
    verify = follow_up_kinds("怎么验证")
    assert answers(verify, "4. **验证**：重复第 1 步，确认日期已更新。")
    assert answers(verify, "在主机上执行：", heading="配置步骤 3. 验证")
    assert not answers(verify, "校验证书后才能绑定域名。")  # 校验|证书
    assert not answers(verify, "在主机上执行：")


def test_a_verification_asked_is_the_line_under_the_pages_verification_heading_alone():
    found = _scan("配好之后怎么确认")
    assert [p["chunk_id"] for p in found] == ["g-1"]
    assert found[0]["meta"][PRIOR_PAGE] and found[0]["meta"][ALONE]
    assert "curl -s https://ip.example.com" in found[0]["text"]


def test_a_step_done_and_the_problem_staying_is_the_pages_line_for_that_case():
    found = _scan("路由改完了还是不行")
    assert found and found[0]["text"].startswith("1. **改了路由但主机仍然连不上**")
    assert not (found[0].get("meta") or {}).get(ALONE)


def test_a_bare_number_asked_is_the_pages_line_with_a_number():
    found = _scan("一般切换要多少算正常")
    assert found and "2 秒以内" in found[0]["text"]


class _Resolver:
    """The resolver's part page_bound reads: what a message names, the base's lexicon."""

    vocab = _Vocab()

    def entities(self, text: str) -> list[str]:
        return [w for w in ("yum", "路由", "数据库") if w in text]


PAGES = [(PAGE, c) for c in CHUNKS[PAGE]] + [(PAGE, {"text": "现象：`yum install` 卡住。"})]


def test_a_short_ask_naming_what_the_threads_page_writes_is_asked_of_it():
    assert page_bound("都弄了 yum 还是装不上", _Resolver(), PAGES)
    assert page_bound("路由多久生效", _Resolver(), PAGES)


def test_a_thing_the_page_never_writes_a_full_question_or_no_thing_is_not():
    assert not page_bound("数据库备份留几天", _Resolver(), PAGES)
    assert not page_bound("路由表里面的那条默认路由到底应该指向哪一个下一跳才对", _Resolver(), PAGES)
    assert not page_bound("怎么开发票", _Resolver(), PAGES)  # names nothing: the resolver's decision stands
    assert not page_bound("都弄了 yum 还是装不上", _Resolver(), [])


def test_a_section_named_for_the_state_that_stays_answers_whole_as_a_fix():
    page = "docs/widget/outbound.md"
    CHUNKS[page] = [
        {"chunk_id": "o-0", "heading_path": ["配置步骤"], "kind": "doc", "text": "1. 创建网关。\n2. 添加路由。"},
        {"chunk_id": "o-1", "heading_path": ["排查：主机仍然无法访问外网"], "kind": "doc",
         "text": "现象通常是 `yum install` 卡住。\n\n1. **检查路由**：有没有默认路由。\n2. **检查网关**：是否绑定地址。"},
    ]
    prior = {"text": "1. 创建网关。", "sources": [page], "titles": {page: "出口网关"}, "question": "出口网关怎么配"}
    found = prior_page_first([], "都弄了 yum 还是装不上", "都弄了 yum 还是装不上", prior, lambda s: CHUNKS.get(s, []),
                             _Vocab(), "kb", follow_up=True)
    assert [p["chunk_id"] for p in found] == ["o-1"]
    assert "2. **检查网关**" in found[0]["text"] and found[0]["meta"]["remedy"]
