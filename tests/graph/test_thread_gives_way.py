"""Where a later turn stops sticking to the thread's page (graph/thread_subjects.names_unsaid,
graph/prior_scan.asked_thing, graph/pointed_unit.pointed_unit_first for a question of its own): a full
question about things the conversation never said is a new topic; a thread line sharing only the
message's facet (默认) does not overrule another page stating the asked thing; a step of the thread's
page sharing a word or two does not replace a selected page that holds the question better."""

from __future__ import annotations

from graph.asked_kind import asked_kinds
from graph.followup import FollowUps, thread_of
from graph.pointed_unit import POINTED, pointed_unit_first
from graph.prior_scan import asked_thing, prior_page_first
from graph.questions import domain_terms


class _Vocab:
    """A base that writes 事务, 语句, 端口, 刷新 (no term among them but tidb)."""

    lexicon = {"tidb"}
    _words = ("乐观", "事务", "语句", "默认", "端口", "刷新", "最多", "多少", "一天", "健康检查", "keepalive", "生效")

    def tokenize(self, text: str) -> list[str]:
        return [w for w in self._words if w in text]

    def knows(self, token: str) -> bool:
        return token in self._words or token in self.lexicon


RESOLVER = FollowUps(domain_terms({"tidb"}), _Vocab())
PORT = [{"role": "user", "content": "tidb 默认端口是多少"},
        {"role": "assistant", "content": "TiDB 的默认端口为 4000（客户端请求）与 10080（状态报告）。"}]


def test_a_full_question_about_things_the_thread_never_said_is_a_new_topic():
    found = RESOLVER.resolve("乐观事务一个事务里最多能跑多少条语句", thread_of(PORT, RESOLVER))
    assert found.decision == "new_topic"
    assert found.standalone == "乐观事务一个事务里最多能跑多少条语句"  # no "tidb 默认端口" glued on


def test_an_elliptic_ask_or_one_about_what_the_thread_said_still_leans_on_it():
    thread = thread_of(PORT, RESOLVER)
    assert RESOLVER.resolve("最多能改成多少", thread).decision == "follow_up"  # short: elliptic
    # a full question whose words the conversation said: the thread's question again
    assert RESOLVER.resolve("这个默认端口在一天里最多能改多少次", thread).decision == "follow_up"


def test_what_the_asked_value_is_of_leaves_the_facets_out():
    message = "健康检查默认几秒探一次"
    assert asked_thing(message, asked_kinds(message), _Vocab(), "健康检查状态") == {"健康检查"}
    assert asked_thing(message, asked_kinds(message), _Vocab(), "后端状态") == set()  # a word the pages never write
    assert asked_thing("改完要等多久生效", asked_kinds("改完要等多久生效"), _Vocab(), "改完 生效") == set()  # no word of the base


PAGE = "docs/lb/502.md"
CHUNKS = {PAGE: [{"chunk_id": "k-1", "heading_path": ["502", "检查后端 keepalive 设置"], "kind": "doc",
                  "text": "Nginx 默认 keepalive_timeout 75s，一些应用服务器默认只有 5 秒或 20 秒。"},
                 {"chunk_id": "k-0", "heading_path": ["502", "看健康检查状态"], "kind": "doc",
                  "text": "在控制台查看后端服务器的健康检查状态。"}]}
PRIOR = {"text": "先看健康检查状态。", "sources": [PAGE], "titles": {PAGE: "负载均衡返回 502"},
         "question": "clb 后端老是报 502 怎么查"}
ROW = {"chunk_id": "o-3", "source": "docs/lb/overview.md", "title": "负载均衡与监听器", "kind": "table",
       "heading_path": ["关键默认参数"], "text": "参数: 健康检查间隔；默认值: 5 秒；说明: 两次探测之间的间隔",
       "meta": {"match": "strong"}}


def _scan(message: str, chosen: list) -> list:
    return prior_page_first(chosen, message, f"负载均衡 502 {message}", PRIOR, lambda s: CHUNKS.get(s, []),
                            _Vocab(), "kb")


def test_a_thread_line_sharing_only_the_facet_does_not_overrule_the_page_stating_the_asked_thing():
    assert _scan("健康检查默认几秒探一次", [ROW]) == [ROW]


def test_a_thread_line_naming_the_asked_thing_still_answers_first():
    found = _scan("keepalive 默认几秒", [ROW])
    assert [p["chunk_id"] for p in found] == ["k-1"]


