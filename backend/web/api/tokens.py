"""Bearer tokens for the staff API: the same sign-in as the dashboard (throttle in the database,
password checked off the event loop), and a DELETE that ends the token at once."""

from __future__ import annotations

from aiohttp import web

from ... import signin
from ...repo import sessions
from ..context import STAFF
from ..jsonio import json_response, read_json
from ..security import bearer_token, client_address, staff_api

routes = web.RouteTableDef()


@routes.post("/api/v1/auth/token")
async def token(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    body = await read_json(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise web.HTTPBadRequest(text="username 和 password 应为字符串")
    try:
        done = await signin.sign_in(
            context.store, username.strip()[:64], password[:1024], client_address(request), "api"
        )
    except signin.Throttled as exc:
        raise web.HTTPTooManyRequests(
            text="登录尝试次数过多，此账号暂时锁定，请稍后再试", headers={"Retry-After": str(int(exc.wait) + 1)}
        ) from None
    if done is None:
        raise web.HTTPUnauthorized(text="账号或密码不正确")
    return json_response({"token": done.token, "token_type": "bearer", "expires_in": done.expires_in})


@routes.delete("/api/v1/auth/token")
@staff_api
async def revoke(request: web.Request) -> web.Response:
    """Sign out: the token presented is refused from now on."""
    async with request.app[STAFF].store.unit() as uow:
        await sessions.end(uow.session, bearer_token(request) or "")
    return web.Response(status=204)
