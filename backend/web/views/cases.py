"""The case list (queues, filters, search), one case's page, its actions and attachments."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from nlp.pii import mask_phone

from ... import registration, workflow
from ...auth import COORDINATORS, Viewer
from ...errors import Conflict, Forbidden, Invalid, NotFound, StoreUnavailable
from ...models import Case, StaffRole
from ...repo import alerts as alert_repo
from ...repo import attachments as attachment_repo
from ...repo import audit as audit_repo
from ...repo import cases as case_repo
from ...repo import citizens as citizen_repo
from ...repo import departments as department_repo
from ...repo import staff as staff_repo
from ...repo.case_list import COUNT_CAP, QUEUES, case_for, list_cases
from ...repo.events import EVENT_LABELS
from .. import badges
from ..common import HIDDEN, KINDS, case_filter, content_disposition
from ..context import STAFF
from ..render import render
from ..security import NO_STORE, VIEWER, roles, staff_page

routes = web.RouteTableDef()
BULK_LIMIT = 200
SORT_LABELS = {
    "ticket": "受理编号",
    "received": "登记时间",
    "status": "状态",
    "category": "分类",
    "department": "责任部门",
    "due": "期限",
    "assignee": "首办责任人",
}

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
        counts = await badges.queue_counts(request, viewer, uow.session, today)
        departments = await department_repo.all_active(uow.session)
        staff = await staff_repo.choices(uow.session) if viewer.sees_all_cases else []
    rows = [(c, viewer.redact(c, c.summary)) for c in rows]
    return render(
        request,
        "cases.html",
        cases=rows,
        total=total,
        cap=COUNT_CAP,
        f=f,
        counts=counts,
        queues=QUEUES,
        sorts=SORT_LABELS,
        departments=departments,
        staff=[s for s in staff if s.role != StaffRole.LEADER],
        today=today,
        kinds=KINDS,
        pages=max(1, -(-min(total, COUNT_CAP) // f.per_page)),
        message=request.query.get("message"),
        error=request.query.get("error"),
    )


@routes.post("/staff/cases/bulk")
@staff_page
@roles(*COORDINATORS, refused="批量转送、指定由信访部门办理")
async def bulk_action(request: web.Request) -> web.Response:
    """The same action on the ticked cases (转送 to a department, or 指定 a person), each through
    the workflow like a single one; what could not be done is listed, the rest is saved."""
    context, viewer = request.app[STAFF], request[VIEWER]
    form = await request.post()
    tickets = [t for t in form.getall("ticket", []) if isinstance(t, str)][:BULK_LIMIT]
    action = str(form.get("action", ""))
    params = (
        {"department": str(form.get("department", ""))} if action == "route" else {"staff": str(form.get("staff", ""))}
    )
    back = str(form.get("back", "")) if str(form.get("back", "")).startswith("/staff/cases") else "/staff/cases"
    if action not in ("route", "assign") or not tickets or not next(iter(params.values())):
        raise web.HTTPFound(f"{back}{'&' if '?' in back else '?'}error={quote('请勾选案件，并选择部门或工作人员')}")
    done, failed = 0, []
    for ticket in tickets:
        try:
            async with context.store.unit() as uow:  # one transaction each: one refusal does not undo the rest
                case = await case_for(uow.session, viewer, ticket)
                await workflow.act(uow.session, case, viewer, action, params, context.today())
            done += 1
        except (NotFound, Invalid, Conflict, Forbidden) as exc:
            failed.append(f"{ticket}（{exc if not isinstance(exc, NotFound) else '未找到'}）")
    note = f"已处理 {done} 件" + (f"；未处理：{'、'.join(failed)}" if failed else "")
    raise web.HTTPFound(f"{back}{'&' if '?' in back else '?'}message={quote(note)}")


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
        staff = await staff_repo.choices(session) if viewer.sees_all_cases else []
        group = await case_repo.group_members(session, case.group_id) if case.group_id else []
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
        group=group,
        departments=departments,
        department_names={d.id: d.name for d in departments},
        suggested=suggested_department(case),
        staff=[s for s in staff if s.role != StaffRole.LEADER],
        leaders=[s for s in staff if s.role == StaffRole.LEADER],
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


def suggested_department(case: Case) -> str | None:
    """The department the case is with, or the one the keywords suggested when they were not sure
    enough to route it (the transfer menu starts there: one click should not misroute)."""
    if case.department_id:
        return case.department_id
    for event in reversed(case.events):
        if event.kind in ("routed", "triage") and event.data.get("department"):
            return str(event.data["department"])
    return None


def _fields(case: Case, viewer: Viewer) -> list[tuple[str, str]]:
    """The 条例第十九条 fields as this viewer may read them: ID and card numbers always masked;
    the whole identity hidden where 条例第三十条 says so (see Viewer.sees_identity)."""
    identity = viewer.sees_identity(case)
    # (the case page's summary and timeline notes are redacted by the caller with viewer.redact)
    return [
        ("姓名", case.name if identity else HIDDEN),
        ("电话", (mask_phone(case.phone) if case.phone else "（未留）") if identity else HIDDEN),
        ("住址", viewer.address(case) if identity else HIDDEN),
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
    # a multiple choice (协办 departments) arrives as several values of one name
    params = {k: ",".join(v for v in form.getall(k) if isinstance(v, str)) for k in set(form.keys())}
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
    if not outcome.told and outcome.message and outcome.case.source in registration.SOURCES:
        done += f"。本件为{registration.SOURCES[outcome.case.source]}，请书面或电话告知信访人：{outcome.message}"
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
