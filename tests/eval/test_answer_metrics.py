"""Answer-turn metrics: the four checks on hand-made replies, then conversation sets and flat
items run turn by turn against the real wired copilot (demo KB)."""

from __future__ import annotations

import json

from app.evaluation.datasets import load_datasets
from app.evaluation.metrics.answer import answer_body, as_conversation, check_turn
from app.evaluation.suite import run_metrics
from tests.eval.conftest import REPO

ANSWER_SET = REPO / "tests" / "data" / "answer_eval" / "demo.jsonl"


def reply(body: str, sources: list[str]) -> dict:
    listing = "\n".join(f"[{i}] 《t》 `{s}` — 22 端口 安全组 keepalive_timeout" for i, s in enumerate(sources, 1))
    answer = f"{body}\n\n**参考来源**\n{listing}" if sources else body
    return {"answer": answer, "citations": [{"n": i, "source": s} for i, s in enumerate(sources, 1)]}


def test_answer_body_drops_the_sources_list_only():
    result = reply("检查安全组是否放行 TCP 22[1]。", ["docs/scs/ssh-login-failed.md"])
    assert answer_body(result["answer"]) == "检查安全组是否放行 TCP 22[1]。"
    assert answer_body("没有来源的回答") == "没有来源的回答"


def test_check_turn_four_checks():
    turn = {"gold": ["docs/scs/*.md"], "key_facts": ["安全组", ["TCP22", "22 端口"]], "forbidden": ["keepalive_timeout"],
            "max_chars": 30}
    good = check_turn(reply("检查**安全组**是否放行 tcp 22[1]。", ["docs/scs/ssh-login-failed.md"]), turn)
    assert good["passed"] and good["chars"] <= 30
    # the facts and the forbidden word only in the sources list do not count
    bad = check_turn(reply("请联系管理员，并检查 keepalive_timeout 和其他很多很多很多很多很多很多的设置。", ["docs/clb/502-504.md"]),
                     turn)
    assert not bad["passed"]
    assert (bad["facts"], bad["forbidden"], bad["cites_gold"], bad["length"]) == (False, False, False, False)
    assert bad["missing"] == ["安全组", ["TCP22", "22 端口"]] and bad["forbidden_found"] == ["keepalive_timeout"]


def test_a_right_answer_under_the_partial_match_lead_in_is_counted_as_hedged():
    from app.evaluation.metrics.answer import _rates
    from graph.prompts import replies

    turn = {"gold": ["docs/scs/*.md"], "key_facts": ["安全组"]}
    lead = replies("zh")["partial_match_terms"].strip().format(terms="“收钱”")
    hedged = check_turn(reply(f"{lead}\n检查安全组[1]。", ["docs/scs/ssh-login-failed.md"]), turn)
    plain = check_turn(reply("检查安全组[1]。", ["docs/scs/ssh-login-failed.md"]), turn)
    second = check_turn(reply(f"**1. 问**\n检查安全组[1]。\n\n**2. 问**\n{replies('en')['partial_match'].strip()}\nx",
                              ["docs/scs/ssh-login-failed.md"]), turn)
    assert hedged["passed"] and hedged["hedged"] and not plain["hedged"] and second["hedged"]
    assert _rates([hedged, plain])["answer_hedged_right"] == 0.5
    assert _rates([{**hedged, "passed": False}, plain])["answer_hedged_right"] == 0.0  # wrong answers do not count


def test_flat_items_are_one_turn_conversations():
    conv = as_conversation({"id": "t-1", "question": "q", "gold": ["a"], "key_facts": ["x"], "tags": ["faq"]}, 0)
    assert conv == {"id": "t-1", "kb": None, "tags": ["faq"],
                    "turns": [{"message": "q", "gold": ["a"], "key_facts": ["x"]}]}


def test_answer_set_runs_turn_by_turn(tmp_path, copilot):
    lines = ANSWER_SET.read_text(encoding="utf-8").splitlines()
    picked = [json.loads(l) for l in lines if json.loads(l)["id"] in ("demo-001", "demo-002", "demo-006")]
    data = tmp_path / "answers.jsonl"
    data.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in picked) + "\n", encoding="utf-8")
    assert [d.kind for d in load_datasets(data)] == ["answer"]
    result = run_metrics(copilot, [data])["datasets"]["answers"]
    assert result["kind"] == "answer" and result["n"] == 6 and result["conversations"] == 3
    for name in ("answer_pass", "answer_facts_complete", "answer_no_forbidden", "answer_citation_hit",
                 "answer_within_length", "answer_knowledge_rate"):
        assert 0.0 <= result["metrics"][name] <= 1.0, name
    assert result["metrics"]["answer_pass"] <= result["metrics"]["answer_facts_complete"]
    assert set(result["by_category"]) == {"howto", "cause", "faq", "mixed_lang", "follow_up"}
    assert result["by_category"]["follow_up"]["n"] == 5  # demo-002 (2 turns) and demo-006 (3 turns)
    failed = len(result["failures"])
    assert failed == round(6 * (1 - result["metrics"]["answer_pass"]))
    for failure in result["failures"]:
        assert failure["failed"] and failure["id"] in ("demo-001", "demo-002", "demo-006")


def test_retrieval_items_get_the_turn_checks(tmp_path, copilot):
    data = tmp_path / "flat.jsonl"
    data.write_text(json.dumps({"id": "f1", "question": "云服务器 SSH 默认端口是多少？", "gold": ["faq/faq.jsonl",
                                "docs/scs/*.md"], "key_facts": ["22"], "tags": ["value"]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = run_metrics(copilot, [data], k=5)["datasets"]["flat"]
    assert result["kind"] == "retrieval" and result["answer_n"] == 1
    assert result["metrics"]["answer_pass"] == 1.0 and result["metrics"]["answer_citation_hit"] == 1.0
    assert result["answer_by_category"]["value"]["n"] == 1
