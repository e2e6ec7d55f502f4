"""The line judging the very action a yes-or-no question asks about.

    action = asked_action(terms, "根域名能直接加一条 cname 指到 cdn 上吗")   # {cname, cdn, 直接, …}
    judges_action(action, "因此根域名在原则上不能设置 CNAME。")              # True

"快照能跨地域复制吗", "改了参数要重启吗", "那我先删点数据能恢复写入不": the user asks whether an action can
be done, is needed or will happen, and the page answers in its own words with a verdict word (不能, 不支持,
无需, 不会, 只能, 必须, 不可逆 …) in the sentence naming that action. Sharing many words with the question
is not enough: a defaults row ("long_query_time 默认 1 秒") or a scenario list shares more of a spoken
question than the sentence "修改后立即生效，无需重启" does, and without the verdict the reply gives the user
a procedure or a neighbouring fact and leaves the question open.

- `asked_action`: the question's terms written after the modal verb of its asking clause (能 / 可以 / 要 /
  需要 / 得 / 会 …, or an A-not-A form), or before a closing ask ("不打快照可以吗", "直接 rm 就行了吧"),
  each weighing alike: the action judged. The subject before the modal is what the page is about, which
  every line of the page shares.
- `judges_action`: a prose line holding a verdict word (`JUDGING`) and a word of the asked action; a bare
  "可以，…" judges what its page question asks (SAME_ACTION). `answers_action`: a FAQ entry may lead.
- `bare_verb_action`: when no term names the action, the verb written alone after the modal ("连接会断吗": "断"),
  where few of the evidence's lines hold it (graph/value_fact.best_fact).
- `verdict_passage`: for a yes-or-no question whose evidence holds no verdict (`holds_verdict`), the section
  of an evidence page holding the best line judging the action (`meta.added` "verdict"), as
  graph/value_scan.value_passage brings the section stating an asked quantity.
Used by graph/value_fact.best_fact, graph/faq_entry.lead_faq and graph/evidence.build_evidence;
tested in tests/graph/test_verdict_line.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.chunk_passage import page_section
from graph.doc_units import parse_units
from graph.answer_shape import page_questions
from graph.asked_clause import _CLAUSE  # the message's clause boundaries, as graph/asked_clause reads them
from graph.echo import plays_symptom_role
from graph.plan_check import CAUTION, asks_first, marker, plan_text, points, proposes, spoken_verbs, stem
from graph.relevance import QuestionTerms, coverage, found, title_context

BARE = re.compile(r"^(?:不?(?:可以|可行|允许|能|会|支持|需要|行)|是的?|否)[。，,！!；;]")
"""A bare yes or no opening a line ("可以，但…", "不能。"): it answers the page's own question before it."""
JUDGING = re.compile(r"不能|必[须加填选要]|不可以|不可(?!见|用区)|无法|不行|不支持|不提供|不允许|不接受|禁止|不会|"
                     r"不需要|无需|不必|不用|只能|不建议|不要|仅能|仅支持|务必|硬性|固定为|会被拒绝|不影响|不可行|"
                     r"不可逆|不受影响|" + BARE.pattern)
"""A verdict in the page's own words: a modal or a need negated or restricted, or a bare yes or no."""

_MODAL = re.compile(r"能不能|能否|可不可以|可以|要不要|需不需要|需要|用不用|会不会|得不得|是不是(?:一定|必须)?(?:得|要)?|"
                    r"必须|(?<![性功技智本可])能|(?<![主重需只想])要|(?<![机社学开约])会(?![话员议])|(?<![获觉记取懂值使显])得(?!到)|该")
"""A modal verb of a yes-or-no ask: what follows it is the action judged."""
_CLOSING = re.compile(r"(?:行不行|行不|行吗|行吧|可以吗|可以不|可以吧|好吗|好不好|对吗|对不对|没问题吧|没事吧|"
                      r"就(?:行|好|够)了?吧|有(?:问题|影响)吗)[？?。！!\s]*$")
"""An ask closing the clause ("不加 nofail 行不行", "直接 rm 就行了吧"): the action is the proposal before it."""
_AGAIN = re.compile(r"再(?![见生])")
"""A repeat of the action ("再共享", "再次", "再改"): "共享镜像不能被对方再次共享" judges it, "可以共享吗？可以。" not."""
_COUNT_WORD = re.compile(r"^(?:[一两二三四五六七八九十几半]|\d+)[个条台块次张种份家点些下]?$")
"""A numeral with its measure word ("一条", "一点"): how much, not which action."""
ACTION_SHARE = 0.5
"""Weight a line's share of the asked action adds when it judges it (graph/value_fact.best_fact)."""
PLAN_SHARE = 1.0
"""The same for a plan the user states (`ProposedAction`): the line judging the plan is the answer, however few
of the words around the plan ("以后", the subject every line shares) it holds."""


def _asking_clause(question: str) -> str:
    """The last clause holding a modal (the one that asks), else the last clause."""
    parts = [p.strip() for p in _CLAUSE.split((question or "").lower()) if p.strip()]
    with_modal = [p for p in parts if _MODAL.search(p) or _CLOSING.search(p)]
    return with_modal[-1] if with_modal else (parts[-1] if parts else "")


