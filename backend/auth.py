"""Staff authentication: argon2 password hashes (checked off the event loop), session and API
tokens (random, kept server-side as hashes), and what each role may see and do."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from nlp.pii import mask_numbers, mask_pii, redact_identity

from .models import Case, Staff, StaffRole

_hasher = PasswordHasher()
# a real hash to verify against when the username does not exist: the same work either way,
# so the response time does not tell whether an account exists
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
# argon2 takes ~100 ms of CPU and releases the GIL: it runs on these threads, never on the event
# loop, and at most two at a time whatever the number of sign-in attempts in flight
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="argon2")
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, hash_password, password)


async def check_password_off_loop(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, check_password, password_hash, password)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if password.isdigit() or password.isalpha():
        return "密码需同时包含字母和数字"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_id(token: str) -> str:
    """What the database keeps of a session or API token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


# the 信访部门's roles: every case, routing, supervision, alerts, outreach
COORDINATORS = (StaffRole.ADMIN, StaffRole.DISPATCHER)
# who reads the oversight reports (督查通报, 零报告 returns)
OVERSEERS = (StaffRole.ADMIN, StaffRole.DISPATCHER, StaffRole.LEADER)
# who registers letters, visits and calls (首接首办): anyone who receives petitioners
REGISTRARS = (StaffRole.ADMIN, StaffRole.DISPATCHER, StaffRole.OFFICER)


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in staff member, and what their role lets them see and do."""

    staff_id: int
    username: str
    display_name: str
    role: str
    department_id: str | None
    csrf: str = ""
    # a member of the 纪检监察 body: handles reports (检举控告) and may see who made them
    handles_reports: bool = False

    @classmethod
    def of(cls, staff: Staff, csrf: str = "", discipline_department: str | None = None) -> Viewer:
        handles = discipline_department is not None and staff.department_id == discipline_department
        return cls(staff.id, staff.username, staff.display_name, staff.role, staff.department_id, csrf, handles)

    @property
    def actor(self) -> str:
        return f"staff:{self.username}"

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @property
    def sees_all_cases(self) -> bool:
        return self.role in COORDINATORS

    @property
    def is_leader(self) -> bool:
        return self.role == StaffRole.LEADER

    def can_see(self, case: Case) -> bool:
        """Coordinators see every case; a leader the cases it leads (包案); an officer its
        department's, those its department assists (协办) and those it is responsible for."""
        if self.sees_all_cases:
            return True
        if self.is_leader:
            return case.leader == self.username
        if case.assignee == self.username:
            return True
        mine = self.department_id
        return mine is not None and (case.department_id == mine or mine in (case.assisting or []))

    def sees_identity(self, case: Case) -> bool:
        """条例第三十条: who made a report (检举控告) is shown only to an administrator and to the
        纪检监察 body that handles it — not to dispatchers, leaders or other officers; and nobody
        in the department a case accuses (a report, or a complaint about its own staff) ever
        sees who made it, whatever their role."""
        if case.accused_department_id is not None and case.accused_department_id == self.department_id:
            return False
        if case.kind == "report":
            return self.is_admin or self.handles_reports
        return True

    def sees_audit(self, case: Case) -> bool:
        """Who looked at this case's personal data: for administrators and those who may see it."""
        return self.is_admin or self.sees_identity(case)

    def redact(self, case: Case, text: str) -> str:
        """Free text about the case (summary, facts, request, notes) as this viewer may read it:
        phones, ID and bank card numbers and house numbers typed into it are masked for everyone,
        as the structured fields are; the whole identity (name, accounts, handles) for those who
        may not see it (条例第三十条)."""
        if self.sees_identity(case):
            return mask_pii(text)
        return redact_identity(text, (case.name, case.address, case.phone))

    def address(self, case: Case) -> str | None:
        """The structured address, for a viewer who may see the identity (ID-like numbers masked);
        None for one who may not."""
        return mask_numbers(case.address) if self.sees_identity(case) else None
