"""Chat formatting, prompt masking and packing with the tiny model's real tokenizer."""

from __future__ import annotations

import pytest

from models.finetune.encoding import IGNORE, encode_records, encode_sft, encode_text, pack
from models.finetune.records import Record

SYSTEM = "你是排障助手。"


@pytest.fixture(scope="module")
def tokenizer(tiny_base):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_base, local_files_only=True)


def test_prompt_tokens_are_masked_and_answer_learned(tokenizer):
    record = Record(instruction="SSH 连不上怎么办？", input="报错 Connection timed out", output="检查安全组是否放行 22 端口。")
    example = encode_sft(tokenizer, record, SYSTEM, max_len=512)
    learned = [t for t, label in zip(example.input_ids, example.labels) if label != IGNORE]
    masked = [t for t, label in zip(example.input_ids, example.labels) if label == IGNORE]
    assert tokenizer.decode(learned).startswith("检查安全组是否放行 22 端口。<|im_end|>")
    prompt = tokenizer.decode(masked)
    assert prompt.startswith("<|im_start|>system\n你是排障助手。") and prompt.endswith("<|im_start|>assistant\n")
    assert "Connection timed out" in prompt
    # masked prefix, learned suffix: no learned token inside the prompt
    first_learned = next(i for i, label in enumerate(example.labels) if label != IGNORE)
    assert all(label == IGNORE for label in example.labels[:first_learned])
    assert all(label != IGNORE for label in example.labels[first_learned:])


def test_long_examples_are_truncated_to_max_len(tokenizer):
    record = Record(instruction="问" * 400, output="答" * 400)
    example = encode_sft(tokenizer, record, SYSTEM, max_len=128)
    assert len(example.input_ids) == len(example.labels) <= 128
    assert example.trained_tokens > 0


def test_pretrain_text_learns_every_token_in_blocks(tokenizer):
    blocks = encode_text(tokenizer, "云服务器无法通过 SSH 登录。" * 30, max_len=64)
    assert len(blocks) > 1 and all(len(b.input_ids) <= 64 for b in blocks)
    assert all(b.labels == b.input_ids for b in blocks)
    assert blocks[-1].input_ids[-1] == tokenizer.eos_token_id


def test_modes_choose_what_is_learned(tokenizer):
    records = [Record(instruction="你好", output="您好"), Record(kind="pretrain", text="# 文档\n正文内容")]
    sft = encode_records(tokenizer, records, "sft", SYSTEM, 128)
    pretrain = encode_records(tokenizer, records, "pretrain", SYSTEM, 128)
    hybrid = encode_records(tokenizer, records, "hybrid", SYSTEM, 128)
    assert len(sft) == 1 and any(label == IGNORE for label in sft[0].labels)
    assert len(pretrain) == 2 and all(e.labels == e.input_ids for e in pretrain)
    assert len(hybrid) == 2 and hybrid[0].labels != hybrid[0].input_ids and hybrid[1].labels == hybrid[1].input_ids


def test_packing_keeps_every_token_within_max_len(tokenizer):
    records = [Record(instruction=f"问题 {i}", output=f"回答 {i}" * (i % 4 + 1)) for i in range(20)]
    examples = encode_records(tokenizer, records, "sft", SYSTEM, 256)
    packed = pack(examples, 256)
    assert len(packed) < len(examples) / 2
    assert all(len(p.input_ids) <= 256 for p in packed)
    assert sum(len(p.input_ids) for p in packed) == sum(len(e.input_ids) for e in examples)
    assert sum(p.trained_tokens for p in packed) == sum(e.trained_tokens for e in examples)
