"""graph/list_reach.short_lists: a short list a lead-in introduces comes whole when one of its items
matches — numbered too ("而是：1. 把 www CNAME 到…；2. 根域名 301 跳转…": one fix in two steps).
The numbered case fails on main 4b71759."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.list_reach import short_lists


def _units(numbered: bool) -> list[Unit]:
    n = (lambda k: k) if numbered else (lambda k: None)
    return [Unit("sentence", "根域名下已有 MX 记录。"),
            Unit("leadin", "不在根域名上做 CNAME，而是："),
            Unit("item", "把 `www.example.com` CNAME 到 CDN 分配的地址；", number=n(1)),
            Unit("item", "根域名保留 A 记录，指向提供 301 跳转的服务器。", number=n(2)),
            Unit("sentence", "这样 MX 记录可以继续留在根域名上。")]


def test_a_short_numbered_list_comes_whole_with_its_lead_in():
    assert short_lists(_units(True), {2}) == {1, 2, 3}


def test_a_short_unnumbered_list_still_does():
    assert short_lists(_units(False), {3}) == {1, 2, 3}


def test_a_numbered_list_after_an_unnumbered_one_is_another_list():
    units = _units(False)[:4] + [Unit("item", "执行检查。", number=1), Unit("item", "再次执行。", number=2)]
    assert short_lists(units, {4}) == set()  # no lead-in of its own
