"""An elliptic follow-up is answered from the page the conversation is on when that page answers it.

    chosen = prior_page_first(chosen, message, standalone, prior, chunks_of, vocab, base)

"那要收费吗", "改完会断吗", "一天最多能刷几条" after an answer from one page: retrieval ranks by the
follow-up's own words, which are generic (收费, 重启, 次数), so it brings a FAQ entry of another product,
a quota table or nothing. The previous answer's cited pages (no FAQ entry) are read whole instead: the
line whose sentence gives the asked kind of value (graph/asked_kind.py) and shares most of the message's
own characters (the words just before the asking form, what the value is of, twice; lines the previous answer
showed last) is the evidence, alone and as it is, when no other page's passage answers better and the
selection holds no passage of those pages answering as closely. A selected section answering less closely
(the one that answered the previous turn) yields to it; one answering as closely beside others that do not
is kept alone. A table row is one unit, a question on the page answers nothing itself (its answer reads with
it), a code block states no value. When those pages hold no close answer (a FAQ entry, an error-code row),
the retrieved documentation page quoting the names of the thread's question ("eip", "1290") is read the same
way: the page the thread's subject names. A message naming a thing those pages never mention switched topic
and is left as it is; a close line that does not name what the asked value is of (the base's words just
before the asking form, as the pages write them: "健康检查默认几秒" and a keepalive default) does not
overrule another page's passage stating it (`asked_thing`).
Used by graph/nodes/select.py; tested in tests/graph/test_prior_scan.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.asked_kind import Kind, answers, asked_kinds, follow_up_kinds, says_step, without_asks
from graph.echo import plays_symptom_role, restates
from graph.prior import MIN_SENTENCE, flat_text
from graph.page_units import is_question
from graph.question_type import question_type
from graph.subject import FACETS
from graph.schema import PassageData, PriorAnswer

_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n+")
_ORDINAL = re.compile(r"^\s*(?:[-*+]\s*)?\d+[.)、]\s*")
"""A list item's ordinal ("3. 按流量计费的公网带宽……"): no value of what it says."""
_PERIODS = re.compile(r"(?<=[。！？!?])")
_ITEM = re.compile(r"^\s*(?:[-*+>|]|\d+[.)、]|[^:：；;\n]{1,30}: )")
_ROW = re.compile(r"^[^:：；;\n]{1,30}: [^\n]*；[^\n]*$")
"""A table row as the pages render it ("存储类型: 归档；最短存储时间: 90 天；读取说明: 需先解冻，耗时 1-5 小时"): one
unit, its key naming what its values are of."""
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z][a-z0-9_.-]+")
_FUNCTION = set("的了吗呢吧啊么嘛是在有要能会可以这那个些什怎样如何还也都就和与或把被给让我你他它们一不没多少几哪"
                "时候啥咋么到过得着看下呀哦吧再")
"""Characters that say nothing about what a value is of (asking, pointing, grammar)."""
_NEAR = 4
"""Characters before the asking form that name what the asked value is of."""
_CLOSE = 4
"""A sentence score holding a two-character word of the message (a character alone ties "改" to any 修改)."""
ASKING_WORD = re.compile(r"怎么|怎样|如何|为什么|为啥|什么|多少|多久|哪|能否|是否|可以|能不能|要不要|具体")
_LINK_LINE = re.compile(r"^\s*(?:[-*]\s*)?\[[^\]\n]*\]\([^)\n]*\)\s*$", re.M)
"""A line that only links another page ("- [路由表配置](route-table.md)"): it names that page's subject, it does
not cover it."""
PRIOR_PAGE = "prior_page"
"""Meta flag of the thread page's line `prior_page_first` selected: evidence as it is (graph/nodes/select.py)."""
ALONE = "alone"
"""Meta flag of such a line answering alone (a verification step): not completed from its section (graph/short_fill.py)."""
ChunksOf = Callable[[str], Sequence[dict[str, Any]]]
"""A page's chunks by its source (the knowledge port's document_chunks for the turn's base)."""


Marks = tuple[set[str], set[str], set[str]]
"""A message's own characters, character pairs and Latin words."""


