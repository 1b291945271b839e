"""Similar past cases with their official replies, for staff drafting a reply.

A small in-memory inverted index over the reference replies' words (IDF-weighted overlap),
built once per process and rebuilt when the table changes size (after `xinfang demo load`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ReferenceReply


@dataclass(frozen=True, slots=True)
class SimilarReply:
    id: int
    title: str
    detail: str
    reply: str
    score: float


class ReplyIndex:
    def __init__(self) -> None:
        self.size = -1
        self._postings: dict[str, list[int]] = {}
        self._idf: dict[str, float] = {}
        self._lengths: dict[int, int] = {}

    async def refresh(self, session: AsyncSession) -> None:
        size = await session.scalar(select(func.count(ReferenceReply.id))) or 0
        if size == self.size:
            return
        postings: dict[str, list[int]] = defaultdict(list)
        lengths: dict[int, int] = {}
        for reply_id, text in await session.execute(select(ReferenceReply.id, ReferenceReply.search_text)):
            words = set(text.split())
            lengths[reply_id] = len(words)
            for word in words:
                postings[word].append(reply_id)
        self._idf = {w: math.log(1 + size / len(ids)) for w, ids in postings.items()}
        self._postings, self._lengths, self.size = dict(postings), lengths, size

    async def similar(self, session: AsyncSession, words: list[str], k: int = 3) -> list[SimilarReply]:
        await self.refresh(session)
        scores: Counter[int] = Counter()
        for word in set(words):
            idf = self._idf.get(word)
            if idf is None or len(self._postings[word]) > max(50, self.size // 5):
                continue  # words in a fifth of all replies say nothing about this case
            for reply_id in self._postings[word]:
                scores[reply_id] += idf
        best = [(s / math.sqrt(self._lengths[i] + 1), i) for i, s in scores.items()]
        best.sort(reverse=True)
        top = [i for _, i in best[:k]]
        if not top:
            return []
        rows = {
            r.id: r for r in (await session.scalars(select(ReferenceReply).where(ReferenceReply.id.in_(top)))).all()
        }
        return [
            SimilarReply(i, rows[i].title, rows[i].detail, rows[i].reply, round(s, 2)) for s, i in best[:k] if i in rows
        ]
