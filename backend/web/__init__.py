"""The staff dashboard (HTML, Jinja2) and the staff JSON API, on the shared aiohttp server.

`setup(app, context)` adds the routes; the composition root (bot/app.py) builds the context.
Every route under /staff/ and /api/v1/ that is not explicitly public requires a signed-in
staff member (tests enumerate the router to keep it so).
"""

from __future__ import annotations

from aiohttp import web

from . import api, outreach, views
from .context import STAFF, StaffContext
from .security import PUBLIC_PATHS, THROTTLE, LoginThrottle

__all__ = ["PUBLIC_PATHS", "STAFF", "StaffContext", "setup"]


def setup(app: web.Application) -> None:
    """Add the routes; the StaffContext (app[STAFF]) is set once the database and engine are up."""
    app[THROTTLE] = LoginThrottle()
    for routes in (*views.ROUTES, *api.ROUTES, outreach.routes):
        app.add_routes(routes)
    app.router.add_static("/staff/static/", path=str(views.STATIC), name="staff_static", append_version=False)
