"""`serve`: launch the web app (chat, knowledge tab, status) on the wired Copilot.

`serve [--host --port --share --auth USER:PASS] [--auth-file FILE]`; with no settings it
serves the bundled demo KB in extractive mode on http://127.0.0.1:7860. A share link or a
non-loopback host without auth is refused (exit 2). When the share tunnel cannot be
created (no internet) the local server keeps running and says so. While knowledge bases and
models load, the port already answers GET /healthz with 503 `starting` (app/ui/startup.py).
`serve --auth-file FILE --add-user NAME` adds a hashed login (password read from stdin).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.output import fail
from app.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="启动网页版排障助手（Gradio）")
    parser.add_argument("--host", help="监听地址（默认 app.host，127.0.0.1；非本机地址必须开启认证）")
    parser.add_argument("--port", type=int, help="端口（默认 app.port，7860）")
    parser.add_argument("--share", action="store_true", default=None, help="创建公网分享链接（必须开启认证，需要外网）")
    parser.add_argument("--auth", metavar="USER:PASS", help="单个登录账号")
    parser.add_argument("--auth-file", type=Path, metavar="FILE", help="账号文件（每行 用户名:密码哈希）")
    parser.add_argument("--add-user", metavar="NAME", help="向 --auth-file 添加/更新账号（从标准输入读取密码）后退出")
    parser.set_defaults(handler=run_serve)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise ValueError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\n")


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from app.ui.access import is_loopback
    from app.ui.auth import add_user, build_authenticator, check_public_password
    from app.ui.errors import UIError
    from app.ui.access import check_access

    auth_file = args.auth_file or settings.app.auth_file
    try:
        if args.add_user:
            if auth_file is None:
                return fail("--add-user 需要同时指定 --auth-file 文件")
            try:
                add_user(Path(auth_file), args.add_user, _read_password())
            except ValueError as exc:
                return fail(str(exc))
            print(f"已写入账号 {args.add_user} 到 {auth_file}")
            return 0
        auth = build_authenticator(args.auth, auth_file)
        host = args.host or settings.app.host
        share = settings.app.share if args.share is None else True
        check_access(host, share, auth)
        check_public_password(args.auth, share or not is_loopback(host))
    except UIError as exc:
        return fail(str(exc))
    return _serve(args, settings, host, share, auth)


def _serve(args: argparse.Namespace, settings: Settings, host: str, share: bool, auth) -> int:
    from app.datadir import startup_problems

    problems = startup_problems(settings.data_dir)  # read-only, before anything opens a store for writing
    if problems:
        return fail("数据目录有问题，未启动服务：\n- " + "\n- ".join(problems))
    return _run(args, settings, host, share, auth)


def _run(args: argparse.Namespace, settings: Settings, host: str, share: bool, auth) -> int:
    from app.ui.startup import StartupResponder
    from knowledge.locks import StoreLocks

    port = args.port or settings.app.port
    busy = "端口可能已被占用，请用 --port 换一个端口"
    print("正在加载知识库与模型…", file=sys.stderr)
    responder = StartupResponder(host, port, settings.app.title)  # /healthz says "starting" meanwhile
    try:
        responder.start()
    except OSError as exc:
        return fail(f"无法启动网页服务（{host}:{port}）：{exc.strerror or exc}。{busy}")
    with StoreLocks(Path(settings.data_dir) / "kb").serving():  # `restore` refuses while this is held
        return _launch(args, settings, host, port, share, auth, responder)


def _launch(args: argparse.Namespace, settings: Settings, host: str, port: int, share: bool, auth,
            responder) -> int:
    from app.ui import build_app
    from app.ui.errors import UIError
    from app.ui.server import launch_app
    from app.wiring import build_copilot

    busy = "端口可能已被占用，请用 --port 换一个端口"
    try:
        copilot = build_copilot(settings)
        blocks = build_app(copilot, settings)
    finally:
        responder.stop()
    try:
        served = launch_app(blocks, settings, host=host, port=port, share=share, auth=auth)
    except UIError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"无法启动网页服务（{host}:{port}）：{exc.strerror or exc}。{busy}")
    print(f"Smart Copilot 已启动：{served.local_url}（健康检查：{served.local_url.rstrip('/')}/healthz）")
    if served.share_url:
        print(f"公网分享链接：{served.share_url}")
    elif served.share_failed:
        print(f"无法创建公网分享链接（可能没有外网连接），本地服务仍在运行：{served.local_url}", file=sys.stderr)
    if auth is not None:
        print("已开启登录认证。", file=sys.stderr)
    print("按 Ctrl+C 停止。", file=sys.stderr)
    try:
        blocks.block_thread()
    finally:
        blocks.close()
    return 0
