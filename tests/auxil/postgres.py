"""Access to the local PostgreSQL server for tests: a fresh database per test, or a skip."""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import asyncpg

ADMIN_DSN = os.environ.get("XINFANG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


async def _can_connect() -> str | None:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(ADMIN_DSN), timeout=3)
    except Exception as exc:  # any failure means: no server here
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


async def create_database() -> str:
    """Create an empty database and return its SQLAlchemy async URL."""
    name = f"xinfang_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    host_part = ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+asyncpg://{host_part}/{name}"


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def unavailable_reason() -> str | None:
    """None when PostgreSQL answers; otherwise why not (used as the skip reason).

    Runs its own event loop in a thread, so it may be called from inside a running loop.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _can_connect()).result()
