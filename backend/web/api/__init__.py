"""The staff JSON API (bearer tokens), one module per area, and its OpenAPI description.
Errors are `{"error": {"code", "message"}}` like every other API route."""

from __future__ import annotations

from aiohttp import web

from . import cases, openapi, reports, tokens, zero_reports

ROUTES: tuple[web.RouteTableDef, ...] = (
    tokens.routes,
    cases.routes,
    reports.routes,
    zero_reports.routes,
    openapi.routes,
)
