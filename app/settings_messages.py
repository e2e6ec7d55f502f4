"""Chinese explanations of settings validation errors (a YAML file or an env override).

`explain(error, model, parts)` turns one pydantic error into the reason shown after
"设置项 KEY 无效（来源：…）："; the common kinds (unknown key, choice, boolean, number,
range, type) are worded for the user with the value received and, where it helps, the
closest valid key or choice. Tested by tests/app/test_settings.py.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

BOOLEAN_WORDS = "true/false、on/off、yes/no、1/0"


def explain(error: ErrorDetails, model: type[BaseModel], parts: list[str]) -> str:
    """The user-facing reason for one validation error at key path `parts` of `model`."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    got = f"收到 {value!r}"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(parts[-1], known_keys(model, parts[:-1]), n=1) if parts else []
        return "没有这个设置项" + (f"，是否想写 {close[0]}？" if close else "")
    if kind in ("literal_error", "enum"):
        choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), choices, n=1)
        return f"未知的取值 {value!r}" + (f"，是否想用 {close[0]}？" if close else "。") + f"可选：{', '.join(choices)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"应为布尔值（{BOOLEAN_WORDS}），{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，{got}"
    if kind in ("float_parsing", "float_type"):
        return f"应为数字，{got}"
    bounds = {"greater_than": ("大于", "gt"), "greater_than_equal": ("不小于", "ge"),
              "less_than": ("小于", "lt"), "less_than_equal": ("不大于", "le")}
    if kind in bounds:
        word, key = bounds[kind]
        return f"应{word} {ctx.get(key)}，{got}"
    if kind == "string_type":
        return f"应为文字，{got}"
    if kind == "list_type":
        return f"应为列表（例如 [a, b]），{got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"应为键值映射（mapping），{got}"
    if kind == "missing":
        return "缺少必填项"
    if kind == "path_type":
        return f"应为文件或目录路径，{got}"
    return error["msg"]


def known_keys(model: type[BaseModel], parts: list[str]) -> list[str]:
    """Field names valid at key path `parts` (every member's, under a union of models)."""
    models = [model]
    for part in parts:
        nested: list[type[BaseModel]] = []
        for m in models:
            field = m.model_fields.get(part)
            if field is not None:
                nested.extend(_models_in(field.annotation))
        models = nested
    return sorted({name for m in models for name in m.model_fields})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
