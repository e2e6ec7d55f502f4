"""Where-questions and padding: the passage that says WHERE to do the asked thing leads; one matching only names goes.

"白名单在哪加" / "在控制台哪改" / "入口在哪" asks for a place; an FAQ entry that only names 白名单
answers another question. A passage holding a console path whose menu names include the asked
thing ("数据安全性 → 白名单", "权限管理 > 防盗链") is marked meta["evidence"]["places"] and
leads the selection (knowledge.select.match_tier). The asked thing is a question word the passage
holds that is not its page's product (the first part of its indexed heading line). Holds on any
base: the arrows are how documentation writes menu paths. `name_only` leaves out a passage that
holds only names beside one holding the asked thing. Tested in tests/knowledge/test_places.py.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping

from knowledge.types import Passage

_WHERE = re.compile(
    r"(?:在|去|从|到)(?:控制台)?(?:的)?(?:哪里|哪儿|哪个(?:页面|菜单|地方|位置)|哪)(?:里|儿)?"
    r"(?:加|添|改|修|设|配|开|关|看|查|找|填|删|绑|建|创|申|操作|上传|下载|进)"
    r"|在(?:哪里|哪儿|哪)(?:里|儿)?[\s?？呀啊呢]*$|入口|控制台(?:的|里|上)?(?:哪|什么地方)|哪个(?:页面|菜单)")
_NOT_PLACE = re.compile(r"(?:问题|原因|区别|差别|不同|差异|瓶颈|毛病|错)(?:出)?在哪")
_ARROW = re.compile(r"\s*(?:→|->|＞|>|»)\s*")
"""Menu names joined by arrows ("数据安全性 → 白名单"); the names around each arrow are cut in Python
(at most NAME_CHARS each), so no pattern repeats inside a repeat."""
NAME_CHARS = 24
_NAME_END = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]*$")
_NAME_START = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff .-]*")


def menu_paths(text: str) -> list[str]:
    """Each line's run of menu names joined by arrows, names cut to NAME_CHARS."""
    found = []
    for line in text.splitlines():
        parts = _ARROW.split(line)
        if len(parts) < 2:
            continue
        head = _NAME_END.search(parts[0][-NAME_CHARS:])
        tail = _NAME_START.match(parts[-1])
        middle = [x for x in parts[1:-1] if 0 < len(x) <= NAME_CHARS]
        if head and tail and len(middle) == len(parts) - 2:
            found.append(" > ".join([head.group(0), *middle, tail.group(0)[:NAME_CHARS]]))
    return found


def asks_where(query: str) -> bool:
    """The question asks where (in the console, which page) to do or find something."""
    return bool(_WHERE.search(query)) and not _NOT_PLACE.search(query)


def places(text: str, words: Iterable[str]) -> bool:
    """The text holds a menu path naming one of `words`."""
    wanted = [w.lower() for w in words if w]
    for path in menu_paths(text):
        path = path.lower()
        if "```" in path or path.count(">") > 4:  # shell redirections, HTML
            continue
        if any(w in path for w in wanted):
            return True
    return False


def page_product(p: Passage) -> str:
    """The passage's page product: the first part of its indexed heading line, lower-cased."""
    return str(p.meta.get("indexed_text") or "").split("\n", 1)[0].split(" > ", 1)[0].lower()


def mark_places(query: str, passages: Iterable[Passage], holding: Mapping[str, set[str]]) -> None:
    """meta["evidence"]["places"] on the kept passages that show where the asked thing is."""
    where = asks_where(query)
    for p in passages:
        evidence = p.meta.get("evidence")
        if not isinstance(evidence, dict):
            continue
        evidence.pop("places", None)
        if not where or not p.meta.get("match"):
            continue
        product = page_product(p)
        asked = [w for w in holding.get(p.chunk_id, ()) if len(w) >= 2 and w.lower() not in product]
        if asked and places(p.text, asked):
            evidence["places"] = True


PADDING_SHARE = 0.5
"""A passage's own asked words must weigh this share of the asked thing's IDF not to be padding."""


def name_only(passages: Iterable[Passage], holding: Mapping[str, set[str]], idf: Callable[[str], float]) -> list[Passage]:
    """Unmatch the kept passages that hold little of the question but the names of their page's
    product (a product overview's opening matching "RDS MySQL", plus at most an everyday word like
    配置; "ssh" on an SSH page of the 云服务器 product is what it is about, not a name) when another kept passage
    holds one of those names and the asked thing (the rarest non-name word any kept passage holds:
    白名单): padding beside the answer. `holding`: per chunk id, the question words it holds."""
    from knowledge.select import is_name

    kept = [p for p in passages if p.meta.get("match")]

    def own_names(p: Passage) -> str:
        """The page's product and the declared tags that share a word with it ("RDS MySQL" beside
        云数据库 MySQL): what the page is filed under, not what it is about (an SSH page's "SSH")."""
        product = page_product(p)
        words = set(product.split())
        tags = [t.lower() for t in p.meta.get("doc_tags") or () if words & set(t.lower().split())]
        return " ".join([product, *tags])

    asked: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for p in kept:
        named = own_names(p)
        held = holding.get(p.chunk_id, set())
        names[p.chunk_id] = {w for w in held if is_name(w) and w.lower() in named}
        asked[p.chunk_id] = {w for w in held if len(w) >= 2 and w not in names[p.chunk_id]}
    words = set().union(*asked.values()) - set().union(*names.values()) if asked else set()  # names: no asked thing
    if not words:
        return []
    top = max(sorted(words), key=idf)

    def beside(p: Passage) -> bool:  # another kept passage holds the asked thing and one of p's names
        return any(top in asked[o.chunk_id] and names[p.chunk_id] & holding.get(o.chunk_id, set())
                   for o in kept if o is not p)

    out = [p for p in kept if names[p.chunk_id] and top not in asked[p.chunk_id]
           and sum(idf(w) for w in asked[p.chunk_id]) < PADDING_SHARE * idf(top)
           and not (p.meta.get("evidence") or {}).get("titled") and beside(p)]
    for p in out:
        p.meta.pop("match", None)
        p.meta["name_only"] = True
    return out
