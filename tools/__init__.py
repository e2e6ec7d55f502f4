"""Diagnostic tools (ToolResult, registry, target safety, audit) and YAML runbooks.

Tests: `pytest tests/tools`.
"""
