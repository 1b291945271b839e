"""Question answering by retrieval: rank FAQ entries and articles of the law for a question.

First the question is made plain (nlp/colloquial.py: dialect, typos, misheard terms). Then BM25
over two views of every document — jieba words and character bigrams — so that a question cut
differently from the FAQ still meets it. The query is widened by the synonym map (colloquial →
statutory: 穿小鞋 → 打击报复), at a lower weight than the citizen's own words. FAQ entries are
indexed by their questions (strongly), topic, answer and the text of the article they rest on
(weakly); every article of the regulation is a document too, so a question the FAQ does not
foresee still finds its article. A need the intent reader recognises (复查, 复核, 不受理, 找领导,
举报保密, 查进度) puts the entry written for it first.

The documents are ranked by that score, then the articles behind the best dozen are ordered by a
small learned model (knowledge/data/qa_model.toml, fitted by `python -m bench.train_qa`): a linear
weighing of what speaks for each article — its best score, how many of its documents rank high,
how well a phrasing matches as a whole, how much of the question it covers, whether a curated
entry or only the law's own paragraph holds it — and what a learned word model says: the
probability of each article from the question's characters and character pairs and triples
(knowledge/data/qa_lexical.toml), fitted on the FAQ, the articles and questions in many writers'
words, and measured on writers it never saw. Its likeliest articles join the candidates when
retrieval did not bring them, so a question worded unlike anything in the FAQ can still reach its
article.

The other shipped laws (劳动争议调解仲裁法, 行政复议法 …) are a second index. Their article
answers only when it covers what the question is about clearly better than anything in the
regulation or the FAQ, or the question names a legal term the regulation never uses
(«劳动仲裁的时效是多长» → 劳动争议调解仲裁法第二十七条); a question in petition words is
always answered from the regulation. A question that asks how long is answered by the paragraph
that states the period of the thing asked about («诉讼时效是几年» → 民法典第一百八十八条).

Confidence is the probability, from a second learned model, that the question is one the
regulation answers: the best article's features plus how much of the question lies in words the
knowledge base never uses (面馆、快递), whether it is in petition words, the margin over the
runner-up, and how much of what it asks beyond naming the domain (信访局, 上访) the answer covers.
Below the threshold the caller says it is not sure rather than guessing: «养老金什么时候发»
matches «什么时候» and nothing else. A question about a word itself (翻译、拼音、繁体), a request to
write or compute something, or a matter merely near the office (its exams, its car park) is never
answered from the regulation.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from knowledge import REGULATION, Article, Citation, FaqEntry, Knowledge, KnowledgeError
from knowledge.qa_model import QA_MODEL_FILE, QaModel

from .colloquial import Homophones, digits
from .intent import IntentGuess, asked_part, plain, read_need, review_stage
from .normalize import normalize
from .segment import Segmenter

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DAYS = re.compile(r"(\d+)个?(?:天|自然日)")  # 「60天」 as the law writes it: 60日
# a question that asks how long, and a text that states a period (after canonical(): 60日, 3年)
_ASKS_PERIOD = re.compile(r"几年|几个?月|几天|几日|多久|多长|多少天|多少日|多少年|时效|期限|时限")
_STATES_PERIOD = re.compile(r"\d+个?(工作日|日|月|年)")
_PERIOD_UNITS = (
    (re.compile(r"几年|多少年"), "年"),
    (re.compile(r"几个?月|多少个?月"), "月"),
    (re.compile(r"几天|几日|多少天|多少日"), "日"),
)
PERIOD_BOOST = 1.3  # a law's paragraph that states a period, for a question that asks one
_DURATION = re.compile(r"[0-9一二三四五六七八九十两几半多]+个?(?:月|天|日|星期|礼拜|周|年)")

K1 = 1.2
B = 0.6
BIGRAM_WEIGHT = 0.35
SYNONYM_WEIGHT = 0.6
SYNONYM_COVERAGE = 0.8  # a word found only through a synonym is a little less sure than the word itself
PARTIAL = 0.5  # credit for an unknown word whose characters the document holds as bigrams
# field weights for FAQ documents: the citizen-worded questions matter most
FIELD_WEIGHTS = {"questions": 1.0, "topic": 1.0, "answer": 0.35, "article": 0.25}
ARTICLE_DOC_WEIGHT = 0.8  # a bare article competes a little below a curated answer
FRAME_WEIGHT = 1.0  # a frame word in the phrasing match, next to a topic word
PHRASING_WEIGHT = 8.0  # in BM25 units: a perfect phrasing match is worth a strong keyword hit
LONG = 50  # characters: a message this long usually tells a story before it asks
STORY_WEIGHT = 0.4  # … and the story counts this much next to the question itself
STAGE_ARTICLES = {"review": 35, "recheck": 36}  # 复查, 复核
OTHER_STAGE_WEIGHT = 0.6  # an answer about the other step of the two
# a question about what follows an act («会被抓吗», «这人怎么处理») is answered by the articles that
# state consequences, not by those that state the rule: the petitioner's (第四十七条, for the rules
# of 第十九、二十、二十六条) or the organs' and officials' (第四十二至四十六条, for the duties of
# 第十八、二十二、二十三、二十八、三十条), by who the consequence falls on
CONSEQUENCE_ARTICLES = {"petitioner": (47,), "staff": (42, 43, 44, 45, 46)}
RULE_ARTICLES = {"petitioner": (19, 20, 26), "staff": (18, 22, 23, 28, 30)}
CONSEQUENCE_BOOST = 1.5  # the rule articles and the other side's consequences get the inverse
STAFF_GAP = 4  # characters between the one it falls on and the consequence («他会不会被处理»)
_OPENING = re.compile(r"(?:要是|如果|假如|万一|那个|这个|我们|我家)?")  # before the subject a question opens with
_ASKER = re.compile(r"我[^们，,。；;？?！!\s]{0,6}$")  # the asker as the subject, shortly before the consequence
_AUXILIARY = re.compile(r"[会要该能也都不被将需得受是否有没可应当还就负担承]*")  # all that may stand between them
SCORE_SPREAD = 2.0
STRENGTH_SHARE = 0.35  # confidence = this share of the squashed score + the rest of the topic coverage
CONFIDENCE_THRESHOLD = (
    0.50  # measured leave-one-writer-out: off-topic questions fall below it, right answers stay above
)
# far below the threshold, and not in petition words, the question is not one the regulation speaks
# to at all (天气、结婚登记): the caller says so and where to ask, not the regulation's nearest topics
OUTSIDE_CONFIDENCE = 0.2
NEED_CONFIDENCE = 0.8
ABOUT_WORDS_CONFIDENCE = 0.1
RANK_DEPTH = 12  # the best documents whose articles the learned ranker orders
RANK_FEATURES = (
    "score",
    "log_score",
    "votes",
    "first",
    "reciprocal_rank",
    "phrasing",
    "coverage",
    "faq",
    "passage",
    "lexical",
    "consequence",
)
CONFIDENCE_FEATURES = (
    *RANK_FEATURES,
    "margin",
    "anchored",
    "foreign",
    "length",
    "uncovered",
    "residual",
)  # a need the intent reader recognised, answered by the entry made for it
# another law answers only when its article covers the question's topic this much, and this much
# better than the best answer from the regulation and the FAQ
LAW_COVERAGE, LAW_MARGIN = 0.75, 0.25
LAW_SCORE_MIDPOINT = 12.0  # the laws are long: a strong match needs a higher raw score
# the learned word model (knowledge/data/qa_lexical.toml): its probability enters as a log, floored;
# its most likely articles join the candidates when retrieval did not bring them
LEXICAL_FLOOR = 1e-4
LEXICAL_CANDIDATES = 2
LEXICAL_CANDIDATE_MIN = 0.05
_LEXICAL_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Answer:
    """One ranked answer: a FAQ entry, or a bare article when no entry fits better."""

    score: float
    citations: tuple[Citation, ...]
    entry: FaqEntry | None = None
    article: Article | None = None
    passage: str | None = None  # for a bare article: the paragraph that matched

    @property
    def key(self) -> str:
        return self.entry.id if self.entry else f"art-{self.citations[0].law}-{self.citations[0].article}"

    @property
    def topic(self) -> str:
        if self.entry:
            return self.entry.topic
        assert self.article is not None
        return self.article.label if self.article.law == REGULATION else self.article.citation


@dataclass(frozen=True, slots=True)
class _Candidate:
    """An article of the regulation that may answer a question: its best document, the learned
    rank and the features it rests on."""

    article: Citation
    doc: int
    rank: float
    features: dict[str, float]


class _Reading(NamedTuple):
    text: str  # the question made plain
    words: list[str]
    query: dict[str, float]
    grams: dict[str, float]
    need: IntentGuess | None
    scores: list[float]  # per document
    ranked: list[_Candidate]  # candidate articles, best first


@dataclass(frozen=True, slots=True)
class Retrieval:
    question: str
    answers: tuple[Answer, ...]
    confidence: float
    words: tuple[str, ...] = field(default=())
    need: IntentGuess | None = None  # the specific need read from the question, if any
    unrelated: bool = False  # far below the threshold and not in petition words (see outside)

    @property
    def best(self) -> Answer | None:
        return self.answers[0] if self.answers else None

    @property
    def confident(self) -> bool:
        return bool(self.answers) and self.confidence >= CONFIDENCE_THRESHOLD

    @property
    def outside(self) -> bool:
        """True when the question lies outside the regulation, not merely where we are unsure."""
        return not self.answers or self.unrelated

    def citations(self, limit: int = 5) -> list[Citation]:
        """Distinct citations, best first: the top answer's, then the runners-up'."""
        seen: list[Citation] = []
        for answer in self.answers:
            for citation in answer.citations:
                if citation not in seen:
                    seen.append(citation)
        return seen[:limit]


def _period_of(text: str, topic: Sequence[str], gap: int = 4) -> bool:
    """True when a topic word stands right before a period the text states («诉讼时效期间为3年»,
    not «诉讼时效期间的最后6个月»: the first is the period of the thing asked about)."""
    for m in _STATES_PERIOD.finditer(text):
        if any(w in text[max(0, m.start() - len(w) - gap) : m.start()] for w in topic):
            return True
    return False


def canonical(text: str) -> str:
    """Normalised, with numbers as the law writes them («六十天» → «60日»): questions and documents alike."""
    return _DAYS.sub(r"\1日", digits(normalize(text)))


def char_bigrams(text: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def _passages(article: Article) -> list[str]:
    """An article cut where a citizen's question would land: each paragraph on its own, each
    numbered item together with the sentence that introduces it (第五条（三） + «应当遵循下列原则»)."""
    passages: list[str] = []
    lead = ""
    for paragraph in article.paragraphs:
        if paragraph.startswith("（") and lead:
            passages.append(f"{lead}{paragraph}")
        else:
            passages.append(paragraph)
            lead = paragraph if paragraph.endswith(("：", ":")) else ""
    return passages if len(passages) > 1 else [article.text]


def lexical_grams(text: str) -> list[str]:
    """The learned word model's features: every character, pair and triple of each run of Chinese
    (or of Latin letters and digits), the run's edges marked by a space (« 信», «访 »)."""
    grams: list[str] = []
    for run in _LEXICAL_RUN.findall(text.lower()):
        padded = f" {run} "
        for size in (1, 2, 3):
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return [g for g in grams if g.strip()]


