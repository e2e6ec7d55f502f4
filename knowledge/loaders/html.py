"""HTML loader (wiki exports, saved pages): drops scripts, navigation, comments and footers.

Headings h1-h6 build the heading path; <pre> is code; <table> becomes self-describing
rows under its <caption> or the preceding paragraph. Text is collected in document order
wherever it sits (<div>, <section>, <span>, bare body text); inline tags continue a
paragraph, any other tag ends one.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.clean import normalize_inline, normalize_whitespace
from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.loaders.encoding import read_text

_NOISE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "button", "iframe", "svg")
_NOISE_WORDS = ("nav", "menu", "breadcrumb", "sidebar", "footer", "comment", "toolbar", "header", "edit", "history")


def _is_noise(tag) -> bool:
    if tag.attrs is None:
        return False
    marks = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""]).lower()
    return any(word in marks for word in _NOISE_WORDS)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
           "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"}
"""Tags whose text continues the current paragraph; every other tag is a paragraph boundary."""


class _Walker:
    """Walks the page in document order, so text directly in <div>, <section>, <span> or the bare
    body is kept (a page whose text was only in <div> used to have "没有可索引的文字内容")."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.blocks: list[Block] = []
        self.path: list[str] = []
        self.parts: list[str] = []
        self.bullet = False
        self.last_text = ""

    def flush(self) -> None:
        text = normalize_whitespace(" ".join(self.parts), keep_lines=False)
        self.parts.clear()
        if self.bullet and text.strip():
            text, self.bullet = "- " + text, False
        if text.strip("- "):
            self.blocks.append(Block("text", list(self.path), text=text))
            self.last_text = text

    def walk(self, node) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    self.parts.append(str(child))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, el) -> None:
        name = el.name
        if name in _INLINE:
            self.walk(el)
        elif name == "br":
            self.parts.append(" ")
        elif name in _HEADINGS:
            self.flush()
            self.heading(el)
        elif name == "pre":
            self.flush()
            code = el.get_text().strip("\n")
            if code.strip():
                self.blocks.append(Block("code", list(self.path), text=f"```\n{code}\n```"))
        elif name == "table":
            self.flush()
            self.table(el)
        elif name == "li":
            self.flush()
            self.bullet = True
            self.walk(el)
            self.flush()
            self.bullet = False
        else:  # p, div, section, article, blockquote, dd, dt, ul, ... : a paragraph boundary
            self.flush()
            self.walk(el)
            self.flush()

    def heading(self, el) -> None:
        name = normalize_inline(el.get_text(" "))
        level = int(el.name[1])
        if level == 1:
            self.title = self.title or name
            if name == self.title:
                return
        if name:
            self.path = self.path[: max(level - 2, 0)] + [name]

    def table(self, el) -> None:
        grid = [[normalize_inline(c.get_text(" ")) for c in tr.find_all(["th", "td"])] for tr in el.find_all("tr")]
        grid = [r for r in grid if any(r)]
        if len(grid) < 2:
            return
        last = self.last_text
        caption = normalize_inline(el.caption.get_text(" ")) if el.caption else (last if len(last) <= 120 else "")
        caption = caption or (self.path[-1] if self.path else self.title)
        self.blocks.append(Block("table", list(self.path), rows=table_rows(grid[0], grid[1:]),
                                 caption=f"{caption}（表头：{' | '.join(h for h in grid[0] if h)}）"))


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
    walker = _Walker(normalize_inline(soup.title.get_text()) if soup.title else "")
    if soup.title is not None:
        soup.title.extract()  # <title> is the title, not body text (a page without <body> has it in the root)
    walker.walk(root)
    walker.flush()
    # consecutive text blocks of one section form paragraphs of one text block
    merged: list[Block] = []
    for block in walker.blocks:
        if merged and block.kind == "text" and merged[-1].kind == "text" and merged[-1].heading_path == block.heading_path:
            sep = "\n" if block.text.startswith("- ") else "\n\n"
            merged[-1].text += sep + block.text
        else:
            merged.append(block)
    return ParsedDocument(title=walker.title or fallback_title, blocks=merged)


def load_html(path: Path) -> ParsedDocument:
    return parse_html(read_text(path), path.stem)
