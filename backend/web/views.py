"""The staff dashboard pages: login, queues and search, a case and its actions, statistics,
the monthly report, the ledger export, urgent alerts and (for admins) staff accounts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import select, update

from nlp.pii import mask_phone, redact_identity

from .. import export, stats, workflow
from ..auth import issue
from ..errors import Conflict, Forbidden, Invalid, NotFound, StoreUnavailable
from ..models import Attachment, Case, Citizen, StaffRole, UrgentAlert, utcnow
from ..queries import QUEUES, CaseFilter, case_for, list_cases, queue_counts
from ..repo import cases as case_repo
from ..repo import departments as department_repo
from ..repo import events as event_repo
from ..repo import staff as staff_repo
from ..repo.events import EVENT_LABELS
from .context import STAFF
from .render import render
from .security import (
    LOGIN_CSRF_COOKIE,
    NO_STORE,
    SESSION_COOKIE,
    THROTTLE,
    VIEWER,
    LoginThrottle,
    cookie_settings,
    login_csrf,
    session_viewer,
    staff_page,
)

routes = web.RouteTableDef()
STATIC = resources.files("backend.web") / "static"
HIDDEN = "（依条例第三十条不予显示）"
KINDS = {"complaint": "投诉请求", "report": "检举控告", "suggestion": "建议意见"}


# ── signing in and out ──────────────────────────────────────────────────────


@routes.get("/staff/login")
async def login_form(request: web.Request) -> web.Response:
    if await session_viewer(request):
        raise web.HTTPFound("/staff/cases")
    token = login_csrf(request)
    response = render(request, "login.html", csrf_token=token, next=_safe_next(request.query.get("next")), error=None)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_settings(request, request.app[STAFF].secure_cookies)
    )
    response.headers.update(NO_STORE)
    return response


@routes.post("/staff/login")
async def login(request: web.Request) -> web.Response:
    context = request.app[STAFF]
    form = await request.post()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    next_url = _safe_next(str(form.get("next", "")))
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie_token or form.get("csrf_token") != cookie_token:
        raise web.HTTPForbidden(text="表单已过期（CSRF 校验失败），请刷新登录页后重试")
    limiter: LoginThrottle = request.app[THROTTLE]
    keys = (f"ip:{request.remote}", f"user:{username}")
    wait = limiter.blocked(*keys)
    if wait:
        return render(
            request,
            "login.html",
            status=429,
            csrf_token=cookie_token,
            next=next_url,
            error=f"登录失败次数过多，请 {int(wait) // 60 + 1} 分钟后再试。",
        )
    async with context.store.unit() as uow:
        staff = await staff_repo.authenticate(uow.session, username, password)
        token = issue(staff, "session", context.secret) if staff else None
    if token is None:
        limiter.failed(*keys)
        return render(
            request, "login.html", status=401, csrf_token=cookie_token, next=next_url, error="账号或密码不正确。"
        )
    limiter.succeeded(username)
    response = web.HTTPFound(next_url)
    response.set_cookie(SESSION_COOKIE, token, max_age=8 * 3600, **cookie_settings(request, context.secure_cookies))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


@routes.post("/staff/logout")
@staff_page
async def logout(request: web.Request) -> web.Response:
    response = web.HTTPFound("/staff/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


def _safe_next(value: str | None) -> str:
    return value if value and re.fullmatch(r"/staff/[A-Za-z0-9/_\-.?=&%]*", value) else "/staff/cases"


@routes.get("/staff")
@routes.get("/staff/")
@staff_page
async def home(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/staff/cases")


# ── queues, filters, search ─────────────────────────────────────────────────


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def case_filter(request: web.Request) -> CaseFilter:
    q = request.query
    context = request.app[STAFF]
    text = q.get("q", "").strip()[:100]
    try:
        page = max(1, min(int(q.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    queue = q.get("queue", "all")
    return CaseFilter(
        queue=queue if queue in QUEUES else "all",
        status=q.get("status") or None,
        category=q.get("category") or None,
        department=q.get("department") or None,
        kind=q.get("kind") or None,
        text=text,
        words=context.words(text) if text else [],
        received_from=_date_param(q.get("from")),
        received_to=_date_param(q.get("to")),
        page=page,
        timezone=context.timezone,
    )


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


# ── one case ────────────────────────────────────────────────────────────────


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
            await event_repo.record_pii_views(session, [case.id], viewer.actor, "查看案件页")
        attachments = (
            await session.execute(
                select(Attachment.id, Attachment.file_name, Attachment.size, Attachment.kind).where(
                    Attachment.case_id == case.id
                )
            )
        ).all()
        links = await case_repo.links_of(session, case.id)
        similar = [(link, other) for link, other in links if viewer.can_see(other)]
        departments = await department_repo.all_active(session)
        citizen = await session.get(Citizen, case.citizen_id)
        references = await context.reply_index.similar(session, case.search_text.split())
        alerts = (await session.scalars(select(UrgentAlert).where(UrgentAlert.case_id == case.id))).all()
    fields = _fields(case, identity)
    due = workflow.current_due(case)
    timeline = [
        (e, EVENT_LABELS.get(e.kind, e.kind), viewer.redact(case, e.note))
        for e in case.events
        if identity or e.kind != "viewed_pii"
    ]
    draft = request.query.get("draft")
    draft_text = next((r.reply for r in references if str(r.id) == draft), "")
    return render(
        request,
        "case.html",
        case=case,
        fields=fields,
        identity=identity,
        attachments=attachments,
        similar=similar,
        departments=departments,
        references=references,
        timeline=timeline,
        due=due,
        today=today,
        days_left=(due - today).days if due else None,
        opinions=workflow.OPINIONS,
        channel_names=context.channel_names,
        kinds=KINDS,
        draft_text=draft_text,
        channel=citizen.channel if citizen else "",
        blocked=bool(citizen and citizen.blocked_at),
        alerts=alerts,
        tz=context.timezone,
        message=request.query.get("message"),
        error=request.query.get("error"),
    )


def _fields(case: Case, identity: bool) -> list[tuple[str, str]]:
    """The 条例第十九条 fields; the complainant's identity (and PII inside the story) hidden where
    the viewer's department is the one complained about (条例第三十条)."""
    facts, request_text, reason = case.facts, case.request, case.reason
    if not identity:
        known = (case.name, case.address, case.phone)
        facts, request_text, reason = (redact_identity(t, known) for t in (facts, request_text, reason))
    # (the case page's summary and timeline notes are redacted by the caller with viewer.redact)
    return [
        ("姓名", case.name if identity else HIDDEN),
        ("电话", (mask_phone(case.phone) if case.phone else "（未留）") if identity else HIDDEN),
        ("住址", case.address if identity else HIDDEN),
        (
            "涉及人数",
            f"{case.group_size} 人"
            + (f"，代表：{'、'.join(case.representatives)}" if case.representatives and identity else ""),
        ),
        ("事实", facts),
        ("请求", request_text),
        ("理由", reason or "（未填）"),
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
    context, viewer = request.app[STAFF], request[VIEWER]
    async with context.store.unit() as uow:
        try:
            case = await case_for(uow.session, viewer, request.match_info["ticket"])
        except NotFound:
            raise web.HTTPNotFound(text="未找到") from None
        raw_id = request.match_info["attachment_id"]
        row = None
        if raw_id.isdigit():
            row = (
                await uow.session.execute(
                    select(Attachment.id, Attachment.file_name).where(
                        Attachment.id == int(raw_id), Attachment.case_id == case.id
                    )
                )
            ).first()
        if row is None:
            raise web.HTTPNotFound(text="未找到")
        data = (await uow.session.execute(select(Attachment.data).where(Attachment.id == row.id))).scalar_one()
        await event_repo.record_pii_views(uow.session, [case.id], viewer.actor, f"下载附件 {row.file_name}")
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.file_name)}",
        **NO_STORE,
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(body=data, content_type="application/octet-stream", headers=headers)


