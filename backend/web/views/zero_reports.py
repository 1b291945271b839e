"""敏感节点「零报告」 in the dashboard: admins set the periods, departments file their day, the
信访部门 and leaders see who has filed, what was reported and who is missing."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ...errors import Forbidden, Invalid
from ...models import StaffRole
from ...repo import departments as department_repo
from ...repo import zero_reports
from ..api.zero_reports import may_file, report_day
from ..common import date_param
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()


@routes.get("/staff/zero-reports")
@staff_page
async def zero_reports_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    day = date_param(request.query.get("date")) or today
    async with context.store.unit() as uow:
        reports, missing = await zero_reports.of_day(uow.session, day)
        period = await zero_reports.period_of(uow.session, day)
        periods = await zero_reports.periods(uow.session, today)
        departments = await department_repo.all_active(uow.session)
    names = {d.id: d.name for d in departments}
    if viewer.role == StaffRole.OFFICER:  # a department sees its own report, not the others'
        reports = [r for r in reports if r.department_id == viewer.department_id]
        missing = [m for m in missing if m[0] == viewer.department_id]
    return render(
        request,
        "zero_reports.html",
        day=day,
        today=today,
        period=period,
        periods=periods,
        reports=reports,
        missing=missing,
        names=names,
        departments=departments,
        error=request.query.get("error"),
        message=request.query.get("message"),
    )


@routes.post("/staff/zero-reports")
@staff_page
async def file_zero_report(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    form = await request.post()
    department = str(form.get("department") or viewer.department_id or "")
    lines = [line.strip() for line in str(form.get("incidents", "")).splitlines() if line.strip()]
    try:
        if viewer.is_leader:
            raise Forbidden("零报告由各部门报送")
        may_file(viewer, department)
        day = report_day(str(form.get("date") or context.today().isoformat()), context.today())
        async with context.store.unit() as uow:
            await zero_reports.submit(
                uow.session, day, department, [{"summary": x[:1000]} for x in lines], viewer.username
            )
    except (Invalid, Forbidden) as exc:
        raise web.HTTPFound(f"/staff/zero-reports?error={quote(str(exc))}") from None
    done = "已报送零报告" if not lines else f"已报送 {len(lines)} 项情况"
    raise web.HTTPFound(f"/staff/zero-reports?date={day}&message={quote(done)}")


@routes.post("/staff/zero-reports/periods")
@staff_page
@roles(StaffRole.ADMIN, refused="敏感节点由管理员设置")
async def add_period(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        async with request.app[STAFF].store.unit() as uow:
            await zero_reports.add_period(
                uow.session,
                str(form.get("name", "")),
                date_param(str(form.get("start", ""))),
                date_param(str(form.get("end", ""))),
                request[VIEWER].username,
            )
    except Invalid as exc:
        raise web.HTTPFound(f"/staff/zero-reports?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/zero-reports?message={quote('已设置敏感节点')}")
