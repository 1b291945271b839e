"""Jinja2 rendering (autoescaped: citizen text always shows as text) and server-side SVG charts."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..models import STATUS_LABELS, CaseStatus
from .badges import BADGES
from .security import VIEWER


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("backend.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_label"] = lambda value: STATUS_LABELS.get(CaseStatus(value), value) if value else ""
    env.filters["cn_date"] = lambda d: f"{d.year}年{d.month}月{d.day}日" if isinstance(d, date) else ""
    env.filters["percent"] = lambda v: "—" if v is None else f"{v:.1%}"
    env.globals["bar_chart"] = bar_chart
    return env


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    values.setdefault("viewer", request.get(VIEWER))
    values.setdefault("badges", request.get(BADGES))
    html = environment().get_template(template).render(request=request, **values)
    return web.Response(text=html, content_type="text/html", status=status)


def bar_chart(data: list[tuple[str, int]], title: str, width: int = 560, bar: int = 22) -> Markup:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    if not data:
        return Markup(f'<p class="muted">{escape(title)}：暂无数据</p>')
    top = max(n for _, n in data) or 1
    label_w, gap = 150, 6
    height = len(data) * (bar + gap) + 30
    rows = []
    for i, (label, n) in enumerate(data):
        y = 24 + i * (bar + gap)
        w = max(2, int((width - label_w - 60) * n / top))
        rows.append(
            f'<text x="{label_w - 8}" y="{y + bar * 0.7}" text-anchor="end">{escape(str(label)[:12])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" rx="3"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar * 0.7}">{n}</text>'
        )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f'<text x="0" y="14" class="chart-title">{escape(title)}</text>{"".join(rows)}</svg>'
    )
