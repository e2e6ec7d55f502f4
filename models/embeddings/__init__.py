"""Embedding backends behind one protocol (`models.embeddings.base.Embedder`)."""
