"""Accuracy reports over labelled files (formats in DESIGN.md), shared by `xinfang eval` and tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import REGULATION

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
    total: int = 0
    top1: int = 0
    top3: int = 0
    unsure: int = 0  # below the confidence threshold: the API answers with no citation
    misses: list[tuple[str, list[int], list[int]]] = field(default_factory=list)  # (q, expected, got)

    @property
    def top1_accuracy(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_accuracy(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def render(self) -> str:
        lines = [
            f"问题数 {self.total}",
            f"top-1 准确率 {self.top1_accuracy:.1%}（{self.top1}/{self.total}）",
            f"top-3 准确率 {self.top3_accuracy:.1%}（{self.top3}/{self.total}）",
            f"低于置信阈值、答「不确定」的 {self.unsure} 个（计为未命中）",
        ]
        if self.misses:
            lines.append("未命中（top-1）：")
            lines += [f"  ✗ {q}  应为 {exp}  答为 {got[:3]}" for q, exp, got in self.misses]
        return "\n".join(lines)


def evaluate_qa(retriever: Retriever, rows: Iterable[dict]) -> QaReport:
    """A hit at k when one of the first k distinct cited articles of the regulation is expected.

    The citations are exactly those `/api/v1/ask` returns, best first — none when the answer is
    below the confidence threshold, which therefore counts as a miss.
    """
    report = QaReport()
    for row in rows:
        expected = [int(a) for a in row["articles"]]
        result = retriever.search(row["q"])
        got = [c.article for c in result.citations() if c.law == REGULATION] if result.confident else []
        report.unsure += not result.confident
        report.total += 1
        report.top1 += bool(got) and got[0] in expected
        report.top3 += any(a in expected for a in got[:3])
        if not (got and got[0] in expected):
            report.misses.append((row["q"], expected, got))
    return report
