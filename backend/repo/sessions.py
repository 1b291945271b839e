"""Staff sessions and API tokens, kept server-side (only their SHA-256), and the sign-in throttle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import new_token, token_id
from ..models import LoginThrottle, Staff, StaffSession

# ── sessions ────────────────────────────────────────────────────────────────


async def start(
    session: AsyncSession, staff_id: int, kind: str, address: str, now: datetime, lifetime: timedelta
) -> tuple[str, str]:
    """A new session (kind "session") or API token (kind "api"): (token, CSRF token)."""
    token, csrf = new_token(), new_token() if kind == "session" else ""
    session.add(
        StaffSession(
            id=token_id(token),
            staff_id=staff_id,
            kind=kind,
            csrf=csrf,
            address=address[:64],
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return token, csrf


async def find(session: AsyncSession, token: str, kind: str, now: datetime) -> tuple[Staff, str] | None:
    """(staff member, CSRF token) of a live session or token of an active account; None otherwise."""
    row = (
        await session.execute(
            select(Staff, StaffSession.csrf)
            .join(StaffSession, StaffSession.staff_id == Staff.id)
            .where(
                StaffSession.id == token_id(token),
                StaffSession.kind == kind,
                StaffSession.expires_at > now,
                Staff.active.is_(True),
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def end(session: AsyncSession, token: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.id == token_id(token)))


async def end_all(session: AsyncSession, staff_id: int) -> int:
    """Sign a staff member out everywhere (password, role or department changed, account off)."""
    result = await session.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))
    return result.rowcount or 0


async def forget_expired(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))


# ── the sign-in throttle ────────────────────────────────────────────────────


async def count_attempt(session: AsyncSession, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
    """Count one attempt under `key` in one atomic statement: (attempts in the window so far,
    including this one; when the window started). A window older than `window` starts again."""
    dialect = session.bind.dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = LoginThrottle.__table__
    stale = table.c.window_start <= now - window
    statement = insert_(LoginThrottle).values(key=key[:160], attempts=1, window_start=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "attempts": case((stale, 1), else_=table.c.attempts + 1),
            "window_start": case((stale, literal(now, table.c.window_start.type)), else_=table.c.window_start),
        },
    ).returning(LoginThrottle.attempts, LoginThrottle.window_start)
    attempts, started = (await session.execute(statement)).one()
    return attempts, started


async def forget_attempts(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key[:160]))


async def take_back_attempt(session: AsyncSession, key: str) -> None:
    """A successful sign-in does not count against its address."""
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key[:160], LoginThrottle.attempts > 0)
        .values(attempts=LoginThrottle.attempts - 1)
    )


async def forget_old_attempts(session: AsyncSession, now: datetime, window: timedelta) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.window_start <= now - window))
