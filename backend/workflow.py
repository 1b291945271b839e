"""Working a case: the actions staff take, the rules of the 条例 they follow, and what the
citizen is told. Every action is an audit event, and every one that concerns the citizen puts a
message in the outbox for the channel they used — in the same transaction.

Path: 登记 → 受理 / 不予受理 → 转送·交办 → 办理中 → 已办结 → (复查中 → 已办结 → 复核中 →) 终结.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge import payloads
from knowledge.periods import period_end

from . import outbox
from .auth import COORDINATORS, Viewer
from .errors import Conflict, FieldErrors, Forbidden, Invalid
from .filing import CONCLUDE_DAYS, MAX_EXTENSION_DAYS, REVIEW_ANSWER_DAYS, REVIEW_REQUEST_DAYS
from .models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, Department, RoutingCorrection, StaffRole, utcnow
from .repo import cases as case_repo
from .repo import events
from .repo import staff as staff_repo

S = CaseStatus

# ── 告诉信访人的话（每个动作一条）────────────────────────────────────────────────
TELL = {
    "accepted": "您反映的事项（{ticket}）已受理，将在 {due} 前办结（条例第三十四条）。发送 /status {ticket} 可随时查询。",
    "rejected": "您反映的事项（{ticket}）不予受理。理由：{reason}{where}如有疑问，可以拨打 12345 咨询。",
    "assigned": "您反映的事项（{ticket}）已转交 {department} 办理。",
    "started": "{department} 已开始办理您反映的事项（{ticket}）。",
    "replied": "关于您反映的事项（{ticket}），工作人员回复：\n{text}",
    "extended": "您反映的事项（{ticket}）情况较复杂，办理期限延长 {days} 日至 {due}。延期理由：{reason}（条例第三十四条）",
    "concluded": (
        "您反映的事项（{ticket}）已办结。\n处理意见：{opinion}\n{text}\n依据：{basis}\n"
        "如对处理意见不服，可以在收到之日起 30 日内（{review_due} 前）请求上一级机关复查（条例第三十五条）。\n"
        "请您对办理结果评价："
    ),
    "review_requested": "已收到您对 {ticket} 的复查请求，复查机关将在 {due} 前提出复查意见并书面答复（条例第三十五条）。",
    "reviewed": (
        "您反映的事项（{ticket}）复查意见：{opinion}\n{text}\n"
        "如对复查意见不服，可以在收到之日起 30 日内（{review_due} 前）请求复核（条例第三十六条）。"
    ),
    "re_examination_requested": "已收到您对 {ticket} 的复核请求，复核机关将在 {due} 前提出复核意见（条例第三十六条）。",
    "re_examined": (
        "您反映的事项（{ticket}）复核意见：{opinion}\n{text}\n"
        "复核为最终意见；以同一事实和理由再提出的，各级机关不再受理（条例第三十六条）。"
    ),
    "closed": "您反映的事项（{ticket}）已终结。感谢您的反映。",
}
# ─────────────────────────────────────────────────────────────────────────────

OPINIONS = ("支持", "解释说明", "不予支持")  # 条例第三十二条
_ACCEPTABLE = frozenset({S.REGISTERED, S.ROUTED})
_WORKING = frozenset({S.ACCEPTED, S.ROUTED, S.IN_PROGRESS})
_BEFORE_CONCLUSION = frozenset({S.REGISTERED, S.ACCEPTED, S.ROUTED, S.IN_PROGRESS})
_NOT_ENDED = frozenset(S) - {S.REJECTED, S.CLOSED, S.MERGED}
_OPEN = OPEN_STATUSES
_COORDINATORS = frozenset(COORDINATORS)  # 信访部门: routes, assigns and supervises
# 延期 (条例第三十四条) is approved by a leader or the 信访部门 before the deadline moves
EXTENSION_APPROVERS = frozenset({*COORDINATORS, StaffRole.LEADER})


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    told: bool  # a message to the citizen went into the outbox
    message: str | None = None  # what the citizen should be told (by letter or phone when not `told`)


@dataclass
class Step:
    """One action being applied: its inputs, and what it leaves to record and to tell."""

    session: AsyncSession
    case: Case
    viewer: Viewer
    params: dict[str, Any]
    today: date
    event: str  # the audit event's kind (an action may change it, e.g. 复查意见)
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    tell: str | None = None  # the message for the citizen, if any
    buttons: list | None = None
    record: bool = True  # False: the action wrote its own event and message
    told: bool = False  # (when record is False) whether it told the citizen

    @property
    def status(self) -> CaseStatus:
        return S(self.case.status)


Apply = Callable[[Step], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Action:
    """An entry of the action table: the statuses it may be taken in, and who may take it.

    `roles` None means every role that can see the case. Further conditions (accepted first, a
    reason given) are the handler's: it raises Conflict or Invalid."""

    name: str
    label: str  # for people (buttons, OpenAPI)
    event: str
    statuses: frozenset[CaseStatus]
    refused: str  # said when the case is in another status
    apply: Apply
    roles: frozenset[str] | None = None

    def allowed_for(self, viewer: Viewer) -> bool:
        return self.roles is None or viewer.role in self.roles


