"""FAQ files (JSONL, YAML, CSV with question+answer columns): one block per pair.

Cleaning: boilerplate tails removed, empty answers dropped, duplicate questions
(same text after normalisation) kept once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from knowledge.clean import clean_faq_answer, normalize_inline
from knowledge.document import Block, ParsedDocument
from knowledge.errors import KnowledgeError
from knowledge.loaders.encoding import read_text

QUESTION_KEYS = ("question", "q", "问题", "问", "title")
ANSWER_KEYS = ("answer", "a", "答案", "回答", "答", "content")
_DEDUP = re.compile(r"[\s\W_]+")


def find_key(keys: list[str], wanted: tuple[str, ...]) -> str | None:
    lowered = {str(k).strip().lower(): k for k in keys}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    return None


def faq_document(records: list[dict], title: str) -> ParsedDocument:
    if title.lower() in ("faq", "faqs", "qa", "q&a"):  # a bare file name makes a poor citation title
        title = "常见问题"
    blocks: list[Block] = []
    seen: set[str] = set()
    for record in records:
        if not isinstance(record, dict):
            continue
        qk = find_key(list(record), QUESTION_KEYS)
        ak = find_key(list(record), ANSWER_KEYS)
        if qk is None or ak is None:
            continue
        question = normalize_inline(str(record.get(qk) or ""))
        answer = clean_faq_answer(str(record.get(ak) or ""))
        key = _DEDUP.sub("", question.lower())
        if not question or not answer or key in seen:
            continue
        seen.add(key)
        blocks.append(Block("faq", [question], text=answer, question=question))
    if not blocks:
        raise KnowledgeError("没有找到有效的问答对：每条需要 question/answer（或 问题/答案）两个字段且答案非空，"
                             "请补齐字段后重新导入")
    return ParsedDocument(title=title, blocks=blocks)


def load_jsonl(path: Path) -> ParsedDocument:
    records = []
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise KnowledgeError(f"第 {n} 行不是合法的 JSON（第 {exc.colno} 列附近）：JSONL 每行应是一个 "
                                 '{"question": "...", "answer": "..."} 对象，请修正该行后重新导入') from exc
    return faq_document(records, path.stem)


def load_json(path: Path) -> ParsedDocument:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近有语法错误）："
                             "请修正后重新导入（问答对格式：[{\"question\": \"...\", \"answer\": \"...\"}]）") from exc
    return faq_document(_records(data), path.stem)


def load_yaml(path: Path) -> ParsedDocument:
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行附近有语法错误）" if mark is not None else ""
        raise KnowledgeError(f"不是合法的 YAML{where}：请检查缩进和冒号后重新导入") from exc
    return faq_document(_records(data), path.stem)


def _records(data: object) -> list[dict]:
    if isinstance(data, dict):
        for key in ("faq", "faqs", "questions", "items"):
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    return data if isinstance(data, list) else []
