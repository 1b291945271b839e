"""The staff JSON API (bearer tokens): cases (list, read, act), departments, and its OpenAPI
description. Errors are `{"error": {"code", "message"}}` like every other API route."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from nlp.pii import mask_phone

from .. import workflow
from ..auth import Viewer, issue
from ..models import Case, CaseStatus
from ..queries import CaseFilter, case_for, list_cases
from ..repo import departments as department_repo
from ..repo import events as event_repo
from ..repo import staff as staff_repo
from .context import STAFF
from .jsonio import json_response, read_json
from .security import THROTTLE, VIEWER, staff_api
from .views import HIDDEN, case_filter

routes = web.RouteTableDef()


@routes.post("/api/v1/auth/token")
async def token(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    body = await read_json(request)
    username, password = str(body.get("username", "")).strip(), str(body.get("password", ""))
    keys = (f"ip:{request.remote}", f"user:{username}")
    throttle = request.app[THROTTLE]
    wait = throttle.blocked(*keys)
    if wait:
        raise web.HTTPTooManyRequests(text="登录失败次数过多，请稍后再试", headers={"Retry-After": str(int(wait) + 1)})
    async with context.store.unit() as uow:
        staff = await staff_repo.authenticate(uow.session, username, password)
        issued = issue(staff, "api", context.secret) if staff else None
    if issued is None:
        throttle.failed(*keys)
        raise web.HTTPUnauthorized(text="账号或密码不正确")
    throttle.succeeded(username)
    return json_response({"token": issued, "token_type": "bearer", "expires_in": 12 * 3600})


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
    }


def case_detail(case: Case, viewer: Viewer) -> dict[str, Any]:
    identity = viewer.sees_identity(case)
    masked = lambda text: viewer.redact(case, text)  # noqa: E731
    return {
        **case_summary(case, viewer),
        "citizen": {
            "name": case.name if identity else HIDDEN,
            "phone": (mask_phone(case.phone) if case.phone else None) if identity else HIDDEN,
            "address": case.address if identity else HIDDEN,
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
        },
        "opinion": case.opinion,
        "opinion_text": case.opinion_text,
        "satisfaction": case.satisfaction,
        "events": [
            {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "note": masked(e.note)}
            for e in case.events
            if identity or e.kind != "viewed_pii"
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
        {"total": total, "page": f.page, "per_page": f.per_page, "cases": [case_summary(c, viewer) for c in rows]}
    )


@routes.get("/api/v1/cases/{ticket}")
@staff_api
async def case(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    async with context.store.unit() as uow:
        found = await case_for(uow.session, viewer, request.match_info["ticket"])
        identity = viewer.sees_identity(found)
        if identity:
            await event_repo.record_pii_views(uow.session, [found.id], viewer.actor, "API 读取案件")
    return json_response(case_detail(found, viewer))


@routes.post("/api/v1/cases/{ticket}/actions")
@staff_api
async def case_action(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    body = await read_json(request)
    action = str(body.get("action", ""))
    params = {k: str(v) for k, v in body.items() if k != "action" and isinstance(v, str | int)}
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


@routes.get("/api/v1/openapi.json")
async def openapi(_request: web.Request) -> web.Response:
    return json_response(OPENAPI)


_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
    },
}
_BEARER = [{"bearer": []}]


def _op(summary: str, *, secured: bool = True, body: dict | None = None, params: list | None = None) -> dict:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "Bad request", "content": {"application/json": {"schema": _ERROR}}},
            "401": {"description": "Not signed in", "content": {"application/json": {"schema": _ERROR}}},
            "404": {
                "description": "Not found (or not yours to see)",
                "content": {"application/json": {"schema": _ERROR}},
            },
        },
    }
    if secured:
        op["security"] = _BEARER
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


_TICKET = {
    "name": "ticket",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": r"^XF-\d{8}-\d{4}$"},
}
OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "信访助手 API", "version": "1.0"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/api/v1/ask": {
            "post": _op(
                "Answer a question about the 信访工作条例, with citations",
                secured=False,
                body={"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}},
            )
        },
        "/api/v1/triage": {
            "post": _op(
                "Intent, legal channel, routing and urgency of a message",
                secured=False,
                body={"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            )
        },
        "/api/v1/auth/token": {
            "post": _op(
                "Exchange staff credentials for a bearer token",
                secured=False,
                body={
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                },
            )
        },
        "/api/v1/cases": {
            "get": _op(
                "List cases (filtered, paged, scoped by role)",
                params=[
                    {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                    for n in (
                        "queue",
                        "status",
                        "category",
                        "department",
                        "kind",
                        "q",
                        "from",
                        "to",
                        "page",
                        "per_page",
                    )
                ],
            )
        },
        "/api/v1/cases/{ticket}": {"get": _op("Read one case", params=[_TICKET])},
        "/api/v1/cases/{ticket}/actions": {
            "post": _op(
                "Act on a case",
                params=[_TICKET],
                body={
                    "type": "object",
                    "required": ["action"],
                    "properties": {
                        "action": {"type": "string", "enum": list(workflow.ACTIONS)},
                        "reason": {"type": "string"},
                        "where": {"type": "string"},
                        "department": {"type": "string"},
                        "text": {"type": "string"},
                        "days": {"type": "integer", "maximum": 30},
                        "opinion": {"type": "string", "enum": list(workflow.OPINIONS)},
                        "basis": {"type": "string"},
                    },
                },
            )
        },
        "/api/v1/departments": {"get": _op("Departments cases can be routed to")},
        "/api/v1/campaigns": {
            "post": _op(
                "Create an outreach campaign (no topic: every subscriber; no send_at: now)",
                body={
                    "type": "object",
                    "required": ["title", "text"],
                    "properties": {
                        "title": {"type": "string"},
                        "text": {"type": "string"},
                        "topic": {"type": "string"},
                        "send_at": {"type": "string", "format": "date-time"},
                        "buttons": {"type": "array"},
                        "quiz": {"type": "object"},
                    },
                },
            )
        },
        "/api/v1/campaigns/{campaign_id}": {
            "get": _op(
                "Delivery counts of a campaign",
                params=[{"name": "campaign_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
    },
}