# ── oversight ───────────────────────────────────────────────────────────────


def _period(request: web.Request, today: date) -> tuple[date, date]:
    month = request.query.get("month")
    if month and re.fullmatch(r"\d{4}-\d{2}", month):
        year, m = map(int, month.split("-"))
        start = date(year, m, 1)
        end = date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
        return start, end
    start = _date_param(request.query.get("from")) or today.replace(day=1)
    end = _date_param(request.query.get("to")) or today
    return (start, end) if start <= end else (end, start)


@routes.get("/staff/stats")
@staff_page
async def stats_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    start, end = _period(request, today - timedelta(days=365))
    if "from" not in request.query and "month" not in request.query:
        start, end = today - timedelta(days=365), today
    async with context.store.unit() as uow:
        figures = await stats.statistics(uow.session, viewer, start, end, context.timezone, today, context.topic_words)
    steered = [(context.channel_names.get(c, c), n) for c, n in figures.steered]
    return render(request, "stats.html", s=figures, steered=steered)


@routes.get("/staff/report")
@staff_page
async def report_page(request: web.Request) -> web.Response:
    """The 条例第四十一条 report's contents, for any period, printable."""
    context, viewer = request.app[STAFF], request[VIEWER]
    today = context.today()
    start, end = _period(request, today)
    if "month" not in request.query and "from" not in request.query:
        last = today.replace(day=1) - timedelta(days=1)
        start, end = last.replace(day=1), last
    async with context.store.unit() as uow:
        figures = await stats.statistics(uow.session, viewer, start, end, context.timezone, today, context.topic_words)
    steered = [(context.channel_names.get(c, c), n) for c, n in figures.steered]
    return render(request, "report.html", s=figures, steered=steered, generated=context.now())


