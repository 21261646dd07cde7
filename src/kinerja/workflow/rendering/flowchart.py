"""Layout of the PermenPANRB 35/2012 flowchart table (drawn as SVG by `svg.py`).

The table has one row per step and one column per actor; the step's symbol
sits in its actor's column and arrows join the symbols. Rows have heights we
compute ourselves (text wrapped with DejaVu Sans metrics, a little
pessimistically) so that pagination, symbol positions and arrows are known
before any browser lays the page out. Everything is in millimetres.

Coordinates of a page drawing: x from the left edge of the first actor
column, y from the top of the first body row. The HTML shows that drawing
through one small SVG window per actor cell (`svg.PageDrawing.cell_svg`): a
row that grows taller than computed only leaves a gap in a line, it cannot
shift symbols into other rows.

Routing: the arrow to the next row leaves the symbol's side toward the next
actor and comes down into the next symbol's top; a decision's "Tidak" goes
through a lane beside the target's symbol (in the target's column) back up to
the target's side. Where the flow crosses a page break, a numbered off-page
connector (a pentagon with a letter) closes the arrow on one page and the same
letter opens it on the next.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kinerja.workflow.domain.definition import Duration, SopDefinition, Step, StepKind

PAPER_SIZES_MM = {"f4": (215.0, 330.0), "a4": (210.0, 297.0)}
FLOW_MARGIN_MM = 10.0

# Typography of the flowchart table, shared with the HTML (same numbers there).
FONT_SIZE_PT = 7.5
HEADER_FONT_SIZE_PT = 7.0
TITLE_FONT_SIZE_PT = 9.0
LINE_HEIGHT_MM = 3.3
TITLE_LINE_HEIGHT_MM = 4.5
TITLE_GAP_MM = 2.0
CELL_PADDING_MM = 1.2
BORDER_MM = 0.2
FONT_FAMILY = "'DejaVu Sans Condensed', 'DejaVu Sans', Arial, sans-serif"

PT = 25.4 / 72
# DejaVu Sans Condensed is DejaVu Sans at 90 % width; measure 6 % wider than that.
_WIDTH_FACTOR = 0.9 * 1.06
_PAGE_SAFETY_MM = 4.0

_SYMBOL_HEIGHT = {
    StepKind.START: 6.0,
    StepKind.END: 6.0,
    StepKind.TASK: 7.0,
    StepKind.DECISION: 9.0,
}
_SYMBOL_MARGIN = 4.0  # free space above and below a symbol, for arrows and labels
CONNECTOR_W = 5.0
CONNECTOR_H = 5.5
_CONNECTOR_SPACE = 1.0 + CONNECTOR_H + 1.5  # extra height of a row holding one
_STUB = 2.5  # line between a symbol and a connector beside it
_LABELLED_STUB = 7.0  # room for "Tidak" on that line
_CONNECTOR_ATTACH = CONNECTOR_H * 0.3  # a side line meets a connector this far below its top
_SHARED_OFFSET = 2.25  # below the centre line, still on every symbol's side

Point = tuple[float, float]


def paper_size(paper: str) -> tuple[float, float]:
    """(width, height) of the portrait sheet in mm: "f4" 215×330 or "a4" 210×297."""
    try:
        return PAPER_SIZES_MM[paper.lower()]
    except KeyError:
        raise ValueError(f"unknown paper {paper!r}; use one of {sorted(PAPER_SIZES_MM)}") from None


def flowchart_area(paper: str) -> tuple[float, float]:
    """(width, height) in mm inside the margins of a landscape flowchart page."""
    short, long = paper_size(paper)
    return long - 2 * FLOW_MARGIN_MM, short - 2 * FLOW_MARGIN_MM


# --- the texts of a row, shared by every format -----------------------------------------


def duration_text(duration: Duration | None) -> str:
    """As the SOP writes it: "15 menit", "1,5 jam", "2 hari" (no thousands dots: "2400 menit")."""
    if duration is None:
        return ""
    number = f"{duration.value:f}"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return f"{number.replace('.', ',')} {duration.unit.value}"


def inputs_text(step: Step) -> str:
    return ", ".join(step.inputs)


def outputs_text(step: Step) -> str:
    return ", ".join(step.outputs)


def successors(step: Step) -> list[tuple[int, str]]:
    """Where the flow goes from `step`: (number, "" | "yes" | "no")."""
    if step.kind is StepKind.END:
        return []
    if step.kind is StepKind.DECISION:
        return [(n, label) for n, label in ((step.yes, "yes"), (step.no, "no")) if n is not None]
    return [(step.next if step.next is not None else step.number + 1, "")]


# --- text measurement -------------------------------------------------------------------


@functools.cache
def _advances(bold: bool) -> dict[int, float]:
    """Advance widths (em) of DejaVu Sans, the copy matplotlib ships (always installed)."""
    try:
        import matplotlib
        from fontTools.ttLib import TTFont

        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        font = TTFont(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"]
        return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    except (ImportError, OSError, KeyError):  # pragma: no cover - matplotlib is a dependency
        return {}


def text_width(text: str, *, size_pt: float, bold: bool = False) -> float:
    """A slightly generous width in mm of `text` set in DejaVu Sans Condensed."""
    advances = _advances(bold)
    ems = sum(advances.get(ord(char), 0.62) for char in text)
    return ems * size_pt * PT * _WIDTH_FACTOR


def wrap_text(text: str, width: float, *, size_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines no wider than `width` mm; overlong words are cut."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size_pt=size_pt, bold=bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if line and text_width(line + char, size_pt=size_pt, bold=bold) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def _text_lines(text: str, column_width: float, *, size_pt: float, bold: bool = False) -> int:
    if not text.strip():
        return 0
    inner = column_width - 2 * CELL_PADDING_MM - BORDER_MM
    return len(wrap_text(text, inner, size_pt=size_pt, bold=bold))


# --- geometry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """Widths in mm of the flowchart table's columns."""

    number: float
    activity: float
    actor: float
    actor_count: int
    inputs: float
    duration: float
    outputs: float
    note: float

    @property
    def actors_width(self) -> float:
        return self.actor * self.actor_count

    def widths(self) -> tuple[float, ...]:
        """Left to right: No, Kegiatan, each actor, Kelengkapan, Waktu, Output, Keterangan."""
        return (
            self.number,
            self.activity,
            *([self.actor] * self.actor_count),
            self.inputs,
            self.duration,
            self.outputs,
            self.note,
        )


