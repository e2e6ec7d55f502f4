"""Self-QA: question/answer pairs grounded in knowledge chunks.

Two strategies. `deterministic_selfqa` needs no model: FAQ pairs become instructions
as they are, troubleshooting sections (现象 / 可能原因 / 排查步骤 / 解决方法) become the
question a user would ask for that section, other sections a question about their
heading. `generative_selfqa` prompts an LLM backend (prompts/selfqa.yaml) for user
questions and answers grounded in each chunk; unusable output is skipped. Every record
keeps its chunk in `context`, so the grounding filter can check the answer.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from models.finetune.chunks import ChunkLike, faq_answer, group_sections
from models.finetune.prompts import load_prompts
from models.finetune.records import Record, unique
from models.finetune.textparse import clip, outline, pairs, parse_fields, strip_links
from models.llm.base import ChatMessage, GenerationOptions, LLMBackend

MAX_ANSWER_CHARS = 1200
MIN_SECTION_CHARS = 30

# Section heading keyword -> question templates ({topic}: the document's subject).
SECTION_QUESTIONS: dict[str, tuple[str, ...]] = {
    "现象": ("{topic}时会看到哪些现象或报错？",),
    "可能原因": ("{topic}的可能原因有哪些？",),
    "排查步骤": ("{topic}应该怎么排查？",),
    "解决方法": ("{topic}怎么解决？",),
    "常见问题": ("关于{topic}有哪些常见问题？",),
}
SKIP_SECTIONS = ("相关文档", "参考", "相关链接")
_NUMBERING = re.compile(r"^(\d+[.、)]\s*|第[一二三四五六七八九十\d]+步[：:]\s*)")
_PROBLEM = re.compile(r"失败|错误|报错|无法|不能|不通|不一致|异常|超时|卡住|变慢|已满|丢失|不生效|拒绝|没有|不变|不对|不正确|\berror\b|fail", re.IGNORECASE)
_ACTION = re.compile(r"(配置|查看|设置|创建|删除|修改|使用|开启|关闭|启用|停用|安装|升级|扩容|重置|绑定|解绑|发现|申请|导出|导入|挂载|卸载|登录|连接|备份|恢复|清理|检查|迁移|部署)")
_NOT_ACTIONS = ("须知", "说明", "概述", "注意事项", "前提", "条件", "限制")
_TOPIC_SUFFIX = re.compile(r"(排查|处理|指南|说明|概述|介绍)$")
_INLINE_Q = re.compile(r"^(?:\*\*Q[:：]\s*(.+?)\*\*|#{3,4}\s+(.+[？?]))$")
QA_LABELS = {"问题": "q", "问": "q", "q": "q", "question": "q", "回答": "a", "答案": "a", "答": "a", "a": "a", "answer": "a"}


def topic_of(chunk: ChunkLike) -> str:
    """The subject a user would name: the title without 排查/指南..., with its product."""
    topic = _TOPIC_SUFFIX.sub("", (chunk.title or "").strip()).strip() or chunk.title
    product = str((chunk.meta or {}).get("product") or "").strip()
    if product and product not in topic:
        topic = f"{product} {topic}"
    return topic


def deterministic_selfqa(chunks: Iterable[ChunkLike], max_answer_chars: int = MAX_ANSWER_CHARS) -> list[Record]:
    """Records from FAQ pairs and document sections, with no model."""
    records: list[Record] = []
    for chunk in group_sections(chunks):
        if chunk.kind == "faq":
            question = str(chunk.meta.get("question") or chunk.title)
            records.append(_record(question, faq_answer(chunk), chunk, "selfqa-faq", max_answer_chars))
        elif chunk.kind == "doc":
            records.extend(_section_records(chunk, max_answer_chars))
    return unique(records)


def _section_records(chunk: ChunkLike, max_answer_chars: int) -> list[Record]:
    heading = chunk.heading_path[-1] if len(chunk.heading_path) > 1 else ""
    text = chunk.text.strip()
    if len(text) < MIN_SECTION_CHARS or any(word in heading for word in SKIP_SECTIONS):
        return []
    inline = faq_pairs(text)
    if inline:
        return [_record(q, a, chunk, "selfqa-faq", max_answer_chars) for q, a in inline]
    question = heading or chunk.title  # FAQ pages: the heading (or a one-answer page's title) is the question
    if question.endswith(("？", "?")):
        return [_record(question, text, chunk, "selfqa-faq", max_answer_chars)]
    topic = topic_of(chunk)
    heading = _NUMBERING.sub("", heading)
    templates = next((t for key, t in SECTION_QUESTIONS.items() if key in heading), None)
    if templates is None and heading.startswith(("常见", "典型")):  # "常见错误": a list of them
        templates = ("{topic}有哪些{heading}？",)
    if templates is None and heading and _PROBLEM.search(heading):
        templates = ("{topic}：{heading}，怎么办？",)  # a symptom heading: ask what to do about it
    if templates is None and any(w in heading for w in ("如何", "怎么", "为什么", "是否")):
        templates = ("{topic}：{heading}？",)  # already phrased as a question
    if templates is None and _ACTION.match(heading) and not heading.endswith(_NOT_ACTIONS):
        templates = ("{topic}：如何{heading}？",)  # a how-to step: "配置 HTTP 自动跳转 HTTPS"
    if templates is None:
        templates = ("{topic}：请介绍一下“{heading}”。",) if heading else ("请介绍一下{topic}。",)
    questions = [t.replace("{topic}", topic).replace("{heading}", heading) for t in templates]
    return [_record(q, text, chunk, "selfqa-section", max_answer_chars) for q in questions]


def faq_pairs(text: str) -> list[tuple[str, str]]:
    """`**Q：…？**` or `### …？` lines followed by their answers, inside a section."""
    found: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _INLINE_Q.match(line.strip())
        if match:
            found.append((match.group(1) or match.group(2), []))
        elif found:
            found[-1][1].append(line)
    return [(q.strip(), "\n".join(a).strip()) for q, a in found if "\n".join(a).strip()]


def _record(question: str, answer: str, chunk: ChunkLike, generator: str, max_chars: int) -> Record:
    return Record(
        instruction=question.strip(),
        output=outline(strip_links(answer), max_chars),
        generator=generator,
        source=_source(chunk),
        context=strip_links(chunk.text),
    )


def _source(chunk: ChunkLike) -> str:
    heading = " > ".join(chunk.heading_path[1:]) if len(chunk.heading_path) > 1 else ""
    return f"{chunk.source}#{heading}" if heading else chunk.source


def generative_selfqa(
    chunks: Iterable[ChunkLike],
    llm: LLMBackend,
    per_chunk: int = 3,
    options: GenerationOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
) -> list[Record]:
    """Ask the LLM for `per_chunk` grounded Q/A pairs per section (the first `limit`
    sections); skip unusable output."""
    prompts = load_prompts("selfqa")
    options = options or GenerationOptions(max_tokens=768, temperature=0.7, top_p=0.9)
    sections = [c for c in group_sections(chunks) if c.kind in ("doc", "faq") and len(c.text) >= MIN_SECTION_CHARS]
    sections = sections[:limit] if limit else sections
    records: list[Record] = []
    for index, chunk in enumerate(sections, start=1):
        heading = chunk.heading_path[-1] if chunk.heading_path else chunk.title
        user = prompts["user"].format(title=chunk.title, heading=heading, n=per_chunk, text=clip(chunk.text, 2000))
        reply = llm.chat([ChatMessage("system", prompts["system"]), ChatMessage("user", user)], options)
        for question, answer in pairs(parse_fields(reply, QA_LABELS), "q", "a")[:per_chunk]:
            records.append(_record(question, answer, chunk, "selfqa-llm", MAX_ANSWER_CHARS))
        if progress:
            progress(index, len(sections))
    return unique(records)
