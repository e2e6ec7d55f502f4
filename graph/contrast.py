"""The table that contrasts what a comparison question names, row by row (issue 12).

"502 和 504 有什么区别" matched a page's access-log section and another page's "区别" heading, while
the 502/504 page holds a table with one row per status code ("状态码: 502；一句话判断: 连不上后端…",
"状态码: 504；…"): the rows that contrast the two. For a comparison question, the select node looks
through the pages it retrieved, best first, for a table chunk whose rows name every side of the
comparison (each side in a row, at least two rows), and makes it the best passage. The sides are
the question's terms on either side of its joining word (和, 与, 跟, vs); of a side written in several
words, the word the other side lacks. A table cut into several chunks is read whole (`whole_tables`).
The answer takes the section answering the sides best (`sidedness`, graph/doc_order.py) and from it
what covers both sides (`both_sides`): the rows that are the sides, else one unit naming both, else one
unit per side — never a sentence about one side alone. Tested in tests/graph/test_contrast.py and
tests/graph/test_asked_clause.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from graph.chunk_passage import found_chunk
from graph.schema import PassageData
from knowledge.errors import KnowledgeError

JOINING = re.compile(r"\s*(?:和|与|跟|同|及|还是|vs\.?|versus|\band\b|\bor\b)\s*", re.I)
MAX_PAGES = 4
"""Retrieved pages looked through, best first."""


def _run(places: list[tuple[int, int, str]], edge: int, leftward: bool) -> list[str]:
    """The terms written one after another (spaces between them at most) from `edge` away from the join."""
    run: list[str] = []
    for start, end, term in sorted(places, key=lambda p: -p[1] if leftward else p[0]):
        if (end if leftward else start) != edge:
            if run or abs((end if leftward else start) - edge) > 1:
                break
        run.append(term)
        edge = start if leftward else end
    return run


def _gapless(places: list[tuple[int, int, str]], low: str) -> list[tuple[int, int, str]]:
    """Term places with the spaces after each one counted in it ("vnc 登录": one run)."""
    out = []
    for start, end, term in places:
        while end < len(low) and low[end] == " ":
            end += 1
        out.append((start, end, term))
    return out


def sides(question: str, terms: Iterable[str]) -> list[str]:
    """The things compared: the question's terms right before and right after a joining word
    ("负载均衡的 502 与 504 有何区别" -> 502, 504; the product named around them is no side); of a side
    written in several words, the word the other side does not share ("vnc 登录和 ssh 登录" -> vnc, ssh;
    "加权轮询和加权最小连接数" -> 轮询, 最小)."""
    low = question.lower()
    places = [(m.start(), m.end(), t) for t in dict.fromkeys(terms) for m in re.finditer(re.escape(t.lower()), low)]
    for join in JOINING.finditer(low):
        left = [p for p in places if p[1] <= join.start()]
        right = [p for p in places if p[0] >= join.end()]
        if left and right:
            a, b = max(left, key=lambda p: p[1])[2], min(right, key=lambda p: p[0])[2]
            before = _run(_gapless(left, low), join.start(), leftward=True)
            after = _run(_gapless(right, low), join.end(), leftward=False)
            own_a = [t for t in before if t not in after]
            own_b = [t for t in after if t not in before]
            if own_a and own_b:
                a, b = own_a[0], own_b[0]
            if a != b:
                return [a, b]
    return []


def _names(row: str, side: str) -> bool:
    if re.fullmatch(r"[\w.-]+", side, re.ASCII):  # "502" is not inside "5020", nor "acl" inside "oracle"
        return re.search(rf"(?<![\w.-]){re.escape(side)}(?![\w-])", row, re.ASCII | re.I) is not None
    return side.lower() in row.lower()


def _family(side: str) -> str:
    """A spec's family, when the side is written as one ("m5.xlarge" -> "m5"); "" otherwise."""
    head = re.split(r"[.:_]", side)[0]
    return head if head != side and re.fullmatch(r"[a-z]+\d+", head, re.I) else ""


def side_rows(rows: Sequence[tuple[int, str]], compared: Sequence[str]) -> set[int]:
    """The rows (index, text) naming the sides of a comparison, one side per row or more — by the
    side itself, else by its family ("M5.xlarge" -> the row of "M5"); empty unless every side is
    named in a row of its own: then the table is shown whole. A table every row of which names every
    side has the sides as its columns ("对比项 | 安全组 | 网络 ACL"): all its rows contrast them."""
    if len(compared) >= 2 and len(rows) >= 2 and all(all(_names(text, s) for s in compared) for _, text in rows):
        return {i for i, _ in rows}
    picked: list[set[int]] = []
    for side in compared:
        rows_of = {i for i, text in rows if _names(text, side)}
        family = _family(side)
        picked.append(rows_of or ({i for i, text in rows if _names(text, family)} if family else set()))
    if len(compared) < 2 or not all(picked) or len(set().union(*picked)) < 2 or set.intersection(*picked):
        return set()
    return set().union(*picked)


def _side_tables(units: Sequence[Any], compared: Sequence[str]) -> set[int]:
    """The rows of the first table of the units (graph/doc_units.Unit) whose rows are the sides."""
    tables: dict[str, list[tuple[int, str]]] = {}
    for i, u in enumerate(units):
        if u.kind == "row":
            tables.setdefault(u.heading, []).append((i, u.text))
    return next((picked for picked in (side_rows(rows, compared) for rows in tables.values()) if picked), set())


