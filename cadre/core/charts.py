"""Charts as server-side SVG: they work in PDFs and without JavaScript. Each is drawn from plain
numbers and labels, and every page that shows one also shows the same numbers in a table (the
chart is marked as an image with a text alternative pointing to that table).

Colours are from the GOV.UK palette and series are told apart by line style and marker shape as
well as colour."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
ORANGE = "#f47738"
GREY = "#505a5f"
GREEN = "#00703c"
PURPLE = "#4c2c92"
PINK = "#d53880"
LIGHT = "#b1b4b6"
COLOURS = [BLUE, ORANGE, GREY, GREEN, PURPLE, PINK]
DASHES = ["", "6 4", "2 3", "10 3", "4 2 1 2", "1 2"]


def one_decimal(value: float) -> str:
    """A figure to one decimal place, halves rounded up, as Django's floatformat shows it."""
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _colour(n: int) -> str:
    return COLOURS[n % len(COLOURS)]


def _lines(text: str, width: int) -> list[str]:
    """Words wrapped into lines of at most `width` characters (a long word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, text: str, *, width: int, size: int = 13, anchor: str = "start", middle=True) -> str:
    """A label wrapped onto lines, centred on y (or starting at y)."""
    lines = _lines(text, width)
    top = y - (len(lines) - 1) * (size + 2) / 2 if middle else y
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + n * (size + 2):.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text font-size="{size}" text-anchor="{anchor}" fill="#0b0c0c">{spans}</text>'


@dataclass
class Series:
    name: str
    values: list[float | None]  # None: no figure (withheld or not asked)


def _svg(width: int, height: int, label: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in body is escaped where it is built
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}" class="cadre-chart" font-family="Arial, sans-serif">{body}</svg>'
    )


def _legend(series: list[Series], x: int, y: int, *, boxes: bool = False) -> str:
    """A key to the series: line styles for lines, filled boxes for bars."""
    parts = []
    for n, s in enumerate(series):
        yy = y + n * 20
        swatch = (
            f'<rect x="{x}" y="{yy - 6}" width="24" height="12" fill="{_colour(n)}"/>'
            if boxes
            else f'<line x1="{x}" y1="{yy}" x2="{x + 24}" y2="{yy}" stroke="{_colour(n)}" stroke-width="3" '
            f'stroke-dasharray="{DASHES[n % len(DASHES)]}"/>'
        )
        parts.append(swatch + f'<text x="{x + 30}" y="{yy + 5}" font-size="13" fill="#0b0c0c">{escape(s.name)}</text>')
    return "".join(parts)


def radar(labels: list[str], series: list[Series], *, maximum: float, label: str) -> SafeString:
    """A spider chart: one axis per label, from 0 at the centre to `maximum` at the rim. A series
    with a gap (None) is drawn as separate points rather than a closed shape."""
    size, margin = 560, 140
    cx, cy, radius = size / 2, size / 2, size / 2 - margin
    n = max(len(labels), 1)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, maximum)) / maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for ring in range(1, int(maximum) + 1):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{LIGHT}" stroke-width="1"/>')
        # Ring numbers sit half-way between the first two spokes, clear of the labels.
        angle = -math.pi / 2 + math.pi / n
        x, y = cx + radius * ring / maximum * math.cos(angle), cy + radius * ring / maximum * math.sin(angle)
        body.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" fill="{GREY}">{ring}</text>')
    for i, text in enumerate(labels):
        x, y = point(i, maximum)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{LIGHT}" stroke-width="1"/>')
        lx, ly = point(i, maximum * 1.1)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        body.append(_text(lx, ly + 4, text, width=18, anchor=anchor))
    for k, s in enumerate(series):
        colour, dash = _colour(k), DASHES[k % len(DASHES)]
        points = [point(i, v) if v is not None else None for i, v in enumerate(s.values)]
        if points and all(p is not None for p in points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polygon points="{path}" fill="{colour}" fill-opacity="0.08" stroke="{colour}" '
                f'stroke-width="3" stroke-dasharray="{dash}"/>'
            )
        for p in points:
            if p is not None:
                marker = (
                    f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="5" fill="{colour}"/>'
                    if k % 2 == 0
                    else f'<rect x="{p[0] - 4.5:.1f}" y="{p[1] - 4.5:.1f}" width="9" height="9" fill="{colour}"/>'
                )
                body.append(marker)
    bottom = int(cy + radius * 1.1 + 40)
    body.append(_legend(series, 10, bottom))
    return _svg(size, bottom + 20 * len(series), label, "".join(body))


def bars(labels: list[str], series: list[Series], *, maximum: float, label: str) -> SafeString:
    """Horizontal bars: a row per label, a bar per series, a scale from 0 to `maximum`."""
    left, width, bar, gap = 200, 600, 14, 18
    plot = width - left - 50
    row_height = bar * len(series) + gap
    height = 40 + row_height * len(labels) + 20 * len(series) + 20
    body = []
    for tick in range(int(maximum) + 1):
        x = left + plot * tick / maximum
        body.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{30 + row_height * len(labels)}" stroke="{LIGHT}"/>')
        body.append(f'<text x="{x:.1f}" y="16" font-size="11" text-anchor="middle" fill="{GREY}">{tick}</text>')
    for i, text in enumerate(labels):
        top = 30 + row_height * i
        body.append(_text(left - 8, top + bar * len(series) / 2 + 4, text, width=26, anchor="end"))
        for k, s in enumerate(series):
            value = s.values[i]
            y = top + bar * k
            colour = _colour(k)
            if value is None:
                body.append(f'<text x="{left + 4}" y="{y + bar - 3}" font-size="11" fill="{GREY}">not shown</text>')
                continue
            w = plot * max(0.0, min(value, maximum)) / maximum
            body.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{colour}"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + bar - 3}" font-size="11" fill="#0b0c0c">'
                f"{one_decimal(value)}</text>"
            )
    body.append(_legend(series, left, 40 + row_height * len(labels) + 10, boxes=True))
    return _svg(width, height, label, "".join(body))


HEAT = ["#f3f2f1", "#d2e2f1", "#a5c5e3", "#5694ca", "#1d70b8", "#003078"]  # light to dark blue


def heatmap(
    rows: list[str],
    columns: list[str],
    values: list[list[float | None]],
    *,
    hidden: list[list[bool]],
    minimum: float,
    maximum: float,
    label: str,
) -> SafeString:
    """A grid: a row per group, a column per attribute, each cell shaded by its figure and showing
    it. Hidden cells are grey and marked "hidden"; empty cells are white with a dash."""
    left, top, cell_w, cell_h = 210, 90, 96, 40
    width, height = left + cell_w * len(columns) + 10, top + cell_h * len(rows) + 60
    body = []
    for c, text in enumerate(columns):
        x = left + cell_w * c + cell_w / 2
        body.append(
            _text(
                x, top - 12 - 15 * (len(_lines(text, 13)) - 1), text, width=13, size=12, anchor="middle", middle=False
            )
        )
    for r, text in enumerate(rows):
        y = top + cell_h * r
        body.append(_text(left - 8, y + cell_h / 2 + 4, text, width=28, size=12, anchor="end"))
        for c in range(len(columns)):
            x = left + cell_w * c
            value = values[r][c]
            if hidden[r][c]:
                fill, ink, shown = "#b1b4b6", "#0b0c0c", "hidden"
            elif value is None:
                fill, ink, shown = "#ffffff", "#505a5f", "–"
            else:
                value = float(one_decimal(value))  # shade what is shown, as the table rounds it
                share = (value - minimum) / (maximum - minimum) if maximum > minimum else 0.5
                band = min(len(HEAT) - 1, max(0, int(share * len(HEAT))))
                fill, ink, shown = HEAT[band], "#ffffff" if band >= 4 else "#0b0c0c", one_decimal(value)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" stroke="#ffffff"/>'
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 4:.1f}" font-size="12" text-anchor="middle" '
                f'fill="{ink}">{escape(shown)}</text>'
            )
    key_y = top + cell_h * len(rows) + 24
    body.append(f'<text x="{left}" y="{key_y}" font-size="12" fill="#0b0c0c">Lower</text>')
    for n, colour in enumerate(HEAT):
        body.append(f'<rect x="{left + 44 + n * 26}" y="{key_y - 11}" width="24" height="14" fill="{colour}"/>')
    body.append(f'<text x="{left + 44 + len(HEAT) * 26 + 6}" y="{key_y}" font-size="12" fill="#0b0c0c">Higher</text>')
    return _svg(width, height, label, "".join(body))
