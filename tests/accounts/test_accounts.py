"""Users, tokens, the command line, session login and the language switch."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.accounts.models import ApiToken, User
from exchange.extensions import db
from tests.clerk import TOKEN

EXCHANGE = Path(sys.executable).with_name("exchange")


def test_users_and_tokens_from_the_command_line(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "clerk1", "--password", "Pw-12345678",
                                 "--role", "sending_staff", "--region", "510524"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["tokens", "create", "--username", "clerk1"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert len(result.output.strip().splitlines()) == 1 and token.startswith("exk_")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "clerk1"))
        assert user.password_hash.startswith("scrypt:") and "Pw-12345678" not in user.password_hash
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored) == 1
    status = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert status.status_code == 200 and status.get_json()["region"] == "510524"


@pytest.mark.parametrize("args, message", [
    (["--role", "mayor", "--region", "510524"], "未知角色"),
    (["--role", "sending_staff", "--region", "110101"], "不在任何协作关系配置中"),
    (["--role", "liaison_officer", "--region", "330825"], "联络站专员"),
    (["--role", "sending_staff", "--region", "330825"], "输出地"),      # 龙游 only receives
    (["--role", "receiving_staff", "--region", "510524"], "输入地"),    # 叙永 only sends
])
def test_bad_users_are_refused_with_one_line(app, args, message):
    result = app.test_cli_runner().invoke(args=["users", "create", "--username", "u1", "--password", "Pw-12345678", *args])
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None


def test_the_console_script_works_from_any_directory(tmp_path):
    env = {**os.environ, "EXCHANGE_SECRET_KEY": "s", "EXCHANGE_INSTANCE_DIR": str(tmp_path / "inst"),
           "EXCHANGE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    env.pop("EXCHANGE_PARTNER_CONFIG_DIR", None)
    run = lambda *a: subprocess.run([str(EXCHANGE), *a], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run("db", "upgrade").returncode == 0
    created = run("users", "create", "--username", "a1", "--password", "Pw-12345678", "--role", "admin", "--region", "330825")
    assert created.returncode == 0, created.stderr
    failed = run("tokens", "create", "--username", "nobody")
    assert failed.returncode != 0 and failed.stderr.strip() == "exchange: no user nobody"
    broken = subprocess.run([str(EXCHANGE), "db", "upgrade"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in env.items() if k != "EXCHANGE_SECRET_KEY"})
    assert broken.returncode != 0 and broken.stderr.strip().startswith("exchange: EXCHANGE_SECRET_KEY is not set")


def test_tokens_are_required_and_checked(app, factory):
    client = app.test_client()
    assert client.get("/api/v1/me").status_code == 401
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer exk_wrong"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    _user, token = factory.user("receiving_staff", "330825")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_needs_the_csrf_token_and_the_right_password(app, factory):
    user, _token = factory.user("sending_staff", "510524", username="clerk-login")
    client = app.test_client()
    page = client.get("/login")
    assert page.status_code == 200 and 'name="username"' in page.text and 'name="password"' in page.text
    assert client.post("/login", data={"username": "clerk-login", "password": "Pw-test-123456"}).status_code == 400
    wrong = client.post("/login", data={"username": "clerk-login", "password": "nope", "csrf_token": _csrf(page.text)})
    assert wrong.status_code == 200 and "用户名或密码错误" in wrong.text
    with client.session_transaction() as session:
        assert "sid" not in session
    ok = client.post("/login", data={"username": "clerk-login", "password": "Pw-test-123456", "csrf_token": _csrf(page.text)})
    assert ok.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "clerk-login" in home.text and "输出地工作人员" in home.text
    # A link cannot log anyone out: GET /logout only asks.
    asks = client.get("/logout")
    assert asks.status_code == 200 and 'action="/logout"' in asks.text and "clerk-login" in client.get("/").text
    client.post("/logout", data={"csrf_token": TOKEN.search(home.text).group(1)})
    assert "clerk-login" not in client.get("/").text


def test_login_redirects_only_to_this_site(app, factory):
    factory.user("sending_staff", "510524", username="clerk-next")
    client = app.test_client()
    token = _csrf(client.get("/login").text)
    r = client.post("/login?next=https://evil.example/", data={"username": "clerk-next", "password": "Pw-test-123456", "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/"


def test_the_landing_page_is_chinese_and_links_to_login(app):
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text
    assert 'href="/login"' in page.text and "东西部劳务协作" in page.text
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Log in" in english.text
    assert '<html lang="en">' in client.get("/login").text  # the choice sticks to the session
    assert '<html lang="zh-CN">' in client.get("/?lang=zh_CN").text
