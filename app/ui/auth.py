"""Logins for the web app: one USER:PASS from the command line, or a file of hashed passwords.

The auth file holds one `user:hash` line per agent; `#` starts a comment. Hashes are
`scrypt$n$r$p$salt_hex$key_hex` (hashlib.scrypt, written by `hash_password`) or bcrypt
(`$2b$...`). Passwords are compared in constant time; the file is read once at start.
Failed logins are throttled per user name (LoginThrottle): after a few, each further try
waits out a lockout that doubles, and a locked name is refused without checking the
password (30 wrong passwords once went through in 1.9 s).
Tests: `pytest tests/app/test_ui_auth.py tests/hardening/test_limits.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Callable

from app.ui.errors import UIError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
USER_RE = re.compile(r"^[\w.@-]{1,64}$")
MIN_PUBLIC_PASSWORD = 8


class LoginThrottle:
    """Failed logins per user name: `free` of them cost nothing, then each further attempt must wait
    out a lockout of base_s, 2*base_s, 4*base_s ... (at most max_s). Names not in the user list
    share one bucket, so guessing names is throttled too."""

    def __init__(self, free: int = 5, base_s: float = 1.0, max_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.base_s, self.max_s, self.clock = free, base_s, max_s, clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def allowed(self, key: str) -> bool:
        with self._lock:
            return self.clock() >= self._locked_until.get(key, 0.0)

    def failed(self, key: str) -> None:
        with self._lock:
            count = self._failures.get(key, 0) + 1
            self._failures[key] = count
            if count >= self.free:
                wait = min(self.base_s * 2 ** (count - self.free), self.max_s)
                self._locked_until[key] = self.clock() + wait

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """scrypt hash string for an auth-file line."""
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a scrypt or bcrypt hash string."""
    if stored.startswith("scrypt$"):
        try:
            _, n, r, p, salt, key = stored.split("$")
            expected = bytes.fromhex(key)
            got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                 dklen=len(expected))
        except ValueError:
            return False
        return hmac.compare_digest(got, expected)
    if stored.startswith(("$2a$", "$2b$", "$2y$")):
        import bcrypt

        try:
            return bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii"))
        except ValueError:
            return False
    return False


def parse_login(value: str) -> tuple[str, str]:
    """`USER:PASS` -> (user, password); a clear Chinese error otherwise."""
    user, sep, password = (value or "").partition(":")
    if not sep or not USER_RE.match(user) or not password:
        raise UIError("--auth 的格式应为 用户名:密码（用户名只含字母、数字、_ . @ -），例如 --auth agent:s3cret")
    return user, password


def read_auth_file(path: Path) -> dict[str, str]:
    """user -> hash from an auth file; errors name the file and line."""
    if not path.is_file():
        raise UIError(f"认证文件不存在：{path}。可用 smart-copilot serve --auth-file {path} --add-user 用户名 创建")
    users: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        if not sep or not USER_RE.match(user) or not stored.startswith(("scrypt$", "$2a$", "$2b$", "$2y$")):
            raise UIError(f"认证文件 {path} 第 {number} 行无效：应为 用户名:scrypt$… 或 用户名:$2b$…（bcrypt）")
        users[user] = stored
    if not users:
        raise UIError(f"认证文件 {path} 中没有任何用户")
    return users


def add_user(path: Path, user: str, password: str) -> None:
    """Add or replace one user's line in the auth file (created if missing)."""
    if not USER_RE.match(user):
        raise UIError("用户名只能包含字母、数字、_ . @ -，最长 64 个字符")
    if len(password) < 8:
        raise UIError("密码至少需要 8 个字符")
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [line for line in lines if line.partition(":")[0].strip() != user]
    kept.append(f"{user}:{hash_password(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    path.chmod(0o600)


def build_authenticator(login: str | None, auth_file: Path | None,
                        throttle: LoginThrottle | None = None) -> Callable[[str, str], bool] | None:
    """Gradio's `auth=` callable from the CLI login and/or the auth file; None when neither is set.
    Failed attempts are throttled (LoginThrottle)."""
    users: dict[str, str] = {}
    plain: dict[str, str] = {}
    if auth_file is not None:
        users.update(read_auth_file(Path(auth_file)))
    if login:
        user, password = parse_login(login)
        plain[user] = password
    if not users and not plain:
        return None
    throttle = throttle or LoginThrottle()

    def check(user: str, password: str) -> bool:
        if user in plain:
            return hmac.compare_digest(plain[user].encode("utf-8"), (password or "").encode("utf-8"))
        stored = users.get(user)
        return stored is not None and verify_password(password or "", stored)

    def authenticate(user: str, password: str) -> bool:
        key = user if user in plain or user in users else "\x00unknown"
        if not throttle.allowed(key):
            return False  # locked: not even checked (a scrypt check is also CPU an attacker would spend)
        ok = check(user, password)
        (throttle.succeeded if ok else throttle.failed)(key)
        return ok

    return authenticate


def check_public_password(login: str | None, public: bool) -> None:
    """A reachable server (non-loopback host or share link) needs a real password in `--auth`."""
    if login and public and len(parse_login(login)[1]) < MIN_PUBLIC_PASSWORD:
        raise UIError(f"对外开放（非本机地址或 --share）时，--auth 的密码至少需要 {MIN_PUBLIC_PASSWORD} 个字符；"
                      "建议用 --auth-file 与 --add-user 保存哈希后的密码")
