"""Building cases in tests through the real filing code."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from backend.filing import CaseDraft, FilingResult, Routing, file_case
from backend.repo import citizens
from backend.store import Store

_users = itertools.count(1)


async def a_citizen(store: Store, channel: str = "telegram", user: str | None = None) -> int:
    user = user or f"u{next(_users)}"
    async with store.unit() as uow:
        return (await citizens.get_or_create(uow.session, channel, user, user)).id


async def a_case(
    store: Store,
    citizen_id: int,
    facts: str = "小区门口的路灯坏了三个月，晚上老人出门很危险",
    *,
    words: list[str] | None = None,
    category: str | None = "城乡建设",
    department: str | None = "chengguanju",
    needs_triage: bool = False,
    today: date = date(2026, 11, 25),
    **fields,  # type: ignore[no-untyped-def]
) -> FilingResult:
    draft = CaseDraft(
        citizen_id=citizen_id,
        channel="telegram",
        chat_id=str(citizen_id),
        name="张三",
        address="A市A3区建设路",
        facts=facts,
        request="尽快修好路灯",
        reason="影响出行安全",
        **{"phone": "13812345678", **fields},
    )
    routing = Routing(category, department, 0.9, ["路灯"], needs_triage)
    async with store.unit() as uow:
        return await file_case(
            uow.session, draft, routing, words or list(facts), datetime(2026, 11, 25, 2, tzinfo=UTC), today
        )
