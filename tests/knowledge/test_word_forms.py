"""Selection evidence reads the question's words as the base writes them (knowledge.query_terms.WordForms),
and a rare subject no matching passage names leaves nothing selected (knowledge.select.rare_subject).

On the demo knowledge base, keyword-only: spoken forms ("改过", "忘了") and cut-up codes
("100.64") find the passage that holds the answer, and words the base never writes ("咋办")
do not dilute every passage's share.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.service import KnowledgeService


def chosen(ks: KnowledgeService, question: str) -> list:
    return ks.select(question, ks.search(question, kb="demo", k=8), max_passages=4)


def test_forms_are_the_base_words_holding_a_rare_or_one_character_word(demo):
    forms = demo.retriever.lexical("demo").forms
    assert "忘记" in forms("忘")  # jieba cuts 忘了 into 忘; the pages write 忘记
    assert "100.64.0.0" in forms("100.64")  # an unknown code stands for the codes it begins
    assert forms("端口") == []  # a word the base uses often stands for itself
    assert forms("咋办") == []


def test_a_spoken_form_keeps_the_entry_that_writes_it_in_full(demo):
    kept = chosen(demo, "SSH 改过端口后还要做什么")  # the FAQ answer says 修改过 (cut 修改 / 过)
    assert any("修改过 sshd 的 Port" in p.text for p in kept)


@pytest.mark.parametrize("question, needle", [
    ("vnc 密码忘了咋办", "VNC 密码"),
    ("vpc 网段能用 100.64 开头的吗", "100.64.0.0/10"),
    ("http 自动跳 https 怎么设", "301"),
])
def test_the_answering_passage_is_kept(demo, question, needle):
    assert any(needle in p.text for p in chosen(demo, question))


def test_a_word_the_base_never_writes_does_not_dilute_the_evidence(demo):
    plain, spoken = "vnc 登录密码忘了", "vnc 登录密码忘了咋整"  # 咋整: in no page, in no form
    by_chunk = {p.chunk_id: p.meta["evidence"]["share"] for p in chosen(demo, plain)}
    again = {p.chunk_id: p.meta["evidence"]["share"] for p in chosen(demo, spoken)}
    shared = set(by_chunk) & set(again)
    assert shared and all(by_chunk[c] == again[c] for c in shared)


def test_a_rare_subject_no_matching_passage_names_leaves_nothing_selected(demo):
    from knowledge.select import rare_subject

    assert rare_subject(["redis", "集群", "扩容"], {"redis": 6, "集群": 9, "扩容": 53}, 744) == "redis"
    assert rare_subject(["ssh", "端口"], {"ssh": 55, "端口": 80}, 744) is None  # common in the base: not rare
    assert rare_subject(["集群", "redis"], {"redis": 12, "集群": 9}, 744) is None  # the rarest word is no name
    # the demo base has no Redis page: its cloud-disk 扩容 pages answer about something else
    assert chosen(demo, "Redis 集群怎么扩容") == []
    # a page that names it (the M5 family, for Redis) keeps the question answerable
    kept = chosen(demo, "c5 和 m5 有啥区别 跑 redis 选哪个")
    assert kept and any("redis" in p.text.lower() for p in kept)
    # an error code or state the question quotes is what went wrong, not what it is about
    assert rare_subject(["dataisnotready", "tidb"], {"dataisnotready": 2, "tidb": 8000}, 25000,
                        quoted={"dataisnotready"}) is None
    assert rare_subject(["exceptions", "mysql"], {"exceptions": 1, "mysql": 90}, 744,
                        quoted={"com.mysql.cj.jdbc.exceptions.communicationsexception"}) is None


def test_strong_matches_are_kept_before_partial_ones(demo):
    question = "网站打开一直转圈 ssh 上去敲命令都卡 监控看cpu一直100% 咋看是哪个进程在吃cpu"
    found = demo.search(question, kb="demo", k=8)
    kept = demo.select(question, found, max_passages=4)
    judged = [p for p in found if p.meta.get("match")]
    assert len(judged) > 4 and any(p.meta["match"] == "partial" for p in judged)
    strong = [p for p in judged if p.meta["match"] == "strong" and not p.meta["evidence"].get("full_share_only")]
    # no partial match takes a strong one's place (a page its sibling outdoes is left out: the OOM page here)
    assert strong and all(p in kept or p.meta.get("outdone") for p in strong[:4])
    assert not any(p.source == "docs/scs/memory-oom.md" for p in kept)
    assert any(p.meta.get("question") == "CPU 使用率 100% 怎么排查？" for p in kept)


def test_a_rare_subject_written_beside_a_common_name_is_that_name(demo):
    # the demo writes "RDS MySQL" in the few chunks naming rds: a MySQL section answers about RDS
    assert chosen(demo, "rds ERROR 2003 白名单在控制台哪改")


def test_a_rare_subject_the_matching_page_names_elsewhere_keeps_it(demo):
    # mstsc is in the remote-desktop page's lead, not in its security-group step: still that page's topic
    kept = chosen(demo, "windows mstsc 安全组要放哪个端口")
    assert any(p.source == "docs/scs/rdp-login-failed.md" or "3389" in p.text for p in kept)


def test_the_lead_of_a_question_titled_page_is_judged_as_an_faq_answer(make_service, corpora, tmp_path):
    from knowledge.select import chunk_class

    assert chunk_class("text", [], "ztunnel 存在单点故障吗？") == "faq"
    assert chunk_class("text", ["部署"], "ztunnel 存在单点故障吗？") == "specific"  # a deeper section answers more
    assert chunk_class("text", [], "ztunnel") == "overview"
    ks = make_service(dense="off")
    ks.ingest([corpora / "istio-zh" / "content" / "zh" / "about" / "faq"], kb="faq")
    question = "领导担心每个节点上那个 ztunnel 一挂就把整个集群网络带崩，这个风险到底大不大"
    found = ks.search(question, kb="faq", k=8)
    ks.select(question, found, max_passages=4)
    lead = next(p for p in found if p.source.endswith("ambient-mode/is-ztunnel-a-SPOF.md"))
    assert lead.meta["class"] == "faq"


def test_a_full_share_of_a_short_question_does_not_outrank_the_answering_entry(demo):
    # 账户 / 欠费 / 云服务器 are all in several sections (a Pending pod's causes too): a full share
    # at a saturated strong bar is weak evidence, so the FAQ entry ranked near them keeps its place
    question = "账户欠费后云服务器会怎样？"
    found = demo.search(question, kb="demo", k=8)
    kept = demo.select(question, found, max_passages=4)
    assert any("15 天" in p.text for p in kept)
    assert any(p.meta["evidence"].get("full_share_only") for p in found)  # the case this is about
