"""The one sanitizer for what documents or a model put into an answer (chat UI and API payloads).

`safe_markdown(text)` returns Markdown that cannot carry active HTML, whatever a knowledge
file contained:
- raw HTML in prose goes through nh3 (the ammonia sanitizer) with an allow-list of tags,
  attributes and URL schemes: <form>/<input>, <script>, <svg onload>, <iframe>, <style>,
  event handlers and `javascript:` URLs are removed, the text around them stays;
- what looks like code (fenced blocks, inline spans) keeps its text, but a `<` that could
  open an active tag becomes `&lt;`: a renderer may disagree about where code is (a fence
  inside an HTML block, an escaped backtick), so code is never trusted to stay code. A bare
  placeholder tag (`<Code>`, `<RequestId>`, `</dependency>`: no attributes, not a scripting,
  embedding, form or parsing element) stays as written — `&lt;` inside a code span is shown
  literally by Markdown renderers, which garbles commands the agent copies;
- autolinks, Markdown links/images and reference definitions whose URL has a scheme other
  than http, https or mailto point to "#" instead, in prose and code alike.
Every scan is linear in the text. Used by app/ui/render.py (chat) and app/ui/api.py
(`answer`, sections, citations, streamed tokens). Tests: tests/hardening/test_sanitize.py,
the browser test tests/browser/test_hostile_documents.py.
"""

from __future__ import annotations

import bisect
import html
import re
from typing import Any

import nh3

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
                "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
                "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
                "u", "ul"}
"""Formatting only: no forms, inputs, scripts, frames, media, style or SVG (images: Markdown syntax only)."""
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}):([^\s<>]*)>")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]\n]{1,999}\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]{0,31}):")
_HIDDEN = re.compile(r"[\x00-\x20\\\x7f]+")
_AMP = re.compile(r"&amp;(?!#?[A-Za-z0-9]{1,32};)")
OPEN, CLOSE = chr(0xE000), chr(0xE001)  # private-use marks around a kept piece (never drawn: built, not typed)
_HOLE = re.compile(f"{OPEN}(\\d+){CLOSE}")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")  # what a browser could read as the start of a tag
_BARE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9_-]{0,63})>")  # no attributes: no event handler can ride on it
ACTIVE_ELEMENTS = {"applet", "audio", "base", "basefont", "button", "dialog", "embed", "form", "frame",
                   "frameset", "iframe", "image", "img", "input", "isindex", "keygen", "link", "listing", "marquee",
                   "math", "meta", "noembed", "noframes", "noscript", "object", "param", "plaintext", "portal",
                   "script", "select", "source", "style", "svg", "template", "textarea", "title", "track", "video",
                   "xmp"}
"""Elements that run, load, submit or change how the rest of the page is parsed, even without attributes."""


def safe_markdown(text: str) -> str:
    """Markdown without active HTML or dangerous links (see the module docstring)."""
    if not text:
        return ""
    kept: list[str] = []

    def hole(piece: str) -> str:
        kept.append(piece)
        return f"{OPEN}{len(kept) - 1}{CLOSE}"

    text = text.replace(OPEN, "").replace(CLOSE, "")  # our placeholder marks cannot come from input
    body = "".join(hole(_TAG_START.sub(lambda m: _code_lt(piece, m.start()), piece)) if is_code
                   else _protect_autolinks(piece, hole)
                   for piece, is_code in _split_code(text))
    cleaned = nh3.clean(body, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        strip_comments=True, link_rel="noopener noreferrer")
    # nh3 serialises text as HTML; these escapes mean the same in Markdown except that `>`
    # starts a quote and `&nbsp;` reads worse, so they go back. `&lt;` stays: it keeps a
    # stray `<` from ever opening a tag.
    cleaned = _AMP.sub("&", cleaned.replace("&gt;", ">").replace("&nbsp;", "\u00a0"))
    return _neutralise_links(_HOLE.sub(lambda m: kept[int(m.group(1))], cleaned))


def _code_lt(code: str, at: int) -> str:
    """The `<` at `at` inside code: kept before a bare, inactive placeholder tag, else `&lt;`."""
    tag = _BARE_TAG.match(code, at)
    return "<" if tag and tag.group(1).lower() not in ACTIVE_ELEMENTS else "&lt;"