_NUMBER_WIDTH = 8.0
_SHARES = {"activity": 0.22, "inputs": 0.11, "duration": 0.056, "outputs": 0.11, "note": 0.06}
_MIN_ACTOR_WIDTH = 11.0


def table_columns(width: float, actor_count: int) -> Columns:
    """Share `width` mm: the text columns take fixed shares, the actors split the rest."""
    shared = {name: share * width for name, share in _SHARES.items()}
    rest = width - _NUMBER_WIDTH - sum(shared.values())
    actor = rest / max(actor_count, 1)
    if actor < _MIN_ACTOR_WIDTH:
        actor = _MIN_ACTOR_WIDTH
        scale = (width - _NUMBER_WIDTH - actor * actor_count) / sum(shared.values())
        shared = {name: value * scale for name, value in shared.items()}
    return Columns(number=_NUMBER_WIDTH, actor=actor, actor_count=actor_count, **shared)


@dataclass(frozen=True)
class Symbol:
    """A step's flowchart symbol, centred in its actor column."""

    step: int
    kind: StepKind
    column: int
    cx: float
    cy: float
    width: float
    height: float

    def port(self, side: str) -> Point:
        offsets = {
            "top": (0.0, -self.height / 2),
            "bottom": (0.0, self.height / 2),
            "left": (-self.width / 2, 0.0),
            "right": (self.width / 2, 0.0),
        }
        dx, dy = offsets[side]
        return (self.cx + dx, self.cy + dy)

    def edge(self, side: str, dy: float) -> Point:
        """The point of the left or right outline `dy` mm below the centre."""
        half_w, half_h = self.width / 2, self.height / 2
        if self.kind is StepKind.DECISION:
            reach = half_w * (1 - abs(dy) / half_h)
        elif self.kind is StepKind.TASK:
            reach = half_w
        else:  # capsule: round ends of radius half_h
            reach = half_w - half_h + (max(half_h**2 - dy**2, 0.0)) ** 0.5
        return (self.cx + (reach if side == "right" else -reach), self.cy + dy)


