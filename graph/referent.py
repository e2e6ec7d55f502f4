"""A follow-up pointing into the previous answer, made standalone from the part it points at.

    found = pointed_referent(message, prior, chunks_of, vocab)   # Referent(unit, terms) or None
    standalone = referent_question(message, found, title)       # "《title》 heading label names message"

"私钥权限那条 改成多少", "我是 ubuntu 重新生成 initramfs 那条是啥", "检查应用配置那里 mysql 那个一般设多少":
the message points (那条, 那步, 那里, 那个…) at a part of the previous answer — or of the page it came from —
and says in its own words which one (私钥权限, initramfs, ubuntu, mysql). The generic resolution anchors
it on the last question or on the last sentence naming the pointer's noun, so retrieval searches the
wrong part (or the whole answer's words). Here the previous answer's cited pages are cut into units
(graph/page_units.py: a list item with its code, a paragraph with the block it introduces, a table row)
and weighed by the message's own marks, each by how rare it is among the units
(graph/pointed_unit.Scorer); a unit the previous answer showed counts a little more (the user points
into what was said). The standalone is the page's title, the unit's heading and label, the names its
lines matching the message run or quote, then the user's words — no other answer text.
The turn's evidence is then that unit (referent_first, in graph/nodes/select.py).
Used by graph/nodes/rewrite.py; tested in tests/graph/test_referent.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from graph.cues import tidy
from graph.asked_kind import answers, asked_kinds
from graph.detail_kind import FENCED, detail_kind, gives
from graph.doc_units import FENCE_LINE
from graph.page_units import PageUnit, page_units
from graph.pointed_unit import POINTED, Scorer
from graph.prior import flat_text
from graph.references import ordinal_of
from graph.prior_scan import ChunksOf, names_uncovered, page_passage, prior_page_chunks
from graph.schema import PassageData, PriorAnswer

POINTS = re.compile(r"(?<![我咱])(?:这|那)(?:一)?(?:个|条|步|几条|几步|几个|几行|行|项|栏|句|处|里)"
                    r"|上面|上边|刚才|刚刚|前面(?:说|提|讲)的|你说的|第\s*[一二三四五六七八九十\d]{1,2}\s*[步条个项]")
"""Words pointing at a part of what was said (那条, 那一步, 那里, 上面, 第三步), not at the whole topic; not the
user's own thing ("我那块是 xfs", "这台机器", "nginx 那边": 块/台/边 measure a thing or a side, not a part said)."""
LINE = re.compile(r"(?:这|那)(?:一)?(?:几)?[条行]|命令|指令")
"""Pointing at a line to type (那条, 那几行, 那个命令): a part with code is meant."""
SHOWN_BONUS = 1.3
"""A unit the previous answer showed weighs this much more: the user points into what was said."""
CLEAR = 1.15
"""The best unit must outweigh the best unit of another section by this factor to be the part meant."""
MAX_NAMES = 3
"""Names (commands, settings) the standalone carries from the unit at most: more would be its text again."""
SHORT_LINE = 32
"""A code line at most this long is a name as a whole (a command with its arguments); a longer one is cut."""
_HEAD_ORDINAL = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+步[：:]?|\d{1,2}[.、]|[（(]\d{1,2}[)）])\s*")
# matched on the stripped line, the label stripped after: no two quantifiers over the same spaces
_LABEL = re.compile(r"(?:[-*]|\d{1,2}[.、])?[ \t]*\*\*([^*\n]{1,24})\*\*")
_CELL = re.compile(r"\|([^|\n]{1,26})\|")
_QUOTED = re.compile(r"`([^`\n]{2,40})`")
_COMMAND = re.compile(r"^\s*(?:\$\s*|sudo\s+)?([A-Za-z][\w.-]*(?:\s+-{0,2}[A-Za-z][\w.-]*)?)")


@dataclass
class Referent:
    """The unit a follow-up points at and the key terms that name it."""

    unit: PageUnit
    terms: list[str]