def _action_text(clause: str) -> str:
    """The words of the asking clause naming the action: before a closing ask ("不打快照可以吗"), else after
    its last modal ("能不能…要重启": the second)."""
    closing = _CLOSING.search(clause)
    if closing:
        return clause[:closing.start()]
    modal = None
    for modal in _MODAL.finditer(clause):
        pass
    return "" if modal is None else clause[modal.end():]


class ProposedAction(QuestionTerms):
    """The action a plan the user states proposes (graph/plan_check.py): a caution, a consequence or what to do
    instead judges it as a verdict word does ("会清空磁盘上的所有数据" judges "我准备先格式化再挂载，行不行"), and
    a spoken verb is found by its verb character ("改大" in "创建后不能修改", graph/plan_check.stem)."""

    def share(self, text: str) -> float:
        """Weighted share of the plan's words found in the text, each as written or by its stem."""
        low = (text or "").lower()
        got = sum(w for t, w in self.weights.items() if found(t, low) or found(stem(t), low))
        return got / self.total if self.total > 0 else 0.0


def _share(action: QuestionTerms, text: str) -> float:
    """Share of the asked action the text names (a plan's words also by their stems)."""
    return action.share(text) if isinstance(action, ProposedAction) else coverage(action, text)


def asked_action(terms: QuestionTerms, question: str) -> QuestionTerms:
    """The question's terms naming the action its asking clause asks about (empty when it names none); when
    the message proposes a plan and its ask names no action ("…，可以吗", "这样行不行"), the plan's words
    (`ProposedAction`), less its markers ("直接", "先": graph/plan_check.marker)."""
    after = _action_text(_asking_clause(question))
    plan = proposes(question)
    words = {t: w for t, w in _action_words(terms, after).items() if not (plan and points(t))}
    if not plan or words:
        return QuestionTerms(words)
    # "我打算先让客户端把证书校验关掉，可以吗", "…，这样行不行": the ask names no action, the plan does
    plan_words = plan_text(question)
    words = {t: w for t, w in _action_words(terms, plan_words).items() if not marker(t)}
    first = {"先": 1.0} if asks_first(after) else {}  # "用不用先做点什么": the line saying what comes first
    return ProposedAction({**words, **first, **{v: 1.0 for v in spoken_verbs(plan_words) if not any(v in t for t in words)}})


def _action_words(terms: QuestionTerms, after: str) -> dict[str, float]:
    """The question's terms found in the text naming the action, each weighing 1."""
    # each word alike: a rare object ("ssd") would outweigh the verb beside it, and every line of the page names the object
    words = {t: 1.0 for t in terms.own().weights if found(t, after) and not _COUNT_WORD.match(t)}
    if words and _AGAIN.search(after):  # "能再共享吗" asks a second sharing: a page question on sharing asks another action
        words["再"] = 1.0
    return words


def _bare_verb(after: str) -> set[str]:
    """The verb written alone after the modal, when no term of the question stands there ("连接会断吗": "断", which
    "不会中断连接" judges): a one-character verb is no term of its own, yet it is the action asked."""
    verb = _ASK_TAIL.sub("", after).strip()
    return {verb} if _CJK.fullmatch(verb) and len(verb) <= BARE_VERB else set()


def bare_verb_action(question: str, texts: Sequence[str]) -> QuestionTerms:
    """When no term of the question names the action, the verb written alone after the modal (`_bare_verb`), if
    few of the evidence's lines (`texts`) hold it: "断" tells the line "不会中断连接" apart; "开" is in every line
    of an invoice page ("开票", "开具") and judges none of them."""
    verbs = _bare_verb(_action_text(_asking_clause(question)))
    held = sum(any(v in t for v in verbs) for t in texts)
    return QuestionTerms({v: 1.0 for v in verbs}) if verbs and held <= BARE_SHARE * len(texts) else QuestionTerms()


BARE_SHARE = 0.2
"""Share of the evidence's lines a verb read alone may be held by and still tell the line judging it apart."""
BARE_VERB = 2
"""Characters at most of a verb read alone after the modal (longer text holds terms of its own)."""
_ASK_TAIL = re.compile(r"[吗么嘛呢啊呀吧不没了？?。！!\s]{1,6}$")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LABEL = re.compile(r"[问答][：:]")
_SENTENCE = re.compile(r"[^。！!；;？?\n]+[。！!；;？?]?")
"""A FAQ entry's label ("问：", "答：") and its sentences, each with its closing mark ("可以。" is a bare yes)."""


SAME_ACTION = 0.99
"""Share (all, but for rounding) of the asked action a page's own question ("**Q：系统盘可以选极速 SSD 云盘吗？**") must name for
the line answering it ("可以，…") to judge the asked action: its yes or no is about the action it asks."""


