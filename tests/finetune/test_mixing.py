"""Mixing domain into general data: exact ratio, shuffled, seeded, manifest."""

from __future__ import annotations

import json

import pytest

from models.errors import ModelError
from models.finetune.mixing import mix, mix_counts
from models.finetune.records import Record, read_manifest, read_records, write_dataset


def _records(prefix: str, n: int, **kw) -> list[Record]:
    return [Record(instruction=f"{prefix} 问题 {i}", output=f"{prefix} 回答 {i}", **kw) for i in range(n)]


@pytest.mark.parametrize(
    ("domain", "general", "ratio", "total"),
    [(300, 52, 0.3, None), (10, 52, 0.3, None), (100, 1000, 0.2, None), (7, 100, 0.33, None), (50, 500, 0.1, 120), (40, 60, 0.5, None)],
)
def test_ratio_is_exact(domain, general, ratio, total):
    records, info = mix(_records("域", domain), _records("通", general, origin="general"), ratio, seed=1, total=total)
    n_domain = sum(r.origin == "domain" for r in records)
    assert n_domain == round(ratio * len(records))
    assert info["domain_used"] == n_domain and info["general_used"] == len(records) - n_domain
    if total:
        assert len(records) == total
    assert len({r.id for r in records}) == len(records)


def test_shuffled_and_seeded():
    domain, general = _records("域", 30), _records("通", 70)
    first, _ = mix(domain, general, 0.3, seed=7)
    again, _ = mix(domain, general, 0.3, seed=7)
    other, _ = mix(domain, general, 0.3, seed=8)
    assert [r.id for r in first] == [r.id for r in again]
    assert [r.id for r in first] != [r.id for r in other]
    origins = "".join("d" if r.origin == "domain" else "g" for r in first)
    assert "dg" in origins and "gd" in origins and not origins.startswith("d" * 30)


def test_general_records_are_marked_general_even_if_unlabelled():
    records, _ = mix(_records("域", 10), _records("通", 10), 0.5, seed=0)
    assert {r.origin for r in records if r.instruction.startswith("通")} == {"general"}


def test_impossible_total_is_a_user_error():
    with pytest.raises(ModelError, match="数据不足"):
        mix(_records("域", 5), _records("通", 100), 0.5, total=50)
    with pytest.raises(ModelError):
        mix_counts(10, 10, 1.0)


def test_hybrid_adds_pretrain_text():
    texts = [Record(kind="pretrain", text=f"# 文档 {i}\n正文") for i in range(4)]
    records, info = mix(_records("域", 10), _records("通", 10), 0.5, seed=0, pretrain=texts)
    assert sum(r.kind == "pretrain" for r in records) == 4 and info["hybrid"]


def test_dataset_and_manifest_round_trip(tmp_path):
    records, info = mix(_records("域", 9), _records("通", 21), 0.3, seed=3)
    path = tmp_path / "train.jsonl"
    write_dataset(path, records, sources=["a.jsonl", "b.jsonl"], seed=3, ratio=0.3, extra={"mix": info})
    assert [r.id for r in read_records(path)] == [r.id for r in records]
    manifest = read_manifest(path)
    assert manifest["count"] == 30 and manifest["ratio"] == 0.3 and manifest["seed"] == 3
    assert manifest["counts"]["origin"] == {"domain": 9, "general": 21} or manifest["counts"]["origin"] == {"general": 21, "domain": 9}
    assert json.loads((tmp_path / "train.manifest.json").read_text(encoding="utf-8"))["sources"] == ["a.jsonl", "b.jsonl"]


def test_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"instruction": "a", "output": "b"}\n{"instruction": "only"}\n', encoding="utf-8")
    with pytest.raises(ModelError, match="第 2 行"):
        read_records(path)


def test_chat_messages_format_is_accepted(tmp_path):
    path = tmp_path / "chat.jsonl"
    line = {"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (record,) = read_records(path)
    assert (record.instruction, record.output) == ("你好", "您好")
