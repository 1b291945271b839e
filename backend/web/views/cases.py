"""The case list (queues, filters, search), one case's page, its actions and attachments."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from nlp.pii import mask_phone

from ... import registration, workflow
from ...auth import Viewer
from ...errors import Conflict, Forbidden, Invalid, NotFound, StoreUnavailable
from ...models import Case
from ...repo import alerts as alert_repo
from ...repo import attachments as attachment_repo
from ...repo import audit as audit_repo
from ...repo import cases as case_repo
from ...repo import citizens as citizen_repo
from ...repo import departments as department_repo
from ...repo.case_list import QUEUES, case_for, list_cases, queue_counts
from ...repo.events import EVENT_LABELS
from ..common import HIDDEN, KINDS, case_filter, content_disposition
from ..context import STAFF
from ..render import render
from ..security import NO_STORE, VIEWER, staff_page

routes = web.RouteTableDef()

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
FILES_WITHHELD = "附件可能含信访人身份信息，依《信访工作条例》第三十条不向您提供"
AUDIT_REFUSED = "您无权查看本件的个人信息访问记录"
# ─────────────────────────────────────────────────────────────────────────────


@routes.get("/staff/cases")
@staff_page
async def cases_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    f = case_filter(request)
    today = context.today()
    async with context.store.unit() as uow:
        rows, total = await list_cases(uow.session, viewer, f, today)
        counts = await queue_counts(uow.session, viewer, today)
        departments = await department_repo.all_active(uow.session)
    rows = [(c, viewer.redact(c, c.summary)) for c in rows]
    return render(
        request,
        "cases.html",
        cases=rows,
        total=total,
        f=f,
        counts=counts,
        queues=QUEUES,
        departments=departments,
        today=today,
        kinds=KINDS,
        pages=(total + f.per_page - 1) // f.per_page,
    )


@routes.get("/staff/cases/{ticket}")
@staff_page
async def case_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    ticket = request.match_info["ticket"]
    async with context.store.unit() as uow:
        session = uow.session
        try:
            case = await case_for(session, viewer, ticket)
        except NotFound:
            return render(
                request, "error.html", status=404, title="未找到", message=f"没有编号为 {ticket} 的件，或您无权查看。"
            )
        identity = viewer.sees_identity(case)
        if identity:
            await audit_repo.record_views(session, [case.id], viewer.actor, "case_page")
        attachments = await attachment_repo.of_case(session, case.id)
        links = await case_repo.links_of(session, case.id)
        similar = [(link, other) for link, other in links if viewer.can_see(other)]
        departments = await department_repo.all_active(session)
        citizen = await citizen_repo.get(session, case.citizen_id)
        references = await context.reply_index.similar(session, case.search_text.split())
        alerts = await alert_repo.of_case(session, case.id)
    due = workflow.current_due(case)
    timeline = [(e, EVENT_LABELS.get(e.kind, e.kind), viewer.redact(case, e.note)) for e in case.events]
    draft = request.query.get("draft")
    draft_text = next((r.reply for r in references if str(r.id) == draft), "")
    return render(
        request,
        "case.html",
        case=case,
        fields=_fields(case, viewer),
        identity=identity,
        attachments=attachments if identity else [],
        withheld_files=0 if identity else len(attachments),
        sees_audit=viewer.sees_audit(case),
        similar=similar,
        departments=departments,
        references=references,
        timeline=timeline,
        due=due,
        today=today,
        days_left=(due - today).days if due else None,
        opinions=workflow.OPINIONS,
        can=workflow.available(case, viewer),
        channel_names=context.channel_names,
        kinds=KINDS,
        sources=registration.SOURCES,
        draft_text=draft_text,
        channel=citizen.channel,
        blocked=bool(citizen.blocked_at),
        alerts=alerts,
        tz=context.timezone,
        message=request.query.get("message"),
        error=request.query.get("error"),
    )


def _fields(case: Case, viewer: Viewer) -> list[tuple[str, str]]:
    """The 条例第十九条 fields as this viewer may read them: ID and card numbers always masked;
    the whole identity hidden where 条例第三十条 says so (see Viewer.sees_identity)."""
    identity = viewer.sees_identity(case)
    # (the case page's summary and timeline notes are redacted by the caller with viewer.redact)
    return [
        ("姓名", case.name if identity else HIDDEN),
        ("电话", (mask_phone(case.phone) if case.phone else "（未留）") if identity else HIDDEN),
        ("住址", viewer.redact(case, case.address) if identity else HIDDEN),
        (
            "涉及人数",
            f"{case.group_size} 人"
            + (f"，代表：{'、'.join(case.representatives)}" if case.representatives and identity else ""),
        ),
        ("事实", viewer.redact(case, case.facts)),
        ("请求", viewer.redact(case, case.request)),
        ("理由", viewer.redact(case, case.reason) or "（未填）"),
    ]


@routes.post("/staff/cases/{ticket}/actions")
@staff_page
async def case_action(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    ticket = request.match_info["ticket"]
    form = await request.post()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    action = params.pop("action", "")
    try:
        async with context.store.unit() as uow:
            case = await case_for(uow.session, viewer, ticket)
            outcome = await workflow.act(uow.session, case, viewer, action, params, context.today())
    except NotFound:
        raise web.HTTPNotFound(text="未找到") from None
    except (Invalid, Conflict, Forbidden) as exc:
        raise web.HTTPFound(f"/staff/cases/{ticket}?error={quote(str(exc))}") from None
    except StoreUnavailable:
        raise web.HTTPFound(
            f"/staff/cases/{ticket}?error={quote('数据库暂时不可用，操作未保存，请稍后重试')}"
        ) from None
    done = "已保存" + ("，并已通知信访人" if outcome.told else "")
    raise web.HTTPFound(f"/staff/cases/{ticket}?message={quote(done)}")


@routes.get("/staff/cases/{ticket}/attachments/{attachment_id}")
@staff_page
async def attachment(request: web.Request) -> web.StreamResponse:
    """A file of the case, for those who may see who sent it (a scan carries the sender's
    identity); every download is in the audit log."""
    context, viewer = request.app[STAFF], request[VIEWER]
    try:
        async with context.store.unit() as uow:
            case = await case_for(uow.session, viewer, request.match_info["ticket"])
            if not viewer.sees_identity(case):
                raise web.HTTPForbidden(text=FILES_WITHHELD)
            file_name, data = await attachment_repo.content(uow.session, case.id, request.match_info["attachment_id"])
            await audit_repo.record_views(uow.session, [case.id], viewer.actor, "attachment", file_name)
    except NotFound:
        raise web.HTTPNotFound(text="未找到") from None
    headers = {
        "Content-Disposition": content_disposition(file_name),
        **NO_STORE,
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(body=data, content_type="application/octet-stream", headers=headers)


@routes.get("/staff/cases/{ticket}/audit")
@staff_page
async def audit_page(request: web.Request) -> web.Response:
    """Who looked at this case's personal data (shown on demand, not in the timeline)."""
    context, viewer = request.app[STAFF], request[VIEWER]
    try:
        async with context.store.unit() as uow:
            case = await case_for(uow.session, viewer, request.match_info["ticket"])
            if not viewer.sees_audit(case):
                raise web.HTTPForbidden(text=AUDIT_REFUSED)
            entries = await audit_repo.of_case(uow.session, case.id)
    except NotFound:
        raise web.HTTPNotFound(text="未找到") from None
    return render(request, "audit.html", case=case, entries=entries, actions=audit_repo.ACTIONS, tz=context.timezone)
