"""Geometry for the server-drawn SVG charts. Labels stay plain text; templates escape them."""

from __future__ import annotations

from dataclasses import dataclass

BAR_H, GAP, LABEL_W, CHART_W = 22, 8, 150, 560


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int
    text_y: int
    value_x: int
    css: str = ""


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = CHART_W
    label_w: int = LABEL_W


def bar_chart(rows: list[tuple[str, float]], fmt: str = "{:g}", css: str = "",
              scale_to: float | None = None) -> BarChart:
    """Horizontal bars, longest = the largest value (or ``scale_to``)."""
    top = scale_to if scale_to is not None else max((v for _, v in rows), default=0)
    room = CHART_W - LABEL_W - 70
    bars = []
    for i, (label, value) in enumerate(rows):
        width = int(round(room * value / top)) if top else 0
        y = i * (BAR_H + GAP)
        bars.append(Bar(label=label, value_text=fmt.format(value), y=y, width=max(width, 0),
                        text_y=y + BAR_H - 6, value_x=LABEL_W + max(width, 0) + 6,
                        css=css))
    return BarChart(bars=bars, height=max(len(rows) * (BAR_H + GAP), BAR_H))
