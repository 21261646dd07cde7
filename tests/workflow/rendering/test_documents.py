"""The SOP document in HTML, PDF and Word: the same steps, actors, times and outputs."""

import io
import re
import zlib
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Length

from kinerja.workflow.domain.definition import SopDefinition, StepKind
from kinerja.workflow.rendering import render_sop_docx, render_sop_html, render_sop_pdf
from kinerja.workflow.rendering.docx import GLYPHS
from kinerja.workflow.rendering.flowchart import duration_text
from kinerja.workflow.rendering.html import sop_flowchart_layout


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF whose objects may sit in compressed object streams."""
    texts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text)) for text in texts)


def assert_html_has_every_step(html: str, definition: SopDefinition) -> None:
    for actor in definition.actors:
        assert f"<th>{escape(actor.label, quote=False)}</th>" in html, actor.label
    for step in definition.steps:
        assert f'<td class="no">{step.number}</td>' in html
        assert escape(step.activity) in html, step.number
        assert escape(duration_text(step.duration)) in html, step.number
        for output in step.outputs:
            assert escape(output) in html, (step.number, output)
        for needed in step.inputs:
            assert escape(needed) in html, (step.number, needed)


def test_html_has_every_step_actor_duration_and_output(long_sop):
    html = render_sop_html(long_sop, paper="f4")
    assert_html_has_every_step(html, long_sop)
    assert "2400 menit" in html
    assert "1,5 jam" in html
    assert "2 hari" in html


def test_html_identity_sheet_follows_the_permenpanrb_layout(short_sop):
    with translation.override("id"):
        html = render_sop_html(short_sop, paper="f4")
    identity = short_sop.identity
    for text in (identity.number, identity.name, identity.agency_name.upper(), "SOEFIE M."):
        assert escape(text) in html
    assert "19770415 199612 2 001" in html
    assert "6 Januari 2025" in html
    for item in identity.legal_basis + identity.related_sops + identity.equipment:
        assert f"<li>{escape(item)}</li>" in html
    assert escape(identity.warning) in html
    assert html.index(identity.number) < html.index('class="flow-page"')


def test_html_pages_are_named_f4_or_a4_with_landscape_flowchart(short_sop):
    f4 = render_sop_html(short_sop, paper="f4")
    assert "@page { size: 215mm 330mm;" in f4
    assert "@page flowchart { size: 330mm 215mm;" in f4
    assert ".flow-page { page: flowchart;" in f4
    a4 = render_sop_html(short_sop, paper="a4")
    assert "@page flowchart { size: 297mm 210mm;" in a4


def test_html_repeats_the_header_on_every_flowchart_page(long_sop):
    html = render_sop_html(long_sop, paper="a4")
    pages = sop_flowchart_layout(long_sop, paper="a4").pages
    assert html.count('<section class="flow-page"') == len(pages) > 1
    assert html.count("<thead>") == len(pages)
    decisions = sum(1 for step in long_sop.steps if step.kind is StepKind.DECISION)
    assert html.count('class="symbol decision"') >= decisions


def test_html_is_self_contained(long_sop):
    html = render_sop_html(long_sop, paper="f4")
    assert not re.search(r"<script|<link|<img|src=|href=|url\(|@import", html)
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_html_escapes_the_sop_text(short_sop):
    from dataclasses import replace

    steps = list(short_sop.steps)
    steps[1] = replace(steps[1], activity="Menyusun <b>draf</b> & kirim")
    html = render_sop_html(replace(short_sop, steps=tuple(steps)), paper="a4")
    assert "Menyusun &lt;b&gt;draf&lt;/b&gt; &amp; kirim" in html
    assert "<b>draf</b>" not in html


@pytest.mark.parametrize("paper", ["f4", "a4"])
def test_pdf_has_the_identity_sheet_and_the_planned_flowchart_pages(long_sop, paper):
    pdf = render_sop_pdf(long_sop, paper=paper)
    assert pdf.startswith(b"%PDF")
    flow_pages = len(sop_flowchart_layout(long_sop, paper=paper).pages)
    assert flow_pages >= 3
    # One page more than planned would mean a table overflowed its page.
    assert pdf_page_count(pdf) == 1 + flow_pages


def test_pdf_of_a_short_sop_has_two_pages(short_sop):
    assert pdf_page_count(render_sop_pdf(short_sop, paper="f4")) == 2


def mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)


def test_docx_opens_and_holds_every_step(long_sop):
    document = Document(io.BytesIO(render_sop_docx(long_sop, paper="f4")))
    identity, flow = document.sections
    assert (mm(identity.page_width), mm(identity.page_height)) == (215, 330)
    assert flow.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(flow.page_width), mm(flow.page_height)) == (330, 215)
    head, _body, table = document.tables
    assert long_sop.identity.number in [cell.text for cell in head.columns[2].cells]
    header_texts = [cell.text for cell in table.rows[1].cells]
    for actor in long_sop.actors:
        assert actor.label in header_texts
    column_of = {actor.key: index for index, actor in enumerate(long_sop.actors)}
    rows = table.rows[2:]
    assert len(rows) == len(long_sop.steps)
    for row, step in zip(rows, long_sop.steps, strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[0] == str(step.number)
        assert cells[1] == step.activity
        actor_cells = cells[2 : 2 + len(long_sop.actors)]
        marked = [index for index, text in enumerate(actor_cells) if text]
        assert marked == [column_of[step.actor]]
        assert actor_cells[marked[0]].startswith(GLYPHS[step.kind])
        if step.kind is StepKind.DECISION:
            assert f"→ {step.yes}" in actor_cells[marked[0]]
            assert f"→ {step.no}" in actor_cells[marked[0]]
        assert duration_text(step.duration) in cells
        assert ", ".join(step.outputs) in cells


SOPS_DIR = Path(settings.PACKAGE_DIR) / "sops"


def shipped_sops() -> list[Path]:
    return sorted(SOPS_DIR.glob("**/*.yaml")) if SOPS_DIR.is_dir() else []


@pytest.mark.skipif(not shipped_sops(), reason="no SOP definitions shipped yet")
@pytest.mark.parametrize("path", shipped_sops(), ids=lambda path: path.stem)
def test_every_shipped_sop_renders_with_all_its_steps(path):
    from kinerja.workflow.definitions import parse_sop

    definition = parse_sop(path.read_text(encoding="utf-8"))
    assert_html_has_every_step(render_sop_html(definition, paper="f4"), definition)
    pdf = render_sop_pdf(definition, paper="f4")
    flow_pages = len(sop_flowchart_layout(definition, paper="f4").pages)
    assert 1 + flow_pages <= pdf_page_count(pdf) <= 2 + flow_pages  # identity: 1-2 pages
    document = Document(io.BytesIO(render_sop_docx(definition, paper="a4")))
    assert len(document.tables[-1].rows) == 2 + len(definition.steps)
