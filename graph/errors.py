"""Errors of the conversation graph that a user can fix (shown to them as-is, in Chinese)."""


class GraphError(Exception):
    """A user-facing problem: message too long, unknown session."""
