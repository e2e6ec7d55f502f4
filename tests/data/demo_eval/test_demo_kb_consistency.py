"""Checks that the bundled demo knowledge base and its evaluation set agree.

Owns the data contract of `knowledge/demo/` (FAQ, tables, quota page, README) and of
`tests/data/demo_eval/*.jsonl` (formats in docs/contracts.md, "Evaluation data"):
every gold path exists, every key fact really appears in a gold file, rewrites keep
their key terms, and the deliberately messy inputs the cleaners exist for are still
there. Run: `pytest tests/data/demo_eval -q`.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "knowledge" / "demo"
EVAL = Path(__file__).resolve().parent
BOILERPLATE = ("以上内容是否对您有帮助", "如有其他问题请提交工单", "更新时间：")


def load_jsonl(name: str) -> list[dict]:
    path = EVAL / name
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                pytest.fail(f"{name}:{n}: not JSON: {exc}")
    return rows


def norm(text: str) -> str:
    """Lower-cased, whitespace removed: how a fair grader compares facts."""
    return re.sub(r"\s+", "", text).lower()


def file_text(rel: str) -> str:
    """Plain text of a demo KB file, whatever its format."""
    path = DEMO / rel
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        cells = [
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None
        ]
        wb.close()
        return " ".join(cells)
    return path.read_text(encoding="utf-8")


# ---- the demo knowledge base files owned here -------------------------------------


def test_faq_has_enough_pairs_and_the_messy_entries_cleaners_need():
    rows = [json.loads(x) for x in (DEMO / "faq/faq.jsonl").read_text("utf-8").splitlines() if x]
    assert all(set(r) == {"question", "answer"} for r in rows)
    assert len(rows) >= 85
    assert sum(1 for r in rows if not r["answer"].strip()) >= 2
    assert sum(1 for r in rows if any(b in r["answer"] for b in BOILERPLATE)) >= 5
    stripped = Counter(re.sub(r"[？?。！!\s“”\"]", "", r["question"]) for r in rows)
    assert sum(c - 1 for c in stripped.values()) >= 2, "exact/near duplicate questions are missing"


def test_error_code_table_columns_and_rows():
    with (DEMO / "tables/error-codes.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["错误码", "产品", "错误信息", "可能原因", "解决方法"]
    body = rows[1:]
    assert len(body) >= 45
    assert all(len(r) == 5 and all(c.strip() for c in r) for r in body)
    codes = [r[0] for r in body]
    assert len(codes) == len(set(codes)), "duplicate error codes"
    for code in ("1040", "1045", "2003", "SignatureDoesNotMatch", "ImagePullBackOff", "504"):
        assert code in codes


def test_instance_type_workbook_has_caption_row_then_header():
    from openpyxl import load_workbook

    wb = load_workbook(DEMO / "tables/instance-types.xlsx", read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert rows[0][0] and all(v is None for v in rows[0][1:]), "first row is a caption"
    assert list(rows[1]) == ["规格", "规格族", "vCPU", "内存GiB", "内网带宽Gbps", "包转发pps", "适用场景"]
    body = rows[2:]
    assert len(body) >= 20
    ratio = {"S5": 4, "C5": 2, "M5": 8}
    for spec, _family, vcpu, mem, *_ in body:
        family = spec.split(".")[0]
        if family in ratio:
            assert mem == vcpu * ratio[family], spec


def test_quota_table_is_split_with_a_continuation_and_repeated_header():
    text = (DEMO / "docs/limits/quotas.md").read_text("utf-8")
    assert text.startswith("---\n") and "\ntitle: 配额与限制\n" in text
    header = "| 产品 | 项目 | 默认值 | 统计范围 | 可申请提升 |"
    assert text.count(header) == 2
    first, rest = text.split("（续表）", 1)
    assert header in first and rest.lstrip().startswith(header)


def test_readme_says_the_cloud_is_fictional():
    text = (DEMO / "README.md").read_text("utf-8")
    assert "虚构" in text and "星栈云" in text and "原创" in text


# ---- the evaluation set ------------------------------------------------------------


def test_retrieval_set_gold_files_exist_and_contain_the_key_facts():
    rows = load_jsonl("retrieval.jsonl")
    assert len(rows) >= 70
    assert len({r["category"] for r in rows}) >= 10
    problems = []
    for r in rows:
        assert set(r) == {"question", "gold", "key_facts", "category"}, r
        assert 1 <= len(r["gold"]) <= 2 and 1 <= len(r["key_facts"]) <= 3, r["question"]
        missing = [g for g in r["gold"] if not (DEMO / g).is_file()]
        if missing:
            problems.append(f"{r['question']}: missing gold {missing}")
            continue
        texts = [norm(file_text(g)) for g in r["gold"]]
        for fact in r["key_facts"]:
            if not any(norm(fact) in t for t in texts):
                problems.append(f"{r['question']}: fact {fact!r} not in {r['gold']}")
    assert not problems, "\n".join(problems)


def test_guard_set_shape_and_balance():
    rows = load_jsonl("guard.jsonl")
    assert len(rows) >= 80
    for r in rows:
        assert set(r) == {"message", "expected", "in_domain", "category"}, r
        assert r["in_domain"] == (r["expected"] == "answer"), r
        want = {"terse": "answer", "normal": "answer", "tricky": "refuse",
                "offdomain": "refuse", "greeting": "greet"}[r["category"]]
        assert r["expected"] == want, r
    cats = Counter(r["category"] for r in rows)
    assert cats["terse"] >= 10 and cats["tricky"] >= 10 and cats["greeting"] >= 8
    assert cats["terse"] + cats["normal"] >= 30 and cats["tricky"] + cats["offdomain"] >= 30
    assert len({r["message"] for r in rows}) == len(rows)


def test_split_set_has_compound_and_unsplittable_messages():
    rows = load_jsonl("split.jsonl")
    for r in rows:
        assert set(r) == {"message", "sub_questions"}
        assert r["sub_questions"] and all(q.strip() for q in r["sub_questions"])
        assert all(not q.endswith(("？", "?")) for q in r["sub_questions"])
    compound = [r for r in rows if len(r["sub_questions"]) > 1]
    single = [r for r in rows if len(r["sub_questions"]) == 1]
    assert len(compound) >= 20
    assert sum(1 for r in single if re.search("和|与|以及", r["message"])) >= 5


def test_rewrite_set_keeps_key_terms_and_drops_the_old_topic():
    rows = load_jsonl("rewrite.jsonl")
    assert len(rows) >= 25
    for r in rows:
        assert set(r) <= {"history", "message", "standalone", "key_terms", "forbidden_terms"}
        roles = [m["role"] for m in r["history"]]
        assert roles == ["user", "assistant"] * (len(roles) // 2) and len(roles) <= 4
        for term in r["key_terms"]:
            assert term in r["standalone"], (term, r["standalone"])
        for term in r.get("forbidden_terms", []):
            assert term not in r["standalone"], (term, r["standalone"])
            assert any(term in m["content"] for m in r["history"]), (term, "not from history")
    standalone = [r for r in rows if r["standalone"] == r["message"]]
    assert len(standalone) >= 5
    assert sum(1 for r in rows if r.get("forbidden_terms")) >= 3
    assert sum(1 for r in rows if r["history"] and r["standalone"] != r["message"]) >= 20
