"""Who a message accuses, and whether it is a report (检举控告, 条例第三十条).

A report names an official or a department — 「住建局的一个科员」「村支书」「派出所民警」 — and says
they did something 违纪违法 (受贿, 收好处费, 滥用职权 …), or says outright 「举报 + that official」.
A complaint about the way staff behave (态度恶劣, 推诿, 打人) still accuses their department, whose
officers then must not learn who complained, but it is theirs to put right.

The vocabulary is knowledge/data/accusations.toml; the department names are the taxonomy's.
An act is laid at the door of the official or department named closest before it in the same
sentence (「住建局的科员收了开发商的好处费」: the 科员, not the 开发商, who is no official).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.accusations import AccusationRules
from knowledge.departments import Taxonomy

from .meaning import negated
from .normalize import normalize

TITLE_AFTER_BODY = 8  # 「住建局的一个科员」: a title this close after a department's name is its staff
ACT_AFTER = 30  # an act belongs to the official named up to this many characters before it …
ACT_BEFORE = 10  # … or just after it (「收好处费的那个科员」)
ACROSS_SENTENCES = 60  # 「……的科员张某。他收了好处费」: the official of the sentence before
REPORTED_GAP = 12  # 「举报住建局的一个科员」
_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
_CLAUSE_END = re.compile(r"[，,、。！!？?；;\n]")
_CJK = re.compile(r"^[\u4e00-\u9fa5]{2,}$")
# department keywords that are names of bodies (「住建局」「卫健委」「街道办」)
_BODY_SUFFIX = ("局", "委", "办", "所", "队", "院", "中心", "站", "处")


@dataclass(frozen=True, slots=True)
class Accusation:
    department_id: str | None  # the department whose staff (or which itself) is accused; None: not named
    official: str | None  # the words naming the accused official (科员, 村支书), if a person is named
    misconduct: tuple[str, ...]  # 违纪违法 acts laid at an official's or a department's door
    conduct: tuple[str, ...]  # 作风 / service complaints about them
    reported: bool  # 「举报 / 检举 / 揭发 / 控告」 the official or department

    @property
    def is_report(self) -> bool:
        """检举控告: misconduct of an official or a department, or an outright report of one."""
        return bool(self.misconduct) or self.reported


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    department_id: str | None
    official: str | None


def _alternation(words: set[str] | tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def body_names(taxonomy: Taxonomy, rules: AccusationRules) -> dict[str, str]:
    """Every name of a department people use: full name, short name (and without 局/委 when that
    still says which: 「市场监管」), keywords that name a body (weight ≥ 3, 「住建局」「卫健委」),
    and the other names in accusations.toml."""
    names: dict[str, str] = {}
    for department in taxonomy.departments.values():
        stem = department.short.rstrip("局委")
        candidates = {department.name, department.short, *([stem] if len(stem) >= 4 else [])}
        candidates |= {w for w, v in department.keywords.items() if v >= 3.0 and w.endswith(_BODY_SUFFIX)}
        for name in candidates:
            if _CJK.match(name):
                names.setdefault(name, department.id)
    names.update(rules.bodies)
    return names


class AccusedFinder:
    """Built once per process from the taxonomy and accusations.toml; `find` is pure and fast."""

    def __init__(self, taxonomy: Taxonomy, rules: AccusationRules) -> None:
        self.rules = rules
        self._names = body_names(taxonomy, rules)
        self._bodies = _alternation(tuple(self._names))
        self._titles = _alternation(rules.titles)
        self._staff = _alternation(rules.staff)
        self._local = _alternation(rules.local)
        self._others = _alternation(rules.others)
        self._generic = _alternation(rules.generic)
        self._misconduct = _alternation(rules.misconduct)
        self._conduct = _alternation(rules.conduct)
        self._report = _alternation(rules.report)

    def find(self, text: str) -> Accusation | None:
        """The accusation the text makes against an official or a department, or None."""
        text = normalize(text)
        mentions = self._mentions(text)
        if not mentions:
            return None
        misconduct = self._acts(text, [self._misconduct, *self.rules.patterns])
        conduct = self._acts(text, [self._conduct])
        others = [(m.start(), m.end()) for m in self._others.finditer(text)]
        accused_of: dict[_Mention, list[str]] = {}
        for start, end, words in misconduct:
            who = _nearest(text, mentions, others, start, end)
            if who is not None:
                accused_of.setdefault(who, []).append(words)
        reported = self._reported(text, mentions, others)
        behaved: dict[_Mention, list[str]] = {}
        for start, end, words in conduct:
            who = _nearest(text, mentions, others, start, end)
            if who is not None:
                behaved.setdefault(who, []).append(words)
        if accused_of:
            accused = min(accused_of, key=lambda m: m.start)
        elif reported is not None:
            accused = reported
        elif behaved:
            accused = min(behaved, key=lambda m: m.start)
        else:
            return None
        return Accusation(
            department_id=accused.department_id,
            official=accused.official,
            misconduct=tuple(dict.fromkeys(w for words in accused_of.values() for w in words)),
            conduct=tuple(dict.fromkeys(w for words in behaved.values() for w in words)),
            reported=reported is not None,
        )

    def _mentions(self, text: str) -> list[_Mention]:
        bodies = [(m.start(), m.end(), self._names[m.group(0)]) for m in self._bodies.finditer(text)]
        # 「招标采购局」「县法院」: not in the taxonomy, but whoever works there is an official
        unknown = [(m.start(), m.end(), None) for m in self._generic.finditer(text)]

        def body_before(start: int) -> tuple[bool, str | None]:
            near = [b for b in (*bodies, *unknown) if b[0] <= start and start - b[1] <= TITLE_AFTER_BODY]
            near = [b for b in near if not _SENTENCE_END.search(text[b[1] : start])]
            if not near:
                return False, None
            known = [b for b in near if b[2] is not None]
            return True, max(known or near, key=lambda b: b[1])[2]

        found = [_Mention(s, e, d, None) for s, e, d in bodies]
        for m in self._titles.finditer(text):
            found.append(_Mention(m.start(), m.end(), body_before(m.start())[1], m.group(0)))
        for m in self._staff.finditer(text):
            named, department = body_before(m.start())
            if named:  # 「物业的工作人员」 is nobody's official
                found.append(_Mention(m.start(), m.end(), department, m.group(0)))
        for m in self._local.finditer(text):
            found.append(_Mention(m.start(), m.end(), body_before(m.start())[1] or self.rules.local_body, m.group(0)))
        # a title inside a longer one (「村主任」 holds 「主任」) is the longer one
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[_Mention] = []
        for mention in found:
            if any(k.start <= mention.start and mention.end <= k.end and k.official for k in kept):
                continue
            kept.append(mention)
        return kept

    def _acts(self, text: str, patterns: list[re.Pattern[str]]) -> list[tuple[int, int, str]]:
        acts = []
        for pattern in patterns:
            for m in pattern.finditer(text):
                if not negated(text, m.start()):
                    acts.append((m.start(), m.end(), m.group(0)))
        return acts

    def _reported(self, text: str, mentions: list[_Mention], others: list[tuple[int, int]]) -> _Mention | None:
        """The official right after 「举报」 (in the same clause, nobody else between). Reporting a
        department's decision (「举报镇政府拆迁不合理」) is a complaint about it, not a report."""
        for m in self._report.finditer(text):
            after = [
                c
                for c in mentions
                if c.start >= m.end()
                and c.start - m.end() <= REPORTED_GAP
                and not _CLAUSE_END.search(text[m.end() : c.start])
                and not any(m.end() <= o < c.start for o, _ in others)
            ]
            person = [c for c in after if c.official]
            if person:
                return min(person, key=lambda c: c.start)
        return None


