"""The case store's tables (SQLAlchemy 2 declarative, typed with Mapped[]).

Change a model → add an Alembic migration under backend/migrations/versions (the tests check
that the migrations produce exactly these tables).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which stores them naive) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the case store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class CaseStatus(StrEnum):
    """条例's path of a case, in order. Values are stable codes; labels are for people."""

    REGISTERED = "registered"  # 登记
    ACCEPTED = "accepted"  # 受理
    REJECTED = "rejected"  # 不予受理
    ROUTED = "routed"  # 转送·交办
    IN_PROGRESS = "in_progress"  # 办理中
    CONCLUDED = "concluded"  # 已办结
    REVIEW = "review"  # 复查中
    RE_EXAMINATION = "re_examination"  # 复核中
    CLOSED = "closed"  # 终结
    MERGED = "merged"  # 重复件，并入已有案件

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.REGISTERED: "登记",
    CaseStatus.ACCEPTED: "受理",
    CaseStatus.REJECTED: "不予受理",
    CaseStatus.ROUTED: "转送·交办",
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.CONCLUDED: "已办结",
    CaseStatus.REVIEW: "复查中",
    CaseStatus.RE_EXAMINATION: "复核中",
    CaseStatus.CLOSED: "终结",
    CaseStatus.MERGED: "并入已有案件",
}

OPEN_STATUSES = frozenset(
    {
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.ROUTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.REVIEW,
        CaseStatus.RE_EXAMINATION,
    }
)


