"""Leaders: the 包案 ledger (who leads which case, and how it stands) and the 领导接访日 schedule."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ... import workflow
from ...auth import COORDINATORS
from ...errors import Invalid
from ...repo import case_list
from ...repo import reception as reception_repo
from ..common import date_param
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()


@routes.get("/staff/leads")
@staff_page
async def lead_ledger(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    async with context.store.unit() as uow:
        cases = await case_list.led_cases(uow.session, viewer)
    rows = [(c, viewer.redact(c, c.summary), workflow.current_due(c)) for c in cases]
    return render(request, "leads.html", rows=rows, today=today)


@routes.get("/staff/reception")
@staff_page
async def reception_page(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    today = context.today()
    async with context.store.unit() as uow:
        days = await reception_repo.recent(uow.session, today.replace(day=1))
    return render(
        request,
        "reception.html",
        days=days,
        today=today,
        error=request.query.get("error"),
        message=request.query.get("message"),
    )


@routes.post("/staff/reception")
@staff_page
@roles(*COORDINATORS, refused="接访安排由信访部门维护")
async def add_reception(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    form = await request.post()
    get = lambda k: str(form.get(k, ""))  # noqa: E731
    try:
        async with context.store.unit() as uow:
            await reception_repo.add(
                uow.session,
                date_param(get("date")),
                get("leader"),
                get("place"),
                get("topics"),
                request[VIEWER].username,
                context.today(),
            )
    except Invalid as exc:
        raise web.HTTPFound(f"/staff/reception?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/reception?message={quote('已发布，群众可在网页和机器人中查到')}")


@routes.post("/staff/reception/{reception_id:\\d+}/delete")
@staff_page
@roles(*COORDINATORS, refused="接访安排由信访部门维护")
async def delete_reception(request: web.Request) -> web.Response:
    async with request.app[STAFF].store.unit() as uow:
        await reception_repo.remove(uow.session, int(request.match_info["reception_id"]))
    raise web.HTTPFound("/staff/reception")
