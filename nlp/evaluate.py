"""Accuracy reports over labelled files (formats in DESIGN.md), shared by `xinfang eval` and tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import REGULATION, Citation

from .retrieve import Retriever


class LabelledFileError(ValueError):
    pass


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelledFileError(f"{path}:{number}: 不是合法的 JSON：{exc.msg}") from None
        missing = [k for k in required if k not in row]
        if missing:
            raise LabelledFileError(f"{path}:{number}: 缺少字段 {', '.join(missing)}")
        rows.append(row)
    return rows


@dataclass
class QaReport:
    total: int = 0  # in-scope questions (with articles)
    top1: int = 0
    top3: int = 0
    unsure: int = 0  # in-scope questions below the confidence threshold: no citation, a miss
    out_of_scope: int = 0  # questions labelled with no article
    false_answers: int = 0  # … that were answered confidently, with a citation
    other_law_answers: int = 0  # … of which from another shipped law (劳动合同法…), as /api/v1/ask may
    misses: list[tuple[str, list[int], list[str]]] = field(default_factory=list)  # (q, expected, got)
    false_answered: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_accuracy(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def render(self) -> str:
        lines = [
            f"问题数 {self.total}（另有范围外问题 {self.out_of_scope} 个）",
            f"top-1 准确率 {self.top1_accuracy:.1%}（{self.top1}/{self.total}）",
            f"top-3 准确率 {self.top3_accuracy:.1%}（{self.top3}/{self.total}）",
            f"低于置信阈值、答「不确定」的 {self.unsure} 个（计为未命中）",
            f"范围外问题被有把握地作答 {self.false_answers}/{self.out_of_scope}"
            f"（其中引用其他法律的 {self.other_law_answers} 个）",
        ]
        if self.misses:
            lines.append("未命中（top-1）：")
            lines += [f"  ✗ {q}  应为 {exp}  答为 {got[:3]}" for q, exp, got in self.misses]
        if self.false_answered:
            lines.append("范围外却作答的：")
            lines += [f"  ✗ {q}  答为 {got[:3]}" for q, got in self.false_answered]
        return "\n".join(lines)


def _label(citation: Citation) -> str:
    return str(citation.article) if citation.law == REGULATION else f"{citation.law}{citation.article}"


def evaluate_qa(retriever: Retriever, rows: Iterable[dict]) -> QaReport:
    """A hit at k when one of the first k distinct citations is an expected article of the regulation.

    The citations are exactly those `/api/v1/ask` returns, best first — none when the answer is
    below the confidence threshold, which therefore counts as a miss; a citation of another law
    never matches (the labels are articles of the regulation). A row with no articles is out of
    scope: answering it confidently is a false answer.
    """
    report = QaReport()
    for row in rows:
        expected = [int(a) for a in row["articles"]]
        result = retriever.search(row["q"])
        cited = result.citations() if result.confident else []
        got = [_label(c) for c in cited]
        if not expected:
            report.out_of_scope += 1
            if cited:
                report.false_answers += 1
                report.other_law_answers += cited[0].law != REGULATION
                report.false_answered.append((row["q"], got))
            continue
        hits = [c.law == REGULATION and c.article in expected for c in cited]
        report.unsure += not result.confident
        report.total += 1
        report.top1 += bool(hits) and hits[0]
        report.top3 += any(hits[:3])
        if not (hits and hits[0]):
            report.misses.append((row["q"], expected, got))
    return report


def read_labelled_csv(path: Path) -> list[dict]:
    """CSV with columns text,label (others ignored)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise LabelledFileError(f"{path}: 需要 text,label 两列（实际为 {reader.fieldnames}）")
        return [row for row in reader if row.get("text") and row.get("label")]


