"""Flowchart layout: pages, symbols in their actor columns, arrows, off-page connectors."""

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils.translation import pgettext

from kinerja.workflow.domain.definition import Duration, DurationUnit, SopDefinition, StepKind
from kinerja.workflow.rendering.flowchart import (
    FlowPage,
    duration_text,
    flowchart_area,
    flowchart_layout,
    paper_size,
    successors,
)
from kinerja.workflow.rendering.html import sop_flowchart_layout
from kinerja.workflow.rendering.svg import PageDrawing

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def symbols(root: ET.Element) -> dict[int, ET.Element]:
    found: dict[int, ET.Element] = {}
    for element in root.iter():
        if "symbol" in element.get("class", "").split():
            step = int(element.get("data-step", "0"))
            assert step not in found, f"step {step} drawn twice"
            found[step] = element
    return found


def x_range(element: ET.Element) -> tuple[float, float]:
    if element.tag == f"{SVG}rect":
        x = float(element.get("x", "0"))
        return x, x + float(element.get("width", "0"))
    xs = [float(pair.split(",")[0]) for pair in element.get("points", "").split()]
    return min(xs), max(xs)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("15", DurationUnit.MINUTE, "15 menit"),
        ("1.5", DurationUnit.HOUR, "1,5 jam"),
        ("1.50", DurationUnit.HOUR, "1,5 jam"),
        ("2", DurationUnit.DAY, "2 hari"),
        ("2400", DurationUnit.MINUTE, "2400 menit"),
    ],
)
def test_durations_are_written_as_the_sop_writes_them(value, unit, text):
    assert duration_text(Duration(Decimal(value), unit)) == text
    assert duration_text(None) == ""


def test_paper_sizes_and_landscape_area():
    assert paper_size("F4") == (215.0, 330.0)
    assert paper_size("a4") == (210.0, 297.0)
    assert flowchart_area("f4") == (310.0, 195.0)
    with pytest.raises(ValueError, match="letter"):
        paper_size("letter")


def test_long_sop_spreads_over_pages_in_step_order_within_the_page_height(long_sop):
    width, height = flowchart_area("f4")
    layout = flowchart_layout(long_sop, width=width, height=height, title="SOP")
    assert len(layout.pages) >= 3
    numbers = [row.step.number for page in layout.pages for row in page.rows]
    assert numbers == list(range(1, 25))
    for page in layout.pages:
        assert layout.title_height + layout.header_height + page.height <= height
    assert sum(layout.columns.widths()) == pytest.approx(width)


def test_a_correction_loop_is_kept_on_one_page(long_sop):
    layout = sop_flowchart_layout(long_sop, paper="a4")
    page_of = {row.step.number: page.number for page in layout.pages for row in page.rows}
    for step in long_sop.steps:
        if step.kind is StepKind.DECISION:
            assert page_of[step.no] == page_of[step.number], f"step {step.number}"


def test_every_step_has_one_symbol_of_its_shape_in_its_actor_column(long_sop):
    layout = sop_flowchart_layout(long_sop, paper="f4")
    width = layout.columns.actor
    column_of = {actor.key: index for index, actor in enumerate(long_sop.actors)}
    drawn: dict[int, ET.Element] = {}
    for page in layout.pages:
        drawn |= symbols(parse(PageDrawing(page).svg()))
    assert sorted(drawn) == [step.number for step in long_sop.steps]
    for step in long_sop.steps:
        element = drawn[step.number]
        if step.kind is StepKind.DECISION:
            assert element.tag == f"{SVG}polygon"
            assert len(element.get("points", "").split()) == 4
        else:
            assert element.tag == f"{SVG}rect"
            rounded = float(element.get("rx", "0")) > 0
            assert rounded is (step.kind in (StepKind.START, StepKind.END)), step.number
        left, right = x_range(element)
        column = column_of[step.actor]
        assert column * width < left < right < (column + 1) * width, step.number
        assert (left + right) / 2 == pytest.approx((column + 0.5) * width, abs=0.02)


def test_each_decision_has_a_tidak_and_a_ya_label(long_sop):
    layout = sop_flowchart_layout(long_sop, paper="f4")
    no_word = pgettext("SOP document", "No")
    yes_word = pgettext("SOP document", "Yes")
    for page in layout.pages:
        root = parse(PageDrawing(page).svg())
        decisions = [row for row in page.rows if row.step.kind is StepKind.DECISION]
        labels = [t for t in root.iter(f"{SVG}text") if "label" in t.get("class", "")]
        assert [t.text for t in labels if "no" in t.get("class", "").split()] == [no_word] * len(
            decisions
        )
        assert [t.text for t in labels if "yes" in t.get("class", "").split()] == [yes_word] * len(
            decisions
        )


def arrows(page: FlowPage) -> set[tuple[int, int]]:
    root = parse(PageDrawing(page).svg())
    return {
        (int(line.get("data-source", "0")), int(line.get("data-target", "0")))
        for line in root.iter(f"{SVG}polyline")
    }


