"""Staff authentication: argon2 password hashes, signed tokens (API bearer and session cookie),
CSRF tokens, and what each role may see and do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .models import Case, Staff, StaffRole

_hasher = PasswordHasher()
# a real hash to verify against when the username does not exist: the same work either way,
# so the response time does not tell whether an account exists
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
SESSION_SECONDS = 8 * 3600
API_TOKEN_SECONDS = 12 * 3600
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if password.isdigit() or password.isalpha():
        return "密码需同时包含字母和数字"
    return None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: dict[str, Any], secret: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unsign(token: str, secret: str) -> dict[str, Any] | None:
    """The payload of a token we signed and that has not expired; None otherwise."""
    try:
        body, mac = token.split(".", 1)
        expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        payload = json.loads(_unb64(body))
    except (ValueError, TypeError, json.JSONDecodeError):
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
        return None
    return payload


def issue(staff: Staff, kind: str, secret: str) -> str:
    lifetime = SESSION_SECONDS if kind == "session" else API_TOKEN_SECONDS
    payload = {"sid": staff.id, "v": staff.token_version, "kind": kind, "exp": int(time.time()) + lifetime}
    if kind == "session":
        payload["csrf"] = secrets.token_urlsafe(24)
    return sign(payload, secret)


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

    @classmethod
    def of(cls, staff: Staff, csrf: str = "") -> Viewer:
        return cls(staff.id, staff.username, staff.display_name, staff.role, staff.department_id, csrf)

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
        """条例第三十条: a report (检举控告), or a complaint about a department's own staff, is not
        shown with the complainant's identity to that department's officers."""
        if self.sees_all_cases:
            return True
        if case.kind == "report":
            return False
        return case.accused_department_id is None or case.accused_department_id != self.department_id

    def redact(self, case: Case, text: str) -> str:
        """Text about the case as this viewer may read it (条例第三十条)."""
        if self.sees_identity(case):
            return text
        from nlp.pii import redact_identity

        return redact_identity(text, (case.name, case.address, case.phone))
