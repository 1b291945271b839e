"""Telling staff about new, urgent and newly overdue cases on a staff Telegram chat.

Each case is announced once per kind (a `staff_notices` row, written in the same transaction as
the outbox message), so several server processes and restarts never announce it twice. Texts
carry no personal data: a 检举控告 shows only its number, others a masked one-line summary.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from nlp.pii import mask_pii

from . import outbox
from .models import OPEN_STATUSES, Case, StaffNotice

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
NEW = "信访工作台：新登记 {n} 件"
OVERDUE = "信访工作台：新超期 {n} 件（请督办）"
LINE = "• {ticket}{urgent} {summary}"
URGENT = " 【紧急】"
REPORT = "（检举控告，内容请登录查看）"
FOOTER = "请登录工作台处理。"
# ─────────────────────────────────────────────────────────────────────────────

BATCH = 30
OVERDUE_WINDOW = timedelta(days=3)  # only cases that became overdue lately: not the whole backlog at once


def _line(case: Case) -> str:
    summary = REPORT if case.kind == "report" else mask_pii(case.summary)[:40]
    return LINE.format(ticket=case.ticket, urgent=URGENT if case.urgent else "", summary=summary)


async def _announce(session: AsyncSession, cases: list[Case], kind: str, title: str, chat_id: str) -> int:
    if not cases:
        return 0
    text = "\n".join([title.format(n=len(cases)), *(_line(c) for c in cases), FOOTER])
    await outbox.enqueue(session, "telegram", chat_id, text)
    await session.execute(insert(StaffNotice), [{"case_id": c.id, "kind": kind} for c in cases])
    return len(cases)


async def announce(session: AsyncSession, chat_id: str, now: datetime, today: date) -> int:
    """One round: new cases since the last announced one, then cases that fell overdue."""
    last = await session.scalar(select(func.max(StaffNotice.case_id)).where(StaffNotice.kind == "new"))
    if last is None:  # first run: from the cases received in the last day, not the whole history
        first = await session.scalar(select(func.min(Case.id)).where(Case.received_at >= now - timedelta(days=1)))
        last = (first - 1) if first is not None else await session.scalar(select(func.max(Case.id))) or 0
    new = list((await session.scalars(select(Case).where(Case.id > last).order_by(Case.id).limit(BATCH))).all())
    done = await _announce(session, new, "new", NEW, chat_id)
    told = select(StaffNotice.case_id).where(StaffNotice.kind == "overdue")
    overdue = (
        await session.scalars(
            select(Case)
            .where(
                Case.due_on < today,
                Case.due_on >= today - OVERDUE_WINDOW,
                Case.status.in_([s.value for s in OPEN_STATUSES]),
                Case.id.not_in(told),
            )
            .order_by(Case.due_on, Case.id)
            .limit(BATCH)
        )
    ).all()
    return done + await _announce(session, list(overdue), "overdue", OVERDUE, chat_id)
