"""Who may reach the app: a share link or a non-loopback host needs a login. No Gradio import."""

from __future__ import annotations

import ipaddress
from typing import Callable

from app.ui.errors import UIError

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_access(host: str, share: bool, auth: Callable | None) -> None:
    """A public share link or a reachable host needs a login; the message says how to add one."""
    if auth is not None:
        return
    how = "请用 --auth 用户名:密码 或 --auth-file 文件 开启登录"
    if share:
        raise UIError(f"创建公网分享链接（--share）必须开启登录认证，否则任何人都能访问。{how}。")
    if not is_loopback(host):
        raise UIError(f"监听非本机地址 {host} 时必须开启登录认证（同一网络的任何人都能访问）。{how}，或改用 --host 127.0.0.1。")
