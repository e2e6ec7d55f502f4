"""A value question gets the value: the asked quantity's kind, and the line of the whole page stating it
(graph/value_scan.py, added as evidence by graph/evidence.build_evidence, picked by
graph/value_fact.best_fact). Made-up pages; run: pytest tests/graph/test_value_scan.py"""

from __future__ import annotations

from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import question_terms
from graph.spelling import SpellingFixer
from graph.value_scan import asked_quantity, value_passage
from graph.answer_text import units_text
from graph.extractive import extractive_units
from tests.graph.fakes import FakeKnowledge, page_chunk

TITLE = "配置项存储"
SOURCE = "docs/store/config-store.md"


def _chunk(chunk_id: str, heads: list[str], text: str):
    return page_chunk(SOURCE, TITLE, chunk_id, heads, text)


# the intro is what retrieval finds; the size limit is three sections further down
PAGE = [
    _chunk("s-0", [], "配置项存储用来保存应用的非机密配置，例如环境变量、命令行参数和配置文件。"
                     "应用启动时从配置项存储读取这些数据，不必把配置写进镜像。"),
    _chunk("s-1", ["创建配置项"], "1. 进入 **配置中心 > 配置项**，点击 **新建**。\n2. 填写名称和键值对，保存。"),
    _chunk("s-2", ["挂载到应用"], "挂载后，应用在 `/etc/config` 下读到每个键对应的文件。更新配置项后约 1 分钟内同步到应用。"),
    _chunk("s-3", ["使用限制"], "配置项存储在设计上不是用来保存大量数据的。单个配置项保存的数据不可超过 1 MiB。"
                               "如果需要保存更大的数据，请改用对象存储。"),
]


def extractive_answer(page, question: str) -> str:
    """The value answer when selection chose the page's first chunk (evidence adds the rest)."""
    chosen = [to_state(page[0])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(page).document_chunks, "value", terms, question=question)
    return units_text(extractive_units(question, evidence, qtype="value"))


def test_the_kind_of_quantity_asked() -> None:
    kinds = {q: (a.kind if a else None) for q, a in ((q, asked_quantity(q)) for q in (
        "想把 5MB 的文件塞进去，报太大了，最多能放多大", "默认多久重新解析一次", "默认采样率是多少",
        "它默认重试几次才放弃", "一张路由表上限是多少条", "去哪看积分还剩多少", "那默认安全组呢",
        "把几十张表合到一张表，路由写的 table_[0-63]，有问题吗？", "只能看到几条 trace，是不是丢了"))}
    assert kinds == {"想把 5MB 的文件塞进去，报太大了，最多能放多大": "size", "默认多久重新解析一次": "duration",
                     "默认采样率是多少": "rate", "它默认重试几次才放弃": "number", "一张路由表上限是多少条": "number",
                     "去哪看积分还剩多少": None, "那默认安全组呢": None,
                     "把几十张表合到一张表，路由写的 table_[0-63]，有问题吗？": None, "只能看到几条 trace，是不是丢了": None}


def test_a_count_is_not_a_measure() -> None:
    asked = asked_quantity("没设的话它默认重试几次才放弃")
    assert asked is not None and asked.held("失效回退的限制值默认为 6。")
    assert not asked.held("回退重试时间按指数增长，最多至 6 分钟。")
    assert asked.limit_words("失效回退的限制值默认为 6。") == 1


def test_the_page_section_stating_the_asked_size_is_found() -> None:
    question = "想把一个 5MB 的配置文件塞进配置项存储，保存时报太大了，最多能放多大"
    chunks = [to_state(p) for p in PAGE]
    terms = question_terms(question, "", None, [chunks[0]["text"]])
    found = value_passage([(chunks[0], chunks)], terms, question, {"s-0"})
    assert found is not None and found["chunk_id"] == "s-3" and found["meta"]["added"] == "value"
    assert value_passage([(chunks[0], chunks)], terms, question, {"s-3"}) is None  # already in evidence


def test_the_answer_gives_the_value_retrieval_missed() -> None:
    question = "想把一个 5MB 的配置文件塞进配置项存储，保存时报太大了，最多能放多大"
    text = extractive_answer(PAGE, question)
    assert "不可超过 1 MiB" in text


