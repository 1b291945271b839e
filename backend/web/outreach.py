"""Campaigns in the dashboard and the API: compose, schedule, review the generated series,
follow delivery counts (with a progress bar while a campaign is in flight)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import func, select

from .. import campaigns
from ..auth import COORDINATORS
from ..errors import Conflict, Invalid, NotFound
from ..models import Campaign, Subscription
from .context import STAFF
from .jsonio import json_response, read_json
from .render import render
from .security import VIEWER, roles, staff_api, staff_page

routes = web.RouteTableDef()


# 宣传推送 is the 信访部门's: one decorator under @staff_page / @staff_api
_campaigners = roles(*COORDINATORS, refused="宣传推送由信访部门管理")


def _when(value: Any, tz) -> datetime | None:  # type: ignore[no-untyped-def]
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise Invalid("send_at 应为 ISO 8601 时间，例如 2026-12-01T09:00")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("send_at 应为 ISO 8601 时间，例如 2026-12-01T09:00") from None
    return when if when.tzinfo else when.replace(tzinfo=tz)


def _campaign_id(request: web.Request) -> int:
    raw = request.match_info["campaign_id"]
    return int(raw) if raw.isdigit() else -1  # no campaign has it: NotFound, like any unknown id


@routes.post("/api/v1/campaigns")
@staff_api
@_campaigners
async def api_create(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    body = await read_json(request)
    async with context.store.unit() as uow:
        campaign = await campaigns.create(
            uow.session,
            title=str(body.get("title", "")),
            text=str(body.get("text", "")),
            topic=body.get("topic") or None,
            send_at=_when(body.get("send_at"), context.timezone),
            buttons=body.get("buttons"),
            quiz=body.get("quiz"),
            created_by=request[VIEWER].username,
        )
        result = {"id": campaign.id, "status": campaign.status, "send_at": campaign.send_at.isoformat()}
    return json_response(result, 201)


@routes.get("/api/v1/campaigns/{campaign_id}")
@staff_api
@_campaigners
async def api_counts(request: web.Request) -> web.Response:
    async with request.app[STAFF].store.unit() as uow:
        result = await campaigns.counts(uow.session, _campaign_id(request))
    return json_response(result)


@routes.get("/staff/campaigns")
@staff_page
@_campaigners
async def campaigns_page(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    async with context.store.unit() as uow:
        rows = (await uow.session.scalars(select(Campaign).order_by(Campaign.send_at.desc()).limit(200))).all()
        counts = {c.id: await campaigns.counts(uow.session, c.id) for c in rows if c.status in ("sending", "done")}
        subscribers = dict(
            (
                await uow.session.execute(
                    select(Subscription.topic, func.count(Subscription.id))
                    .where(Subscription.active)
                    .group_by(Subscription.topic)
                )
            ).all()
        )
    return render(
        request,
        "campaigns.html",
        campaigns=rows,
        counts=counts,
        topics=campaigns.TOPICS,
        subscribers=subscribers,
        tz=context.timezone,
        error=request.query.get("error"),
        message=request.query.get("message"),
        default_time=(context.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:00"),
    )


@routes.post("/staff/campaigns")
@staff_page
@_campaigners
async def create_from_form(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    form = await request.post()
    try:
        async with context.store.unit() as uow:
            await campaigns.create(
                uow.session,
                title=str(form.get("title", "")),
                text=str(form.get("text", "")),
                topic=str(form.get("topic", "")) or None,
                send_at=_when(str(form.get("send_at", "")), context.timezone),
                created_by=request[VIEWER].username,
            )
    except Invalid as exc:
        raise web.HTTPFound(f"/staff/campaigns?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/campaigns?message={quote('已安排发送')}")


@routes.post("/staff/campaigns/generate")
@staff_page
@_campaigners
async def generate(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    if context.knowledge is None:
        raise web.HTTPFound(f"/staff/campaigns?error={quote('知识库未加载')}")
    async with context.store.unit() as uow:
        made = await campaigns.generate_series(
            uow.session,
            context.knowledge,
            context.today() + timedelta(days=1),
            context.timezone,
            request[VIEWER].username,
        )
    raise web.HTTPFound(f"/staff/campaigns?message={quote(f'已生成 {made} 条待审核草稿')}")


@routes.post("/staff/campaigns/{campaign_id}/{action:(approve|cancel)}")
@staff_page
@_campaigners
async def review(request: web.Request) -> web.Response:
    campaign_id = _campaign_id(request)
    try:
        async with request.app[STAFF].store.unit() as uow:
            if request.match_info["action"] == "approve":
                await campaigns.approve(uow.session, campaign_id, request[VIEWER].username)
            else:
                await campaigns.cancel(uow.session, campaign_id)
    except (NotFound, Conflict) as exc:
        raise web.HTTPFound(f"/staff/campaigns?error={quote(str(exc))}") from None
    raise web.HTTPFound("/staff/campaigns")
