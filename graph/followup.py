"""Follow-up or new topic: one sub-question made standalone from the conversation, deterministically.

    thread = thread_of(history, resolver)        # what the conversation is about so far
    resolver.resolve("第二个方法呢", thread)       # Resolution(standalone, decision, focus)

Decisions: `new_topic` (the message stands on its own — its own subject, or an opener like
另外/顺便问下 — and is never prefixed with the old topic), `follow_up` (it leans on the
conversation), `clarify` (it points at something — 它、这个参数、第二个方法、那 X 呢 — but there
is nothing to resolve against: ask instead of guessing). What a follow-up can lean on, in order:
an item of a list the assistant gave (第三步 / 后面那个 / 前一种), an item the assistant named
(这个参数 -> long_query_time, 那个汇总工具 -> pt-query-digest; both in graph/answer_refs.py), "那 X 呢" (the previous question
about X), a pronoun (它 -> the previous subject), and a question without a subject of its own
(改过端口后还要做什么 -> SSH …); after a question that only described a problem, what the answer was
about (graph/answered.py); another way than the one given (还有别的办法吗, graph/alternatives.py).
What a message names and what a follow-up is anchored on live in graph/thread_subjects.py (the base
class). The standalone question is never empty. Tests: tests/graph/test_followup.py,
tests/graph/test_follow_on_asks.py.
"""

from __future__ import annotations

import re
from typing import Any

from graph.alternatives import alternative_ask, asks_alternative, without_excluded
from graph.answer_refs import (Resolution, configured_item, named_reference, noun_named, nth_named,
                               ordinal_reference, sole_setting)
from graph.references import Ordinal, demonstrative_of, ordinal_of
from graph.created import created_thing
from graph.crosslingual import documentation_words
from graph.english_followup import as_cues, spelled
from graph.language import message_language
from graph.list_kind import ordinal_kind
from graph.substitution import clean_item, substitute, without_kept
from graph.answered import DESCRIBED, ERROR_PHRASE, answered_subject, other_case, own_case, without_cases
from graph.subject import subject_of
from graph.thread import Thread, thread_of
from graph.cues import (ATTRIBUTES, ASK_FOR_HELP, ASKS, CONTINUES, FILLER, LEAD_PRONOUN, POSSESSIVE, PROBLEM_REF, PRONOUN, REQUEST,
                        SWITCH, TRAILING_PRONOUN, TRIM, WHAT_IF, after_openers, pointer_of, tidy, what_if_item,
                        without_dangling_facet)
from graph.thread_subjects import ThreadSubjects

__all__ = ["CONTINUES", "SWITCH", "TRIM", "FollowUps", "Resolution", "Thread", "pointer_of", "thread_of"]


