"""重复信访治理 and 积案: people who petition again and again (whatever the channel), the matters
several people raise (groups staff confirmed), and the cases open past their deadline or
reopened twice (积案), each with its own ledger."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from aiohttp import web

from nlp.pii import mask_phone

from ... import workflow
from ...auth import COORDINATORS
from ...repo import case_list
from ...repo import cases as case_repo
from ...repo.case_list import BACKLOG_REOPENED, CaseFilter
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()
REPEAT_WINDOW = timedelta(days=365)


@routes.get("/staff/repeats")
@staff_page
@roles(*COORDINATORS, refused="重复信访治理由信访部门负责")
async def repeats_page(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    today = context.today()
    since = datetime.combine(today - REPEAT_WINDOW, time.min, context.timezone)
    async with context.store.unit() as uow:
        people = await case_repo.repeat_petitioners(uow.session, since)
        groups = await case_repo.matter_groups(uow.session)
    people = [(mask_phone(phone), cases) for phone, cases in people]
    return render(request, "repeats.html", people=people, groups=groups, since=since.date())


@routes.get("/staff/backlog")
@staff_page
async def backlog_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    f = CaseFilter(queue="backlog", sort="due", per_page=200, timezone=context.timezone)
    async with context.store.unit() as uow:
        cases, total = await case_list.list_cases(uow.session, viewer, f, today)
    rows = []
    for case in cases:
        due = workflow.current_due(case)
        reasons = []
        if due and due < today:
            reasons.append(f"超期 {(today - due).days} 日")
        if case.reopen_count >= BACKLOG_REOPENED:
            reasons.append(f"复查、复核 {case.reopen_count} 次")
        rows.append((case, viewer.redact(case, case.summary), due, "；".join(reasons)))
    return render(request, "backlog.html", rows=rows, total=total, today=today)
