"""The LangGraph state machine: state schema, nodes, routing, builder, prompts.

Tests: `pytest tests/graph`.
"""
