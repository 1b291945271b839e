"""相似件: linking each new case to similar cases of other citizens, for staff to see together.

Runs after filing, in the background (bot/workers.py), so a citizen never waits for it: each
pass takes the cases not yet checked, finds candidates (SimHash band matches and the category's
latest cases) and links those whose word sets overlap enough (Jaccard).
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nlp.dedup import SIMILAR_JACCARD, jaccard

from .filing import words_of
from .models import Case, CaseLink
from .repo import cases as case_repo

MAX_LINKS = 10


async def link_pending(session: AsyncSession, batch: int = 100) -> int:
    """Link up to `batch` unchecked cases; returns how many were checked."""
    pending = (
        await session.execute(
            select(
                Case.id,
                Case.citizen_id,
                Case.category,
                Case.search_text,
                Case.simhash_band0,
                Case.simhash_band1,
                Case.simhash_band2,
                Case.simhash_band3,
            )
            .where(Case.similar_checked.is_(False))
            .order_by(Case.id)
            .limit(batch)
        )
    ).all()
    for case in pending:
        bands = (case.simhash_band0, case.simhash_band1, case.simhash_band2, case.simhash_band3)
        words = words_of(case.id, case.search_text)
        scored = sorted(
            (
                (score, other.id)
                for other in await case_repo.similar_candidates(session, case.id, case.citizen_id, bands, case.category)
                if (score := jaccard(words, words_of(other.id, other.search_text))) >= SIMILAR_JACCARD
            ),
            reverse=True,
        )[:MAX_LINKS]
        if scored:
            await session.execute(
                insert(CaseLink),
                [
                    {"case_id": case.id, "other_id": other, "kind": "similar", "score": round(s, 3)}
                    for s, other in scored
                ],
            )
    if pending:
        await session.execute(update(Case).where(Case.id.in_([c.id for c in pending])).values(similar_checked=True))
    return len(pending)
