"""Errors of the tools layer that a user can fix (shown to them as-is, in Chinese)."""


class ToolsError(Exception):
    """A user-facing problem: invalid runbook YAML, unknown tool or runbook."""
