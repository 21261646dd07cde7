"""The SOP document as Word (.docx), for agencies that edit it further.

Word tables cannot hold our arrows reliably, so the flowchart table marks the
actor's cell with the symbol as a glyph (⬭ start/end, ▭ task, ◇ decision) and
writes where the flow goes when it is not simply the next number: "Ya → 6",
"Tidak → 4", "→ 9". A legend under the table says so. The PDF is the
document with the drawn flowchart.
"""

import io

from django.utils.translation import pgettext
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row

from kinerja.workflow.domain.definition import Identity, SopDefinition, Step, StepKind
from kinerja.workflow.rendering.flowchart import (
    FLOW_MARGIN_MM,
    duration_text,
    flowchart_area,
    inputs_text,
    outputs_text,
    paper_size,
    table_columns,
)
from kinerja.workflow.rendering.html import (
    IDENTITY_MARGIN_MM,
    document_labels,
    flowchart_title,
    nip_line,
    sop_date,
)

GLYPHS = {StepKind.START: "⬭", StepKind.END: "⬭", StepKind.TASK: "▭", StepKind.DECISION: "◇"}
_FONT = "Arial"


def render_sop_docx(definition: SopDefinition, *, paper: str) -> bytes:
    """The SOP document: identity sheet (portrait) and flowchart table (landscape)."""
    short, long = paper_size(paper)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(9)
    style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(short), Mm(long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(IDENTITY_MARGIN_MM))
    _identity(document, definition.identity)
    flow = document.add_section(WD_SECTION.NEW_PAGE)
    flow.orientation = WD_ORIENT.LANDSCAPE
    flow.page_width, flow.page_height = Mm(long), Mm(short)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(flow, side, Mm(FLOW_MARGIN_MM))
    _flowchart(document, definition, paper)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _write(cell: _Cell, text: str, *, bold: bool = False, size: float | None = None) -> None:
    """Replace the cell's text; line breaks start new paragraphs."""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        if size:
            run.font.size = Pt(size)


def _numbered(items: tuple[str, ...]) -> str:
    return "\n".join(f"{index}. {item}" for index, item in enumerate(items, start=1))


def _identity(document: DocxDocument, identity: Identity) -> None:
    labels = document_labels()
    signatory = identity.approved_by
    approval = ""
    if signatory is not None:
        lines = [signatory.title, "", "", signatory.name, signatory.rank]
        if signatory.nip:
            lines.append(nip_line(signatory.nip))
        approval = "\n".join(lines)
    head = [
        ("number", identity.number),
        ("made_on", sop_date(identity.made_on)),
        ("revised_on", sop_date(identity.revised_on)),
        ("effective_on", sop_date(identity.effective_on)),
        ("approved_by", approval),
        ("name", identity.name),
    ]
    table = document.add_table(rows=len(head), cols=3)
    table.style = "Table Grid"
    agency = table.cell(0, 0).merge(table.cell(len(head) - 1, 0))
    _write(agency, identity.agency_name.upper(), bold=True)
    agency.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, (key, value) in enumerate(head):
        _write(table.cell(index, 1), labels[key])
        _write(table.cell(index, 2), value, bold=key == "name")
    document.add_paragraph()
    pairs = [
        ("legal_basis", _numbered(identity.legal_basis)),
        ("qualifications", _numbered(identity.qualifications)),
        ("related_sops", _numbered(identity.related_sops)),
        ("equipment", _numbered(identity.equipment)),
        ("warning", identity.warning),
        ("records", _numbered(identity.records)),
    ]
    body = document.add_table(rows=len(pairs), cols=2)
    body.style = "Table Grid"
    for index, (key, value) in enumerate(pairs):
        row, column = (index // 2) * 2, index % 2
        _write(body.cell(row, column), f"{labels[key]}:", bold=True)
        _write(body.cell(row + 1, column), value)


def flow_cell_text(step: Step) -> str:
    """The actor cell of a step: its symbol glyph, then where the flow goes if not next."""
    lines = [GLYPHS[step.kind]]
    if step.kind is StepKind.START:
        lines[0] += " " + pgettext("SOP document", "Start")
    elif step.kind is StepKind.END:
        lines[0] += " " + pgettext("SOP document", "End")
    if step.kind is StepKind.DECISION:
        lines.append(f"{pgettext('SOP document', 'Yes')} → {step.yes}")
        lines.append(f"{pgettext('SOP document', 'No')} → {step.no}")
    elif step.next is not None and step.next != step.number + 1:
        lines.append(f"→ {step.next}")
    return "\n".join(lines)


def _repeat_as_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _flowchart(document: DocxDocument, definition: SopDefinition, paper: str) -> None:
    title = document.add_paragraph()
    title.add_run(flowchart_title(definition)).bold = True
    actors = definition.actors
    count = len(actors)
    widths = table_columns(flowchart_area(paper)[0], count).widths()
    table: Table = document.add_table(rows=2, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    first, second = table.rows
    for row in (first, second):
        _repeat_as_header(row)
    labels = document_labels()
    spans = [
        (0, 0, "row_number"),
        (1, 1, "activity"),
        (2, 1 + count, "actors"),
        (2 + count, 4 + count, "quality"),
        (5 + count, 5 + count, "note"),
    ]
    for start, end, key in spans:
        cell = table.cell(0, start).merge(table.cell(0 if end > start else 1, end))
        _write(cell, labels[key], bold=True, size=8)
    second_row = [actor.label for actor in actors]
    second_row += [labels["inputs"], labels["duration"], labels["outputs"]]
    for index, label in enumerate(second_row):
        _write(table.cell(1, 2 + index), label, bold=True, size=8)
    column_of = {actor.key: index for index, actor in enumerate(actors)}
    for step in definition.steps:
        cells = table.add_row().cells
        texts = [str(step.number), step.activity, *[""] * count]
        texts += [inputs_text(step), duration_text(step.duration), outputs_text(step), step.note]
        texts[2 + column_of.get(step.actor, 0)] = flow_cell_text(step)
        for cell, text in zip(cells, texts, strict=True):
            _write(cell, text, size=8)
        for paragraph in cells[2 + column_of.get(step.actor, 0)].paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    legend = document.add_paragraph()
    legend.add_run(
        pgettext(
            "SOP document",
            "Symbols: %(terminal)s start or end, %(task)s activity, %(decision)s decision. "
            "The flow goes on to the next number unless the cell names another step "
            "(→); after a decision, “%(yes)s” goes on and “%(no)s” returns for correction.",
        )
        % {
            "terminal": GLYPHS[StepKind.START],
            "task": GLYPHS[StepKind.TASK],
            "decision": GLYPHS[StepKind.DECISION],
            "yes": pgettext("SOP document", "Yes"),
            "no": pgettext("SOP document", "No"),
        }
    ).font.size = Pt(8)
