"""Errors of the model layer that a user can fix (shown to them as-is, in Chinese)."""


class ModelError(Exception):
    """A user-facing problem: missing model directory, unreachable server, unknown backend."""
