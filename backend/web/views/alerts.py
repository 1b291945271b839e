"""Urgent alerts (条例第二十五条): the 信访部门 sees them at once and records what it did."""

from __future__ import annotations

from aiohttp import web

from ...auth import COORDINATORS
from ...repo import alerts as alert_repo
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()
REFUSED = "紧急情况由信访部门处理"


@routes.get("/staff/alerts")
@staff_page
@roles(*COORDINATORS, refused=REFUSED)
async def alerts_page(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    async with context.store.unit() as uow:
        alerts = await alert_repo.recent(uow.session)
        urgent_cases = await alert_repo.urgent_cases(uow.session)
    return render(request, "alerts.html", alerts=alerts, urgent_cases=urgent_cases, tz=context.timezone)


@routes.post("/staff/alerts/{alert_id}/handle")
@staff_page
@roles(*COORDINATORS, refused=REFUSED)
async def handle_alert(request: web.Request) -> web.Response:
    note = str((await request.post()).get("note", ""))[:1000]
    async with request.app[STAFF].store.unit() as uow:
        await alert_repo.mark_handled(uow.session, request.match_info["alert_id"], request[VIEWER].username, note)
    raise web.HTTPFound("/staff/alerts")
