"""The page whose outline names the user's situation outdoes the pages it covers (knowledge.outline).

On the demo knowledge base, keyword-only, with questions written for these tests (not taken from any
evaluation set); plus the rule itself on hand-made pages.
"""

from __future__ import annotations

import json

from knowledge.outline import outdone_by_outline, outline_leader
from knowledge.sections import WordEvidence
from knowledge.types import Passage


def chosen_sources(ks, question: str) -> list[str]:
    return [p.source for p in ks.select(question, ks.search(question, kb="demo", k=8), max_passages=4)]


def test_the_page_whose_heading_names_the_state_wins_over_the_tool_page(demo):
    # "emergency mode" is a heading of the boot-failure page; the VNC page only says how to look at it
    sources = chosen_sources(demo, "机器重启后进了 emergency mode 怎么办")
    assert "docs/scs/reboot-stuck.md" in sources
    assert "docs/scs/vnc-login.md" not in sources


IDF = {"ist0161": 8.0, "emergency": 6.0, "重启": 3.0, "vnc": 3.0, "看": 2.0, "mysql": 2.0, "慢": 4.0, "日志": 3.0}


def evidence(tokens: list[str], holding: dict[str, set[str]]) -> WordEvidence:
    return WordEvidence(tokens, lambda text: [t for t in IDF if t in text.lower()], lambda t: IDF.get(t, 0.0), {}, (),
                        None, holding, lambda t: t != "看")


def page(chunk_id: str, source: str, title: str, match: str = "partial", kind: str = "doc") -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=[], text="", kind=kind, kb="k",
                   meta={"match": match, "evidence": {"share": 0.5}})


def rows(*paths: list[str]) -> list[dict]:
    return [{"heading_path": json.dumps(p, ensure_ascii=False)} for p in paths]


def test_a_page_is_outdone_only_when_the_leader_names_or_holds_all_its_words():
    outline = {"boot.md": rows(["处理 emergency"], ["重启"]), "vnc.md": rows(["登录"]), "two.md": rows(["慢 日志"]),
               "docs/mysql/a.md": rows(["mysql 看"])}
    tokens = ["重启", "vnc", "emergency", "慢", "日志"]
    holding = {"b": {"emergency", "重启"}, "v": {"vnc", "重启"}, "t": {"慢", "日志"}, "f": {"vnc"}}

    def run(*passages: Passage, held: dict | None = None) -> set[str]:
        ev = evidence(tokens, held or holding)
        return {p.chunk_id for p in outdone_by_outline(list(passages), ev, lambda kb, source: outline[source])}

    boot = lambda match="strong": page("b", "boot.md", "实例重启卡住 vnc", match)  # noqa: E731
    # the VNC page's words (vnc, 重启) are named by the boot page's title and headings: left out
    assert run(boot(), page("v", "vnc.md", "使用 vnc")) == {"v"}
    # a leader naming too little of the question ("重启" of five words) names no situation
    assert run(page("b", "boot.md", "重启", "strong"), page("v", "vnc.md", "使用"),
               held={"b": {"重启"}, "v": {"重启"}}) == set()
    # a page bringing words of its own (the second part of the question) stays, and so does an FAQ entry
    assert run(boot(), page("t", "two.md", "慢查询")) == set()
    faq = lambda title, match="partial": Passage(  # noqa: E731
        chunk_id="f", source="faq", title="FAQ", heading_path=[title], text="", kind="faq", kb="k",
        meta={"match": match, "evidence": {"share": 0.5}})
    assert run(boot(), faq("vnc 怎么登录？", "strong")) == set()  # a strong entry stays
    assert run(boot("partial"), page("v", "vnc.md", "使用 vnc", "partial"), faq("vnc 怎么登录？")) == {"v"}
    # a partial entry is outdone by a strong leader whose outline outnames its question
    vnc = lambda: page("v", "vnc.md", "使用 vnc")  # noqa: E731
    ahead = vnc()
    ahead.score = 1.0  # ranked ahead of a partial leader: leaving it out would leave the leader no place
    assert run(boot("partial"), ahead) == set()
    assert run(boot(), vnc(), faq("vnc 怎么登录？")) == {"v", "f"}
    assert run(boot(), vnc(), faq("重启 emergency vnc？")) == {"v"}  # it asks what the leader's outline names
    # a partial leader does not outdo a strong match
    assert run(boot("partial"), page("v", "vnc.md", "使用 vnc", "strong")) == set()
    # an outline naming only the product folder or a word that is no documentation word leads nothing
    assert outline_leader({("k", "a"): {"vnc"}, ("k", "b"): {"重启"}}, lambda t: IDF[t]) is None
    assert run(page("m", "docs/mysql/a.md", "mysql"), page("v", "vnc.md", "使用 vnc"),
               held={"m": {"mysql"}, "v": {"vnc"}}) == set()


def test_a_page_path_names_what_its_text_never_does_and_only_its_folder_competes():
    outline = {"analysis/ist0161.md": rows(["解决方法"]), "analysis/tls.md": rows(["配置网关"]),
               "tasks/tls.md": rows(["配置网关"])}
    holding = {"a": {"ist0161"}, "t": {"ist0161"}}
    ev = evidence(["ist0161"], holding)

    def run(other: str) -> list[str]:
        passages = [page("a", "analysis/ist0161.md", "无效的凭据"), page("t", other, "配置 tls")]
        passages[1].score = -1.0  # ranked below the leader
        return [p.chunk_id for p in outdone_by_outline(passages, ev, lambda kb, source: outline[source])]

    assert run("analysis/tls.md") == ["t"]
    assert run("tasks/tls.md") == []  # another folder, another topic
