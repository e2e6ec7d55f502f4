"""`smart-copilot config show`: the effective settings, secrets masked."""

from __future__ import annotations

import argparse

import yaml

from app.output import add_json_flag, emit
from app.settings import Settings, masked


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="显示生效的设置")
    sub = parser.add_subparsers(dest="config_command", required=True)
    show = sub.add_parser("show", help="打印生效的设置（密钥已隐藏）")
    add_json_flag(show)
    show.set_defaults(handler=show_settings)


def show_settings(args: argparse.Namespace, settings: Settings) -> int:
    data = masked(settings)
    emit(args, data, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip())
    return 0
