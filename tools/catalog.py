"""The shipped tools, in one list (what `build_registry` registers)."""

from __future__ import annotations

from tools.base import Tool
from tools.config import ToolSettings
from tools.knowledge_tools import ErrorCodeLookup, KnowledgeSearch
from tools.log_analysis import LogAnalysis
from tools.network.dns import DnsLookup
from tools.network.http import HttpCheck
from tools.network.ping import Ping
from tools.network.tcp import TcpPortCheck
from tools.network.tls import TlsCheck
from tools.restart import RestartService


def shipped_tools(settings: ToolSettings) -> list[Tool]:
    return [DnsLookup(), TcpPortCheck(), HttpCheck(), TlsCheck(), Ping(), LogAnalysis(), ErrorCodeLookup(),
            KnowledgeSearch(), RestartService(settings)]