def _naming_every(units: Sequence[Any], compared: Sequence[str]) -> list[int]:
    return [i for i, u in enumerate(units) if u.kind not in ("code", "row") and all(_names(u.text, s) for s in compared)]


def sidedness(units: Sequence[Any], compared: Sequence[str]) -> int:
    """How well a section's units answer a comparison: 3 a table whose rows are the sides, 2 a unit
    naming every side, else the number of sides it names at all (0, 1 …) — for choosing its section."""
    if len(compared) < 2:
        return 0
    if _side_tables(units, compared):
        return len(compared) + 2
    if _naming_every(units, compared):
        return len(compared) + 1
    text = " ".join(u.text for u in units)
    return sum(_names(text, side) for side in compared)


def both_sides(units: Sequence[Any], compared: Sequence[str]) -> set[int]:
    """The units of a section answering a comparison of `compared`: the rows of one table naming the
    sides (`side_rows`), else the first unit naming every side, else the first unit naming each side;
    empty when some side is named by no unit (a sentence about one side answers half)."""
    if len(compared) < 2:
        return set()
    rows = _side_tables(units, compared)
    if rows:
        return rows
    every = _naming_every(units, compared)
    if every:
        return {every[0]}
    prose = [(i, u.text) for i, u in enumerate(units) if u.kind not in ("code", "row")]
    firsts = [next((i for i, text in prose if _names(text, side)), None) for side in compared]
    return {i for i in firsts if i is not None} if all(i is not None for i in firsts) else set()


_KEYED = re.compile(r"^([^：:；;]{1,10})[：:]\s*(.*)$")
_LABEL_ROOM = 8
"""Characters of a row's first value in which a side names the row ("状态码: 502；…")."""


def _row_label(row: str) -> str:
    """What a table row is about: its first two cells, a keyed cell by its key and the start of its value
    ("状态码: 502；…" -> "状态码 502", "类型: 标准型；系列: S5" -> "类型 标准型 系列 S5", "高性能云盘：IOPS…" ->
    "高性能云盘 IOPS…"). A side written further in is something the row mentions ("配额：每个账号每个地域默认
    20 个 EIP" is the quota row of an EIP page, not the EIP side)."""
    cells = re.split(r"[；;]", row.lstrip("-* ").strip())[:2]
    keyed = [_KEYED.match(cell.strip()) for cell in cells]
    return " ".join(f"{k.group(1)} {k.group(2)[:_LABEL_ROOM]}" if k else cell.strip()[:2 * _LABEL_ROOM]
                    for k, cell in zip(keyed, cells))


def contrasting_rows(chunk: Mapping[str, Any], compared: Sequence[str]) -> bool:
    """A table chunk whose rows (the lines after its lead-in and header) name every side, in two rows or more."""
    if chunk.get("kind") != "table" or len(compared) < 2:
        return False
    lines = (chunk.get("text") or "").split("\n")
    header, rows = lines[0].split("表头", 1)[-1], lines[1:]
    if len(rows) >= 2 and all(_names(header, side) for side in compared):
        return True  # the sides are its columns
    found = [{i for i, row in enumerate(rows) if _names(_row_label(row), side)} for side in compared]
    return all(found) and len(set().union(*found)) >= 2 and not set.intersection(*found)


def document_pages(passages: Iterable[Mapping[str, Any]], chunks_of: Callable[[str, str], list[dict]]
                   ) -> Iterator[tuple[Mapping[str, Any], tuple[str, str], list[dict]]]:
    """The first MAX_PAGES document pages of `passages` (FAQ entries skipped, each page once), with the
    passage that named the page, its (kb, source) and its chunks; a page deleted since it was found is passed over."""
    seen: list[tuple[str, str]] = []
    for p in passages:
        page = (p.get("kb") or "", p.get("source") or "")
        if p.get("kind") == "faq" or page in seen:
            continue
        seen.append(page)
        if len(seen) > MAX_PAGES:
            return
        try:
            chunks = chunks_of(*page)
        except KnowledgeError:  # deleted since it was found
            continue
        yield p, page, chunks


def whole_tables(chunks: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The page's chunks with a table cut into several chunks joined back (one chunk of the same
    heading and header line after another): a state table's "已关机" row and "已释放" row may sit in two."""
    out: list[Mapping[str, Any]] = []
    for chunk in chunks:
        last = out[-1] if out else None
        head = (chunk.get("text") or "").split("\n", 1)
        if last is not None and chunk.get("kind") == "table" and last.get("kind") == "table" \
                and list(last.get("heading_path") or []) == list(chunk.get("heading_path") or []) \
                and (last.get("text") or "").split("\n", 1)[0] == head[0] and len(head) > 1:
            out[-1] = {**last, "text": f"{last.get('text')}\n{head[1]}"}
        else:
            out.append(chunk)
    return out


def contrast_table(compared: Sequence[str], retrieved: Sequence[Mapping[str, Any]],
                   chunks_of: Callable[[str, str], list[dict]]) -> PassageData | None:
    """The first contrasting table of the retrieved pages (best first; a table cut into chunks read whole),
    as a passage dict of its page."""
    for p, _, chunks in document_pages(retrieved, chunks_of):
        for chunk in whole_tables(chunks):
            if contrasting_rows(chunk, compared):
                return found_chunk(p, chunk, "contrast")
    return None
