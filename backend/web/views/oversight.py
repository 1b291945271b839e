"""Oversight: statistics, the 条例第四十一条 report, the ledger export."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from aiohttp import web

from ... import bulletin, export, stats
from ...auth import OVERSEERS
from ...repo import case_list
from ...repo import events as event_repo
from ..common import case_filter, month_bounds, period
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()


@routes.get("/staff/stats")
@staff_page
async def stats_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    start, end = period(request, today - timedelta(days=365))
    if "from" not in request.query and "month" not in request.query:
        start, end = today - timedelta(days=365), today
    async with context.store.unit() as uow:
        figures = await stats.statistics(uow.session, viewer, start, end, context.timezone, today, context.topic_words)
    steered = [(context.channel_names.get(c, c), n) for c, n in figures.steered]
    return render(request, "stats.html", s=figures, steered=steered)


@routes.get("/staff/report")
@staff_page
async def report_page(request: web.Request) -> web.Response:
    """The 条例第四十一条 report's contents, for any period, printable."""
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    start, end = period(request, today)
    if "month" not in request.query and "from" not in request.query:
        last = today.replace(day=1) - timedelta(days=1)
        start, end = last.replace(day=1), last
    async with context.store.unit() as uow:
        figures = await stats.statistics(uow.session, viewer, start, end, context.timezone, today, context.topic_words)
    steered = [(context.channel_names.get(c, c), n) for c, n in figures.steered]
    return render(request, "report.html", s=figures, steered=steered, generated=context.now())


@routes.get("/staff/bulletin")
@staff_page
@roles(*OVERSEERS, refused="督查通报供信访部门和领导查看")
async def bulletin_page(request: web.Request) -> web.Response:
    """督查通报, printable: the month's league of departments."""
    context = request.app[STAFF]
    today = context.today()
    month = request.query.get("month") or f"{today:%Y-%m}"
    bounds = month_bounds(month) or month_bounds(f"{today:%Y-%m}")
    assert bounds is not None
    async with context.store.unit() as uow:
        rows = await bulletin.month(uow.session, *bounds, today, context.timezone)
    active = [r for r in rows if r.active]
    return render(
        request,
        "bulletin.html",
        month=f"{bounds[0]:%Y-%m}",
        start=bounds[0],
        end=bounds[1],
        rows=active,
        quiet=[r for r in rows if not r.active],
        total=bulletin.totals(rows),
        generated=context.now(),
    )


@routes.get("/staff/export.{fmt:(csv|xlsx)}")
@staff_page
async def export_ledger(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    f = case_filter(request)
    async with context.store.unit() as uow:
        rows = await export.ledger(uow.session, viewer, f, context.today(), context.timezone)
        tickets = [r[0] for r in rows if r[6] != export.HIDDEN]
        # every view of personal data is recorded, exports included
        ids = await case_list.ids_of(uow.session, tickets)
        await event_repo.record_pii_views(uow.session, ids, viewer.actor, "导出台账")
    stamp = f"{context.today():%Y%m%d}"
    if request.match_info["fmt"] == "csv":
        body, mime = export.to_csv(rows), "text/csv"
    else:
        body, mime = export.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = quote(f"信访台账_{stamp}.{request.match_info['fmt']}")
    return web.Response(
        body=body, content_type=mime, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )
