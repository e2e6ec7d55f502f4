"""Model layer: LLM backends, embedding backends, the LoRA adapter router, fine-tuning.

Backends implement a `typing.Protocol` and are registered by name; heavy libraries
(torch, transformers, peft) are imported lazily. Tests: `pytest tests/models`.
"""
