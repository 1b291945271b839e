"""Every staff route refuses strangers; CSRF, escaping, headers, roles and 条例第三十条."""

from __future__ import annotations

import re

from aiohttp import web

from backend.web.security import PUBLIC_PATHS
from tests.auxil.cases import a_case, a_citizen
from tests.auxil.staff import a_staff, api_token, log_in


def staff_routes(app: web.Application) -> list[tuple[str, str]]:
    """Every (method, concrete path) under /staff/ and /api/v1/ that is not public."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if not path or route.method in ("HEAD", "OPTIONS"):
            continue
        if not (path.startswith("/staff") or path.startswith("/api/v1/")) or path in PUBLIC_PATHS:
            continue
        if path.startswith("/staff/static"):
            continue
        concrete = path
        for name in re.findall(r"\{(\w+)\}", path):
            # a parameter restricted to alternatives takes the first one: {fmt:(csv|xlsx)} → csv
            group = re.search(rf"\(\?P<{name}>\((\w+)\|", info["pattern"].pattern) if "pattern" in info else None
            value = group.group(1) if group else ("XF-20261125-0001" if name == "ticket" else "1")
            concrete = concrete.replace(f"{{{name}}}", value)
        found.append((route.method, concrete))
    return found


async def test_every_staff_route_refuses_an_unauthenticated_request(client) -> None:  # type: ignore[no-untyped-def]
    routes = staff_routes(client.server.app)
    assert len(routes) >= 15, routes  # the enumeration really sees the dashboard and the API
    for method, path in routes:
        response = await client.request(method, path, allow_redirects=False)
        assert response.status in (302, 401, 403), (method, path, response.status)
        if response.status == 302:
            assert response.headers["Location"].startswith("/staff/login")
        if path.startswith("/api/"):
            assert response.status == 401 and (await response.json())["error"]["code"] == "unauthorized"


async def test_a_forged_or_expired_token_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    for token in ("nonsense", "a.b", "eyJzaWQiOjF9.AAAA"):
        response = await client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert response.status == 401
    client.session.cookie_jar.update_cookies({"xf_session": "forged.value"})
    assert (await client.get("/staff/cases", allow_redirects=False)).status == 302


async def test_login_needs_its_csrf_token_and_is_rate_limited(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    no_csrf = await client.post("/staff/login", data={"username": "disp", "password": "x"}, allow_redirects=False)
    assert no_csrf.status == 403
    form = await (await client.get("/staff/login")).text()
    assert 'name="csrf_token"' in form and 'name="username"' in form and 'name="password"' in form
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    statuses = []
    for _ in range(7):
        r = await client.post("/staff/login", data={"username": "disp", "password": "wrong", "csrf_token": csrf})
        statuses.append(r.status)
    assert statuses[:5] == [401] * 5 and statuses[5] == 429


async def test_forms_without_a_valid_csrf_token_are_refused(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    ticket = (await a_case(store, await a_citizen(store))).case.ticket
    csrf = await log_in(client, "disp")
    refused = await client.post(f"/staff/cases/{ticket}/actions", data={"action": "accept"}, allow_redirects=False)
    assert refused.status == 403
    wrong = await client.post(
        f"/staff/cases/{ticket}/actions", data={"action": "accept", "csrf_token": "x" * 32}, allow_redirects=False
    )
    assert wrong.status == 403
    ok = await client.post(
        f"/staff/cases/{ticket}/actions", data={"action": "accept", "csrf_token": csrf}, allow_redirects=False
    )
    assert ok.status == 302 and "message=" in ok.headers["Location"]


async def test_citizen_text_is_escaped_and_personal_pages_are_not_cached(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    result = await a_case(store, await a_citizen(store), facts="<script>alert('x')</script> 路灯坏了很久了请处理")
    await log_in(client, "disp")
    page = await client.get(f"/staff/cases/{result.case.ticket}")
    html = await page.text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Frame-Options"] == "DENY" and "default-src 'self'" in page.headers["Content-Security-Policy"]


async def test_an_officer_gets_404_for_another_departments_case(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "edu", "officer", "jiaoyuju")
    ticket = (await a_case(store, await a_citizen(store), department="chengguanju")).case.ticket
    await log_in(client, "edu")
    assert (await client.get(f"/staff/cases/{ticket}")).status == 404
    headers = await api_token(client, "edu")
    assert (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).status == 404
    listed = await (await client.get("/api/v1/cases", headers=headers)).json()
    assert listed["total"] == 0


async def test_the_accused_departments_officer_never_sees_who_complained(client, store) -> None:  # type: ignore[no-untyped-def]
    """条例第三十条: a complaint about 城管 staff, routed to 城管 — its officers see no identity."""
    await a_staff(store, "cg", "officer", "chengguanju")
    await a_staff(store, "disp", "dispatcher")
    facts = "城管队员李某在建设路执法时打人，我叫王小明，电话13912345678，当时我在现场"
    ticket = (
        await a_case(
            store, await a_citizen(store), facts=facts, department="chengguanju", accused_department_id="chengguanju"
        )
    ).case.ticket
    await log_in(client, "cg")
    html = await (await client.get(f"/staff/cases/{ticket}")).text()
    body = await (await client.get(f"/api/v1/cases/{ticket}", headers=await api_token(client, "cg"))).text()
    export = await (await client.get("/staff/export.csv")).text()
    for seen in (html, body, export):
        for secret in ("张三", "13812345678", "A市A3区建设路", "王小明", "13912345678"):
            assert secret not in seen, secret
    assert "第三十条" in html
    # the dispatcher does see it — and that view is on record, in the audit log (not the timeline)
    client.session.cookie_jar.clear()
    await log_in(client, "disp")
    assert "张三" in await (await client.get(f"/staff/cases/{ticket}")).text()
    headers = await api_token(client, "disp")
    detail = await (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).json()
    assert {e["kind"] for e in detail["events"]} <= {"filed", "routed", "triage", "urgent"}
    audit = await (await client.get(f"/api/v1/cases/{ticket}/audit", headers=headers)).json()
    assert [(a["actor"], a["action"]) for a in audit] == [("staff:disp", "api_case"), ("staff:disp", "case_page")]
