"""Oversight reports as JSON: the month's 督查通报."""

from __future__ import annotations

from aiohttp import web

from ... import bulletin
from ...auth import OVERSEERS
from ..common import month_bounds
from ..context import STAFF
from ..jsonio import json_response
from ..security import roles, staff_api

routes = web.RouteTableDef()


@routes.get("/api/v1/reports/bulletin")
@staff_api
@roles(*OVERSEERS, refused="督查通报供信访部门和领导查看")
async def bulletin_data(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    today = context.today()
    month = request.query.get("month") or f"{today:%Y-%m}"
    bounds = month_bounds(month)
    if bounds is None:
        raise web.HTTPUnprocessableEntity(text="month 应为 YYYY-MM，例如 2026-11")
    async with context.store.unit() as uow:
        rows = await bulletin.month(uow.session, *bounds, today, context.timezone)
    return json_response({"month": month, "departments": [r.as_json() for r in rows]})
