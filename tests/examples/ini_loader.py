"""Test-only example of CONTRIBUTING.md "A new loader": INI / .conf configuration files.

The one file a loader needs: `load_ini(path) -> ParsedDocument`. Each `[section]` becomes
a heading and its `key = value` lines a table of self-describing rows; comments are
dropped. Registered by one entry, `INI_LOADER`, which the tests add to
`knowledge.loaders.LOADERS` (a real loader adds the same line there).
"""

from __future__ import annotations

import configparser
from pathlib import Path

from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.errors import KnowledgeError
from knowledge.loaders import LoaderSpec


def load_ini(path: Path) -> ParsedDocument:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8-sig"), source=path.name)
    except configparser.Error as exc:
        raise KnowledgeError(f"INI 文件无法解析：{exc.message}") from exc
    blocks = []
    for section in parser.sections():
        rows = [[key, value] for key, value in parser.items(section, raw=True)]
        if rows:
            blocks.append(Block("table", [section], rows=table_rows(["配置项", "取值"], rows),
                                caption=f"{path.name} [{section}]（表头：配置项 | 取值）"))
    if not blocks:
        raise KnowledgeError("INI 文件中没有任何配置项")
    return ParsedDocument(title=path.stem, blocks=blocks)


INI_LOADER = LoaderSpec(load_ini, (".ini", ".conf"), "INI 配置文件")
