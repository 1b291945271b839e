"""The API's OpenAPI description (GET /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ... import workflow
from ..jsonio import json_response

routes = web.RouteTableDef()


@routes.get("/api/v1/openapi.json")
async def openapi(_request: web.Request) -> web.Response:
    # the action table may have grown since import (other modules register their own actions)
    actions = OPENAPI["paths"]["/api/v1/cases/{ticket}/actions"]["post"]["requestBody"]["content"]
    actions["application/json"]["schema"]["properties"]["action"]["enum"] = sorted(workflow.ACTIONS)
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
                        "assignee",
                        "sort",
                    )
                ],
            ),
            "post": _op(
                "Register a letter (来信), visit (来访) or call (来电); 201, or 200 when it joined the same "
                "petitioner's open case; 422 with a message per field",
                body={
                    "type": "object",
                    "required": ["source", "facts", "request"],
                    "properties": {
                        "source": {"type": "string", "enum": ["letter", "visit", "phone"]},
                        "name": {"type": "string"},
                        "phone": {"type": "string"},
                        "address": {"type": "string"},
                        "facts": {"type": "string"},
                        "request": {"type": "string"},
                        "reason": {"type": "string"},
                        "summary": {"type": "string"},
                        "kind": {"type": "string", "enum": ["complaint", "report", "suggestion"]},
                        "group_size": {"type": "integer", "minimum": 1},
                        "representatives": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
                        "received_on": {"type": "string", "format": "date"},
                        "letter_date": {"type": "string", "format": "date"},
                        "attachments": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "file_name": {"type": "string"},
                                    "content": {"type": "string", "format": "byte"},
                                },
                            },
                        },
                    },
                },
            ),
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
                        "staff": {"type": "string", "description": "assign: the 首办责任人's username"},
                        "leader": {"type": "string", "description": "lead: the 包案领导's username"},
                        "departments": {"type": "array", "items": {"type": "string"}, "description": "assist"},
                        "note": {"type": "string"},
                        "with": {"type": "string", "description": "group: the other case's 受理编号"},
                    },
                },
            )
        },
        "/api/v1/departments": {"get": _op("Departments cases can be routed to")},
        "/api/v1/status": {
            "post": _op(
                "A case's progress for its citizen (404, the same, for a wrong phone or an unknown number)",
                secured=False,
                body={
                    "type": "object",
                    "required": ["ticket", "phone"],
                    "properties": {"ticket": {"type": "string"}, "phone": {"type": "string"}},
                },
            )
        },
        "/api/v1/reception-days": {"get": _op("Upcoming 领导接访日: date, leader, place, topics", secured=False)},
        "/api/v1/reports/bulletin": {
            "get": _op(
                "督查通报: each department's month, ranked (admin, dispatcher, leader)",
                params=[{"name": "month", "in": "query", "required": False, "schema": {"type": "string"}}],
            )
        },
        "/api/v1/zero-reports": {
            "post": _op(
                "File a department's 零报告 (empty incidents) or its incidents for a day (own department only)",
                body={
                    "type": "object",
                    "required": ["date", "department", "incidents"],
                    "properties": {
                        "date": {"type": "string", "format": "date"},
                        "department": {"type": "string"},
                        "incidents": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["summary"],
                                "properties": {"summary": {"type": "string"}},
                            },
                        },
                    },
                },
            ),
            "get": _op(
                "Who filed and who is missing on a day (admin, dispatcher, leader)",
                params=[{"name": "date", "in": "query", "required": False, "schema": {"type": "string"}}],
            ),
        },
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
