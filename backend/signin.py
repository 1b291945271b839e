"""Signing staff in — one flow for the dashboard's login form and the API's bearer tokens.

1. The attempt is counted first, in the database, in one atomic statement per key (the account
   and the address): parallel guesses each see their own count, and a restart forgets nothing.
   Past `PER_ACCOUNT` attempts in the window the account is locked and the password is not even
   checked; an address gets a generous `PER_ADDRESS` (many staff may sit behind one proxy).
2. The password is checked on a worker thread (argon2 costs ~100 ms): the event loop, and with
   it /healthz and every other request, never waits for it.
3. Success clears the account's count, gives the address its attempt back, and starts a
   server-side session whose token only the client holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .auth import check_password_off_loop
from .models import Staff, utcnow
from .repo import sessions
from .store import Store

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # attempts per account per window; the sixth waits for the window to end
PER_ADDRESS = 100  # per client address per window: several accounts' worth of typos
LIFETIMES = {"session": timedelta(hours=8), "api": timedelta(hours=12)}


class Throttled(Exception):
    """Too many attempts: try again in `wait` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"too many sign-in attempts; retry in {wait:.0f} s")
        self.wait = wait


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    csrf: str
    staff_id: int
    username: str
    expires_in: int  # seconds


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"user:{username}", f"addr:{address}"


async def verify(store: Store, username: str, password: str, address: str, now: datetime | None = None) -> int | None:
    """The account's id when the password is right, None when not (steps 1–2). Raises Throttled
    when the account or the address has had too many attempts."""
    now = now or utcnow()
    account, addr = _keys(username, address)
    async with store.unit() as uow:  # committed before the password is looked at
        tried_here, since_here = await sessions.count_attempt(uow.session, addr, now, WINDOW)
        if tried_here == 1:  # a new window for this address: a moment to drop the stale counts
            await sessions.forget_old_attempts(uow.session, now, WINDOW)
        if tried_here > PER_ADDRESS:  # (an address over its cap adds no rows for the names it sprays)
            tried, since = 0, now
        else:
            tried, since = await sessions.count_attempt(uow.session, account, now, WINDOW)
        row = (
            await uow.session.execute(
                select(Staff.id, Staff.password_hash).where(Staff.username == username, Staff.active.is_(True))
            )
        ).first()
    over = [
        start for n, start, limit in ((tried, since, PER_ACCOUNT), (tried_here, since_here, PER_ADDRESS)) if n > limit
    ]
    if over:
        raise Throttled(max((start + WINDOW - now).total_seconds() for start in over))
    if not await check_password_off_loop(row.password_hash if row else None, password) or row is None:
        return None
    async with store.unit() as uow:
        await sessions.forget_attempts(uow.session, account)
        await sessions.take_back_attempt(uow.session, addr)
    return int(row.id)


async def sign_in(
    store: Store, username: str, password: str, address: str, kind: str, now: datetime | None = None
) -> SignedIn | None:
    """The new session (or API token, kind "api") for correct credentials; None for wrong ones.
    Raises Throttled when the account or the address has had too many attempts."""
    now = now or utcnow()
    staff_id = await verify(store, username, password, address, now)
    if staff_id is None:
        return None
    lifetime = LIFETIMES[kind]
    async with store.unit() as uow:
        await sessions.forget_expired(uow.session, now)
        token, csrf = await sessions.start(uow.session, staff_id, kind, address, now, lifetime)
        staff = await uow.session.get(Staff, staff_id)
        if staff is not None:
            staff.last_login_at = now
    return SignedIn(token, csrf, staff_id, username, int(lifetime.total_seconds()))
