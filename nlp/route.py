"""Keyword routing: which category and department a message belongs to, and why.

The score of a category is the sum of the weights of its keywords found in the message (a
word in the title — the first line — counts `title_weight` times). Weights come from two
readable tables: keywords learned from labelled messages (routing_keywords.toml) and those
petition staff curate per category and department (departments.toml). The matched keywords
are the explanation shown to citizen and staff. When the winner is not clear, the case goes to
the 待分办 queue for a person to route instead of to a guess.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from knowledge.departments import Department, Taxonomy

from .normalize import normalize
from .segment import Segmenter

CURATED_DEPARTMENT_FACTOR = 1.0  # department keywords vote for their category too
TEMPERATURE = 4.0  # scores → probabilities; fitted on 5-fold predictions (min. log-loss)
TRIAGE_THRESHOLD = 0.5  # below: 待分办 (about 9 % of letters; 93 % of the rest routed right)
# the topic of a letter is in its title and opening; reading further costs time, not accuracy
MAX_BODY_CHARS = 600


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    category: str | None
    department: Department | None
    confidence: float
    keywords: tuple[str, ...]  # what decided it, strongest first
    needs_triage: bool
    scores: dict[str, float]

    @property
    def department_id(self) -> str | None:
        return self.department.id if self.department else None


def message_features(segmenter: Segmenter, title: str, body: str, title_weight: float) -> dict[str, float]:
    """Words (two characters or more) present in title and body; title words count more."""
    features: dict[str, float] = defaultdict(float)
    for word in set(segmenter.words(title)):
        if len(word) >= 2:
            features[word] += title_weight
    for word in set(segmenter.words(body)):
        if len(word) >= 2:
            features[word] += 1.0
    return dict(features)


def split_title(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n")
    return title, body


class KeywordRouter:
    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter) -> None:
        self.taxonomy = taxonomy
        self._seg = segmenter
        segmenter.add_words(taxonomy.words)
        # one table: keyword → [(category, weight)], learned and curated together
        table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for category, weights in taxonomy.learned.items():
            if not taxonomy.category(category).routable:
                continue
            for word, weight in weights.items():
                table[word][category] += weight
        routable = [c for c in taxonomy.categories if c.routable]
        for category in routable:
            for word, weight in category.keywords.items():
                table[word][category.name] += weight
            for department in category.departments:
                for word, weight in department.keywords.items():
                    table[word][category.name] += weight * CURATED_DEPARTMENT_FACTOR
        self._table = {w: dict(c) for w, c in table.items()}
        self._categories = [c.name for c in routable]

    def features(self, text: str, title: str | None = None) -> dict[str, float]:
        if title is None:
            title, body = split_title(text)
        else:
            body = text
        body = body[:MAX_BODY_CHARS]
        return message_features(self._seg, normalize(title), normalize(body), self.taxonomy.title_weight)

    def route(self, text: str, title: str | None = None) -> RoutingDecision:
        features = self.features(text, title)
        scores = dict.fromkeys(self._categories, 0.0)
        contributions: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for word, count in features.items():
            for category, weight in self._table.get(word, {}).items():
                scores[category] += weight * count
                contributions[category].append((weight * count, word))
        if not any(contributions.values()):
            # nothing to go on: a person routes it; the first category stands as a mere placeholder
            fallback = self._categories[0]
            return RoutingDecision(fallback, self._department(fallback, {})[0], 0.0, (), True, scores)
        best = max(scores, key=scores.__getitem__)
        top = max(scores.values())
        exps = {c: math.exp((s - top) / TEMPERATURE) for c, s in scores.items()}
        confidence = exps[best] / sum(exps.values())
        department, department_words = self._department(best, features)
        keywords = [w for _, w in sorted(contributions[best], reverse=True) if _ > 0][:5]
        for word in department_words:
            if word not in keywords:
                keywords.append(word)
        return RoutingDecision(
            category=best,
            department=department,
            confidence=round(confidence, 3),
            keywords=tuple(keywords[:6]),
            needs_triage=confidence < TRIAGE_THRESHOLD,
            scores={c: round(s, 3) for c, s in scores.items()},
        )

    def _department(self, category_name: str, features: dict[str, float]) -> tuple[Department, list[str]]:
        category = self.taxonomy.category(category_name)
        best: tuple[float, Department, list[str]] | None = None
        for department in category.departments:
            # a department's own short name (「交警」「城管」) always points at it
            weights = {department.short: 3.0, **department.keywords}
            matched = [(weights[w] * c, w) for w, c in features.items() if w in weights]
            score = sum(s for s, _ in matched)
            if score > 0 and (best is None or score > best[0]):
                best = (score, department, [w for _, w in sorted(matched, reverse=True)])
        if best is None:
            default = next(d for d in category.departments if d.id == category.default)
            return default, []
        return best[1], best[2][:2]


_STAFF_OR_MISCONDUCT = re.compile(
    r"工作人员|干部|执法人员|队员|协管|局长|科长|所长|主任|书记|人员|民警|警察|领导|"
    r"打人|索要|索贿|刁难|受贿|吃拿卡要|态度恶劣|不作为|乱罚款|乱收费|威胁|报复|贪污|推诿|辱骂|骂人"
)
_LOCAL_OFFICIALS = re.compile(
    r"村干部|村支书|村书记|村主任|村长|村委|村会计|居委会|社区书记|社区主任|镇长|乡长|镇政府|乡政府|街道办"
)
_ACCUSATION_WINDOW = 14


def accused_department(taxonomy: Taxonomy, text: str) -> str | None:
    """The department whose own staff the text accuses (条例第三十条 protects the complainant
    from them), or None. 「城管队员打人」→ 城管局; 「村支书贪污」→ the 街道/镇."""
    text = normalize(text)
    for department in taxonomy.departments.values():
        names = {department.name, department.short, department.short.rstrip("局委")}
        for name in (n for n in names if len(n) >= 2):
            for m in re.finditer(re.escape(name), text):
                around = text[max(0, m.start() - _ACCUSATION_WINDOW) : m.end() + _ACCUSATION_WINDOW]
                if _STAFF_OR_MISCONDUCT.search(around):
                    return department.id
    if _LOCAL_OFFICIALS.search(text) and "jiedao" in taxonomy.departments:
        return "jiedao"
    return None
