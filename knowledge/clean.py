"""Cleaning rules applied to loaded text before chunking.

Strips HTML comments (Kubernetes keeps the English original in them), Hugo shortcodes
(`{{< ... >}}`, `{{% ... %}}`; `{{< text bash >}}` blocks become fenced code), TiDB
`<CustomContent>` tags, and normalises whitespace and full-width ASCII punctuation.
FAQ cleaning drops boilerplate tails. Pure functions; tested in tests/knowledge/test_clean.py.
"""

from __future__ import annotations

import re
import unicodedata

# Document text can be 50 MB: no pattern here may rescan to the end of the text from each
# unclosed opener, so the runs inside a shortcode or tag stop at the next `{`/`}` or `<`
# (an unclosed `{{<` costs one short scan, not one scan of the rest of the file).
_TEXT_OPEN = re.compile(r"\{\{<\s*text\s+([A-Za-z0-9_+-]*)[^{}<>]*>\}\}")
_TEXT_CLOSE = re.compile(r"\{\{<\s*/\s*text\s*>\}\}")
# An opener may have lost a brace in the source ("{< glossary_tooltip … >}}"): `{<` starts nothing else
# (Jinja's `{%` in code blocks does, so only the angle form is taken with one brace).
_OPEN = r"(?:\{\{[<%]|\{<)"
_TOOLTIP = re.compile(_OPEN + r"\s*glossary_tooltip\b[^{}]*?text=\"([^\"{}]*)\"[^{}]*?[>%]\}\}")
_GLOSS = re.compile(r"\{\{[<%]\s*gloss(?=\s)([^{}>%]*)[>%]\}\}")  # quotes/spaces trimmed in code (the lazy form was cubic)
_HEADING = re.compile(r"\{\{%\s*heading\s+\"?([a-z]+)\"?\s*%\}\}")
_PARAM = re.compile(r"\{\{[<%]\s*(?:param|skew)\s+\"?([^\"{}>%\s]+)\"?[^{}]*[>%]\}\}")
_SHORTCODE = re.compile(_OPEN + r"[^{}]*?[>%]\}\}")
_CUSTOM = re.compile(r"</?CustomContent\b[^<>]*>")
_HTML_TAG = re.compile(r"</?(?:br|span|div|details|summary|p|sup|sub|font|center|img)\b[^<>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANKS = re.compile(r"\n{3,}")

HEADING_NAMES = {
    "prerequisites": "准备开始",
    "objectives": "教程目标",
    "cleanup": "清理现场",
    "whatsnext": "接下来",
    "synopsis": "概要",
    "options": "选项",
    "seealso": "另请参见",
}

FAQ_BOILERPLATE = (
    re.compile(r"以上内容是否对您有帮助[？?]?"),
    re.compile(r"如有其他问题[，,]?请提交工单[。.]?"),
    re.compile(r"更新时间[：:]\s*\S+"),
    re.compile(r"(文档|本文)(内容)?是否对您有帮助[？?]?"),
)


def strip_comments(text: str) -> str:
    """`<!-- … -->` removed in linear time (a lazy regex rescans to the end from each unclosed `<!--`)."""
    out, at = [], 0
    while (start := text.find("<!--", at)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[at:start])
        at = end + 3
    out.append(text[at:])
    return "".join(out)


def strip_markup(text: str) -> str:
    """Remove comments, shortcodes and MDX tags; keep the text they wrap."""
    text = strip_comments(text)
    text = _TEXT_OPEN.sub(lambda m: "```" + m.group(1), text)
    text = _TEXT_CLOSE.sub("```", text)
    text = _TOOLTIP.sub(r"\1", text)
    text = _GLOSS.sub(lambda m: m.group(1).strip().strip("\"").strip(), text)
    text = _HEADING.sub(lambda m: HEADING_NAMES.get(m.group(1), m.group(1)), text)
    text = _PARAM.sub(r"\1", text)
    text = _SHORTCODE.sub("", text)
    text = _CUSTOM.sub("", text)
    return _HTML_TAG.sub("", text)


_HALF_WIDTH = {code: code - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for code in range(r[0], r[1] + 1)}
_HALF_WIDTH[0x3000] = 0x20


def normalize_punctuation(text: str) -> str:
    """Full-width ASCII letters/digits -> half-width; CJK punctuation (，。：) is kept."""
    return unicodedata.normalize("NFC", text.translate(_HALF_WIDTH))


def normalize_whitespace(text: str, keep_lines: bool = True) -> str:
    """Collapse runs of spaces; at most one blank line; trailing spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_lines:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def normalize_inline(text: str) -> str:
    """Single-line normalisation for titles, headings, table cells and FAQ fields."""
    return normalize_whitespace(normalize_punctuation(text), keep_lines=False)


def clean_faq_answer(answer: str) -> str:
    """Drop boilerplate tails ("以上内容是否对您有帮助？", "如有其他问题请提交工单。", "更新时间：…")."""
    for pattern in FAQ_BOILERPLATE:
        answer = pattern.sub("", answer)
    return normalize_whitespace(normalize_punctuation(answer)).strip(" \n，,")
