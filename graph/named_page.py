"""The page an answer builds on names the most specific thing the question names.

A question names what it is about by its entities (graph/relevance.QuestionTerms.entities: "rds",
"cpu", "tikv"); the rarest of them in the base (its highest weight) is the one that tells pages
apart. "rds 的 cpu 长时间 90% 以上…" holds "cpu" for the server page "CPU 使用率 100% 排查" and for
the database's slow-query page alike, but only the second is about rds (its declared product
and tags say so): a page sharing the common word ranked first and answered. A base without declared
names (the corpora) is left as it is. `naming_anchor`: when the
anchor page neither names nor declares the question's rarest entity, clearly rarer than every
entity of the question (RARER), the first candidate whose document declares it (its front-matter
product or tags: the page is about that thing) takes its place: the candidates are
on topic already (graph/evidence.is_on_topic), and a page that never names the thing asked about
does not answer however many of the question's other words it shares. `keeps_named` lets a later
page rule (a diagnosing page, graph/symptom_page.py) replace the anchor only by a page naming that
entity too. Hooked in graph/evidence.build_evidence; tested in
tests/graph/test_page_pick.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.relevance import QuestionTerms, declared_names, names_entity, names_or_declares, with_context

RARER = 1.5
"""How much more the rarest entity must weigh than every other entity of the question to decide:
two names of like rarity ("load", "qps") say nothing about which page is meant."""


def key_entity(terms: QuestionTerms) -> str | None:
    """The question's rarest entity in the base (highest weight), when it weighs RARER times every
    other entity of the question: else none decides."""
    named = sorted((e for e in terms.entities if e in terms.weights), key=lambda e: -terms.weights[e])
    if not named or (len(named) > 1 and terms.weights[named[0]] < RARER * terms.weights[named[1]]):
        return None
    return named[0]


def names_key(terms: QuestionTerms, passage: Mapping[str, Any], entity: str) -> bool:
    """The passage (where it sits, and its document's declared names) names `entity` or an alias of it."""
    return names_or_declares(_only(terms, entity), with_context(passage), passage)


def _only(terms: QuestionTerms, entity: str) -> QuestionTerms:
    """The question's terms reduced to one entity and its aliases."""
    return QuestionTerms({entity: terms.weights.get(entity, 1.0)}, set(), [entity],
                         {entity: terms.aliases.get(entity, set())})


def naming_anchor(anchor: dict, candidates: Sequence[dict], terms: QuestionTerms) -> dict:
    """The first candidate naming the question's rarest entity when the anchor does not (see the
    module docstring); else the anchor."""
    entity = key_entity(terms)
    if entity is None or names_key(terms, anchor, entity):
        return anchor
    return next((p for p in candidates if p is not anchor and declares(terms, p, entity)), anchor)


def declares(terms: QuestionTerms, passage: Mapping[str, Any], entity: str) -> bool:
    """The passage's document declares `entity` among its names (front-matter product and tags,
    `meta.doc_tags`): the page is about that thing, not one mentioning it in passing ("ping" in a
    login page's check list names no product)."""
    declared = declared_names(passage)
    return bool(declared) and names_entity(_only(terms, entity), declared)


def keeps_named(anchor: Mapping[str, Any], other: Mapping[str, Any], terms: QuestionTerms) -> bool:
    """`other` may replace `anchor`: it names the question's rarest entity whenever the anchor does."""
    entity = key_entity(terms)
    return entity is None or not names_key(terms, anchor, entity) or names_key(terms, other, entity)


def keeps_declared(anchor: Mapping[str, Any], other: Mapping[str, Any], terms: QuestionTerms) -> bool:
    """`other` may replace `anchor` on kind alone (graph/symptom_page.reference_yields): its document
    declares the question's rarest entity whenever the anchor's does ("eip 没绑也收钱": the EIP page's
    计费 section, not the arrears page that mentions EIP among other fees)."""
    entity = key_entity(terms)
    return entity is None or not declares(terms, anchor, entity) or declares(terms, other, entity)