@dataclass
class ClassificationReport:
    """Accuracy, per-class precision/recall/F1 and macro-F1 over the gold labels."""

    gold: list[str] = field(default_factory=list)
    predicted: list[str | None] = field(default_factory=list)

    def add(self, gold: str, predicted: str | None) -> None:
        self.gold.append(gold)
        self.predicted.append(predicted)

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.gold))

    @property
    def accuracy(self) -> float:
        return (
            sum(g == p for g, p in zip(self.gold, self.predicted, strict=True)) / len(self.gold) if self.gold else 0.0
        )

    def per_class(self) -> dict[str, tuple[float, float, float, int]]:
        """label → (precision, recall, F1, support)."""
        result = {}
        for label in self.labels:
            tp = sum(g == label and p == label for g, p in zip(self.gold, self.predicted, strict=True))
            fp = sum(g != label and p == label for g, p in zip(self.gold, self.predicted, strict=True))
            support = self.gold.count(label)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            result[label] = (precision, recall, f1, support)
        return result

    @property
    def macro_f1(self) -> float:
        scores = self.per_class()
        return sum(f for _, _, f, _ in scores.values()) / len(scores) if scores else 0.0

    def confusion(self) -> str:
        """Rows: the true label; columns: what the router said (abbreviated to 4 characters)."""
        labels = self.labels
        columns = labels + sorted({p or "（无）" for p in self.predicted} - set(labels))
        pairs = list(zip(self.gold, self.predicted, strict=True))
        lines = [_pad("实际＼判为", 16) + "".join(_pad(c[:4], 9, right=True) for c in columns)]
        for gold in labels:
            counts = [sum(g == gold and (p or "（无）") == c for g, p in pairs) for c in columns]
            lines.append(_pad(gold, 16) + "".join(_pad(str(n), 9, right=True) for n in counts))
        return "\n".join(lines)


def _pad(text: str, columns: int, *, right: bool = False) -> str:
    """Pad to a display width, counting CJK characters as two columns."""
    import unicodedata

    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    space = " " * max(0, columns - width)
    return space + text if right else text + space


TRIAGE = "待分办"


@dataclass
class RoutingReport:
    """Counted two ways. `classes`: a letter sent to 待分办 counts as not routed right — the
    category the router would have guessed is not acted on, so a judge of routing sees a miss
    (the strict figure, the one we compare). `guesses`: the category it would have guessed."""

    classes: ClassificationReport
    guesses: ClassificationReport
    triaged: int  # sent to 待分办 (low confidence)
    worst: list[tuple[str, str, int]]  # (keyword, wrong category it pulled to, times)

    @property
    def triage_share(self) -> float:
        return self.triaged / len(self.classes.gold) if self.classes.gold else 0.0

    def render(self) -> str:
        c, g = self.classes, self.guesses
        lines = [
            f"来信数 {len(c.gold)}",
            f"准确率 {c.accuracy:.1%}    macro-F1 {c.macro_f1:.4f}    进入待分办 {self.triaged}（{self.triage_share:.1%}，计为分错）",
            f"不设待分办、全按模型首选时：准确率 {g.accuracy:.1%}    macro-F1 {g.macro_f1:.4f}",
            "",
            _pad("分类", 16) + "  精确率   召回率      F1   条数",
        ]
        for label, (p, r, f, n) in c.per_class().items():
            lines.append(f"{_pad(label, 16)}  {p:6.1%}   {r:6.1%}  {f:6.3f}  {n:5d}")
        lines += ["", "混淆矩阵：", c.confusion(), "", "最常把来信带错的关键词（词 → 带去的分类，次数）："]
        lines += [f"  {word} → {category}  ×{times}" for word, category, times in self.worst] or ["  （无）"]
        return "\n".join(lines)


def evaluate_routing(router, rows: Iterable[dict], worst: int = 15) -> RoutingReport:  # type: ignore[no-untyped-def]
    from collections import Counter

    classes, guesses = ClassificationReport(), ClassificationReport()
    blame: Counter[tuple[str, str]] = Counter()
    triaged = 0
    for row in rows:
        decision = router.route(row["text"])
        guesses.add(row["label"], decision.category)
        classes.add(row["label"], TRIAGE if decision.needs_triage else decision.category)
        triaged += decision.needs_triage
        if decision.category != row["label"] and decision.category and not decision.needs_triage:
            for keyword in decision.keywords[:3]:
                blame[(keyword, decision.category)] += 1
    return RoutingReport(classes, guesses, triaged, [(w, c, n) for (w, c), n in blame.most_common(worst)])