class Citizen(Base):
    """A person as one transport knows them (a Telegram user, a web-chat browser)."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(128))
    blocked_at: Mapped[datetime | None]  # the user blocked the bot: never send again
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Department(Base):
    """Mirrors knowledge/data/departments.toml; synced at start-up so cases can refer to it."""

    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_department", "status", "department_id"),
        Index("ix_cases_citizen_status", "citizen_id", "status"),
        # the list sorts by any column, newest first within it: each sort has its (column, id) index
        # on PostgreSQL the statistics read a period's breakdowns from the index alone
        Index(
            "ix_cases_received_id",
            "received_at",
            "id",
            postgresql_include=["category", "status", "department_id", "accused_department_id"],
        ),
        Index("ix_cases_category_id", "category", "id"),
        Index("ix_cases_department_status_id", "department_id", "status", "id"),
        Index("ix_cases_department_id", "department_id", "id"),
        Index("ix_cases_status_id", "status", "id"),
        Index("ix_cases_due_id", "due_on", "id"),
        Index("ix_cases_assignee_id", "assignee", "id"),
        Index("ix_cases_leader_id", "leader", "id"),
        Index("ix_cases_group", "group_id"),
        Index("ix_cases_supervise", "supervise_due"),
        Index("ix_cases_phone_tail", "phone_tail", "id"),
        # prefix searches (LIKE 'XF-202611%', LIKE '张%') use these on PostgreSQL whatever the collation
        Index("ix_cases_ticket_prefix", "ticket", postgresql_ops={"ticket": "varchar_pattern_ops"}),
        Index("ix_cases_name_prefix", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        Index("ix_cases_triage", "needs_triage", "status"),
        Index(
            "ix_cases_concluded",
            "concluded_on",
            postgresql_include=["conclude_due", "review_stage", "satisfaction", "department_id", "reopen_count"],
        ),
        Index("ix_cases_due_status", "due_on", "status", "id", postgresql_include=["department_id", "received_at"]),
        Index("ix_cases_urgent", "urgent", "status"),
        Index("ix_cases_band0", "simhash_band0"),
        Index("ix_cases_band1", "simhash_band1"),
        Index("ix_cases_band2", "simhash_band2"),
        Index("ix_cases_band3", "simhash_band3"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket: Mapped[str] = mapped_column(String(20), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="complaint")  # complaint / report / suggestion
    # how it reached us: chat (Telegram, web chat) or registered by staff from a letter, visit or call
    source: Mapped[str] = mapped_column(String(16), default="chat", server_default="chat")
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.REGISTERED.value)
    summary: Mapped[str] = mapped_column(String(120), default="")  # a one-line title for lists
    # 条例第十九条: 姓名、住址、请求、事实、理由
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone_tail: Mapped[str | None] = mapped_column(String(4))  # last four digits: staff search by them
    address: Mapped[str] = mapped_column(String(256))
    facts: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    group_size: Mapped[int] = mapped_column(Integer, default=1)  # people sharing the matter
    representatives: Mapped[list[Any]] = mapped_column(default=list)  # ≤ 5 names (条例第二十条)
    # routing (nlp/route.py) and steering (nlp/steer.py)
    category: Mapped[str | None] = mapped_column(String(32))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    routing_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    routing_keywords: Mapped[list[Any]] = mapped_column(default=list)
    needs_triage: Mapped[bool] = mapped_column(Boolean, default=False)  # 待分办
    steer_channel: Mapped[str | None] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    accused_department_id: Mapped[str | None] = mapped_column(String(48))  # 条例第三十条
    # deadlines (dates in China time), computed by backend/deadlines.py
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    accept_due: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    conclude_due: Mapped[date | None] = mapped_column(Date)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    answer_received_on: Mapped[date | None] = mapped_column(Date)
    review_request_due: Mapped[date | None] = mapped_column(Date)  # 复查/复核 may be asked until
    review_due: Mapped[date | None] = mapped_column(Date)  # the review body must answer by
    due_on: Mapped[date | None] = mapped_column(Date)  # the deadline staff work to now (indexed for queues)
    review_stage: Mapped[int] = mapped_column(Integer, default=0)  # 0, 1 = 复查, 2 = 复核
    opinion: Mapped[str | None] = mapped_column(String(16))  # 支持 / 解释说明 / 不予支持
    opinion_text: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[str | None] = mapped_column(String(8))
    # who works it: 首接首办 (who registered it), 首办责任人, 包案领导, 协办 departments, 督办
    letter_date: Mapped[date | None] = mapped_column(Date)  # the date a letter (来信) bears
    first_handler: Mapped[str | None] = mapped_column(String(64))
    assignee: Mapped[str | None] = mapped_column(String(64))
    leader: Mapped[str | None] = mapped_column(String(64))
    assisting: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")  # department ids
    supervise_due: Mapped[date | None] = mapped_column(Date)  # 督办: answer to the supervisor by
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 复查/复核 requested
    group_id: Mapped[int | None] = mapped_column(Integer)  # the same matter from many: the group's first case
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    simhash: Mapped[int] = mapped_column(BigInteger, default=0)
    # the fingerprint's four 16-bit bands, indexed: near-duplicates share at least one
    simhash_band0: Mapped[int] = mapped_column(Integer, default=0)
    simhash_band1: Mapped[int] = mapped_column(Integer, default=0)
    simhash_band2: Mapped[int] = mapped_column(Integer, default=0)
    simhash_band3: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")  # jieba tokens, space-separated
    similar_checked: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # 相似件 linked yet?
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    citizen: Mapped[Citizen] = relationship(lazy="raise")
    department: Mapped[Department | None] = relationship(lazy="raise")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", lazy="raise", order_by="CaseEvent.id")


class CaseEvent(Base):
    """The audit trail: who did what to a case, when and why. Rows are only ever added."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case", "case_id", "id"), Index("ix_case_events_kind_at", "kind", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "citizen", "system", "staff:<username>"
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[Case] = relationship(back_populates="events", lazy="raise")


class CaseLink(Base):
    """A case's repeat (same citizen, same matter) or similar (other citizens) cases."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "other_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))  # repeat / similar
    score: Mapped[float] = mapped_column(Float)


class CaseAssist(Base):
    """A 协办 department of a case: its officers see and work the case with the lead department."""

    __tablename__ = "case_assists"
    __table_args__ = (Index("ix_case_assists_department", "department_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), primary_key=True)


class StaffNotice(Base):
    """A case staff were alerted to (new, urgent, overdue) on the staff chat: each once."""

    __tablename__ = "staff_notices"
    __table_args__ = (UniqueConstraint("case_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))  # new / urgent / overdue
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A photo or document a citizen sent; kept with the draft until filing, then with the case."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # photo / document
    file_name: Mapped[str] = mapped_column(String(256))
    mime_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DialogueState(Base):
    """Where a citizen is in a conversation, and the draft so far. Survives restarts."""

    __tablename__ = "dialogue_states"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)  # "<channel>:<user id>"
    state: Mapped[str] = mapped_column(String(32), default="idle")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedUpdate(Base):
    """Update ids already handled, so a re-delivered update is answered once."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class InboxUpdate(Base):
    """An update a transport acknowledged (Telegram got its 200, polling advanced its offset).

    Committed before the acknowledgement, so a crash loses nothing; worked by any process, one
    citizen (`chat_key`) at a time and in `id` order. The same transaction that handles it stores
    the replies it owes (`replies`) and who is sending them (`claimed_by`); `sent_parts` counts
    the messages already sent, so after a crash the rest go out, and none twice. The unique
    (channel, update_id) is also what recognises a re-delivered update. `seq` orders a citizen's
    updates (Telegram's update ids grow), whichever process stored them first.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id"),
        Index("ix_inbox_chat_open", "chat_key", "handled_at", "seq"),
        Index("ix_inbox_open", "sent_at", "handled_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    chat_key: Mapped[str] = mapped_column(String(96))  # the dialogue key: one citizen's updates in order
    payload: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    handled_at: Mapped[datetime | None]
    replies: Mapped[list[Any] | None] = mapped_column()  # the messages owed, in order
    sent_parts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]  # every owed message sent (or given up)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the instance sending the replies


class Instance(Base):
    """A running `xinfang run` process, seen recently: whose claims are still alive."""

    __tablename__ = "instances"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(128))
    pid: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TicketCounter(Base):
    """The last 受理编号 sequence used on each day (China time)."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class OutboxMessage(Base):
    """A message for a citizen from the back office (a status change, a staff reply).

    Written in the same transaction as the change it reports; each transport delivers the rows
    of its own channel and marks them sent, so nothing is told twice or lost on a restart.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "channel", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # a transport is sending it
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(256))


class Guidance(Base):
    """A citizen told where the law sends their matter (诉访分离): counted as served, not rejected."""

    __tablename__ = "guidance"
    __table_args__ = (Index("ix_guidance_channel_at", "channel", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))  # the legal channel they were shown
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    cues: Mapped[list[Any]] = mapped_column(default=list)
    deadline: Mapped[date | None] = mapped_column(Date)  # last day to apply, when computed
    outcome: Mapped[str] = mapped_column(String(16), default="shown")  # shown / understood / filed_anyway
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class UrgentAlert(Base):
    """Words of self-harm, violence or a planned mass gathering (条例第二十五条): staff look at once."""

    __tablename__ = "urgent_alerts"
    __table_args__ = (Index("ix_urgent_alerts_open", "handled_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    kinds: Mapped[list[Any]] = mapped_column(default=list)  # self_harm / violence / gathering
    excerpt: Mapped[str] = mapped_column(Text)  # what they wrote (PII masked)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)


class StaffRole(StrEnum):
    ADMIN = "admin"  # everything, including staff accounts
    DISPATCHER = "dispatcher"  # 信访部门: all cases, routing, supervision
    OFFICER = "officer"  # a department's staff: only that department's cases
    LEADER = "leader"  # 包案领导: the cases they lead (and the oversight reports)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(256))
    token_version: Mapped[int] = mapped_column(Integer, default=1)  # bump to sign every session out
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class StaffSession(Base):
    """A signed-in browser or an API token, kept server-side: logout, a password or role change
    deletes the rows and the old cookie or token is refused at once. Only a hash of the token
    is stored, so a copy of the database signs no one in."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_staff", "staff_id"), Index("ix_staff_sessions_expires", "expires_at"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token, hex
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(8))  # session (cookie) / api (bearer token)
    csrf: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginThrottle(Base):
    """Sign-in attempts per account ("user:<name>") and per address ("addr:<ip>") in the current
    window. Counted before the password is checked, in the database: parallel guesses and a
    restart do not get around it."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(Base):
    """Who saw a case's personal data, when and how (条例第三十条). Kept apart from the case's
    timeline, which records what was done; shown on demand to those allowed to see it."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case", "case_id", "id"), Index("ix_audit_log_actor_at", "actor", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "staff:<username>"
    action: Mapped[str] = mapped_column(String(32))  # case_page / api_case / export / attachment / …
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class RoutingCorrection(Base):
    """Staff moved a case to another category/department: a labelled example for the keyword table."""

    __tablename__ = "routing_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_category: Mapped[str | None] = mapped_column(String(32))
    to_category: Mapped[str] = mapped_column(String(32))
    from_department: Mapped[str | None] = mapped_column(String(48))
    to_department: Mapped[str] = mapped_column(String(48))
    keywords: Mapped[list[Any]] = mapped_column(default=list)  # what had decided the first routing
    staff: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReferenceReply(Base):
    """A past message with its official reply (demo data), for staff to draft replies from."""

    __tablename__ = "reference_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(256))
    detail: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")


class Subscription(Base):
    """A citizen's opt-in to a topic of outreach messages (one tap to leave)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("citizen_id", "topic"),
        Index("ix_subscriptions_topic_active", "topic", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    topic: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64), default="")  # e.g. c_12: the QR code of campaign 12
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Campaign(Base):
    """An outreach message (or quiz) to the subscribers of a topic, at a time."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_status_send_at", "status", "send_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(32))  # None: every subscriber
    kind: Mapped[str] = mapped_column(String(16), default="message")  # message / quiz
    buttons: Mapped[list[Any]] = mapped_column(default=list)  # rows of {"label", "url"|"data"}
    quiz: Mapped[dict[str, Any]] = mapped_column(default=dict)  # question, options, answer, explain, article
    send_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # draft/scheduled/sending/done/cancelled
    created_by: Mapped[str] = mapped_column(String(64))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None]
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """One recipient of one campaign: the persistent send queue (sent at most once)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "citizen_id"),
        Index("ix_deliveries_queue", "status", "id"),
        Index("ix_deliveries_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/sending/sent/failed/blocked
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(256))


class QuizAnswer(Base):
    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("campaign_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReceptionDay(Base):
    """领导接访日: a leader receives petitioners in person on a day, at a place, on topics."""

    __tablename__ = "reception_days"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    leader: Mapped[str] = mapped_column(String(64))  # as citizens should read it: 「副区长 王某某」
    place: Mapped[str] = mapped_column(String(128))
    topics: Mapped[str] = mapped_column(String(256), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SensitivePeriod(Base):
    """敏感节点: days on which every department files a daily 零报告 (or its incidents)."""

    __tablename__ = "sensitive_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    start_on: Mapped[date] = mapped_column(Date, index=True)
    end_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ZeroReport(Base):
    """A department's report for one day: no incidents (零报告) or the incidents it saw."""

    __tablename__ = "zero_reports"
    __table_args__ = (UniqueConstraint("day", "department_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"))
    incidents: Mapped[list[Any]] = mapped_column(default=list)  # [{"summary", …}]; empty: 零报告
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class SendSchedule(Base):
    """The shared Telegram send budget: where a bot's schedule of send slots ends (s since the
    epoch, on the database's clock). See backend/sendbudget.py; UNLOGGED on PostgreSQL."""

    __tablename__ = "send_budget"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class SendChatPace(Base):
    """The earliest time the next message may go to a chat (rows of long-past chats are pruned)."""

    __tablename__ = "send_chats"

    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class CaseTally(Base):
    """How many cases were received in a month (China time), by category, status, department and
    accused department — the year's statistics read these few thousand rows instead of the
    year's cases. Kept by triggers on `cases` on PostgreSQL (migration 0009); SQLite (one small
    office) counts the cases themselves and leaves this table empty. NULL keys are stored as ''."""

    __tablename__ = "case_tallies"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    department_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    accused_department_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