@routes.get("/staff/export.{fmt:(csv|xlsx)}")
@staff_page
async def export_ledger(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    f = case_filter(request)
    async with context.store.unit() as uow:
        rows = await export.ledger(uow.session, viewer, f, context.today(), context.timezone)
        tickets = [r[0] for r in rows if r[6] != export.HIDDEN]
        if tickets:  # every view of personal data is recorded, exports included
            ids = (await uow.session.scalars(select(Case.id).where(Case.ticket.in_(tickets)))).all()
            await event_repo.record_pii_views(uow.session, ids, viewer.actor, "导出台账")
    stamp = f"{context.today():%Y%m%d}"
    if request.match_info["fmt"] == "csv":
        body, mime = export.to_csv(rows), "text/csv"
    else:
        body, mime = export.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = quote(f"信访台账_{stamp}.{request.match_info['fmt']}")
    return web.Response(
        body=body, content_type=mime, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )


# ── urgent alerts ───────────────────────────────────────────────────────────


@routes.get("/staff/alerts")
@staff_page
async def alerts_page(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    if not viewer.sees_all_cases:
        raise web.HTTPForbidden(text="紧急情况由信访部门处理")
    async with context.store.unit() as uow:
        alerts = (
            await uow.session.scalars(
                select(UrgentAlert).order_by(UrgentAlert.handled_at.is_not(None), UrgentAlert.id.desc()).limit(200)
            )
        ).all()
        urgent_cases = (
            await uow.session.scalars(select(Case).where(Case.urgent.is_(True)).order_by(Case.id.desc()).limit(50))
        ).all()
    return render(request, "alerts.html", alerts=alerts, urgent_cases=urgent_cases, tz=context.timezone)


@routes.post("/staff/alerts/{alert_id}/handle")
@staff_page
async def handle_alert(request: web.Request) -> web.Response:
    context, viewer = request.app[STAFF], request[VIEWER]
    if not viewer.sees_all_cases:
        raise web.HTTPForbidden(text="紧急情况由信访部门处理")
    note = str((await request.post()).get("note", ""))[:1000]
    alert_id = request.match_info["alert_id"]
    async with context.store.unit() as uow:
        await uow.session.execute(
            update(UrgentAlert)
            .where(UrgentAlert.id == (int(alert_id) if alert_id.isdigit() else 0))
            .values(handled_at=utcnow(), handled_by=viewer.username, note=note)
        )
    raise web.HTTPFound("/staff/alerts")


# ── staff accounts (admin) ──────────────────────────────────────────────────


@routes.get("/staff/accounts")
@staff_page
async def accounts_page(request: web.Request) -> web.Response:
    if not request[VIEWER].is_admin:
        raise web.HTTPForbidden(text="只有管理员可以管理账号")
    async with request.app[STAFF].store.unit() as uow:
        staff = await staff_repo.all_staff(uow.session)
        departments = await department_repo.all_active(uow.session)
    return render(
        request,
        "accounts.html",
        staff=staff,
        departments=departments,
        roles=[r.value for r in StaffRole],
        error=request.query.get("error"),
        message=request.query.get("message"),
    )


@routes.post("/staff/accounts")
@staff_page
async def create_account(request: web.Request) -> web.Response:
    if not request[VIEWER].is_admin:
        raise web.HTTPForbidden(text="只有管理员可以管理账号")
    form = await request.post()
    get = lambda k: str(form.get(k, "")).strip()  # noqa: E731
    try:
        async with request.app[STAFF].store.unit() as uow:
            await staff_repo.create(
                uow.session,
                get("username"),
                str(form.get("password", "")),
                get("role"),
                get("department") or None,
                get("display_name") or None,
            )
    except (Invalid, Conflict) as exc:
        raise web.HTTPFound(f"/staff/accounts?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/accounts?message={quote('账号已创建')}")


@routes.post("/staff/accounts/{staff_id}/active")
@staff_page
async def toggle_account(request: web.Request) -> web.Response:
    viewer = request[VIEWER]
    if not viewer.is_admin:
        raise web.HTTPForbidden(text="只有管理员可以管理账号")
    staff_id = request.match_info["staff_id"]
    active = (await request.post()).get("active") == "1"
    if not staff_id.isdigit() or (int(staff_id) == viewer.staff_id and not active):
        raise web.HTTPFound(f"/staff/accounts?error={quote('不能停用自己的账号')}")
    async with request.app[STAFF].store.unit() as uow:
        await staff_repo.set_active(uow.session, int(staff_id), active)
    raise web.HTTPFound("/staff/accounts")
