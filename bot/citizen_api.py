"""Citizens' own endpoints: a case's progress by 受理编号 + phone, and the 领导接访日 schedule.

The lookup answers 404 with one and the same body for an unknown number and a wrong phone, and
is rate-limited per address and per number, so it cannot be used to find out whose case is whose.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from backend.errors import NotFound
from backend.models import Case, CaseStatus
from backend.repo import cases as case_repo
from backend.repo import reception
from backend.repo.events import EVENT_LABELS
from backend.workflow import current_due
from handlers.status import PUBLIC_EVENTS, TOLD_NOTES
from nlp.extract import normalise_phone

from .http import RateLimiter, check_rate, json_error, json_response, read_json
from .keys import CONFIG, STORE

routes = web.RouteTableDef()
LOOKUP_RATE = web.AppKey("status_lookup_rate", RateLimiter)
TICKET_RATE = web.AppKey("status_ticket_rate", RateLimiter)

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
NOT_FOUND = "没有找到：请核对受理编号和登记时留的电话号码。"
TOO_MANY = "查询太频繁，请稍后再试"
# ─────────────────────────────────────────────────────────────────────────────


def progress(case: Case) -> dict[str, Any]:
    due = current_due(case)
    return {
        "ticket": case.ticket,
        "status": case.status,
        "status_label": CaseStatus(case.status).label,
        "department": case.department_id,
        "department_name": case.department.name if case.department else None,
        "due": due.isoformat() if due else None,
        "events": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                "label": EVENT_LABELS.get(e.kind, e.kind),
                **({"note": e.note} if e.kind in TOLD_NOTES and e.note else {}),
            }
            for e in case.events
            if e.kind in PUBLIC_EVENTS
        ],
    }


@routes.post("/api/v1/status")
async def status(request: web.Request) -> web.Response:
    check_rate(request.app[LOOKUP_RATE], request)
    body = await read_json(request, max_bytes=4096)
    ticket, phone = body.get("ticket"), body.get("phone")
    if not isinstance(ticket, str) or not isinstance(phone, str | int):
        raise web.HTTPBadRequest(text="请提供受理编号（ticket）和电话（phone）")
    ticket = ticket.strip().upper()[:32]
    if request.app[TICKET_RATE].retry_after(f"ticket:{ticket}") > 0:
        raise web.HTTPTooManyRequests(text=TOO_MANY, headers={"Retry-After": "600"})
    try:
        async with request.app[STORE].unit() as uow:
            case = await case_repo.for_lookup(uow.session, ticket, normalise_phone(str(phone)) or "")
            answer = progress(case)
    except NotFound:
        return json_error(404, NOT_FOUND)
    return json_response(answer)


@routes.get("/status")
async def status_page(_request: web.Request) -> web.Response:
    """The web status page: 受理编号 + phone, from any device (it asks POST /api/v1/status)."""
    return web.Response(text=_status_html(), content_type="text/html", charset="utf-8")


@functools.cache
def _status_html() -> str:
    return (resources.files("bot") / "static" / "status.html").read_text("utf-8")


@routes.get("/api/v1/reception-days")
async def reception_days(request: web.Request) -> web.Response:
    today = datetime.now(ZoneInfo(request.app[CONFIG].timezone)).date()
    async with request.app[STORE].unit() as uow:
        days = await reception.upcoming(uow.session, today, limit=20)
        return json_response([reception.as_json(d) for d in days])


def setup(app: web.Application) -> None:
    app[LOOKUP_RATE] = RateLimiter(min(20, app[CONFIG].api_rate_per_minute))
    app[TICKET_RATE] = RateLimiter(10, per=3600.0)  # guessing phones for one number: 10 tries an hour
    app.add_routes(routes)
