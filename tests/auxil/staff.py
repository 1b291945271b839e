"""Staff accounts and signed-in clients for tests."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from backend.repo import staff as staff_repo
from backend.store import Store

PASSWORD = "correct-horse-42"


async def a_staff(store: Store, username: str, role: str, department: str | None = None) -> int:
    async with store.unit() as uow:
        return (await staff_repo.create(uow.session, username, PASSWORD, role, department)).id


async def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign the test client in through the real login form; returns the page's CSRF token."""
    import re

    form = await (await client.get("/staff/login")).text()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/staff/cases"},
        allow_redirects=False,
    )
    assert response.status == 302, await response.text()
    page = await (await client.get("/staff/cases")).text()
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


async def api_token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status == 200, await response.text()
    return {"Authorization": f"Bearer {(await response.json())['token']}"}