def test_no_value_line_no_passage() -> None:
    chunks = [to_state(p) for p in PAGE[:2]]
    question = "配置项存储最多能放多大"
    terms = question_terms(question, "", None, [chunks[0]["text"]])
    assert value_passage([(chunks[0], chunks)], terms, question, set()) is None
    assert build_evidence([chunks[0]], FakeKnowledge(PAGE[:2]).document_chunks, "value", terms, question=question) \
        == build_evidence([chunks[0]], FakeKnowledge(PAGE[:2]).document_chunks, "value", terms)


def test_a_value_line_referring_back_comes_with_its_sentence() -> None:
    page = [page_chunk("docs/dns/proxy.md", "代理 DNS 解析", "d-0", [],
                       "代理不会按需解析域名。配置 DNS 类型的服务条目后，代理将定期解析配置的主机名并用于所有请求。"
                       "此间隔固定为 30 秒，目前无法更改。")]
    text = extractive_answer(page, "服务条目用的 DNS 类型，后端 IP 换了代理好久才切过去，它多久重新解析一次")
    assert "此间隔固定为 30 秒" in text and "代理将定期解析配置的主机名" in text


def test_the_value_of_the_asked_thing_beats_another_in_the_same_story() -> None:
    page = [page_chunk("docs/sync/packet.md", "同步报错 packet too large", "k-0", [],
                       "按默认设置，导出单元生成的 Insert 语句大小一般在 1M 左右，通常不会触发 packet too large。"
                       "目前同步工具和数据库的默认 max_allowed_packet 配额都为 64M。")]
    text = extractive_answer(page, "全量同步报 packet too large，max_allowed_packet 默认是多大")
    assert text.splitlines()[0].startswith("目前同步工具和数据库的默认 max_allowed_packet 配额都为 64M")


def test_asking_words_are_no_typos() -> None:
    fix = SpellingFixer.from_counts({"多达": 40, "配额": 30}, lexicon=set())
    assert fix.correct("max_allowed_packet 默认是多大") == "max_allowed_packet 默认是多大"


def test_a_value_stated_on_the_page_needs_no_hedge(demo_knowledge):
    """Real selection on the demo base: retrieval finds the page's intro; the answer is the limit stated
    further down the page, and the story words ("报超限") the page never writes are no reason to hedge."""
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    text = Copilot(make_context(demo_knowledge)).ask("自定义路由加多了就报超限，每张路由表上限几条", "rt").answer
    assert "200 条自定义路由" in text and "部分相关" not in text, text


# the default stated in characters ("两次") and an example configuring another count ("最多重试 3 次")
RETRY_PAGE = [
    _chunk("r-0", ["重试"], "重试设置指定如果初始调用失败，代理尝试连接服务的最大次数。"
                           "请求的默认重试行为是在返回错误之前重试两次。"
                           "下面的示例配置了在初始调用失败后最多重试 3 次来连接到服务子集。"),
]


def test_a_default_count_written_in_characters_is_the_asked_count() -> None:
    answer = extractive_answer(RETRY_PAGE, "没配重试的话，请求默认会重试几次")
    assert "重试两次" in answer and "3 次" not in answer


def test_characters_before_a_count_word_count_but_not_one_or_an_ordinal() -> None:
    from graph.question_type import asked_unit
    unit = asked_unit("默认重试几次")
    assert unit is not None and unit.search("重试两次") and unit.search("重试 3 次")
    assert not unit.search("第二次重试") and not unit.search("一次性提交")


# the value stands in a lead-in to a log sample longer than the whole answer
LEADIN_PAGE = [
    _chunk("l-0", ["负载压力下崩溃"], "检查您的 `ulimit -a`。许多系统有一个默认只能打开 1024 个文件描述符的限制，"
                                  "它将导致代理崩溃：\n\n```plain\n" + "[critical][assert] assert failure: fd_ != -1 " * 30
           + "\n```\n\n请确保增大您的 ulimit。"),
]


def test_a_value_in_a_lead_in_stands_when_its_sample_does_not_fit() -> None:
    answer = extractive_answer(LEADIN_PAGE, "压测一上量配置项存储就崩了，系统默认能打开多少个文件描述符")
    assert "1024 个文件描述符" in answer