def _blend(story: dict[str, float], asked: dict[str, float], weight: float) -> dict[str, float]:
    """The whole message at `weight`, plus what it asks at full weight."""
    blended = {t: q * weight for t, q in story.items()}
    for t, q in asked.items():
        blended[t] = blended.get(t, 0.0) + q
    return blended


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of the words, longest first (or nothing, for no words)."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)")


class _Bm25:
    """BM25 with per-(term, doc) contributions precomputed: a query is a few dict look-ups."""

    def __init__(self, docs: Sequence[Counter[str]]) -> None:
        n = len(docs)
        lengths = [sum(d.values()) for d in docs]
        avg = sum(lengths) / max(n, 1) or 1.0
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, d in enumerate(docs):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for t, tf in d.items():
                self.postings[t].append((i, self.idf[t] * tf * (K1 + 1) / (tf + norm)))
        self.vocab = [frozenset(d) for d in docs]

    def score(self, query: dict[str, float], scores: list[float], weight: float = 1.0) -> None:
        for term, qw in query.items():
            for i, contribution in self.postings.get(term, ()):
                scores[i] += weight * qw * contribution


class _Index:
    """Words and bigrams of a set of documents, scored together."""

    def __init__(self, words: Sequence[Counter[str]], grams: Sequence[Counter[str]]) -> None:
        self.words = _Bm25(words)
        self.grams = _Bm25(grams)
        self.size = len(words)

    def scores(self, query: dict[str, float], grams: dict[str, float]) -> list[float]:
        scores = [0.0] * self.size
        self.words.score(query, scores)
        self.grams.score(grams, scores, BIGRAM_WEIGHT)
        return scores


