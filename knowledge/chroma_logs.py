"""Chroma's own log lines kept out of the console a user reads, and kept for whoever debugs.

Chroma logs in English through Python's logging ("Add of existing embedding ID: …", telemetry
notices, its tracing library's warnings). The application configures no logging handler, so
Python's last-resort handler printed each WARNING or worse to the `serve` console and the CLI's
stderr. `quiet_chroma_logs()`, called wherever a Chroma client is made (knowledge/dense.py, and
app/storage/build.py for a Chroma server), hands those loggers' records to `knowledge.chroma` at
DEBUG instead: what matters to a user reaches them as our own Chinese errors (VectorServerUnavailable,
DenseBroken), never as Chroma's English. Tests: tests/knowledge/test_chroma_logs.py.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("knowledge.chroma")
LOGGERS = ("chromadb", "opentelemetry", "posthog")
"""Chroma's loggers, its tracing library's and its telemetry client's (older Chroma releases)."""
_lock = threading.Lock()


class _AsDebug(logging.Handler):
    """Re-logs a Chroma record on `knowledge.chroma` at DEBUG, with its logger's name and traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s %s: %s", record.name, record.levelname, record.getMessage(), exc_info=record.exc_info)


def quiet_chroma_logs() -> None:
    """Route Chroma's log records to DEBUG on `knowledge.chroma` (once per process; idempotent)."""
    with _lock:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(h, _AsDebug) for h in logger.handlers):
                logger.addHandler(_AsDebug())
                logger.propagate = False  # not to the root's handlers, nor to the last-resort stderr printer
