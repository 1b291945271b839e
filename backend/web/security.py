"""Who is asking: signed session cookies (HTML) and bearer tokens (API), CSRF on every form,
login throttling, and `no-store` on everything personal."""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ..auth import Viewer, unsign
from ..errors import NotFound
from ..repo import staff as staff_repo
from . import badges
from .context import STAFF

SESSION_COOKIE = "xf_session"
VIEWER = web.RequestKey("viewer", Viewer)  # the signed-in staff member of a request
LOGIN_CSRF_COOKIE = "xf_login_csrf"
# routes under /staff/ and /api/v1/ that do not need a signed-in staff member
PUBLIC_PATHS = frozenset(
    {
        "/staff/login",
        "/api/v1/auth/token",
        "/api/v1/ask",
        "/api/v1/triage",
        "/api/v1/openapi.json",
        "/api/v1/status",
        "/api/v1/reception-days",
    }
)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _viewer_from(request: web.Request, token: str, kind: str) -> Viewer | None:
    context = request.app[STAFF]
    payload = unsign(token, context.secret)
    if payload is None or payload.get("kind") != kind:
        return None
    try:
        async with context.store.unit() as uow:
            staff = await staff_repo.get_active(uow.session, int(payload["sid"]), int(payload["v"]))
    except (NotFound, KeyError, ValueError, TypeError):
        return None
    return Viewer.of(staff, str(payload.get("csrf", "")))


async def session_viewer(request: web.Request) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE)
    return await _viewer_from(request, token, "session") if token else None


async def bearer_viewer(request: web.Request) -> Viewer | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return await _viewer_from(request, header[7:].strip(), "api")


def staff_page(handler: Handler) -> Handler:
    """An HTML page for signed-in staff: anyone else is sent to the login form."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        viewer = await session_viewer(request)
        if viewer is None:
            if request.method != "GET":
                raise web.HTTPForbidden(text="请先登录")
            raise web.HTTPFound(f"/staff/login?next={request.path}")
        request[VIEWER] = viewer
        if request.method == "POST":
            await check_csrf(request, viewer)
            badges.forget(request)  # an action may change the counts in the navigation
        else:
            found = await badges.nav_badges(request, viewer)
            if found is not None:
                request[badges.BADGES] = found
        response = await handler(request)
        response.headers.update(NO_STORE)
        return response

    wrapper.staff_only = True  # type: ignore[attr-defined]
    return wrapper


def staff_api(handler: Handler) -> Handler:
    """A JSON endpoint for staff: a bearer token (or a session, for the dashboard's own use)."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        viewer = await bearer_viewer(request)
        if viewer is None:
            raise web.HTTPUnauthorized(
                text="需要有效的访问令牌（Authorization: Bearer …）",
                headers={"WWW-Authenticate": 'Bearer realm="xinfang"'},
            )
        request[VIEWER] = viewer
        response = await handler(request)
        response.headers.update(NO_STORE)
        return response

    wrapper.staff_only = True  # type: ignore[attr-defined]
    return wrapper


def roles(*allowed: str, refused: str = "您的角色无权使用此功能") -> Callable[[Handler], Handler]:
    """Only these staff roles; put it under @staff_page or @staff_api (which sign the viewer in)."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            if request[VIEWER].role not in allowed:
                raise web.HTTPForbidden(text=refused)
            return await handler(request)

        return wrapper

    return decorate


async def check_csrf(request: web.Request, viewer: Viewer) -> None:
    form = await request.post()
    token = form.get("csrf_token", "")
    if not isinstance(token, str) or not viewer.csrf or not hmac.compare_digest(token, viewer.csrf):
        raise web.HTTPForbidden(text="表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def login_csrf(request: web.Request) -> str:
    """Double-submit token for the login form (there is no session yet)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


class LoginThrottle:
    """At most `attempts` failed logins per `window` seconds per address and per username."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: OrderedDict[str, list[float]] = OrderedDict()

    def blocked(self, *keys: str) -> float:
        now = time.monotonic()
        wait = 0.0
        for key in keys:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window]
            self._failures[key] = recent
            if len(recent) >= self.attempts:
                wait = max(wait, self.window - (now - recent[0]))
        return wait

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._failures.setdefault(key, []).append(now)
            self._failures.move_to_end(key)
        while len(self._failures) > 50_000:
            self._failures.popitem(last=False)

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username}", None)


THROTTLE = web.AppKey("login_throttle", LoginThrottle)


def throttle(app: web.Application) -> LoginThrottle:
    if THROTTLE not in app:
        raise RuntimeError("login throttle not set up")
    return app[THROTTLE]


def cookie_settings(request: web.Request, secure: bool) -> dict[str, Any]:
    return {"httponly": True, "samesite": "Strict", "secure": secure or request.secure, "path": "/"}