ACTIONS: dict[str, Action] = {}


def action(
    name: str,
    label: str,
    statuses: Iterable[CaseStatus],
    refused: str,
    *,
    event: str | None = None,
    roles: Iterable[str] | None = None,
) -> Callable[[Apply], Apply]:
    """Register a handler in the action table (another module may add its own actions)."""

    def register(apply: Apply) -> Apply:
        ACTIONS[name] = Action(
            name, label, event or name, frozenset(statuses), refused, apply, frozenset(roles) if roles else None
        )
        return apply

    return register


def available(case: Case, viewer: Viewer) -> frozenset[str]:
    """The actions this viewer may take on the case in its present status (the case page's forms)."""
    if not viewer.can_see(case):
        return frozenset()
    status = S(case.status)
    return frozenset(a.name for a in ACTIONS.values() if status in a.statuses and a.allowed_for(viewer))


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def base_conclude_due(case: Case) -> date | None:
    return period_end(case.accepted_on, days=CONCLUDE_DAYS) if case.accepted_on else None


def current_due(case: Case) -> date | None:
    """The deadline staff work to in the case's present status (the queues sort by it)."""
    status = S(case.status)
    if status is S.REGISTERED:
        return case.accept_due
    if status in _WORKING:
        return case.conclude_due if case.accepted_on else case.accept_due
    if status in (S.REVIEW, S.RE_EXAMINATION):
        return case.review_due
    return None


async def act(
    session: AsyncSession, case: Case, viewer: Viewer, action: str, params: dict[str, Any], today: date
) -> Outcome:
    """Apply one action. Raises Forbidden (role), Conflict (status) or Invalid (input)."""
    name = action
    if action == "assign" and params.get("department") and not params.get("staff"):
        name = "route"  # the older form of transferring, kept for API clients: assign + department
    entry = ACTIONS.get(name)
    if entry is None:
        raise Invalid(f"未知的操作：{action}")
    if not viewer.can_see(case):
        raise Forbidden("无权处理此件")
    if not entry.allowed_for(viewer):
        raise Forbidden("您的角色不能执行此操作")
    step = Step(session, case, viewer, params, today, entry.event)
    step.note = _text(params, "note") or _text(params, "reason")
    _require(step.status in entry.statuses, entry.refused)
    await entry.apply(step)
    case.due_on = current_due(case)
    if not step.record:
        return Outcome(case, step.told)
    case.updated_at = utcnow()
    await events.record(session, case, viewer.actor, step.event, step.note, **step.data)
    told = bool(step.tell) and await outbox.notify_citizen(
        session, case.citizen_id, step.tell or "", case.id, step.buttons
    )
    return Outcome(case, told, step.tell)


