"""Turn a Copilot turn (TurnResult JSON) into what the chat shows: sections, citation links, badge.

Pure functions of data, no Gradio: the chat tab and the tests call them directly.
Every answer text passes `app.ui.sanitize.safe_markdown` first (documents can hold HTML).
Citation markers `[n]` become links to the sources panel (`#src-n`); a refusal gets its
own style; every reply ends with a badge naming the model/adapter or extractive mode.
Relative document links in answers (`[ERROR 1040](too-many-connections.md)`) point to the
cited source card or become plain text (app/ui/links.py). The progress line is app/ui/progress_line.py.
"""

from __future__ import annotations

import html
import re
from typing import Any

from app.ui.icons import BAN, DONE, WARN, plain_symbols
from app.ui.links import rewrite_doc_links
from app.ui.sanitize import safe_markdown
from graph.prompts import sources_headings

ROUTE_LABELS = {"knowledge": "知识库", "runbook": "排障流程", "investigate": "模型排查", "general": "通用",
                "refuse": "超出范围", "clarify": "请补充", "greet": "问候", "mixed": "多种"}
VERIFIED_TIP = "回答中的每一句都能在它引用的段落里找到依据，并且与所问的问题相关（docs/readme-graph.md“核验”）"
UNVERIFIED_TIP = "有句子在引用的段落里找不到足够依据或与问题无关，或知识库没有覆盖这个问题；请对照来源核实"
CITE_RE = re.compile(r"\[(\d{1,3})\](?!\()")
SOURCES_HEADINGS = tuple(f"**{h}**" for h in sources_headings())  # as graph/nodes/compose.py writes them


def link_citations(text: str, prefix: str = "src") -> str:
    """`[2]` -> a link to source 2 of the sources panel (Markdown links stay untouched)."""
    return CITE_RE.sub(lambda m: f"[[{m.group(1)}]](#{prefix}-{m.group(1)})", text)


def strip_sources(answer: str) -> str:
    """The answer without its trailing 参考来源 list (the sources panel shows it)."""
    found = [i for i in (answer.find(h) for h in SOURCES_HEADINGS) if i >= 0]
    at = min(found) if found else -1  # str.find: the regex `\n*…` was quadratic on runs of newlines
    return (answer if at < 0 else answer[:at]).rstrip()


def badge(result: dict[str, Any]) -> str:
    """Which model or adapter answered, or 抽取式模式 when no generative model is configured."""
    model = str(result.get("model") or "extractive")
    adapters = sorted({s.get("adapter") for s in result.get("sections") or [] if s.get("adapter")})
    if model == "extractive":
        label = "抽取式模式"
    else:
        label = f"模型：{model}" + (f" · 适配器：{'、'.join(adapters)}" if adapters else " · 基座模型")
    grounded = result.get("grounded")
    routes = {s.get("route") for s in result.get("sections") or []}
    check = ""
    if "knowledge" in routes:
        check = (f" · <span title='{VERIFIED_TIP}'>{DONE} 引用已核验</span>" if grounded
                 else f" · <span title='{UNVERIFIED_TIP}'>{WARN} 部分内容缺少依据</span>")
    return f"<sub class='sc-badge'>{label}{check}</sub>"


def refusal_markdown(text: str) -> str:
    body = "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())
    return f"{BAN} **超出服务范围**\n\n{body}"


def section_markdown(index: int, section: dict[str, Any], numbered: bool,
                     citations: list[dict[str, Any]] | None = None) -> str:
    route = section.get("route") or "knowledge"
    answer = rewrite_doc_links(safe_markdown(strip_sources(str(section.get("answer") or ""))).strip(), citations)
    if route == "refuse":
        answer = refusal_markdown(answer)
    else:
        answer = link_citations(answer)
        if route == "knowledge" and section.get("grounded") is False:
            answer = f"{answer}\n\n> {WARN} 知识库中没有找到足够依据，以上内容请谨慎参考。"
    if not numbered:
        return answer
    tag = ROUTE_LABELS.get(route, route)
    question = html.escape(str(section.get("question") or "").strip())
    return f"#### {index}. {question} <sub class='sc-route'>{tag}</sub>\n\n{answer}"


def answer_markdown(result: dict[str, Any]) -> str:
    """The assistant message: one section per sub-question, citation links, badge."""
    sections = [s for s in result.get("sections") or [] if s.get("answer") or s.get("route") == "refuse"]
    citations = result.get("citations") or []
    if result.get("refused") and len(sections) <= 1:
        body = refusal_markdown(safe_markdown(strip_sources(str(result.get("answer") or ""))))
    elif len(sections) > 1:
        body = "\n\n".join(section_markdown(i, s, True, citations) for i, s in enumerate(sections, 1))
    elif sections:
        body = section_markdown(1, sections[0], False, citations)
    else:
        body = link_citations(rewrite_doc_links(safe_markdown(strip_sources(str(result.get("answer") or ""))),
                                                citations))
    return plain_symbols(f"{body}\n\n{badge(result)}")  # tool summaries carry colour emoji


def streaming_markdown(text: str) -> str:
    """The partial answer while tokens arrive (sources list cut, citations linked)."""
    return link_citations(rewrite_doc_links(safe_markdown(strip_sources(text)))) + " ▌"