def message_marks(message: str, kinds: list[Kind]) -> Marks:
    """The message's own characters, character pairs and Latin words (no asking words, no function characters)."""
    text = without_asks(message.lower(), kinds)
    text = ASKING_WORD.sub(" ", text)
    chars = {c for c in _CJK.findall(text) if c not in _FUNCTION}
    pairs = {text[i:i + 2] for i in range(len(text) - 1) if all(c in chars for c in text[i:i + 2])}
    return chars, pairs, set(_LATIN.findall(text))


def asked_marks(message: str, kinds: list[Kind]) -> Marks:
    """`message_marks`, with the pair of characters naming what the value is of counted twice more: the words
    just before the asking form ("归档之后**读取**要等多久", "**带宽**最高能调到多少")."""
    chars, pairs, words = message_marks(message, kinds)
    low = message.lower()
    starts = [m.start() for k in kinds for m in [k.asks.search(low)] if m]
    before = low[:min(starts)][-_NEAR:] if starts else ""
    near = {before[i:i + 2] for i in range(len(before) - 1) if all(c in chars for c in before[i:i + 2])}
    return chars, pairs, words | near


def sentence_score(sentence: str, marks: Marks) -> int:
    """How much of the message a sentence carries: its characters, character pairs (twice) and words."""
    low = sentence.lower()
    chars, pairs, words = marks
    return sum(c in low for c in chars) + 2 * sum(p in low for p in pairs) + 2 * sum(w in low for w in words)


def best_answer(text: str, heading: str, kinds: list[Kind], marks: Marks, shown: str = "") -> int:
    """The score of a passage's best sentence giving the asked kinds (its heading counts with it), of those the
    previous answer did not show (`shown`: its flat text); -1 when none."""
    scores = [sentence_score(f"{heading} {s}", marks) for s in _units(text)
              if answers(kinds, _ORDINAL.sub("", s), heading) and not _was_shown(s, shown)]
    return max(scores, default=-1)


def _units(text: str) -> list[str]:
    """The text's sentences, a table row whole; none of a code block (a command's arguments are an example, not
    a value the page states: "--bandwidth 50" is no bandwidth limit)."""
    lines = [line for _, line in _prose(text.splitlines()) if line.strip()]
    units: list[str] = []
    for i, line in enumerate(lines):
        if is_question(line):
            continue  # a question answers nothing itself ("**Q：误释放了实例还能恢复吗？**" names 恢复)
        if i and is_question(lines[i - 1]):
            units.append(f"{lines[i - 1]} {line}")  # an answer reads with the question it answers
        else:
            units.extend([line] if _ROW.match(line.strip()) else _SENTENCES.split(line))
    return units


