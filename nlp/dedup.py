"""Near-duplicate detection: SimHash fingerprints and Jaccard similarity over jieba words.

A complaint's 64-bit fingerprint is stored with its case as four indexed 16-bit bands; two
texts within Hamming distance 3 share at least one band (pigeonhole), so copies and
near-copies — the same letter sent again, a campaign of identical letters — are found by an
index lookup among any number of cases. Rewordings drift further apart in Hamming distance,
so the candidates also include the category's recent cases, and every candidate is confirmed
by the Jaccard similarity of the word sets, which is what "the same matter" means here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from hashlib import blake2b

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
REPEAT_JACCARD = 0.6  # same citizen, open case: the same matter told again
SIMILAR_JACCARD = 0.35  # other citizens: worth showing staff as 相似件
REPEAT_HAMMING = 3


_LANE = 16  # bits per counter lane: up to 65 535 distinct tokens per text
# byte value → its 8 bits spread into 8 lanes, so one big-int addition counts 64 bits at once
_SPREAD = tuple(sum(((b >> j) & 1) << (_LANE * j) for j in range(8)) for b in range(256))


@lru_cache(maxsize=65536)
def _spread_token(token: str) -> int:
    h = int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")
    return sum(_SPREAD[(h >> (8 * k)) & 0xFF] << (8 * _LANE * k) for k in range(8))


def simhash(tokens: Iterable[str]) -> int:
    """64-bit SimHash as a signed integer (fits a BIGINT column).

    Bit i is set when more than half of the distinct tokens' hashes have it set. The per-bit
    counts are kept in 16-bit lanes of one Python integer, so adding a token is one addition.
    """
    distinct = set(tokens)
    total = sum(_spread_token(t) for t in distinct)
    half = len(distinct) / 2
    mask = (1 << _LANE) - 1
    value = sum(1 << bit for bit in range(BITS) if (total >> (_LANE * bit)) & mask > half)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def bands(fingerprint: int) -> tuple[int, ...]:
    unsigned = fingerprint & ((1 << BITS) - 1)
    return tuple(unsigned >> (i * BAND_BITS) & ((1 << BAND_BITS) - 1) for i in range(BANDS))


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0