# ── the actions ─────────────────────────────────────────────────────────────


@action("accept", "受理", _ACCEPTABLE, "只有尚未受理的登记件可以受理", event="accepted")
async def _accept(step: Step) -> None:
    case = step.case
    _require(case.accepted_on is None, "只有尚未受理的登记件可以受理")
    case.accepted_on = step.today
    case.conclude_due = base_conclude_due(case)
    case.status = S.ACCEPTED if step.status is S.REGISTERED else S.ROUTED
    step.tell = TELL["accepted"].format(ticket=case.ticket, due=_date(case.conclude_due or step.today))


@action("reject", "不予受理", _ACCEPTABLE, "只有尚未受理的登记件可以不予受理", event="rejected")
async def _reject(step: Step) -> None:
    case = step.case
    _require(case.accepted_on is None, "只有尚未受理的登记件可以不予受理")
    reason = _required(step.params, "reason", "请写明不予受理的理由")
    where = _text(step.params, "where")
    case.status = S.REJECTED
    step.data["where"] = where
    step.tell = TELL["rejected"].format(
        ticket=case.ticket, reason=reason, where=f"。可以这样办理：{where}。" if where else "。"
    )


@action("route", "转送·交办", _BEFORE_CONCLUSION, "已办结的件不能再转送", event="assigned", roles=_COORDINATORS)
async def _route(step: Step) -> None:
    # a department's officer does not route to another department; it sends the case back to
    # 待分办 instead (条例第二十三条), which is the dispatcher's to route
    case = step.case
    department = await step.session.get(Department, _required(step.params, "department", "请选择部门"))
    if department is None or not department.active:
        raise Invalid("没有这个部门")
    # 条例第三十条: a report never goes to the department it accuses, whoever routes it
    _not_to_the_accused(case, department.id)
    await _record_correction(step.session, case, department, step.viewer)
    step.data.update(from_department=case.department_id, department=department.id, category=department.category)
    case.department_id, case.category, case.needs_triage = department.id, department.category, False
    if step.status in (S.REGISTERED, S.ACCEPTED):
        case.status = S.ROUTED
    step.tell = TELL["assigned"].format(ticket=case.ticket, department=department.name)


@action("return", "退回分办", _BEFORE_CONCLUSION, "已办结的件不能再转送", event="triage")
async def _return(step: Step) -> None:
    _required(step.params, "reason", "请写明退回分办的理由")
    case = step.case
    step.data["from_department"] = case.department_id
    case.department_id = None
    case.needs_triage = True


@action("start", "开始办理", {S.ACCEPTED, S.ROUTED}, "请先受理，再开始办理", event="started")
async def _start(step: Step) -> None:
    case = step.case
    _require(case.accepted_on is not None, "请先受理，再开始办理")
    _require(case.department_id is not None, "请先转送到责任部门")
    case.status = S.IN_PROGRESS
    department = await step.session.get(Department, case.department_id)
    step.tell = TELL["started"].format(ticket=case.ticket, department=department.name if department else "责任部门")


@action("reply", "回复信访人", _NOT_ENDED, "此件已结束", event="replied")
async def _reply(step: Step) -> None:
    text = _required(step.params, "text", "请填写回复内容")
    step.note = text
    step.tell = TELL["replied"].format(ticket=step.case.ticket, text=text)


@action("extend", "延期", _WORKING, "只有受理后、办结前可以延期", event="extended")
async def _extend(step: Step) -> None:
    """条例第三十四条 延期: an officer asks, and the deadline moves only when a leader or the
    信访部门 approves (`approve_extension`); their own extension is approved as they make it."""
    case = step.case
    _require(case.accepted_on is not None, "只有受理后、办结前可以延期")
    days = _int(step.params, "days")
    reason = _required(step.params, "reason", "请写明延期理由（条例第三十四条：须告知信访人）")
    _check_extension(case, days)
    if step.viewer.role not in EXTENSION_APPROVERS:
        _require(await _pending_extension(step) is None, "已有待批准的延期申请")
        step.event = "extension_requested"
        step.data.update(days=days, reason=reason)
        return
    _apply_extension(step, days, reason, requested_by=step.viewer.actor)


