"""Selected passages carry the names their document declares (front-matter product and tags)."""

from __future__ import annotations

from dataclasses import asdict

from graph.evidence import is_on_topic
from graph.relevance import QuestionTerms
from knowledge.doc_tags import declared_names


def test_selected_passages_carry_front_matter_names(demo):
    query = "rds 连不上 报 2003 错误"
    chosen = demo.select(query, demo.search(query, kb="demo", k=8), 4)
    page = [p for p in chosen if p.source == "docs/mysql/connect-failed.md"]
    assert page, [p.source for p in chosen]
    tags = page[0].meta["doc_tags"]
    assert "云数据库 MySQL" in tags and "RDS MySQL" in tags and "3306" in tags  # numbers as text


def test_a_page_naming_the_product_only_in_its_tags_is_on_topic(demo):
    query = "rds 连不上 报 2003 错误"
    chosen = demo.select(query, demo.search(query, kb="demo", k=8), 4)
    page = asdict([p for p in chosen if p.source == "docs/mysql/connect-failed.md"][0])
    terms = QuestionTerms({"rds": 3.0, "连不上": 2.0, "2003": 3.0}, set(), ["rds"], {"rds": set()})
    assert "rds" not in f"{page['title']} {page['text']}".lower()
    assert is_on_topic(terms, page)
    # without its tags the page names the asked product nowhere (the error code it gives names the code, not rds)
    named = QuestionTerms({"rds": 3.0, "mysql": 2.0}, set(), ["rds"], {"rds": set()})
    assert is_on_topic(named, page)
    assert not is_on_topic(named, {**page, "meta": {**page["meta"], "doc_tags": []}})
    # the tags only name: a page whose tags hold the asked words but whose text does not is no match
    other = QuestionTerms({"白名单": 3.0, "数据安全性": 3.0}, set(), ["rds"], {"rds": set()})
    assert not is_on_topic(other, {**page, "text": "实例状态异常。", "heading_path": ["x"], "title": "x",
                                   "meta": {"doc_tags": ["RDS MySQL", "白名单", "数据安全性"]}})


def test_declared_names_tolerate_odd_front_matter():
    assert declared_names({"product": "CLB", "tags": "负载均衡"}) == ["CLB", "负载均衡"]
    assert declared_names({"tags": [None, " ", 443]}) == ["443"]
    assert declared_names({}) == []