def connectors(page: FlowPage, direction: str) -> dict[str, int]:
    root = parse(PageDrawing(page).svg())
    return {
        polygon.get("data-label", ""): int(polygon.get("data-step", "0"))
        for polygon in root.iter(f"{SVG}polygon")
        if polygon.get("class") == f"offpage {direction}"
    }


def test_every_link_is_an_arrow_or_a_connector_pair_per_page_break(long_sop):
    layout = sop_flowchart_layout(long_sop, paper="f4")
    pages = layout.pages
    for before, after in itertools.pairwise(pages):
        leaving, arriving = connectors(before, "out"), connectors(after, "in")
        last, first = before.rows[-1].step.number, after.rows[0].step.number
        pair = [label for label, step in leaving.items() if step == last]
        assert pair, f"no off-page connector after step {last}"
        assert arriving[pair[0]] == first
    page_of = {row.step.number: page for page in pages for row in page.rows}
    for step in long_sop.steps:
        for target, _label in successors(step):
            source_page, target_page = page_of[step.number], page_of[target]
            assert (step.number, target) in arrows(source_page)
            if source_page is not target_page:
                assert (step.number, target) in arrows(target_page)


def test_arrows_end_on_the_target_symbol(short_sop):
    layout = sop_flowchart_layout(short_sop, paper="a4")
    (page,) = layout.pages
    tops = {row.step.number: row.symbol.port("top") for row in page.rows}
    for arrow in page.arrows:
        assert arrow.points[-1] == tops[arrow.target]
        assert arrow.points[0][1] < arrow.points[-1][1]  # the main flow goes down
    assert len(page.arrows) == len(short_sop.steps) - 1
    assert page.connectors == ()


def test_a_loop_longer_than_a_page_goes_through_connectors_beside_the_symbols(long_sop):
    steps = list(long_sop.steps)
    steps[22] = replace(steps[22], kind=StepKind.DECISION, yes=24, no=2)
    definition = replace(long_sop, steps=tuple(steps))
    layout = sop_flowchart_layout(definition, paper="a4")
    page_of = {row.step.number: page for page in layout.pages for row in page.rows}
    assert page_of[23] is not page_of[2]
    (label,) = [k for k, step in connectors(page_of[23], "out").items() if step == 23 and k]
    loop_out = [a for a in page_of[23].arrows if (a.source, a.target) == (23, 2)]
    assert loop_out and loop_out[0].label == "no"
    assert connectors(page_of[2], "in")[label] == 2
    into_two = [a for a in page_of[2].arrows if (a.source, a.target) == (23, 2)]
    symbol = page_of[2].rows[[r.step.number for r in page_of[2].rows].index(2)].symbol
    end_x, end_y = into_two[0].points[-1]  # on the left or right outline of step 2's symbol
    assert abs(end_y - symbol.cy) < symbol.height / 2
    assert symbol.width * 0.3 < abs(end_x - symbol.cx) <= symbol.width / 2 + 0.01


def test_connectors_stay_inside_the_actor_columns(long_sop):
    steps = list(long_sop.steps)
    steps[22] = replace(steps[22], kind=StepKind.DECISION, yes=24, no=2)
    definition = replace(long_sop, steps=tuple(steps))
    for page in sop_flowchart_layout(definition, paper="a4").pages:
        for connector in page.connectors:
            assert 2.5 < connector.x < page.width - 2.5


def test_cells_show_their_window_of_the_page_drawing(short_sop):
    layout = sop_flowchart_layout(short_sop, paper="a4")
    page = layout.pages[0]
    drawing = PageDrawing(page)
    width = layout.columns.actor
    for index, row in enumerate(page.rows):
        column = row.symbol.column
        cell = parse(drawing.cell_svg(index, column))
        x, y, w, h = (float(v) for v in cell.get("viewBox", "").split())
        assert x == pytest.approx(column * width + 0.1, abs=0.01)
        assert y == pytest.approx(row.top + 0.1, abs=0.01)
        assert (w, h) == (pytest.approx(width - 0.2, abs=0.01), pytest.approx(row.height - 0.2))
        assert cell.get("height") == f"{h:g}mm"
        assert list(symbols(cell)) == [row.step.number]
        other = (column + 1) % len(short_sop.actors)
        assert symbols(parse(drawing.cell_svg(index, other))) == {}


def test_svg_is_self_contained(long_sop):
    for page in sop_flowchart_layout(long_sop, paper="f4").pages:
        svg = PageDrawing(page).svg()
        assert not re.search(r"href|<script|<style|url\(", svg)


def test_many_actors_keep_a_usable_column_width(long_sop: SopDefinition):
    actors = long_sop.actors + tuple(replace(a, key=f"{a.key}_2") for a in long_sop.actors)
    layout = sop_flowchart_layout(replace(long_sop, actors=actors), paper="a4")
    assert layout.columns.actor >= 11
    assert sum(layout.columns.widths()) == pytest.approx(flowchart_area("a4")[0])
