"""The audit log of personal-data views (条例第三十条): who saw whose details, when, and how.

Apart from the case timeline on purpose: the timeline says what was done about a case, and a
reader who opens a case four times has done nothing to it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AuditEntry, utcnow

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
ACTIONS = {
    "case_page": "查看案件页",
    "api_case": "API 读取案件",
    "export": "导出台账",
    "attachment": "下载附件",
    "alert_contact": "紧急情况：查看联系电话",
    "view": "查看个人信息",
}
# ─────────────────────────────────────────────────────────────────────────────


async def record_views(session: AsyncSession, case_ids: Sequence[int], actor: str, action: str, note: str = "") -> None:
    """One row per case whose personal data the actor was shown."""
    if case_ids:
        at = utcnow()
        await session.execute(
            insert(AuditEntry),
            [{"at": at, "actor": actor, "action": action, "case_id": i, "note": note[:500]} for i in case_ids],
        )


async def of_case(session: AsyncSession, case_id: int, limit: int = 500) -> Sequence[AuditEntry]:
    """The case's views, newest first."""
    query = select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id.desc()).limit(limit)
    return (await session.scalars(query)).all()