STEPS = "docs/cdc/faq.md"
STEP_CHUNKS = {STEPS: [{"chunk_id": "s-1", "heading_path": ["同步任务中断怎么办"], "kind": "doc",
                        "text": "1. 停止同步任务。\n2. 记录 `BackupTS`。\n3. 建立一个新的同步事务，从 `BackupTS` 开始跑。"},
                       {"chunk_id": "s-2", "heading_path": ["端口"], "kind": "doc",
                        "text": "cdc 服务器的默认端口号是 8300。"}]}
STEP_PRIOR = {"text": "cdc 服务器的默认端口号是 8300。", "sources": [STEPS], "titles": {STEPS: "CDC 常见问题"},
              "question": "cdc 默认端口是多少"}
LIMIT = {"chunk_id": "l-1", "source": "docs/sql/faq.md", "title": "SQL 常见问题", "kind": "doc",
         "heading_path": ["限制"], "text": "一个事务里能跑的语句，默认限制最大为 5000 条。",
         "meta": {"match": "strong"}}


def _unit(message: str, follow_up: bool) -> list:
    return pointed_unit_first([LIMIT], message, STEP_PRIOR, lambda s: STEP_CHUNKS.get(s, []), _Vocab(), "kb",
                              follow_up=follow_up)


def test_a_question_of_its_own_keeps_the_page_holding_it_better_than_a_step_of_the_thread():
    message = "乐观事务一个事务里最多能跑多少条语句"  # 跑: a command asked (graph/detail_kind.py)
    assert _unit(message, follow_up=False) == [LIMIT]
    # the same words as a follow-up point into the previous answer's page (graph/pointed_unit.py)
    found = _unit(message, follow_up=True)
    assert found != [LIMIT] and (found[0].get("meta") or {}).get(POINTED)


def test_a_question_of_its_own_about_what_the_previous_answer_showed_still_points_into_it():
    # "describe 里写着 Insufficient cpu 是啥意思": its own words, but the ones the previous answer showed
    shown = {**STEP_PRIOR, "text": "建立一个新的同步事务。"}
    found = pointed_unit_first([LIMIT], "乐观事务一个事务里最多能跑多少条语句", shown, lambda s: STEP_CHUNKS.get(s, []),
                               _Vocab(), "kb", follow_up=False)
    assert (found[0].get("meta") or {}).get(POINTED)


class _AssociatedVocab(_Vocab):
    """A base where every word goes with every other (数据盘 with 云服务器): a short ask naming one leans on the thread."""

    _words = ("实例", "数据盘", "云服务器", "cpu", "排查", "使用率")
    lexicon = {"云服务器", "cpu", "数据盘"}

    def idf(self, token: str) -> float:
        return 1.0

    def association(self, token: str, others: list[str]) -> float:
        return 1.0


CPU = [{"role": "user", "content": "云服务器 cpu 100% 怎么查"},
       {"role": "assistant", "content": "1. **先看整体**：执行 top -c。[1]\n\n**参考来源**\n"
                                        "[1] 《CPU 使用率 100% 排查》 `docs/scs/cpu-high.md` — 执行 top -c。"}]


def test_a_follow_up_naming_a_thing_never_said_leans_on_the_product_not_the_pages_problem():
    resolver = FollowUps(domain_terms({"云服务器", "cpu", "数据盘"}), _AssociatedVocab())
    found = resolver.resolve("实例最多能挂几块数据盘", thread_of(CPU, resolver))
    assert found.decision == "follow_up"
    assert found.standalone == "云服务器 实例最多能挂几块数据盘"  # not "CPU 使用率 100% 排查 云服务器 …"


def test_还有个事_opens_a_new_question_as_split_reads_it_not_the_还有_that_goes_on():
    from graph.cues import after_openers

    assert after_openers("还有个事 windows 远程桌面连不上怎么办") == len("还有个事 ")
    assert after_openers("还有一件事，发票怎么开") == len("还有一件事，")
    assert after_openers("还有别的办法吗") == 0  # 还有 goes on (graph/cues.CONTINUES)
    found = RESOLVER.resolve("还有个事 默认端口怎么改", thread_of(PORT, RESOLVER))
    assert (found.decision, found.standalone) == ("new_topic", "默认端口怎么改")