def points(message: str) -> bool:
    """Does the message point at a part of what was said (那条, 那一步, 上面, 第三步)? A bare 这个/那个 opening
    or ending the message is what the conversation is about ("这个每天能刷几次": the refresh; "磁盘满为啥也会
    导致这个": the problem), not a part."""
    return bool(POINTS.search(_BARE.sub("", message.strip())))


_BARE = re.compile(r"^(?:那么|那)?\s*(?:这个|那个)|(?:这个|那个)[？?。！!]?$"
                   # the subject of the ask right after the user's own statement is that statement ("4G 的机器
                   # -Xmx 给了 6g，这个该怎么配"), not a part of the previous answer
                   r"|(?<=[，,。；;])\s*这个(?=\s*(?:该|应该|要|得|需要|能|可以|怎么|咋|会))")


def pointed_referent(message: str, prior: PriorAnswer, chunks_of: ChunksOf, vocab: Any) -> Referent | None:
    """The unit of the previous answer's pages the message's own words select, with its key terms; None
    when the message points at nothing, names a thing those pages never mention (a new topic), or no unit
    holds a rare mark of its words clearly more than a unit of another section."""
    if not points(message):
        return None
    sources = list(dict.fromkeys(s for s in prior.get("sources") or [] if s))
    pages = prior_page_chunks(sources, chunks_of) if sources else []
    if not pages or names_uncovered(message, pages, vocab):
        return None
    units = [u for s in sources for u in page_units(s, [c for t, c in pages if t == s])]
    said = POINTS.sub(" ", message)
    scorer = Scorer.of(said, units)
    shown = flat_text(prior.get("text") or "")
    # a meaning is said in words: what a code block alone holds does not select the part ("json 里那个
    # MaxAgeSeconds 是干嘛用的": the field's row, not the example setting it) — unless a line is pointed at
    words_only = detail_kind(message) == "meaning" and not LINE.search(message)
    scored = sorted(((scorer.score(FENCED.sub(" ", u.scored) if words_only else u.scored)
                      * (SHOWN_BONUS if _was_shown(u, shown) else 1.0), i)
                     for i, u in enumerate(units)), reverse=True)
    if not scored or scored[0][0] <= 0:
        return None
    top, at = scored[0]
    unit = units[at]
    rival = next((s for s, i in scored[1:] if _section(units[i]) != _section(unit)), 0.0)
    if rival and top < CLEAR * rival:
        close = [units[i] for s, i in scored if s * CLEAR > top]
        coded = [u for u in close if FENCED.search(u.text)]
        if not (LINE.search(message) and len(coded) == 1):
            return None  # two parts of the page fit the words as well: which one is meant is not known
        unit = coded[0]  # "那条" points at a line to type: of the parts that fit, the one with code
    return Referent(unit, _terms(unit, scorer))


def outranks(found: Referent, kind: str, focus: str, message: str) -> bool:
    """Does the unit the message's words select stand over what the generic resolution pointed at? Over
    nothing, yes; over an item the answer named, when that item is not in the unit (the words chose another
    part); over a list item, when the page itself labels the unit with the ordinal the message says
    ("方法二", "第三步") and the item is not in it."""
    inside = bool(focus) and flat_text(focus)[:24] in flat_text(found.unit.text)
    if kind == "named":
        return not inside
    if kind == "item":
        said = ordinal_of(message)
        label = flat_text(message[said.span[0]:said.span[1]]) if said else ""
        return len(label) >= 2 and label in flat_text(found.unit.scored) and not inside
    return True


def referent_question(message: str, found: Referent, title: str) -> str:
    """The standalone: the page's title, the unit's key terms, then the user's own words."""
    low = message.lower()
    head = [t for t in (title, *found.terms) if t and t.lower() not in low]
    kept: list[str] = []
    for term in head:
        if not any(term.lower() in k.lower() for k in kept):
            kept.append(term)
    return tidy(f"{' '.join(kept)} {message.strip()}")


def _was_shown(unit: PageUnit, shown: str) -> bool:
    """Did the previous answer show the unit (its first line, as flat text)?"""
    first = flat_text(next((ln for ln in unit.text.splitlines() if ln.strip() and not FENCE_LINE.match(ln)), ""))
    return bool(shown) and len(first) >= 6 and first[:40] in shown


