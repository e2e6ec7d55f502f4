"""graph/definition.py: the sentence of a page saying what the asked term is."""

from graph.definition import (DEFINITION, asked_term, compared_phrases, defines, definition_passage,
                              definitions_units, heads, side_definitions)
from graph.question_type import question_type


def test_the_asked_term_is_what_stands_before_the_define_cue() -> None:
    assert asked_term("acl 里说的临时端口是啥意思") == "临时端口"
    assert asked_term("sos 的最短存储时间是什么意思") == "最短存储时间"
    assert asked_term("中间证书是干啥的") == "中间证书"
    assert asked_term("eip 到底是个什么") == "eip"
    assert asked_term("怎么扩容") == ""


def test_define_cues_in_spoken_forms_ask_what_a_term_is() -> None:
    for question in ("eip 到底是个什么", "生命周期规则是干嘛用的", "cpu 积分到底是个啥概念", "ttl 是个啥东西"):
        assert question_type(question) == "define", question
    assert question_type("mysql 空间突然满了 一般是啥占的") != "define"


def test_a_sentence_defines_the_term_it_opens_or_glosses_or_names() -> None:
    assert defines("TTL（Time To Live，生存时间）是每条解析记录自带的一个秒数。", "ttl")
    assert defines("弹性公网 IP（Elastic IP，EIP）是可以独立购买和持有的公网 IPv4 地址。", "eip")
    assert defines("客户端的随机端口称为\"临时端口\"，Linux 默认范围是 32768-60999。", "临时端口")
    assert defines("NAT 网关为这类实例提供 **SNAT**（源地址转换）：实例发往公网的流量源地址被替换。", "snat")
    assert not defines("云解析 DNS 默认 TTL 为 600 秒。", "ttl")  # a value of it, not what it is
    assert not defines("TTL 并不是越小越好。", "ttl")
    assert heads("TTL 是什么", "ttl") and heads("让别人临时访问私有对象：预签名 URL", "预签名 url")
    assert not heads("调整 TTL", "ttl")


def _chunk(cid: str, heads_: list[str], text: str) -> dict:
    return {"chunk_id": cid, "heading_path": heads_, "text": text, "kind": "doc"}


def test_the_found_pages_defining_chunk_becomes_a_passage_and_its_units() -> None:
    page = [_chunk("eip#0", [], "弹性公网 IP（Elastic IP，EIP）是可以独立购买和持有的公网 IPv4 地址。"
                                "它可以绑定到云服务器或负载均衡上。实例故障时可改绑。"),
            _chunk("eip#1", ["调整带宽"], "EIP 的带宽可以随时调整，最大 200 Mbps。")]
    found = {"chunk_id": "eip#1", "source": "docs/vpc/eip.md", "kb": "demo", "title": "弹性公网 IP", "kind": "doc",
             "heading_path": ["调整带宽"], "text": page[1]["text"], "meta": {}}
    passage = definition_passage(("eip 到底是个什么",), [found], lambda kb, source: page)
    assert passage is not None and passage["chunk_id"] == "eip#0"
    assert passage["meta"][DEFINITION].startswith("弹性公网 IP")
    n, units = (definitions_units([found, passage]) or [(0, [])])[-1]
    assert n == 2 and [u.text[:6] for u in units] == ["弹性公网 I", "它可以绑定到"]
    assert definition_passage(("eip 带宽最大多少",), [found], lambda kb, source: page) is None


def test_a_comparison_without_a_contrasting_table_gets_what_each_side_is() -> None:
    assert compared_phrases("nat 网关和 eip 有啥区别") == ["nat 网关", "eip"]
    assert compared_phrases("ttl 跟 cname 的区别") == ["ttl", "cname"]
    assert compared_phrases("eip 有啥区别") == []  # nothing joined
    pages = {"eip.md": [_chunk("eip#0", [], "弹性公网 IP（Elastic IP，EIP）是可以独立购买和持有的公网 IPv4 地址。"
                                          "它可以绑定到云服务器上。")],
             "nat.md": [_chunk("nat#0", [], "内网实例通常不绑定公网 IP。NAT 网关为这类实例提供 SNAT（源地址转换）："
                                          "多台实例共享一个出口。")]}
    found = [{"chunk_id": f"{s}#0", "source": s, "kb": "demo", "title": s, "kind": "doc", "heading_path": [],
              "text": "", "meta": {}} for s in ("eip.md", "nat.md")]
    sides_ = side_definitions("nat 网关和 eip 有啥区别", found, lambda kb, source: pages[source])
    assert [p["chunk_id"] for p in sides_] == ["nat#0", "eip#0"]  # in the question's order
    answered = definitions_units(sides_)
    assert [n for n, _ in answered] == [1, 2] and answered[0][1][0].text.startswith("NAT 网关为")
    # half a comparison answers nothing: a side no page defines
    assert side_definitions("nat 网关和 vpn 有啥区别", found, lambda kb, source: pages[source]) == []


def test_a_latin_term_is_not_the_letters_of_a_longer_name():
    """"st" (top's steal time) is not defined by the sentence glossing "StarStack Cloud Server"."""
    from graph.definition import defines

    assert not defines("星栈云云服务器（StarStack Cloud Server，简称 SCS）是运行在星栈云数据中心里的虚拟机。", "st")
    assert defines("弹性公网 IP（Elastic IP，EIP）是可以独立购买和持有的公网 IPv4 地址。", "eip")
