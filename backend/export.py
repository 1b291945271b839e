"""The 台账 (case ledger) as CSV or XLSX, with the filters applied and identities masked where
the viewer may not see them (条例第三十条).

Every cell is text a citizen may have typed, so none may become a formula when a spreadsheet
opens the file: a cell beginning with = + - @ (or a tab or carriage return, which some
spreadsheets skip before reading one) gets a leading apostrophe, in CSV and XLSX alike."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.ext.asyncio import AsyncSession

from nlp.pii import mask_phone

from .auth import Viewer
from .models import Case, CaseStatus
from .repo.case_list import CaseFilter, list_cases

COLUMNS = [
    "受理编号",
    "登记时间",
    "状态",
    "分类",
    "责任部门",
    "类型",
    "姓名",
    "电话",
    "地址",
    "事项",
    "请求",
    "告知期限",
    "办结期限",
    "办结日期",
    "处理意见",
    "满意度",
    "紧急",
]
HIDDEN = "（依条例第三十条不予显示）"
MAX_ROWS = 50_000


def ledger_row(case: Case, viewer: Viewer, tz) -> list[str]:  # type: ignore[no-untyped-def]
    identity = viewer.sees_identity(case)
    return [
        case.ticket,
        f"{case.received_at.astimezone(tz):%Y-%m-%d %H:%M}",
        CaseStatus(case.status).label,
        case.category or "",
        case.department.name if case.department else "（待分办）",
        {"complaint": "投诉请求", "report": "检举控告", "suggestion": "建议意见"}.get(case.kind, case.kind),
        case.name if identity else HIDDEN,
        (mask_phone(case.phone) if case.phone else "") if identity else HIDDEN,
        viewer.address(case) if identity else HIDDEN,
        viewer.redact(case, case.summary),
        viewer.redact(case, case.request),
        _d(case.accept_due),
        _d(case.conclude_due),
        _d(case.concluded_on),
        case.opinion or "",
        case.satisfaction or "",
        "是" if case.urgent else "",
    ]


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


async def ledger(session: AsyncSession, viewer: Viewer, f: CaseFilter, today: date, tz) -> list[list[str]]:  # type: ignore[no-untyped-def]
    rows: list[list[str]] = []
    page = 1
    while len(rows) < MAX_ROWS:
        f.page, f.per_page = page, 1000
        cases, _ = await list_cases(session, viewer, f, today, cap=MAX_ROWS)
        rows += [ledger_row(c, viewer, tz) for c in cases]
        if len(cases) < 1000:
            break
        page += 1
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralised(value: str) -> str:
    """The cell's text, never a formula (OWASP «CSV injection»): a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def to_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "信访台账"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # openpyxl reads a leading = as a formula: never from our data
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQ", (18, 17, 10, 14, 22, 10, 10, 14, 24, 40, 30, 12, 12, 12, 10, 8, 6), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
