"""Importing the tools layer is cheap: no network client, certificate or KB code loads at import."""

from __future__ import annotations

import subprocess
import sys


def test_import_is_light() -> None:
    code = ("import sys, tools.registry, tools.runbooks, tools.safety, tools.base;"
            "heavy = [m for m in ('httpx', 'cryptography', 'jieba', 'chromadb', 'torch', 'knowledge.service')"
            " if m in sys.modules]; print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == ""
