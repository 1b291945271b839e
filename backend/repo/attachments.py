"""Reading a case's attachments (storing them is backend/attachments.py, with its checks)."""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound
from ..models import Attachment


async def of_case(session: AsyncSession, case_id: int) -> list[Row]:
    """(id, file_name, size, kind) of the case's files, without their bytes."""
    query = select(Attachment.id, Attachment.file_name, Attachment.size, Attachment.kind).where(
        Attachment.case_id == case_id
    )
    return list(await session.execute(query.order_by(Attachment.id)))


async def content(session: AsyncSession, case_id: int, attachment_id: str) -> tuple[str, bytes]:
    """(file name, bytes) of one of the case's files; NotFound for any other id."""
    row = None
    if attachment_id.isdigit():
        row = (
            await session.execute(
                select(Attachment.file_name, Attachment.data).where(
                    Attachment.id == int(attachment_id), Attachment.case_id == case_id
                )
            )
        ).first()
    if row is None:
        raise NotFound(f"attachment {attachment_id}")
    return row.file_name, row.data
