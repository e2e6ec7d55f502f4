"""LoRA adapters on one shared base model: loaded once, switched per request.

`LoraSet.load(model, adapters)` wraps the base model in a `PeftModel` holding every
adapter of the adapter directory; `LoraSet.use(choice)` is a context manager that
activates one adapter, a weighted combination (built once with `add_weighted_adapter`
and cached by its weights; weight 0 leaves an adapter out) or the bare base model
(`disable_adapter()`). The caller holds the backend's lock around it.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from models.errors import ModelError
from models.llm.adapters import AdapterInfo
from models.llm.base import AdapterChoice


class LoraSet:
    """The adapters loaded into one model and the weighted combinations built so far."""

    def __init__(self, model: Any, adapters: list[AdapterInfo], combination: str = "cat") -> None:
        self.adapters = {a.name: a for a in adapters}
        self.combination = combination
        self._combos: dict[tuple[tuple[str, float], ...], str] = {}
        self.model = self._load(model, adapters)

    @property
    def names(self) -> list[str]:
        return list(self.adapters)

    def _load(self, model: Any, adapters: list[AdapterInfo]) -> Any:
        if not adapters:
            return model
        from peft import PeftModel

        first, *rest = adapters
        try:
            peft_model = PeftModel.from_pretrained(model, str(first.path), adapter_name=first.name, is_trainable=False)
            for info in rest:
                peft_model.load_adapter(str(info.path), adapter_name=info.name, is_trainable=False)
        except Exception as exc:  # loaders raise many types (OSError, SafetensorError ...): all mean a bad folder
            raise ModelError(
                f"加载 LoRA 适配器失败：{exc}。请检查适配器目录（设置项 models.adapters.dir）中的文件是否完整、"
                f"是否为当前基座模型训练"
            ) from None
        peft_model.eval()
        return peft_model

    @contextlib.contextmanager
    def use(self, choice: AdapterChoice) -> Iterator[Any]:
        """Run the body with `choice` active; yields the model to call."""
        if not self.adapters:
            if not choice.is_base:
                raise ModelError(f"请求了适配器 {self._label(choice)}，但没有加载任何适配器（设置项 models.adapters.dir）")
            yield self.model
            return
        if choice.is_base:
            with self.model.disable_adapter():
                yield self.model
            return
        self.model.set_adapter(self._resolve(choice))
        yield self.model

    def _resolve(self, choice: AdapterChoice) -> str:
        if choice.name is not None:
            self._require([choice.name])
            return choice.name
        active = {n: float(w) for n, w in choice.weights.items() if w}
        self._require(list(active))
        if any(w < 0 for w in active.values()):
            raise ModelError(f"适配器权重不能为负数：{active}（设置项 models.router.rules）")
        key = tuple(sorted(active.items()))
        if key not in self._combos:
            name = f"combo{len(self._combos)}"
            names, weights = zip(*key)
            combination = self.combination if len(names) > 1 else "linear"
            self.model.add_weighted_adapter(list(names), list(weights), name, combination_type=combination)
            self._combos[key] = name
        return self._combos[key]

    def combined_name(self, weights: dict[str, float]) -> str | None:
        """The peft adapter name built for these weights, if it was built already."""
        return self._combos.get(tuple(sorted((n, float(w)) for n, w in weights.items() if w)))

    def _require(self, names: list[str]) -> None:
        unknown = [n for n in names if n not in self.adapters]
        if unknown:
            raise ModelError(
                f"适配器 {', '.join(unknown)} 未加载；可用：{', '.join(self.adapters) or '无'}"
                f"（设置项 models.router.rules / models.adapters.dir）"
            )

    @staticmethod
    def _label(choice: AdapterChoice) -> str:
        return choice.name or ", ".join(f"{n}={w}" for n, w in choice.weights.items())
