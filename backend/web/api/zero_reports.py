"""敏感节点「零报告」 as JSON: a department files its day; the 信访部门 and leaders see who has not."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from ...auth import OVERSEERS, REGISTRARS, Viewer
from ...errors import FieldErrors, Forbidden
from ...repo import zero_reports
from ..common import date_param
from ..context import STAFF
from ..jsonio import json_response, read_json
from ..security import VIEWER, roles, staff_api

routes = web.RouteTableDef()
LATE_FILING_DAYS = 366  # a missed or wrong day may be filed or corrected later (the audit keeps who, when)


def may_file(viewer: Viewer, department_id: str) -> None:
    """An officer files for its own department only; the 信访部门 may file on a department's behalf."""
    if not viewer.sees_all_cases and viewer.department_id != department_id:
        raise Forbidden("只能报送本部门的零报告")


def report_day(raw: object, today: date) -> date:
    """The day a report is for: today (China time, the office's day) or up to a year back — never
    a day that has not happened yet (nothing can be reported about it)."""
    day = date_param(raw) if isinstance(raw, str) else None
    if day is None or day < today - timedelta(days=LATE_FILING_DAYS):
        raise FieldErrors({"date": "date 应为今天或一年内的日期（YYYY-MM-DD）"})
    if day > today:
        raise FieldErrors({"date": f"不能报送将来日期的零报告（今天是 {today.isoformat()}，北京时间）"})
    return day


@routes.post("/api/v1/zero-reports")
@staff_api
@roles(*REGISTRARS, refused="零报告由各部门报送")
async def file_report(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    body = await read_json(request)
    department = str(body.get("department") or viewer.department_id or "")
    may_file(viewer, department)
    day = report_day(body.get("date") or context.today().isoformat(), context.today())
    incidents = zero_reports.clean_incidents(body.get("incidents", []))
    async with context.store.unit() as uow:
        report, created = await zero_reports.submit(uow.session, day, department, incidents, viewer.username)
        answer = {
            "id": report.id,
            "date": day.isoformat(),
            "department": department,
            "zero": not incidents,
            "incidents": len(incidents),
        }
    return json_response(answer, 201 if created else 200)


@routes.get("/api/v1/zero-reports")
@staff_api
@roles(*OVERSEERS, refused="零报告汇总供信访部门和领导查看")
async def day_status(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    raw = request.query.get("date")
    day = date_param(raw) if raw else context.today()
    if day is None:
        raise web.HTTPUnprocessableEntity(text="date 应为 YYYY-MM-DD")
    async with context.store.unit() as uow:
        reports, missing = await zero_reports.of_day(uow.session, day)
        period = await zero_reports.period_of(uow.session, day)
        answer = {
            "date": day.isoformat(),
            "period": period.name if period else None,
            "submitted": [r.department_id for r in reports],
            "missing": [d for d, _ in missing],
            "incidents": [{"department": r.department_id, **i} for r in reports for i in r.incidents],
        }
    return json_response(answer)


@routes.get("/api/v1/zero-reports/history")
@staff_api
@roles(*REGISTRARS, *OVERSEERS, refused="无权查看零报告")
async def history(request: web.Request) -> web.Response:
    """A department's past reports, newest first (`?department=`, `?from=`, `?to=`; an officer's
    own department by default, and only its own)."""
    context, viewer = request.app[STAFF], request[VIEWER]
    department = request.query.get("department") or viewer.department_id or ""
    if not department:
        raise FieldErrors({"department": "请指定部门（department）"})
    if not viewer.is_leader:
        may_file(viewer, department)
    today = context.today()
    since = date_param(request.query.get("from")) if request.query.get("from") else today - timedelta(days=90)
    until = date_param(request.query.get("to")) if request.query.get("to") else today
    if since is None or until is None:
        raise FieldErrors({"from": "from / to 应为 YYYY-MM-DD"})
    async with context.store.unit() as uow:
        reports = await zero_reports.history(uow.session, department, since, until)
        answer = {
            "department": department,
            "from": since.isoformat(),
            "to": until.isoformat(),
            "reports": [
                {
                    "date": r.day.isoformat(),
                    "zero": not r.incidents,
                    "incidents": list(r.incidents),
                    "submitted_by": r.submitted_by,
                    "submitted_at": r.submitted_at.isoformat(),
                }
                for r in reports
            ],
        }
    return json_response(answer)
