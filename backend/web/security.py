"""Who is asking: server-side sessions (HTML) and bearer tokens (API), CSRF on every form,
`no-store` on everything personal, and what counts as HTTPS and as the client's address.

HTTPS: `XINFANG_SECURE_COOKIES=1` says the site is served over HTTPS (set it behind a TLS-
terminating proxy); a direct TLS connection counts too, and so does `X-Forwarded-Proto: https`
— but only from an address listed in `XINFANG_TRUSTED_PROXIES`, since anyone can send the
header. Then cookies are `Secure` and every response carries HSTS. The client's address (for
the sign-in throttle) is likewise read from `X-Forwarded-For` only behind a trusted proxy.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ..auth import Viewer
from ..models import utcnow
from ..repo import sessions
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
HSTS = "max-age=31536000; includeSubDomains"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _viewer_from(request: web.Request, token: str, kind: str) -> Viewer | None:
    context = request.app[STAFF]
    if not token or len(token) > 200:
        return None
    async with context.store.unit() as uow:
        found = await sessions.find(uow.session, token, kind, utcnow())
    if found is None:
        return None
    staff, csrf = found
    return Viewer.of(staff, csrf, context.discipline_department)


async def session_viewer(request: web.Request) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE)
    return await _viewer_from(request, token, "session") if token else None


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


async def bearer_viewer(request: web.Request) -> Viewer | None:
    token = bearer_token(request)
    return await _viewer_from(request, token, "api") if token else None


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


def _trusted(request: web.Request, address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in request.app[STAFF].trusted_proxies)


def client_address(request: web.Request) -> str:
    """The client's address: the peer, or — behind a trusted proxy — the last address in
    X-Forwarded-For that is not one of our proxies."""
    peer = request.remote or "unknown"
    if STAFF not in request.app or not _trusted(request, peer):
        return peer
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(request, address):
            return address[:64]
    return peer


def is_https(request: web.Request) -> bool:
    if request.secure:
        return True
    if STAFF not in request.app:
        return False
    if request.app[STAFF].secure_cookies:
        return True
    proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return proto == "https" and _trusted(request, request.remote)


def cookie_settings(request: web.Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "Strict", "secure": is_https(request), "path": "/"}


async def strict_transport(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: HSTS on every response served over HTTPS."""
    if is_https(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