def judges_action(action: QuestionTerms, text: str, asked_by: str = "") -> bool:
    """The line gives a verdict (`JUDGING`) on the asked action: it names a word of it, or it answers a page's
    own question (`asked_by`) asking that action; a bare "可以，…" judges only what its page question asks."""
    judging = CAUTION if isinstance(action, ProposedAction) else JUDGING
    if action.total <= 0 or not (judging.search(text or "") or JUDGING.search(text or "")):
        return False
    asks_it = bool(asked_by) and coverage(action, asked_by) >= SAME_ACTION
    return asks_it if BARE.match(text or "") and asked_by else asks_it or _share(action, text) > 0


def action_score(action: QuestionTerms, text: str, kind: str, asked_by: str = "") -> float:
    """What judging the asked action adds to a prose line's score: ACTION_SHARE times its share of the action
    (read with the page question it answers)."""
    if kind not in _LINES or not judges_action(action, text, asked_by):
        return 0.0
    weight = PLAN_SHARE if isinstance(action, ProposedAction) else ACTION_SHARE
    return weight * _share(action, f"{asked_by} {text}")


def answers_action(action: QuestionTerms, entry_question: str, text: str) -> bool:
    """A FAQ entry (or a section of several) may answer a yes or no: one of its answers gives a verdict, and
    an answer opening with a bare one ("可以。") gives it on its own question's action, which must be the
    asked one ("能共享给其他账号吗？可以。" does not answer "能直接拿来开机器吗"); an entry giving only a
    default or a duration ("默认为 1 秒") answers another question."""
    asked = entry_question
    answer: list[str] = []
    for part in _SENTENCE.findall(_LABEL.sub(" ", text or "")):
        part = part.strip(" *")
        if part.endswith(("？", "?")):  # a question opens the next answer
            if _gives(action, asked, answer):
                return True
            asked, answer = part, []
        elif part.strip("。"):
            answer.append(part)
    return _gives(action, asked, answer)


def _gives(action: QuestionTerms, asked: str, answer: list[str]) -> bool:
    """One answer gives a verdict on the asked action (see `answers_action`)."""
    if not answer:
        return False
    if BARE.match(answer[0]):
        return judges_action(action, answer[0], asked or " ")
    return any(JUDGING.search(p) for p in answer)


_LINES = ("sentence", "item", "leadin")
"""Prose lines: a table row lists cells ("CNAME 冲突（只能有一条）"), the verdict is stated in prose (as
graph/value_fact.judges reads it)."""


def _judging_lines(text: str, kind: str, action: QuestionTerms, terms: QuestionTerms) -> float:
    """The best score of a chunk's lines judging the action (0 when none does)."""
    units = parse_units(text or "", kind or "doc")
    asked = page_questions(units)
    best = 0.0
    for u in units:
        by = asked.get(id(u), "")
        if action_score(action, u.text, u.kind, by) > 0:
            best = max(best, _share(action, f"{by} {u.text}") + coverage(terms, u.text))
    return best


SETTLED = 0.5
"""Share of the question a line stating a verdict in words ("单个安全组 200 条规则是硬性限制") must cover for the
evidence to hold the answer already, though it names none of the asked action's words."""


def holds_verdict(passages: Sequence[Mapping[str, Any]], action: QuestionTerms, terms: QuestionTerms) -> bool:
    """Some evidence passage (not a symptom section: "无法再添加 TXT" is the failure reported) has a prose line
    judging the asked action, or stating a verdict in words on most of the question."""
    for p in passages:
        if plays_symptom_role(p.get("heading_path") or []):
            continue
        if isinstance(action, ProposedAction) and p.get("kind") == "faq":
            continue  # a FAQ answer sums the subject up; the page's own line judges the very plan stated
        units = parse_units(p.get("text") or "", p.get("kind") or "doc")
        asked = page_questions(units)
        for u in units:
            if u.kind not in _LINES:
                continue
            if judges_action(action, u.text, asked.get(id(u), "")) or (
                    JUDGING.search(u.text) and not BARE.match(u.text) and coverage(terms, u.text) >= SETTLED):
                return True
    return False


def verdict_passage(pages: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]], terms: QuestionTerms,
                    question: str, have: set[str]) -> dict | None:
    """Over the evidence's pages (a passage of each, with all its chunks): the chunk holding the best line
    judging the asked action, as an evidence passage (`meta.added` "verdict"); None when the question
    names no action, no line judges it, or its chunk is in evidence already (`have`: chunk ids)."""
    action = asked_action(terms, question)
    if action.total <= 0:
        return None
    best: tuple[float, Mapping[str, Any], Mapping[str, Any]] | None = None
    for page, doc_chunks in pages:
        for chunk in doc_chunks:
            if plays_symptom_role(chunk.get("heading_path") or []):
                continue  # "现象": the failure the user reports ("无法再添加 TXT"), not the page's verdict
            score = _judging_lines(chunk.get("text") or "", chunk.get("kind") or "doc", action, terms)
            score += 0.5 * coverage(terms, f"{title_context(page)} {' '.join(chunk.get('heading_path') or [])}") \
                if score else 0.0
            if score > 0 and (best is None or score > best[0] + 1e-9):
                best = (score, page, chunk)
    if best is None or best[2].get("chunk_id") in have:
        return None
    _, page, chunk = best
    return page_section(page, chunk, "verdict")
