"""Logins: scrypt/bcrypt hashes, auth files, the USER:PASS form and the access rules of serve."""

from __future__ import annotations

import bcrypt
import pytest

from app.ui.auth import add_user, build_authenticator, hash_password, parse_login, read_auth_file, verify_password
from app.ui.errors import UIError
from app.ui.access import check_access, is_loopback


def test_scrypt_hash_round_trip_and_salted():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("x", "scrypt$broken")


def test_bcrypt_hashes_are_accepted():
    stored = bcrypt.hashpw(b"s3cret-pass", bcrypt.gensalt(rounds=4)).decode()
    assert verify_password("s3cret-pass", stored)
    assert not verify_password("other", stored)


def test_auth_file_add_replace_and_authenticate(tmp_path):
    path = tmp_path / "users.txt"
    add_user(path, "alice", "first-password")
    add_user(path, "bob", "bob-password")
    add_user(path, "alice", "second-password")
    users = read_auth_file(path)
    assert set(users) == {"alice", "bob"}
    check = build_authenticator(None, path)
    assert check("alice", "second-password") and not check("alice", "first-password")
    assert check("bob", "bob-password") and not check("carol", "bob-password")
    assert "password" not in path.read_text()


def test_auth_file_errors_name_file_and_line(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("# agents\nalice:plaintext\n", encoding="utf-8")
    with pytest.raises(UIError, match="第 2 行"):
        read_auth_file(path)
    with pytest.raises(UIError, match="不存在"):
        read_auth_file(tmp_path / "missing.txt")
    with pytest.raises(UIError, match="至少需要 8"):
        add_user(path, "bob", "short")


def test_login_form_and_authenticator():
    assert parse_login("agent:pa:ss") == ("agent", "pa:ss")
    for bad in ("agent", ":x", "a b:x", "agent:"):
        with pytest.raises(UIError, match="用户名:密码"):
            parse_login(bad)
    check = build_authenticator("agent:pw12345678", None)
    assert check("agent", "pw12345678") and not check("agent", "nope")
    assert build_authenticator(None, None) is None


def test_share_or_public_host_need_auth():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.5")
    check_access("127.0.0.1", False, None)
    with pytest.raises(UIError, match="--share"):
        check_access("127.0.0.1", True, None)
    with pytest.raises(UIError, match="0.0.0.0"):
        check_access("0.0.0.0", False, None)
    check_access("0.0.0.0", True, lambda u, p: True)
