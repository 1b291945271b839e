"""Urgent alerts (条例第二十五条): the 信访部门 sees them at once, reaches the person — a message
on the channel they used, or their phone when they left one — and records what it did."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ... import outbox
from ...auth import COORDINATORS
from ...errors import NotFound
from ...repo import alerts as alert_repo
from ...repo import case_list
from ...repo import events as event_repo
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()
REFUSED = "紧急情况由信访部门处理"

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
CARE = (
    "您好，我是信访工作人员。看到您之前说的话，我们很关心您现在的情况。"
    "如果您身处危险，请马上拨打 110 或 120；心里难受时可以拨打心理援助热线 12356。"
    "方便的话，请回复一个能联系到您的电话，我们尽快和您联系。"
)
SENT = "消息已发出（经信访人使用的渠道送达）"
NOT_SENT = "无法经原渠道发送（对方已屏蔽机器人或没有可用的渠道），请电话联系"
# ─────────────────────────────────────────────────────────────────────────────


@routes.get("/staff/alerts")
@staff_page
@roles(*COORDINATORS, refused=REFUSED)
async def alerts_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    async with context.store.unit() as uow:
        alerts = await alert_repo.recent(uow.session)
        urgent_cases = await alert_repo.urgent_cases(uow.session)
        open_ids = [a.citizen_id for a, _ in alerts if a.handled_at is None]
        contacts = await alert_repo.contacts(uow.session, open_ids)
        # a phone shown to reach someone in danger is a view of personal data like any other
        shown = await case_list.ids_of(uow.session, [ticket for _, _, ticket in contacts.values()])
        await event_repo.record_pii_views(uow.session, shown, viewer.actor, "紧急情况：查看联系电话")
    return render(
        request,
        "alerts.html",
        alerts=alerts,
        contacts=contacts,
        urgent_cases=urgent_cases,
        care=CARE,
        tz=context.timezone,
        message=request.query.get("message"),
    )


@routes.post("/staff/alerts/{alert_id}/handle")
@staff_page
@roles(*COORDINATORS, refused=REFUSED)
async def handle_alert(request: web.Request) -> web.Response:
    note = str((await request.post()).get("note", ""))[:1000]
    async with request.app[STAFF].store.unit() as uow:
        await alert_repo.mark_handled(uow.session, request.match_info["alert_id"], request[VIEWER].username, note)
    raise web.HTTPFound("/staff/alerts")


@routes.post("/staff/alerts/{alert_id}/message")
@staff_page
@roles(*COORDINATORS, refused=REFUSED)
async def message_person(request: web.Request) -> web.Response:
    """Write to the person on the channel they used (the outbox delivers it like any reply)."""
    text = str((await request.post()).get("text", "")).strip()[:2000] or CARE
    try:
        async with request.app[STAFF].store.unit() as uow:
            alert = await alert_repo.get(uow.session, request.match_info["alert_id"])
            sent = await outbox.notify_citizen(uow.session, alert.citizen_id, text, alert.case_id)
            if sent and not alert.note:
                alert.note = f"{request[VIEWER].username} 已发消息联系"
    except NotFound:
        raise web.HTTPNotFound(text="未找到") from None
    raise web.HTTPFound(f"/staff/alerts?message={quote(SENT if sent else NOT_SENT)}")