def safe_result(result: dict[str, Any]) -> dict[str, Any]:
    """A TurnResult JSON with every document-derived Markdown field sanitized (API payloads)."""
    out = dict(result)
    out["answer"] = safe_markdown(str(result.get("answer") or ""))
    out["sections"] = [{**s, "answer": safe_markdown(str(s.get("answer") or "")),
                        "citations": [_safe_citation(c) for c in s.get("citations") or []]}
                       for s in result.get("sections") or []]
    out["citations"] = [_safe_citation(c) for c in result.get("citations") or []]
    return out


def _safe_citation(citation: Any) -> Any:
    if not isinstance(citation, dict) or "text" not in citation:
        return citation
    return {**citation, "text": safe_markdown(str(citation["text"]))}


def is_unsafe_url(url: str) -> bool:
    """True for a URL whose scheme (after entity decoding, as a browser reads it) is not allowed."""
    plain = _HIDDEN.sub("", html.unescape(url)).lower()
    m = _SCHEME.match(plain)
    return m is not None and m.group(1) not in URL_SCHEMES


def _split_code(text: str) -> list[tuple[str, bool]]:
    """(piece, is_code): fenced blocks by line, then inline code spans in the rest."""
    pieces: list[tuple[str, bool]] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            pieces.extend(_split_spans("".join(prose)))
            prose, fence = [line], m.group(1)
        elif fence is not None:
            prose.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                pieces.append(("".join(prose), True))
                prose, fence = [], None
        else:
            prose.append(line)
    if fence is not None:
        pieces.append(("".join(prose), True))  # an unclosed fence runs to the end (CommonMark)
    else:
        pieces.extend(_split_spans("".join(prose)))
    return pieces


def _split_spans(text: str) -> list[tuple[str, bool]]:
    """Inline code spans: a run of n backticks up to the next run of exactly n (linear, CommonMark-like)."""
    runs = [(m.start(), m.end() - m.start()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    pieces: list[tuple[str, bool]] = []
    done, index = 0, 0
    while index < len(runs):
        start, length = runs[index]
        same = by_length[length]
        after = bisect.bisect_right(same, index)
        if after == len(same):
            index += 1
            continue
        close = same[after]
        end = runs[close][0] + length
        if "\n\n" in text[start:end]:  # a span never crosses a blank line
            index += 1
            continue
        pieces += [(text[done:start], False), (text[start:end], True)]
        done, index = end, close + 1
    pieces.append((text[done:], False))
    return [p for p in pieces if p[0]]


def _protect_autolinks(text: str, hole: Any) -> str:
    """`<https://…>` kept as is (nh3 would read it as a tag); other schemes shown as text."""
    def keep(m: re.Match[str]) -> str:
        return hole(m.group(0)) if m.group(1).lower() in URL_SCHEMES else "&lt;" + m.group(0)[1:]

    return _AUTOLINK.sub(keep, text)


def _neutralise_links(text: str) -> str:
    """Markdown `[x](url)`, `![x](url)` and `[id]: url` with a disallowed scheme -> `#`."""
    text = _REF_DEF.sub(lambda m: m.group(1) + ("#" if is_unsafe_url(m.group(2).strip("<>")) else m.group(2)), text)
    out: list[str] = []
    done = 0
    at = text.find("](")
    while at >= 0:
        start = at + 2
        end = _destination_end(text, start)
        if is_unsafe_url(text[start:end].strip().strip("<>")):
            out += [text[done:start], "#"]
            done = end
        at = text.find("](", max(end, start))
    out.append(text[done:])
    return "".join(out)


def _destination_end(text: str, start: int) -> int:
    """End of a link destination: `<…>`, or up to whitespace / the unbalanced `)`."""
    i = start
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "<":
        close = text.find(">", i)
        newline = text.find("\n", i)
        return close + 1 if close >= 0 and (newline < 0 or close < newline) else i
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in " \t\n" or (ch == ")" and depth == 0):
            break
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        i += 1
    return min(i, len(text))