@dataclass(frozen=True)
class FlowRow:
    """One table row: `top` and `height` (outer, borders included) in page coordinates."""

    step: Step
    top: float
    height: float
    symbol: Symbol


@dataclass(frozen=True)
class Arrow:
    """A connector line ending in an arrowhead; `label` is "", "yes" or "no"."""

    source: int
    target: int
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class OffPageConnector:
    """Pentagon with `label` whose top-centre is (x, y); "out" ends a flow, "in" resumes it."""

    label: str
    direction: str
    step: int
    x: float
    y: float


@dataclass(frozen=True)
class FlowPage:
    number: int
    rows: tuple[FlowRow, ...]
    arrows: tuple[Arrow, ...]
    connectors: tuple[OffPageConnector, ...]
    column_width: float
    column_count: int

    @property
    def width(self) -> float:
        return self.column_width * self.column_count

    @property
    def height(self) -> float:
        return sum(row.height for row in self.rows)


@dataclass(frozen=True)
class FlowchartLayout:
    columns: Columns
    header_height: float
    title_height: float
    pages: tuple[FlowPage, ...]


def flowchart_layout(
    definition: SopDefinition, *, width: float, height: float, title: str = ""
) -> FlowchartLayout:
    """Lay the flowchart out in a `width` × `height` mm area (a page inside its margins).

    `title` is the heading printed above every page's table (its height is
    taken from the space).
    """
    columns = table_columns(width, len(definition.actors))
    header = _header_height(definition, columns)
    title_lines = len(wrap_text(title, width, size_pt=TITLE_FONT_SIZE_PT, bold=True))
    title_height = title_lines * TITLE_LINE_HEIGHT_MM + TITLE_GAP_MM if title else 0.0
    capacity = height - header - title_height - _PAGE_SAFETY_MM
    steps = definition.steps
    heights = [_row_height(step, columns) for step in steps]
    chunks = _paginate(steps, heights, capacity)
    return FlowchartLayout(
        columns=columns,
        header_height=header,
        title_height=title_height,
        pages=_route(definition, chunks, heights, columns),
    )


def _header_height(definition: SopDefinition, columns: Columns) -> float:
    lines = [
        _text_lines(actor.label, columns.actor, size_pt=HEADER_FONT_SIZE_PT, bold=True)
        for actor in definition.actors
    ]
    second = max([2, *lines]) * LINE_HEIGHT_MM + 2 * CELL_PADDING_MM + BORDER_MM
    first = LINE_HEIGHT_MM + 2 * CELL_PADDING_MM + BORDER_MM
    return first + second


def _row_height(step: Step, columns: Columns) -> float:
    texts = (
        (step.activity, columns.activity),
        (inputs_text(step), columns.inputs),
        (duration_text(step.duration), columns.duration),
        (outputs_text(step), columns.outputs),
        (step.note, columns.note),
    )
    lines = max(_text_lines(text, width, size_pt=FONT_SIZE_PT) for text, width in texts)
    text_height = lines * LINE_HEIGHT_MM + 2 * CELL_PADDING_MM + BORDER_MM
    return round(max(text_height, _SYMBOL_HEIGHT[step.kind] + 2 * _SYMBOL_MARGIN), 2)


