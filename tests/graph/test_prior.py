"""prior: a follow-up's retrieval leans on the previous reply's pages, not on its passages again."""

from __future__ import annotations

from graph.prior import (not_shown, own_page_passages, own_pages_first, own_words, prior_answer, shown_share, step_first,
                         step_only, with_own_pages)

REPLY = ("云盘扩容需要重启吗？不需要。[1]\n云盘支持在线扩容，但扩容后要在系统内用 growpart 扩展分区。[1]\n\n"
         "**参考来源**\n[1] 《常见问题》 `faq/faq.jsonl` — 不需要。\n[2] 〔demo〕《扩容云盘》 `docs/disk/expand-disk.md` — 第一步")
FAQ = {"chunk_id": "f1", "source": "faq/faq.jsonl", "kind": "faq",
       "text": "问：云盘扩容需要重启吗？\n答：不需要。云盘支持在线扩容，但扩容后要在系统内用 growpart 扩展分区。"}
SHRINK = {"chunk_id": "d9", "source": "docs/disk/expand-disk.md", "text": "云盘不支持缩容，请按实际需要分多次扩容。"}


def messages(reply: str = REPLY) -> list[dict]:
    return [{"role": "user", "content": "云盘怎么扩容"},
            {"role": "assistant", "content": reply, "questions": ["云盘怎么扩容"]},
            {"role": "user", "content": "要是扩多了还能改小回去吗"}]


def test_the_previous_reply_with_its_cited_pages() -> None:
    prior = prior_answer(messages())
    assert prior["sources"] == ["faq/faq.jsonl", "docs/disk/expand-disk.md"]
    assert prior["question"] == "云盘怎么扩容" and "参考来源" not in prior["text"] and "[1]" not in prior["text"]
    assert prior_answer([{"role": "user", "content": "你好"}]) == {}


def test_an_faq_entry_shown_whole_counts_as_shown_by_its_answer() -> None:
    prior = prior_answer(messages())
    assert shown_share(FAQ["text"], prior["text"]) == 1.0
    assert shown_share(SHRINK["text"], prior["text"]) == 0.0


def test_a_new_ask_does_not_get_back_what_was_shown() -> None:
    prior = prior_answer(messages())
    assert not_shown([FAQ, SHRINK], prior, "要是扩多了还能改小回去吗", None) == [SHRINK]
    # a passage that carries the new ask's own words stays, and nothing left means nothing dropped
    assert not_shown([FAQ, SHRINK], prior, "growpart 之后还要干嘛", None) == [FAQ, SHRINK]
    assert not_shown([FAQ], prior, "要是扩多了还能改小回去吗", None) == [FAQ]


def test_own_words_leave_out_the_previous_question_and_asking_words() -> None:
    assert own_words("延迟一直在涨，去哪看具体落后多少", "只读实例复制延迟告警了", None) == ["落后"]


def test_a_step_follow_up_finds_the_step_on_the_previous_pages_first() -> None:
    prior = prior_answer(messages())
    step = {"chunk_id": "d2", "source": "docs/disk/expand-disk.md", "text": "lsblk"}
    other = {"chunk_id": "x", "source": "docs/disk/disk-full.md", "text": "df -h"}
    found = step_first([other, FAQ], prior, "在系统内确认新容量", lambda q: [other, step])
    assert [p["chunk_id"] for p in found] == ["d2", "x", "f1"] and found[0]["meta"] == {"asked_item": True}
    assert step_first([other], {"text": "…", "sources": []}, "在系统内确认新容量", lambda q: [step]) == [other]


def test_a_step_follow_up_keeps_the_steps_own_section_alone() -> None:
    prior = prior_answer(messages())
    step = {"chunk_id": "d2", "source": "docs/disk/expand-disk.md", "heading_path": ["第二步：在系统内确认新容量"],
            "text": "lsblk"}
    errors = {"chunk_id": "d7", "source": "docs/disk/expand-disk.md", "heading_path": ["常见错误"], "text": "NOCHANGE"}
    faq_hit = {**FAQ, "heading_path": ["云盘 IOPS 达不到标称值怎么回事？"]}
    # the section headed by the item comes first, though the FAQ page was cited first
    retrieved = step_first([errors], prior, "在系统内确认新容量", lambda q: [faq_hit, step])
    assert [p["chunk_id"] for p in retrieved] == ["d2", "d7"]
    chosen = [errors, FAQ, step]
    assert step_only(chosen, retrieved, "在系统内确认新容量", "第二步具体怎么写") == [step]
    # an error of its own asks beyond the step; a list item without a heading of its own is no section
    assert step_only(chosen, retrieved, "在系统内确认新容量", "第二步报 NOCHANGE: partition 1 怎么办") is None
    assert step_only(chosen, retrieved, "确认新容量", "第二步具体怎么写") == [step]
    assert step_only(chosen, retrieved, "应用连接池过大", "第二个怎么处理") is None
    assert step_only([errors], retrieved, "在系统内确认新容量", "第二步具体怎么写") is None  # not selected


RDP = {"chunk_id": "r2", "source": "docs/scs/rdp-login-failed.md", "kind": "doc", "score": 0.9,
       "text": "检查安全组是否放通入方向 TCP 3389 端口。", "meta": {"match": "strong"}}