def _nearest(
    text: str, mentions: list[_Mention], others: list[tuple[int, int]], start: int, end: int
) -> _Mention | None:
    """The official or department an act at text[start:end] is laid against: whoever is named
    last before it in the sentence — None when that is another party (开发商, 物业, 公司)."""

    def same_sentence(a: int, b: int) -> bool:
        return not _SENTENCE_END.search(text[a:b])

    # 「低保都给了村长的亲戚」「自从我上访，街道就处处刁难我」: who is named inside the act is
    # the one it accuses (an official before a department)
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    if inside:
        return min(inside, key=lambda m: (m.official is None, m.start))

    before = [m for m in mentions if m.end <= start and start - m.end <= ACT_AFTER and same_sentence(m.end, start)]
    # another party just before the act, in the same clause, is who did it (「开发商收了钱」)
    rivals = [
        o for o in others if o[1] <= start and start - o[1] <= ACT_AFTER and not _CLAUSE_END.search(text[o[1] : start])
    ]
    last_rival = max((o[1] for o in rivals), default=-1)
    if before:
        nearest = max(before, key=lambda m: (m.end, m.official is not None))
        return nearest if nearest.end > last_rival else None
    if rivals:
        return None
    after = [m for m in mentions if m.start >= end and m.start - end <= ACT_BEFORE and same_sentence(end, m.start)]
    if after:
        return min(after, key=lambda m: m.start)
    earlier = [m for m in mentions if m.official and m.end <= start and start - m.end <= ACROSS_SENTENCES]
    if not earlier:
        return None
    nearest = max(earlier, key=lambda m: m.end)
    return None if any(nearest.end <= o < start for o, _ in others) else nearest