def _paginate(steps: Sequence[Step], heights: list[float], capacity: float) -> list[list[int]]:
    """Split row indexes into pages, keeping a decision and its "Tidak" target together.

    Greedy fill (reserving room for off-page connectors), then the break moves
    up to just before a loop's target if the loop would straddle it, as long
    as the page stays at least half full (otherwise the loop goes through
    off-page connectors).
    """
    index_of = {step.number: index for index, step in enumerate(steps)}
    loops = [
        (index_of[step.no], index)
        for index, step in enumerate(steps)
        if step.kind is StepKind.DECISION and step.no in index_of and index_of[step.no] < index
    ]
    pages: list[list[int]] = []
    start = 0
    while start < len(steps):
        used = _CONNECTOR_SPACE if start else 0.0
        end = start
        while end < len(steps):
            closing = _CONNECTOR_SPACE if end < len(steps) - 1 else 0.0
            if end > start and used + heights[end] + closing > capacity:
                break
            used += heights[end]
            end += 1
        while True:
            straddling = [target for target, decision in loops if start < target < end <= decision]
            if not straddling or sum(heights[start : min(straddling)]) < capacity / 2:
                break
            end = min(straddling)
        pages.append(list(range(start, end)))
        start = end
    return pages


def _symbol_width(columns: Columns) -> float:
    return min(columns.actor * 0.62, 15.0)


# --- routing ----------------------------------------------------------------------------


