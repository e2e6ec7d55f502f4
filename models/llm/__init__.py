"""LLM backends behind one protocol (`models.llm.base.LLMBackend`), registered by name."""