class FollowUps(ThreadSubjects):
    """Resolves sub-questions against a thread with the KB's terms (and vocabulary, when given)."""

    @classmethod
    def for_context(cls, ctx: Any, kb: Any) -> "FollowUps":
        """The resolver of a knowledge base: its lexicon, vocabulary and spelling fixer (cached per KB)."""
        from graph.questions import domain_terms
        from graph.spelling import SpellingFixer

        from tools.runbooks.scope import products_of

        name = ctx.kb_name(kb)
        vocab = ctx.vocabulary.get(ctx.knowledge, name)
        bases = [name] if isinstance(name, str) or name is None else list(name)
        products = {p for b in bases for p in products_of(ctx.knowledge, b)}
        return cls(domain_terms(vocab.lexicon, products), vocab, SpellingFixer.for_vocabulary(vocab))

    # -- the decision -----------------------------------------------------------------------

    def resolve(self, question: str, thread: Thread, fresh: bool = False, goes_on: bool = False,
                aside: bool = False) -> Resolution:
        """The standalone question and its decision (see `_resolve`), without a facet said as an aside."""
        found = self._resolve(question, thread, fresh, goes_on, aside)
        found.standalone = _said_once(without_dangling_facet(found.standalone))
        if message_language(question) == "en" and message_language(found.standalone) != "en":
            # "What about step 3?" -> "expand cloud disk：扩展分区…": the English words in the documentation's
            found.standalone = tidy(documentation_words(found.standalone))
        return found

    def _resolve(self, question: str, thread: Thread, fresh: bool = False, goes_on: bool = False,
                 aside: bool = False) -> Resolution:
        """`fresh`: the message opened with 另外/顺便问下 (split removed it): a new topic. `goes_on`: it
        opened with 那/那么/还/也 (continuing): a subject without a product or code of its own is the thread's.
        `aside`: asked while a runbook waits: a subject of its own is not taken for the thread's by KB
        co-occurrence alone (a side question is usually a new one)."""
        goes_on = goes_on or bool(CONTINUES.match(question.strip()))
        text = question.strip().strip(TRIM) or question.strip()
        if self.fixer is not None:
            text = spelled(text, self.fixer)
        if message_language(text) == "en":
            text = as_cues(text)  # "What about step 3?" -> "那第3步呢"
        opened = after_openers(text)
        if opened and text[opened:].strip(TRIM):
            return Resolution(text[opened:].strip(TRIM), "new_topic")
        if fresh:
            return Resolution(text, "new_topic")
        if thread.pending and not ASKS.search(text) and len(text) <= 24:
            return Resolution(self._complete(thread.pending, text), "follow_up", clean_item(text), "swap")
        if thread.pending:
            thread = Thread()
        ordinal, ref = ordinal_of(text), demonstrative_of(text)
        what_if = WHAT_IF.match(text)
        if thread.empty:
            if self.points_back(text, ordinal, ref, what_if):
                return Resolution(text, "clarify")
            return Resolution(FILLER.sub("", text) or text, "new_topic")
        return self._follow(text, thread, ordinal, ref, what_if, goes_on, aside)

    def names_own_thing(self, question: str) -> bool:
        """Does the sub-question name a thing of the base, once its spelling is fixed ("锁等代超时")? An
        attribute word alone names none ("最多能共享给几个账号": the account of what the message asked about),
        unless it ends a compound setting name ("锁等待超时", "回源超时")."""
        text = spelled(question, self.fixer) if self.fixer is not None else question
        if not self.names_thing(text):
            return False
        low = text.lower()
        return any(t not in ATTRIBUTES or _QUALIFIED.search(low[:low.find(t)]) for t in self.terms.all_in(text))

    def points_back(self, text: str, ordinal: Ordinal | None = None, ref: Any = None, what_if: Any = None) -> bool:
        """Does the message point at something it does not say (它, 这个参数, 第二个方法, 那 X 呢)?

        "X 呢" points back only when nothing before 呢 asks ("ssh 连不上是什么原因呢" is a question of its
        own); an ordinal, a demonstrative or "X 的是…" only when the message names nothing of its own
        ("第三方框架连 tidb…", "最后提交时报 ERROR 9006", "只读库读到的是旧数据" stand alone)."""
        if what_if is not None and not ASKS.search(re.sub(r"呢\s*$", "", text)):
            return True
        lead = LEAD_PRONOUN.match(text)
        if lead is not None and lead.group(1) in ("它", "它们", "其"):
            return True
        if ordinal is None and ref is None and lead is None and not POSSESSIVE.match(text):
            return False
        return not [e for e in self.entities(text) if not re.fullmatch(r"\d+", e)]

    def _follow(self, text: str, thread: Thread, ordinal: Ordinal | None, ref: Any, what_if: Any,
                goes_on: bool = False, aside: bool = False) -> Resolution:
        keep = (thread.focus, thread.focus_kind) if thread.focus_kind == "named" else ("", "")
        if REQUEST.match(text) or (ASK_FOR_HELP.search(text) and not self.entities(text)):
            # "帮我排查一下", "机器 IP 是 203.0.113.10，帮我看看": the previous problem, now as a request
            return Resolution(f"{thread.question}，{FILLER.sub('', text) or text}", "follow_up")
        if ordinal is not None:
            found = ordinal_reference(text, thread, ordinal, self.subject, self.entities) \
                or nth_named(text, thread, ordinal, self.subject)
            if found:
                return found
        if ref is not None:
            found = named_reference(text, thread, ref)
            if found:
                return found
        same = _SAME.match(text)
        if same and not what_if and not aside and text[same.end():].strip(TRIM):
            # "那同样 4 核的计算型，内存给多大": 同样 says the previous question's own constraint holds, so it
            # leans on that question even when it names a case of its own — its words, the anchor when it names no thing
            body = text[same.end():].strip()
            prefix = "" if self.names_thing(body) else f"{self.anchor(thread, body)} "
            return Resolution(tidy(f"{prefix}{body}"), "follow_up", *keep)
        if asks_alternative(text) and not aside and not self.names_new(text, thread):
            # "业务停不了 不关机还有别的办法吗": another way for the conversation's problem, not a subject of its own
            # (anchored on the ask alone: the words that rule a way out name no thing the ask is about)
            body = without_excluded(FILLER.sub("", text))
            return Resolution(tidy(f"{self.anchor(thread, alternative_ask(text))} {body}"), "follow_up", *keep)
        problem = PROBLEM_REF.search(text)
        if problem and not any(re.search(r"\d{3,}|[A-Z][a-z]+[A-Z]", e) for e in self.entities(text)):
            # "用 SDK 也报这个错怎么办": the error the conversation is about
            body = text[:problem.start()] + self.problem(thread) + text[problem.end():]
            return Resolution(tidy(body), "follow_up", *keep)
        possessive = POSSESSIVE.match(text)
        if possessive and _MADE.search(possessive.group(1)) and not self.entities(possessive.group(1)):
            # "做好的能给别的账号用吗": the thing the conversation made (a verb + 好/完 and 的), not an owner
            return Resolution(tidy(f"{self.anchor(thread, text)} {possessive.group(2)}"), "follow_up", *keep)
        if possessive and PRONOUN.fullmatch(possessive.group(1)):
            possessive = None  # "这种的要重启机器吗": the thing pointed at (the pronoun's), not an owner named 这种
        if possessive and not self.own_topic(possessive.group(2), thread):
            item, rest = possessive.group(1), possessive.group(2)
            return Resolution(tidy(f"{item} 的 {self.anchor(thread)} {rest}"), "follow_up", clean_item(item), "swap")
        if what_if:
            item = what_if_item(what_if)
            if item and _NEXT.fullmatch(item):
                # "然后呢" / "下一步呢": what comes after what the answer laid out — no case to swap in
                return Resolution(tidy(f"{self.anchor(thread, text)} {item}怎么做"), "follow_up", *keep)
            if item and not PRONOUN.search(item) and not ASKS.search(item):
                # ("要是扩多了还能改小回去吗" asks on its own: a condition and a new ask, not the previous question)
                return self._swap(item, thread)
        lead = LEAD_PRONOUN.match(text)
        span = lead.span(1) if lead else None
        if span is None:
            early = PRONOUN.search(text[:6])
            span = early.span() if early and not self.entities(text[:early.start()]) else None
        if span is not None:
            item = configured_item(text[span[1]:], thread, self.subject)
            if item:  # "它在哪配？": the setting the answer named
                body = text[:span[0]] + item + " " + text[span[1]:]
                return Resolution(tidy(FILLER.sub("", body)), "follow_up", item.split()[-1], "named")
            it = lead is not None and lead.group(1) in ("它", "它们")
            made = created_thing(text[span[1]:], thread.answer, self.entities) if it else ""
            if made:  # "它必须绑 EIP 吗" after "创建 NAT 网关 … 绑定弹性公网 IP": the NAT gateway (of the topic)
                body = text[:span[0]] + made + " " + text[span[1]:]
                return Resolution(tidy(FILLER.sub("", body)), "follow_up", made, "named")
            pointer = text[span[0]:span[1]] in _POINTERS
            named = next((n for a in (thread.answer, *thread.earlier) if (n := noun_named(text[span[1]:], a))),
                         None) if pointer else None
            if named:  # "那个代理没装的话怎么装": the agent the answer named (ss-agent), of the conversation's topic
                noun, name = named
                topic = self.subject(thread.topic) if thread.topic else ""
                body = f"{text[:span[0]]}{topic} {noun} {name} {text[span[1]:].lstrip()[len(noun):]}"
                return Resolution(tidy(FILLER.sub("", body)), "follow_up", name, "named")
            body = f"{text[:span[0]]}{self.anchor(thread, text)} {text[span[1]:].lstrip('的 ')}"
            return Resolution(tidy(FILLER.sub("", body)), "follow_up", *keep)
        trailing = TRAILING_PRONOUN.search(text)
        avoid = _AVOID.search(text[:trailing.start()]) if trailing else None
        if trailing and avoid and avoid.start() > 0:
            # "以后清正在写的日志该咋清才不会这样": how to do it so the problem does not come back — the ask
            # about the conversation's problem, not the problem's words spliced into the ask
            body = FILLER.sub("", text[:avoid.start()])
            return Resolution(tidy(f"{self.anchor(thread, body)} {body}"), "follow_up", *keep)
        if trailing:  # "磁盘满为啥也会导致这个": the problem the conversation is about
            return Resolution(tidy(text[:trailing.start()] + self.problem(thread)), "follow_up", *keep)
        if ordinal is not None:  # a list the answer did not give: at least keep the topic
            # (a step asked of it is a step of the page's procedure: "步骤" leads to that section)
            steps = " 步骤" if ordinal_kind(text, ordinal) == "step" and "步骤" not in text else ""
            return Resolution(tidy(f"{self.anchor(thread, text)}{steps} {text}"), "follow_up")
        case, rest = own_case(text)
        if case and len(rest) <= 12 and not aside:
            # "我是 windows 电脑，咋查 NS": the conversation's short ask for the user's own case
            return Resolution(tidy(f"{self.anchor(thread, rest)} {case} {FILLER.sub('', rest)}"), "follow_up",
                              case, "swap")
        if _SIDE.match(text):  # "nginx 那边具体该怎么配": the conversation's problem, on nginx's side
            first = re.split(r"[，,。；;？?]", thread.topic or thread.question)[0].strip()
            whole = answered_subject(thread, self.terms, named=False) \
                or (first if 0 < len(first) <= 40 else self.problem(thread))
            return Resolution(tidy(f"{whole} {FILLER.sub('', text)}"), "follow_up", *keep)
        if _CASE_CLAUSE.search(text) and not aside and self.all_said(text, thread):
            # "证书挂在 clb 上的话怎么换": the conversation's problem in a case the conversation already named
            # (a clause with 的话 leans on what was said; its words alone find no page that answers it)
            # — the problem's words, not its error code: the code's own FAQ entry would answer the code again
            base = tidy(_CODE.sub(" ", ERROR_PHRASE.sub(" ", self.problem(thread)))) or self.problem(thread)
            return Resolution(tidy(f"{base} {FILLER.sub('', text)}"), "follow_up", *keep)
        setting = sole_setting(text, thread) if not self.entities(text) and not aside else ""
        if setting and not self.own_topic(text, thread, goes_on, aside):
            # "最大能设到多少" after an answer that named one setting (tidb_gc_life_time): a limit of that setting
            topic = self.anchor(thread, text)
            keep_topic = topic if setting.lower() not in topic.lower() else ""
            return Resolution(tidy(f"{keep_topic} {setting} {FILLER.sub('', text)}"), "follow_up", setting, "named")
        pointing = ref is not None or any(m.group(0) in _POINTERS for m in PRONOUN.finditer(text))
        if not self.own_topic(text, thread, goes_on, aside, pointing):
            return Resolution(tidy(f"{self.anchor(thread, text)} {FILLER.sub('', text)}"), "follow_up", *keep)
        if goes_on and not aside:
            case = other_case(text, thread, self.entities)
            if case:  # "那 Windows 的机器扩了盘要咋弄": the same action (扩盘) for another case
                subject = self.subject(thread.topic or thread.question)
                anchor = answered_subject(thread, self.terms, named=False) or without_cases(subject, self.entities)
                return Resolution(tidy(f"{anchor} {FILLER.sub('', text)}"), "follow_up", case, "swap")
        return Resolution(FILLER.sub("", text) or text, "new_topic")

    def _swap(self, item: str, thread: Thread) -> Resolution:
        """"那 X 呢": the previous question about X; X with no counterpart there is a condition on it."""
        focus = thread.focus if thread.focus_kind == "swap" else ""
        item = without_kept(item, thread.question)  # "换成极速ssd 同样500G": 同样500G stays as it was
        text, replaced = substitute(thread.question, item, self.terms, self.vocab, focus)
        if not replaced and thread.question == thread.topic and len(subject_of(thread.question)) > DESCRIBED:
            # "那 windows 的机器呢" after "新买的数据盘挂到机器上了，系统里看不到空间 咋初始化": the case with the
            # described question's thing and its last ask, not the whole description (its words outweigh the case's)
            ask = re.split(r"[，,。；;\s]+", thread.question.strip(TRIM))[-1]
            thing = self.terms.phrase(subject_of(thread.question))
            if thing and ASKS.search(ask) and not any(w.lower() in ask.lower() for w in thing.split()):
                return Resolution(tidy(f"{item} {thing} {ask}"), "follow_up", item, "swap")
        if not replaced and _REPORTED.search(item):
            # "那要是报 CredSSP 加密数据库修正 的错呢": another error of the same thing — the error the user quotes first
            # and the conversation's subject, not the previous question's symptom (its words find the old error's fix)
            subject = self.subject(thread.topic or thread.question)
            subject = tidy(ERROR_PHRASE.sub(" ", subject)) or subject
            return Resolution(tidy(f"{item} {subject} 怎么办"), "follow_up", item, "swap")
        if not replaced:
            topic = self.subject(thread.topic) if thread.topic else ""
            known = all(w.lower() in thread.question.lower() for w in topic.split())
            base = thread.question if known else f"{topic} {thread.question}"
            text = f"{item}：{base}"
        return Resolution(tidy(text), "follow_up", item, "swap")

    def _complete(self, pending: str, answer: str) -> str:
        """The clarified question: the user's answer in place of what the pending one pointed at."""
        item = clean_item(FILLER.sub("", answer).strip(TRIM)) or answer.strip(TRIM)
        ref = demonstrative_of(pending)
        if ref is not None:
            return tidy(pending[: ref.span[0]] + item + " " + pending[ref.span[1]:].lstrip("的"))
        lead = LEAD_PRONOUN.match(pending)
        if lead:
            return tidy(pending[: lead.start(1)] + item + pending[lead.end(1):])
        what_if = WHAT_IF.match(pending)
        if what_if:
            return tidy(f"{what_if_item(what_if)} 的{item}")
        return tidy(f"{item} {pending}")


