"""Signing in and out of the dashboard."""

from __future__ import annotations

import re

from aiohttp import web

from ...auth import issue
from ...repo import staff as staff_repo
from ..context import STAFF
from ..render import render
from ..security import (
    LOGIN_CSRF_COOKIE,
    NO_STORE,
    SESSION_COOKIE,
    THROTTLE,
    LoginThrottle,
    cookie_settings,
    login_csrf,
    session_viewer,
    staff_page,
)

routes = web.RouteTableDef()


@routes.get("/staff/login")
async def login_form(request: web.Request) -> web.Response:
    if await session_viewer(request):
        raise web.HTTPFound("/staff/cases")
    token = login_csrf(request)
    response = render(request, "login.html", csrf_token=token, next=_safe_next(request.query.get("next")), error=None)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_settings(request, request.app[STAFF].secure_cookies)
    )
    response.headers.update(NO_STORE)
    return response


@routes.post("/staff/login")
async def login(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    form = await request.post()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "")))
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie_token or form.get("csrf_token") != cookie_token:
        raise web.HTTPForbidden(text="表单已过期（CSRF 校验失败），请刷新登录页后重试")
    limiter: LoginThrottle = request.app[THROTTLE]
    keys = (f"ip:{request.remote}", f"user:{username}")
    wait = limiter.blocked(*keys)
    if wait:
        return render(
            request,
            "login.html",
            status=429,
            csrf_token=cookie_token,
            next=next_url,
            error=f"登录失败次数过多，请 {int(wait) // 60 + 1} 分钟后再试。",
        )
    async with context.store.unit() as uow:
        staff = await staff_repo.authenticate(uow.session, username, password)
        token = issue(staff, "session", context.secret) if staff else None
    if token is None:
        limiter.failed(*keys)
        return render(
            request, "login.html", status=401, csrf_token=cookie_token, next=next_url, error="账号或密码不正确。"
        )
    limiter.succeeded(username)
    response = web.HTTPFound(next_url)
    response.set_cookie(SESSION_COOKIE, token, max_age=8 * 3600, **cookie_settings(request, context.secure_cookies))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


@routes.post("/staff/logout")
@staff_page
async def logout(request: web.Request) -> web.Response:
    response = web.HTTPFound("/staff/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def _safe_next(value: str | None) -> str:
    return value if value and re.fullmatch(r"/staff/[A-Za-z0-9/_\-.?=&%]*", value) else "/staff/cases"


@routes.get("/staff")
@routes.get("/staff/")
@staff_page
async def home(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/staff/cases")
