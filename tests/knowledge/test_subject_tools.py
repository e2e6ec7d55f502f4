"""A tool the question works with is no rare subject (knowledge.subjects.instrument_names), and a versioned
name the base never writes, stem included, is an unknown term (knowledge.subjects.unknown_terms)."""

from __future__ import annotations

from knowledge.subjects import instrument_names, rare_subject, unknown_terms, versioned_stems


def test_the_tool_a_question_uses_is_no_rare_subject():
    query = "用 python 拼签名上传一直报错"
    assert instrument_names(query) == {"python"}
    assert instrument_names("java sdk 上传报错") == {"java"}
    assert instrument_names("Redis 集群怎么扩容") == set()  # the thing asked about, not a tool
    counts = {"python": 3, "签名": 40}
    assert rare_subject(["python", "签名"], counts, 744) == "python"  # read alone, the rare name is the subject
    assert rare_subject(["python", "签名"], counts, 744, tools=instrument_names(query)) is None


def test_a_versioned_name_is_unknown_only_when_its_stem_is_too():
    words = str.split
    assert versioned_stems(["ipv6", "centos7", "web01", "配置"]) == ["ipv", "centos"]
    counts = {"ipv6": 0, "ipv": 0, "centos7": 0, "centos": 12, "node3": 0, "node": 30}
    assert unknown_terms("云服务器怎么配置 IPv6", counts, lambda q: [t.lower() for t in words(q)]) == ["IPv6"]
    assert unknown_terms("centos7 怎么装", counts, words) == []  # a version of the base's centos
    assert unknown_terms("node3 不可用", counts, words) == []  # a host named after the base's node
