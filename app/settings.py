"""One typed settings model, loaded from a YAML file and then environment overrides.

Order: defaults < YAML file (`--config PATH` or env `SMART_COPILOT_CONFIG`) < env
variables `SMART_COPILOT__SECTION__KEY=value` (values parsed as YAML scalars, so
`true`, `8` and `[a, b]` get their types). Only true/false are YAML booleans (YAML 1.2):
`off`, `on`, `yes`, `no` stay words, so a choice like `knowledge.dense: off` keeps its value
and a boolean setting still takes them. Errors are explained in Chinese
(app.settings_messages). Each package owns its section's model.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any, Mapping, MutableMapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.settings_messages import explain
from graph.config import GraphSettings
from knowledge.config import KnowledgeSettings
from knowledge.uploads import upload_suffixes
from models.config import ModelSettings
from tools.config import ToolSettings

ENV_PREFIX = "SMART_COPILOT__"
CONFIG_ENV = "SMART_COPILOT_CONFIG"
SECRET_WORDS = ("key", "token", "password", "secret")


class AppSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    """Address `serve` binds to; anything but loopback requires auth."""
    port: int = 7860
    """Port `serve` listens on."""
    share: bool = False
    """Ask Gradio for a public share link (requires auth; needs internet)."""
    auth_file: Path | None = None
    """File of `user:hash` lines (scrypt or bcrypt); create lines with `serve --add-user`."""
    title: str = "Smart Copilot 排障助手"
    """Browser title and heading of the app."""
    max_upload_mb: float = Field(default=50.0, gt=0)
    """Largest single uploaded file (zip included), in MB."""
    max_upload_files: int = Field(default=50, ge=1)
    """Most files accepted in one upload."""
    upload_types: list[str] = Field(default_factory=upload_suffixes)
    """File extensions the knowledge tab accepts (default: every loader format plus .zip)."""
    concurrency_limit: int = Field(default=4, ge=1)
    """Requests of one endpoint running at once (Gradio default_concurrency_limit); the rest wait in the queue."""
    queue_max_size: int = Field(default=100, ge=1)
    """Requests waiting in the queue before new ones are turned away with a message."""
    max_threads: int = Field(default=40, ge=1)
    """Worker threads of the web server."""
    check_duplicates: int = Field(default=300, ge=0)
    """Uploaded chunks compared with existing knowledge before publishing (0: no check)."""
    trash_days: float = Field(default=7.0, ge=0)
    """Days a deleted conversation or knowledge base stays in the trash (restorable) before it is purged."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: Path = Path("./data")
    """Single directory for all state: knowledge bases, conversations, audit, feedback."""
    app: AppSettings = AppSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    models: ModelSettings = ModelSettings()
    tools: ToolSettings = ToolSettings()
    graph: GraphSettings = GraphSettings()


class _Loader(yaml.SafeLoader):
    """safe_load with YAML 1.2 booleans: `off`/`on`/`yes`/`no` are read as the words they are."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def parse_yaml(text: str) -> Any:
    """A settings file or env value as YAML (1.2 booleans)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


class SettingsError(Exception):
    """The settings file or an env override is invalid; the message names key and source."""


def load_settings(config: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Build the effective settings; raise SettingsError with a precise, user-facing message."""
    env = os.environ if env is None else env
    path = Path(config) if config else (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    data: dict[str, Any] = _read_yaml(path) if path else {}
    overrides = _env_overrides(env)
    for keys, value in overrides:
        _set_nested(data, keys, value)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path, overrides, data)) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SettingsError(f"配置文件不存在：{path}")
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SettingsError(f"配置文件 {path} 不是合法的 YAML：{exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"配置文件 {path} 的顶层必须是键值映射（mapping）")
    return data


def _env_overrides(env: Mapping[str, str]) -> list[tuple[list[str], Any]]:
    found = []
    for name, raw in sorted(env.items()):
        if not name.startswith(ENV_PREFIX):
            continue
        keys = [k.lower() for k in name[len(ENV_PREFIX):].split("__") if k]
        try:
            value = parse_yaml(raw) if raw.strip() else raw
        except yaml.YAMLError:
            value = raw
        found.append((keys, value))
    return found


def _set_nested(data: dict[str, Any], keys: list[str], value: Any) -> None:
    node = data
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value


def _describe(exc: ValidationError, path: Path | None, overrides: list[tuple[list[str], Any]],
              data: dict[str, Any]) -> str:
    env_keys = {".".join(keys) for keys, _ in overrides}
    lines = []
    for err in exc.errors():
        parts = _user_key(err["loc"], data)
        message = explain(err, Settings, parts)
        if err["type"] == "union_tag_invalid":  # e.g. models.llm.backend: name the key and the closest choice
            ctx = err.get("ctx") or {}
            parts.append(str(ctx.get("discriminator", "")).strip("'"))
            choices = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
            close = difflib.get_close_matches(str(ctx.get("tag")), choices, n=1)
            hint = f"，是否想用 {close[0]}？" if close else "。"
            message = f"未知的取值 {ctx.get('tag')!r}{hint}可选：{', '.join(choices)}"
        key = ".".join(parts)
        if any(key == k or key.startswith(k + ".") for k in env_keys):
            source = f"环境变量 {ENV_PREFIX}{key.replace('.', '__').upper()}"
        else:
            source = f"配置文件 {path}" if path else "默认设置"
        lines.append(f"设置项 {key} 无效（来源：{source}）：{message}")
    return "\n".join(lines)


def _user_key(loc: tuple[int | str, ...], data: Any) -> list[str]:
    """The key path as users write it: a discriminated union's member tag (in pydantic's
    `loc`, e.g. models.llm.transformers.device, but not in the data) is left out."""
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part not in node and i < len(loc) - 1:
            continue
        parts.append(str(part))
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return parts


def masked(settings: Settings) -> dict[str, Any]:
    """Settings as plain data with secret-looking values replaced by '***'."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: ("***" if v and any(w in k.lower() for w in SECRET_WORDS) and not k.lower().endswith("_env") else walk(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and "://" in node:
            return _mask_url(node)
        return node

    return walk(settings.model_dump(mode="json"))


def _mask_url(url: str) -> str:
    """Hide a password in `scheme://user:pass@host` and secret-looking query values."""
    url = re.sub(r"(://[^/:@]+:)[^/@]+@", r"\1***@", url)
    words = "|".join(SECRET_WORDS)
    return re.sub(rf"([?&][^=&]*(?:{words})[^=&]*=)[^&]+", r"\1***", url, flags=re.IGNORECASE)


def apply_offline_defaults(env: MutableMapping[str, str] | None = None) -> None:
    """Nothing phones home unless the user explicitly asked for it."""
    target: MutableMapping[str, str] = os.environ if env is None else env
    for name, value in {
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        # Idle OpenMP threads sleep instead of spinning: on a busy CPU spinning made one
        # embedding 80x slower.
        "OMP_WAIT_POLICY": "PASSIVE",
    }.items():
        target.setdefault(name, value)
