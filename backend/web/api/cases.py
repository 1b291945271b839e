"""The staff JSON API for cases: list, read, act; and the departments cases go to."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from nlp.pii import mask_phone

from ... import registration, workflow
from ...auth import REGISTRARS, Viewer
from ...errors import Forbidden
from ...models import Case, CaseStatus
from ...repo import audit as audit_repo
from ...repo import departments as department_repo
from ...repo.case_list import COUNT_CAP, CaseFilter, case_for, list_cases
from ..common import HIDDEN, case_filter
from ..context import STAFF
from ..jsonio import json_response, read_json
from ..security import VIEWER, roles, staff_api

routes = web.RouteTableDef()
MAX_REGISTRATION_BYTES = 16 * 1024 * 1024  # a letter's scans, base64


def case_summary(case: Case, viewer: Viewer) -> dict[str, Any]:
    return {
        "ticket": case.ticket,
        "summary": viewer.redact(case, case.summary),
        "status": case.status,
        "status_label": CaseStatus(case.status).label,
        "kind": case.kind,
        "category": case.category,
        "department": case.department_id,
        "needs_triage": case.needs_triage,
        "urgent": case.urgent,
        "received_at": case.received_at.isoformat(),
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "source": case.source,
        "first_handler": case.first_handler,
        "assignee": case.assignee,
        "leader": case.leader,
    }


def case_detail(case: Case, viewer: Viewer) -> dict[str, Any]:
    identity = viewer.sees_identity(case)
    masked = lambda text: viewer.redact(case, text)  # noqa: E731
    return {
        **case_summary(case, viewer),
        "citizen": {
            "name": case.name if identity else HIDDEN,
            "phone": (mask_phone(case.phone) if case.phone else None) if identity else HIDDEN,
            "address": viewer.address(case) if identity else HIDDEN,
            "identity_hidden": not identity,
        },
        "facts": masked(case.facts),
        "request": masked(case.request),
        "reason": masked(case.reason),
        "group_size": case.group_size,
        "routing": {
            "category": case.category,
            "department": case.department_id,
            "confidence": case.routing_confidence,
            "keywords": case.routing_keywords,
        },
        "steer_channel": case.steer_channel,
        "deadlines": {
            "accept_due": case.accept_due,
            "accepted_on": case.accepted_on,
            "conclude_due": case.conclude_due,
            "extension_days": case.extension_days,
            "concluded_on": case.concluded_on,
            "review_request_due": case.review_request_due,
            "review_due": case.review_due,
            "supervise_due": case.supervise_due,
        },
        "letter_date": case.letter_date,
        "assisting": list(case.assisting or []),
        "group": case.group_id,
        "reopened": case.reopen_count,
        "opinion": case.opinion,
        "opinion_text": case.opinion_text,
        "satisfaction": case.satisfaction,
        "events": [
            {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "note": masked(e.note)} for e in case.events
        ],
    }


@routes.get("/api/v1/cases")
@staff_api
async def cases(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    f: CaseFilter = case_filter(request)
    try:
        f.per_page = max(1, min(int(request.query.get("per_page", "50")), 200))
    except ValueError:
        raise web.HTTPBadRequest(text="per_page 应为整数") from None
    async with context.store.unit() as uow:
        rows, total = await list_cases(uow.session, viewer, f, context.today())
    return json_response(
        {
            "total": min(total, COUNT_CAP),
            "total_capped": total > COUNT_CAP,  # there are more than `total`: narrow the filter
            "page": f.page,
            "per_page": f.per_page,
            "cases": [case_summary(c, viewer) for c in rows],
        }
    )


@routes.post("/api/v1/cases")
@staff_api
@roles(*REGISTRARS, refused="包案领导账号不登记来信来访")
async def register_case(request: web.Request) -> web.Response:
    """来信、来访、来电 registered by staff: 201 with the new case, 200 when it joined the same
    petitioner's open case on the same matter, 422 with a message per field."""
    context, viewer = request.app[STAFF], request[VIEWER]
    body = await read_json(request, max_bytes=MAX_REGISTRATION_BYTES)
    try:
        form = registration.parse(body, context.today())
        async with context.store.unit() as uow:
            done = await registration.register(
                uow.session,
                context.nlp,
                form,
                viewer,
                context.now(),
                context.today(),
                context.timezone,
                context.max_attachment_bytes,
            )
    except registration.FieldErrors as exc:
        return json_response({"error": {"code": "invalid", "message": str(exc), "fields": exc.fields}}, 422)
    return json_response(registered(done), 200 if done.result.repeat else 201)


def registered(done: registration.Registered) -> dict[str, Any]:
    case = done.result.case
    return {
        "ticket": case.ticket,
        "status": case.status,
        "kind": case.kind,
        "category": done.category,
        "department": case.department_id,
        "channel": done.channel,
        "first_handler": done.first_handler,
        "accept_due": case.accept_due.isoformat(),
        "needs_triage": case.needs_triage,
        "urgent": done.urgent,
        "repeat": done.result.repeat,
        "advice": done.advice,
    }


@routes.get("/api/v1/cases/{ticket}")
@staff_api
async def case(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    async with context.store.unit() as uow:
        found = await case_for(uow.session, viewer, request.match_info["ticket"])
        if viewer.sees_identity(found):
            await audit_repo.record_views(uow.session, [found.id], viewer.actor, "api_case")
    return json_response(case_detail(found, viewer))


@routes.get("/api/v1/cases/{ticket}/audit")
@staff_api
async def case_audit(request: web.Request) -> web.Response:
    """Who saw this case's personal data, newest first (administrators and those who may see it)."""
    context, viewer = request.app[STAFF], request[VIEWER]
    async with context.store.unit() as uow:
        found = await case_for(uow.session, viewer, request.match_info["ticket"])
        if not viewer.sees_audit(found):
            raise Forbidden("您无权查看本件的个人信息访问记录")
        entries = await audit_repo.of_case(uow.session, found.id)
    return json_response(
        [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "note": e.note} for e in entries]
    )


@routes.post("/api/v1/cases/{ticket}/actions")
@staff_api
async def case_action(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    body = await read_json(request)
    action = str(body.get("action", ""))
    params = {
        k: ",".join(map(str, v)) if isinstance(v, list) else str(v)
        for k, v in body.items()
        if k != "action" and isinstance(v, str | int | list)
    }
    async with context.store.unit() as uow:  # domain errors become 404/403/409/422 in errors_middleware
        found = await case_for(uow.session, viewer, request.match_info["ticket"])
        outcome = await workflow.act(uow.session, found, viewer, action, params, context.today())
        result = {**case_summary(outcome.case, viewer), "citizen_told": outcome.told}
    return json_response(result)


@routes.get("/api/v1/departments")
@staff_api
async def departments(request: web.Request) -> web.Response:
    async with request.app[STAFF].store.unit() as uow:
        rows = await department_repo.all_active(uow.session)
    return json_response([{"id": d.id, "name": d.name, "category": d.category} for d in rows])
