"""guard: greetings, KB-vocabulary evidence on real Chinese messages, the model's judgment."""

from __future__ import annotations

import pytest

from graph.domain_score import content_tokens, coverage, weighted_coverage
from graph.domain_check import is_greeting, judge, strip_greeting
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context


@pytest.mark.parametrize("message", ["你好", "您好！", "你是谁？", "你好，请问你能帮我什么？", "谢谢你", "hello"])
def test_greetings(message):
    assert is_greeting(message)


@pytest.mark.parametrize("message", ["你好，SSH 连不上怎么办", "504了", "谢谢，另外 CPU 100% 怎么办"])
def test_questions_are_not_greetings(message):
    assert not is_greeting(message)


def test_greeting_prefix_is_stripped():
    assert strip_greeting("你好，SSH 连不上怎么办") == "SSH 连不上怎么办"


def test_greeting_verdict(context):
    assert judge(context, "你是谁", "demo")["kind"] == "greet"


def test_vocabulary_coverage_separates_shared_words(context):
    vocab = context.vocabulary.get(context.knowledge, "demo")
    in_domain = content_tokens("安全组不生效", vocab)
    shared_word = content_tokens("安全组饮食法食谱", vocab)
    assert coverage(in_domain, vocab) == 1.0
    assert weighted_coverage(shared_word, vocab) < 0.5 < weighted_coverage(in_domain, vocab)


@pytest.mark.parametrize("message, kind", [
    ("CPU 100%", "answer"),
    ("安全组不生效", "answer"),
    ("云朵为什么是白色的", "refuse"),
    ("红烧肉怎么做才好吃", "refuse"),
])
def test_deterministic_verdicts_on_the_fake_kb(context, message, kind):
    verdict = judge(context, message, "demo")
    assert verdict["kind"] == kind, verdict
    assert 0.0 <= verdict["score"] <= 1.0 and verdict["evidence"]["model"] is None


def test_model_judgment_moves_the_score(fake_kb):
    out_ctx = make_context(fake_kb, ScriptedLLM(["OUT"]))
    in_ctx = make_context(fake_kb, ScriptedLLM(["IN"]))
    low = judge(out_ctx, "安全组不生效", "demo")
    high = judge(in_ctx, "安全组不生效", "demo")
    assert low["evidence"]["model"] == 0.0 and high["evidence"]["model"] == 1.0
    assert low["score"] < high["score"]
    prompt = out_ctx.llm.calls[0][0][-1].content
    assert "安全组不生效" in prompt


def test_unusable_model_output_keeps_the_deterministic_score(fake_kb, context):
    ctx = make_context(fake_kb, ScriptedLLM(["我觉得这个问题可能和云有关，也可能无关。"]))
    verdict = judge(ctx, "安全组不生效", "demo")
    assert verdict["evidence"]["model"] is None
    assert verdict["score"] == judge(context, "安全组不生效", "demo")["score"]


def test_topic_weights_follow_the_part_of_speech():
    from graph.word_class import glued_words, topic_weight

    assert [topic_weight(w) for w in ("多少", "一万", "这种", "多久", "周末")] == [0.0] * 5  # how it is asked
    assert topic_weight("碰到") == 0.5  # a verb says a little
    assert [topic_weight(w) for w in ("发票", "天气", "swap", "504")] == [1.0] * 4  # what it is about
    assert topic_weight("2") == 0.0  # a small number is a quantity, not a code
    assert glued_words("机器配置") == ["机器", "配置"] and glued_words("天气") == [] and glued_words("swap") == []


SPOKEN_IN_DOMAIN = [
    "内存老是不够 先整个 swap 顶一顶 咋弄",
    "上个月充了五千 只花了一千 发票能开五千吗",
    "半夜碰到主库挂了这种 P1 几分钟内得响应",
    "机器配置太低了 打算从 4 核升到 8 核 咋弄",
]
OFF_DOMAIN = [
    "这周末苏州天气咋样 要不要带伞",
    "容器里腌的酸菜多久能吃",
    "糖醋里脊怎么做才好吃",
    "茅台股票现在能买吗",
    "帮我写一首关于秋天的诗",
    "感冒了能喝咖啡吗",
]


@pytest.mark.parametrize("message", SPOKEN_IN_DOMAIN)
def test_spoken_questions_the_demo_kb_covers_pass_the_guard(demo_knowledge, message):
    verdict = judge(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "answer", verdict


@pytest.mark.parametrize("message", OFF_DOMAIN)
def test_off_domain_questions_are_still_refused_on_the_demo_kb(demo_knowledge, message):
    verdict = judge(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "refuse", verdict


def test_the_topics_of_a_multi_product_base_are_whole_names():
    from knowledge.corpus import topics_of as _topics

    lexicon = {"tidb", "tid", "kube", "kubernetes", "istio", "net", "pod"}
    titles = ["TiDB 集群问题导图", "TiDB 内存问题", "Kubernetes 网络策略", "Kubernetes 中的 Pod", "Istio 流量管理",
              "Istio 安全", "Pod 生命周期"]
    assert set(_topics(lexicon, titles)) == {"TiDB", "Kubernetes", "Istio", "Pod"}  # not "tid", "Kube", "net"


def test_greeting_and_refusal_name_what_the_base_covers(demo_knowledge):
    from graph.refusal import greeting_text, refusal_text

    ctx = make_context(demo_knowledge)
    for text in (greeting_text(ctx, "demo"), refusal_text(ctx, "demo")):
        assert "云服务器" in text and "安全组" in text and "云产品" not in text


@pytest.mark.parametrize("message", ["怎么开专票 个人帐号能开么", "帐户欠了钱 机器会被停吗"])
def test_account_and_billing_questions_pass_the_guard_in_any_spelling(demo_knowledge, message):
    # billing is a cloud desk's topic; 帐号/帐户 are the older spellings of the documents' 账号/账户
    verdict = judge(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "answer", verdict


def test_a_passage_sharing_only_verbs_does_not_make_a_message_in_domain(demo_knowledge):
    # the base's selection keeps VNC's "属于正常现象" for it; the message names nothing the base knows
    verdict = judge(make_context(demo_knowledge), "孩子三岁了还不会说话正常吗", "demo")
    assert verdict["kind"] == "refuse", verdict


class _FusedMissesIt:
    """The demo base whose fused ranking (vectors built) holds no passage selection keeps as strong,
    where the keyword ranking does: the second look must not depend on the embedder."""

    def __init__(self, service):
        self._service = service

    def __getattr__(self, name):
        return getattr(self._service, name)

    def search(self, query, kb=None, k=8):
        return []


def test_the_second_look_reads_the_keyword_ranking_whatever_the_vectors_rank(demo_knowledge):
    message = "网站改了 css，用户那边看到的还是老样式"
    assert judge(make_context(demo_knowledge), message, "demo")["in_domain"]
    verdict = judge(make_context(_FusedMissesIt(demo_knowledge)), message, "demo")
    assert verdict["in_domain"] and verdict["evidence"].get("selected") == "docs/cdn/cache-refresh.md"
