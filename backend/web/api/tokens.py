"""Bearer tokens for the staff API."""

from __future__ import annotations

from aiohttp import web

from ...auth import issue
from ...repo import staff as staff_repo
from ..context import STAFF
from ..jsonio import json_response, read_json
from ..security import THROTTLE

routes = web.RouteTableDef()


@routes.post("/api/v1/auth/token")
async def token(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    body = await read_json(request)
    username, password = str(body.get("username", "")).strip(), str(body.get("password", ""))
    keys = (f"ip:{request.remote}", f"user:{username}")
    throttle = request.app[THROTTLE]
    wait = throttle.blocked(*keys)
    if wait:
        raise web.HTTPTooManyRequests(text="登录失败次数过多，请稍后再试", headers={"Retry-After": str(int(wait) + 1)})
    async with context.store.unit() as uow:
        staff = await staff_repo.authenticate(uow.session, username, password)
        issued = issue(staff, "api", context.secret) if staff else None
    if issued is None:
        throttle.failed(*keys)
        raise web.HTTPUnauthorized(text="账号或密码不正确")
    throttle.succeeded(username)
    return json_response({"token": issued, "token_type": "bearer", "expires_in": 12 * 3600})
