"""A pronoun-led sentence brings the sentence it points back to (graph/antecedent.py)."""

from __future__ import annotations

from graph.antecedent import with_antecedents
from graph.doc_units import parse_units
from graph.extractive import extractive_units
from graph.section_answer import section_units

TEXT = ("VNC 登录是控制台提供的一种管理终端，相当于给机器接上一台显示器。它不经过机器自身的网络，因此在以下情况下依然可用：\n\n"
        "- SSH 和远程桌面都连不上；\n- 网卡配置被改坏。\n\n其他说明见下文。")


def _passage(text: str = TEXT) -> dict:
    return {"chunk_id": "v-1", "source": "docs/vnc.md", "title": "使用 VNC 登录", "heading_path": ["使用 VNC 登录"],
            "kind": "doc", "kb": "demo", "text": text}


def test_a_pronoun_led_sentence_brings_the_sentence_naming_its_subject():
    units = parse_units(TEXT, "doc")
    lead = next(u for u in units if u.text.startswith("它"))
    picked, groups = with_antecedents([(1, lead)], [0], [_passage()], section_units)
    assert [u.text for _, u in picked][0].startswith("VNC 登录是") and groups == [0, 0]


def test_a_sentence_not_led_by_a_pronoun_or_already_preceded_is_left_alone():
    units = parse_units(TEXT, "doc")
    first, lead = units[0], next(u for u in units if u.text.startswith("它"))
    picked, _ = with_antecedents([(1, first), (1, lead)], [0, 0], [_passage()], section_units)
    assert len(picked) == 2  # the naming sentence is there already
    other = next(u for u in units if u.text.startswith("其他"))  # 其他 is no pronoun
    assert len(with_antecedents([(1, other)], [0], [_passage()], section_units)[0]) == 1


def test_the_answer_names_what_it_is_about():
    text = " ".join(u["text"] for u in extractive_units("ssh 和远程桌面都连不上了 还有别的办法进系统吗", [_passage()]))
    assert "它不经过" not in text or "VNC 登录是" in text, text
