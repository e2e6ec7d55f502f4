"""HTML loader (wiki exports, saved pages): drops scripts, navigation, comments and footers.

Headings h1-h6 build the heading path; <pre> is code; <table> becomes self-describing
rows under its <caption> or the preceding paragraph.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.clean import normalize_inline, normalize_whitespace
from knowledge.document import Block, ParsedDocument, table_rows

_NOISE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "button", "iframe", "svg")
_NOISE_WORDS = ("nav", "menu", "breadcrumb", "sidebar", "footer", "comment", "toolbar", "header", "edit", "history")


def _is_noise(tag) -> bool:
    if tag.attrs is None:
        return False
    marks = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""]).lower()
    return any(word in marks for word in _NOISE_WORDS)


def parse_html(raw: str, fallback_title: str) -> ParsedDocument:
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(raw, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.parent is not None and tag.name not in ("html", "body", "main", "article") and _is_noise(tag):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    title = normalize_inline(soup.title.get_text()) if soup.title else ""
    blocks: list[Block] = []
    path: list[str] = []
    last_text = ""
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "table", "blockquote", "dd", "dt"]):
        if el.find_parent(["table", "pre"]) or (el.name in ("p",) and el.find_parent("li")):
            continue
        if el.name.startswith("h") and len(el.name) == 2:
            name = normalize_inline(el.get_text(" "))
            level = int(el.name[1])
            if level == 1:
                title = title or name
                if name == title:
                    continue
            path = path[: max(level - 2, 0)] + [name]
        elif el.name == "pre":
            code = el.get_text().strip("\n")
            if code.strip():
                blocks.append(Block("code", list(path), text=f"```\n{code}\n```"))
        elif el.name == "table":
            grid = [[normalize_inline(c.get_text(" ")) for c in tr.find_all(["th", "td"])] for tr in el.find_all("tr")]
            grid = [r for r in grid if any(r)]
            if len(grid) < 2:
                continue
            caption = normalize_inline(el.caption.get_text(" ")) if el.caption else (last_text if len(last_text) <= 120 else "")
            caption = caption or (path[-1] if path else title)
            blocks.append(Block("table", list(path), rows=table_rows(grid[0], grid[1:]),
                                caption=f"{caption}（表头：{' | '.join(h for h in grid[0] if h)}）"))
        else:
            text = normalize_whitespace(el.get_text(" "), keep_lines=False)
            if el.name == "li":
                text = "- " + text
            if text.strip("- "):
                blocks.append(Block("text", list(path), text=text))
                last_text = text
    # consecutive text blocks of one section form paragraphs of one text block
    merged: list[Block] = []
    for block in blocks:
        if merged and block.kind == "text" and merged[-1].kind == "text" and merged[-1].heading_path == block.heading_path:
            sep = "\n" if block.text.startswith("- ") else "\n\n"
            merged[-1].text += sep + block.text
        else:
            merged.append(block)
    return ParsedDocument(title=title or fallback_title, blocks=merged)


def load_html(path: Path) -> ParsedDocument:
    return parse_html(path.read_text(encoding="utf-8-sig", errors="replace"), path.stem)
