"""受理编号: format, daily sequence, and no collisions under concurrent filing."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import pytest

from backend.repo.tickets import format_ticket, next_ticket
from tests.auxil.cases import a_case, a_citizen


def test_format() -> None:
    assert format_ticket(date(2026, 11, 25), 7) == "XF-20261125-0007"


async def test_sequence_runs_per_day(store) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        first = await next_ticket(uow.session, date(2026, 11, 25))
        second = await next_ticket(uow.session, date(2026, 11, 25))
        other_day = await next_ticket(uow.session, date(2026, 11, 26))
    assert (first, second, other_day) == ("XF-20261125-0001", "XF-20261125-0002", "XF-20261126-0001")


async def test_a_rolled_back_filing_gives_its_number_back(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError):
        async with store.unit() as uow:
            await next_ticket(uow.session, date(2026, 12, 1))
            raise RuntimeError("filing failed")
    async with store.unit() as uow:
        assert await next_ticket(uow.session, date(2026, 12, 1)) == "XF-20261201-0001"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_concurrent_filings_get_distinct_numbers(store, database_url: str) -> None:  # type: ignore[no-untyped-def]
    count = 200 if database_url.startswith("postgresql") else 50
    citizens = [await a_citizen(store) for _ in range(count)]
    results = await asyncio.gather(
        *(a_case(store, c, f"第{i}号不同的问题：{'甲乙丙丁'[i % 4]}{i}号楼漏水") for i, c in enumerate(citizens))
    )
    tickets = [r.case.ticket for r in results]
    assert len(set(tickets)) == count
    assert all(re.fullmatch(r"XF-20261125-\d{4}", t) for t in tickets)
    assert sorted(int(t[-4:]) for t in tickets) == list(range(1, count + 1))