def _section(unit: PageUnit) -> tuple[str, ...]:
    return (unit.source, *(unit.chunk.get("heading_path") or []))


def _terms(unit: PageUnit, scorer: Scorer) -> list[str]:
    """The unit's key terms: its section's heading (less its ordinal), its label (a bold lead or a table
    row's first cell), and the names (a command run, a quoted setting) of its lines holding the message's marks."""
    heads = list(unit.chunk.get("heading_path") or [])
    heading = _HEAD_ORDINAL.sub("", heads[-1]).strip() if heads else ""
    first = next((ln for ln in unit.text.splitlines() if ln.strip()), "")
    first = first.strip()
    label = _LABEL.match(first) or _CELL.match(first)
    names: list[str] = []
    code = [ln for block in FENCED.findall(unit.text) for ln in block.splitlines() if not FENCE_LINE.match(ln)]
    # the lines saying most of what the message names, then the commands the unit runs (what "那条" is about)
    for line in [*_matching_lines(unit.text, scorer), *code]:
        for name in [*_QUOTED.findall(line), *_code_names(line)]:
            if name not in names:
                names.append(name)
    return [t for t in (heading, label.group(1).strip() if label else "", *names[:MAX_NAMES]) if t]


def _matching_lines(text: str, scorer: Scorer) -> list[str]:
    """The unit's lines holding the message's marks, those holding most first (its first line when none does)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not FENCE_LINE.match(ln)]
    held = [(sum(scorer.weights[m] for m in scorer.held(ln)), -i, ln) for i, ln in enumerate(lines)]
    return [ln for h, _, ln in sorted(held, reverse=True) if h > 0] or lines[:1]


def _code_names(line: str) -> list[str]:
    """What a code line runs: the whole line when short and unpiped ("apt-get install -y sysstat"), else its
    command with a subcommand or option ("journalctl -k"); none for prose."""
    body = line.split(" #", 1)[0].strip().removeprefix("$").strip()
    if not body or body.startswith(("#", "//", "--")) or re.search(r"[\u4e00-\u9fff]", body):
        return []
    if len(body) <= SHORT_LINE and "|" not in body:
        return [body]
    found = _COMMAND.match(body)
    return [found.group(1).strip()] if found else []


def titles_of(prior: PriorAnswer, unit: PageUnit) -> str:
    """The page title of the unit, as the previous answer cited it."""
    return str((prior.get("titles") or {}).get(unit.source) or "")


def referent_first(chosen: list[PassageData], message: str, prior: PriorAnswer, chunks_of: ChunksOf, vocab: Any,
                   base: str, retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The unit the standalone was built on (pointed_referent again: same inputs), alone, as the evidence of
    its turn, when it gives what the message asks — a kind of detail (graph/detail_kind.py) or of value
    (graph/asked_kind.py) — and the selection holds no unit of the pages inside it. A message asking
    something else about the part ("nofail 不加会怎样") is left to selection: the part names the topic,
    another unit answers."""
    found = pointed_referent(message, prior, chunks_of, vocab)
    if found is None or not _gives_asked(message, found.unit.text):
        return chosen
    flat = flat_text(found.unit.text)
    if any((p.get("meta") or {}).get(POINTED) or (p.get("meta") or {}).get("prior_page") for p in chosen) \
            and any(flat_text(p.get("text") or "") in flat for p in chosen):
        return chosen
    unit = found.unit
    passage = page_passage(unit.source, {**unit.chunk, "text": unit.text}, [*chosen, *retrieved], base,
                           titles_of(prior, unit))
    return [{**passage, "meta": {**(passage.get("meta") or {}), POINTED: True}}]


def _gives_asked(message: str, text: str) -> bool:
    """Does the unit give the kind of detail or value the message asks (False when it asks neither)? A line
    pointed at ("私钥权限那条 改成多少") is given by the unit's code, whatever is asked of it."""
    if LINE.search(message) and FENCED.search(text):
        return True
    kind = detail_kind(message)
    if kind:
        return gives(kind, text)
    kinds = asked_kinds(message)
    return any(answers(kinds, s) for s in re.split(r"(?<=[。；;！!？?])|\n", text))