_QUALIFIED = re.compile(r"[^\W\d几个多少能可以要会给把被的了是在最都也还就这那哪啥怎么吗呢]{2}$")
"""Two content characters right before an attribute word: its qualifier ("锁等待|超时"), not an ask ("几个|账号")."""
_REPORTED = re.compile(r"^(?:报|提示|显示|弹出|出现)\s*\S|报错|错误|的错$")
"""An error the user quotes ("报 X 的错", "提示 X", "X 报错"): a problem of its own, not a case of the last question."""
_CODE = re.compile(r"\b[A-Za-z][\w.]*(?:::|_)[\w:.]*")
"""An error code written as an identifier (NET::ERR_CERT_DATE_INVALID, ERR_CONNECTION_REFUSED)."""
_CASE_CLAUSE = re.compile(r"[^\s的]\s?的话[，,\s]{0,3}[^\s，,。？?]")
"""A condition clause with an ask after it ("挂在 clb 上的话怎么换"), not a trailing "…的话"."""
_MADE = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:好|完|过)$")
"""A verb with its result ("做好", "建完", "买过"): "做好的" is the thing made, said without its name."""
_NEXT = re.compile(r"然后|接下来|接着|下一步|之后|再然后|再往后|后续")
""""然后呢": a word for what comes next, not a thing (the "那 X 呢" of another case)."""
_SAME = re.compile(r"^(?:那么|那)?\s*(?:同样|一样)(?:是|的)?\s*(?=[\d\w])")
"""A message that opens saying "the same as before" ("那同样 4 核的…", "一样 500G 的…")."""
_POINTERS = frozenset({"这个", "那个", "这种", "那种"})
"""Words that point at something said before (of cues.PRONOUN, not 该/其 inside 应该/其他)."""
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _said_once(text: str) -> str:
    """A Chinese word said twice in a row, once ("账号 账号 最多给几个": an anchor ending with what the
    ask starts with); a repeated number or command word stays ("growpart /dev/vdb 1 1")."""
    out: list[str] = []
    for piece in re.split(r"(\s+)", text):
        if piece and not piece.isspace() and len(out) >= 2 and out[-1].isspace() and out[-2] == piece \
                and _CJK.search(piece):
            out.pop()
            continue
        out.append(piece)
    return "".join(out)


_AVOID = re.compile(r"[，,\s]*(?:才|就|好)?(?:不会再?|不再|避免|防止|以免|免得)(?:再)?(?:出现|发生|遇到)?\s*$")
"""A purpose clause before a trailing pointer ("…才不会这样"): so that the conversation's problem does not recur."""
_SIDE = re.compile(r"^[^，,。？?\s]{1,20}\s*(?:那边|这边|那头|这头)")
