"""Staff accounts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import check_password, hash_password, password_problem
from ..errors import Conflict, Invalid, NotFound
from ..models import Department, Staff, StaffRole, utcnow


async def create(
    session: AsyncSession,
    username: str,
    password: str,
    role: str,
    department_id: str | None,
    display_name: str | None = None,
) -> Staff:
    username = username.strip()
    if not username or len(username) > 64:
        raise Invalid("账号名应为 1–64 个字符")
    if role not in {r.value for r in StaffRole}:
        raise Invalid(f"角色应为 admin、dispatcher、officer 或 leader，不是 {role}")
    if role == StaffRole.OFFICER and not department_id:
        raise Invalid("officer 必须指定所属部门（--department）")
    if department_id and await session.get(Department, department_id) is None:
        raise Invalid(f"没有 id 为 {department_id} 的部门")
    problem = password_problem(password)
    if problem:
        raise Invalid(problem)
    if await session.scalar(select(Staff.id).where(Staff.username == username)) is not None:
        raise Conflict(f"账号 {username} 已存在")
    staff = Staff(
        username=username,
        display_name=display_name or username,
        role=role,
        department_id=department_id,
        password_hash=hash_password(password),
    )
    session.add(staff)
    await session.flush()
    return staff


async def authenticate(session: AsyncSession, username: str, password: str) -> Staff | None:
    staff = await session.scalar(select(Staff).where(Staff.username == username, Staff.active))
    if not check_password(staff.password_hash if staff else None, password):
        return None
    assert staff is not None
    staff.last_login_at = utcnow()
    return staff


async def get_active(session: AsyncSession, staff_id: int, token_version: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    if staff is None or not staff.active or staff.token_version != token_version:
        raise NotFound("staff")
    return staff


async def all_staff(session: AsyncSession) -> Sequence[Staff]:
    return (await session.scalars(select(Staff).order_by(Staff.role, Staff.username))).all()


async def set_active(session: AsyncSession, staff_id: int, active: bool) -> None:
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("staff")
    staff.active = active
    staff.token_version += 1  # sign them out everywhere


async def active_by_username(session: AsyncSession, username: str) -> Staff:
    """An active account by its username; Invalid (a mistake in the form) when there is none."""
    staff = await session.scalar(select(Staff).where(Staff.username == username.strip(), Staff.active))
    if staff is None:
        raise Invalid(f"没有启用中的账号 {username}")
    return staff


async def choices(session: AsyncSession) -> Sequence[Staff]:
    """Active accounts, for the assign and lead menus."""
    return (await session.scalars(select(Staff).where(Staff.active).order_by(Staff.role, Staff.username))).all()