def _prose(lines: list[str]) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, a paragraph wrapped over lines as one (its last line's index):
    "……回退重试时间将会按指数增长\n（从 10 秒、20 秒到 40 秒）最多至 6 分钟。" says one thing."""
    kept: list[tuple[int, str]] = []
    fenced, joins = False, False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced, joins = not fenced, False
            continue
        if fenced:
            continue
        if joins and line.strip() and not _ITEM.match(line) and not line.lstrip().startswith("#"):
            last = kept[-1][1].rstrip()
            glue = "" if _CJK.match(last[-1:]) or _CJK.match(line.lstrip()[:1]) else " "
            kept[-1] = (i, f"{last}{glue}{line.strip()}")
        else:
            kept.append((i, line))
        joins = bool(line.strip()) and not is_question(line) and not _ROW.match(line.strip())
    return kept


def _was_shown(sentence: str, shown: str) -> bool:
    flat = flat_text(sentence)
    return bool(shown) and len(flat) >= MIN_SENTENCE and flat in shown


def best_line(text: str, heading: str, kinds: list[Kind], marks: Marks, shown: str = "") -> str:
    """The line (a list item, a table row, a paragraph) holding the passage's best answering sentence; a
    paragraph's answering sentence alone, with the block it introduces when it ends in a colon."""
    raw = text.splitlines()
    prose = [(i, line) for i, line in _prose(raw) if line.strip()]
    said = dict(prose)
    asked = {i: prose[k - 1][1] for k, (i, _) in enumerate(prose) if k and is_question(prose[k - 1][1])}
    at = max((i for i, _ in prose),  # an answer line scored with the question it answers
             key=lambda i: best_answer(f"{asked[i]}\n{said[i]}" if i in asked else said[i], heading, kinds, marks, shown),
             default=-1)
    if at < 0:
        return text
    line = said[at]
    if not _ITEM.match(line) and at not in asked:  # an answer to a question on the page is whole
        # a paragraph: its answering sentence ("……支持在线扩容：在控制台扩容时无需关机" of an intro that goes on
        # about df), as a list item or a table row is its line
        sentences = [s for s in _PERIODS.split(line) if s.strip()]
        best = max(sentences, key=lambda s: best_answer(s, heading, kinds, marks, shown), default=line)
        line = best.strip() if best_answer(best, heading, kinds, marks, shown) >= 0 else line
    if not line.rstrip().endswith((":", "：")):
        return line
    # "扩容在线进行，不影响业务连接：" introduces the command after it: a lead-in alone reads as cut off
    rest = raw[at + 1:]
    start = next((i for i, r in enumerate(rest) if r.strip()), None)
    if start is None:
        return line
    if not rest[start].lstrip().startswith("```"):
        return "\n".join([line, rest[start]])
    end = next((i for i in range(start + 1, len(rest)) if rest[i].lstrip().startswith("```")), len(rest) - 1)
    return "\n".join([line, *rest[start:end + 1]])


def _heading(chunk: Any) -> str:
    return " ".join(chunk.get("heading_path") or [])


def prior_page_chunks(sources: Sequence[str], chunks_of: ChunksOf) -> list[tuple[str, dict[str, Any]]]:
    """The previous answer's pages as (source, chunk), FAQ entries left out (a file of many subjects)."""
    return [(source, c) for source in sources for c in chunks_of(source) if c.get("kind") != "faq"]


def names_uncovered(message: str, pages: Sequence[tuple[str, dict[str, Any]]], vocab: Any) -> bool:
    """The message names a thing (a term the base's lexicon holds) the previous pages never mention: a new
    topic. A line that only links another page names that page's subject, it does not cover it."""
    from graph.domain_score import content_tokens

    low = " ".join(_LINK_LINE.sub(" ", c.get("text") or "") for _, c in pages).lower()
    words = [t for t in content_tokens(message, vocab) if not ASKING_WORD.search(t) and not asked_kinds(t)]
    terms = vocab.lexicon if vocab is not None else set()
    return any(len(w) >= 2 and w in terms and w not in low for w in words)


def prior_page_first(chosen: list[PassageData], message: str, standalone: str, prior: PriorAnswer,
                     chunks_of: ChunksOf, vocab: Any, base: str,
                     retrieved: Sequence[PassageData] = (), subject_page: bool = False,
                     follow_up: bool = True) -> list[PassageData]:
    """The previous answer's page chunk that answers the asked kind best, alone, when it answers better than
    the selected passages of those pages and at least as well as the others; the selection otherwise. The
    message's own words judge; when none of them is on the pages ("弄这个要停机吗"), its standalone question's."""
    kinds = follow_up_kinds(message)
    sources = list(dict.fromkeys(s for s in prior.get("sources") or [] if s))
    if not kinds or not sources:
        return chosen
    pages = prior_page_chunks(sources, chunks_of)
    if (not pages and subject_page) or (pages and names_uncovered(message, pages, vocab)):
        return chosen
    flat = flat_text(prior.get("text") or "")
    if not subject_page:
        # the previous answer's pages state no close answer (a FAQ entry, an error-code row, another product's
        # page): the documentation page the thread's subject names answers before the generic pages retrieval
        # ranks ("ERROR 1290 扩容要停业务吗" after an error-code row: 存储空间满导致只读)
        # (the message's own words judge: its standalone form carries the previous page's words, which find it)
        # (an answer of FAQ entries alone leaves no page: the subject's page is the thread's)
        own = _on_pages(pages, message, message, kinds, flat, prior.get("titles") or {}) if pages else None
        named = [] if own is not None and (own[0] >= _CLOSE or says_step(kinds)) else _subject_sources(prior, retrieved, sources, chunks_of)
        if named:
            titles = {str(p.get("source")): str(p.get("title") or "") for p in retrieved}
            again = prior_page_first(chosen, message, standalone, {**prior, "sources": named, "titles": titles},
                                     chunks_of, vocab, base, retrieved, subject_page=True, follow_up=follow_up)
            if again is not chosen:
                return again
    if not pages:
        return chosen
    found = _on_pages(pages, message, standalone, kinds, flat, prior.get("titles") or {})
    step = says_step(kinds)
    if found is None or (subject_page and found[0] < _CLOSE and not step):
        return chosen
    top, at, marks, shown, kinds = found

    source, chunk = pages[-at]
    # A close match (a word of the message, not a character) asked as a fact answers a follow-up from the thread's
    # pages before another page's passage ("重试间隔最长拉到多久" on the Job page, not a node heartbeat's interval;
    # a question of its own, "对了 2核4G 的最大连接数是多少", is not held to the thread),
    # and a selected section of those pages answering less closely (the one that answered the previous turn, "近
    # 30 天标准" for "归档后读取要等多久") yields to it; "不关机还有别的办法吗" asks a way, which the selection gives
    closer = step or (top >= _CLOSE and question_type(message) != "howto")
    if closer and not _holds_asked_thing(pages, at, message, kinds, marks, shown, vocab):
        # the line shares the message's facet ("默认") but not what the value is of ("健康检查默认几秒探一次"
        # after a 502 page: its keepalive default): the page does not state the asked aspect, so another
        # page's passage giving it is not overruled
        closer = False
    if not (closer and follow_up) and top < max((best_answer(p.get("text") or "", _heading(p), kinds, marks) for p in chosen
                                 if p.get("source") not in sources or p.get("kind") == "faq"), default=-1):
        return chosen  # another page's passage answers better
    scores = [best_answer(p.get("text") or "", _heading(p), kinds, marks)
              if p.get("source") in sources and p.get("kind") != "faq" else -1 for p in chosen]
    held_at = max(range(len(chosen)), key=lambda i: scores[i], default=-1)
    if held_at >= 0 and scores[held_at] >= (top if closer else 0):
        # selected already, beside passages answering it less closely ("近 30 天标准、之后归档" beside the row of
        # 归档's read time; the 欠费 page beside the EIP page's bandwidth row): its line alone, as the reply would
        # quote the others first
        rest = [best_answer(p.get("text") or "", _heading(p), kinds, marks) for i, p in enumerate(chosen) if i != held_at]
        if not closer or scores[held_at] < top or not rest or max(rest) >= top:
            return chosen
        kept = chosen[held_at]
        source, chunk = str(kept.get("source") or ""), dict(kept)
    line = best_line(chunk.get("text") or "", _heading(chunk), kinds, marks, shown)
    if plays_symptom_role(list(chunk.get("heading_path") or [])) and restates(line, message):
        return chosen  # "…会话被中断了" read as an interruption asked about: the symptom line it restates answers nothing
    whole = _named_section(kinds, line, _heading(chunk))
    if whole:
        line = chunk.get("text") or line  # "排查：实例仍然无法访问外网" for "都弄了 yum 还是装不上": its checks, whole
    found_line = page_passage(source, {**chunk, "text": line}, [*chosen, *retrieved], base,
                              (prior.get("titles") or {}).get(source, ""))
    if any(k.alone for k in kinds):
        found_line["meta"] = {**(found_line.get("meta") or {}), ALONE: True}
    if whole:  # the section answers as a fix asked does (graph/fix_asked.py): its lines in order, not by shared words
        found_line["meta"] = {**(found_line.get("meta") or {}), "remedy": True}
    return [found_line]


def _named_section(kinds: list[Kind], line: str, heading: str) -> bool:
    """Is the asked kind given by the section's heading, not the line (a section named for the state that stays
    after the step: what to check there is the section, not its first line)? A verification step is its line."""
    return any(k.heads is not None and not k.alone and not k.gives.search(line) and k.heads.search(heading)
               for k in kinds)


def page_line(message: str, standalone: str, sources: Sequence[str], chunks_of: ChunksOf, vocab: Any, base: str,
              known: Sequence[PassageData] = (), titles: Mapping[str, str] | None = None,
              said_before: str = "", kinds: Sequence[Kind] | None = None) -> PassageData | None:
    """The pages' line giving the kind of value the message asks, as a passage of its own, when it answers
    closely (a word of the message, not a character alone), names what the value is of and names a word of
    the message that `said_before` (an earlier ask the pages answer) does not; None otherwise (nothing asked
    of a kind, a thing the pages never mention named, no such line). The reading of `prior_page_first` for
    pages the caller knows are the ones asked about; `kinds`: those to read (default: all the message asks)."""
    from graph.domain_score import content_tokens

    kinds = list(asked_kinds(message) if kinds is None else kinds)
    pages = prior_page_chunks(list(dict.fromkeys(s for s in sources if s)), chunks_of) if kinds else []
    if not pages or names_uncovered(message, pages, vocab):
        return None
    found = _on_pages(pages, message, standalone, kinds, "", titles or {})
    if found is None or found[0] < _CLOSE or question_type(message) == "howto":
        return None
    top, at, marks, shown, kinds = found
    source, chunk = pages[-at]
    line = best_line(chunk.get("text") or "", _heading(chunk), kinds, marks, shown)
    if not _names_asked_thing(pages, f"{_heading(chunk)} {line}", message, kinds, vocab):
        return None  # the line, read under its heading, does not name what the value is of
    earlier = said_before.lower()
    own = [t for t in content_tokens(without_asks(message, kinds), vocab)
           if t not in earlier and not ASKING_WORD.search(t)]
    if own and not any(t in line.lower() for t in own):
        return None  # the line answers what the earlier ask named, not this ask's own words
    return page_passage(source, {**chunk, "text": line}, known, base, (titles or {}).get(source, ""))


def asked_thing(message: str, kinds: list[Kind], vocab: Any, written: str) -> set[str]:
    """The words naming what the asked value is of, as the thread's pages (`written`, lowercase) write them:
    the last two before the asking form, the facets any subject has (默认, 最大, 时间 — graph/subject.FACETS)
    left out ("健康检查默认几秒" -> 健康检查; the user's own word, 额度 for the page's 配额, judges nothing)."""
    from graph.domain_score import content_tokens

    low = message.lower()
    starts = [m.start() for k in kinds for m in [k.asks.search(low)] if m]
    if not starts or vocab is None:
        return set()
    before = low[:min(starts)]
    for facet in FACETS:
        before = before.replace(facet, " ")
    words = [t for t in content_tokens(before, vocab) if len(t) >= 2 and vocab.knows(t)
             and not ASKING_WORD.search(t) and t not in FACETS]
    return {t for t in words[-_THING_WORDS:] if t in written}


_THING_WORDS = 2


def _holds_asked_thing(pages: Sequence[tuple[str, dict[str, Any]]], at: int, message: str, kinds: list[Kind],
                       marks: Marks, shown: str, vocab: Any) -> bool:
    """Does the answering line of the pages' chunk `at` (negated index) name what the value is of?"""
    chunk = pages[-at][1]
    return _names_asked_thing(pages, best_line(chunk.get("text") or "", _heading(chunk), kinds, marks, shown),
                              message, kinds, vocab)


def _names_asked_thing(pages: Sequence[tuple[str, dict[str, Any]]], text: str, message: str, kinds: list[Kind],
                       vocab: Any) -> bool:
    """Does the text name what the asked value is of, as the pages write it (any text does when the message
    names nothing they write)?"""
    written = " ".join(_LINK_LINE.sub(" ", c.get("text") or "") for _, c in pages).lower()
    thing = asked_thing(message, kinds, vocab, written)
    return not thing or any(w in text.lower() for w in thing)


def _on_pages(pages: Sequence[tuple[str, dict[str, Any]]], message: str, standalone: str, kinds: list[Kind],
              flat: str, titles: Mapping[str, str]) -> tuple[int, int, Marks, str, list[Kind]] | None:
    """`_best_on_pages` for the asked kinds together, else for the one a sentence gives best: "额度用完了啥时候
    恢复" asks a time and names an undo, and "配额每天零点重置" gives the time only."""
    # a limit asked with a counted unit ("最多能加几条") is that count: any number alone does not give it
    counted = any(k.name.startswith("count:") for k in kinds)
    tries = [kinds, *([k] for k in kinds if not (counted and k.name == "limit"))] if len(kinds) > 1 else [kinds]
    return next((f for f in (_best_on_pages(pages, message, standalone, asked, flat, titles) for asked in tries)
                 if f is not None), None)


_NAMES = re.compile(r"[a-z][a-z0-9_.-]*[a-z0-9]|\d{3,}")
"""What names a subject beyond a base's wording: a product's short name, an identifier, an error code."""


def _subject_sources(prior: PriorAnswer, retrieved: Sequence[PassageData], sources: Sequence[str],
                     chunks_of: ChunksOf) -> list[str]:
    """Documentation pages retrieved for the follow-up (the most relevant first) that quote every name the
    thread's question holds ("eip", "1290"), other than the previous answer's: the page its subject names."""
    names = set(_NAMES.findall(str(prior.get("question") or "").lower()))
    if not names:
        return []
    found: list[str] = []
    for p in reversed(retrieved):
        source = str(p.get("source") or "")
        if p.get("kind") in ("faq", "table") or not source or source in sources or source in found:
            continue
        text = " ".join(str(c.get("text") or "") for c in chunks_of(source)).lower()
        if all(re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", text) for n in names):
            found.append(source)
    # of pages quoting the names alike, the one whose title the thread's answer says most first ("证书过期" for an
    # answer "该错误表示证书已过期…", before an HTTPS listener's page listing the same browser error)
    said = message_marks(f"{prior.get('question') or ''} {prior.get('text') or ''}", [])
    titles = {str(p.get("source") or ""): str(p.get("title") or "") for p in retrieved}
    found.sort(key=lambda s: -_title_share(titles.get(s, ""), said))
    return found[:_SUBJECT_PAGES]


_SUBJECT_PAGES = 2


def _best_on_pages(pages: Sequence[tuple[str, dict[str, Any]]], message: str, standalone: str, kinds: list[Kind],
                   flat: str, titles: Mapping[str, str]) -> tuple[int, int, Marks, str, list[Kind]] | None:
    """The best answering sentence's score on the pages and its chunk's (negated) index, with the marks and the
    shown text it was judged by: the message's own words first, then its standalone question's; what the
    previous answer did not show first ("多久生效" after "额度用完了要等多久": not the same line). None: none."""
    for said in (message, standalone):
        marks = asked_marks(said, kinds)
        for shown in (flat, ""):
            # a tie goes to the page whose title is most about the asked thing ("一个网卡最多绑几个安全组": 安全组规则说明,
            # not 网络 ACL 与安全组的区别's comparison row), then to the page cited first
            scored = [(best_answer(c.get("text") or "", _heading(c), kinds, marks, shown),
                       _title_share(titles.get(source, ""), marks), -i) for i, (source, c) in enumerate(pages)]
            top, _, at = max(scored)
            # (a verification or a step that did not help is its line's form alone: "换了以后怎么确认好了")
            if (top > 0 or (top == 0 and says_step(kinds))) and (not shown or 2 * top >= _best_score(pages, kinds, marks)):
                # a line shown already is asked again when no other comes near it ("额度用完了啥时候恢复" after
                # an answer that named the reset in passing)
                return top, at, marks, shown, kinds
    return None


def _title_share(title: str, marks: Marks) -> float:
    """How much of a page's title the message's marks cover (its score over its characters and words)."""
    size = len(_CJK.findall(title)) + len(_LATIN.findall(title.lower()))
    return sentence_score(title, marks) / size if size else 0.0


def _best_score(pages: Sequence[tuple[str, dict[str, Any]]], kinds: list[Kind], marks: Marks) -> int:
    return max((best_answer(c.get("text") or "", _heading(c), kinds, marks) for _, c in pages), default=-1)


def page_passage(source: str, chunk: dict[str, Any], known: Sequence[PassageData], base: str,
                 title: str) -> PassageData:
    """A page chunk as a selected passage (title and base as a retrieved passage of its page has them)."""
    same = next((p for p in known if p.get("source") == source), None)
    heads = list(chunk.get("heading_path") or [])
    return {"chunk_id": str(chunk.get("chunk_id") or ""), "source": source,
            "title": (same or {}).get("title") or title or source, "heading_path": heads,
            "text": chunk.get("text") or "", "kind": chunk.get("kind") or "doc", "score": 0.0,
            "kb": (same or {}).get("kb") or base, "meta": {"match": "strong", PRIOR_PAGE: True}}
