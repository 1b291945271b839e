"""The staff dashboard's HTML pages, one module per area of work."""

from __future__ import annotations

from importlib import resources

from aiohttp import web

from . import accounts, alerts, cases, leaders, login, oversight, register, repeats, zero_reports

STATIC = resources.files("backend.web") / "static"
ROUTES: tuple[web.RouteTableDef, ...] = (
    login.routes,
    cases.routes,
    register.routes,
    leaders.routes,
    oversight.routes,
    alerts.routes,
    accounts.routes,
    zero_reports.routes,
    repeats.routes,
)
