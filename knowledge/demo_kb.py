"""The bundled demo knowledge base folder (fictional "星栈云" cloud; content in knowledge/demo/)."""

from pathlib import Path

DEMO_DIR: Path = Path(__file__).resolve().parent / "demo"
"""Folder ingested as the `demo` knowledge base on first start."""