@dataclass
class SteerReport:
    classes: ClassificationReport
    petitions: int  # items whose only right answer is `petition`
    steered_away: int  # … that the verdict sent elsewhere (the worst error)
    misses: list[tuple[str, list[str], str]]
    hits: int = 0
    legal: int = 0  # items where `petition` is not a right answer: a matter for another door
    legal_found: int = 0  # … that the verdict sent to one of their doors
    asked: int = 0  # verdicts unsure enough that the dialogue asks the citizen first

    @property
    def accuracy(self) -> float:
        return self.hits / len(self.classes.gold) if self.classes.gold else 0.0

    @property
    def steered_away_rate(self) -> float:
        return self.steered_away / self.petitions if self.petitions else 0.0

    @property
    def legal_found_rate(self) -> float:
        return self.legal_found / self.legal if self.legal else 0.0

    def render(self, misses: bool = True) -> str:
        lines = [
            f"条数 {len(self.classes.gold)}    准确率 {self.accuracy:.1%}（判定在标注的途径之一即算对）",
            f"普通信访被错误引导走的比例 {self.steered_away_rate:.1%}（{self.steered_away}/{self.petitions}）",
            f"应走其他途径的事项被识别出的比例 {self.legal_found_rate:.1%}（{self.legal_found}/{self.legal}）",
            f"拿不准、对话里会先问一句的 {self.asked} 条（判定仍按信访计）",
            "",
            _pad("途径", 26) + "  精确率   召回率   条数",
        ]
        for label, (p, r, _f, n) in self.classes.per_class().items():
            lines.append(f"{_pad(label, 26)}  {p:6.1%}   {r:6.1%}  {n:5d}")
        if misses and self.misses:
            lines += ["", "判错的："]
            lines += [f"  ✗ {text[:50]}  应为 {exp}  判为 {got}" for text, exp, got in self.misses]
        return "\n".join(lines)


def evaluate_steering(steerer, rows: Iterable[dict]) -> SteerReport:  # type: ignore[no-untyped-def]
    """A hit when the verdict is one of the labelled channels. Per-channel precision/recall use
    the first label as the gold one unless the verdict matched another label."""
    classes = ClassificationReport()
    report = SteerReport(classes, 0, 0, [])
    for row in rows:
        labels = list(row["channels"])
        verdict = steerer.steer(row["text"])
        channel = verdict.channel
        hit = channel in labels
        report.hits += hit
        report.asked += verdict.unsure
        classes.add(channel if hit else labels[0], channel)
        if labels == ["petition"]:
            report.petitions += 1
            report.steered_away += channel != "petition"
        if "petition" not in labels:
            report.legal += 1
            report.legal_found += hit
        if not hit:
            report.misses.append((row["text"], labels, channel))
    return report


@dataclass
class HarmReport:
    """Harm first: every message in danger must be caught; false alarms are counted, not hidden."""

    harmful: int = 0
    caught: int = 0
    harmless: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    alarmed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.harmful if self.harmful else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.harmless if self.harmless else 0.0

    def render(self, misses: bool = True) -> str:
        lines = [
            f"危险情形识别率 {self.recall:.1%}（{self.caught}/{self.harmful}）",
            f"误报率 {self.false_alarm_rate:.1%}（{self.false_alarms}/{self.harmless}）",
        ]
        if misses:
            lines += [f"  漏报 ✗ {t[:60]}" for t in self.missed] + [f"  误报 ! {t[:60]}" for t in self.alarmed]
        return "\n".join(lines)


def harm_label(value: object) -> bool:
    """A row's "harm" label: true/false, or a kind (or list of kinds) — empty and "none" mean no harm."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "none", "no", "false", "0", "无")
    if isinstance(value, list | tuple):
        return any(harm_label(v) for v in value)
    return bool(value)


def evaluate_harm(detect, rows: Iterable[dict]) -> HarmReport:  # type: ignore[no-untyped-def]
    report = HarmReport()
    for row in rows:
        urgent = detect(row["text"]).urgent
        if harm_label(row["harm"]):
            report.harmful += 1
            report.caught += urgent
            if not urgent:
                report.missed.append(row["text"])
        else:
            report.harmless += 1
            report.false_alarms += urgent
            if urgent:
                report.alarmed.append(row["text"])
    return report