class Retriever:
    """Ranks answers for a question. Build once (it segments the whole FAQ), query many times."""

    def __init__(self, knowledge: Knowledge, segmenter: Segmenter) -> None:
        self._seg = segmenter
        self._synonym_words = {
            k: [w for t in v for w in segmenter.words(t)] for k, v in knowledge.lexicon.synonyms.items()
        }
        slots = knowledge.colloquial.slots
        self._frame = frozenset(slots.get("frame", ()))
        self._domain = _alternation(slots.get("domain", ()))
        self._legal = _alternation(slots.get("legal", ()))
        self._other_decision = _alternation(slots.get("other_decision", ()))
        self._consequence = _alternation(slots.get("consequence", ()) + slots.get("accountability", ()))
        self._accountability = frozenset(slots.get("accountability", ()))
        self._staff = _alternation(slots.get("consequence_staff", ()))
        self._handled = frozenset(slots.get("consequence_handled", ()))
        # documents: FAQ entries first, then every regulation article
        self._docs: list[tuple[FaqEntry | None, Article]] = []
        self._passage: dict[int, str] = {}  # doc → the paragraph of the article it holds
        word_docs: list[Counter[str]] = []
        gram_docs: list[Counter[str]] = []
        for entry in knowledge.faq:
            fields = {
                "questions": " ".join(entry.questions),
                "topic": entry.topic,
                "answer": entry.answer,
                "article": knowledge.article(entry.citations[0]).text,
            }
            words: Counter[str] = Counter()
            grams: Counter[str] = Counter()
            for name, text in fields.items():
                weight = FIELD_WEIGHTS[name]
                norm = canonical(text)
                field_words = self._seg.words(norm, normalised=True)
                for w in field_words:
                    words[w] += weight
                if name in ("questions", "topic"):
                    # citizens' phrasings also stand for their statutory equivalents
                    for w in field_words:
                        for target in self._synonym_words.get(w, ()):
                            words[target] += weight * SYNONYM_WEIGHT
                for g in char_bigrams(norm):
                    grams[g] += weight
            self._docs.append((entry, knowledge.article(entry.citations[0])))
            word_docs.append(words)
            gram_docs.append(grams)
        for article in knowledge.regulation.articles.values():
            for passage in _passages(article):
                self._passage[len(self._docs)] = passage
                self._docs.append((None, article))
                word_docs.append(Counter(self._seg.words(canonical(passage), normalised=True)))
                gram_docs.append(Counter(char_bigrams(canonical(passage))))
        self._main = _Index(word_docs, gram_docs)
        self._n_faq = len(knowledge.faq)
        self._doc_article = [entry.citations[0] if entry else Citation(a.law, a.number) for entry, a in self._docs]
        self._docs_of: dict[Citation, list[int]] = defaultdict(list)
        for i, citation in enumerate(self._doc_article):
            self._docs_of[citation].append(i)
        # every word the knowledge base uses, to tell a question about something else
        self._known = set(self._synonym_words)
        for counter in word_docs:
            self._known.update(counter)
        for name, slot_words in slots.items():
            # not the words that take a question out of scope, nor the other parties' decisions
            # (公司、快递、银行): the intent reader's, not topics the knowledge base answers
            if name not in ("about_words", "elsewhere", "other_decision"):
                self._known.update(slot_words)
        self._known_grams = set()
        for counter in gram_docs:
            self._known_grams.update(counter)
        self._about_words = _alternation(slots.get("about_words", ()) + slots.get("elsewhere", ()))
        self._info_cache: dict[str, float] = {}
        self._doc_periods = {
            i
            for i, (entry, _) in enumerate(self._docs)
            if _STATES_PERIOD.search(canonical(entry.answer) if entry else canonical(self._passage.get(i, "")))
        }
        self._regulation_words = set()
        for counter in word_docs[self._n_faq :]:
            self._regulation_words.update(counter)
        model = knowledge.qa_model
        unknown = (set(model.rank) - set(RANK_FEATURES)) | (set(model.confidence) - {*CONFIDENCE_FEATURES, "bias"})
        if unknown:
            raise KnowledgeError(f"knowledge/data/{QA_MODEL_FILE}", None, f"未知的特征：{'、'.join(sorted(unknown))}")
        self._rank_weights = model.rank
        self._confidence_weights = model.confidence
        self._lexical = model.lexical
        self._need_doc = {entry.need: i for i, entry in enumerate(knowledge.faq) if entry.need}
        # the other laws, in an index of their own: their length must not dilute the regulation's
        self._law_articles: list[Article] = []
        self._law_passages: list[str] = []
        law_words: list[Counter[str]] = []
        law_grams: list[Counter[str]] = []
        for law in knowledge.laws.values():
            if law.name == REGULATION:
                continue
            for article in law.articles.values():
                for passage in _passages(article):
                    self._law_articles.append(article)
                    self._law_passages.append(passage)
                    law_words.append(Counter(self._seg.words(canonical(passage), normalised=True)))
                    law_grams.append(Counter(char_bigrams(canonical(passage))))
        self._laws = _Index(law_words, law_grams)
        self._law_texts = [canonical(p) for p in self._law_passages]
        self._law_periods = {  # passage → the units of the periods it states
            i: {m.group(1) for m in _STATES_PERIOD.finditer(p)}
            for i, p in enumerate(self._law_texts)
            if _STATES_PERIOD.search(p)
        }
        # the words a misheard question may mean: the domain's terms and the citizens' words for
        # its needs — not every word of the FAQ, or 「出了」 becomes 「除了」 and 「着不」 「这部」
        terms = set(knowledge.lexicon.all_words)
        for name, slot_words in slots.items():
            if not name.startswith("consequence") and name not in (
                "frame",
                "about_words",
                "elsewhere",
                "accountability",
            ):
                terms.update(slot_words)
        self._homophones = Homophones(terms, segmenter, knowledge.lexicon.terms)
        # every phrasing on its own, as a unit vector: a question that matches a phrasing as a
        # whole beats one that shares a few words with a longer entry about something else
        self._phrasing_entry: list[int] = []
        self._phrasings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, entry in enumerate(knowledge.faq):
            for question in (*entry.questions, entry.topic):
                vector = self._vector(*self._query(canonical(question))[1:])
                index = len(self._phrasing_entry)
                self._phrasing_entry.append(doc)
                for term, weight in vector.items():
                    self._phrasings[term].append((index, weight))

    def _query(self, text: str) -> tuple[list[str], dict[str, float], dict[str, float]]:
        words = self._seg.words(text, normalised=True)
        query: dict[str, float] = Counter()
        for w in words:
            query[w] += 1.0
        for w in words:
            for target in self._synonym_words.get(w, ()):
                query[target] = max(query.get(target, 0.0), SYNONYM_WEIGHT)
        # a colloquial phrase the segmenter split (e.g. inside a longer word) still counts
        for key, targets in self._synonym_words.items():
            if len(key) > 1 and key not in query and key in text:
                for target in targets:
                    query[target] = max(query.get(target, 0.0), SYNONYM_WEIGHT)
        if _DURATION.search(text):
            # 「三个月了还没结果」 is a question about time limits even without the word 期限
            for target in ("期限", "办结"):
                query[target] = max(query.get(target, 0.0), SYNONYM_WEIGHT)
        content = "".join(w for w in words if _CJK_RUN.fullmatch(w))
        grams: dict[str, float] = Counter(char_bigrams(content))
        return words, query, grams

    def _vector(self, query: dict[str, float], grams: dict[str, float]) -> dict[str, float]:
        """IDF-weighted unit vector over words and (prefixed) bigrams."""
        idf, gram_idf = self._main.words, self._main.grams
        # the frame (多久、从哪天算、怎么办) says how a question asks, its topic what it is about
        vector = {
            w: q * idf.idf.get(w, idf.max_idf) * (FRAME_WEIGHT if w in self._frame else 1.0) for w, q in query.items()
        }
        for g, q in grams.items():
            vector["\0" + g] = BIGRAM_WEIGHT * q * gram_idf.idf.get(g, gram_idf.max_idf)
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _coverage(self, words: Iterable[str], index: _Index, doc: int) -> float:
        """Share of the question's information found in the document, directly or via a synonym.

        Only the words that say what the question is about count; its frame (多久、在哪、找谁、
        多少钱) is left out, unless the question is nothing but a frame."""
        vocab, gram_vocab = index.words.vocab[doc], index.grams.vocab[doc]
        unique = list(dict.fromkeys(words))
        topic = [w for w in unique if w not in self._frame] or unique
        total = covered = 0.0
        for w in topic:
            idf = self._information(w)
            total += idf
            if w in vocab:
                covered += idf
            elif any(t in vocab for t in self._synonym_words.get(w, ())):
                covered += idf * SYNONYM_COVERAGE
            elif len(w) > 1 and _CJK_RUN.fullmatch(w):
                # partial credit: the word's characters appear as bigrams in the document
                grams = char_bigrams(w)
                covered += idf * PARTIAL * sum(1 for g in grams if g in gram_vocab) / len(grams)
        return covered / total if total else 0.0

    def _information(self, word: str) -> float:
        info = self._info_cache.get(word)
        if info is None:
            info = self._info_cache[word] = self._seg.information(word)
            if len(self._info_cache) > 50_000:  # bounded: questions bring new words forever
                self._info_cache.clear()
        return info

    def with_model(self, model: QaModel) -> Retriever:
        """The same indexes under other learned weights (bench.train_qa fits and compares them)."""
        other = copy.copy(self)
        other._rank_weights, other._confidence_weights, other._lexical = model.rank, model.confidence, model.lexical
        return other

    def lexical(self, text: str) -> dict[int, float]:
        """The learned word model's probability of each article of the regulation for a plain
        question ({} without a model, or for a question with no known n-gram)."""
        model = self._lexical
        counts = Counter(g for g in lexical_grams(text) if g in model.idf)
        if not model or not counts:
            return {}
        vector = {g: (1.0 + math.log(tf)) * model.idf[g] for g, tf in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        z = dict(model.bias)
        for gram, value in vector.items():
            for article, weight in model.weights.get(gram, ()):
                z[article] += weight * value / norm
        top = max(z.values())
        exp = {a: math.exp(v - top) for a, v in z.items()}
        total = sum(exp.values())
        return {a: e / total for a, e in exp.items()}

    def plain(self, question: str) -> str:
        """The question in plain words: dialect, known typos and misheard domain terms fixed."""
        return _DAYS.sub(r"\1日", digits(self._homophones.correct(plain(normalize(question)))))

    def read(self, question: str) -> _Reading | None:
        """The question made plain and scored against every document, and the candidate
        articles in the learned order (best first); None for a question with no words."""
        text = self.plain(question)
        words, query, grams = self._query(text)
        if not query:
            return None
        if len(text) > LONG:
            # a long account: what it asks weighs more than the story around it
            asked = asked_part(text)
            if asked != text:
                words, asked_query, asked_grams = self._query(asked)
                query = _blend(query, asked_query, STORY_WEIGHT)
                grams = _blend(grams, asked_grams, STORY_WEIGHT)
        bearer = self.consequence_of(text)
        scores, phrasing = self._scores(text, query, grams, bearer)
        order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
        ranked: list[_Candidate] = []
        if scores[order[0]] > 0:
            lexical = self.lexical(text)
            candidates = self._candidates(words, scores, phrasing, order, lexical, bearer)
            ranked = sorted(candidates, key=lambda c: c.rank, reverse=True)
        return _Reading(text, words, query, grams, read_need(text), scores, ranked)

    def search(self, question: str, limit: int = 5) -> Retrieval:
        reading = self.read(question)
        if reading is None:
            return Retrieval(question, (), 0.0)
        text, words, query, grams, need, scores, ranked = reading
        if not ranked:
            return Retrieval(question, (), 0.0, tuple(words), need)
        need_doc = self._need_doc.get(need.need) if need else None
        # a need the intent reader recognised is answered by the entry written for it
        if need_doc is not None:
            needed = self._doc_article[need_doc]
            ranked.sort(key=lambda c: c.article != needed)
            if ranked[0].article == needed:
                ranked[0] = dataclasses.replace(ranked[0], doc=need_doc)
            else:
                ranked.insert(0, _Candidate(needed, need_doc, 0.0, {}))
        answers = [self._answer(c.doc, scores[c.doc]) for c in ranked[:limit]]
        top = ranked[0]
        confidence = self._calibrated(text, words, top, ranked[1] if len(ranked) > 1 else None)
        coverage = self._coverage(words, self._main, top.doc)
        # a legal term the regulation never uses (时效、试用期、劳动仲裁), or a period the best
        # answer does not state: another law may answer even when a FAQ entry shares the rest of
        # the question's words
        beyond = any(w not in self._regulation_words and self._legal.search(w) for w in words) or (
            bool(_ASKS_PERIOD.search("".join(words))) and top.doc not in self._doc_periods
        )
        if top.doc == need_doc:
            confidence = max(confidence, NEED_CONFIDENCE)
        elif not self._domain.search(text) and (coverage < 1 - LAW_MARGIN or beyond) and self._legal.search(text):
            law = self._best_law(words, query, grams)
            bar = LAW_COVERAGE if beyond else max(LAW_COVERAGE, coverage + LAW_MARGIN)
            if law is not None and law[3] >= bar:
                article, passage, score, law_coverage = law
                answers.insert(0, Answer(score, (Citation(article.law, article.number),), None, article, passage))
                del answers[limit:]
                confidence = self._confidence(score, law_coverage, LAW_SCORE_MIDPOINT)
        elsewhere = bool(self._about_words.search(text))
        if elsewhere:
            # 「信访用英语怎么说」: a question about the word, not about petitions; 「帮我写一首诗」,
            # 「考信访局的公务员难不难」: something near petitions, not about them
            confidence = min(confidence, ABOUT_WORDS_CONFIDENCE)
        # a question in petition words («信访局周末上班吗») is ours even when no article fits it
        unrelated = confidence < OUTSIDE_CONFIDENCE and (elsewhere or not self._domain.search(text))
        confidence = round(min(1.0, confidence), 3)
        return Retrieval(question, tuple(answers), confidence, tuple(words), need, unrelated)

    def _scores(
        self, text: str, query: dict[str, float], grams: dict[str, float], bearer: str | None = None
    ) -> tuple[list[float], list[float]]:
        """Every document's score (BM25 over words and bigrams, plus how well a FAQ phrasing
        matches as a whole), and that phrasing similarity on its own (0 for bare articles)."""
        scores = self._main.scores(query, grams)
        for i in range(self._n_faq, len(scores)):
            scores[i] *= ARTICLE_DOC_WEIGHT
        similarity: dict[int, float] = defaultdict(float)
        for term, qw in self._vector(query, grams).items():
            for index, pw in self._phrasings.get(term, ()):
                similarity[index] += qw * pw
        phrasing = [0.0] * len(scores)
        for index, sim in similarity.items():
            doc = self._phrasing_entry[index]
            if sim > phrasing[doc]:
                phrasing[doc] = sim
        for doc in range(self._n_faq):
            if scores[doc] > 0:
                scores[doc] += PHRASING_WEIGHT * phrasing[doc]
        # 复查 and 复核 are two steps with two articles: a question about one is not about the other
        stage = review_stage(text)
        if stage is not None:
            other = STAGE_ARTICLES["recheck" if stage == "review" else "review"]
            for i in self._docs_of.get(Citation(REGULATION, other), ()):
                scores[i] *= OTHER_STAGE_WEIGHT
        elif self._other_decision.search(text):
            # 复查 and 复核 are for a petition's outcome, not for a judgment, an award or a penalty
            for number in STAGE_ARTICLES.values():
                for i in self._docs_of.get(Citation(REGULATION, number), ()):
                    scores[i] *= OTHER_STAGE_WEIGHT
        if bearer is not None:
            other = "staff" if bearer == "petitioner" else "petitioner"
            for numbers, weight in (
                (CONSEQUENCE_ARTICLES[bearer], CONSEQUENCE_BOOST),
                (CONSEQUENCE_ARTICLES[other] + RULE_ARTICLES[bearer], 1 / CONSEQUENCE_BOOST),
            ):
                for number in numbers:
                    for i in self._docs_of.get(Citation(REGULATION, number), ()):
                        scores[i] *= weight
        return scores, phrasing

    @staticmethod
    def _consequence_side(article: Citation, bearer: str | None) -> float:
        """For a question about consequences: 1 for an article stating the consequences it asks
        about, -1 for the rule behind them or the other side's consequences, else 0."""
        if bearer is None or article.law != REGULATION:
            return 0.0
        if article.article in CONSEQUENCE_ARTICLES[bearer]:
            return 1.0
        other = "staff" if bearer == "petitioner" else "petitioner"
        return -1.0 if article.article in CONSEQUENCE_ARTICLES[other] + RULE_ARTICLES[bearer] else 0.0

    def consequence_of(self, text: str) -> str | None:
        """Who a question about consequences asks about: "staff" when an official, an organ or a
        third person is its subject — right before it («工作人员会被处分吗», «这人怎么处理»; not
        «拦领导的车会怎么样») or opening the question («单位不按时告知，要负责任吗») — or when it
        asks for accountability («能追究吗») and not about the asker; else "petitioner"
        («骂了接待员几句会有啥后果»); None when it asks no consequence."""
        opening = _OPENING.match(text)
        for found in self._consequence.finditer(text):
            cue = found.group(0)
            before = text[max(0, found.start() - STAFF_GAP - 5) : found.start()]
            after = text[found.end() : found.end() + 1]  # 「会怎么处理我」「处理他」
            staff = [m for m in self._staff.finditer(before) if _AUXILIARY.fullmatch(before[m.end() :])]
            if cue in self._handled and not (staff or after in ("我", "他", "她") or "我" in before[-STAFF_GAP:]):
                continue  # 「这事怎么处理」: how a matter is handled, not what follows an act
            if after == "我" or cue.endswith("我"):
                return "petitioner"
            if staff:
                return "staff"
            if _ASKER.search(before):  # 「我说了假话要负责任吗」
                return "petitioner"
            opens = opening is not None and self._staff.match(text, opening.end()) is not None
            return "staff" if opens or cue in self._accountability else "petitioner"
        return None

    def _candidates(
        self,
        words: list[str],
        scores: list[float],
        phrasing: list[float],
        order: list[int],
        lexical: dict[int, float],
        bearer: str | None = None,
    ) -> list[_Candidate]:
        """The articles behind the best documents, and the learned word model's likeliest articles,
        each with what speaks for it (RANK_FEATURES) and its rank under the learned weights."""
        best = scores[order[0]]
        groups: dict[Citation, list[int]] = {}
        for position, doc in enumerate(order[:RANK_DEPTH]):
            if scores[doc] <= 0:
                break
            groups.setdefault(self._doc_article[doc], []).append(position)
        docs_of = {article: [order[p] for p in positions] for article, positions in groups.items()}
        first = {article: positions[0] for article, positions in groups.items()}
        likely = sorted(lexical, key=lexical.__getitem__, reverse=True)[:LEXICAL_CANDIDATES]
        for number in likely:
            article = Citation(REGULATION, number)
            if article in groups or lexical[number] < LEXICAL_CANDIDATE_MIN or article not in self._docs_of:
                continue
            # beyond the best documents: its own best document stands for it, with no votes
            lead = max(self._docs_of[article], key=scores.__getitem__)
            docs_of[article] = [lead]
            first[article] = sum(1 for s in scores if s > scores[lead])
        candidates = []
        for article, docs in docs_of.items():
            lead = docs[0]
            total = sum(scores[d] for d in docs)
            passages = [scores[d] for d in docs if d >= self._n_faq]
            features = {
                "score": scores[lead] / best,
                "log_score": math.log1p(max(scores[lead], 0.0)),
                "votes": (total - scores[lead]) / best,
                "first": 1.0 if first[article] == 0 else 0.0,
                "reciprocal_rank": 1.0 / (1 + first[article]),
                "phrasing": max(phrasing[d] for d in docs),
                "coverage": self._coverage(words, self._main, lead),
                "faq": 1.0 if lead < self._n_faq else 0.0,
                "passage": max(passages, default=0.0) / best,
                "lexical": math.log(max(lexical.get(article.article, 0.0), LEXICAL_FLOOR)) if lexical else 0.0,
                "consequence": self._consequence_side(article, bearer),
            }
            rank = sum(self._rank_weights.get(name, 0.0) * value for name, value in features.items())
            candidates.append(_Candidate(article, lead, rank, features))
        return candidates

    def _calibrated(self, text: str, words: list[str], top: _Candidate, runner_up: _Candidate | None) -> float:
        """The probability that the best candidate answers the question, from the learned weights."""
        features = self.confidence_features(text, words, top, runner_up)
        weights = self._confidence_weights
        z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence_features(
        self, text: str, words: list[str], top: _Candidate, runner_up: _Candidate | None
    ) -> dict[str, float]:
        features = dict(top.features)
        features["margin"] = top.rank - runner_up.rank if runner_up is not None else 1.0
        features["anchored"] = 1.0 if self._domain.search(text) else 0.0
        features["foreign"] = self._foreign(words)
        features["length"] = math.log1p(len(words))
        features["uncovered"] = self._uncovered(words, top.doc)
        # what the question asks beyond naming the domain (「信访局」「上访」): 「考信访局的公务员」
        # is about an exam, and an answer must speak to that, not to the office
        residual = [w for w in words if not self._domain.fullmatch(w)]
        features["residual"] = self._coverage(residual, self._main, top.doc) if residual else 1.0
        return features

    def _uncovered(self, words: Iterable[str], doc: int) -> float:
        """How much the most telling topic word the answer does not hold says (0–1): 「停车场」 in
        「信访局门口的停车场怎么收费」, which an answer about 信访局 does not speak to."""
        vocab = self._main.words.vocab[doc]
        missing = [
            self._information(w)
            for w in dict.fromkeys(words)
            if w not in self._frame
            and w not in vocab
            and not any(t in vocab for t in self._synonym_words.get(w, ()))
            and _CJK_RUN.fullmatch(w)
        ]
        return max(missing, default=0.0) / 6.0

    def _foreign(self, words: Iterable[str]) -> float:
        """Share of the question's information in words the knowledge base never uses (面馆、
        停车场、试用期): a question mostly about such things is not about petitions."""
        topic = [w for w in dict.fromkeys(words) if w not in self._frame]
        total = foreign = 0.0
        for w in topic:
            info = self._information(w)
            total += info
            if w not in self._known and not (len(w) > 1 and all(g in self._known_grams for g in char_bigrams(w))):
                foreign += info
        return foreign / total if total else 0.0

    def _answer(self, doc: int, score: float) -> Answer:
        entry, article = self._docs[doc]
        if entry is None:
            return Answer(score, (Citation(article.law, article.number),), None, article, self._passage.get(doc))
        return Answer(score, entry.citations, entry, article)

    def _best_law(
        self, words: list[str], query: dict[str, float], grams: dict[str, float]
    ) -> tuple[Article, str, float, float] | None:
        """The article of another law that best covers the question: (article, passage, score, coverage)."""
        scores = self._laws.scores(query, grams)
        asked = "".join(words)
        if _ASKS_PERIOD.search(asked):
            # 「诉讼时效是几年」 is answered by the paragraph that says 3年 (第一百八十八条), not by
            # its neighbours that only name 诉讼时效 or state a period in months
            unit = next((u for pattern, u in _PERIOD_UNITS if pattern.search(asked)), None)
            topic = [w for w in words if len(w) > 1 and w not in self._frame]
            for i, units in self._law_periods.items():
                boost = PERIOD_BOOST * (PERIOD_BOOST if unit in units else 1.0)
                if _period_of(self._law_texts[i], topic):
                    boost *= PERIOD_BOOST  # 「诉讼时效期间为3年」: the period is the asked thing's own
                scores[i] *= boost
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is None or scores[best] <= 0:
            return None
        article, passage = self._law_articles[best], self._law_passages[best]
        return article, passage, scores[best], self._coverage(words, self._laws, best)

    @staticmethod
    def _strength(score: float, midpoint: float) -> float:
        return 1.0 / (1.0 + math.exp(-(score - midpoint) / SCORE_SPREAD))

    def _confidence(self, score: float, coverage: float, midpoint: float) -> float:
        # the score alone grows with question length and with a matching frame («什么时候…»),
        # coverage alone misses colloquial filler; together they separate on-topic from
        # off-topic questions (see tests/nlp/data)
        return STRENGTH_SHARE * self._strength(score, midpoint) + (1 - STRENGTH_SHARE) * coverage
