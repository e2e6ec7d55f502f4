"""Fine-tuning: domain data generation (Self-QA, Self-Instruct, Self-KG, refusal),
filters, mixing with general data, LoRA / full training and the forgetting check.

Modules: `records` (the JSONL record and manifest), `chunks` (where knowledge comes
from), `selfqa`, `selfinstruct`, `selfkg`, `refusal`, `filters` + `minhash`, `mixing`,
`encoding` (chat formatting, prompt masking, packing), `trainer`, `forgetting`,
`adapter_output`. Nothing heavy happens at import: torch, transformers and peft are
imported inside the functions that train. CLI: `smart-copilot data ...` and
`smart-copilot finetune ...` (app/commands/data.py, app/commands/finetune.py).
Tests: `pytest tests/finetune`.
"""