RDP_OTHER = {"chunk_id": "r1", "source": "docs/scs/rdp-login-failed.md", "kind": "doc", "score": 0.8,
             "text": "出现内部错误时先重启实例。", "meta": {"match": "strong"}}
PORT_FAQ = {"chunk_id": "f3", "source": "faq/faq.jsonl", "kind": "faq", "score": 1.0,
            "text": "问：远程桌面用什么端口？\n答：RDP 使用 TCP 3389 端口，安全组需放通。", "meta": {"match": "strong"}}


def rdp_prior() -> dict:
    reply = ("出现内部错误时先重启实例。[1]\n\n**参考来源**\n[1] 《RDP 无法连接》 `docs/scs/rdp-login-failed.md` — 重启")
    return prior_answer([{"role": "user", "content": "mstsc 出现了内部错误"},
                         {"role": "assistant", "content": reply, "questions": ["mstsc 出现了内部错误"]},
                         {"role": "user", "content": "那安全组要放哪个端口"}])


def test_a_follow_up_answers_from_the_previous_answers_page_first() -> None:
    prior = rdp_prior()
    chosen = [RDP_OTHER, PORT_FAQ]
    words = own_words("那安全组要放哪个端口", prior.get("question") or "", None)
    assert own_page_passages([RDP, RDP_OTHER, PORT_FAQ], prior, words) == [RDP]
    first = own_pages_first(chosen, [RDP, RDP_OTHER, PORT_FAQ], prior, "那安全组要放哪个端口", None,
                            lambda ps: list(ps))
    assert [p["chunk_id"] for p in first] == ["r1", "r2"]  # the page's own passages, the ask's last


def test_the_page_does_not_replace_other_pages_that_hold_more_of_the_ask_or_a_weak_match() -> None:
    prior = rdp_prior()
    weak = {**RDP, "meta": {}}
    chosen = [RDP_OTHER, PORT_FAQ]
    assert own_pages_first(chosen, [weak, PORT_FAQ], prior, "那安全组要放哪个端口", None, lambda ps: list(ps)) == chosen
    half = {**RDP, "text": "检查安全组。"}
    assert own_pages_first(chosen, [half, PORT_FAQ], prior, "那安全组要放哪个端口", None, lambda ps: list(ps)) == chosen
    # selection kept only the page already: nothing to do
    assert own_pages_first([RDP_OTHER, RDP], [RDP, PORT_FAQ], prior, "那安全组要放哪个端口", None,
                           lambda ps: list(ps)) == [RDP_OTHER, RDP]


def test_a_partial_match_on_the_page_is_enough_when_it_holds_the_ask_as_well() -> None:
    prior = rdp_prior()
    partial = {**RDP, "meta": {"match": "partial"}}
    first = own_pages_first([RDP_OTHER, PORT_FAQ], [partial, PORT_FAQ], prior, "那安全组要放哪个端口", None,
                            lambda ps: list(ps))
    assert [p["chunk_id"] for p in first] == ["r1", "r2"]


def test_an_faq_entry_asking_just_this_keeps_its_place() -> None:
    """"那它的端口是多少" after a connection answer: the FAQ entry "…端口是多少？" answers it; the page's
    passage that only mentions 端口 does not replace it."""
    reply = "检查白名单。[1]\n\n**参考来源**\n[1] 《无法连接数据库》 `docs/mysql/connect-failed.md` — 白名单"
    prior = prior_answer([{"role": "user", "content": "mysql 连不上"},
                          {"role": "assistant", "content": reply, "questions": ["mysql 连不上"]},
                          {"role": "user", "content": "那它的端口是多少"}])
    page = {"chunk_id": "c1", "source": "docs/mysql/connect-failed.md", "kind": "doc", "text": "端口或地址写错。",
            "meta": {"match": "strong"}}
    faq = {"chunk_id": "f1", "source": "faq/faq.jsonl", "kind": "faq", "meta": {"match": "strong"},
           "text": "问：云数据库 MySQL 端口是多少？\n答：默认端口为 3306。"}
    assert own_pages_first([faq], [page, faq], prior, "那它的端口是多少", None, lambda ps: list(ps)) == [faq]


def test_the_previous_pages_own_section_joins_a_follow_up_whose_retrieval_missed_it() -> None:
    prior = prior_answer(messages())
    other = {"chunk_id": "o1", "source": "docs/disk/disk-types.md", "text": "高性能云盘和 SSD 云盘的区别。"}
    faq = {**FAQ, "chunk_id": "f2", "text": "问：云盘能缩容吗？\n答：不能缩容。"}
    wider = [other, faq, SHRINK]
    # none of the retrieved passages of the previous page holds the ask's own word: the wider search's does
    assert with_own_pages([other], prior, ["缩容"], lambda: wider) == [other, SHRINK]
    # one of them holds it already, or the ask has no word of its own: retrieval is left as it was
    assert with_own_pages([SHRINK], prior, ["缩容"], lambda: [*wider, {**SHRINK, "chunk_id": "d10"}]) == [SHRINK]
    assert with_own_pages([other], prior, [], lambda: wider) == [other]
    # an FAQ entry is no page of the thread
    assert with_own_pages([other], prior, ["缩容"], lambda: [faq]) == [other]
