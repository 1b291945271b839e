"""Staff accounts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import hash_password_off_loop, password_problem
from ..errors import Conflict, Invalid, NotFound
from ..models import Department, Staff, StaffRole
from . import sessions


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
        password_hash=await hash_password_off_loop(password),
    )
    session.add(staff)
    await session.flush()
    return staff


async def get(session: AsyncSession, staff_id: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("staff")
    return staff


async def all_staff(session: AsyncSession) -> Sequence[Staff]:
    return (await session.scalars(select(Staff).order_by(Staff.role, Staff.username))).all()


async def set_active(session: AsyncSession, staff_id: int, active: bool) -> None:
    staff = await get(session, staff_id)
    staff.active = active
    await _signed_out(session, staff)


async def set_password(session: AsyncSession, staff_id: int, password: str) -> Staff:
    """A new password ends every session and token of the account at once."""
    problem = password_problem(password)
    if problem:
        raise Invalid(problem)
    staff = await get(session, staff_id)
    staff.password_hash = await hash_password_off_loop(password)
    await _signed_out(session, staff)
    return staff


async def set_role(session: AsyncSession, staff_id: int, role: str, department_id: str | None) -> Staff:
    """A new role or department ends every session and token of the account at once: nothing
    signed in under the old role keeps its rights."""
    if role not in {r.value for r in StaffRole}:
        raise Invalid(f"角色应为 admin、dispatcher、officer 或 leader，不是 {role}")
    if role == StaffRole.OFFICER and not department_id:
        raise Invalid("officer 必须指定所属部门")
    if department_id and await session.get(Department, department_id) is None:
        raise Invalid(f"没有 id 为 {department_id} 的部门")
    staff = await get(session, staff_id)
    if (staff.role, staff.department_id) != (role, department_id):
        staff.role, staff.department_id = role, department_id
        await _signed_out(session, staff)
    return staff


async def _signed_out(session: AsyncSession, staff: Staff) -> None:
    staff.token_version += 1
    await sessions.end_all(session, staff.id)


async def active_by_username(session: AsyncSession, username: str) -> Staff:
    """An active account by its username; Invalid (a mistake in the form) when there is none."""
    staff = await session.scalar(select(Staff).where(Staff.username == username.strip(), Staff.active))
    if staff is None:
        raise Invalid(f"没有启用中的账号 {username}")
    return staff


async def choices(session: AsyncSession) -> Sequence[Staff]:
    """Active accounts, for the assign and lead menus."""
    return (await session.scalars(select(Staff).where(Staff.active).order_by(Staff.role, Staff.username))).all()
