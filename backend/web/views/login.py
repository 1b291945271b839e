"""Signing in and out of the dashboard."""

from __future__ import annotations

import re
from urllib.parse import quote

from aiohttp import web

from ... import signin
from ...errors import Invalid
from ...repo import sessions
from ...repo import staff as staff_repo
from ..context import STAFF
from ..render import render
from ..security import (
    LOGIN_CSRF_COOKIE,
    NO_STORE,
    SESSION_COOKIE,
    VIEWER,
    client_address,
    cookie_settings,
    login_csrf,
    session_viewer,
    staff_page,
)

routes = web.RouteTableDef()

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
LOCKED = "登录尝试次数过多，此账号暂时锁定，请 {minutes} 分钟后再试。"
WRONG = "账号或密码不正确。"
CSRF_FAILED = "表单已过期（CSRF 校验失败），请刷新登录页后重试"
PASSWORD_CHANGED = "密码已修改，所有已登录的设备都已退出，请用新密码重新登录。"
WRONG_CURRENT = "当前密码不正确。"
MISMATCH = "两次输入的新密码不一致。"
# ─────────────────────────────────────────────────────────────────────────────


@routes.get("/staff/login")
async def login_form(request: web.Request) -> web.Response:
    if await session_viewer(request):
        raise web.HTTPFound("/staff/cases")
    token = login_csrf(request)
    response = render(
        request,
        "login.html",
        csrf_token=token,
        next=_safe_next(request.query.get("next")),
        error=None,
        message=request.query.get("message"),
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_settings(request))
    response.headers.update(NO_STORE)
    return response


@routes.post("/staff/login")
async def login(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    form = await request.post()
    username, password = str(form.get("username", "")).strip()[:64], str(form.get("password", ""))[:1024]
    next_url = _safe_next(str(form.get("next", "")))
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie_token or form.get("csrf_token") != cookie_token:
        raise web.HTTPForbidden(text=CSRF_FAILED)
    try:
        done = await signin.sign_in(context.store, username, password, client_address(request), "session")
    except signin.Throttled as exc:
        response = render(
            request,
            "login.html",
            status=429,
            csrf_token=cookie_token,
            next=next_url,
            error=LOCKED.format(minutes=int(exc.wait) // 60 + 1),
        )
        response.headers["Retry-After"] = str(int(exc.wait) + 1)
        return response
    if done is None:
        return render(request, "login.html", status=401, csrf_token=cookie_token, next=next_url, error=WRONG)
    response = web.HTTPFound(next_url)
    response.set_cookie(SESSION_COOKIE, done.token, max_age=done.expires_in, **cookie_settings(request))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


@routes.post("/staff/logout")
@staff_page
async def logout(request: web.Request) -> web.Response:
    """Ends the session on the server: the old cookie is refused from now on, wherever it is."""
    async with request.app[STAFF].store.unit() as uow:
        await sessions.end(uow.session, request.cookies.get(SESSION_COOKIE, ""))
    response = web.HTTPFound("/staff/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


@routes.get("/staff/password")
@staff_page
async def password_form(request: web.Request) -> web.Response:
    return render(request, "password.html", error=request.query.get("error"))


@routes.post("/staff/password")
@staff_page
async def change_password(request: web.Request) -> web.Response:
    """Own password: the current one checked (off the event loop); every session ends."""
    context, viewer = request.app[STAFF], request[VIEWER]
    form = await request.post()
    current, new = str(form.get("current", ""))[:1024], str(form.get("new", ""))[:1024]
    if new != str(form.get("repeat", ""))[:1024]:
        return render(request, "password.html", status=422, error=MISMATCH)
    try:
        right = await signin.verify(context.store, viewer.username, current, client_address(request))
    except signin.Throttled as exc:
        return render(request, "password.html", status=429, error=LOCKED.format(minutes=int(exc.wait) // 60 + 1))
    if right is None:
        return render(request, "password.html", status=403, error=WRONG_CURRENT)
    try:
        async with context.store.unit() as uow:
            await staff_repo.set_password(uow.session, viewer.staff_id, new)
    except Invalid as exc:
        return render(request, "password.html", status=422, error=str(exc))
    response = web.HTTPFound(f"/staff/login?message={quote(PASSWORD_CHANGED)}")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def _safe_next(value: str | None) -> str:
    return value if value and re.fullmatch(r"/staff/[A-Za-z0-9/_\-.?=&%]*", value) else "/staff/cases"


@routes.get("/staff")
@routes.get("/staff/")
@staff_page
async def home(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/staff/cases")