class _Router:
    """Places symbols on their pages and routes every successor link."""

    def __init__(
        self,
        definition: SopDefinition,
        chunks: list[list[int]],
        heights: list[float],
        columns: Columns,
    ) -> None:
        self.definition = definition
        self.columns = columns
        self.chunks = chunks
        column_of = {actor.key: index for index, actor in enumerate(definition.actors)}
        self.page_of: dict[int, int] = {}
        self.row_of: dict[int, int] = {}
        self.rows: list[list[FlowRow]] = []
        width = _symbol_width(columns)
        last_page = len(chunks) - 1
        for page_index, chunk in enumerate(chunks):
            rows, top = [], 0.0
            for position, index in enumerate(chunk):
                step = definition.steps[index]
                above = _CONNECTOR_SPACE if page_index and position == 0 else 0.0
                below = (
                    _CONNECTOR_SPACE if page_index < last_page and position == len(chunk) - 1 else 0
                )
                height = heights[index] + above + below
                column = column_of.get(step.actor, 0)
                symbol = Symbol(
                    step=step.number,
                    kind=step.kind,
                    column=column,
                    cx=(column + 0.5) * columns.actor,
                    cy=top + above + (height - above - below) / 2,
                    width=width,
                    height=_SYMBOL_HEIGHT[step.kind],
                )
                rows.append(FlowRow(step=step, top=top, height=height, symbol=symbol))
                self.page_of[step.number] = page_index
                self.row_of[step.number] = position
                top += height
            self.rows.append(rows)
        self.used: dict[int, dict[str, str]] = {step.number: {} for step in definition.steps}
        self.arrows: list[list[Arrow]] = [[] for _ in chunks]
        self.connectors: list[list[OffPageConnector]] = [[] for _ in chunks]
        self.letters = 0

    def symbol(self, number: int) -> Symbol:
        return self.rows[self.page_of[number]][self.row_of[number]].symbol

    def row(self, number: int) -> FlowRow:
        return self.rows[self.page_of[number]][self.row_of[number]]

    def free(self, number: int, side: str) -> bool:
        return side not in self.used[number]

    def take(self, number: int, side: str, use: str) -> None:
        self.used[number].setdefault(side, use)

    def route_all(self) -> None:
        links = [
            (step, target, label)
            for step in self.definition.steps
            for target, label in successors(step)
            if target in self.page_of
        ]

        def adjacent(step: Step, target: int) -> bool:
            return self.page_of[step.number] == self.page_of[target] and (
                self.row_of[target] == self.row_of[step.number] + 1
            )

        def continues(step: Step, target: int) -> bool:
            source_page = self.page_of[step.number]
            return (
                self.page_of[target] == source_page + 1
                and self.row_of[target] == 0
                and self.row_of[step.number] == len(self.chunks[source_page]) - 1
            )

        # The main flow first, then the decisions' loops, then their "Ya", then jumps.
        order = [
            [link for link in links if not link[2] and adjacent(link[0], link[1])],
            [link for link in links if not link[2] and continues(link[0], link[1])],
            [link for link in links if link[2] == "no"],
            [link for link in links if link[2] == "yes"],
            [
                link
                for link in links
                if not link[2]
                and not adjacent(link[0], link[1])
                and not continues(link[0], link[1])
            ],
        ]
        for group in order:
            for step, target, label in group:
                if adjacent(step, target):
                    self.route_down(step.number, target, label)
                elif continues(step, target) and self.free(step.number, "bottom"):
                    self.route_page_break(step.number, target, label)
                elif self.page_of[step.number] == self.page_of[target]:
                    self.route_lane(step.number, target, label)
                else:
                    self.route_off_page(step.number, target, label)

    def add(self, source: int, target: int, label: str, points: Iterable[Point]) -> None:
        self.arrows[self.page_of[source]].append(
            Arrow(source=source, target=target, label=label, points=tuple(points))
        )

    def route_down(self, source: int, target: int, label: str) -> None:
        """To the next row: straight down, or out of the side and down into the top."""
        s, t = self.symbol(source), self.symbol(target)
        if s.column == t.column and self.free(source, "bottom"):
            self.take(source, "bottom", "out")
            self.take(target, "top", "in")
            self.add(source, target, label, [s.port("bottom"), t.port("top")])
            return
        side = "right" if t.cx > s.cx else "left"
        if s.column != t.column and self.free(source, side):
            self.take(source, side, "out")
            self.take(target, "top", "in")
            start = s.port(side)
            self.add(source, target, label, [start, (t.cx, start[1]), t.port("top")])
            return
        if self.free(source, "bottom"):
            row = self.row(source)
            middle = (s.port("bottom")[1] + row.top + row.height) / 2
            self.take(source, "bottom", "out")
            self.take(target, "top", "in")
            points = [s.port("bottom"), (s.cx, middle), (t.cx, middle), t.port("top")]
            self.add(source, target, label, points)
            return
        self.route_lane(source, target, label)

    def entry_side(self, source: Symbol, target: Symbol) -> str:
        facing = "left" if source.cx < target.cx else "right"
        other = "right" if facing == "left" else "left"
        if self.used[target.step].get(facing) == "out" and self.free(target.step, other):
            return other
        return facing

    def route_lane(self, source: int, target: int, label: str) -> None:
        """Out of the side, along a lane beside the target's symbol, into the target's side."""
        s, t = self.symbol(source), self.symbol(target)
        entry = self.entry_side(s, t)
        sign = 1 if entry == "right" else -1
        lane = t.cx + sign * (t.width / 2 + self.columns.actor / 2) / 2
        exit_side = "right" if lane > s.cx else "left"
        other = "left" if exit_side == "right" else "right"
        end = t.port(entry)
        if not self.free(source, exit_side) and self.free(source, "bottom"):
            row = self.row(source)
            middle = (s.port("bottom")[1] + row.top + row.height) / 2
            points = [s.port("bottom"), (s.cx, middle), (lane, middle), (lane, end[1]), end]
            self.take(source, "bottom", "out")
        else:
            if not self.free(source, exit_side) and self.free(source, other):
                exit_side = other
            start = s.port(exit_side)
            points = [start, (lane, start[1]), (lane, end[1]), end]
            self.take(source, exit_side, "out")
        self.take(target, entry, "in")
        self.add(source, target, label, points)

    def next_letter(self) -> str:
        number, letters = self.letters, ""
        self.letters += 1
        while True:
            number, remainder = divmod(number, 26)
            letters = chr(ord("A") + remainder) + letters
            if not number:
                return letters
            number -= 1

    def letter_in_page_order(self) -> None:
        """Letters were given in routing order; renumber them A, B, … down the pages."""
        outgoing = sorted(
            (page, connector.y, connector.x, connector.label)
            for page, connectors in enumerate(self.connectors)
            for connector in connectors
            if connector.direction == "out"
        )
        self.letters = 0
        renamed = {label: self.next_letter() for *_, label in outgoing}
        self.connectors = [
            [replace(connector, label=renamed[connector.label]) for connector in connectors]
            for connectors in self.connectors
        ]

    def route_page_break(self, source: int, target: int, label: str) -> None:
        """Down into a connector at the page's foot, on from the same letter at the next head."""
        s, t = self.symbol(source), self.symbol(target)
        letter = self.next_letter()
        source_row, target_row = self.row(source), self.row(target)
        out_top = source_row.top + source_row.height - _CONNECTOR_SPACE + 1.0
        self.take(source, "bottom", "out")
        self.take(target, "top", "in")
        self.add(source, target, label, [s.port("bottom"), (s.cx, out_top)])
        self.connectors[self.page_of[source]].append(
            OffPageConnector(letter, "out", source, s.cx, out_top)
        )
        in_top = target_row.top + 1.0
        self.connectors[self.page_of[target]].append(
            OffPageConnector(letter, "in", target, t.cx, in_top)
        )
        self.arrows[self.page_of[target]].append(
            Arrow(source, target, "", ((t.cx, in_top + CONNECTOR_H), t.port("top")))
        )

    def side_for_connector(self, number: int, reach: float, *, avoid: str) -> tuple[str, float]:
        """A side of the symbol with room for a connector `reach` mm out, and the line's offset.

        A connector must not be cut off at the edge of the actor columns. Prefers a
        side without the `avoid` use ("out", or "any" use); on a side another line
        already uses, the connector's line runs `_SHARED_OFFSET` below that line.
        """
        symbol = self.symbol(number)
        width = self.columns.actors_width

        def fits(side: str) -> bool:
            x = symbol.port(side)[0] + (reach if side == "right" else -reach)
            return 0 <= x <= width

        def clear(side: str) -> bool:
            use = self.used[number].get(side)
            return use is None or (avoid == "out" and use != "out")

        sides = [side for side in ("right", "left") if fits(side)] or ["right"]
        side = next((side for side in sides if clear(side)), sides[0])
        return side, 0.0 if clear(side) else _SHARED_OFFSET

    def route_off_page(self, source: int, target: int, label: str) -> None:
        """A link to another page (a loop back, a jump): connectors beside both symbols.

        A labelled link leaves room for its "Ya"/"Tidak" before the connector.
        """
        s, t = self.symbol(source), self.symbol(target)
        letter = self.next_letter()
        stub = _LABELLED_STUB if label else _STUB
        side, dy = self.side_for_connector(source, stub + CONNECTOR_W, avoid="any")
        sign = 1 if side == "right" else -1
        start = s.edge(side, dy)
        reach = (start[0] + sign * stub, start[1])
        self.take(source, side, "out")
        self.add(source, target, label, [start, reach])
        out_x = reach[0] + sign * CONNECTOR_W / 2
        self.connectors[self.page_of[source]].append(
            OffPageConnector(letter, "out", source, out_x, reach[1] - _CONNECTOR_ATTACH)
        )
        entry, dy = self.side_for_connector(target, _STUB + CONNECTOR_W, avoid="out")
        sign = 1 if entry == "right" else -1
        end = t.edge(entry, dy)
        in_x = end[0] + sign * (_STUB + CONNECTOR_W / 2)
        self.take(target, entry, "in")
        self.connectors[self.page_of[target]].append(
            OffPageConnector(letter, "in", target, in_x, end[1] - _CONNECTOR_ATTACH)
        )
        self.arrows[self.page_of[target]].append(
            Arrow(source, target, "", ((in_x - sign * CONNECTOR_W / 2, end[1]), end))
        )


def _route(
    definition: SopDefinition, chunks: list[list[int]], heights: list[float], columns: Columns
) -> tuple[FlowPage, ...]:
    router = _Router(definition, chunks, heights, columns)
    router.route_all()
    router.letter_in_page_order()
    return tuple(
        FlowPage(
            number=index + 1,
            rows=tuple(router.rows[index]),
            arrows=tuple(router.arrows[index]),
            connectors=tuple(router.connectors[index]),
            column_width=columns.actor,
            column_count=columns.actor_count,
        )
        for index in range(len(chunks))
    )
