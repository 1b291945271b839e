"""Staff accounts (admins only): list, create, switch on and off, change a role or department,
reset a password. Each change but creating ends the account's sessions and tokens at once."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ...errors import Conflict, Invalid, NotFound
from ...models import StaffRole
from ...repo import departments as department_repo
from ...repo import staff as staff_repo
from ..context import STAFF
from ..render import render
from ..security import VIEWER, roles, staff_page

routes = web.RouteTableDef()
REFUSED = "只有管理员可以管理账号"


@routes.get("/staff/accounts")
@staff_page
@roles(StaffRole.ADMIN, refused=REFUSED)
async def accounts_page(request: web.Request) -> web.Response:
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
@roles(StaffRole.ADMIN, refused=REFUSED)
async def create_account(request: web.Request) -> web.Response:
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
@roles(StaffRole.ADMIN, refused=REFUSED)
async def toggle_account(request: web.Request) -> web.Response:
    viewer = request[VIEWER]
    staff_id = request.match_info["staff_id"]
    active = (await request.post()).get("active") == "1"
    if not staff_id.isdigit() or (int(staff_id) == viewer.staff_id and not active):
        raise web.HTTPFound(f"/staff/accounts?error={quote('不能停用自己的账号')}")
    async with request.app[STAFF].store.unit() as uow:
        await staff_repo.set_active(uow.session, int(staff_id), active)
    raise web.HTTPFound("/staff/accounts")


@routes.post("/staff/accounts/{staff_id}/role")
@staff_page
@roles(StaffRole.ADMIN, refused=REFUSED)
async def change_role(request: web.Request) -> web.Response:
    viewer = request[VIEWER]
    staff_id = request.match_info["staff_id"]
    form = await request.post()
    role, department = str(form.get("role", "")).strip(), str(form.get("department", "")).strip() or None
    if not staff_id.isdigit() or (int(staff_id) == viewer.staff_id and role != StaffRole.ADMIN):
        raise web.HTTPFound(f"/staff/accounts?error={quote('不能取消自己的管理员角色')}")
    try:
        async with request.app[STAFF].store.unit() as uow:
            await staff_repo.set_role(uow.session, int(staff_id), role, department)
    except (Invalid, NotFound) as exc:
        raise web.HTTPFound(f"/staff/accounts?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/accounts?message={quote('角色已修改，该账号已在所有设备上退出')}")


@routes.post("/staff/accounts/{staff_id}/password")
@staff_page
@roles(StaffRole.ADMIN, refused=REFUSED)
async def reset_password(request: web.Request) -> web.Response:
    staff_id = request.match_info["staff_id"]
    password = str((await request.post()).get("password", ""))[:1024]
    try:
        if not staff_id.isdigit():
            raise NotFound("staff")
        async with request.app[STAFF].store.unit() as uow:
            await staff_repo.set_password(uow.session, int(staff_id), password)
    except (Invalid, NotFound) as exc:
        raise web.HTTPFound(f"/staff/accounts?error={quote(str(exc))}") from None
    raise web.HTTPFound(f"/staff/accounts?message={quote('密码已重置，该账号已在所有设备上退出')}")
