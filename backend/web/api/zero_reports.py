"""敏感节点「零报告」 as JSON: a department files its day; the 信访部门 and leaders see who has not."""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from ...auth import OVERSEERS, REGISTRARS, Viewer
from ...errors import Forbidden, Invalid
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
    day = date_param(raw) if isinstance(raw, str) else None
    # one day ahead: a report filed just after midnight elsewhere, or a clock a little fast
    if day is None or day > today + timedelta(days=1) or day < today - timedelta(days=LATE_FILING_DAYS):
        raise Invalid("date 应为今天或一年内的日期（YYYY-MM-DD）")
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
