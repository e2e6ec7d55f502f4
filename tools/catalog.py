"""The shipped tools, in one list (what `build_registry` registers): a new tool is its
module plus one line in `SHIPPED_TOOLS` (CONTRIBUTING.md)."""

from __future__ import annotations

from tools.base import Tool
from tools.deps import ToolDeps
from tools.knowledge_tools import ErrorCodeLookup, KnowledgeSearch
from tools.log_analysis import LogAnalysis
from tools.network.dns import DnsLookup
from tools.network.http import HttpCheck
from tools.network.ping import Ping
from tools.network.tcp import TcpPortCheck
from tools.network.tls import TlsCheck
from tools.restart import RestartService


SHIPPED_TOOLS: list[type[Tool]] = [
    DnsLookup,
    TcpPortCheck,
    HttpCheck,
    TlsCheck,
    Ping,
    LogAnalysis,
    ErrorCodeLookup,
    KnowledgeSearch,
    RestartService,
]
"""The registry of tool classes; each is built with the registry's ToolDeps."""


def shipped_tools(deps: ToolDeps) -> list[Tool]:
    return [tool(deps) for tool in SHIPPED_TOOLS]
