"""Turning records into training sequences: chat formatting, prompt masking, packing.

SFT records are rendered with the tokenizer's chat template (system, user, assistant);
the prompt part gets label -100 so only the answer is learned. Conversation records
(`messages`, e.g. tool-use trajectories) are rendered with their tools the way the
transformers backend serves them (models/llm/chat_render.py: the template's own tool
format, else the built-in Hermes one): every assistant turn, tool calls included, is
learned; system, user and tool-result tokens are masked. Pretrain records (and
SFT records in `pretrain` mode) are plain text learned token by token; long texts are
cut into blocks. Packing concatenates short examples into sequences of up to
`max_len` tokens (fewer pad tokens, faster epochs). `collate` pads a batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Literal

from models.finetune.records import Record
from models.llm.base import ChatMessage, ToolSpec
from models.llm.chat_render import RenderMode, render_chat, template_supports_tools

IGNORE = -100
Mode = Literal["sft", "pretrain", "hybrid"]
FALLBACK_PROMPT = "{system}\n\n### 问题：\n{prompt}\n\n### 回答：\n"


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]
    origin: str = "domain"

    @property
    def trained_tokens(self) -> int:
        return sum(label != IGNORE for label in self.labels)


def render_prompt(tokenizer: Any, system: str, prompt: str, answer: str) -> tuple[str, str]:
    """(prompt text up to the assistant turn, completion text) for one SFT pair."""
    if getattr(tokenizer, "chat_template", None):
        messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
        head = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        full = tokenizer.apply_chat_template(
            messages + [{"role": "assistant", "content": answer}], tokenize=False, add_generation_prompt=False
        )
        if full.startswith(head):
            return head, full[len(head) :]
    return FALLBACK_PROMPT.format(system=system, prompt=prompt), answer + (tokenizer.eos_token or "")


def encode_sft(tokenizer: Any, record: Record, system: str, max_len: int) -> Example:
    """Prompt tokens masked with -100, answer tokens learned; the prompt is cut from the left."""
    head, tail = render_prompt(tokenizer, system, record.prompt_text, record.output)
    prompt_ids = tokenizer(head, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(tail, add_special_tokens=False)["input_ids"]
    prompt_ids = prompt_ids[-(max_len // 2) :] if len(prompt_ids) + len(answer_ids) > max_len else prompt_ids
    answer_ids = answer_ids[: max_len - len(prompt_ids)]
    return Example(prompt_ids + answer_ids, [IGNORE] * len(prompt_ids) + answer_ids, record.origin)


def tool_render_mode(tokenizer: Any) -> RenderMode:
    """How conversations with tools are rendered for this tokenizer (what the backend's `auto` serves)."""
    return "template" if template_supports_tools(tokenizer) else "builtin"


def encode_chat(tokenizer: Any, record: Record, system: str, max_len: int, mode: RenderMode) -> Example | None:
    """Every assistant turn learned, everything else masked; None when the template re-renders earlier
    turns differently once later ones follow (no clean cut between prompt and answer)."""
    messages = [ChatMessage.from_json(m) for m in record.messages]
    if not messages or messages[0].role != "system":
        messages.insert(0, ChatMessage("system", system))
    tools = [ToolSpec(t["function"]["name"], t["function"].get("description", ""), t["function"].get("parameters", {}))
             for t in record.tools]
    ids: list[int] = []
    labels: list[int] = []
    done = ""
    for i, message in enumerate(messages):
        if message.role != "assistant":
            continue
        head = render_chat(tokenizer, messages[:i], tools, mode, add_generation_prompt=True)
        full = render_chat(tokenizer, messages[: i + 1], tools, mode, add_generation_prompt=False)
        if not head.startswith(done) or not full.startswith(head):
            return None
        prompt_ids = tokenizer(head[len(done):], add_special_tokens=False)["input_ids"]
        answer_ids = tokenizer(full[len(head):], add_special_tokens=False)["input_ids"]
        ids += prompt_ids + answer_ids
        labels += [IGNORE] * len(prompt_ids) + answer_ids
        done = full
    return Example(ids[:max_len], labels[:max_len], record.origin)


def encode_text(tokenizer: Any, text: str, max_len: int, origin: str = "domain") -> list[Example]:
    """Every token learned; text longer than max_len becomes several blocks."""
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    if tokenizer.eos_token_id is not None:
        ids = ids + [tokenizer.eos_token_id]
    return [Example(ids[i : i + max_len], ids[i : i + max_len], origin) for i in range(0, len(ids), max_len)]


def encode_records(tokenizer: Any, records: Iterable[Record], mode: Mode, system: str, max_len: int,
                   unusable: list[Record] | None = None) -> list[Example]:
    """Examples for the training mode: sft uses instructions, pretrain learns all text, hybrid both."""
    out: list[Example] = []
    tool_mode: RenderMode | None = None
    for record in records:
        if record.kind == "pretrain":
            if mode != "sft":
                out.extend(encode_text(tokenizer, record.text, max_len, record.origin))
        elif mode == "pretrain":
            out.extend(encode_text(tokenizer, f"{record.prompt_text}\n{record.output}", max_len, record.origin))
        elif record.messages:
            tool_mode = tool_mode or tool_render_mode(tokenizer)
            example = encode_chat(tokenizer, record, system, max_len, tool_mode)
            if example is not None and example.trained_tokens > 0:
                out.append(example)
            elif unusable is not None:  # cut before its first answer, or no clean prompt/answer split
                unusable.append(record)
        else:
            out.append(encode_sft(tokenizer, record, system, max_len))
    return [e for e in out if e.trained_tokens > 0]


def pack(examples: Iterable[Example], max_len: int) -> list[Example]:
    """Greedily concatenate consecutive examples into sequences of at most max_len tokens."""
    packed: list[Example] = []
    ids: list[int] = []
    labels: list[int] = []
    for example in examples:
        if ids and len(ids) + len(example.input_ids) > max_len:
            packed.append(Example(ids, labels, "packed"))
            ids, labels = [], []
        ids = ids + example.input_ids
        labels = labels + example.labels
    if ids:
        packed.append(Example(ids, labels, "packed"))
    return packed


def collate(batch: list[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors: input_ids, attention_mask, labels (-100 on padding)."""
    import torch

    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, example in enumerate(batch):
        n = len(example.input_ids)
        ids[row, :n] = torch.tensor(example.input_ids)
        labels[row, :n] = torch.tensor(example.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
