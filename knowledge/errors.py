"""Errors of the knowledge layer that a user can fix (shown to them as-is, in Chinese)."""


class KnowledgeError(Exception):
    """A user-facing problem: unknown knowledge base, unreadable path, bad upload."""


class VectorServerUnavailable(KnowledgeError):
    """The Chroma server (storage.mode = server) cannot be reached; nothing stored is lost."""
