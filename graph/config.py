"""Settings of the conversation graph (the `graph:` section of the settings file)."""

from pydantic import BaseModel, ConfigDict


class GraphSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_message_chars: int = 2000
    """Longest user message accepted."""
    max_sub_questions: int = 4
    """Sub-questions answered per message; the rest are listed as not answered."""
