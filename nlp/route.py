"""Routing: which category and department a letter belongs to, and the words that say why.

Two readable tables decide. The category comes from a linear model learned from labelled letters
(routing_keywords.toml: for every word, and every one or two adjacent characters, an IDF and one
weight per category — `xinfang routing learn` writes it); the department within the category
from the words petition staff curate in departments.toml. The reason shown to citizen and staff
is the handful of real words that pushed the winning category most — never a number: phone, ID,
card and house numbers (and a self-introduced name) are stripped before anything is read, so they
can neither decide nor explain. When the model is unsure, or no recognisable word speaks for the
winner, the letter waits in 待分办 for a person instead of going to a guessed department.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from knowledge.departments import Department, RoutingModel, Taxonomy

from .normalize import normalize
from .segment import Segmenter

# the topic of a letter is in its title and opening; past this, more text costs time, not accuracy
MAX_BODY_CHARS = 600
EXPLANATION_WORDS = 5
# a word is shown as a reason only when it carries a fair share of the strongest word's push
EXPLANATION_SHARE = 0.15
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# a feature word is Chinese characters only, or a Latin word (ETC, KTV, EMS): no digits, no codes
_FEATURE_WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z]{2,}")
_CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
# a quantity written in characters (「一个多月」「两年」「三百块」) is a number too: never a reason
_QUANTITY = re.compile(
    r"[〇零一二三四五六七八九十百千万亿两几半]+[个多余来]*"
    r"(?:月|年|天|日|次|号|岁|元|块|毛|分|小时|周|星期|个|人|户|家|层|栋|楼|米|公里|亩|斤|吨)?"
)
# numbers (phone, ID, bank card, house and room numbers with their unit) and a self-introduced
# name: 「我叫王小明」, not 「我是农民工」, which says what the letter is about
_NUMBERS = re.compile(r"[0-9]+(?:[-\s]*[0-9]+)*[Xx]?(?:\s*(?:号|弄|栋|幢|单元|室|楼|层))?")
_SELF_NAMED = re.compile(
    r"(我叫|名叫|我的名字是|我的名字叫|姓名[:：]?)\s*[\u4e00-\u9fa5·]{2,4}(?=[，,。.\s、;；]|$|电话|手机|家住|住在|联系)"
)


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    category: str | None
    department: Department | None
    confidence: float
    keywords: tuple[str, ...]  # what decided it, strongest first: real words, never numbers
    needs_triage: bool
    scores: dict[str, float]

    @property
    def department_id(self) -> str | None:
        return self.department.id if self.department else None


def strip_pii(text: str) -> str:
    """The (normalised) text with no number and no self-introduced name left to read."""
    return _NUMBERS.sub(" ", _SELF_NAMED.sub(r"\1 ", text))


def split_title(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n")
    return title, body


def pieces(text: str) -> list[str]:
    """Every single character and every pair of adjacent characters of each run of Chinese text."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True, slots=True)
class LetterFeatures:
    blocks: dict[str, Counter[str]]  # block name → feature → count
    words: Counter[str]  # the letter's words, title words counted title_repeat times
    # everyday words the citizen wrote → the letters' words read for them (not written, never shown)
    everyday: dict[str, tuple[str, ...]] = field(default_factory=dict)
    added: Counter[str] = field(default_factory=Counter)  # how often each word is only read, not written

    def wrote(self, word: str) -> bool:
        return self.words[word] > self.added[word]


def letter_features(
    segmenter: Segmenter,
    title: str,
    body: str,
    title_repeat: int,
    everyday: Mapping[str, Sequence[str]] | None = None,
) -> LetterFeatures:
    """What the model reads: words, characters and character pairs, and the title's own; an
    everyday word also counts as the words letters use for the same matter (「太吵」: 「噪音」)."""
    title = strip_pii(normalize(title))
    body = strip_pii(normalize(body[: MAX_BODY_CHARS * 2]))[:MAX_BODY_CHARS]
    title_words = [w for w in segmenter.words(title, normalised=True) if _FEATURE_WORD.fullmatch(w)]
    body_words = [w for w in segmenter.words(body, normalised=True) if _FEATURE_WORD.fullmatch(w)]
    found: dict[str, tuple[str, ...]] = {}
    added: Counter[str] = Counter()
    if everyday:
        for text, words, repeat in ((title, title_words, title_repeat), (body, body_words, 1)):
            for said, read in said_as(text, everyday):
                found[said] = tuple(read)
                words.extend(read)
                added.update({w: repeat for w in read})
    title_pieces, body_pieces = pieces(title), pieces(body)
    words: Counter[str] = Counter(body_words)
    all_pieces: Counter[str] = Counter(body_pieces)
    for _ in range(title_repeat):
        words.update(title_words)
        all_pieces.update(title_pieces)
    blocks = {"words": words, "pieces": all_pieces, "title": Counter(title_words + title_pieces)}
    return LetterFeatures(blocks, words, found, added)


def said_as(text: str, everyday: Mapping[str, Sequence[str]]) -> list[tuple[str, Sequence[str]]]:
    """Each everyday word in the text (once per occurrence) with the letters' words for it."""
    return [(said, words) for said, words in everyday.items() for _ in range(text.count(said))]


_SUBLINEAR = (0.0, *(1.0 + math.log(c) for c in range(1, 256)))


