"""Loading the base model for training: tokenizer, device, LoRA or full fine-tuning,
bf16 autocast and gradient checkpointing on GPU.

Local directories only (hub offline). LoRA rank, alpha, dropout and target modules come
from `FinetuneSettings.lora`; a target list that matches nothing in the model is a user
error naming the module names the model does have.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from models.errors import ModelError
from models.finetune.config import FinetuneSettings
from models.hub import check_model_dir, ensure_offline

Method = Literal["lora", "full"]


@dataclass
class TrainableModel:
    model: Any
    tokenizer: Any
    device: str
    method: Method
    bf16: bool
    """bfloat16 autocast is on (CUDA with bf16 support and settings.bf16)."""

    def autocast(self) -> contextlib.AbstractContextManager:
        import torch

        if self.bf16:
            return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def trainable_parameters(self) -> list[tuple[str, Any]]:
        return [(n, p) for n, p in self.model.named_parameters() if p.requires_grad]


def resolve_device(device: str) -> str:
    import torch

    device = (device or "auto").lower()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"指定了设备 {device}，但本机没有可用的 CUDA GPU；请改用 --device auto 或 cpu")
    return device


def load_tokenizer(base: Path) -> Any:
    from transformers import AutoTokenizer

    ensure_offline()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def use_bf16(device: str, settings: FinetuneSettings) -> bool:
    """bf16 autocast: on a CUDA device that supports it, when settings.bf16."""
    import torch

    return bool(device.startswith("cuda") and settings.bf16 and torch.cuda.is_bf16_supported())


def base_dtype(method: Method, device: str, settings: FinetuneSettings) -> Any:
    """Frozen LoRA base weights in bf16 on a bf16 GPU (half the memory; peft keeps the
    adapter in fp32); float32 otherwise, and always for full fine-tuning (fp32 master
    weights, bf16 only inside autocast)."""
    import torch

    return torch.bfloat16 if method == "lora" and use_bf16(device, settings) else torch.float32


def load_causal_lm(base: Path, device: str, dtype: Any = None) -> Any:
    """The base model on `device` (float32 unless `dtype` says otherwise)."""
    import torch
    from transformers import AutoModelForCausalLM

    ensure_offline()
    try:
        model = AutoModelForCausalLM.from_pretrained(base, local_files_only=True, dtype=dtype or torch.float32)
    except Exception as exc:  # loaders raise many types (OSError, SafetensorError ...): all mean a bad folder
        raise ModelError(f"无法加载基座模型 {base}：{exc}（参数 --base）") from None
    return model.to(device)


def load_for_training(base: str | Path, method: Method, settings: FinetuneSettings, device: str = "auto") -> TrainableModel:
    """Tokenizer + model ready to train (LoRA wrapped, or every weight trainable)."""
    base = check_model_dir(Path(base), setting="--base")
    device = resolve_device(device)
    tokenizer = load_tokenizer(base)
    model = load_causal_lm(base, device, base_dtype(method, device, settings))
    model.config.use_cache = False
    on_gpu = device.startswith("cuda")
    if on_gpu and settings.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if method == "lora":
        model = wrap_lora(model, settings)
    elif method != "full":
        raise ModelError(f"未知的训练方式 {method}：请使用 lora 或 full")
    return TrainableModel(model, tokenizer, device, method, use_bf16(device, settings))


def wrap_lora(model: Any, settings: FinetuneSettings) -> Any:
    from peft import LoraConfig, get_peft_model

    lora = settings.lora
    names = linear_module_names(model)
    targets = [t for t in lora.target_modules if t in names]
    if not targets:
        raise ModelError(
            f"LoRA 目标模块 {lora.target_modules} 在模型中都不存在；可用的线性层有：{sorted(names)}"
            "（设置项 models.finetune.lora.target_modules）"
        )
    config = LoraConfig(
        r=lora.rank, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=targets, task_type="CAUSAL_LM"
    )
    return get_peft_model(model, config)


def linear_module_names(model: Any) -> set[str]:
    """Last name parts of the model's Linear layers (what LoRA target_modules match)."""
    import torch

    return {name.rsplit(".", 1)[-1] for name, module in model.named_modules() if isinstance(module, torch.nn.Linear)}
