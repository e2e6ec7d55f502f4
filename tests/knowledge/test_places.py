"""Where-questions: the passage showing the asked thing's menu path leads the selection."""

from __future__ import annotations

from knowledge.places import asks_where, places


def test_where_questions_are_told_from_others():
    for q in ("白名单在哪加", "mysql 白名单在控制台哪改", "防盗链入口", "余额预警在哪里设置", "快照策略在哪个页面"):
        assert asks_where(q), q
    for q in ("白名单默认是什么", "问题出在哪", "两者区别在哪", "连不上怎么办"):
        assert not asks_where(q), q


def test_a_menu_path_must_name_the_asked_thing():
    text = '在实例详情页"数据安全性 → 白名单"中添加客户端所在网段'
    assert places(text, ["白名单"])
    assert not places(text, ["防盗链"])
    assert not places("1. 配置白名单。白名单默认只有 127.0.0.1", ["白名单"])
    assert not places("```bash\necho 白名单 > /tmp/a\n```", ["白名单"])


def test_the_passage_with_the_console_path_leads(demo):
    query = "白名单在哪加"
    chosen = demo.select(query, demo.search(query, kb="demo", k=12), 4)
    assert chosen[-1].source == "docs/mysql/connect-failed.md", [(p.source, p.heading_path) for p in chosen]
    assert "→ 白名单" in chosen[-1].text and chosen[-1].meta["evidence"]["places"]
    # the same words asked as a value question: no place is asked, nothing is marked
    other = "白名单默认是什么"
    assert not any((p.meta.get("evidence") or {}).get("places")
                   for p in demo.select(other, demo.search(other, kb="demo", k=12), 4))


def test_a_passage_matching_only_the_product_name_is_not_padding_beside_the_answer(demo):
    query = "RDS MySQL 白名单在哪里配置"
    chosen = demo.select(query, demo.search(query, kb="demo", k=12), 4)
    assert chosen and "白名单" in chosen[-1].text, [(p.source, p.heading_path) for p in chosen]
    assert not any(p.source == "docs/mysql/mysql-overview.md" and not p.heading_path for p in chosen)
    # nothing else names rds together with what is asked: the overview is what the base has
    query = "新建的 rds 连不上"
    chosen = demo.select(query, demo.search(query, kb="demo", k=12), 4)
    assert any(p.source == "docs/mysql/mysql-overview.md" for p in chosen)
