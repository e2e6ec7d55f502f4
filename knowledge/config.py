"""Settings of the knowledge layer (the `knowledge:` section of the settings file)."""

from pydantic import BaseModel, ConfigDict


class KnowledgeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_kb: str = "demo"
    """Knowledge base used when a command names none."""
    chunk_size: int = 480
    """Target chunk size in characters."""
    chunk_overlap: int = 60
    """Characters repeated between neighbouring chunks of one section."""
