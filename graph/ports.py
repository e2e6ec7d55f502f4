"""Ports: exactly what the graph uses of the layers below it, as Protocols.

`GraphContext` is typed by these, so a reader (and mypy) can follow a message from a
node into the knowledge base, the runbook engine, the adapter router or the embedder.
The real implementations (`knowledge.service.KnowledgeService`,
`tools.runbooks.RunbookEngine`, `tools.registry.ToolRegistry`, `models.router.AdapterRouter`,
`models.embeddings`) and
the test fakes (`tests/graph/fakes.py`) are checked against them in
`tests/graph/test_ports.py`. Add a method here only when a node needs it.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Protocol, Sequence, runtime_checkable

from knowledge.types import Passage
from models.llm.base import AdapterChoice
from tools.base import ToolResult
from tools.runbooks.schema import Runbook
from tools.runbooks.state import RunbookOutput, RunbookState


@runtime_checkable
class KnowledgePort(Protocol):
    """Search, select and describe knowledge bases."""

    def search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        """Hybrid retrieval, best first."""
        ...

    def search_bases(self, query: str, kbs: Sequence[str], k: int = 8) -> list[Passage]:
        """Hybrid retrieval across several bases fused into one ranking (each passage names its base)."""
        ...

    def keyword_search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        """The keyword (BM25) ranking alone, best first: what a base answers before its vectors exist."""
        ...

    def select(self, query: str, passages: list[Passage], max_passages: int = 4,
               alternatives: Mapping[str, Sequence[str]] | None = None) -> list[Passage]:
        """The passages worth answering from, most relevant LAST. `alternatives`: {colloquial word of
        the query: documentation terms} (graph.expansion.synonym_groups); a passage holding a term
        holds the word."""
        ...

    def document_chunks(self, kb: str, source: str) -> list[dict[str, Any]]:
        """A document's chunks in order: `{"chunk_id","heading_path","text","indexed_text","kind"}`
        (evidence grows a found chunk into its whole section)."""
        ...

    def lexicon(self, kb: str | Sequence[str] | None = None) -> set[str]:
        """Domain terms mined at ingest (lower-cased)."""
        ...

    def iter_chunks(self, kb: str | None = None) -> Iterator[Passage]:
        """Every chunk of a base (all bases when kb is None)."""
        ...

    def list_kbs(self) -> list[dict[str, Any]]:
        """Summaries `{"name","documents","chunks","dense_coverage"}`."""
        ...

    # corpus statistics stored with the index (graph/vocabulary.py): never a rescan of the chunks
    def generation(self, kb: str | Sequence[str] | None = None) -> int:
        """Changes whenever the base's lexical index does (cache key)."""
        ...

    def tokenize(self, text: str, kb: str | Sequence[str] | None = None) -> list[str]:
        """Tokens as the base's index makes them."""
        ...

    def doc_frequencies(self, tokens: list[str], kb: str | Sequence[str] | None = None) -> tuple[int, dict[str, int]]:
        """(chunks in the base, {token: chunks containing it})."""
        ...

    def cooccurrence(self, token: str, others: list[str], kb: str | Sequence[str] | None = None) -> tuple[int, int]:
        """(chunks containing `token`, those also containing one of `others`)."""
        ...

    def topics(self, kb: str | Sequence[str] | None = None) -> list[str]:
        """Domain terms most of the base's document titles use, as written."""
        ...

    def word_counts(self, kb: str | Sequence[str] | None = None) -> dict[str, int]:
        """{word: chunks} of the base's words in 2+ chunks that typo correction can match."""
        ...

    def aliases(self, kb: str | Sequence[str] | None = None) -> dict[str, list[str]]:
        """{english phrase: [Chinese terms]} the base states in its pages ("弹性公网 IP（EIP）")."""
        ...

    def has_kb(self, name: str) -> bool:
        ...

    # a vector server that cannot be reached: searches rank by keywords and the turn says so
    def vector_fallbacks(self) -> int:
        """Searches so far that fell back to keywords because the vector server was unreachable."""
        ...

    def vector_notice(self, since: int) -> str | None:
        """The Chinese warning when a search after the count `since` fell back (None: nothing to say)."""
        ...


@runtime_checkable
class RunbookPort(Protocol):
    """Match a question to a runbook, start it and advance it with the agent's replies."""

    def match(self, question: str, kb: str | Sequence[str] | None = None) -> tuple[str, float] | None:
        """The best runbook in scope for knowledge base `kb` (several: any of them; None: any runbook) and its
        score, or None below the threshold."""
        ...

    def get(self, runbook_id: str) -> Runbook:
        """The runbook definition."""
        ...

    def start(self, runbook_id: str, question: str, session: str, user: str,
              kb: str | Sequence[str] | None = None) -> RunbookState:
        """A new run state; its citations and knowledge tools search `kb` (several chosen: the first the
        runbook is in scope for)."""
        ...

    def advance(self, state: RunbookState, reply: str | None = None,
                user: str | None = None) -> tuple[RunbookState, list[RunbookOutput]]:
        """Apply the reply and run until the flow waits or ends: (new state, outputs)."""
        ...


@runtime_checkable
class ToolPort(Protocol):
    """The diagnostic tools an investigation may call, through the one gate every call passes
    (validation, target policy, rate limit, approval, timeout, audit)."""

    def specs(self) -> list[dict[str, Any]]:
        """Per tool: name, description, risk, network, args / parameters (JSON schema)."""
        ...

    def invoke(self, name: str, args: dict[str, Any], session: str, user: str, approved: bool = False,
               dry_run: bool = False, runbook: str | None = None) -> ToolResult:
        """Run one call through every check; a failed call is a result, never an exception."""
        ...

    def record_approval(self, *, session: str, user: str, tool: str, args: dict[str, Any],
                        decision: str, runbook: str | None = None) -> None:
        """Audit: who approved or rejected which changes_something call."""
        ...


@runtime_checkable
class AdapterRouterPort(Protocol):
    """Chooses the LoRA adapter (or the base model) for one sub-question."""

    def choose(self, question: str, domain: str | None, in_domain: bool) -> AdapterChoice:
        ...

    def choose_agent(self, question: str, domain: str | None) -> AdapterChoice:
        """The adapter for an investigation (the model calling tools)."""
        ...


@runtime_checkable
class EmbedderPort(Protocol):
    """Sentence embeddings (verify's semantic support check)."""

    name: str

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        ...
