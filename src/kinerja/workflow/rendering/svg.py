"""The flowchart pages as hand-written SVG (no scripts, styles or external references).

Units are millimetres in the page coordinates of `flowchart.FlowPage`. Each
element carries the box it may paint, so `PageDrawing.cell_svg` can hand every
table cell only the elements that cross it. Classes and data attributes
(`symbol task`, `data-step`, `offpage out`, `label no`) name what is drawn.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import pgettext

from kinerja.workflow.domain.definition import StepKind
from kinerja.workflow.rendering.flowchart import (
    BORDER_MM,
    CONNECTOR_H,
    CONNECTOR_W,
    FONT_FAMILY,
    PT,
    Arrow,
    FlowPage,
    OffPageConnector,
    Point,
    Symbol,
    text_width,
)

_ARROW_LENGTH = 1.5
_ARROW_HALF_WIDTH = 0.6
_LABEL_SIZE = 2.2
_STROKE = 0.25


@dataclass(frozen=True)
class _Mark:
    """One SVG element and the box (x0, y0, x1, y1) it may paint."""

    svg: str
    box: tuple[float, float, float, float]


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _box(points: Sequence[Point], pad: float = 0.0) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def _text(
    x: float, y: float, text: str, *, size: float, anchor: str, bold: bool = False, css: str = ""
) -> _Mark:
    """Text centred vertically on y (baseline placed by hand: not every renderer has
    dominant-baseline)."""
    width = text_width(text, size_pt=size / PT, bold=bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    weight = ' font-weight="bold"' if bold else ""
    css_class = f' class="{css}"' if css else ""
    svg = (
        f'<text{css_class} x="{_n(x)}" y="{_n(y + size * 0.35)}" font-size="{_n(size)}"'
        f' text-anchor="{anchor}"{weight} fill="#000" stroke="none">{escape(text)}</text>'
    )
    return _Mark(svg, (left, y - size / 2, left + width, y + size / 2))


def _symbol_marks(symbol: Symbol) -> list[_Mark]:
    x0, y0 = symbol.cx - symbol.width / 2, symbol.cy - symbol.height / 2
    box = (x0, y0, x0 + symbol.width, y0 + symbol.height)
    data = f'data-step="{symbol.step}" data-column="{symbol.column}" fill="#fff"'
    if symbol.kind is StepKind.DECISION:
        corners = [symbol.port(side) for side in ("top", "right", "bottom", "left")]
        return [
            _Mark(f'<polygon class="symbol decision" {data} points="{_points(corners)}"/>', box)
        ]
    size = f'x="{_n(x0)}" y="{_n(y0)}" width="{_n(symbol.width)}" height="{_n(symbol.height)}"'
    if symbol.kind is StepKind.TASK:
        return [_Mark(f'<rect class="symbol task" {data} {size}/>', box)]
    radius = _n(symbol.height / 2)
    kind = symbol.kind.value
    marks = [_Mark(f'<rect class="symbol {kind}" {data} {size} rx="{radius}" ry="{radius}"/>', box)]
    word = (
        pgettext("SOP document", "Start")
        if symbol.kind is StepKind.START
        else pgettext("SOP document", "End")
    )
    room = symbol.width - symbol.height * 0.6
    size_pt = min(6.0, room / max(text_width(word, size_pt=1.0), 0.01))
    marks.append(_text(symbol.cx, symbol.cy, word, size=size_pt * PT, anchor="middle"))
    return marks


def _arrow_marks(arrow: Arrow) -> list[_Mark]:
    points = list(arrow.points)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = max(abs(x1 - x0) + abs(y1 - y0), 0.01)
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    base = (x1 - dx * _ARROW_LENGTH, y1 - dy * _ARROW_LENGTH)
    head = [
        (x1, y1),
        (base[0] - dy * _ARROW_HALF_WIDTH, base[1] + dx * _ARROW_HALF_WIDTH),
        (base[0] + dy * _ARROW_HALF_WIDTH, base[1] - dx * _ARROW_HALF_WIDTH),
    ]
    line = [*points[:-1], base]
    data = f'data-source="{arrow.source}" data-target="{arrow.target}"'
    marks = [
        _Mark(f'<polyline class="flow" {data} points="{_points(line)}"/>', _box(line, _STROKE)),
        _Mark(f'<polygon class="arrowhead" fill="#000" points="{_points(head)}"/>', _box(head)),
    ]
    if arrow.label:
        word = (
            pgettext("SOP document", "Yes")
            if arrow.label == "yes"
            else pgettext("SOP document", "No")
        )
        marks.append(_label_mark(points, word, css=f"label {arrow.label}"))
    return marks


def _label_mark(points: Sequence[Point], word: str, *, css: str) -> _Mark:
    """ "Ya"/"Tidak" beside the first segment, clear of the line's next turn.

    A first segment shorter than the word puts the word beside the second one.
    """
    (sx, sy), (nx, ny) = points[0], points[1]
    following = points[2] if len(points) > 2 else None
    width = text_width(word, size_pt=_LABEL_SIZE / PT)
    if abs(ny - sy) > abs(nx - sx):  # leaves downwards: the side away from the next turn
        if following is not None and following[0] > nx:
            return _text(sx - 0.7, sy + 2.2, word, size=_LABEL_SIZE, anchor="end", css=css)
        return _text(sx + 0.7, sy + 2.2, word, size=_LABEL_SIZE, anchor="start", css=css)
    rightwards = nx > sx
    if abs(nx - sx) < width + 1.0 and following is not None and following[0] == nx:
        y = ny - 2.5 if following[1] < ny else ny + 2.5
        x, anchor = (nx + 0.6, "start") if rightwards else (nx - 0.6, "end")
        return _text(x, y, word, size=_LABEL_SIZE, anchor=anchor, css=css)
    x, anchor = (sx + 0.5, "start") if rightwards else (sx - 0.5, "end")
    return _text(x, sy - 1.4, word, size=_LABEL_SIZE, anchor=anchor, css=css)


def _connector_marks(connector: OffPageConnector) -> list[_Mark]:
    x, y, half = connector.x, connector.y, CONNECTOR_W / 2
    shoulder = y + CONNECTOR_H * 0.6
    corners = [
        (x - half, y),
        (x + half, y),
        (x + half, shoulder),
        (x, y + CONNECTOR_H),
        (x - half, shoulder),
    ]
    attributes = (
        f'class="offpage {connector.direction}" data-label={quoteattr(connector.label)}'
        f' data-step="{connector.step}" fill="#fff"'
    )
    letter = _text(x, y + CONNECTOR_H * 0.38, connector.label, size=2.4, anchor="middle", bold=True)
    return [
        _Mark(f'<polygon {attributes} points="{_points(corners)}"/>', _box(corners)),
        letter,
    ]


def _page_marks(page: FlowPage) -> list[_Mark]:
    marks: list[_Mark] = []
    for arrow in page.arrows:
        marks += _arrow_marks(arrow)
    for row in page.rows:
        marks += _symbol_marks(row.symbol)
    for connector in page.connectors:
        marks += _connector_marks(connector)
    return marks


# Lines are unfilled; symbols and connectors are white, texts and arrowheads black.
_STYLE = (
    f'fill="none" stroke="#000" stroke-width="{_n(_STROKE)}" stroke-linejoin="miter"'
    f' font-family="{FONT_FAMILY}"'
)


def _svg(marks: Iterable[_Mark], view: tuple[float, float, float, float], extra: str = "") -> str:
    x, y, width, height = view
    body = "".join(mark.svg for mark in marks)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}mm" height="{_n(height)}mm"'
        f' viewBox="{_n(x)} {_n(y)} {_n(width)} {_n(height)}" {_STYLE}>{extra}{body}</svg>'
    )


class PageDrawing:
    """The drawing of one page's actor area, whole (`svg`) or cut into cells (`cell_svg`)."""

    def __init__(self, page: FlowPage) -> None:
        self.page = page
        self.marks = _page_marks(page)

    def svg(self) -> str:
        """Grid lines, symbols, arrows and connectors of the whole page."""
        page = self.page
        grid = [
            f'<line x1="{_n(i * page.column_width)}" y1="0"'
            f' x2="{_n(i * page.column_width)}" y2="{_n(page.height)}"/>'
            for i in range(page.column_count + 1)
        ] + [
            f'<line x1="0" y1="{_n(y)}" x2="{_n(page.width)}" y2="{_n(y)}"/>'
            for y in [row.top for row in page.rows] + [page.height]
        ]
        outline = f'<g class="grid" stroke-width="{_n(BORDER_MM)}">{"".join(grid)}</g>'
        return _svg(self.marks, (0.0, 0.0, page.width, page.height), outline)

    def cell_svg(self, row_index: int, column: int) -> str:
        """The part of the drawing inside one actor cell, the cell's borders excluded."""
        row = self.page.rows[row_index]
        x0 = column * self.page.column_width + BORDER_MM / 2
        y0 = row.top + BORDER_MM / 2
        width, height = self.page.column_width - BORDER_MM, row.height - BORDER_MM
        inside = [
            mark
            for mark in self.marks
            if mark.box[0] <= x0 + width
            and mark.box[2] >= x0
            and mark.box[1] <= y0 + height
            and mark.box[3] >= y0
        ]
        return _svg(inside, (x0, y0, width, height))
