"""The frozen answer sets stay valid against their documents (tests/data/answer_eval/check_answer_eval.py).

Runs the checker as a user would (subprocess) on the demo answer set and, when the shared
corpora are present, on the three corpora sets with their stricter rules; then shows the
checker catches what it exists for, on a small broken set. Run: `pytest tests/data/answer_eval -q`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CHECKER = HERE / "check_answer_eval.py"
CORPORA = HERE.parents[2].parent / "shared" / "corpora"


def run_checker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECKER), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("preset", ["demo", "tidb", "istio", "kubernetes"])
def test_frozen_sets_are_valid(preset):
    if preset != "demo" and not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    done = run_checker("--preset", preset)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "OK:" in done.stdout


DEV2_RULES = ["--max-gold", "3", "--max-facts", "3", "--max-forbidden", "2", "--strict-tags", "--no-heading-copies"]


def test_dev2_set_is_valid():
    """The second demo development set (dev2.jsonl) stays valid against knowledge/demo."""
    done = run_checker(str(HERE / "dev2.jsonl"), "--root", str(HERE.parents[2] / "knowledge" / "demo"), *DEV2_RULES)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "OK:" in done.stdout


def test_follow_up_set_is_valid():
    """The multi-turn follow-up development set (dev_follow.jsonl) stays valid against knowledge/demo."""
    done = run_checker(str(HERE / "dev_follow.jsonl"), "--root", str(HERE.parents[2] / "knowledge" / "demo"), *DEV2_RULES)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "OK:" in done.stdout


SESSION_DEV_SETS = [  # (file, base): the class-level development sets, each written before its branch ran
    ("answer_eval/dev_result23.jsonl", "demo"), ("corpora_eval/dev_result23.jsonl", "corpora"),
    ("corpora_eval/dev_rank23.jsonl", "corpora"),
    ("answer_eval/dev_observe22.jsonl", "demo"), ("corpora_eval/dev_observe22.jsonl", "corpora"),
    ("answer_eval/dev_value14.jsonl", "demo"), ("answer_eval/dev_thread12.jsonl", "demo"), ("corpora_eval/dev_value14.jsonl", "corpora"),
    ("answer_eval/dev_value14.jsonl", "demo"), ("corpora_eval/dev_value14.jsonl", "corpora"),
    ("answer_eval/dev_long12.jsonl", "demo"), ("answer_eval/dev_order12.jsonl", "demo"), ("answer_eval/dev_pad23.jsonl", "demo"),
    ("corpora_eval/dev_page21.jsonl", "corpora"), ("corpora_eval/dev_corpsec22.jsonl", "corpora"),
    ("corpora_eval/dev_page21.jsonl", "corpora"), ("answer_eval/dev_guard22.jsonl", "demo"),
    ("corpora_eval/dev_corpvocab21.jsonl", "corpora"),
    ("answer_eval/dev_terms21.jsonl", "demo"), ("corpora_eval/dev_terms21.jsonl", "corpora"),
    ("corpora_eval/dev_notfound14b.jsonl", "corpora"), ("answer_eval/dev_follow14.jsonl", "demo"),
    ("answer_eval/dev_askcover14.jsonl", "demo"), ("corpora_eval/dev_askcover14.jsonl", "corpora"),
    ("answer_eval/dev_probes14.jsonl", "demo"),
    ("corpora_eval/dev_errpage14.jsonl", "corpora"),
    ("answer_eval/dev_hedge15.jsonl", "demo"), ("corpora_eval/dev_hedge15.jsonl", "corpora"),
    ("answer_eval/dev_follow15.jsonl", "demo"), ("corpora_eval/dev_follow15.jsonl", "corpora"),
    ("corpora_eval/dev_rank15.jsonl", "corpora"),
    ("corpora_eval/dev_concise16.jsonl", "corpora"),
    ("answer_eval/dev_ident15.jsonl", "demo"), ("corpora_eval/dev_ident15.jsonl", "corpora"),
    ("answer_eval/dev_ask2.jsonl", "demo"), ("corpora_eval/dev_ask2.jsonl", "corpora"),
    ("answer_eval/dev_req15.jsonl", "demo"), ("answer_eval/dev_followact18.jsonl", "demo"),
    ("corpora_eval/dev_followact18.jsonl", "corpora"), ("answer_eval/dev_variant19.jsonl", "demo"),
    ("answer_eval/dev_focus17.jsonl", "demo"), ("corpora_eval/dev_focus17.jsonl", "corpora"),
    ("answer_eval/dev_detail19.jsonl", "demo"), ("answer_eval/dev_define20.jsonl", "demo"),
    ("answer_eval/dev_detail19.jsonl", "demo"),
    ("answer_eval/dev_detail12.jsonl", "demo"), ("corpora_eval/dev_detail12.jsonl", "corpora"),
    ("corpora_eval/dev_recall16.jsonl", "corpora"),
    ("corpora_eval/dev_extend16.jsonl", "corpora"),
    ("answer_eval/dev_pick16.jsonl", "demo"),
    ("corpora_eval/dev_pick16.jsonl", "corpora"),
    ("answer_eval/dev_cover16.jsonl", "demo"),
    ("answer_eval/dev_detail17.jsonl", "demo"), ("corpora_eval/dev_detail17.jsonl", "corpora"),
    ("answer_eval/dev_value17.jsonl", "demo"), ("corpora_eval/dev_value17.jsonl", "corpora"),
    ("answer_eval/dev_echo17.jsonl", "demo"), ("corpora_eval/dev_echo17.jsonl", "corpora"),
    ("answer_eval/dev_kind17.jsonl", "demo"), ("corpora_eval/dev_kind17.jsonl", "corpora"),
    ("answer_eval/dev_donesec17.jsonl", "demo"), ("corpora_eval/dev_donesec17.jsonl", "corpora"),
    ("answer_eval/dev_follow17.jsonl", "demo"), ("corpora_eval/dev_follow17.jsonl", "corpora"),
    ("answer_eval/dev_guard17.jsonl", "demo"),
    ("answer_eval/dev_threadpage17.jsonl", "demo"), ("corpora_eval/dev_threadpage17.jsonl", "corpora"),
    ("answer_eval/dev_twoask17.jsonl", "demo"), ("corpora_eval/dev_twoask17.jsonl", "corpora"),
    ("answer_eval/dev_referent17.jsonl", "demo"),
    ("answer_eval/dev_hedge17.jsonl", "demo"), ("corpora_eval/dev_hedge17.jsonl", "corpora"),
    ("answer_eval/dev_unit18.jsonl", "demo"), ("corpora_eval/dev_unit18.jsonl", "corpora"),
    ("answer_eval/dev_symsec12.jsonl", "demo"), ("corpora_eval/dev_symsec12.jsonl", "corpora"),
    ("answer_eval/dev_pagepick18.jsonl", "demo"), ("corpora_eval/dev_pagepick18.jsonl", "corpora"),
    ("answer_eval/dev_twoask18.jsonl", "demo"), ("corpora_eval/dev_twoask18.jsonl", "corpora"),
    ("answer_eval/dev_twopart22.jsonl", "demo"), ("corpora_eval/dev_twopart22.jsonl", "corpora"),
    ("answer_eval/dev_switch18.jsonl", "demo"), ("corpora_eval/dev_switch18.jsonl", "corpora"),
    ("corpora_eval/dev_recall21.jsonl", "corpora"),
    ("answer_eval/dev_nearmiss21.jsonl", "demo"), ("corpora_eval/dev_nearmiss21.jsonl", "corpora"),
    ("answer_eval/dev_verify21.jsonl", "demo"), ("corpora_eval/dev_verify21.jsonl", "corpora"),
    ("corpora_eval/dev_corpfix21.jsonl", "corpora"),
    ("corpora_eval/dev_rank21.jsonl", "corpora"),
    ("corpora_eval/dev_corp21.jsonl", "corpora"),
    ("corpora_eval/dev_corptrim22.jsonl", "corpora"), ("corpora_eval/dev_corpfact23.jsonl", "corpora"),
    ("answer_eval/dev_yesno12.jsonl", "demo"), ("corpora_eval/dev_yesno12.jsonl", "corpora"),
    ("answer_eval/dev_switch12.jsonl", "demo"),
    ("answer_eval/dev_twoask12.jsonl", "demo"), ("corpora_eval/dev_twoask12.jsonl", "corpora"),
    ("answer_eval/dev_terse12.jsonl", "demo"), ("corpora_eval/dev_terse12.jsonl", "corpora"),
    ("answer_eval/dev_page12.jsonl", "demo"),
    ("answer_eval/dev_plan22.jsonl", "demo"), ("corpora_eval/dev_plan22.jsonl", "corpora"),
]


@pytest.mark.parametrize("name,base", SESSION_DEV_SETS)
def test_session_dev_sets_are_valid(name: str, base: str):
    """Each development set stays valid against its pages (the corpora ones only where the corpora are)."""
    if base == "corpora" and not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    root = ["--root", str(HERE.parents[2] / "knowledge" / "demo")] if base == "demo" else \
        ["--root", str(CORPORA), "--strip", "comments,shortcodes"]
    done = run_checker(str(HERE.parent / name), *root, *DEV2_RULES)
    assert done.returncode == 0 and "OK:" in done.stdout, done.stderr + done.stdout


def test_checker_catches_broken_items(tmp_path):
    root = tmp_path / "kb"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.md").write_text("---\ntitle: 安全组规则\n---\n# 安全组规则\n放行 TCP 22。<!-- port 3389 -->\n",
                                        encoding="utf-8")
    rows = [
        {"id": "ok", "tags": ["howto"], "turns": [{"message": "怎么放行", "gold": ["docs/a.md"], "key_facts": ["tcp 22"]}]},
        {"id": "fact", "tags": ["howto"], "turns": [{"message": "x", "gold": ["docs/a.md"], "key_facts": ["3389"]}]},
        {"id": "forb", "tags": ["bogus"], "question": "安全组规则", "gold": ["docs/a.md"], "key_facts": ["22"],
         "forbidden": ["放行"]},
        {"id": "para", "tags": ["paraphrase"], "question": "安全组怎么配", "gold": ["docs/a.md", "docs/none.md"],
         "key_facts": ["22"]},
    ]
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    loose = run_checker(str(data), "--root", str(root))
    assert loose.returncode == 1
    assert "fact turn 1: key fact '3389'" not in loose.stderr  # the comment still counts without --strip
    strict = run_checker(str(data), "--root", str(root), "--strip", "comments", "--strict-tags",
                         "--no-heading-copies", "--paraphrase-avoids-title", "--count", "5")
    assert strict.returncode == 1
    for expected in ("fact turn 1: key fact '3389' not found", "forb: forbidden '放行' occurs",
                     "forb: unknown tag(s) ['bogus']", "forb: question copies a heading",
                     "para: gold file not found under root: docs/none.md", "para: tagged paraphrase",
                     "expected 5 items, found 4"):
        assert expected in strict.stderr, (expected, strict.stderr)
    assert "ok turn 1" not in strict.stderr
