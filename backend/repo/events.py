"""The audit trail: every change to a case is an event — who, when, what, why."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Case, CaseEvent, utcnow

# what each event kind is called for people (dashboard timeline, citizen /status)
EVENT_LABELS = {
    "filed": "登记",
    "routed": "自动分派",
    "triage": "待人工分派",
    "repeat": "重复反映，并入本件",
    "accepted": "受理",
    "rejected": "不予受理",
    "assigned": "转送·交办",
    "started": "开始办理",
    "replied": "回复信访人",
    "extended": "延期",
    "extension_requested": "申请延期",
    "extension_refused": "不批准延期",
    "concluded": "办结",
    "review_requested": "申请复查",
    "reviewed": "复查意见",
    "re_examination_requested": "申请复核",
    "re_examined": "复核意见",
    "closed": "终结",
    "satisfaction": "满意度评价",
    "told": "已告知（引导至其他途径）",
    "urgent": "标记为紧急",
    "attachment": "补充材料",
    "staff_assigned": "指定首办责任人",
    "led": "领导包案",
    "assisting": "协办部门",
    "supervised": "督办",
    "note": "内部备注（信访人不可见）",
    "grouped": "同一事项归并",
    "ungrouped": "移出同一事项",
}


async def record(session: AsyncSession, case: Case, actor: str, kind: str, note: str = "", **data: Any) -> CaseEvent:
    event = CaseEvent(case_id=case.id, actor=actor, kind=kind, note=note, data=data, at=utcnow())
    session.add(event)
    await session.flush()
    return event


async def record_told(session: AsyncSession, case_id: int, channel: str) -> None:
    """已告知: the citizen was shown the legal channel `channel` before filing (for statistics)."""
    session.add(
        CaseEvent(
            case_id=case_id,
            actor="system",
            kind="told",
            note="已告知其他法定途径",
            data={"channel": channel},
            at=utcnow(),
        )
    )
    await session.flush()