@action("approve_extension", "批准延期", _WORKING, "只有在办的件可以延期", event="extended", roles=EXTENSION_APPROVERS)
async def _approve_extension(step: Step) -> None:
    request = await _pending_extension(step)
    _require(request is not None, "没有待批准的延期申请")
    assert request is not None
    days, reason = int(request.data["days"]), str(request.data["reason"])
    _check_extension(step.case, days)
    _apply_extension(step, days, reason, requested_by=request.actor)


@action(
    "refuse_extension",
    "不批准延期",
    _WORKING,
    "只有在办的件可以延期",
    event="extension_refused",
    roles=EXTENSION_APPROVERS,
)
async def _refuse_extension(step: Step) -> None:
    request = await _pending_extension(step)
    _require(request is not None, "没有待批准的延期申请")
    assert request is not None
    step.data.update(days=request.data["days"], requested_by=request.actor)


def _check_extension(case: Case, days: int) -> None:
    _require(
        1 <= days <= MAX_EXTENSION_DAYS - case.extension_days,
        f"延期累计不得超过 {MAX_EXTENSION_DAYS} 日（已延期 {case.extension_days} 日）",
        invalid=True,
    )


def _apply_extension(step: Step, days: int, reason: str, *, requested_by: str) -> None:
    case = step.case
    case.extension_days += days
    base = base_conclude_due(case)
    assert base is not None
    case.conclude_due = period_end(base, days=case.extension_days)
    step.event = "extended"
    step.note = step.note or reason
    step.data.update(
        days=days, due=case.conclude_due.isoformat(), requested_by=requested_by, approved_by=step.viewer.actor
    )
    step.tell = TELL["extended"].format(ticket=case.ticket, days=days, due=_date(case.conclude_due), reason=reason)