def weighted(counts: Mapping[str, int], rows: Mapping[str, Sequence], block_weight: float) -> dict[str, float]:
    """(1 + ln count) × IDF for the features the table knows (IDF first in each row), scaled to
    length `block_weight`: a long letter does not outvote a short one by length alone."""
    values = {
        f: (_SUBLINEAR[c] if c < 256 else 1.0 + math.log(c)) * row[0]
        for f, c in counts.items()
        if (row := rows.get(f)) is not None
    }
    norm = math.sqrt(sum(v * v for v in values.values()))
    if not norm:
        return {}
    scale = block_weight / norm
    return {f: v * scale for f, v in values.items()}


class KeywordRouter:
    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter) -> None:
        self.taxonomy = taxonomy
        self.model: RoutingModel = taxonomy.model
        self._seg = segmenter
        segmenter.add_words(taxonomy.words)
        self._blocks = [b for b in self.model.blocks if self.model.blocks[b]]
        self._not_reasons = taxonomy.not_reasons
        routable = [c.name for c in taxonomy.categories if c.routable]
        # nothing learned (an empty table): every letter waits for a person; the first routable
        # category stands as a mere placeholder
        self._fallback = self.model.categories[0] if self.model.categories else routable[0]

    def features(self, text: str, title: str | None = None) -> LetterFeatures:
        if title is None:
            title, body = split_title(text)
        else:
            body = text
        return letter_features(self._seg, title, body, self.model.title_repeat, self.taxonomy.everyday)

    def route(self, text: str, title: str | None = None) -> RoutingDecision:
        model = self.model
        letter = self.features(text, title)
        vectors = {
            b: weighted(letter.blocks[b], model.blocks[b], model.block_weights.get(b, 0.0)) for b in self._blocks
        }
        values: list[float] = []
        weights: list[tuple[float, ...]] = []
        for block, vector in vectors.items():
            rows = model.blocks[block]
            values.extend(vector.values())
            weights.extend(rows[f][1] for f in vector)
        # per category: bias + Σ value × weight (columns of the weight rows, summed in C)
        columns = zip(*weights, strict=True) if weights else ((),) * len(model.bias)
        scores = [b + sum(map(operator.mul, values, column)) for b, column in zip(model.bias, columns, strict=True)]
        named = {c: round(s, 3) for c, s in zip(model.categories, scores, strict=True)}
        if not any(vectors.values()):
            department, _ = self._department(self._fallback, letter.words)
            return RoutingDecision(self._fallback, department, 0.0, (), True, named)
        best = max(range(len(scores)), key=scores.__getitem__)
        category = model.categories[best]
        exps = [math.exp((s - scores[best]) / model.temperature) for s in scores]
        confidence = 1.0 / sum(exps)
        evidence = self._evidence(letter, vectors, best)
        department, department_words = self._department(category, letter.words)
        keywords = evidence + [w for w in department_words if w not in evidence and letter.wrote(w)]
        if not evidence:
            confidence = 0.0  # nothing a citizen would recognise speaks for it: a person decides
        return RoutingDecision(
            category=category,
            department=department,
            confidence=round(confidence, 3),
            keywords=tuple(keywords[: EXPLANATION_WORDS + 1]),
            needs_triage=confidence < model.triage_below or not evidence,
            scores=named,
        )

    def _evidence(self, letter: LetterFeatures, vectors: dict[str, dict[str, float]], k: int) -> list[str]:
        """The letter's real words that pushed category k most: each word with its own weight and
        that of the characters and character pairs inside it."""
        push: dict[str, dict[str, float]] = {}
        for block, vector in vectors.items():
            rows = self.model.blocks[block]
            push[block] = {f: v * rows[f][1][k] for f, v in vector.items()}
        words, parts, title = push.get("words", {}), push.get("pieces", {}), push.get("title", {})
        ranked: dict[str, float] = {}
        for word in letter.words:
            if (
                not letter.wrote(word)  # read for an everyday word: that word is the reason
                or not _CHINESE_WORD.fullmatch(word)
                or _QUANTITY.fullmatch(word)
                or word in self._not_reasons
                or not self._seg.frequency(word)
            ):
                continue
            score = words.get(word, 0.0) + title.get(word, 0.0)
            score += sum(parts.get(p, 0.0) + (title.get(p, 0.0) if p != word else 0.0) for p in set(pieces(word)))
            ranked[word] = score
        for said, read in letter.everyday.items():
            # 「太吵」 speaks with the push of 「噪音」 read for it, and of its own characters
            push = sum(words.get(w, 0.0) + title.get(w, 0.0) for w in read)
            if said not in ranked:
                push += sum(parts.get(p, 0.0) + title.get(p, 0.0) for p in set(pieces(said)))
            ranked[said] = ranked.get(said, 0.0) + push
        best = sorted(((s, w) for w, s in ranked.items() if s > 0), reverse=True)
        if not best:
            return []
        floor = best[0][0] * EXPLANATION_SHARE
        return [w for s, w in best[:EXPLANATION_WORDS] if s >= floor]

    def _department(self, category_name: str, words: Mapping[str, float]) -> tuple[Department, list[str]]:
        category = self.taxonomy.category(category_name)
        best: tuple[float, Department, list[str]] | None = None
        for department in category.departments:
            # a department's own short name (「交警」「城管」) always points at it
            weights = {department.short: 3.0, **department.keywords}
            matched = [(weights[w] * c, w) for w, c in words.items() if w in weights]
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
