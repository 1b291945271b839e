"""Staff sign-in, as the attacks: parallel guesses against the real server, a stalled event loop,
one address locking out everyone, a restart resetting the count, a cookie reused after logout,
sessions outliving a password or role change; and HTTPS (Secure cookies, HSTS)."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from backend import signin
from bot.app import create_app
from tests.auxil.staff import PASSWORD, a_staff, api_token, log_in

WRONG = "wrong-password-1"


async def token_attempt(client, username: str, password: str, headers: dict | None = None) -> int:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}, headers=headers or {}
    )
    return response.status


async def form_attempt(client, username: str, password: str) -> int:  # type: ignore[no-untyped-def]
    form = await (await client.get("/staff/login")).text()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": csrf},
        allow_redirects=False,
    )
    return response.status


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_forty_parallel_guesses_get_five_checks(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    statuses = await asyncio.gather(*(token_attempt(client, "disp", f"{WRONG}{i}") for i in range(40)))
    assert statuses.count(401) == signin.PER_ACCOUNT  # counted before checking: the rest never reach argon2
    assert statuses.count(429) == 40 - signin.PER_ACCOUNT
    # the account is locked, for the form as for the API — even with the right password
    assert await token_attempt(client, "disp", PASSWORD) == 429
    assert await form_attempt(client, "disp", PASSWORD) == 429


async def test_parallel_form_guesses_are_throttled_too(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    statuses = await asyncio.gather(*(form_attempt(client, "disp", f"{WRONG}{i}") for i in range(20)))
    assert statuses.count(401) == signin.PER_ACCOUNT and statuses.count(429) == 20 - signin.PER_ACCOUNT


async def test_healthz_answers_while_passwords_are_being_checked(client, store) -> None:  # type: ignore[no-untyped-def]
    """argon2 runs on worker threads: the event loop (and /healthz) never waits for it."""
    flood = asyncio.gather(*(token_attempt(client, f"nobody{i}", WRONG) for i in range(24)))
    await asyncio.sleep(0.05)
    started, delays = time.perf_counter(), []
    while not flood.done():
        t = time.perf_counter()
        assert (await client.get("/healthz")).status == 200
        delays.append(time.perf_counter() - t)
        await asyncio.sleep(0.02)
    statuses = await flood
    assert statuses == [401] * 24  # each account tried once: every password was really checked
    assert time.perf_counter() - started > 0.5  # … which took a while (24 argon2 verifications)
    # on the event loop, 24 checks stall /healthz for seconds (about 0.15 s each); off it, the
    # health check waits at most for its turn at the (single, on SQLite) database connection
    assert len(delays) >= 5 and max(delays) < 1.5 and sorted(delays)[len(delays) // 2] < 0.25, delays


async def test_one_address_does_not_lock_out_the_other_accounts(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "colleague", "dispatcher")
    for _ in range(signin.PER_ACCOUNT + 2):
        await token_attempt(client, "disp", WRONG)
    assert await token_attempt(client, "disp", PASSWORD) == 429
    assert await token_attempt(client, "colleague", PASSWORD) == 200  # same address, other account
    assert await form_attempt(client, "colleague", PASSWORD) == 302


async def test_behind_a_trusted_proxy_each_client_address_has_its_own_cap(  # type: ignore[no-untyped-def]
    aiohttp_client, config, engine, store, monkeypatch
) -> None:
    monkeypatch.setattr(signin, "PER_ADDRESS", 3)
    proxied = await aiohttp_client(
        create_app(config.model_copy(update={"trusted_proxies": "127.0.0.1"}), engine=engine)
    )
    await a_staff(store, "disp", "dispatcher")
    one, other = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.9"}
    for i in range(3):
        assert await token_attempt(proxied, f"nobody{i}", WRONG, one) == 401
    assert await token_attempt(proxied, "disp", PASSWORD, one) == 429  # that address has had its share
    assert await token_attempt(proxied, "disp", PASSWORD, other) == 200  # the office next door has not


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_restart_does_not_reset_the_count(aiohttp_client, config, engine, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    first = await aiohttp_client(create_app(config, engine=engine))
    for _ in range(signin.PER_ACCOUNT):
        assert await token_attempt(first, "disp", WRONG) == 401
    await first.close()
    restarted = await aiohttp_client(create_app(config, engine=engine))
    assert await token_attempt(restarted, "disp", PASSWORD) == 429


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_cookie_reused_after_logout_is_refused(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    csrf = await log_in(client, "disp")
    stolen = client.session.cookie_jar.filter_cookies(client.make_url("/"))["xf_session"].value
    assert (await client.post("/staff/logout", data={"csrf_token": csrf}, allow_redirects=False)).status == 302
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies({"xf_session": stolen})
    response = await client.get("/staff/cases", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/staff/login")


async def test_a_bearer_token_ends_when_revoked(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    assert (await client.get("/api/v1/cases", headers=headers)).status == 200
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status == 204
    assert (await client.get("/api/v1/cases", headers=headers)).status == 401


async def test_a_password_change_ends_every_session_and_token(client, aiohttp_client, config, engine, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    other_device = await aiohttp_client(create_app(config, engine=engine))
    await log_in(other_device, "disp")
    token = await api_token(client, "disp")
    csrf = await log_in(client, "disp")
    new = "another-horse-77"
    response = await client.post(
        "/staff/password",
        data={"csrf_token": csrf, "current": PASSWORD, "new": new, "repeat": new},
        allow_redirects=False,
    )
    assert response.status == 302 and "/staff/login" in response.headers["Location"]
    assert (await client.get("/staff/cases", allow_redirects=False)).status == 302
    assert (await other_device.get("/staff/cases", allow_redirects=False)).status == 302
    assert (await client.get("/api/v1/cases", headers=token)).status == 401
    assert await token_attempt(client, "disp", new) == 200


async def test_a_role_change_ends_the_old_sessions_at_once(client, aiohttp_client, config, engine, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "adm", "admin")
    officer_id = await a_staff(store, "cg", "officer", "chengguanju")
    officer = await aiohttp_client(create_app(config, engine=engine))
    await log_in(officer, "cg")
    officer_token = await api_token(officer, "cg")
    csrf = await log_in(client, "adm")
    moved = await client.post(
        f"/staff/accounts/{officer_id}/role",
        data={"csrf_token": csrf, "role": "officer", "department": "jiaoyuju"},
        allow_redirects=False,
    )
    assert moved.status == 302 and "message=" in moved.headers["Location"]
    assert (await officer.get("/staff/cases", allow_redirects=False)).status == 302
    assert (await officer.get("/api/v1/cases", headers=officer_token)).status == 401


async def test_https_means_secure_cookies_and_hsts(aiohttp_client, config, engine, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    plain = await aiohttp_client(create_app(config, engine=engine))
    page = await plain.get("/staff/login")
    assert "Strict-Transport-Security" not in page.headers and "Secure" not in page.headers["Set-Cookie"]
    # a client cannot claim HTTPS for itself: X-Forwarded-Proto counts only from a trusted proxy
    spoofed = await plain.get("/staff/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers
    for update, headers in (
        ({"secure_cookies": True}, {}),
        ({"trusted_proxies": "127.0.0.1/32"}, {"X-Forwarded-Proto": "https"}),
    ):
        https = await aiohttp_client(create_app(config.model_copy(update=update), engine=engine))
        page = await https.get("/staff/login", headers=headers)
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        assert "Secure" in page.headers["Set-Cookie"]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)  # type: ignore[union-attr]
        signed_in = await https.post(  # (the test client does not send Secure cookies over plain HTTP)
            "/staff/login",
            data={"username": "disp", "password": PASSWORD, "csrf_token": csrf},
            headers={**headers, "Cookie": f"xf_login_csrf={csrf}"},
            allow_redirects=False,
        )
        assert signed_in.status == 302
        session = signed_in.cookies["xf_session"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Strict"
