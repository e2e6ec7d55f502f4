"""The fixture tokenizer: the class AutoTokenizer picks must give the trained ids back."""

from __future__ import annotations

import pytest

TEXTS = [
    "云服务器 SSH 登录失败，端口 22 不通！",
    "Upload failed: 403 Forbidden   (access key)\n\n第二段",
    "表情 😀 与生僻字 龘 也要原样还原",
]


@pytest.mark.parametrize("text", TEXTS)
def test_autotokenizer_ids_match_trained_tokenizer(tiny_model_dir, text):
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    raw = Tokenizer.from_file(str(tiny_model_dir / "tokenizer.json"))
    auto = AutoTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)
    ids = auto(text, add_special_tokens=False)["input_ids"]
    assert ids == raw.encode(text).ids
    assert auto.decode(ids) == text


def test_chat_template_special_tokens_are_single_ids(tiny_model_dir, tiny_base_llm):
    from models.llm.base import ChatMessage

    tok = tiny_base_llm.tokenizer
    ids = tiny_base_llm.encode_prompt([ChatMessage("system", "你是助手"), ChatMessage("user", "你好")])
    start, end = tok.convert_tokens_to_ids(["<|im_start|>", "<|im_end|>"])
    assert ids.count(start) == 3 and ids.count(end) == 2
    assert tok.decode(ids) == "<|im_start|>system\n你是助手<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n"
