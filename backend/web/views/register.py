"""登记来信、来访、来电: the form staff fill in while the petitioner is on the phone or at the desk."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ... import registration
from ...auth import REGISTRARS
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
DONE = "已登记，受理编号 {ticket}，您是首接首办人；应于 {due} 前告知信访人是否受理。"
JOINED = "同一信访人的同一事项已在办（{ticket}），本次内容已并入该件，未重复登记。"
ADVICE = "本事项依法应通过【{name}】解决：{who}；{where}{deadline}。请向信访人说明（诉访分离）。"
DEADLINE = "；按所述日期计，最后期限 {day}{expired}"
# ─────────────────────────────────────────────────────────────────────────────
REFUSED = "包案领导账号不登记来信来访"


@routes.get("/staff/register")
@staff_page
@roles(*REGISTRARS, refused=REFUSED)
async def register_form(request: web.Request) -> web.Response:
    today = request.app[STAFF].today()
    source = request.query.get("source", "letter")
    return render(
        request, "register.html", values={"source": source, "received_on": today.isoformat()}, errors={}, today=today
    )


@routes.post("/staff/register")
@staff_page
@roles(*REGISTRARS, refused=REFUSED)
async def register(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    form = await request.post()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    files = [
        (f.filename, f.file.read()) for f in form.getall("scan", []) if isinstance(f, web.FileField) and f.filename
    ]
    try:
        checked = registration.parse(values, context.today(), files)
        async with context.store.unit() as uow:
            done = await registration.register(
                uow.session,
                context.nlp,
                checked,
                viewer,
                context.now(),
                context.today(),
                context.timezone,
                context.max_attachment_bytes,
            )
    except registration.FieldErrors as exc:
        return render(request, "register.html", status=422, values=values, errors=exc.fields, today=context.today())
    case = done.result.case
    if done.result.repeat:
        message = JOINED.format(ticket=case.ticket)
    else:
        message = DONE.format(ticket=case.ticket, due=f"{case.accept_due:%Y-%m-%d}")
    if done.advice:
        a = done.advice
        deadline = (
            DEADLINE.format(day=a["deadline"], expired="（已届满）" if a["expired"] else "") if a["deadline"] else ""
        )
        message += ADVICE.format(name=a["name"], who=a["who"], where=a["where"], deadline=deadline)
    raise web.HTTPFound(f"/staff/cases/{case.ticket}?message={quote(message)}")
