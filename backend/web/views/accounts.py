"""Staff accounts (admins only): list, create, switch on and off."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from ...errors import Conflict, Invalid
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
