"""Settings of the fine-tuning pipeline (the `models.finetune:` section of the settings file)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LoraSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rank: int = Field(16, ge=1)
    """LoRA rank r (size of the low-rank update)."""
    alpha: int = Field(32, ge=1)
    """LoRA alpha; the update is scaled by alpha / rank."""
    dropout: float = Field(0.05, ge=0.0, lt=1.0)
    """Dropout on the LoRA input."""
    target_modules: list[str] = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    """Module names that get an adapter (Qwen/Llama-style names by default)."""


class FinetuneSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lora: LoraSettings = LoraSettings()
    """LoRA hyper-parameters."""
    learning_rate: float = Field(2e-4, gt=0)
    """Peak learning rate (LoRA); use about 1e-5 for --method full."""
    epochs: float = Field(3.0, gt=0)
    """Passes over the training split (fractions allowed)."""
    max_steps: int = Field(0, ge=0)
    """Stop after this many optimizer steps (0 = use epochs)."""
    batch_size: int = Field(4, ge=1)
    """Sequences per micro-batch."""
    grad_accum: int = Field(4, ge=1)
    """Micro-batches per optimizer step (gradient accumulation)."""
    max_seq_len: int = Field(1024, ge=16)
    """Tokens per training sequence; longer examples are truncated."""
    packing: bool = True
    """Pack several short examples into one sequence of max_seq_len tokens."""
    warmup_ratio: float = Field(0.03, ge=0.0, lt=1.0)
    """Fraction of steps with a linear learning-rate warm-up."""
    weight_decay: float = Field(0.0, ge=0.0)
    """AdamW weight decay."""
    eval_ratio: float = Field(0.1, ge=0.0, lt=0.9)
    """Fraction of the data held out for the evaluation loss and the forgetting check."""
    eval_every: int = Field(20, ge=1)
    """Evaluate (and checkpoint) every N optimizer steps."""
    early_stop_patience: int = Field(3, ge=0)
    """Stop after N evaluations without improvement (0 = never stop early)."""
    seed: int = 42
    """Seed for the split, shuffling and initialisation."""
    bf16: bool = True
    """Use bfloat16 autocast when a CUDA GPU supports it (ignored on CPU)."""
    gradient_checkpointing: bool = True
    """Trade compute for memory on GPU (ignored on CPU)."""
    system_prompt: str = "你是星栈云的技术支持排障助手，只回答云产品相关的问题，回答要准确、简洁，并给出排查步骤。"
    """System message put in front of every SFT example (match what the copilot serves with)."""
    domain_ratio: float = Field(0.3, gt=0.0, lt=1.0)
    """Default share of domain records in a mixed dataset (`data mix`)."""
    forgetting_max_records: int = Field(64, ge=1)
    """At most this many held-out records per set in the forgetting check."""