async def _pending_extension(step: Step) -> CaseEvent | None:
    """The latest request for an extension, unless it has been approved or refused since."""
    latest = await step.session.scalar(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == step.case.id,
            CaseEvent.kind.in_(("extension_requested", "extended", "extension_refused")),
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return latest if latest is not None and latest.kind == "extension_requested" else None


@action("conclude", "办结", _WORKING | {S.REVIEW, S.RE_EXAMINATION}, "当前状态不能办结", event="concluded")
async def _conclude(step: Step) -> None:
    case, params = step.case, step.params
    opinion = _required(params, "opinion", "请选择处理意见")
    if opinion not in OPINIONS:
        raise Invalid("处理意见应为：支持、解释说明或不予支持（条例第三十二条）")
    text = _required(params, "text", "请填写处理意见书的内容")
    basis = _required(params, "basis", "请写明法律法规或政策依据（条例第三十二条）")
    step.data.update(opinion=opinion, basis=basis)
    step.note = text
    if step.status is S.RE_EXAMINATION:
        step.event = "re_examined"
        case.status, case.review_stage = S.CLOSED, 2
        step.tell = TELL["re_examined"].format(ticket=case.ticket, opinion=opinion, text=text)
    else:
        _require(case.accepted_on is not None, "请先受理")
        if step.status is S.REVIEW:
            step.event, case.review_stage = "reviewed", 1
        case.status = S.CONCLUDED
        case.concluded_on = case.answer_received_on = step.today
        case.review_request_due = period_end(step.today, days=REVIEW_REQUEST_DAYS)
        template = TELL["reviewed"] if step.event == "reviewed" else TELL["concluded"]
        step.tell = template.format(
            ticket=case.ticket, opinion=opinion, text=text, basis=basis, review_due=_date(case.review_request_due)
        )
        if step.event == "concluded":
            step.buttons = payloads.satisfaction_buttons(case.ticket)
        else:
            step.buttons = payloads.recheck_buttons(case.ticket)
    case.opinion, case.opinion_text = opinion, text


@action("request_review", "登记复查请求", {S.CONCLUDED}, "复查只能对已办结、尚未复查的件请求")
async def _request_review(step: Step) -> None:
    await request_review(step.session, step.case, step.viewer.actor, step.today)
    step.record, step.told = False, True


@action("request_re_examination", "登记复核请求", {S.CONCLUDED}, "复核只能在复查意见作出后请求")
async def _request_re_examination(step: Step) -> None:
    await request_review(step.session, step.case, step.viewer.actor, step.today, re_examination=True)
    step.record, step.told = False, True


@action("close", "终结", {S.CONCLUDED}, "只有已办结的件可以终结", event="closed")
async def _close(step: Step) -> None:
    step.case.status = S.CLOSED
    step.tell = TELL["closed"].format(ticket=step.case.ticket)


# ── who works the case: 首办责任人, 包案领导, 协办, 督办, internal notes ────────────────
# (staff-facing only: none of these is told to the citizen or shown on their /status)


@action("assign", "指定首办责任人", _NOT_ENDED, "此件已结束", event="staff_assigned", roles=_COORDINATORS)
async def _assign(step: Step) -> None:
    username = _required(step.params, "staff", "请选择首办责任人")
    staff = await staff_repo.active_by_username(step.session, username)
    if staff.role == StaffRole.LEADER:
        raise Invalid("包案领导请用「包案」指定")
    _not_to_the_accused(step.case, staff.department_id)
    step.data.update(staff=staff.username, previous=step.case.assignee)
    step.case.assignee = staff.username


@action("lead", "领导包案", _NOT_ENDED, "此件已结束", event="led", roles=_COORDINATORS)
async def _lead(step: Step) -> None:
    username = _required(step.params, "leader", "请选择包案领导")
    staff = await staff_repo.active_by_username(step.session, username)
    if staff.role != StaffRole.LEADER:
        raise Invalid(f"{username} 不是包案领导账号")
    step.data.update(leader=staff.username, previous=step.case.leader)
    step.case.leader = staff.username


@action("assist", "协办部门", _BEFORE_CONCLUSION, "已办结的件不再增加协办", event="assisting", roles=_COORDINATORS)
async def _assist(step: Step) -> None:
    raw = step.params.get("departments", step.params.get("department", ""))
    wanted = [d.strip() for d in (raw if isinstance(raw, list) else str(raw).split(",")) if d.strip()]
    departments = []
    for department_id in dict.fromkeys(wanted):
        department = await step.session.get(Department, department_id)
        if department is None or not department.active:
            raise Invalid(f"没有这个部门：{department_id}")
        _not_to_the_accused(step.case, department.id)
        if department.id != step.case.department_id:
            departments.append(department.id)
    await case_repo.set_assisting(step.session, step.case, departments)
    step.data["departments"] = departments


@action(
    "supervise", "督办", _OPEN, "只有在办的件可以督办", event="supervised", roles=(*_COORDINATORS, StaffRole.LEADER)
)
async def _supervise(step: Step) -> None:
    days = _int(step.params, "days")
    _require(1 <= days <= 60, "督办期限应为 1–60 日", invalid=True)
    due = period_end(step.today, days=days)
    step.note = _required(step.params, "note", "请写明督办要求")
    step.data.update(due=due.isoformat(), days=days)
    step.case.supervise_due = due


@action("group", "确认同一事项", frozenset(S), "", event="grouped")
async def _group(step: Step) -> None:
    """The same matter raised by others, or by the same person on another channel: staff confirm
    a suggested link (or name a case) and both join one group, handled and counted together."""
    ticket = _required(step.params, "with", "请填写同一事项的另一件的受理编号")
    other = await case_repo.by_ticket(step.session, ticket)
    if other is None or other.id == step.case.id or not step.viewer.can_see(other):
        raise Invalid(f"没有可以归并的件：{ticket}")
    group = await case_repo.join_groups(step.session, step.case, other)
    step.data.update(other=other.ticket, group=group)


@action("ungroup", "移出同一事项", frozenset(S), "", event="ungrouped")
async def _ungroup(step: Step) -> None:
    _require(step.case.group_id is not None, "此件不在任何同一事项组中")
    step.data["group"] = step.case.group_id
    await case_repo.leave_group(step.session, step.case)


@action("note", "内部备注", frozenset(S), "", event="note")
async def _note(step: Step) -> None:
    # the note's text as `note` (like every other action's remark) or `text`
    step.note = _text(step.params, "note") or _text(step.params, "text")
    if not step.note:
        raise FieldErrors({"note": "请填写备注内容（note）"})


async def request_review(
    session: AsyncSession,
    case: Case,
    actor: str,
    today: date,
    *,
    re_examination: bool = False,
    notify: bool = True,
    note: str = "",
) -> None:
    """复查 (条例第三十五条) or 复核 (第三十六条) within 30 日 of the written answer.

    The request is an event staff see, with the review body's own 30-日 deadline; `note` keeps the
    citizen's reasons. `notify=False` when the citizen asked in the chat and is answered there."""
    status = S(case.status)
    if re_examination:
        _require(status is S.CONCLUDED and case.review_stage == 1, "复核只能在复查意见作出后请求")
    else:
        _require(status is S.CONCLUDED and case.review_stage == 0, "复查只能对已办结、尚未复查的件请求")
    if case.review_request_due and today > case.review_request_due:
        raise Conflict(f"请求期限已于 {_date(case.review_request_due)} 届满")
    case.status = S.RE_EXAMINATION if re_examination else S.REVIEW
    case.reopen_count = (case.reopen_count or 0) + 1  # reopened twice: a 积案 (backlog) case
    case.review_due = period_end(today, days=REVIEW_ANSWER_DAYS)
    case.due_on = case.review_due
    kind = "re_examination_requested" if re_examination else "review_requested"
    case.updated_at = utcnow()
    await events.record(session, case, actor, kind, note[:4000], due=case.review_due.isoformat())
    if notify:
        await outbox.notify_citizen(
            session, case.citizen_id, TELL[kind].format(ticket=case.ticket, due=_date(case.review_due)), case.id
        )


async def _record_correction(session: AsyncSession, case: Case, department: Department, viewer: Viewer) -> None:
    """A re-routing away from what the keywords decided is a labelled example to learn from."""
    if case.department_id == department.id:
        return
    session.add(
        RoutingCorrection(
            case_id=case.id,
            from_category=case.category,
            to_category=department.category,
            from_department=case.department_id,
            to_department=department.id,
            keywords=list(case.routing_keywords or []),
            staff=viewer.username,
        )
    )


def _not_to_the_accused(case: Case, department_id: str | None) -> None:
    """条例第三十条: a report never goes to the department it accuses — not to handle, not to
    assist, not to anyone of its staff — whoever routes it."""
    if case.kind == "report" and department_id is not None and department_id == case.accused_department_id:
        raise Forbidden("检举控告不得转给被检举的单位或其工作人员（条例第三十条），请转纪检监察机关或其上级机关")


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    return value.strip()[:4000] if isinstance(value, str) else ""


def _required(params: dict[str, Any], key: str, message: str) -> str:
    value = _text(params, key)
    if not value:
        raise Invalid(message)
    return value


def _int(params: dict[str, Any], key: str) -> int:
    try:
        return int(str(params.get(key, "")).strip())
    except ValueError:
        raise Invalid(f"{key} 应为整数") from None


def _require(condition: bool, message: str, *, invalid: bool = False) -> None:
    if not condition:
        raise (Invalid if invalid else Conflict)(message)
